"""PostgreSQL: the rules of Support Access held by the database itself (issue 22, items 3-6).

The app checks these rules first (the domain, one sentence each); the triggers and functions
here hold them against a login writing with plain `psql`:

- Rules (owner and support logins; the schema owner and superusers may do what the app needs,
  and can disable a trigger anyway): the Support Access window at the server's clock in the
  account's timezone, `ends_at` derived from `until_date`, a revocation is final, one open grant
  per account, an integration's expiry at most `INTEGRATION_MAX_DAYS` ahead, request days within
  the account's maximum, that maximum within 1 to `SUPPORT_MAX_DAYS`, and every `*_by` column
  names the login that writes it.
- The grant's end is the end: an agent acts in an account only while its grant is open,
  whatever its session rows say; a revoke closes the open sessions at once (the grant's audit
  trigger in db/security.py, with their events); an agent starts and ends its sessions only
  through `aesthetix_start_session`/`aesthetix_end_session`, whose rows' triggers write the events.
- No stalls: agents never take an account's row lock; an owner's lock waits `LOCK_WAIT_MS` at
  most at a time, ending the agents' backends that hold locks on the app's tables in between
  (2 s in all).
  Agent logins run under the timeouts of `AGENT_SETTINGS` (a client may override them, so the
  owner's side does not rely on them).
- No leaks: a request's grant is its own account's; an owner asks nothing about accounts it
  does not own; an agent finds an account by its exact name only.

Refusals raise `check_violation` (23514) with a message that starts "refused:"; `*_by` and
privilege refusals raise 42501.
"""

from __future__ import annotations

from sqlalchemy import Connection

from aesthetix_tui.db.limits import INTEGRATION_MAX_DAYS, SUPPORT_MAX_DAYS

# An owner waits for an account's rows LOCK_WAIT_MS at a time, ending after each wait the agents'
# backends that hold them; after LOCK_TRIES waits (2 s) the statement fails: db/errors.TIMED_OUT.
LOCK_WAIT_MS = 250
LOCK_TRIES = 8
# Set on each agent login (`roles add-agent`, and for every agent by `roles setup`): a backstop
# for a forgotten transaction; an owner does not wait for them (LOCK_WAIT_MS above).
AGENT_SETTINGS = {"lock_timeout": "2s", "statement_timeout": "10s", "idle_in_transaction_session_timeout": "30s"}
# The tables whose locks an agent's open transaction may hold against an owner.
LOCKED_TABLES = ("account", "support_grant", "support_session", "feature_setting", "legacy_key", "audit_event",
                 "support_request")

REFUSED = "23514"

USE = "last_used_at"  # the one column a token's use writes


def create_trigger(name: str, when: str, table: str, function: str, but: str = "") -> str:
    """CREATE TRIGGER. With BUT, WHEN's UPDATE becomes UPDATE OF every column of TABLE but BUT:
    the trigger runs for an UPDATE that sets any other column (even to the value it had), and not
    for one that sets BUT alone. The list is read from the catalog as the trigger is made, so a
    migration that adds a column installs the triggers again (migration_steps.install_security;
    tests/db/test_database_rules.py checks that the list is whole). Unlike a WHEN on the row, it
    costs nothing per row."""
    statement = f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}"
    if not but:
        return statement
    columns = (f"SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
               f"WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> '{but}'")
    statement = statement.replace(" UPDATE ", " UPDATE OF %s ", 1)
    return f"DO $do$ BEGIN EXECUTE format($t${statement}$t$, ({columns})); END $do$"


FUNCTIONS = ("aesthetix_start_session(integer)", "aesthetix_end_session(integer, text)")
INTERNAL = ("aesthetix_end_agent_blockers()", "aesthetix_guard_by()", "aesthetix_guard_grant()",
            "aesthetix_guard_integration()", "aesthetix_guard_request()", "aesthetix_guard_session()",
            "aesthetix_guard_account()")
# A revoke's end of the open sessions moved to the grant's audit trigger (db/security.py): one path.
RETIRED = ("grant_revoked", "support_grant", "aesthetix_grant_revoked()")
# (trigger, table, timing and events, function, the one column whose update alone does not run
# it). An integration's use, recorded at most once a minute per token
# (domain/token_check.record_uses), sets last_used_at only, which no guard checks: such an update
# runs none of these (create_trigger's BUT), only the one that puts it on the server's clock
# (db/security.py: aesthetix_use_time).
TRIGGERS = [
    ("guard_by", table, "BEFORE INSERT OR UPDATE", "aesthetix_guard_by()", "")
    for table in ("support_grant", "legacy_key", "feature_setting", "account", "support_request")
] + [
    ("guard_by", "integration", "BEFORE INSERT", "aesthetix_guard_by()", ""),
    ("guard_by_update", "integration", "BEFORE UPDATE", "aesthetix_guard_by()", USE),
    ("guard_grant", "support_grant", "BEFORE INSERT OR UPDATE", "aesthetix_guard_grant()", ""),
    ("guard_integration", "integration", "BEFORE INSERT", "aesthetix_guard_integration()", ""),
    ("guard_integration_update", "integration", "BEFORE UPDATE", "aesthetix_guard_integration()", USE),
    ("guard_request", "support_request", "BEFORE INSERT OR UPDATE", "aesthetix_guard_request()", ""),
    ("guard_session", "support_session", "BEFORE UPDATE", "aesthetix_guard_session()", ""),
    ("guard_account", "account", "BEFORE UPDATE OF support_max_days", "aesthetix_guard_account()", ""),
]

def trigger(name: str, body: str) -> str:
    """A trigger function, run as the schema owner (session_user is still the login)."""
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql\n"
            f"    SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$" + body)


# Owner and support logins only: the app's own schema owner and superusers pass.
CHECKED = "IF aesthetix_kind() = 'system' THEN RETURN NEW; END IF;"

INSTALL = [
    # Any *_by column set or changed names the login (replaced_by is a request's id).
    trigger("aesthetix_guard_by", f"""
    DECLARE
      v_new jsonb := to_jsonb(NEW);
      v_old jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ELSE '{{}}'::jsonb END;
      v_key text;
    BEGIN
      {CHECKED}
      FOR v_key IN SELECT k FROM jsonb_object_keys(v_new) k WHERE k LIKE '%\\_by' AND k <> 'replaced_by' LOOP
        IF (v_new -> v_key) IS DISTINCT FROM (v_old -> v_key) AND (v_new ->> v_key) IS NOT NULL
           AND (v_new ->> v_key) <> session_user::text THEN
          RAISE EXCEPTION 'permission denied: %.% must be the database login %, not %', TG_TABLE_NAME, v_key,
            session_user, v_new ->> v_key USING ERRCODE = '42501';
        END IF;
      END LOOP;
      RETURN NEW;
    END $$"""),
    # The Support Access window, the derived end, a final revocation, one open grant.
    trigger("aesthetix_guard_grant", f"""
    DECLARE
      v_tz text;
      v_max integer;
      v_today date;
    BEGIN
      {CHECKED}
      IF TG_OP = 'UPDATE' THEN
        IF OLD.revoked_at IS NOT NULL THEN
          RAISE EXCEPTION 'refused: Support Access grant % was revoked, and a revocation is final', OLD.id
            USING ERRCODE = '{REFUSED}';
        END IF;
        IF (NEW.account_id, NEW.enabled_at, NEW.enabled_by, NEW.reason)
           IS DISTINCT FROM (OLD.account_id, OLD.enabled_at, OLD.enabled_by, OLD.reason) THEN
          RAISE EXCEPTION 'refused: a grant''s account, start, enabler and reason do not change'
            USING ERRCODE = '{REFUSED}';
        END IF;
      END IF;
      -- the account's row lock serializes its grants (the app holds it already)
      SELECT timezone, support_max_days INTO v_tz, v_max FROM account WHERE id = NEW.account_id FOR UPDATE;
      v_today := (now() AT TIME ZONE v_tz)::date;
      IF (TG_OP = 'INSERT' OR (NEW.until_date, NEW.ends_at) IS DISTINCT FROM (OLD.until_date, OLD.ends_at))
         AND NEW.ends_at IS DISTINCT FROM ((NEW.until_date + 1)::timestamp AT TIME ZONE v_tz) THEN
        RAISE EXCEPTION 'refused: Support Access ends when its last day % ends in %, not at %',
          NEW.until_date, v_tz, NEW.ends_at USING ERRCODE = '{REFUSED}';
      END IF;
      IF TG_OP = 'INSERT' OR NEW.until_date IS DISTINCT FROM OLD.until_date THEN
        IF NEW.until_date < v_today OR NEW.until_date > v_today + v_max THEN
          RAISE EXCEPTION 'refused: Support Access runs through today (%) up to % days ahead, not through %',
            v_today, v_max, NEW.until_date USING ERRCODE = '{REFUSED}';
        END IF;
      END IF;
      IF TG_OP = 'UPDATE' AND NEW.until_date IS DISTINCT FROM OLD.until_date
         AND (OLD.ends_at <= now() OR NEW.until_date < OLD.until_date) THEN
        RAISE EXCEPTION 'refused: only active Support Access is extended, and only to a later day'
          USING ERRCODE = '{REFUSED}';
      END IF;
      IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM support_grant g WHERE g.account_id = NEW.account_id
          AND g.revoked_at IS NULL AND g.ends_at > now()) THEN
        RAISE EXCEPTION 'refused: Support Access to account % is already active; extend it instead',
          NEW.account_id USING ERRCODE = '{REFUSED}';
      END IF;
      RETURN NEW;
    END $$"""),
    trigger("aesthetix_guard_integration", f"""
    DECLARE
      v_tz text;
      v_last date;
    BEGIN
      {CHECKED}
      IF NEW.expiry_days IS NOT NULL AND (NEW.expiry_days < 0 OR NEW.expiry_days > {INTEGRATION_MAX_DAYS}) THEN
        RAISE EXCEPTION 'refused: a token expires within {INTEGRATION_MAX_DAYS} days, not %', NEW.expiry_days
          USING ERRCODE = '{REFUSED}';
      END IF;
      IF NEW.expires_at IS NOT NULL
         AND (TG_OP = 'INSERT' OR NEW.expires_at IS DISTINCT FROM OLD.expires_at) THEN
        SELECT timezone INTO v_tz FROM account WHERE id = NEW.account_id;
        v_last := (now() AT TIME ZONE v_tz)::date + {INTEGRATION_MAX_DAYS};
        IF NEW.expires_at > ((v_last + 1)::timestamp AT TIME ZONE v_tz) THEN
          RAISE EXCEPTION 'refused: a token expires at the latest when % ends, not at %', v_last, NEW.expires_at
            USING ERRCODE = '{REFUSED}';
        END IF;
      END IF;
      RETURN NEW;
    END $$"""),
    # A request's grant is a grant of its own account (one answer whether another account's grant
    # exists or not), and its days fit the account's maximum.
    trigger("aesthetix_guard_request", f"""
    BEGIN
      IF NEW.grant_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.grant_id IS DISTINCT FROM OLD.grant_id)
         AND NOT EXISTS (SELECT 1 FROM support_grant g WHERE g.id = NEW.grant_id AND g.account_id = NEW.account_id)
      THEN
        RAISE EXCEPTION 'refused: a request''s grant must be a grant of the same account' USING ERRCODE = '{REFUSED}';
      END IF;
      IF (TG_OP = 'INSERT' OR NEW.days IS DISTINCT FROM OLD.days) AND (NEW.days < 1 OR NEW.days >
          (SELECT support_max_days FROM account WHERE id = NEW.account_id)) THEN
        RAISE EXCEPTION 'refused: a request asks for 1 day up to the account''s maximum, not %', NEW.days
          USING ERRCODE = '{REFUSED}';
      END IF;
      RETURN NEW;
    END $$"""),
    # An account's Support Access maximum stays within 1 to SUPPORT_MAX_DAYS (issue 25).
    trigger("aesthetix_guard_account", f"""
    BEGIN
      {CHECKED}
      IF NEW.support_max_days IS DISTINCT FROM OLD.support_max_days
         AND NOT NEW.support_max_days BETWEEN 1 AND {SUPPORT_MAX_DAYS} THEN
        RAISE EXCEPTION 'refused: Support Access may be enabled for 1 to {SUPPORT_MAX_DAYS} days at most, not %',
          NEW.support_max_days USING ERRCODE = '{REFUSED}';
      END IF;
      RETURN NEW;
    END $$"""),
    # A session's start is fixed, and its end is final once recorded.
    trigger("aesthetix_guard_session", f"""
    BEGIN
      {CHECKED}
      IF OLD.ended_at IS NOT NULL OR (NEW.account_id, NEW.grant_id, NEW.agent, NEW.started_at)
         IS DISTINCT FROM (OLD.account_id, OLD.grant_id, OLD.agent, OLD.started_at) THEN
        RAISE EXCEPTION 'refused: support session % has ended, or its start would change', OLD.id
          USING ERRCODE = '{REFUSED}';
      END IF;
      RETURN NEW;
    END $$"""),
    # End the backends of agents whose transaction holds locks on the app's tables (an owner waited
    # for them). Needs pg_signal_backend (granted to the schema owner by `roles setup`); without it,
    # none is ended and the owner's statement says the database was busy.
    f"""CREATE OR REPLACE FUNCTION aesthetix_end_agent_blockers() RETURNS integer LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
    DECLARE
      v_pid integer;
      v_ended integer := 0;
    BEGIN
      FOR v_pid IN SELECT DISTINCT l.pid FROM pg_catalog.pg_locks l
          JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'relation' AND l.pid <> pg_backend_pid()
            AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
            AND l.relation = ANY (ARRAY[{", ".join(f"'{t}'" for t in LOCKED_TABLES)}]::regclass[])
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks x WHERE x.pid = l.pid AND x.locktype = 'transactionid')
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                        WHERE m.member = a.usesysid AND g.rolname = 'aesthetix_support') LOOP
        BEGIN
          IF pg_catalog.pg_terminate_backend(v_pid, 1000) THEN
            v_ended := v_ended + 1;
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RETURN v_ended;
        END;
      END LOOP;
      RETURN v_ended;
    END $$""",
    # The writers' lock on an account and the rows an owner changes with it. Agents never take it:
    # an agent allowed to change the account (read-write) gets the row unlocked, others nothing.
    f"""CREATE OR REPLACE FUNCTION aesthetix_lock_account(p_account integer) RETURNS SETOF account
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
    DECLARE
      v_try integer := 0;
    BEGIN
      IF aesthetix_kind() = 'support' THEN
        -- an agent's change (read-write policy) locks only the rows it writes, never in advance
        IF NOT aesthetix_agent_writes(p_account) THEN
          RAISE EXCEPTION 'permission denied: % may not change account %', session_user, p_account
            USING ERRCODE = '42501';
        END IF;
        RETURN QUERY SELECT * FROM account WHERE id = p_account;
        RETURN;
      END IF;
      IF NOT aesthetix_may_act(p_account) THEN
        RETURN;
      END IF;
      LOOP
        BEGIN
          PERFORM pg_catalog.set_config('lock_timeout', '{LOCK_WAIT_MS}ms', true);
          PERFORM 1 FROM account WHERE id = p_account FOR UPDATE;
          PERFORM 1 FROM support_grant WHERE account_id = p_account AND revoked_at IS NULL FOR UPDATE;
          PERFORM 1 FROM support_session WHERE account_id = p_account AND ended_at IS NULL FOR UPDATE;
          PERFORM 1 FROM feature_setting WHERE account_id = p_account FOR UPDATE;
          PERFORM 1 FROM legacy_key WHERE account_id = p_account FOR UPDATE;
          EXIT;
        EXCEPTION WHEN lock_not_available THEN
          v_try := v_try + 1;
          IF v_try >= {LOCK_TRIES} THEN
            RAISE;
          END IF;
          PERFORM aesthetix_end_agent_blockers();  -- another owner's short write is simply waited for
        END;
      END LOOP;
      IF aesthetix_kind() = 'owner' THEN  -- sessions left open past their grant's end close at that end
        UPDATE support_session s SET ended_at = g.ends_at, end_reason = 'expired' FROM support_grant g
          WHERE g.id = s.grant_id AND s.account_id = p_account AND s.ended_at IS NULL
            AND g.revoked_at IS NULL AND g.ends_at <= now();
      END IF;
      RETURN QUERY SELECT * FROM account WHERE id = p_account;
    END $$""",
    # An agent starts a session only while the account's latest grant is open; its own earlier
    # open session there is closed first. The rows' triggers write the events (db/security.py).
    """CREATE OR REPLACE FUNCTION aesthetix_start_session(p_account integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DECLARE
      v_grant support_grant;
      v_id integer;
      v_old integer;
    BEGIN
      IF aesthetix_kind() <> 'support' THEN
        RAISE EXCEPTION 'permission denied: only support logins start support sessions' USING ERRCODE = '42501';
      END IF;
      SELECT * INTO v_grant FROM support_grant WHERE account_id = p_account
        ORDER BY id DESC LIMIT 1;  -- the latest: domain/support_grant.LATEST_FIRST
      IF v_grant.id IS NULL OR v_grant.revoked_at IS NOT NULL OR v_grant.ends_at <= now() THEN
        RAISE EXCEPTION 'permission denied: Support Access to account % is not active', p_account
          USING ERRCODE = '42501';
      END IF;
      FOR v_old IN SELECT s.id FROM support_session s WHERE s.account_id = p_account AND s.agent = session_user
          AND s.ended_at IS NULL ORDER BY s.id LOOP
        UPDATE support_session SET ended_at = now(), end_reason = 'closed' WHERE id = v_old;
      END LOOP;
      INSERT INTO support_session (account_id, grant_id, agent, started_at)
        VALUES (p_account, v_grant.id, session_user, now()) RETURNING id INTO v_id;
      RETURN v_id;
    END $$""",
    # An agent ends its own open session, also after its grant ended: then the reason is that end
    # (revoked, or expired at the grant's end). Returns the reason recorded, NULL if already over;
    # the row's trigger writes the event.
    """CREATE OR REPLACE FUNCTION aesthetix_end_session(p_session integer, p_reason text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DECLARE
      v_row support_session;
      v_grant support_grant;
      v_latest integer;
      v_reason text := 'closed';
      v_at timestamptz := now();
    BEGIN
      SELECT * INTO v_row FROM support_session WHERE id = p_session AND agent = session_user FOR UPDATE;
      IF v_row.id IS NULL OR aesthetix_kind() <> 'support' THEN
        RAISE EXCEPTION 'permission denied: % has no support session %', session_user, p_session
          USING ERRCODE = '42501';
      END IF;
      IF v_row.ended_at IS NOT NULL THEN
        RETURN NULL;
      END IF;
      SELECT * INTO v_grant FROM support_grant WHERE id = v_row.grant_id;
      SELECT id INTO v_latest FROM support_grant WHERE account_id = v_row.account_id
        ORDER BY id DESC LIMIT 1;  -- the latest: domain/support_grant.LATEST_FIRST
      IF v_grant.id IS NULL OR v_grant.ends_at <= now() THEN
        v_reason := 'expired';
        v_at := least(coalesce(v_grant.ends_at, now()), now());
      ELSIF v_grant.revoked_at IS NOT NULL OR v_latest IS DISTINCT FROM v_grant.id THEN
        v_reason := 'revoked';
      ELSIF p_reason IN ('closed', 'revoked', 'expired') THEN
        v_reason := p_reason;
      END IF;
      UPDATE support_session SET ended_at = v_at, end_reason = v_reason WHERE id = v_row.id;
      RETURN v_reason;
    END $$""",
] + [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTIONS + INTERNAL + ("aesthetix_lock_account(integer)",)]

GRANTS = [f"GRANT EXECUTE ON FUNCTION {f} TO aesthetix_support" for f in FUNCTIONS]


def exists(run, conn: Connection, table: str) -> bool:
    return run(conn, "SELECT to_regclass(%(t)s)", {"t": table}).fetchone()[0] is not None


def install(run, conn: Connection, schema: str) -> None:
    """The functions, and the triggers of the tables there are (an early migration has fewer)."""
    for statement in INSTALL:
        run(conn, statement.replace("{schema}", schema))
    retire(run, conn)
    for name, table, when, function, but in TRIGGERS:
        if exists(run, conn, table):
            run(conn, f"DROP TRIGGER IF EXISTS {name} ON {table}")
            run(conn, create_trigger(name, when, table, function, but))


def retire(run, conn: Connection) -> None:
    name, table, function = RETIRED
    if exists(run, conn, table):
        run(conn, f"DROP TRIGGER IF EXISTS {name} ON {table}")
    run(conn, f"DROP FUNCTION IF EXISTS {function}")


def uninstall(run, conn: Connection) -> None:
    retire(run, conn)
    for name, table, *_ in TRIGGERS:
        if exists(run, conn, table):
            run(conn, f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for function in FUNCTIONS + INTERNAL:
        run(conn, f"DROP FUNCTION IF EXISTS {function}")


def agent_settings(run, conn: Connection, login: str) -> None:
    """The database's timeouts for an agent login (login: a checked role name)."""
    for name, value in AGENT_SETTINGS.items():
        run(conn, f"ALTER ROLE {login} SET {name} = '{value}'")


def apply(run, conn: Connection) -> None:
    """The grants above, the schema owner's right to end agents' backends (when it may take it),
    and every agent login's timeouts."""
    for statement in GRANTS:
        run(conn, statement)
    run(conn, "DO $$ BEGIN EXECUTE 'GRANT pg_signal_backend TO ' || quote_ident(current_user); "
              "EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN NULL; END $$")
    agents = run(conn, """SELECT u.rolname FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE g.rolname = 'aesthetix_support' AND NOT u.rolsuper""").fetchall()
    for (login,) in agents:
        agent_settings(run, conn, f'"{login}"')

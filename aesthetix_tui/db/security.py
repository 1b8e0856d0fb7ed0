"""PostgreSQL's own rules: who acts, what each login may see and change, an append-only audit.

The shared database is where owners and support agents are different people, so the boundary
is PostgreSQL itself, not the client:

- `install` (migration 0006): the functions and triggers. Audit events are appended only by
  `aesthetix_audit_append`, a SECURITY DEFINER function that takes the account's row lock,
  records `session_user` as the actor and its kind from its group role, and computes the hash;
  a trigger refuses any audit row whose actor is not the login.
- `apply` (`roles setup`, and every migration once the roles exist): the group roles'
  privileges and the row-level security policies. They are dropped and created again, so
  running it twice gives the same result.

A SQLite file has none of this: its boundary is the file mode and the operating-system login.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

from aesthetix_tui.db import guards

OWNER_ROLE = "aesthetix_owner"
SUPPORT_ROLE = "aesthetix_support"
GROUP_ROLES = (OWNER_ROLE, SUPPORT_ROLE)

# Every table row-level security covers; alembic_version is only read.
TABLES = ("account", "account_owner", "support_grant", "integration", "legacy_key", "feature_setting",
          "audit_event", "support_session", "support_request")

FUNCTIONS = ("aesthetix_kind()", "aesthetix_owns(integer)", "aesthetix_support_open(integer)",
             "aesthetix_agent_writes(integer)", "aesthetix_may_act(integer)",
             "aesthetix_lock_account(integer)",
             "aesthetix_audit_append(integer, timestamptz, text, text, text, text)")
# Access requests (domain/support_requests.py): for support logins only. An agent asks for an
# account it cannot see (its access is off), so these SECURITY DEFINER functions do for it the
# few things that needs, and nothing else: find the account's id by exact name or id, record the
# request (agent = the login) with its audit events, and show the login its own requests with
# their accounts' names. No policy lets an agent read an account, or insert a request directly.
REQUEST_FUNCTIONS = ("aesthetix_request_target(text, bigint)",
                     "aesthetix_request_access(integer, text, text, integer, timestamptz, timestamptz)",
                     "aesthetix_my_requests()")
# Called only from the functions above (run as their owner): EXECUTE is granted to no role.
INTERNAL_FUNCTIONS = ("aesthetix_audit_write(integer, timestamptz, text, text, text, text)",)

MEMBER_OF = """EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
    JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
    WHERE u.rolname = session_user AND g.rolname = '{role}')"""

INSTALL = [
    # The kind of the login: from its group role (direct membership), never from the client.
    f"""CREATE OR REPLACE FUNCTION aesthetix_kind() RETURNS text LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp AS $$
      SELECT CASE WHEN {MEMBER_OF.format(role=SUPPORT_ROLE)} THEN 'support'
                  WHEN {MEMBER_OF.format(role=OWNER_ROLE)} THEN 'owner'
                  ELSE 'system' END $$""",
    """CREATE OR REPLACE FUNCTION aesthetix_owns(p_account integer) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT EXISTS (SELECT 1 FROM account_owner WHERE account_id = p_account AND login = session_user) $$""",
    # Active at the server's clock: not revoked, before its end.
    """CREATE OR REPLACE FUNCTION aesthetix_support_open(p_account integer) RETURNS boolean LANGUAGE sql
    STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT (aesthetix_kind() <> 'owner' OR aesthetix_owns(p_account))  -- an owner asks of its own only
             AND EXISTS (SELECT 1 FROM support_grant g WHERE g.account_id = p_account
                         AND g.revoked_at IS NULL AND g.ends_at > now()) $$""",
    """CREATE OR REPLACE FUNCTION aesthetix_agent_writes(p_account integer) RETURNS boolean LANGUAGE sql
    STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT aesthetix_support_open(p_account)
             AND EXISTS (SELECT 1 FROM account WHERE id = p_account AND agent_policy = 'read-write') $$""",
    # May this login write to the account (append to its trail)? An agent only while the grant
    # is open, whatever its session rows say (it ends its session through aesthetix_end_session).
    """CREATE OR REPLACE FUNCTION aesthetix_may_act(p_account integer) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT CASE aesthetix_kind()
        WHEN 'owner' THEN aesthetix_owns(p_account)
        WHEN 'support' THEN aesthetix_support_open(p_account)
        ELSE true END $$""",
    # aesthetix_lock_account, the writers' lock: db/guards.py.
    # The one way to append: serialized per account by its row lock; the actor is the login.
    """CREATE OR REPLACE FUNCTION aesthetix_audit_append(p_account integer, p_at timestamptz, p_action text,
        p_target text, p_details text, p_label text)
    RETURNS TABLE (seq integer, hash text, actor text, actor_kind text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    BEGIN
      IF NOT aesthetix_may_act(p_account) THEN
        RAISE EXCEPTION 'permission denied: % may not write to account %', session_user, p_account
          USING ERRCODE = '42501';
      END IF;
      IF aesthetix_kind() = 'support' AND p_action NOT LIKE 'support\\_session.%'
         AND NOT (aesthetix_agent_writes(p_account) AND p_action IN ('feature.enabled',
                  'feature.disabled', 'legacy_key.disabled', 'legacy_key.enabled')) THEN
        RAISE EXCEPTION 'permission denied: support logins may not record %', p_action USING ERRCODE = '42501';
      END IF;
      RETURN QUERY SELECT w.seq, w.hash, w.actor, w.actor_kind
        FROM aesthetix_audit_write(p_account, p_at, p_action, p_target, p_details, p_label) w;
    END $$""",
    # The append itself, with no check: only the SECURITY DEFINER functions here call it.
    """CREATE OR REPLACE FUNCTION aesthetix_audit_write(p_account integer, p_at timestamptz, p_action text,
        p_target text, p_details text, p_label text)
    RETURNS TABLE (seq integer, hash text, actor text, actor_kind text)
    LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
    #variable_conflict use_column
    DECLARE
      v_kind text := aesthetix_kind();
      v_seq integer;
      v_prev text;
      v_hash text;
      v_payload text;
    BEGIN
      SELECT a.audit_seq + 1, coalesce(nullif(a.audit_head, ''), repeat('0', 64)) INTO v_seq, v_prev
        FROM account a WHERE a.id = p_account FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no account %', p_account USING ERRCODE = 'P0002';
      END IF;
      v_payload := v_prev || chr(31) || v_seq::text || chr(31)
        || to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || chr(31)
        || session_user::text || chr(31) || v_kind || chr(31) || p_action || chr(31) || p_target
        || chr(31) || p_details;
      IF p_label IS NOT NULL THEN
        v_payload := v_payload || chr(31) || p_label;
      END IF;
      v_hash := encode(sha256(convert_to(v_payload, 'UTF8')), 'hex');
      INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, actor_label, action, target,
                               details, prev_hash, hash)
        VALUES (p_account, v_seq, p_at, session_user, v_kind, p_label, p_action, p_target, p_details,
                v_prev, v_hash);
      UPDATE account SET audit_seq = v_seq, audit_head = v_hash WHERE id = p_account;
      RETURN QUERY SELECT v_seq, v_hash, session_user::text, v_kind;
    END $$""",
    # An agent names the account it asks for by its exact name (db/account_ref.py parses the text),
    # whether or not the agent may see it: it learns whether that name exists, and no id is looked up.
    """CREATE OR REPLACE FUNCTION aesthetix_request_target(p_name text, p_id bigint) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT id FROM account WHERE name = p_name $$""",
    # Record the login's request (domain/support_requests.make validated it first): under the
    # account's row lock, requests pending since p_due expire, the login's own pending one is
    # replaced, and each change gets its audit event. Days beyond the account's maximum: 22023,
    # its DETAIL the maximum.
    """CREATE OR REPLACE FUNCTION aesthetix_request_access(p_account integer, p_ticket text, p_reason text,
        p_days integer, p_at timestamptz, p_due timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DECLARE
      v_max integer;
      v_id integer;
      v_old record;
    BEGIN
      IF aesthetix_kind() = 'owner' THEN
        RAISE EXCEPTION 'permission denied: owners do not ask for access' USING ERRCODE = '42501';
      END IF;
      SELECT support_max_days INTO v_max FROM account WHERE id = p_account FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no account %', p_account USING ERRCODE = 'P0002';
      END IF;
      IF p_days IS NULL OR p_days < 1 OR p_days > v_max THEN
        RAISE EXCEPTION 'days out of range' USING ERRCODE = '22023', DETAIL = v_max::text;
      END IF;
      IF btrim(coalesce(p_ticket, '')) = '' OR btrim(coalesce(p_reason, '')) = ''
         OR p_ticket ~ '[[:cntrl:]]' OR p_reason ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'a ticket and a reason on one line are needed' USING ERRCODE = '22023';
      END IF;
      FOR v_old IN SELECT r.id, r.agent, r.created_at FROM support_request r
          WHERE r.account_id = p_account AND r.state = 'pending' AND r.created_at <= p_due ORDER BY r.id LOOP
        UPDATE support_request SET state = 'expired' WHERE id = v_old.id;
        PERFORM aesthetix_audit_write(p_account, p_at, 'support_request.expired', 'support_request:' || v_old.id,
          jsonb_build_object('request_id', v_old.id, 'agent', v_old.agent)::text, NULL);
      END LOOP;
      INSERT INTO support_request (account_id, agent, ticket, reason, days, created_at, state)
        VALUES (p_account, session_user, p_ticket, p_reason, p_days, p_at, 'pending') RETURNING id INTO v_id;
      PERFORM aesthetix_audit_write(p_account, p_at, 'support_request.created', 'support_request:' || v_id,
        jsonb_build_object('request_id', v_id, 'agent', session_user::text, 'ticket', p_ticket,
                           'reason', p_reason, 'days', p_days)::text, NULL);
      FOR v_old IN SELECT r.id FROM support_request r WHERE r.account_id = p_account
          AND r.agent = session_user AND r.state = 'pending' AND r.id <> v_id ORDER BY r.id LOOP
        UPDATE support_request SET state = 'replaced', replaced_by = v_id WHERE id = v_old.id;
        PERFORM aesthetix_audit_write(p_account, p_at, 'support_request.replaced', 'support_request:' || v_old.id,
          jsonb_build_object('request_id', v_old.id, 'replaced_by', v_id)::text, NULL);
      END LOOP;
      RETURN v_id;
    END $$""",
    # The login's own requests, with what it may know of their accounts even when it cannot
    # see them: the name, the timezone, and an approved request's last day.
    """CREATE OR REPLACE FUNCTION aesthetix_my_requests()
    RETURNS TABLE (request_id integer, account_name text, timezone text, approved_until date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    BEGIN
      RETURN QUERY SELECT r.id, a.name::text, a.timezone::text, g.until_date
        FROM support_request r JOIN account a ON a.id = r.account_id
        LEFT JOIN support_grant g ON g.id = r.grant_id AND g.account_id = r.account_id
        WHERE r.agent = session_user;
    END $$""",
    """CREATE OR REPLACE FUNCTION aesthetix_audit_actor_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.actor IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION 'an audit event''s actor must be the database login %, not %', session_user, NEW.actor
          USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION aesthetix_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the audit trail is append-only: % is refused', TG_OP USING ERRCODE = '42501';
    END $$""",
    "DROP TRIGGER IF EXISTS audit_event_actor_is_login ON audit_event",
    """CREATE TRIGGER audit_event_actor_is_login BEFORE INSERT ON audit_event
       FOR EACH ROW EXECUTE FUNCTION aesthetix_audit_actor_is_login()""",
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION aesthetix_audit_append_only()""",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION aesthetix_audit_append_only()""",
] + [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTIONS + REQUEST_FUNCTIONS + INTERNAL_FUNCTIONS]

# -- Roles stay recoverable (issue 22, item 7) ----------------------------------------------
# The schema owner, a superuser, a login that bypasses row-level security, or a support agent
# never owns an account: the schema owner would lock itself out of the accounts it administers
# (aesthetix_kind() would call it an owner), and nothing limits the others. `roles add-owner`
# checks this first (domain/roles.py); this trigger holds it for a direct INSERT by the schema
# owner in psql too. Removing a row is always allowed.
ROLE_GUARD = [
    """CREATE OR REPLACE FUNCTION aesthetix_owner_login_check() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
    DECLARE v_role record;
    BEGIN
      SELECT r.rolsuper, r.rolbypassrls INTO v_role FROM pg_roles r WHERE r.rolname = NEW.login;
      IF NEW.login = (SELECT t.tableowner FROM pg_tables t WHERE t.schemaname = TG_TABLE_SCHEMA
                      AND t.tablename = 'account') THEN
        RAISE EXCEPTION '% is the schema owner, which administers every account; it owns none', NEW.login
          USING ERRCODE = '42501';
      END IF;
      IF v_role.rolsuper OR v_role.rolbypassrls THEN
        RAISE EXCEPTION '% is a superuser or bypasses row-level security; it owns no account', NEW.login
          USING ERRCODE = '42501';
      END IF;
      IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles u ON u.oid = m.member
                 WHERE u.rolname = NEW.login AND g.rolname = 'aesthetix_support') THEN
        RAISE EXCEPTION '% is a support agent; a login is either an owner or an agent', NEW.login
          USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS account_owner_login_check ON account_owner",
    """CREATE TRIGGER account_owner_login_check BEFORE INSERT OR UPDATE ON account_owner
       FOR EACH ROW EXECUTE FUNCTION aesthetix_owner_login_check()""",
    "REVOKE ALL ON FUNCTION aesthetix_owner_login_check() FROM PUBLIC",
]


# -- The witness's database identity (issue 22, item 8) ------------------------------------------
# Every login may read the database's own id (witness_check.identity, when pg_control_system()
# is not granted to it). No row-level security: it says nothing about any account.
IDENTITY_GRANTS = ["GRANT SELECT ON database_identity TO aesthetix_owner, aesthetix_support"]


def schema_owner(conn: Connection) -> str:
    """The login that owns the tables (ran the first open and the migrations)."""
    return run(conn, "SELECT tableowner FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                     "AND tablename = 'account'").fetchone()[0]


# --- Issue 23: policies evaluated once per statement -------------------------------------------
# A policy calling aesthetix_owns(id) runs it once per row, so every read scanned every account.
# Instead each policy compares the row's account with the login's visible accounts, an array
# computed once per statement (an InitPlan) and matched through the account_id indexes. The
# policies below are written with aesthetix_owns(col) / aesthetix_support_open(col) for clarity;
# `per_statement` rewrites them when they are created. The two functions here must say exactly
# what those two say, for a whole set of accounts (tests/db/test_policy_cost.py checks it).
VISIBLE_FUNCTIONS = ("aesthetix_owned_accounts()", "aesthetix_support_accounts()")
VISIBLE_INSTALL = [
    # The accounts this login owns.
    """CREATE OR REPLACE FUNCTION aesthetix_owned_accounts() RETURNS integer[] LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT ARRAY(SELECT account_id FROM account_owner WHERE login = session_user) $$""",
    # The accounts with an open grant: aesthetix_support_open's rule, for all of them at once
    # (not revoked, before its end at the server's clock; an owner asks of its own accounts only).
    """CREATE OR REPLACE FUNCTION aesthetix_support_accounts() RETURNS integer[] LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT ARRAY(SELECT DISTINCT g.account_id FROM support_grant g
                   WHERE g.revoked_at IS NULL AND g.ends_at > now()
                     AND ((SELECT aesthetix_kind()) <> 'owner'
                          OR g.account_id = ANY ((SELECT aesthetix_owned_accounts())::integer[]))) $$""",
] + [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in VISIBLE_FUNCTIONS]
VISIBLE_GRANTS = [f"GRANT EXECUTE ON FUNCTION {f} TO aesthetix_owner, aesthetix_support" for f in VISIBLE_FUNCTIONS]
PER_ROW = re.compile(r"\b(aesthetix_owns|aesthetix_support_open)\((\w+)\)")
VISIBLE_SET = {"aesthetix_owns": "aesthetix_owned_accounts", "aesthetix_support_open": "aesthetix_support_accounts"}


def per_statement(expression: str) -> str:
    """`aesthetix_owns(col)` becomes `col = ANY ((SELECT aesthetix_owned_accounts())::integer[])`: the same
    rule (a NULL column passes neither), with the set computed once per statement."""
    return PER_ROW.sub(lambda m: f"{m[2]} = ANY ((SELECT {VISIBLE_SET[m[1]]}())::integer[])", expression)


INSTALL += VISIBLE_INSTALL
# --- end of issue 23's block ---------------------------------------------------------------------

# Columns an agent never reads: the hashes of tokens and keys.
SUPPORT_INTEGRATION_COLUMNS = ("id, account_id, name, description, scopes, token_hint, old_token_hint, "
                               "old_expires_at, created_at, created_by, last_used_at, expires_at, expiry_days, "
                               "revoked_at, revoked_by, version, updated_at, updated_by")
SUPPORT_LEGACY_KEY_COLUMNS = "account_id, hint, created_at, created_by, disabled, version, updated_at, updated_by"

GRANTS = [
    "GRANT USAGE ON SCHEMA {schema} TO aesthetix_owner, aesthetix_support",
    "GRANT SELECT ON alembic_version TO aesthetix_owner, aesthetix_support",
    # Owners: their accounts' settings, grants, integrations, key and features; never the trail's
    # rows (appended by the function) nor an account's audit head.
    "GRANT SELECT ON account, account_owner, support_grant, integration, legacy_key, feature_setting, "
    "audit_event, support_session TO aesthetix_owner",
    "GRANT UPDATE (settings_version, settings_updated_at, settings_updated_by, agent_policy, stale_unused_days, "
    "stale_new_days) ON account TO aesthetix_owner",
    "GRANT INSERT, UPDATE ON support_grant, integration, legacy_key, feature_setting TO aesthetix_owner",
    "GRANT UPDATE (ended_at, end_reason) ON support_session TO aesthetix_owner",
    "GRANT USAGE ON SEQUENCE support_grant_id_seq, integration_id_seq TO aesthetix_owner",
    # Agents: what an active grant shows, minus every hash; their own sessions.
    "GRANT SELECT ON account, support_grant, feature_setting TO aesthetix_support",
    f"GRANT SELECT ({SUPPORT_INTEGRATION_COLUMNS}) ON integration TO aesthetix_support",
    f"GRANT SELECT ({SUPPORT_LEGACY_KEY_COLUMNS}) ON legacy_key TO aesthetix_support",
    # (sessions start and end through db/guards.py's functions only)
    "GRANT SELECT ON support_session TO aesthetix_support",
    # Under an owner's read-write agent policy only (the policies below check it).
    "GRANT UPDATE (settings_version, settings_updated_at, settings_updated_by) ON account TO aesthetix_support",
    "GRANT INSERT, UPDATE (enabled, updated_at, updated_by) ON feature_setting TO aesthetix_support",
    "GRANT UPDATE (disabled, version, updated_at, updated_by) ON legacy_key TO aesthetix_support",
    # Access requests: owners read and answer their accounts' (or see them expire); agents read
    # their own, and make them only through aesthetix_request_access.
    "GRANT SELECT, UPDATE (state, answered_at, answered_by, note, grant_id) ON support_request TO aesthetix_owner",
    "GRANT SELECT ON support_request TO aesthetix_support",
] + [f"GRANT EXECUTE ON FUNCTION {f} TO aesthetix_owner, aesthetix_support" for f in FUNCTIONS] + [
    f"GRANT EXECUTE ON FUNCTION {f} TO aesthetix_support" for f in REQUEST_FUNCTIONS]
GRANTS += VISIBLE_GRANTS  # issue 23

# (table, policy, command, role, USING, WITH CHECK)
POLICIES = [
    ("account", "owner_own", "ALL", OWNER_ROLE, "aesthetix_owns(id)", "aesthetix_owns(id)"),
    ("account", "support_active", "SELECT", SUPPORT_ROLE, "aesthetix_support_open(id)", None),
    # USING lets the update reach the rows an agent sees; WITH CHECK then refuses it (an error,
    # not a silent "UPDATE 0") unless the owner made the account's agent policy read-write.
    ("account", "support_writes", "UPDATE", SUPPORT_ROLE, "aesthetix_support_open(id)",
     "aesthetix_agent_writes(id)"),
    ("account_owner", "owner_own", "SELECT", OWNER_ROLE, "login = session_user", None),
    ("audit_event", "owner_own", "SELECT", OWNER_ROLE, "aesthetix_owns(account_id)", None),
    ("support_session", "owner_own", "ALL", OWNER_ROLE, "aesthetix_owns(account_id)",
     "aesthetix_owns(account_id)"),
    ("support_session", "support_read_own", "SELECT", SUPPORT_ROLE, "agent = session_user", None),
    ("support_request", "owner_read", "SELECT", OWNER_ROLE, "aesthetix_owns(account_id)", None),
    ("support_request", "owner_answer", "UPDATE", OWNER_ROLE, "aesthetix_owns(account_id)",
     "aesthetix_owns(account_id)"),
    ("support_request", "support_read_own", "SELECT", SUPPORT_ROLE, "agent = session_user", None),
] + [
    policy for table in ("support_grant", "integration", "legacy_key", "feature_setting") for policy in (
        (table, "owner_own", "ALL", OWNER_ROLE, "aesthetix_owns(account_id)", "aesthetix_owns(account_id)"),
        (table, "support_active", "SELECT", SUPPORT_ROLE, "aesthetix_support_open(account_id)", None),
    )
] + [
    (table, "support_writes", "UPDATE", SUPPORT_ROLE, "aesthetix_support_open(account_id)",
     "aesthetix_agent_writes(account_id)")
    for table in ("legacy_key", "feature_setting")
] + [
    ("feature_setting", "support_inserts", "INSERT", SUPPORT_ROLE, None, "aesthetix_agent_writes(account_id)"),
]


def run(conn: Connection, statement: str, params: dict | None = None):
    """Through the driver itself: a statement without parameters keeps its `%` as written."""
    cursor = conn.connection.dbapi_connection.cursor()
    cursor.execute(statement, params)
    return cursor


def schema_of(conn: Connection) -> str:
    return run(conn, "SELECT quote_ident(current_schema())").fetchone()[0]


def install(conn: Connection) -> None:
    """The functions and triggers (a migration's step; needs no role to exist)."""
    schema = schema_of(conn)
    guards.install(run, conn, schema)  # first: it defines aesthetix_lock_account
    for statement in INSTALL + ROLE_GUARD:
        run(conn, statement.replace("{schema}", schema))


def uninstall(conn: Connection) -> None:
    run(conn, "DROP TRIGGER IF EXISTS account_owner_login_check ON account_owner")
    run(conn, "DROP FUNCTION IF EXISTS aesthetix_owner_login_check()")
    guards.uninstall(run, conn)
    for trigger in ("audit_event_actor_is_login", "audit_event_no_update", "audit_event_no_truncate"):
        run(conn, f"DROP TRIGGER IF EXISTS {trigger} ON audit_event")
    for table in TABLES:
        if run(conn, "SELECT to_regclass(%(t)s)", {"t": table}).fetchone()[0] is None:
            continue  # a later migration's table, already dropped
        run(conn, f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for policy in {p[1] for p in POLICIES if p[0] == table}:
            run(conn, f"DROP POLICY IF EXISTS {policy} ON {table}")
    for function in FUNCTIONS + REQUEST_FUNCTIONS + INTERNAL_FUNCTIONS + VISIBLE_FUNCTIONS + (
            "aesthetix_audit_actor_is_login()", "aesthetix_audit_append_only()"):
        run(conn, f"DROP FUNCTION IF EXISTS {function}")


def roles_exist(conn: Connection) -> bool:
    found = run(conn, "SELECT count(*) FROM pg_catalog.pg_roles "
                      "WHERE rolname IN ('aesthetix_owner', 'aesthetix_support')").fetchone()[0]
    return found == len(GROUP_ROLES)


def create_roles(conn: Connection) -> None:
    for role in GROUP_ROLES:
        run(conn, f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '{role}') "
                  f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$")


def apply(conn: Connection) -> None:
    """Every grant and policy, from nothing: the same result however often it runs."""
    schema = schema_of(conn)
    for table in TABLES:
        run(conn, f"REVOKE ALL ON {table} FROM aesthetix_owner, aesthetix_support")
    run(conn, f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM aesthetix_owner, aesthetix_support")
    # No one but the schema owner may rewrite the trail, whatever a past setup granted.
    run(conn, "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC")
    for statement in GRANTS:
        run(conn, statement.replace("{schema}", schema))
    if run(conn, "SELECT to_regclass('database_identity')").fetchone()[0] is not None:
        run(conn, "REVOKE ALL ON database_identity FROM aesthetix_owner, aesthetix_support")
        for statement in IDENTITY_GRANTS:
            run(conn, statement)
    for table in TABLES:
        run(conn, f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        existing = run(conn, "SELECT policyname FROM pg_catalog.pg_policies "
                       "WHERE tablename = %(t)s AND schemaname = current_schema()", {"t": table}).fetchall()
        for (name,) in existing:
            run(conn, f"DROP POLICY {name} ON {table}")
    for table, name, command, role, using, check in POLICIES:
        statement = f"CREATE POLICY {name} ON {table} FOR {command} TO {role}"
        if using:
            statement += f" USING ({per_statement(using)})"
        if check:
            statement += f" WITH CHECK ({per_statement(check)})"
        run(conn, statement)
    guards.apply(run, conn)

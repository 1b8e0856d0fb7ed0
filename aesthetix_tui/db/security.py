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

from sqlalchemy import Connection

OWNER_ROLE = "aesthetix_owner"
SUPPORT_ROLE = "aesthetix_support"
GROUP_ROLES = (OWNER_ROLE, SUPPORT_ROLE)

# Every table row-level security covers; alembic_version is only read.
TABLES = ("account", "account_owner", "support_grant", "integration", "legacy_key", "feature_setting",
          "audit_event", "support_session")

FUNCTIONS = ("aesthetix_kind()", "aesthetix_owns(integer)", "aesthetix_support_open(integer)",
             "aesthetix_agent_writes(integer)", "aesthetix_may_act(integer)",
             "aesthetix_lock_account(integer)",
             "aesthetix_audit_append(integer, timestamptz, text, text, text, text)")

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
      SELECT EXISTS (SELECT 1 FROM support_grant g WHERE g.account_id = p_account
                     AND g.revoked_at IS NULL AND g.ends_at > now()) $$""",
    """CREATE OR REPLACE FUNCTION aesthetix_agent_writes(p_account integer) RETURNS boolean LANGUAGE sql
    STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT aesthetix_support_open(p_account)
             AND EXISTS (SELECT 1 FROM account WHERE id = p_account AND agent_policy = 'read-write') $$""",
    # May this login write to the account (lock it, append to its trail)? An agent also may
    # while its own session there is still open, to record that session's end.
    """CREATE OR REPLACE FUNCTION aesthetix_may_act(p_account integer) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
      SELECT CASE aesthetix_kind()
        WHEN 'owner' THEN aesthetix_owns(p_account)
        WHEN 'support' THEN aesthetix_support_open(p_account)
             OR EXISTS (SELECT 1 FROM support_session s WHERE s.account_id = p_account
                        AND s.agent = session_user AND s.ended_at IS NULL)
        ELSE true END $$""",
    # The writers' lock on an account row, for logins that may act there (and no others).
    """CREATE OR REPLACE FUNCTION aesthetix_lock_account(p_account integer) RETURNS SETOF account
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    BEGIN
      IF aesthetix_may_act(p_account) THEN
        RETURN QUERY SELECT * FROM account WHERE id = p_account FOR UPDATE;
      END IF;
    END $$""",
    # The one way to append: serialized per account by its row lock; the actor is the login.
    """CREATE OR REPLACE FUNCTION aesthetix_audit_append(p_account integer, p_at timestamptz, p_action text,
        p_target text, p_details text, p_label text)
    RETURNS TABLE (seq integer, hash text, actor text, actor_kind text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    #variable_conflict use_column
    DECLARE
      v_kind text := aesthetix_kind();
      v_seq integer;
      v_prev text;
      v_hash text;
      v_payload text;
    BEGIN
      IF NOT aesthetix_may_act(p_account) THEN
        RAISE EXCEPTION 'permission denied: % may not write to account %', session_user, p_account
          USING ERRCODE = '42501';
      END IF;
      IF v_kind = 'support' AND p_action NOT LIKE 'support\\_session.%'
         AND NOT (aesthetix_agent_writes(p_account) AND p_action IN ('feature.enabled',
                  'feature.disabled', 'legacy_key.disabled', 'legacy_key.enabled')) THEN
        RAISE EXCEPTION 'permission denied: support logins may not record %', p_action USING ERRCODE = '42501';
      END IF;
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
] + [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTIONS]

# Columns an agent never reads: the hashes of tokens and keys.
SUPPORT_INTEGRATION_COLUMNS = ("id, account_id, name, description, scopes, token_hint, old_token_hint, "
                               "old_expires_at, created_at, created_by, last_used_at, expires_at, expiry_days, revoked_at, revoked_by, "
                               "version, updated_at, updated_by")
SUPPORT_LEGACY_KEY_COLUMNS = "account_id, hint, created_at, created_by, disabled, version, updated_at, updated_by"

GRANTS = [
    "GRANT USAGE ON SCHEMA {schema} TO aesthetix_owner, aesthetix_support",
    "GRANT SELECT ON alembic_version TO aesthetix_owner, aesthetix_support",
    # Owners: their accounts' settings, grants, integrations, key and features; never the trail's
    # rows (appended by the function) nor an account's audit head.
    "GRANT SELECT ON account, account_owner, support_grant, integration, legacy_key, feature_setting, "
    "audit_event, support_session TO aesthetix_owner",
    "GRANT UPDATE (settings_version, settings_updated_at, settings_updated_by, agent_policy) ON account "
    "TO aesthetix_owner",
    "GRANT INSERT, UPDATE ON support_grant, integration, legacy_key, feature_setting TO aesthetix_owner",
    "GRANT UPDATE (ended_at, end_reason) ON support_session TO aesthetix_owner",
    "GRANT USAGE ON SEQUENCE support_grant_id_seq, integration_id_seq TO aesthetix_owner",
    # Agents: what an active grant shows, minus every hash; their own sessions.
    "GRANT SELECT ON account, support_grant, feature_setting TO aesthetix_support",
    f"GRANT SELECT ({SUPPORT_INTEGRATION_COLUMNS}) ON integration TO aesthetix_support",
    f"GRANT SELECT ({SUPPORT_LEGACY_KEY_COLUMNS}) ON legacy_key TO aesthetix_support",
    "GRANT SELECT, INSERT ON support_session TO aesthetix_support",
    "GRANT UPDATE (ended_at, end_reason) ON support_session TO aesthetix_support",
    "GRANT USAGE ON SEQUENCE support_session_id_seq TO aesthetix_support",
    # Under an owner's read-write agent policy only (the policies below check it).
    "GRANT UPDATE (settings_version, settings_updated_at, settings_updated_by) ON account TO aesthetix_support",
    "GRANT INSERT, UPDATE (enabled, updated_at, updated_by) ON feature_setting TO aesthetix_support",
    "GRANT UPDATE (disabled, version, updated_at, updated_by) ON legacy_key TO aesthetix_support",
] + [f"GRANT EXECUTE ON FUNCTION {f} TO aesthetix_owner, aesthetix_support" for f in FUNCTIONS]

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
    ("support_session", "support_start", "INSERT", SUPPORT_ROLE, None,
     "agent = session_user AND aesthetix_support_open(account_id)"),
    ("support_session", "support_end_own", "UPDATE", SUPPORT_ROLE, "agent = session_user AND ended_at IS NULL",
     "agent = session_user"),
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
    for statement in INSTALL:
        run(conn, statement.replace("{schema}", schema))


def uninstall(conn: Connection) -> None:
    for trigger in ("audit_event_actor_is_login", "audit_event_no_update", "audit_event_no_truncate"):
        run(conn, f"DROP TRIGGER IF EXISTS {trigger} ON audit_event")
    for table in TABLES:
        run(conn, f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for policy in {p[1] for p in POLICIES if p[0] == table}:
            run(conn, f"DROP POLICY IF EXISTS {policy} ON {table}")
    for function in FUNCTIONS + ("aesthetix_audit_actor_is_login()", "aesthetix_audit_append_only()"):
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
    for table in TABLES:
        run(conn, f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        existing = run(conn, "SELECT policyname FROM pg_catalog.pg_policies "
                       "WHERE tablename = %(t)s AND schemaname = current_schema()", {"t": table}).fetchall()
        for (name,) in existing:
            run(conn, f"DROP POLICY {name} ON {table}")
    for table, name, command, role, using, check in POLICIES:
        statement = f"CREATE POLICY {name} ON {table} FOR {command} TO {role}"
        if using:
            statement += f" USING ({using})"
        if check:
            statement += f" WITH CHECK ({check})"
        run(conn, statement)

"""PostgreSQL's own rules: who acts, what each login may see and change, an append-only audit.

The shared database is where owners and support agents are different people, so the boundary
is PostgreSQL itself, not the client:

- `install` (migrations 0006, 0007, 0010, 0011): the functions and triggers. The database writes the
  audit trail itself: each row change on the audited tables appends its event from a trigger
  (`aesthetix_audit_write`, which takes the account's row lock, records `session_user` as the
  actor and its kind from its group role, the server's now() as the time, and computes the
  hash); no login chooses an event's action, time, target or details. The recorded times of
  those tables are the server's too. A trigger refuses any audit row whose actor is not the login.
- `apply` (`roles setup`, and every migration once the roles exist): the group roles'
  privileges and the row-level security policies. They are dropped and created again, so
  running it twice gives the same result.

A SQLite file has none of this: its boundary is the file mode and the operating-system login.
"""

from __future__ import annotations

import json
import re
from importlib import resources

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
             "aesthetix_lock_account(integer)")
# Access requests (domain/support_requests.py): for support logins only. An agent asks for an
# account it cannot see (its access is off), so these SECURITY DEFINER functions do for it the
# few things that needs, and nothing else: record the request (agent = the login) for the account
# of that exact name, and show the login its own requests with their accounts' names. No policy
# lets an agent read an account, or insert a request directly.
REQUEST_FUNCTIONS = ("aesthetix_request_access(text, text, text, integer)", "aesthetix_my_requests()",
                     "aesthetix_record_view(integer, text)")
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
]

# -- The server's clock and the audit trail written by the database (issue 22) -----------------
#
# Every time these tables record is the server's: a BEFORE trigger sets each recorded time that
# a write sets or changes to now(), whatever the client sent. Every row change writes its audit
# event in the same transaction, whoever made it (`psql` included): an AFTER trigger builds the
# details from the old and new rows and appends through aesthetix_audit_write, at now(), with
# session_user as the actor. A table's triggers of one timing fire in name order: "a_clock_*"
# before any other BEFORE trigger, "z_audit_*" after any other AFTER trigger.

# table: its recorded times
SERVER_TIMES = {
    "account": ("created_at", "settings_updated_at"),
    "support_grant": ("enabled_at", "revoked_at", "updated_at"),
    # (last_used_at: a token's use, on the server's clock too, by a trigger of its own below)
    "integration": ("created_at", "revoked_at", "updated_at"),
    "legacy_key": ("created_at", "updated_at"),
    "feature_setting": ("updated_at",),
    "support_request": ("created_at", "answered_at"),
    "support_session": ("started_at", "ended_at"),
}
# table: the row events that write its audit event (account: its settings only)
AUDITED = {
    "account": "INSERT OR UPDATE OF agent_policy, stale_unused_days, stale_new_days, support_max_days",
    "account_owner": "INSERT OR DELETE",
    "support_grant": "INSERT OR UPDATE OR DELETE",
    "integration": "INSERT OR DELETE",  # and its updates but a use's: AUDITED_UPDATES
    "legacy_key": "INSERT OR UPDATE OR DELETE",
    "feature_setting": "INSERT OR UPDATE OR DELETE",
    "support_request": "INSERT OR UPDATE OR DELETE",
    "support_session": "INSERT OR UPDATE OR DELETE",
}
# Tables whose updates are audited by a trigger of their own, which an update of that column
# alone (a use's: last_used_at) does not run (guards.create_trigger's BUT).
AUDITED_UPDATES = {"integration": guards.USE}
# What is not a row change: the screens an agent's view of may be recorded (ui/console/screens.py).
VIEWED_SCREENS = ("support_access", "integrations", "features", "legacy_key")
# Never in an event's details, not even as a change.
SECRET_COLUMNS = "'token_hash', 'old_token_hash', 'key_hash'"
BOOKKEEPING = "'version', 'updated_at', 'updated_by'"


def feature_names() -> str:
    """The deprecated features' names as a JSON object for SQL (the catalogue shipped with the
    package), so an event names the feature as the app does."""
    rows = json.loads(resources.files("aesthetix_tui").joinpath("domain", "data", "features.json").read_text())
    return json.dumps({row["key"]: row["name"] for row in rows}).replace("'", "''")


def audit_trigger(table: str, body: str, declare: str = "") -> str:
    return f"""CREATE OR REPLACE FUNCTION aesthetix_audit_{table}() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
    DECLARE
      v_changes jsonb;
      v_details jsonb;
      v_action text;
      {declare}
    BEGIN
      {body}
      RETURN NULL;
    END $$"""


# The changed columns of an update, {"column": {"from": old, "to": new}}, but those skipped.
CHANGES = "aesthetix_changes(to_jsonb(OLD), to_jsonb(NEW), ARRAY[{skip}]::text[])"


def changes(*skip: str) -> str:
    return CHANGES.format(skip=", ".join([SECRET_COLUMNS, BOOKKEEPING, *(f"'{c}'" for c in skip)]))


def update_end(fallback: str, target: str, *skip: str) -> str:
    """The last branch of an update's cases (no action chosen: every change but `skip`), then
    its event: the other changes go into the details, `fallback` is the action when none was
    chosen, and an update that changed nothing but bookkeeping writes no event."""
    return f"""
      ELSE
        v_changes := {changes(*skip)};
      END IF;
      IF v_action IS NULL AND v_changes = '{{}}'::jsonb THEN
        RETURN NULL;
      END IF;
      IF v_changes <> '{{}}'::jsonb THEN
        v_details := v_details || jsonb_build_object('changed', v_changes);
      END IF;
      PERFORM aesthetix_audit_event(NEW.account_id, coalesce(v_action, '{fallback}'), {target}, v_details);"""


def inserted_or_deleted(inserted: str, deleted: str) -> str:
    """A trigger's first branches: the event of an INSERT (NEW's account) and of a DELETE (OLD's),
    each given as the action, target and details; nothing more for either."""
    return f"""
      IF TG_OP = 'INSERT' THEN
        PERFORM aesthetix_audit_event(NEW.account_id, {inserted});
        RETURN NULL;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM aesthetix_audit_event(OLD.account_id, {deleted});
        RETURN NULL;
      END IF;"""


AUDIT_TRIGGERS = [
    audit_trigger("account", """
      IF TG_OP = 'INSERT' THEN
        PERFORM aesthetix_audit_event(NEW.id, 'account.created', 'account:' || NEW.id,
          jsonb_build_object('name', NEW.name, 'timezone', NEW.timezone));
        RETURN NULL;
      END IF;
      IF NEW.agent_policy IS DISTINCT FROM OLD.agent_policy THEN
        PERFORM aesthetix_audit_event(NEW.id, 'support_access.agent_policy', 'support_access',
          jsonb_build_object('from', OLD.agent_policy, 'to', NEW.agent_policy));
      END IF;
      IF (NEW.stale_unused_days, NEW.stale_new_days) IS DISTINCT FROM (OLD.stale_unused_days, OLD.stale_new_days) THEN
        PERFORM aesthetix_audit_event(NEW.id, 'account.stale_settings_changed', 'account:' || NEW.id,
          jsonb_build_object('from', jsonb_build_object('unused_days', OLD.stale_unused_days,
                                                        'new_days', OLD.stale_new_days),
                             'to', jsonb_build_object('unused_days', NEW.stale_unused_days,
                                                      'new_days', NEW.stale_new_days)));
      END IF;
      -- the Support Access maximum (issue 25: accounts set-support-max; domain support_access.set_max_days)
      IF NEW.support_max_days IS DISTINCT FROM OLD.support_max_days THEN
        PERFORM aesthetix_audit_event(NEW.id, 'support_access.max_days', 'support_access',
          jsonb_build_object('from', OLD.support_max_days, 'to', NEW.support_max_days));
      END IF;"""),
    audit_trigger("account_owner", """
      IF TG_OP = 'INSERT' THEN
        PERFORM aesthetix_audit_event(NEW.account_id, 'roles.owner_added', 'login:' || NEW.login,
          jsonb_build_object('login', NEW.login));
      ELSE
        PERFORM aesthetix_audit_event(OLD.account_id, 'roles.owner_removed', 'login:' || OLD.login,
          jsonb_build_object('login', OLD.login));
      END IF;"""),
    # A revoke ends the account's open sessions first (their events come before the revoke's).
    audit_trigger("support_grant", inserted_or_deleted(
        "'support_access.enabled', 'support_access', "
        "jsonb_build_object('until', NEW.until_date::text, 'reason', NEW.reason, 'grant', NEW.id)",
        "'support_access.deleted', 'support_access', "
        "jsonb_build_object('grant', OLD.id, 'was_until', OLD.until_date::text)") + f"""
      v_details := jsonb_build_object('grant', NEW.id);
      IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
        WITH ended AS (UPDATE support_session SET ended_at = now(), end_reason = 'revoked'
                       WHERE account_id = NEW.account_id AND ended_at IS NULL RETURNING 1)
        SELECT count(*) INTO v_ended FROM ended;
        v_action := 'support_access.revoked';
        v_details := v_details || jsonb_build_object('was_until', NEW.until_date::text);
        IF v_ended > 0 THEN
          v_details := v_details || jsonb_build_object('sessions_ended', v_ended);
        END IF;
        v_changes := {changes('revoked_at', 'revoked_by')};
      ELSIF NEW.until_date IS DISTINCT FROM OLD.until_date THEN
        v_action := 'support_access.extended';
        v_details := jsonb_build_object('from', OLD.until_date::text, 'until', NEW.until_date::text,
                                        'grant', NEW.id);
        v_changes := {changes('until_date', 'ends_at')};
      {update_end("support_access.changed", "'support_access'")}""", declare="v_ended integer;"),
    # A rotation, its end or its cancel from the tokens; a token's use (last_used_at) is no change.
    audit_trigger("integration", f"""
      IF TG_OP = 'INSERT' THEN
        v_details := jsonb_build_object('name', NEW.name, 'hint', NEW.token_hint,
          'scopes', to_jsonb(regexp_split_to_array(btrim(NEW.scopes), '\\s+')));
        IF NEW.expiry_days IS NOT NULL OR NEW.expires_at IS NOT NULL THEN
          v_details := v_details || jsonb_build_object('expires_at', aesthetix_iso(NEW.expires_at),
                                                       'expiry_days', NEW.expiry_days);
        END IF;
        PERFORM aesthetix_audit_event(NEW.account_id, 'integration.created', 'integration:' || NEW.id, v_details);
        RETURN NULL;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM aesthetix_audit_event(OLD.account_id, 'integration.deleted', 'integration:' || OLD.id,
          jsonb_build_object('name', OLD.name));
        RETURN NULL;
      END IF;
      v_details := '{{}}'::jsonb;
      IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
        v_action := 'integration.revoked';
        v_details := jsonb_build_object('name', NEW.name);
        IF current_setting('aesthetix.revoke_reason', true) = 'stale' THEN
          v_details := v_details || jsonb_build_object('reason', 'stale');
        END IF;
        v_changes := {changes('revoked_at', 'revoked_by', 'old_token_hint', 'old_expires_at')};
      ELSIF NEW.token_hash IS DISTINCT FROM OLD.token_hash AND NEW.token_hash = OLD.old_token_hash THEN
        v_action := 'integration.rotation_cancelled';
        v_details := jsonb_build_object('cancelled_hint', OLD.token_hint, 'kept_hint', OLD.old_token_hint);
        v_changes := {changes('token_hint', 'old_token_hint', 'old_expires_at')};
      ELSIF NEW.token_hash IS DISTINCT FROM OLD.token_hash THEN
        v_action := 'integration.rotated';
        v_details := jsonb_build_object('old_hint', OLD.token_hint, 'new_hint', NEW.token_hint,
          'expire_old', CASE WHEN NEW.old_token_hash IS NULL THEN 'now' ELSE '7d' END,
          'old_valid_until', CASE WHEN NEW.old_token_hash IS NULL THEN NULL ELSE aesthetix_iso(NEW.old_expires_at) END);
        IF NEW.expires_at IS NOT NULL THEN
          v_details := v_details || jsonb_build_object('expires_at', aesthetix_iso(NEW.expires_at));
        END IF;
        v_changes := {changes('token_hint', 'old_token_hint', 'old_expires_at', 'expires_at')};
      ELSIF OLD.old_token_hash IS NOT NULL AND NEW.old_token_hash IS NULL THEN
        v_action := 'integration.old_token_expired';
        v_details := jsonb_build_object('old_hint', OLD.old_token_hint);
        v_changes := {changes('old_token_hint', 'old_expires_at')};
      ELSIF (NEW.name, NEW.description, NEW.scopes) IS DISTINCT FROM (OLD.name, OLD.description, OLD.scopes) THEN
        v_action := 'integration.edited';
        IF NEW.name IS DISTINCT FROM OLD.name THEN
          v_details := v_details || jsonb_build_object('name', jsonb_build_object('from', OLD.name, 'to', NEW.name));
        END IF;
        IF NEW.description IS DISTINCT FROM OLD.description THEN
          v_details := v_details || jsonb_build_object('description',
            jsonb_build_object('from', OLD.description, 'to', NEW.description));
        END IF;
        IF NEW.scopes IS DISTINCT FROM OLD.scopes THEN
          v_details := v_details || jsonb_build_object('scopes', jsonb_build_object(
            'added', aesthetix_words_minus(NEW.scopes, OLD.scopes),
            'removed', aesthetix_words_minus(OLD.scopes, NEW.scopes)));
        END IF;
        v_changes := {changes('name', 'description', 'scopes')};
      {update_end("integration.changed", "'integration:' || NEW.id", "last_used_at")}"""),
    audit_trigger("legacy_key", inserted_or_deleted(
        "'legacy_key.regenerated', 'legacy_key', jsonb_build_object('old_hint', NULL, 'new_hint', NEW.hint)",
        "'legacy_key.deleted', 'legacy_key', jsonb_build_object('hint', OLD.hint)") + f"""
      v_details := '{{}}'::jsonb;
      IF NEW.key_hash IS DISTINCT FROM OLD.key_hash THEN
        v_action := 'legacy_key.regenerated';
        v_details := jsonb_build_object('old_hint', OLD.hint, 'new_hint', NEW.hint);
        v_changes := {changes('hint', 'created_at', 'created_by', 'disabled')};
      ELSIF NEW.disabled IS DISTINCT FROM OLD.disabled THEN
        v_action := CASE WHEN NEW.disabled THEN 'legacy_key.disabled' ELSE 'legacy_key.enabled' END;
        v_details := jsonb_build_object('hint', NEW.hint);
        v_changes := {changes('disabled')};
      {update_end("legacy_key.changed", "'legacy_key'")}"""),
    audit_trigger("feature_setting", f"""
      IF TG_OP = 'DELETE' THEN
        PERFORM aesthetix_audit_event(OLD.account_id, 'feature.deleted', 'feature:' || OLD.feature_key,
          jsonb_build_object('name', coalesce(v_names ->> OLD.feature_key, OLD.feature_key)));
        RETURN NULL;
      END IF;
      v_details := jsonb_build_object('name', coalesce(v_names ->> NEW.feature_key, NEW.feature_key));
      IF TG_OP = 'INSERT' OR NEW.enabled IS DISTINCT FROM OLD.enabled THEN
        v_action := CASE WHEN NEW.enabled THEN 'feature.enabled' ELSE 'feature.disabled' END;
        v_changes := '{{}}'::jsonb;
      {update_end("feature.changed", "'feature:' || NEW.feature_key", "enabled")}""",
                  declare="v_names jsonb := '{names}'::jsonb;"),
    audit_trigger("support_request", inserted_or_deleted(
        "'support_request.created', 'support_request:' || NEW.id, jsonb_build_object('request_id', NEW.id, "
        "'agent', NEW.agent, 'ticket', NEW.ticket, 'reason', NEW.reason, 'days', NEW.days)",
        "'support_request.deleted', 'support_request:' || OLD.id, "
        "jsonb_build_object('request_id', OLD.id, 'agent', OLD.agent)") + f"""
      v_details := jsonb_build_object('request_id', NEW.id);
      v_changes := {changes('state', 'answered_at', 'answered_by', 'note', 'grant_id', 'replaced_by')};
      IF NEW.state IS DISTINCT FROM OLD.state THEN
        v_action := 'support_request.' || NEW.state;
        v_details := v_details || CASE NEW.state
          WHEN 'expired' THEN jsonb_build_object('agent', NEW.agent,
                                                 'expired_at', aesthetix_iso(NEW.created_at + interval '7 days'))
          WHEN 'replaced' THEN jsonb_build_object('replaced_by', NEW.replaced_by)
          WHEN 'approved' THEN jsonb_build_object('agent', NEW.agent, 'grant_id', NEW.grant_id,
            'until', (SELECT g.until_date::text FROM support_grant g WHERE g.id = NEW.grant_id),
            'extended', (SELECT g.enabled_at < now() FROM support_grant g WHERE g.id = NEW.grant_id))
          WHEN 'declined' THEN jsonb_build_object('agent', NEW.agent, 'note', NEW.note)
          ELSE jsonb_build_object('agent', NEW.agent, 'from', OLD.state) END;
      {update_end("support_request.changed", "'support_request:' || NEW.id")}"""),
    audit_trigger("support_session", inserted_or_deleted(
        "'support_session.started', 'support_session:' || NEW.id, "
        "jsonb_build_object('session', NEW.id, 'agent', NEW.agent, 'grant', NEW.grant_id)",
        "'support_session.deleted', 'support_session:' || OLD.id, "
        "jsonb_build_object('session', OLD.id, 'agent', OLD.agent)") + f"""
      v_details := jsonb_build_object('session', NEW.id, 'agent', NEW.agent);
      IF OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL THEN
        v_action := 'support_session.ended';
        v_details := v_details || jsonb_build_object('reason', NEW.end_reason);
        -- "by": who ended another's session, or revoked access in this transaction
        IF session_user::text <> NEW.agent OR EXISTS (SELECT 1 FROM support_grant g
            WHERE g.account_id = NEW.account_id AND g.revoked_at = now()) THEN
          v_details := v_details || jsonb_build_object('by', session_user::text);
        END IF;
        v_changes := {changes('ended_at', 'end_reason')};
      {update_end("support_session.changed", "'support_session:' || NEW.id")}"""),
]

SERVER_AUDIT = [
    # Each recorded time (the trigger's arguments) that a write sets or changes becomes now().
    """CREATE OR REPLACE FUNCTION aesthetix_server_times() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
      v_new jsonb := to_jsonb(NEW);
      v_old jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ELSE '{}'::jsonb END;
      v_now jsonb := '{}'::jsonb;
      v_column text;
    BEGIN
      FOREACH v_column IN ARRAY TG_ARGV LOOP
        IF v_new -> v_column <> 'null'::jsonb AND (TG_OP = 'INSERT' OR v_new -> v_column IS DISTINCT FROM v_old -> v_column) THEN
          v_now := v_now || jsonb_build_object(v_column, now());
        END IF;
      END LOOP;
      IF v_now <> '{}'::jsonb THEN
        NEW := jsonb_populate_record(NEW, v_now);
      END IF;
      RETURN NEW;
    END $$""",
    # An instant as Python's isoformat() writes it in UTC, as the app's own details do.
    """CREATE OR REPLACE FUNCTION aesthetix_iso(p_at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $$
      SELECT to_char(p_at AT TIME ZONE 'UTC', CASE WHEN date_trunc('second', p_at) = p_at
        THEN 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"' END) $$""",
    # The words of a space-separated list that the other lacks, sorted (scopes added, removed).
    """CREATE OR REPLACE FUNCTION aesthetix_words_minus(p_a text, p_b text) RETURNS jsonb LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $$
      SELECT coalesce(jsonb_agg(w ORDER BY w), '[]'::jsonb) FROM (
        SELECT DISTINCT w FROM regexp_split_to_table(btrim(p_a), '\\s+') w WHERE w <> ''
        EXCEPT SELECT w FROM regexp_split_to_table(btrim(p_b), '\\s+') w) d $$""",
    """CREATE OR REPLACE FUNCTION aesthetix_changes(p_old jsonb, p_new jsonb, p_skip text[]) RETURNS jsonb
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
      SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_object('from', p_old -> n.key, 'to', n.value)), '{}'::jsonb)
        FROM jsonb_each(p_new) n WHERE n.value IS DISTINCT FROM p_old -> n.key AND NOT n.key = ANY (p_skip) $$""",
    # JSON as the app writes it (sorted keys, no spaces: json.dumps(sort_keys=True,
    # separators=(",", ":"), ensure_ascii=False)), so both databases' trails read alike.
    """CREATE OR REPLACE FUNCTION aesthetix_json_text(p jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE
    SET search_path = {schema}, pg_temp AS $$
    BEGIN
      RETURN CASE jsonb_typeof(p)
        WHEN 'object' THEN '{' || coalesce((SELECT string_agg(to_jsonb(e.key)::text || ':' || aesthetix_json_text(e.value),
                                                               ',' ORDER BY e.key COLLATE "C") FROM jsonb_each(p) e), '') || '}'
        WHEN 'array' THEN '[' || coalesce((SELECT string_agg(aesthetix_json_text(e.value), ',' ORDER BY e.n)
                                           FROM jsonb_array_elements(p) WITH ORDINALITY e(value, n)), '') || ']'
        ELSE p::text END;
    END $$""",
    # One event by the database: at its clock, by the login, details always valid JSON (a
    # too long one says so). An account deleted in the same statement (a cascade) gets none.
    """CREATE OR REPLACE FUNCTION aesthetix_audit_event(p_account integer, p_action text, p_target text,
        p_details jsonb) RETURNS void
    LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
    DECLARE v_text text := aesthetix_json_text(coalesce(p_details, '{}'::jsonb));
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM account WHERE id = p_account) THEN
        RETURN;
      END IF;
      IF length(v_text) > 4000 THEN
        v_text := jsonb_build_object('too_long', length(v_text))::text;
      END IF;
      PERFORM aesthetix_audit_write(p_account, now(), p_action, p_target, v_text, NULL);
    END $$""",
    # What is not a row change: an agent viewed a screen of its own open session, one of a
    # closed list; the database builds the event.
    f"""CREATE OR REPLACE FUNCTION aesthetix_record_view(p_session integer, p_screen text)
    RETURNS TABLE (seq integer, hash text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
    DECLARE v_row record;
    BEGIN
      IF p_screen IS NULL OR p_screen NOT IN ({", ".join(f"'{s}'" for s in VIEWED_SCREENS)}) THEN
        RAISE EXCEPTION 'there is no screen %', p_screen USING ERRCODE = '22023';
      END IF;
      SELECT s.id, s.account_id, s.agent INTO v_row FROM support_session s
        WHERE s.id = p_session AND s.agent = session_user AND s.ended_at IS NULL;
      IF NOT FOUND OR NOT aesthetix_support_open(v_row.account_id) THEN
        RAISE EXCEPTION 'permission denied: % has no open session %', session_user, p_session
          USING ERRCODE = '42501';
      END IF;
      RETURN QUERY SELECT w.seq, w.hash FROM aesthetix_audit_write(v_row.account_id, now(), 'support_session.viewed',
        'support_session:' || v_row.id, aesthetix_json_text(jsonb_build_object('session', v_row.id, 'agent', v_row.agent,
                                                            'screen', p_screen)), NULL) w;
    END $$""",
    # A request expires by the server's clock, 7 days after it was made, never sooner.
    """CREATE OR REPLACE FUNCTION aesthetix_request_expiry() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
      IF NEW.state = 'expired' AND OLD.state IS DISTINCT FROM 'expired'
         AND OLD.created_at > now() - interval '7 days' THEN
        RAISE EXCEPTION 'an access request expires 7 days after it was made, not sooner' USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS a_clock_support_request_expiry ON support_request",
    """CREATE TRIGGER a_clock_support_request_expiry BEFORE UPDATE OF state ON support_request
       FOR EACH ROW EXECUTE FUNCTION aesthetix_request_expiry()""",
    # A session that ends because its grant expired ends at the grant's end, not when that was
    # noticed (db/guards.py: aesthetix_end_session, aesthetix_lock_account): derived, not chosen.
    # It fires after a_clock_support_session, which set the end to now().
    """CREATE OR REPLACE FUNCTION aesthetix_session_end_time() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DECLARE v_end timestamptz;
    BEGIN
      IF OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL AND NEW.end_reason = 'expired' THEN
        SELECT g.ends_at INTO v_end FROM support_grant g WHERE g.id = NEW.grant_id;
        IF v_end < NEW.ended_at THEN
          NEW.ended_at := v_end;
        END IF;
      END IF;
      RETURN NEW;
    END $$""",
    # A token's use is recorded at the server's clock too. Its own trigger, not a_clock_integration:
    # a gateway records up to 1,000 uses in one UPDATE, and this is the one trigger such an
    # update runs (db/guards.py: create_trigger's BUT), so it is kept to one assignment.
    """CREATE OR REPLACE FUNCTION aesthetix_use_time() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.last_used_at IS NOT NULL THEN
        NEW.last_used_at := pg_catalog.now();
      END IF;
      RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS a_clock_integration_use ON integration",
    """CREATE TRIGGER a_clock_integration_use BEFORE INSERT OR UPDATE OF last_used_at ON integration
       FOR EACH ROW EXECUTE FUNCTION aesthetix_use_time()""",
    "DROP TRIGGER IF EXISTS a_clock_support_session_end ON support_session",
    """CREATE TRIGGER a_clock_support_session_end BEFORE UPDATE OF ended_at ON support_session
       FOR EACH ROW EXECUTE FUNCTION aesthetix_session_end_time()""",
    # Requests (domain/support_requests.make validated them first), at the server's clock:
    # under the account's row lock, requests pending for 7 days expire, the login's own pending
    # one is replaced. The rows' triggers write the events. Days beyond the account's maximum:
    # 22023, its DETAIL the maximum.
    "DROP FUNCTION IF EXISTS aesthetix_request_access(integer, text, text, integer, timestamptz, timestamptz)",
    "DROP FUNCTION IF EXISTS aesthetix_audit_append(integer, timestamptz, text, text, text, text)",
    # An agent names the account by its exact name, whether or not it may see it: it learns only
    # whether that name exists (no id is taken or given, so there are no ids to walk through).
    "DROP FUNCTION IF EXISTS aesthetix_request_access(integer, text, text, integer)",
    "DROP FUNCTION IF EXISTS aesthetix_request_target(text, bigint)",
    """CREATE OR REPLACE FUNCTION aesthetix_request_access(p_name text, p_ticket text, p_reason text,
        p_days integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DECLARE
      p_account integer;
      v_max integer;
      v_id integer;
      v_old integer;
    BEGIN
      IF aesthetix_kind() = 'owner' THEN
        RAISE EXCEPTION 'permission denied: owners do not ask for access' USING ERRCODE = '42501';
      END IF;
      SELECT id, support_max_days INTO p_account, v_max FROM account WHERE name = p_name FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no account named %', p_name USING ERRCODE = 'P0002';
      END IF;
      IF p_days IS NULL OR p_days < 1 OR p_days > v_max THEN
        RAISE EXCEPTION 'days out of range' USING ERRCODE = '22023', DETAIL = v_max::text;
      END IF;
      IF btrim(coalesce(p_ticket, '')) = '' OR btrim(coalesce(p_reason, '')) = ''
         OR p_ticket ~ '[[:cntrl:]]' OR p_reason ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'a ticket and a reason on one line are needed' USING ERRCODE = '22023';
      END IF;
      FOR v_old IN SELECT r.id FROM support_request r WHERE r.account_id = p_account AND r.state = 'pending'
          AND r.created_at <= now() - interval '7 days' ORDER BY r.id LOOP
        UPDATE support_request SET state = 'expired' WHERE id = v_old;
      END LOOP;
      INSERT INTO support_request (account_id, agent, ticket, reason, days, created_at, state)
        VALUES (p_account, session_user, p_ticket, p_reason, p_days, now(), 'pending') RETURNING id INTO v_id;
      FOR v_old IN SELECT r.id FROM support_request r WHERE r.account_id = p_account
          AND r.agent = session_user AND r.state = 'pending' AND r.id <> v_id ORDER BY r.id LOOP
        UPDATE support_request SET state = 'replaced', replaced_by = v_id WHERE id = v_old;
      END LOOP;
      RETURN v_id;
    END $$""",
] + AUDIT_TRIGGERS + [
    statement for table, columns in SERVER_TIMES.items() for statement in (
        f"DROP TRIGGER IF EXISTS a_clock_{table} ON {table}",
        (f"CREATE TRIGGER a_clock_{table} BEFORE INSERT OR UPDATE OF {', '.join(columns)} ON {table} "
         f"FOR EACH ROW EXECUTE FUNCTION aesthetix_server_times({', '.join(columns)})"))
] + [
    statement for table, events in AUDITED.items() for statement in (
        f"DROP TRIGGER IF EXISTS z_audit_{table} ON {table}",
        (f"CREATE TRIGGER z_audit_{table} AFTER {events} ON {table} "
         f"FOR EACH ROW EXECUTE FUNCTION aesthetix_audit_{table}()"))
] + [
    statement for table, column in AUDITED_UPDATES.items() for statement in (
        f"DROP TRIGGER IF EXISTS z_audit_{table}_update ON {table}",
        guards.create_trigger(f"z_audit_{table}_update", "AFTER UPDATE", table, f"aesthetix_audit_{table}()",
                              column))
]
# Called only by the triggers and functions above (run as their owner): EXECUTE for no role.
SERVER_AUDIT_FUNCTIONS = ("aesthetix_server_times()", "aesthetix_iso(timestamptz)",
                          "aesthetix_words_minus(text, text)", "aesthetix_changes(jsonb, jsonb, text[])",
                          "aesthetix_json_text(jsonb)", "aesthetix_request_expiry()", "aesthetix_session_end_time()",
                          "aesthetix_use_time()",
                          "aesthetix_audit_event(integer, text, text, jsonb)") + tuple(
    f"aesthetix_audit_{table}()" for table in AUDITED)


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
# Both are PL/pgSQL (migration 0014): its query plan is kept for the session, where a SQL
# function's body is parsed and planned again in every statement that calls it, three quarters
# of an idle app's heartbeat (0.039 ms a call against 0.010).
VISIBLE_INSTALL = [
    # The accounts this login owns.
    """CREATE OR REPLACE FUNCTION aesthetix_owned_accounts() RETURNS integer[] LANGUAGE plpgsql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    BEGIN
      RETURN ARRAY(SELECT account_id FROM account_owner WHERE login = session_user);
    END $$""",
    # The accounts with an open grant: aesthetix_support_open's rule, for all of them at once
    # (not revoked, before its end at the server's clock; an owner asks of its own accounts only).
    """CREATE OR REPLACE FUNCTION aesthetix_support_accounts() RETURNS integer[] LANGUAGE plpgsql STABLE
    SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    BEGIN
      RETURN ARRAY(SELECT DISTINCT g.account_id FROM support_grant g
                   WHERE g.revoked_at IS NULL AND g.ends_at > now()
                     AND ((SELECT aesthetix_kind()) <> 'owner'
                          OR g.account_id = ANY ((SELECT aesthetix_owned_accounts())::integer[])));
    END $$""",
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
    ("GRANT SELECT ON account, account_owner, support_grant, integration, legacy_key, feature_setting, "
     "audit_event, support_session TO aesthetix_owner"),
    ("GRANT UPDATE (settings_version, settings_updated_at, settings_updated_by, agent_policy, stale_unused_days, "
     "stale_new_days) ON account TO aesthetix_owner"),
    # The Support Access maximum (issue 25: accounts set-support-max), within db/guards.py's range.
    "GRANT UPDATE (support_max_days) ON account TO aesthetix_owner",
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
    # The server's audit needs every audited table: migrations before 0007's install without it.
    complete = run(conn, "SELECT to_regclass('support_request')").fetchone()[0] is not None
    names = feature_names()
    for statement in INSTALL + ROLE_GUARD + (SERVER_AUDIT if complete else []):
        run(conn, statement.replace("{schema}", schema).replace("{names}", names))
    for function in FUNCTIONS + REQUEST_FUNCTIONS + INTERNAL_FUNCTIONS + SERVER_AUDIT_FUNCTIONS:
        run(conn, f"DO $$ BEGIN IF to_regprocedure('{function}') IS NOT NULL THEN "
                  f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC; END IF; END $$")


def uninstall(conn: Connection) -> None:
    uninstall_server_audit(conn)
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


def uninstall_server_audit(conn: Connection) -> None:
    """The triggers and functions of the server's clock and audit (migration 0011's downgrade)."""
    for table in {**SERVER_TIMES, **AUDITED}:
        if run(conn, "SELECT to_regclass(%(t)s)", {"t": table}).fetchone()[0] is not None:
            run(conn, f"DROP TRIGGER IF EXISTS a_clock_{table} ON {table}")
            run(conn, f"DROP TRIGGER IF EXISTS z_audit_{table} ON {table}")
            run(conn, f"DROP TRIGGER IF EXISTS z_audit_{table}_update ON {table}")
            run(conn, f"DROP TRIGGER IF EXISTS a_clock_{table}_expiry ON {table}")
            run(conn, f"DROP TRIGGER IF EXISTS a_clock_{table}_end ON {table}")
            run(conn, f"DROP TRIGGER IF EXISTS a_clock_{table}_use ON {table}")
    for function in SERVER_AUDIT_FUNCTIONS:
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

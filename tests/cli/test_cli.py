"""The command line: every subcommand, --json, exit codes, tokens on stdout, and database faults."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from aesthetix_tui.domain import tokens
from aesthetix_tui.domain.catalog import features as feature_catalog
from aesthetix_tui.domain.catalog import scopes as scope_catalog
from tests.conftest import START


def today():
    """The seeded account's zone is UTC (TZ=UTC below); the CLI runs on the tests' fixed clock."""
    return START.date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def ok(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.stdout


def refused(result, *words: str) -> str:
    """Exit 1, nothing on stdout, and one sentence on stderr that names the problem."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message and "\n" not in message, message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def usage_error(result, *words: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    for word in words:
        assert word.lower() in result.stderr.lower(), result.stderr
    return result.stderr


def rows(db) -> dict:
    if isinstance(db, str):  # a PostgreSQL URL
        return pg_rows(db)
    con = sqlite3.connect(str(db))
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def pg_rows(url: str) -> dict:
    from tests.domain.helpers import TABLES_SQL, as_sqlite_value

    with pg_connect(url) as con:
        tables = [r[0] for r in con.execute(TABLES_SQL["postgresql"])]
        return {t: sorted((tuple(as_sqlite_value(v) for v in row) for row in con.execute(f'SELECT * FROM "{t}"')),
                          key=repr) for t in tables}


def pg_connect(url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)


def execute_sql(db, sql: str) -> None:
    """Change the database behind the app's back, as a tamperer would."""
    if isinstance(db, str):
        with pg_connect(db) as con:
            # A tamperer with superuser powers: no triggers (audit_event's append-only one) for this session.
            con.execute("SET session_replication_role = replica")
            con.execute(sql)
        return
    con = sqlite3.connect(str(db))
    con.execute(sql)
    con.commit()
    con.close()


def as_json(result):
    return json.loads(ok(result))


def login(db) -> str:
    """Who the database records as acting: the OS login on SQLite, the URL's login on PostgreSQL."""
    if isinstance(db, str):
        from sqlalchemy.engine import make_url

        return make_url(db).username
    from aesthetix_tui.domain.actor import os_user

    return os_user()


def csv_events(text: str) -> list[dict]:
    """An exported CSV as the JSON export's events: an empty actor_label cell is no label."""
    return [{k: v for k, v in {**r, "seq": int(r["seq"]), "details": json.loads(r["details"])}.items()
             if not (k == "actor_label" and v == "")} for r in csv.DictReader(io.StringIO(text))]


def create(run, name="CRM Sync", *scopes: str) -> str:
    result = run("integrations", "create", "--name", name,
                 *[a for s in (scopes or ("contacts.readonly",)) for a in ("--scope", s)])
    out = ok(result)
    token = out.strip()
    assert out == token + "\n"  # the token line is the whole of stdout
    assert tokens.is_well_formed(token)
    return token


# -- scopes and accounts ----------------------------------------------------------------

def test_scopes_lists_the_catalogue(run):
    out = ok(run("scopes"))
    for name in scope_catalog():
        assert name in out
    assert [s["name"] for s in as_json(run("scopes", "--json"))] == list(scope_catalog())


def test_accounts_list_and_create(run):
    assert [a["name"] for a in as_json(run("accounts", "list", "--json"))] == ["My Business"]
    assert "My Business" in ok(run("accounts", "list"))
    created = as_json(run("accounts", "create", "Clinic Two", "--timezone", "Europe/Paris", "--json"))
    assert (created["name"], created["timezone"]) == ("Clinic Two", "Europe/Paris")
    out = ok(run("accounts", "create", "Clinic Three", "--timezone", "Asia/Tokyo"))
    assert "Clinic Three" in out
    listed = as_json(run("accounts", "list", "--json"))
    assert {a["name"]: a["timezone"] for a in listed} == {
        "My Business": "UTC", "Clinic Two": "Europe/Paris", "Clinic Three": "Asia/Tokyo"}


def test_accounts_create_refusals(run, db):
    ok(run("accounts", "list"))
    before = rows(db)
    refused(run("accounts", "create", "Clinic", "--timezone", "Mars/Base"), "not a known timezone")
    refused(run("accounts", "create", "My Business", "--timezone", "UTC"), "already exists")
    assert rows(db) == before


def test_account_is_required_when_there_are_several(run):
    second = as_json(run("accounts", "create", "Second", "--timezone", "UTC", "--json"))
    refused(run("support-access", "status"), "several accounts", "--account")
    assert as_json(run("support-access", "status", "--account", "Second", "--json"))["account"] == "Second"
    assert as_json(run("support-access", "status", "--account", str(second["id"]), "--json"))["account"] == "Second"
    refused(run("support-access", "status", "--account", "Nobody"), "no account named or numbered 'Nobody'")
    ok(run("support-access", "enable", "--until", day(1), "--account", "Second"))
    assert as_json(run("support-access", "status", "--account", "My Business", "--json"))["state"] == "off"


# -- support access -------------------------------------------------------------------------

def test_support_access_lifecycle(run, db):
    assert ok(run("support-access", "status")).strip() == "Support Access is off"
    assert as_json(run("support-access", "status", "--json"))["state"] == "off"
    out = ok(run("support-access", "enable", "--until", day(3), "--reason", "Ticket 9"))
    assert out.startswith("Support Access is active — available through") and "Reason: Ticket 9" in out
    status = as_json(run("support-access", "status", "--json"))
    assert (status["state"], status["available_through"], status["enabled_by"], status["reason"]) == (
        "active", day(3), login(db), "Ticket 9")
    assert datetime.fromisoformat(status["ends_at"]) == datetime.fromisoformat(day(4)).replace(tzinfo=UTC)
    assert 0 < status["seconds_left"] <= 4 * 86400
    extended = as_json(run("support-access", "extend", "--until", day(10), "--json"))
    assert extended["available_through"] == day(10)
    out = ok(run("support-access", "revoke", "--yes"))
    assert out.startswith("Support Access was revoked on") and out.strip().endswith(f"by {login(db)}")
    assert as_json(run("support-access", "status", "--json"))["state"] == "revoked"
    assert as_json(run("support-access", "enable", "--until", day(0), "--json"))["state"] == "active"


def test_support_access_refusals_change_nothing(run, db):
    ok(run("support-access", "enable", "--until", day(3)))
    before = rows(db)
    refused(run("support-access", "enable", "--until", day(5)), "already active", "extend")
    refused(run("support-access", "extend", "--until", day(2)), "not after the current end")
    refused(run("support-access", "extend", "--until", day(31)), "at most 30 days")
    refused(run("support-access", "enable", "--until", day(1), "--reason", "x" * 501))
    assert rows(db) == before
    ok(run("support-access", "revoke", "--yes"))
    before = rows(db)
    refused(run("support-access", "enable", "--until", day(-1)), "has passed")
    refused(run("support-access", "enable", "--until", day(31)), "at most 30 days")
    refused(run("support-access", "extend", "--until", day(5)), "enable it instead")
    refused(run("support-access", "revoke", "--yes"), "nothing to revoke")
    assert rows(db) == before


def test_support_access_usage_errors(run, db):
    ok(run("support-access", "enable", "--until", day(3)))
    before = rows(db)
    usage_error(run("support-access", "enable"), "--until")
    usage_error(run("support-access", "extend"), "--until")
    usage_error(run("support-access", "revoke"), "--yes")
    usage_error(run("support-access", "frobnicate"))
    assert rows(db) == before
    assert as_json(run("support-access", "status", "--json"))["state"] == "active"


def test_a_malformed_date_is_one_sentence(run, db):
    ok(run("support-access", "status"))
    before = rows(db)
    result = run("support-access", "enable", "--until", "next tuesday")
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert "YYYY-MM-DD" in result.stderr
    assert rows(db) == before


# -- integrations ------------------------------------------------------------------------------

def test_create_prints_the_token_exactly_once(run, db):
    token = create(run, "CRM Sync", "contacts.readonly", "calendars.readonly")
    result = run("integrations", "list")
    assert token not in result.output
    assert ("pit-" + token[-4:]) in ok(result)
    assert rows(db)["integration"] and all(token not in repr(r) for r in rows(db)["integration"])


def test_create_json_holds_the_token_once(run):
    result = run("integrations", "create", "--name", "A", "--scope", "contacts.readonly", "--json")
    data = as_json(result)
    token = data["token"]
    assert tokens.is_well_formed(token)
    assert result.output.count(token) == 1
    assert data["integration"]["name"] == "A" and data["integration"]["token_hint"] == "pit-" + token[-4:]


def test_the_note_on_create_goes_to_stderr(run):
    result = run("integrations", "create", "--name", "A", "--scope", "contacts.readonly")
    token = ok(result).strip()
    assert "shown only this once" in result.stderr and token not in result.stderr


def test_list_show_and_edit(run):
    create(run, "Zapier", "contacts.readonly")
    create(run, "Booking site", "calendars.readonly", "calendars/events.write")
    listed = as_json(run("integrations", "list", "--json"))
    assert [i["name"] for i in listed] == ["Booking site", "Zapier"]
    zap = listed[1]
    shown = as_json(run("integrations", "show", "zapier", "--json"))
    assert shown == zap
    assert as_json(run("integrations", "show", str(zap["id"]), "--json"))["name"] == "Zapier"
    text = ok(run("integrations", "show", "Zapier"))
    assert "Zapier" in text and "contacts.readonly" in text
    edited = as_json(run("integrations", "edit", "Zapier", "--description", "Leads", "--scope", "contacts.write",
                         "--scope", "contacts.readonly", "--json"))
    assert edited["description"] == "Leads" and edited["scopes"] == ["contacts.readonly", "contacts.write"]
    assert "token is unchanged" in ok(run("integrations", "edit", "Zapier", "--name", "Zapier 2"))
    refused(run("integrations", "show", "Nope"), "no private integration named or numbered 'nope'")


def test_integration_refusals_change_nothing(run, db):
    create(run, "Zapier")
    before = rows(db)
    refused(run("integrations", "create", "--name", "zapier", "--scope", "contacts.readonly"), "already exists")
    refused(run("integrations", "create", "--name", "x" * 65, "--scope", "contacts.readonly"), "at most 64")
    refused(run("integrations", "create", "--name", "B", "--scope", "contacts.everything"), "unknown scope")
    refused(run("integrations", "create", "--name", "B", "--scope", "contacts.readonly",
                "--description", "d" * 501), "at most 500")
    refused(run("integrations", "edit", "Zapier"), "nothing to change")
    refused(run("integrations", "cancel-rotation", "Zapier"), "no rotation in progress")
    refused(run("integrations", "expire-old", "Zapier"), "no rotation in progress")
    refused(run("integrations", "revoke", "Nope", "--yes"), "no private integration")
    assert rows(db) == before


def test_integration_usage_errors(run, db):
    create(run, "Zapier")
    before = rows(db)
    usage_error(run("integrations", "create", "--name", "B"), "--scope")
    usage_error(run("integrations", "create", "--scope", "contacts.readonly"), "--name")
    usage_error(run("integrations", "revoke", "Zapier"), "--yes")
    usage_error(run("integrations", "rotate", "Zapier"), "--expire-old")
    usage_error(run("integrations", "rotate", "Zapier", "--expire-old", "30d"), "30d")
    assert rows(db) == before


def test_verify_reads_the_token_from_stdin(run):
    token = create(run, "Zapier", "contacts.readonly")
    assert "Valid: 'Zapier'" in ok(run("integrations", "verify", input=token + "\n"))
    out = ok(run("integrations", "verify", "--scope", "contacts.readonly", input=token))
    assert "grants contacts.readonly" in out
    data = as_json(run("integrations", "verify", "--json", input=token + "\n"))
    assert data["valid"] is True and data["name"] == "Zapier" and data["last_used_at"] is not None
    refused(run("integrations", "verify", "--scope", "contacts.write", input=token), "does not grant")
    refused(run("integrations", "verify", input="pit-nonsense\n"), "malformed")
    refused(run("integrations", "verify", input=""), "malformed")
    # Never from argv: a token given as an argument is a usage error.
    usage_error(run("integrations", "verify", token))


def test_verify_does_not_reveal_which_tokens_exist(run):
    token = create(run, "Zapier")
    ok(run("integrations", "revoke", "Zapier", "--yes"))
    revoked = refused(run("integrations", "verify", input=token))
    unknown = refused(run("integrations", "verify", input=tokens.new_pit()))
    assert revoked == unknown


def test_rotate_cancel_and_expire_old(run):
    old = create(run, "Zapier")
    result = run("integrations", "rotate", "Zapier", "--expire-old", "7d")
    new = ok(result).strip()
    assert ok(result) == new + "\n" and tokens.is_well_formed(new) and new != old
    assert result.output.count(new) == 1
    for token in (old, new):
        ok(run("integrations", "verify", input=token))
    listed = as_json(run("integrations", "list", "--json"))[0]
    assert listed["status"] == "rotating" and listed["old_token_hint"] == "pit-" + old[-4:]
    refused(run("integrations", "rotate", "Zapier", "--expire-old", "now"), "already being rotated")
    assert "cancelled" in ok(run("integrations", "cancel-rotation", "Zapier"))
    ok(run("integrations", "verify", input=old))
    refused(run("integrations", "verify", input=new), "not valid")
    newer = json.loads(ok(run("integrations", "rotate", "Zapier", "--expire-old", "7d", "--json")))["token"]
    assert "no longer works" in ok(run("integrations", "expire-old", "Zapier"))
    refused(run("integrations", "verify", input=old), "not valid")
    ok(run("integrations", "verify", input=newer))
    newest = ok(run("integrations", "rotate", "Zapier", "--expire-old", "now")).strip()
    refused(run("integrations", "verify", input=newer), "not valid")
    ok(run("integrations", "verify", input=newest))


def test_revoke(run):
    token = create(run, "Zapier")
    assert "Revoked 'Zapier'" in ok(run("integrations", "revoke", "Zapier", "--yes"))
    refused(run("integrations", "verify", input=token), "not valid")
    refused(run("integrations", "revoke", "Zapier", "--yes"), "revoking is permanent")
    assert as_json(run("integrations", "list", "--json")) == []
    assert [i["status"] for i in as_json(run("integrations", "list", "--all", "--json"))] == ["revoked"]
    create(run, "zapier")  # the name is free again


# -- legacy key ---------------------------------------------------------------------------------

def test_legacy_key(run, db):
    status = as_json(run("legacy-key", "status", "--json"))
    assert status["exists"] is False and "Private Integrations" in status["deprecation"]
    result = run("legacy-key", "status")
    assert "no legacy API key" in ok(result) and "deprecated" in result.stderr
    usage_error(run("legacy-key", "regenerate"), "--yes")
    result = run("legacy-key", "regenerate", "--yes")
    key = ok(result).strip()
    assert ok(result) == key + "\n" and len(key) == 40 and result.output.count(key) == 1
    assert "Private Integrations" in result.stderr
    status = as_json(run("legacy-key", "status", "--json"))
    assert status["exists"] is True and status["hint"].endswith(key[-4:]) and status["disabled"] is False
    assert key not in repr(rows(db))
    assert "disabled" in ok(run("legacy-key", "disable"))
    assert as_json(run("legacy-key", "status", "--json"))["disabled"] is True
    before = rows(db)
    refused(run("legacy-key", "disable"), "already disabled")
    assert rows(db) == before
    assert as_json(run("legacy-key", "enable", "--json"))["disabled"] is False
    refused(run("legacy-key", "enable"), "already enabled")
    data = as_json(run("legacy-key", "regenerate", "--yes", "--json"))
    assert data["key"] != key and data["exists"] is True


# -- features -------------------------------------------------------------------------------------

def test_features(run, db):
    listed = as_json(run("features", "list", "--json"))
    assert [f["key"] for f in listed] == list(feature_catalog())
    assert all(f["enabled"] is False for f in listed)
    assert "legacy_campaigns" in ok(run("features", "list"))
    out = ok(run("features", "update", "legacy_campaigns=on", "legacy_triggers=on"))
    assert "legacy_campaigns on" in out and "legacy_triggers on" in out
    assert as_json(run("features", "update", "legacy_campaigns=off", "legacy_triggers=on", "--json")) == {
        "changed": ["legacy_campaigns"]}
    assert "Nothing changed" in ok(run("features", "update", "legacy_triggers=on"))
    before = rows(db)
    refused(run("features", "update", "legacy_campaigns=on", "legacy_forms=on"), "no deprecated feature")
    usage_error(run("features", "update", "legacy_campaigns=maybe"), "KEY=on")
    usage_error(run("features", "update"))
    assert rows(db) == before
    assert {f["key"]: f["enabled"] for f in as_json(run("features", "list", "--json"))} == {
        "legacy_campaigns": False, "legacy_triggers": True}


# -- audit --------------------------------------------------------------------------------------

def test_audit_list_export_and_verify(run, tmp_path):
    ok(run("support-access", "enable", "--until", day(2), "--reason", 'a, "quoted" reason'))
    create(run, "Zapier")
    ok(run("features", "update", "legacy_triggers=on"))
    events = as_json(run("audit", "list", "--json"))
    assert [e["action"] for e in events] == [
        "feature.enabled", "integration.created", "support_access.enabled", "account.created"]
    assert [e["seq"] for e in as_json(run("audit", "list", "--limit", "2", "--json"))] == [4, 3]
    assert "support_access.enabled" in ok(run("audit", "list"))
    usage_error(run("audit", "list", "--limit", "0"))
    oldest_first = list(reversed(events))
    assert json.loads(ok(run("audit", "export", "--format", "json"))) == oldest_first
    assert csv_events(ok(run("audit", "export", "--format", "csv"))) == oldest_first
    out_file = tmp_path / "trail.json"
    result = run("audit", "export", "--format", "json", "--output", str(out_file))
    assert ok(result) == "" and "Wrote 4 events" in result.stderr
    assert json.loads(out_file.read_text()) == oldest_first
    usage_error(run("audit", "export", "--format", "xml"))
    usage_error(run("audit", "export"), "--format")
    assert "intact: 4 events" in ok(run("audit", "verify"))
    assert as_json(run("audit", "verify", "--json")) == {"ok": True, "checked": 4, "broken_seq": None,
                                                           "problem": None}


def test_audit_verify_fails_on_tampering(run, db):
    ok(run("support-access", "enable", "--until", day(2)))
    ok(run("support-access", "revoke", "--yes"))
    execute_sql(db, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 2")
    message = refused(run("audit", "verify"), "#2")
    assert "broken" in message
    result = run("audit", "verify", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["broken_seq"] == 2


# -- who acts: the login; --actor a label on SQLite, refused on PostgreSQL --------------------------

@pytest.mark.sqlite_only  # PostgreSQL: test_actor_is_refused_on_postgresql
def test_actor_is_a_label_beside_the_os_login_on_sqlite(run, db):
    me = login(db)
    ok(run("support-access", "enable", "--until", day(3), "--reason", "Ticket 9", "--actor", "alice"))
    assert as_json(run("support-access", "status", "--json"))["enabled_by"] == f"alice (via {me})"
    ok(run("features", "update", "legacy_triggers=on", "--actor", me))  # its own login: no label
    out = ok(run("support-access", "revoke", "--yes", "--actor", "bob"))
    assert out.strip().endswith(f"by bob (via {me})")
    con = sqlite3.connect(str(db))
    try:
        stored = con.execute("SELECT seq, action, actor, actor_kind, actor_label FROM audit_event "
                             "ORDER BY seq").fetchall()
        by = con.execute("SELECT enabled_by, revoked_by FROM support_grant").fetchall()
        feature_by = con.execute("SELECT updated_by FROM feature_setting WHERE enabled = 1").fetchall()
    finally:
        con.close()
    assert stored == [
        (1, "account.created", "system", "system", None),
        (2, "support_access.enabled", me, "owner", "alice"),
        (3, "feature.enabled", me, "owner", None),
        (4, "support_access.revoked", me, "owner", "bob"),
    ]
    assert by == [(f"alice (via {me})", f"bob (via {me})")] and feature_by == [(me,)]
    events = as_json(run("audit", "list", "--json"))
    assert [(e["actor"], e["actor_kind"], e.get("actor_label")) for e in events] == [
        (me, "owner", "bob"), (me, "owner", None), (me, "owner", "alice"), ("system", "system", None)]
    assert json.loads(ok(run("audit", "export", "--format", "json"))) == list(reversed(events))
    exported = ok(run("audit", "export", "--format", "csv"))
    assert exported.splitlines()[0].endswith(",hash,actor_label")
    assert csv_events(exported) == list(reversed(events))
    assert "intact: 4 events" in ok(run("audit", "verify"))


@pytest.mark.sqlite_only
def test_audit_list_shows_the_label_via_the_login(run, db):
    me = login(db)
    ok(run("support-access", "enable", "--until", day(3), "--actor", "alice"))
    ok(run("features", "update", "legacy_triggers=on"))
    lines = ok(run("audit", "list")).splitlines()
    assert lines[0].split()[:3] == ["#", "TIME", "ACTOR"]
    [enabled] = [line for line in lines if "support_access.enabled" in line]
    [feature] = [line for line in lines if "feature.enabled" in line]
    assert f"  alice (via {me}) (owner)  " in enabled
    assert f"  {me} (owner)  " in feature and "via" not in feature


def test_actor_is_refused_on_postgresql(run, db):
    if not isinstance(db, str):
        pytest.skip("SQLite records --actor as a label: test_actor_is_a_label_beside_the_os_login_on_sqlite")
    from aesthetix_tui.domain.identity import ACTOR_REFUSED

    ok(run("support-access", "status"))  # the first command migrates and seeds
    before = rows(db)
    for command in (["support-access", "enable", "--until", day(3)], ["support-access", "policy", "read-write"],
                    ["features", "update", "legacy_triggers=on"], ["legacy-key", "regenerate", "--yes"],
                    ["integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly"],
                    ["accounts", "create", "Clinic", "--timezone", "UTC"]):
        assert refused(run(*command, "--actor", "alice")) == ACTOR_REFUSED, command
    assert rows(db) == before
    ok(run("support-access", "enable", "--until", day(3)))  # as the login
    assert as_json(run("support-access", "status", "--json"))["enabled_by"] == login(db)
    newest = as_json(run("audit", "list", "--json"))[0]
    assert (newest["action"], newest["actor"], newest["actor_kind"]) == ("support_access.enabled", login(db), "system")
    assert "actor_label" not in newest


# -- --json on every read command -----------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["support-access", "status"],
    ["integrations", "list"],
    ["integrations", "show", "Zapier"],
    ["scopes"],
    ["legacy-key", "status"],
    ["features", "list"],
    ["audit", "list"],
    ["audit", "verify"],
    ["accounts", "list"],
])
def test_json_on_read_commands(run, command):
    create(run, "Zapier")
    result = run(*command, "--json")
    data = json.loads(ok(result))
    assert isinstance(data, (dict, list)) and data


# -- choosing the database, and database faults ---------------------------------------------------

@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
@pytest.mark.empty_db  # `db` is not made: the command makes the environment's file
def test_aesthetix_db_selects_the_database(run, tmp_path):
    path = tmp_path / "from-env.db"
    result = run("accounts", "list", "--json", env={"AESTHETIX_DB": str(path)}, db_option=False)
    assert [a["name"] for a in as_json(result)] == ["My Business"]
    assert path.exists()
    assert not (tmp_path / "x.db").exists()
    assert not (tmp_path / "xdg").exists()


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
@pytest.mark.empty_db  # the command makes the --db file, not the environment's
def test_db_option_wins_over_the_environment(run, db, tmp_path):
    ok(run("accounts", "list", env={"AESTHETIX_DB": str(tmp_path / "ignored.db")}))
    assert db.exists() and not (tmp_path / "ignored.db").exists()


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_db_and_database_url_together_is_a_usage_error(run, tmp_path):
    usage_error(run("--database-url", f"sqlite:///{tmp_path}/y.db", "scopes"), "either --db or --database-url")


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_database_url(run, tmp_path):
    path = tmp_path / "url.db"
    result = run("--database-url", f"sqlite:///{path}", "accounts", "list", "--json", db_option=False)
    assert as_json(result)[0]["name"] == "My Business" and path.exists()


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
@pytest.mark.parametrize("url", ["notaurl", "postgresql+nosuchdriver://admin:s3cret@127.0.0.1:1/crm"])
def test_a_bad_database_url_is_one_sentence(run, url):
    message = refused(run("--database-url", url, "accounts", "list", db_option=False), "not valid")
    assert "s3cret" not in message


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_an_unreachable_database_server_is_one_sentence(run):
    """Without the driver the sentence says so; with it, the server on port 1 is not there."""
    url = "postgresql://admin:s3cret@127.0.0.1:1/crm"
    message = refused(run("--database-url", url, "accounts", "list", db_option=False))
    assert "not installed" in message or "cannot be reached" in message
    assert "s3cret" not in message and "://***@127.0.0.1" in message and "admin" not in message


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_a_corrupt_database_is_one_sentence(run, db):
    db.write_bytes(os.urandom(16384))
    for command in (["support-access", "status"], ["integrations", "list"], ["audit", "verify"],
                    ["support-access", "enable", "--until", day(1)]):
        refused(run(*command), "damaged")


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_a_missing_folder_is_one_sentence(run, tmp_path):
    result = run("--db", str(tmp_path / "nowhere" / "x.db"), "support-access", "status", db_option=False)
    refused(result, "does not exist")
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_a_locked_database_is_one_sentence(run, db, monkeypatch):
    from aesthetix_tui.db import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 100)  # do not wait five seconds in a test
    ok(run("support-access", "status"))
    holder = sqlite3.connect(str(db), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        refused(run("support-access", "enable", "--until", day(1)), "busy", "try again")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert as_json(run("support-access", "status", "--json"))["state"] == "off"


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_database_is_one_sentence(run, db):
    ok(run("support-access", "status"))
    os.chmod(db, 0)
    try:
        refused(run("support-access", "status"), str(db.name))
    finally:
        os.chmod(db, 0o600)


# -- the entry points ------------------------------------------------------------------------------

@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_python_dash_m_runs_the_cli(db):
    result = subprocess.run([sys.executable, "-m", "aesthetix_tui", "--db", str(db), "scopes", "--json"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert [s["name"] for s in json.loads(result.stdout)] == list(scope_catalog())


@pytest.mark.sqlite_only  # --db files, the environment and file faults: SQLite's own
def test_version_and_help(run):
    assert "aesthetix-tui" in ok(run("--version"))
    out = ok(run("--help"))
    for command in ("support-access", "integrations", "scopes", "legacy-key", "features", "audit", "accounts"):
        assert command in out

"""Issue 11, the CLI keeps its promises: exit 1 means nothing changed, an export never destroys
data and is safe in a spreadsheet, passwords never appear in messages, names are not ids."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.domain import tokens
from tests.cli.test_cli import create, execute_sql, ok, refused, rows
from tests.processes import cli_argv, clocked_env

# -- a stdout that cannot be written -------------------------------------------------------------

FULL = OSError(errno.ENOSPC, "No space left on device")
BROKEN = BrokenPipeError(errno.EPIPE, "Broken pipe")


class FailingStdout(io.TextIOBase):
    """Like /dev/full or a closed pipe: writes are buffered, and flushing them raises `error`
    (once: what failed is dropped, as the CLI drops it by pointing stdout at /dev/null)."""

    encoding, errors = "utf-8", "strict"

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error, self.pending = error, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.pending = ""
            raise self.error


class FailingStdoutRunner(CliRunner):
    """click's runner, but the command's stdout fails like /dev/full or a closed pipe."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    @contextmanager
    def isolation(self, *args, **kwargs):
        with super().isolation(*args, **kwargs) as streams:
            sys.stdout = FailingStdout(self.error)
            yield streams


@pytest.fixture
def run_failing(db, clock):
    option = ["--database-url", db] if isinstance(db, str) else ["--db", str(db)]

    def run_failing(error: OSError, *args: str):
        return FailingStdoutRunner(error).invoke(cli, option + list(args), catch_exceptions=False, obj=clock)

    return run_failing


def verifies(run, token: str) -> bool:
    return run("integrations", "verify", input=token + "\n").exit_code == 0


# -- 1. exit 1 means nothing changed --------------------------------------------------------------

SECRET_COMMANDS = {
    "create": ["integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly"],
    "rotate now": ["integrations", "rotate", "CRM Sync", "--expire-old", "now"],
    "rotate 7d": ["integrations", "rotate", "CRM Sync", "--expire-old", "7d"],
    "regenerate": ["legacy-key", "regenerate", "--yes"],
}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("error", [FULL, BROKEN], ids=["disk-full", "broken-pipe"])
@pytest.mark.parametrize("command", list(SECRET_COMMANDS))
def test_a_secret_that_cannot_be_shown_changes_nothing(run, run_failing, db, command, error, as_json):
    token = create(run, "CRM Sync")
    key = ok(run("legacy-key", "regenerate", "--yes")).strip()
    before = rows(db)
    argv = SECRET_COMMANDS[command] + (["--json"] if as_json else [])
    result = run_failing(error, *argv)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip().splitlines()[-1]
    what = "legacy API key" if command == "regenerate" else "token"
    assert message == (f"The new {what} could not be written to standard output ({error.strerror}); "
                       "nothing was changed.")
    assert rows(db) == before  # no new integration, token, key or audit event
    assert verifies(run, token)
    assert ok(run("legacy-key", "status", "--json"))
    assert key[-4:] in ok(run("legacy-key", "status"))


@pytest.mark.parametrize("command", list(SECRET_COMMANDS))
def test_a_secret_shown_is_the_one_saved(run, db, command):
    """The secret is written before the commit; it is still the one that works after it."""
    create(run, "CRM Sync")
    result = run(*SECRET_COMMANDS[command], "--json")
    document = json.loads(ok(result))
    if command == "regenerate":
        assert document["hint"] == "…" + tokens.legacy_hint(document["key"])
        return
    assert document["integration"]["token_hint"] == tokens.pit_hint(document["token"])
    assert verifies(run, document["token"])
    assert document["integration"]["id"] and document["integration"]["version"] >= 1


@pytest.mark.sqlite_only  # a real process writing to the real /dev/full
def test_regenerate_into_dev_full_keeps_the_old_key(run, db, clock):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    key = ok(run("legacy-key", "regenerate", "--yes")).strip()
    before = rows(db)
    with open("/dev/full", "w") as full:
        result = subprocess.run(cli_argv("--db", str(db), "legacy-key", "regenerate", "--yes"),
                                stdout=full, stderr=subprocess.PIPE, text=True, env=clocked_env(clock), timeout=60,
                                check=False)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "The new legacy API key could not be written to standard output (No space left on device); "
        "nothing was changed.")
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert rows(db) == before
    assert key[-4:] in ok(run("legacy-key", "status"))


BROKEN_PIPE_COMMANDS = [
    ["scopes"],
    ["audit", "export", "--format", "csv"],
    ["integrations", "list"],
    ["integrations", "edit", "CRM Sync", "--description", "changed"],
]


@pytest.mark.sqlite_only  # real processes on a pipe closed early
@pytest.mark.parametrize("argv", BROKEN_PIPE_COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_a_reader_that_stops_early_is_not_a_database_error(run, db, clock, argv):
    """`aesthetix-tui scopes | head -1`: quiet, and the exit status of a process ended by SIGPIPE."""
    create(run, "CRM Sync")
    child = subprocess.Popen(cli_argv("--db", str(db), *argv), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=clocked_env(clock))
    child.stdout.close()  # before the child has written anything: its every write meets a closed pipe
    _, stderr = child.communicate(timeout=60)
    assert "database" not in stderr.lower(), stderr
    assert stderr.strip() == "", stderr  # no traceback, no "Exception ignored", no sentence at all
    assert child.returncode == 141, (child.returncode, stderr)
    if "edit" in argv:  # the change was made before its output met the closed pipe
        assert ok(run("integrations", "show", "CRM Sync", "--json"))
        assert json.loads(ok(run("integrations", "show", "CRM Sync", "--json")))["description"] == "changed"


def test_an_unexpected_error_is_named_as_such(run, monkeypatch):
    from aesthetix_tui.domain import catalog

    def broken():
        raise RuntimeError("the catalogue is gone")

    monkeypatch.setattr(catalog, "scopes", broken)
    message = refused(run("scopes"))
    assert message == "Unexpected error: RuntimeError: the catalogue is gone; nothing more was changed."


def test_a_full_disk_under_stdout_says_the_disk_is_full(run_failing):
    result = run_failing(FULL, "scopes")
    assert result.exit_code == 74
    assert result.stderr.strip() == ("The output could not be written (the disk is full); "
                                     "anything this command changed was saved.")


def test_output_that_fails_after_a_change_is_not_exit_1(run, run_failing, db):
    """Exit 1 promises that nothing changed: a saved edit whose output fails says it was saved."""
    create(run, "CRM Sync")
    result = run_failing(FULL, "integrations", "edit", "CRM Sync", "--description", "nightly")
    assert result.exit_code == 74, result.output
    assert "was saved" in result.stderr
    assert json.loads(ok(run("integrations", "show", "CRM Sync", "--json")))["description"] == "nightly"


def test_an_os_error_names_the_file():
    from aesthetix_tui.db.errors import explain_os_error

    message = explain_os_error(PermissionError(errno.EACCES, "Permission denied", "/srv/x.csv"))
    assert message == "The file /srv/x.csv cannot be used (permission denied); nothing more was changed."
    assert explain_os_error(OSError(errno.ENOSPC, "No space left on device")).startswith("The disk is full")


def test_sqlite_disk_full_is_explained_as_a_full_disk():
    from sqlalchemy import exc

    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.db.errors import explain

    error = exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    message = explain(error, resolve_target(db="/srv/x.db")).message
    assert message == "The disk holding the database /srv/x.db is full; free some space and try again."


@pytest.mark.sqlite_only  # SQLite's own limit on its file
def test_a_full_sqlite_file_says_the_disk_is_full(run, db, monkeypatch):
    """max_page_count makes SQLite answer SQLITE_FULL as a full disk would."""
    from aesthetix_tui.db import engine

    create(run, "CRM Sync")
    con = sqlite3.connect(str(db))
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    attach = engine.attach_sqlite_settings

    def attach_with_limit(eng):
        attach(eng)
        engine.event.listen(eng, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count = {pages}"))

    monkeypatch.setattr(engine, "attach_sqlite_settings", attach_with_limit)
    for n in range(200):
        result = run("integrations", "create", "--name", f"Filler {n}", "--scope", "contacts.readonly",
                     "--description", "x" * 500)
        if result.exit_code != 0:
            break
    message = refused(result, "disk", "full")
    assert "server" not in message and "reached" not in message


# -- 2. an export never destroys data ---------------------------------------------------------------

def test_export_refuses_an_existing_file_unless_forced(run, tmp_path):
    target = tmp_path / "trail.csv"
    target.write_text("keep me")
    refused(run("audit", "export", "--format", "csv", "--output", str(target)), "exists", "--force")
    assert target.read_text() == "keep me"
    result = run("audit", "export", "--format", "csv", "--output", str(target), "--force")
    assert ok(result) == "" and "Wrote 1 event to" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("seq,at,actor")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.sqlite_only  # the database's own files
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_export_never_writes_over_the_database(run, db, tmp_path, suffix):
    create(run, "CRM Sync")
    before = rows(db)
    link = tmp_path / "innocent.csv"
    link.symlink_to(f"{db}{suffix}")
    for target in (f"{db}{suffix}", str(link)):
        for force in ([], ["--force"]):
            refused(run("audit", "export", "--format", "csv", "--output", target, *force), "database")
    assert rows(db) == before
    assert ok(run("audit", "verify"))


@pytest.mark.sqlite_only  # the database's own file
def test_export_refuses_a_hard_link_to_the_database(run, db, tmp_path):
    ok(run("audit", "verify"))
    link = tmp_path / "hard.csv"
    os.link(db, link)
    refused(run("audit", "export", "--format", "json", "--output", str(link), "--force"), "database")
    assert ok(run("audit", "verify"))


def test_an_export_that_fails_leaves_no_partial_file(run, tmp_path, monkeypatch):
    from aesthetix_tui.domain import audit_export

    create(run, "CRM Sync")
    target = tmp_path / "trail.json"
    target.write_text("keep me")
    real = audit_export.as_dict
    calls = []

    def fails_on_the_second(event):
        calls.append(event)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(event)

    monkeypatch.setattr(audit_export, "as_dict", fails_on_the_second)
    result = run("audit", "export", "--format", "json", "--output", str(target), "--force")
    refused(result, "disk is full", str(target))
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name != "x.db" and not p.name.startswith("x.db-")] \
        == ["trail.json"]


@pytest.mark.sqlite_only  # the database's own file
def test_the_tui_export_refuses_the_database_too(database, db_path):
    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.audit_export_file import write_export
    from aesthetix_tui.domain.errors import InvalidInput

    with database.session() as session:
        account = accounts.resolve(session, None)
        size = db_path.stat().st_size
        for suffix in ("", "-wal"):
            with pytest.raises(InvalidInput, match="database"):
                write_export(session, account.id, "csv", db_path.parent / f"{db_path.name}{suffix}")
        assert db_path.stat().st_size == size
        other = db_path.parent / "trail.csv"
        other.write_text("old")
        assert write_export(session, account.id, "csv", other) == 1  # the TUI asked before replacing
        assert other.read_text(encoding="utf-8").startswith("seq,at,actor")


# -- 3. exports are safe to open in a spreadsheet -------------------------------------------------

FORMULA = "=cmd|' /C calc'!A0"


def test_csv_cells_that_start_a_formula_are_quoted(run, db):
    labels = [FORMULA, "+1", "-2", "@SUM(A1)"]  # tab and CR: refused as actor names, see test_csv_cell_rule
    for i, label in enumerate(labels):
        change = f"legacy_triggers={'on' if i % 2 == 0 else 'off'}"
        if isinstance(db, str):  # PostgreSQL refuses --actor: the label written behind its back
            ok(run("features", "update", change))
            quoted = label.replace("'", "''")
            execute_sql(db, f"UPDATE audit_event SET actor_label = '{quoted}' WHERE seq = {i + 2}")
        else:  # SQLite records it beside the OS login
            ok(run("features", "update", change, "--actor", label))
    parsed = list(csv.DictReader(io.StringIO(ok(run("audit", "export", "--format", "csv")))))
    assert [r["actor_label"] for r in parsed] == [""] + ["'" + a for a in labels]
    assert all(not r[c].startswith(("=", "+", "-", "@", "\t", "\r")) for r in parsed for c in r)
    exact = json.loads(ok(run("audit", "export", "--format", "json")))
    assert [e.get("actor_label") for e in exact] == [None] + labels


def test_csv_cell_rule():
    from aesthetix_tui.domain.audit_export import csv_cell

    for start in ("=", "+", "-", "@"):
        assert csv_cell(start + "1") == "'" + start + "1"
    # tab and carriage return are quoted too, and shown as their pictures, as in all plain output
    assert (csv_cell("\t1"), csv_cell("\r1")) == ("'␉1", "'␍1")
    assert csv_cell("a=b") == "a=b" and csv_cell(7) == 7 and csv_cell("") == "" and csv_cell(None) is None


# -- 4. passwords never appear in messages -----------------------------------------------------------

@pytest.mark.parametrize("url", [
    "postgresql+psycopg://u@127.0.0.1:1/x?password=S3cretPW",
    "postgresql+psycopg://u:S3cretPW@127.0.0.1:1/x",
    "postgresql+psycopg://u:S3cretPW@127.0.0.1:1/x?sslmode=disable&PASSWORD=S3cretPW",
    "postgresql+psycopg://127.0.0.1:1/x?connect_timeout=2&password=S3cretPW",
])
def test_a_password_never_appears_in_a_message(url, monkeypatch, clock):
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    for argv in (["accounts", "list"], ["integrations", "list", "--json"], ["audit", "export", "--format", "csv"]):
        result = CliRunner().invoke(cli, ["--database-url", url, *argv], catch_exceptions=False, obj=clock)
        assert result.exit_code == 1, result.output
        assert "S3cretPW" not in result.output
        assert "***" in result.stderr or "u@" in result.stderr, result.stderr


def test_the_url_label_hides_every_password():
    from aesthetix_tui.config import redact_url

    assert redact_url("postgresql://u@h/x?password=S3cretPW") == "postgresql://***@h/x?password=***"
    assert redact_url("postgresql://u@h/x?a=1&Password=S3cretPW&b=2") == "postgresql://***@h/x?a=1&Password=***&b=2"
    assert redact_url("postgresql://u:S3c?ret/PW@h/x") == "postgresql://***@h/x"


def test_a_driver_message_never_repeats_the_password():
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.db.errors import explain

    target = resolve_target(database_url="postgresql+psycopg://u:S3cretPW@h/x?password=Other%21PW")
    problem = explain(ValueError("bad option near S3cretPW and Other!PW"), target)
    assert "S3cretPW" not in problem.message and "Other" not in problem.message


# -- 5. names are not ids -----------------------------------------------------------------------------

def test_an_integration_named_only_digits_is_refused(run, db):
    create(run, "CRM Sync")
    before = rows(db)
    refused(run("integrations", "create", "--name", "1", "--scope", "contacts.readonly"), "only digits", "id")
    refused(run("integrations", "edit", "CRM Sync", "--name", " 42 "), "only digits")
    assert rows(db) == before
    create(run, "1st CRM")

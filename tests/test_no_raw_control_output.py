"""Nothing stored reaches the terminal raw: rows written straight into the database with escape
sequences in every text column, then every CLI command and TUI screen that shows them, run in
a real pseudo-terminal. No ESC, BEL or CSI that came from the data may reach the terminal;
the data shows with its control characters made visible (␛, ␇, \\x9b).

The children run on the tests' clock (libfaketime), so the grants are live as seeded.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests.processes import clocked_env
from tests.pty_process import PtyProcess

# An OSC 52 clipboard write, a screen clear, a window title, an 8-bit CSI, a bidi override.
PAYLOAD = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;PWNED\x07\x9b6n\u202e"
FORBIDDEN = [b"\x1b]52;c;ZXZpbA", b"\x1b]0;PWNED", b"\x07", "\x9b".encode(), "\u202e".encode(),
             b"ZXZpbA==\x1b"]
# Textual's own pointer-shape sequence (OSC 22) ends with BEL: it is not from the data.
TEXTUAL_OWN = re.compile(rb"\x1b\]22;[a-z-]*\x07")
SHOWN = "␛]52;c;ZXZpbA==␇"  # how the payload looks once made visible
OWNER = Actor("alice", "owner")
AESTHETIX = str(Path(sys.executable).with_name("aesthetix-tui"))


@pytest.fixture
def hostile_db(tmp_path, clock, monkeypatch):
    """Two accounts (one with live access, an integration, a key and an agent's session; one
    with access revoked), then every text column overwritten with PAYLOAD behind the app's back."""
    from aesthetix_tui.domain import accounts, integrations, legacy_key, support_access, support_sessions
    from aesthetix_tui.domain.seed import open_database

    monkeypatch.setenv("TZ", "UTC")
    path = tmp_path / "hostile.db"
    db = open_database(resolve_target(db=str(path)), clock)
    today = clock.now().date()
    with db.session() as s:
        first = accounts.resolve(s, None)
        second = accounts.create(s, clock, "Second", "UTC", OWNER)
        support_access.enable(s, clock, first.id, today + timedelta(days=7), OWNER, reason="ticket")
        support_access.enable(s, clock, second.id, today + timedelta(days=3), OWNER)
        support_access.revoke(s, clock, second.id, OWNER)
        integrations.create(s, clock, first.id, "Zapier", ["contacts.readonly"], OWNER, "sync")
        legacy_key.regenerate(s, clock, first.id, OWNER)
        support_sessions.start(s, clock, first.id, "sam")
    db.dispose()
    raw = sqlite3.connect(path)
    p = PAYLOAD
    for sql, args in [
        ("UPDATE account SET name = ? WHERE id = 1", (f"Acme{p}",)),
        ("UPDATE integration SET name = ?, description = ?, created_by = ?, token_hint = ?",
         (f"Zap{p}", f"desc{p}", f"maker{p}", f"pit-{p}")),
        ("UPDATE support_grant SET enabled_by = ?, reason = ?, revoked_by = ?",
         (f"enabler{p}", f"reason{p}", f"revoker{p}")),
        ("UPDATE legacy_key SET created_by = ?", (f"keymaker{p}",)),
        ("UPDATE support_session SET agent = ?", (f"agent{p}",)),
        ("UPDATE audit_event SET actor = ?, actor_label = ?, target = ?, details = ?",
         (f"actor{p}", f"label{p}", f"target{p}", json.dumps({"note": f"detail{p}"}))),
    ]:
        raw.execute(sql, args)
    raw.commit()
    raw.close()
    return path


def run_cli(clock, db: Path, *args: str) -> bytes:
    with PtyProcess([AESTHETIX, "--db", str(db), *args], env=clocked_env(clock)) as proc:
        proc.wait_exit(timeout=60)
        proc.drain(0.2)
        return bytes(proc.output)


def assert_clean(output: bytes, where: str) -> None:
    output = TEXTUAL_OWN.sub(b"", output)
    for needle in FORBIDDEN:
        at = output.find(needle)
        assert at == -1, f"{where}: {needle!r} from the data reached the terminal: {output[at - 300:at + 40]!r}"


COMMANDS = [
    ("support-access", "status", "--account", "1"),
    ("support-access", "status", "--account", "2"),
    ("integrations", "list", "--account", "1"),
    ("integrations", "show", "1", "--account", "1"),
    ("legacy-key", "status", "--account", "1"),
    ("audit", "list", "--account", "1"),
    ("audit", "export", "--format", "csv", "--account", "1"),
    ("accounts", "list"),
    ("support", "accounts"),
    ("support", "check", "1"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_cli_shows_stored_text_with_controls_visible(hostile_db, clock, command):
    output = run_cli(clock, hostile_db, *command)
    assert_clean(output, " ".join(command))
    assert SHOWN.encode() in output or b"\\x1b" in output, output[-600:]


def test_cli_json_keeps_the_exact_value_escaped(hostile_db, clock):
    output = run_cli(clock, hostile_db, "integrations", "show", "1", "--account", "1", "--json")
    assert_clean(output, "integrations show --json")
    shown = json.loads(output.decode().replace("\r\n", "\n"))
    assert shown["description"] == f"desc{PAYLOAD}"


def screen_walk(proc: PtyProcess, steps) -> None:
    for keys, needle in steps:
        mark, _sent = proc.press(keys) if keys else (len(proc.output), 0.0)
        proc.read_until(needle, timeout=60, start=mark)
        proc.drain(0.5)  # a lone ESC followed at once by a key would read as alt+key
    proc.drain(1.0)


def test_tui_screens_show_stored_text_with_controls_visible(hostile_db, clock):
    argv = [AESTHETIX, "--db", str(hostile_db), "--account", "1"]
    with PtyProcess(argv, env={**clocked_env(clock), "HOME": str(hostile_db.parent)}) as proc:
        screen_walk(proc, [
            (None, "Support session in progress"),    # Business Profile: reason, enabled by, the agent
            ("i", "Zap"),                             # Private Integrations: name, created by
            ("\r", "History"),                        # the detail: description, history, actors
            ("\x1b", "Zap"),
            ("e", "Edit"),                            # the edit form holds the stored text
            ("\x1b", "Zap"),
            ("a", "actor"),                           # the Audit log: actor, target, details
        ])
        assert_clean(bytes(proc.output), "the TUI")
        assert "␛".encode() in proc.output


def test_support_console_shows_stored_text_with_controls_visible(hostile_db, clock):
    argv = [AESTHETIX, "--db", str(hostile_db), "support", "console", "--agent", "sam"]
    with PtyProcess(argv, env={**clocked_env(clock), "HOME": str(hostile_db.parent)}) as proc:
        screen_walk(proc, [
            (None, "Acme"),          # the account list: name, reason
            ("\r", "Read-only"),     # a session: the account, the grant, integrations
            ("2", "Zap"),
        ])
        assert_clean(bytes(proc.output), "the support console")
        assert "␛".encode() in proc.output

"""Import hygiene: the CLI and the domain load no Textual (each check in a fresh interpreter)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import aesthetix_tui.commands
import aesthetix_tui.domain

PROBE = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {roots!r})))
"""


def loaded(modules: list[str], roots: list[str]) -> list[str]:
    """The modules under `roots` that importing `modules` pulls in, in a new interpreter."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(modules=modules, roots=roots)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


DOMAIN = sorted(f"aesthetix_tui.domain.{m.name}" for m in pkgutil.iter_modules(aesthetix_tui.domain.__path__))


def test_the_probe_sees_textual_when_it_is_imported():
    assert "textual" in loaded(["textual.app"], ["textual"])


def test_the_cli_loads_no_textual():
    assert loaded(["aesthetix_tui.cli"], ["textual"]) == []


def test_the_cli_defers_the_database_stack():
    """cli.py promises light imports: no SQLAlchemy, SQLModel or Alembic until a command runs."""
    assert loaded(["aesthetix_tui.cli"], ["sqlalchemy", "sqlmodel", "alembic"]) == []


def test_the_domain_loads_no_textual():
    assert len(DOMAIN) >= 13
    assert loaded(DOMAIN + ["aesthetix_tui.db.open", "aesthetix_tui.db.migrate"], ["textual"]) == []


STACK = ["sqlalchemy", "sqlmodel", "alembic"]


def test_the_tui_app_loads_no_database_stack():
    """The first frame paints while a worker thread opens the database (issue 7)."""
    assert loaded(["aesthetix_tui.ui.app", "aesthetix_tui.ui.run"], STACK) == []


def test_the_fast_support_check_loads_no_database_stack():
    assert loaded(["aesthetix_tui.domain.quick"], STACK + ["textual"]) == []


COMMANDS = sorted(f"aesthetix_tui.commands.{m.name}" for m in pkgutil.iter_modules(aesthetix_tui.commands.__path__))


def test_every_command_module_loads_no_stack():
    """`aesthetix-tui --help` imports every command module: each imports the domain inside its
    commands (the CLI start-up boundary, DEVELOPERS.md)."""
    assert len(COMMANDS) >= 10
    assert loaded(["aesthetix_tui.cli"] + COMMANDS, STACK + ["textual"]) == []


CHECK_PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {roots!r})),
                              file=sys.stderr))
sys.argv = ["aesthetix-tui", "--db", {db!r}, "support", "check", "1"]
from aesthetix_tui.cli import main
main()
"""


def test_support_check_on_a_current_sqlite_file_runs_without_the_stack(tmp_path):
    """`support check` answers with stdlib sqlite3 once the file is at the newest schema."""
    db = str(tmp_path / "a.db")
    first = subprocess.run([sys.executable, "-m", "aesthetix_tui", "--db", db, "support", "check", "1"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert first.returncode == 1 and "is off" in first.stderr  # created and migrated by the full stack
    result = subprocess.run([sys.executable, "-c", CHECK_PROBE.format(roots=STACK + ["textual"], db=db)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    message, modules = result.stderr.strip().splitlines()
    assert message == "Support Access to My Business is off; support cannot open this account."
    assert json.loads(modules) == []

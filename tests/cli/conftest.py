"""CLI fixtures: `cli_run(*args)` invokes aesthetix-tui in-process on a fresh database file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli


@pytest.fixture
def cli_run(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = str(tmp_path / "x.db")

    def run(*args: str):
        return CliRunner().invoke(cli, ["--db", path, *args], obj=clock, catch_exceptions=False)

    return run

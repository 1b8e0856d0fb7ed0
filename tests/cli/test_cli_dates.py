"""The CLI reads dates with the domain's one parser: exactly YYYY-MM-DD."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli

WRITE_DATE = "Write the date as YYYY-MM-DD, for example 2026-12-03."


@pytest.fixture
def run(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = str(tmp_path / "x.db")

    def run(*args: str):
        return CliRunner().invoke(cli, ["--db", path, *args], obj=clock, catch_exceptions=False)

    return run


@pytest.mark.parametrize("until", ["20261203", "2026-W49-4", "2026-12-3", "٢٠٢٦-١٢-٠٣"])
@pytest.mark.parametrize("command", ["enable", "extend"])
def test_a_date_not_written_as_yyyy_mm_dd_is_refused(run, command, until):
    result = run("support-access", command, "--until", until)
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.stdout == ""
    assert result.stderr.strip() == WRITE_DATE
    assert run("support-access", "status", "--json").exit_code == 0
    assert '"state": "off"' in run("support-access", "status", "--json").stdout


def test_an_impossible_date_is_named(run):
    result = run("support-access", "enable", "--until", "2026-02-30")
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.stderr.strip() == "2026-02-30 is not a date."


def test_a_plain_date_is_accepted(run):
    result = run("support-access", "enable", "--until", " 2026-12-03 ")
    assert result.exit_code == 0, (result.exit_code, result.output)

"""The CLI reads dates with the domain's one parser: exactly YYYY-MM-DD."""

from __future__ import annotations

import pytest

WRITE_DATE = "Write the date as YYYY-MM-DD, for example 2026-12-03."


@pytest.fixture
def run(cli_run):
    return cli_run


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

"""Support Access ending within 24 hours: the owner is warned, in the account's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from aesthetix_tui.domain.support_status import ENDS_SOON, SupportAccessStatus, sentence

END = datetime(2026, 12, 3, 23, 0, tzinfo=UTC)  # the end of Thu 3 Dec in Paris


def status(left: timedelta, state: str = "active") -> SupportAccessStatus:
    return SupportAccessStatus(state=state, until_date=date(2026, 12, 3), ends_at=END, time_left=left,
                               reason=None)


@pytest.mark.parametrize("left, text", [
    (timedelta(hours=5, minutes=30), "Support Access is active — ends in 5 h (Thu 3 Dec, 23:59)"),
    (timedelta(minutes=40, seconds=5), "Support Access is active — ends in 40 min (Thu 3 Dec, 23:59)"),
    (timedelta(seconds=20), "Support Access is active — ends in less than a minute (Thu 3 Dec, 23:59)"),
    (ENDS_SOON, "Support Access is active — ends in 24 h (Thu 3 Dec, 23:59)"),
])
def test_within_a_day_the_sentence_says_when_it_ends(left, text):
    assert status(left).ends_soon
    assert sentence(status(left), "Europe/Paris") == text


def test_more_than_a_day_is_the_usual_sentence():
    longer = status(ENDS_SOON + timedelta(seconds=1))
    assert not longer.ends_soon
    assert sentence(longer, "Europe/Paris") == (
        "Support Access is active — available through Thu 3 Dec 2026 (1 day left)")


def test_only_active_access_ends_soon():
    assert not status(timedelta(hours=1), state="expired").ends_soon
    assert not SupportAccessStatus("off").ends_soon


def test_the_time_is_the_accounts():
    assert sentence(status(timedelta(hours=2)), "America/New_York").endswith("(Thu 3 Dec, 17:59)")
    assert status(timedelta(hours=2)).as_dict()["ends_soon"] is True


def test_the_cli_status_says_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from aesthetix_tui.cli import cli
    from aesthetix_tui.clock import ManualClock

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    clock = ManualClock(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    db = str(tmp_path / "x.db")

    def run(*args):
        return CliRunner().invoke(cli, ["--db", db, *args], obj=clock, catch_exceptions=False)

    assert run("support-access", "enable", "--until", "2026-11-26").exit_code == 0
    result = run("support-access", "status")
    assert result.exit_code == 0 and "ends in 9 h (Thu 26 Nov, 23:59)" in result.stdout
    clock.advance(timedelta(hours=1))
    assert "ends in 8 h" in run("support-access", "status").stdout

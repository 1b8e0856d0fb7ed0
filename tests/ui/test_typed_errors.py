"""Issue 25: decisions read an error's type, never its sentence. Each test rewords the sentence
and checks that the decision stays the same (and that the usual sentence alone decides nothing)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from aesthetix_tui.config import resolve_target
from aesthetix_tui.db.errors import BUSY, TIMED_OUT, explain_read
from aesthetix_tui.domain.errors import DatabaseBusy, DatabaseProblem, SlowRead, TimedOut
from aesthetix_tui.ui import database_gate

REWORDED = "Someone else is writing; in other words."


class NoDatabase:
    """Stands in for the gate's database: its sessions are None (the functions ignore them)."""

    @contextmanager
    def session(self, timeout_ms=None):
        yield None


@pytest.fixture
def gate(clock, tmp_path, monkeypatch):
    monkeypatch.setattr(database_gate, "BUSY_RETRIES", (0, 0))
    opened = database_gate.DatabaseGate(resolve_target(db=str(tmp_path / "x.db")), clock)
    opened.database = NoDatabase()
    opened.ready.set()
    return opened


def failing(times: int, error: Exception):
    """A function that raises ERROR its first TIMES calls, then returns "done"; `calls` counts."""
    def run(session):
        run.calls += 1
        if run.calls <= times:
            raise error
        return "done"

    run.calls = 0
    return run


@pytest.mark.parametrize("error", [DatabaseBusy(REWORDED), TimedOut(REWORDED)])
async def test_the_gate_retries_a_busy_database_whatever_its_sentence(gate, error):
    told = []
    gate.on_busy = lambda: told.append(1)
    run = failing(2, error)
    assert await gate.call(run) == "done"
    assert run.calls == 3 and len(told) == 2


@pytest.mark.parametrize("sentence", [BUSY, TIMED_OUT])
async def test_a_problem_worded_like_busy_is_not_retried(gate, sentence):
    run = failing(1, DatabaseProblem(sentence))
    with pytest.raises(DatabaseProblem):
        await gate.call(run)
    assert run.calls == 1


def test_a_timed_out_read_is_slow_whatever_its_sentence(tmp_path):
    target = resolve_target(db=str(tmp_path / "x.db"))
    assert isinstance(explain_read(TimedOut(REWORDED), target), SlowRead)
    assert not isinstance(explain_read(DatabaseProblem(TIMED_OUT), target), SlowRead)


# -- the console: a session closed elsewhere ends by its type, not its words ---------------------

async def ending_with(home, ui_db, clock, monkeypatch, error: Exception) -> tuple:
    """Open a session, then make each read of it fail with ERROR: (the screen's name, and the
    notice's text if it shows one) once that read was answered."""
    from aesthetix_tui.domain import support_sessions
    from tests.ui.test_support_console import console, notice_text, open_first, screen_name, seed
    from tests.ui.toolkit import until

    seed(ui_db, clock)
    app = console(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot)
        failed = []

        def ended(session, clock, session_id):
            failed.append(session_id)
            raise error

        monkeypatch.setattr(support_sessions, "read_as_agent", ended)
        await until(pilot, lambda: len(failed) >= 2 or screen_name(app) == "AccessEndedScreen")
        await app.workers.wait_for_complete()
        await pilot.pause()
        name = screen_name(app)
        return name, notice_text(app) if name == "AccessEndedScreen" else None


async def test_a_session_ended_elsewhere_ends_it_whatever_its_sentence(home, ui_db, clock, monkeypatch):
    from aesthetix_tui.domain.errors import SessionEnded

    assert await ending_with(home, ui_db, clock, monkeypatch, SessionEnded(REWORDED)) == (
        "AccessEndedScreen", REWORDED)


async def test_a_refusal_that_says_has_ended_leaves_the_session_open(home, ui_db, clock, monkeypatch):
    from aesthetix_tui.domain.errors import Conflict

    worded = Conflict("This support session on My Business has ended; open the account again.")
    assert await ending_with(home, ui_db, clock, monkeypatch, worded) == ("SessionScreen", None)

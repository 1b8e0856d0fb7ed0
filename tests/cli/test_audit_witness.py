"""`audit list|export|verify|head` and the witness: a history rewritten, cut or wiped since
this client (or an owner's `audit head`) saw it is reported, even when its chain verifies."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from aesthetix_tui.cli import cli
from aesthetix_tui.domain import accounts, audit, features
from aesthetix_tui.domain.actor import SYSTEM
from tests.witness_helpers import ATTACKS, Forger, seen

SENTENCE = re.compile(r"The audit history was rewritten or truncated( since [^:]+ \d\d:\d\d)?: "
                      r"event #(\d+) (is missing|was changed)\.")


@pytest.fixture
def run(database, clock):
    """The CLI on the test's database, in process, on the test's clock."""
    target = database.target
    option = ["--db", str(target.path)] if target.path else ["--database-url", target.url]
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, option + list(args), catch_exceptions=False, obj=clock)
        assert "Traceback" not in result.output
        return result

    return run


@pytest.fixture
def trail(database, clock, account, owner):
    """Four events (#1 account.created and three feature changes)."""
    with database.session() as s:
        for index in range(3):
            clock.advance(timedelta(minutes=5))
            features.update(s, clock, account.id, {"legacy_campaigns": index % 2 == 0}, owner)
    return account


def head(run) -> tuple[int, str]:
    result = run("audit", "head", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["seq"], data["hash"]


def test_head_prints_the_newest_event_and_verify_expects_it(run, trail, database):
    result = run("audit", "head")
    assert result.exit_code == 0 and result.stderr == ""
    seq, digest = head(run)
    assert (seq, len(digest)) == (4, 64)
    assert result.stdout == f"#4 {digest}\n"
    for form in (f"4:{digest}", f"#4 {digest}", f"4:{digest.upper()}"):
        checked = run("audit", "verify", "--expect", form)
        assert checked.exit_code == 0, checked.output
        assert checked.stdout == "The audit trail is intact: 4 events verified.\n"
    assert json.loads(run("audit", "verify", "--json", "--expect", f"4:{digest}").stdout)["ok"] is True


@pytest.mark.parametrize("value", ["4", "4:abc", "x:" + "a" * 64, "0:" + "a" * 64, "4:" + "g" * 64, ""])
def test_a_malformed_expect_is_a_usage_error(run, trail, value):
    result = run("audit", "verify", "--expect", value)
    assert result.exit_code == 2, result.output
    error = result.stderr.strip().splitlines()[-1]
    assert "is not SEQ:HASH" in error and "audit head" in error


def test_an_expected_event_that_is_not_there(run, trail):
    seq, digest = head(run)
    wrong = run("audit", "verify", "--expect", f"{seq}:{'0' * 64}")
    assert wrong.exit_code == 1 and wrong.stdout == ""
    assert wrong.stderr == "The audit history was rewritten or truncated: event #4 was changed.\n"
    later = run("audit", "verify", "--expect", f"9:{digest}")
    assert later.exit_code == 1
    assert later.stderr == "The audit history was rewritten or truncated: event #9 is missing.\n"
    data = json.loads(run("audit", "verify", "--json", "--expect", f"9:{digest}").stdout)
    assert data["ok"] is False and data["broken_seq"] is None
    assert data["history_problems"] == ["The audit history was rewritten or truncated: event #9 is missing."]


def test_reading_the_trail_moves_the_witness_forward(run, trail, database, clock, owner):
    assert seen(database, trail.id) is None
    assert run("audit", "list").exit_code == 0
    assert seen(database, trail.id).seq == 4
    with database.session() as s:
        features.update(s, clock, trail.id, {"legacy_triggers": True}, owner)
    assert run("audit", "export", "--format", "json").exit_code == 0
    assert seen(database, trail.id).seq == 5
    assert run("audit", "verify").exit_code == 0
    assert run("audit", "head").exit_code == 0


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_forgery_is_reported_by_every_reader(run, trail, database, clock, attack):
    seq, digest = head(run)  # the client saw #4, and the owner kept it
    ATTACKS[attack](database, trail.id)
    clock.advance(timedelta(days=1))
    with database.session() as s:
        assert audit.verify(s, trail).ok, "the forgery must fool the chain alone"
    ending = "was changed." if attack == "rewritten" else "is missing."
    expected = f"The audit history was rewritten or truncated since Thu 26 Nov 2026 15:15: event #4 {ending}"

    verified = run("audit", "verify")
    assert verified.exit_code == 1
    assert verified.stdout == ""
    assert verified.stderr == expected + "\n"

    kept = run("audit", "verify", "--expect", f"{seq}:{digest}")
    assert kept.exit_code == 1
    assert f"The audit history was rewritten or truncated: event #4 {ending}" in kept.stderr
    assert expected in kept.stderr

    data = json.loads(run("audit", "verify", "--json").stdout)
    assert data["ok"] is False and data["history_problems"] == [expected]

    listed = run("audit", "list")
    assert listed.exit_code == 0 and listed.stdout.startswith("#")  # the output still comes
    assert listed.stderr == f"Warning: {expected}\n"
    listed_json = run("audit", "list", "--json")
    assert isinstance(json.loads(listed_json.stdout), list) and expected in listed_json.stderr

    exported = run("audit", "export", "--format", "csv")
    assert exported.exit_code == 0 and exported.stdout.startswith("seq,")
    assert exported.stderr == f"Warning: {expected}\n"

    refused = run("audit", "head")
    assert refused.exit_code == 1 and refused.stdout == "" and refused.stderr == expected + "\n"

    # Nobody moved the witness onto the forged head: it keeps saying so.
    assert seen(database, trail.id).seq == 4
    assert SENTENCE.fullmatch(run("audit", "verify").stderr.strip())


def test_a_broken_chain_and_a_rewritten_history_are_both_said(run, trail, database):
    assert run("audit", "list").exit_code == 0  # seen: #4
    forger = Forger(database)
    forger.execute("UPDATE audit_event SET hash = ? WHERE account_id = ? AND seq = 4", ("f" * 64, trail.id))
    forger.done()
    result = run("audit", "verify")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("The audit trail is broken at event #4")
    assert SENTENCE.fullmatch(lines[1]) and lines[1].endswith("event #4 was changed.")


def test_a_corrupt_witness_file_never_stops_a_command(run, trail, witness_file):
    witness_file.parent.mkdir(parents=True, exist_ok=True)
    witness_file.write_text("{oops")
    result = run("audit", "list")
    assert result.exit_code == 0 and result.stderr == ""
    assert witness_file.with_name("witness.json.corrupt").read_text() == "{oops"
    assert json.loads(witness_file.read_text())["databases"]


def test_a_recreated_account_is_reported_by_verify(run, trail, database, clock):
    assert run("audit", "verify").exit_code == 0  # the client saw #4
    with database.session() as s:
        s.execute(text("DELETE FROM account WHERE id = :id"), {"id": trail.id})
        s.commit()
        accounts.create(s, clock, trail.name, "UTC", SYSTEM)
    result = run("audit", "verify")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "The account was deleted and created again since Thu 26 Nov 2026 15:15.\n"
    assert json.loads(run("audit", "verify", "--json").stdout)["history_problems"] == [result.stderr.strip()]

"""`integrations verify --batch`: a gateway's many tokens, one per line on stdin, one answer per
line on stdout, in order, each as the single verify would answer it (domain/token_check.verify_many)."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from datetime import timedelta

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.domain import tokens
from tests.processes import cli_argv, clocked_env

READ = "contacts.readonly"


@pytest.fixture
def run(db, db_kind, clock):
    option = ["--database-url", db] if db_kind == "postgresql" else ["--db", str(db)]

    def run(*args: str, input: str | bytes | None = None):
        return CliRunner().invoke(cli, [*option, *args], input=input, catch_exceptions=False, obj=clock)

    run.option = option
    return run


def made(run, name: str, *more: str) -> str:
    result = run("integrations", "create", "--name", name, "--scope", READ, *more)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


@pytest.fixture
def given(run, clock):
    """A token of every kind, three days after they were made."""
    valid, revoked, expired, rotated = (made(run, "Valid"), made(run, "Revoked"),
                                        made(run, "Expired", "--expires", (clock.now() + timedelta(days=1)).date().isoformat()),
                                        made(run, "Rotated"))
    assert run("integrations", "revoke", "Revoked", "--yes").exit_code == 0
    new = run("integrations", "rotate", "Rotated", "--expire-old", "7d").stdout.strip()
    clock.advance(timedelta(days=3))
    return {"valid": valid, "revoked": revoked, "expired": expired, "old token in grace": rotated,
            "new token": new, "unknown": tokens.new_pit(), "malformed": "pit-nonsense", "empty": "",
            "huge": "x" * 200_000}


def single(run, token: str, *args: str) -> str:
    """What the single verify says: its stdout line when valid, else its one sentence."""
    result = run("integrations", "verify", *args, input=token + "\n")
    return (result.stdout if result.exit_code == 0 else result.stderr).strip()


def test_answers_stay_in_order_across_many_chunks(run, given, monkeypatch):
    """Many chunks (of two lines here): still one answer per line, in the lines' order."""
    from aesthetix_tui.commands import batch_lines

    chunks = batch_lines.chunks
    monkeypatch.setattr(batch_lines, "chunks", lambda stream: chunks(stream, size=2))
    order = ["valid", "unknown", "new token", "malformed", "valid", "revoked", "empty", "new token",
             "expired", "valid", "unknown"]
    result = run("integrations", "verify", "--batch", "--json", "--scope", READ,
                 input="\n".join(given[k] for k in order) + "\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["valid"] for a in answers] == [k in ("valid", "new token") for k in order]
    assert [a["name"] for a in answers if a["valid"]] == ["Valid", "Rotated", "Valid", "Rotated", "Valid"]


def test_each_line_gets_the_single_verifys_answer_in_order(run, given):
    order = list(given) + ["valid", "empty", "unknown", "valid"]
    result = run("integrations", "verify", "--batch", "--scope", READ, input="\n".join(given[k] for k in order) + "\n")
    assert result.exit_code == 0, result.output
    answers = result.stdout.splitlines()
    assert len(answers) == len(order)
    for kind, answer in zip(order, answers):
        assert answer == single(run, given[kind], "--scope", READ), kind
    assert [k for k, a in zip(order, answers) if a.startswith("Valid:")] == [
        "valid", "old token in grace", "new token", "valid", "valid"]
    assert "expired on" in answers[order.index("expired")]
    assert answers[order.index("revoked")] == answers[order.index("unknown")]
    assert "malformed" in answers[order.index("huge")] and "malformed" in answers[order.index("empty")]
    assert not any(t and t in result.output for t in given.values() if t.startswith("pit-"))  # no secret echoed


def test_json_lines_say_valid_or_why_not(run, given):
    order = ["valid", "revoked", "empty", "expired", "new token"]
    result = run("integrations", "verify", "--batch", "--json", input="\n".join(given[k] for k in order))
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["valid"] for a in answers] == [True, False, False, False, True]
    assert answers[0]["name"] == "Valid" and answers[0]["last_used_at"] is not None
    assert answers[4]["name"] == "Rotated" and "token_hash" not in answers[4]
    assert answers[1]["error"] == single(run, given["revoked"])
    assert "malformed" in answers[2]["error"] and "expired on" in answers[3]["error"]


def test_bad_bytes_and_no_input_are_answered_without_a_traceback(run, given):
    result = run("integrations", "verify", "--batch", input=b"pit-\xff\xfe\r\n" + given["valid"].encode() + b"\r\n")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert result.stdout.splitlines() == [single(run, "pit-nonsense"), "Valid: 'Valid' (id 1)."]
    empty = run("integrations", "verify", "--batch", input="")
    assert (empty.exit_code, empty.stdout) == (0, "")


def test_an_unknown_scope_or_a_token_in_argv_is_refused(run, given):
    result = run("integrations", "verify", "--batch", "--scope", "no.such", input=given["valid"] + "\n")
    assert result.exit_code == 1 and result.stdout == "" and "Unknown scope" in result.stderr
    assert "Traceback" not in result.output
    assert run("integrations", "verify", "--batch", given["valid"], input="").exit_code == 2


def test_a_gateway_gets_each_answer_before_it_sends_the_next_token(run, given, clock):
    """One line in, its answer out at once (the batch takes what is waiting); a revoke made while
    the process runs shows on the next line."""
    child = subprocess.Popen(cli_argv(*run.option, "integrations", "verify", "--batch"), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clocked_env(clock))
    answers: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [answers.put(line) for line in child.stdout], daemon=True).start()
    try:
        for expected in ("Valid: 'Valid'", "Valid: 'Valid'"):
            child.stdin.write(given["valid"] + "\n")
            child.stdin.flush()
            assert answers.get(timeout=60).startswith(expected)  # stdin still open: answered anyway
        assert run("integrations", "revoke", "Valid", "--yes").exit_code == 0
        child.stdin.write(given["valid"] + "\n")
        child.stdin.flush()
        assert answers.get(timeout=60).startswith("This token is not valid")
        child.stdin.close()
        assert child.wait(timeout=60) == 0
    finally:
        child.kill()
        child.wait()

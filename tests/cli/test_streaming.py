"""Issue 23: big listings stream. `listing` prints each record as it comes (a table in batches of
BATCH_ROWS, its header once, its columns only widening); the domain's streams read keyset pages
or through a server-side cursor and give what the whole lists give."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from aesthetix_tui.commands import output
from aesthetix_tui.domain import accounts, accounts_overview, audit, integrations, support_access, support_sessions
from aesthetix_tui.domain.actor import Actor

OWNER = Actor("alice", "owner")


def records(capsys, count: int, printed: list, width=lambda n: 1):
    """COUNT records; before making each, what was printed so far is kept in PRINTED."""
    for n in range(count):
        printed.append(capsys.readouterr().out)
        yield {"n": n, "name": "x" * width(n)}


def test_a_json_list_is_printed_record_by_record_exactly_as_a_whole(capsys):
    printed: list = []
    output.listing(records(capsys, 3, printed), True, dict, [], None)
    printed.append(capsys.readouterr().out)
    assert printed[1] == '[\n  {\n    "n": 0,\n    "name": "x"\n  }'  # the first, before the second is read
    assert "".join(printed) == output.json_text([{"n": n, "name": "x"} for n in range(3)]) + "\n"
    output.listing(iter(()), True, dict, [], None)
    assert capsys.readouterr().out == "[]\n"


def test_a_long_table_is_printed_in_batches_that_only_widen(capsys, monkeypatch):
    monkeypatch.setattr(output, "BATCH_ROWS", 2)
    printed: list = []
    output.listing(records(capsys, 5, printed, width=lambda n: 1 + n), False, dict, ["N", "NAME", "END"],
                   lambda r: [str(r["n"]), r["name"], "."])
    printed.append(capsys.readouterr().out)
    assert printed[1] == ""  # nothing before a batch is complete
    assert printed[2] == "N  NAME  END\n0  x     .\n1  xx    .\n"  # the first batch, before the third record
    lines = "".join(printed).splitlines()
    assert lines[3:] == ["2  xxx   .", "3  xxxx  .", "4  xxxxx  ."]
    assert len(lines) == 6  # one header


def test_a_short_table_is_lined_up_as_a_whole(capsys):
    output.listing([{"n": 1, "name": "a"}, {"n": 22, "name": "bbbb"}], False, dict, ["N", "NAME"],
                   lambda r: [str(r["n"]), r["name"]])
    assert capsys.readouterr().out == "N   NAME\n1   a\n22  bbbb\n"


def test_an_empty_stream_says_its_sentence(capsys):
    output.listing(iter(()), False, dict, ["N"], str, empty=lambda: "Nothing here.")
    captured = capsys.readouterr()
    assert (captured.out, captured.err.strip()) == ("", "Nothing here.")


def test_the_accounts_stream_in_fetches_of_any_size_gives_the_overview(session, clock, account):
    for n in (5, 3, 9, 1, 7):
        made = accounts.create(session, clock, f"Client {n}", "UTC", OWNER)
        if n % 2:
            support_access.enable(session, clock, made.id, date(2026, 12, 20), OWNER)
    accounts.create(session, clock, "Client 30", "UTC", OWNER)  # names that sort close together
    whole = accounts_overview.overview(session, clock)
    for page in (1, 2, 4, 100):
        assert list(accounts_overview.stream(session, clock, page=page)) == whole


def test_the_accounts_stream_is_one_statement_whatever_the_number_of_accounts(database, session, clock, account):
    """One pass over each table (a server-side cursor on PostgreSQL), not a query per page that
    would read the whole account table again each time."""
    from sqlalchemy import event

    for n in range(5):
        accounts.create(session, clock, f"Client {n}", "UTC", OWNER)
    reads = []
    event.listen(database.engine, "before_cursor_execute",
                 lambda *a: reads.append(a[2]) if "FROM account" in a[2] else None)
    assert len(list(accounts_overview.stream(session, clock, page=2))) == 6
    assert len(reads) == 1, reads


def test_the_agents_stream_gives_each_open_account_once_by_name(session, clock, account):
    opened = []
    for name in ("Delta", "Alpha", "Charlie", "Bravo"):
        made = accounts.create(session, clock, name, "UTC", OWNER)
        support_access.enable(session, clock, made.id, date(2026, 12, 20), OWNER)
        if name != "Charlie":
            opened.append(name)
    support_access.revoke(session, clock, accounts.resolve(session, "Charlie").id, OWNER)
    # Delta's newest grant counts, not its first: revoked, then enabled again.
    delta = accounts.resolve(session, "Delta").id
    support_access.revoke(session, clock, delta, OWNER)
    clock.advance(timedelta(minutes=1))
    support_access.enable(session, clock, delta, date(2026, 12, 21), OWNER)
    listed = list(support_sessions.stream_accessible(session, clock))
    assert [a.name for a in listed] == sorted(opened)
    assert listed == support_sessions.accessible_accounts(session, clock)
    assert next(a for a in listed if a.name == "Delta").until_date == date(2026, 12, 21)


def test_the_integrations_and_audit_streams_give_the_lists(session, clock, account):
    for name in ("b", "a", "c"):
        integrations.create(session, clock, account.id, name, ["contacts.readonly"], OWNER)
    integrations.revoke(session, clock, account.id, "b", OWNER)
    for revoked in (False, True):
        assert [i.id for i in integrations.stream_for(session, account, revoked)] == \
            [i.id for i in integrations.list_for(session, account, revoked)]
    assert [e.seq for e in audit.stream_recent(session, account, 3)] == \
        [e.seq for e in audit.recent(session, account, 3)]


@pytest.mark.parametrize("args", [("accounts", "list"), ("support", "accounts"), ("integrations", "list"),
                                  ("audit", "list")])
def test_the_listings_print_json_as_before(cli_run, args):
    result = cli_run(*args, "--json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)

"""Lists of records (commands/output.listing): JSON for scripts, a table or a note for people."""

from __future__ import annotations

import json

from aesthetix_tui.commands.output import listing


class Record:
    def __init__(self, name: str) -> None:
        self.name = name

    def as_dict(self) -> dict:
        return {"name": self.name}


def show(capsys, items, as_json: bool, empty: str | None = None) -> tuple[str, str]:
    listing(items, as_json, lambda r: r.as_dict(), ["NAME", "LETTERS"], lambda r: [r.name, str(len(r.name))],
            empty=empty)
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_json_is_every_record_as_a_dict_even_none(capsys):
    assert json.loads(show(capsys, [Record("a"), Record("bc")], True, empty="None.")[0]) == [{"name": "a"},
                                                                                           {"name": "bc"}]
    assert show(capsys, [], True, empty="None.") == ("[]\n", "")


def test_people_get_a_table(capsys):
    assert show(capsys, [Record("alpha"), Record("b")], False, empty="None.") == (
        "NAME   LETTERS\nalpha  5\nb      1\n", "")


def test_no_records_is_the_note_on_stderr_or_else_the_bare_headers(capsys):
    assert show(capsys, [], False, empty="Nothing here yet.") == ("", "Nothing here yet.\n")
    assert show(capsys, [], False) == ("NAME  LETTERS\n", "")


def test_no_integrations_is_a_note_on_stderr(cli_run):
    result = cli_run("integrations", "list")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "No Private Integrations yet; create one with `aesthetix-tui integrations create`.\n"
    assert cli_run("integrations", "list", "--json").stdout == "[]\n"

"""CLI tables line up in terminal cells: CJK and emoji names (two cells a character) keep the
later columns straight, and a name too long for its column is cut by cells, ending in "…"."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

NAMES = ["東京 sync", "Rocket 🚀", "👩\u200d💻 dev", "plain", "🇫🇷 1\ufe0f\u20e3 👍🏽"]
LONG = "東" * 60  # 60 characters, 120 cells


@pytest.fixture
def run(cli_run):
    def run(*args: str):
        result = cli_run(*args)
        assert result.exit_code == 0, (result.exit_code, result.output)
        return result.stdout

    return run


def column(line: str, text: str) -> int:
    """The terminal cell where `text` starts in the line."""
    return cell_len(line[:line.index(text)])


def name_in(line: str, header: str) -> str:
    """The NAME cell of a row (the ID column before it is plain ASCII)."""
    return line[header.index("NAME"):line.index("1: contacts")].rstrip()


def test_integrations_list_lines_up_wide_names(run):
    for name in NAMES:
        run("integrations", "create", "--name", name, "--scope", "contacts.readonly")
    header, *lines = run("integrations", "list").splitlines()
    assert len(lines) == len(NAMES)
    for heading, cell in [("SCOPES", "1: contacts.readonly"), ("TOKEN", "pit-"), ("LAST USED", "never"),
                          ("STATUS", "active")]:
        assert {column(line, cell) for line in lines} == {column(header, heading)}, heading
    assert sorted(name_in(line, header) for line in lines) == sorted(NAMES)


def test_a_long_name_is_cut_by_cells(run):
    run("integrations", "create", "--name", LONG, "--scope", "contacts.readonly")
    run("integrations", "create", "--name", "plain", "--scope", "contacts.readonly")
    header, *lines = run("integrations", "list").splitlines()
    [row] = [line for line in lines if "東" in line]
    assert name_in(row, header) == "東" * 31 + "…"  # 63 cells: a 32nd 東 and the "…" would make 65, over 64
    assert {column(line, "pit-") for line in lines} == {column(header, "TOKEN")}
    listed = json.loads(run("integrations", "list", "--json"))
    assert sorted(i["name"] for i in listed) == ["plain", LONG]  # JSON keeps the whole name

"""CSV export: a cell a spreadsheet would run as a formula gets a leading ', also after leading
whitespace and for the fullwidth ＝ ＋ － ＠ (issue 24, item 12), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pytest

from aesthetix_tui.domain.audit_export import csv_cell
from tests.cli.test_cli import execute_sql, ok

# Stored behind the app's back (an older version, another client): exported as they are.
LABELS = [" =1+1", "\n=cmd|' /C calc'!A0", "\u3000@SUM(A1)", "\xa0+1", "＝1+1", "＋1", "－1", "＠SUM(A1)",
          "  ＝HYPERLINK(\"x\")", "\r\n-2"]


@pytest.fixture
def run(db_run):
    return db_run


def test_formulas_behind_whitespace_or_in_fullwidth_are_quoted(run, db):
    for i, label in enumerate(LABELS):
        ok(run("features", "update", f"legacy_triggers={'on' if i % 2 == 0 else 'off'}"))
        quoted = label.replace("'", "''")
        execute_sql(db, f"UPDATE audit_event SET actor_label = '{quoted}' WHERE seq = {i + 2}")
    parsed = list(csv.DictReader(io.StringIO(ok(run("audit", "export", "--format", "csv")))))
    cells = [r["actor_label"] for r in parsed][1:]
    assert all(cell.startswith("'") for cell in cells), cells
    assert cells[:2] == ["' =1+1", "'␊=cmd|' /C calc'!A0"]  # shown as in all plain output, after the '
    exact = json.loads(ok(run("audit", "export", "--format", "json")))
    assert [e.get("actor_label") for e in exact][1:] == LABELS  # JSON keeps the exact value


@pytest.mark.parametrize("text", [" =1", "\n=1", "\t =1", "\u3000＠x", "＝1", "＋1", "－1", "＠x", "  -1"])
def test_the_rule_quotes_them(text):
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["a=b", " a", "1-2", "x＝y", "", "　", "Ｅ＝mc²"])
def test_the_rule_leaves_other_text(text):
    assert not csv_cell(text).startswith("'")

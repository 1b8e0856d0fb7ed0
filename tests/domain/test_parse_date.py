"""The one date parser: exactly YYYY-MM-DD, one set of messages."""

from __future__ import annotations

from datetime import date

import pytest

from aesthetix_tui.domain.dates import parse_date
from aesthetix_tui.domain.errors import InvalidInput

WRITE_DATE = "Write the date as YYYY-MM-DD, for example 2026-12-03."


@pytest.mark.parametrize("text", ["2026-12-03", " 2026-12-03 ", "  2026-12-03"])
def test_a_plain_date_is_read(text):
    assert parse_date(text) == date(2026, 12, 3)


@pytest.mark.parametrize("text", [
    "20261203",  # ISO basic: fromisoformat takes it, we do not
    "2026-W49-4",  # ISO week date
    "2026-2-3",
    "",
    "   ",
    "٢٠٢٦-١٢-٠٣",  # Arabic-Indic digits
    "２０２６-１２-０３",  # full-width digits
    "2026-12-03T10:00",
    "2026/12/03",
    "26/12/2026",
    "2026-12-03 x",
    "2026-12-03\n",  # a line break is not forgiven (only spaces are)
    "2026-12-03\r\n",
    "\t2026-12-03",
    "2026-12-03\u00a0",
])
def test_anything_else_is_refused_with_one_sentence(text):
    with pytest.raises(InvalidInput) as caught:
        parse_date(text)
    assert caught.value.message == WRITE_DATE


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01"])
def test_an_impossible_date_is_named(text):
    with pytest.raises(InvalidInput) as caught:
        parse_date(text)
    assert caught.value.message == f"{text} is not a date."


def test_the_impossible_date_is_shown_without_the_spaces():
    with pytest.raises(InvalidInput) as caught:
        parse_date("  2026-02-30 ")
    assert caught.value.message == "2026-02-30 is not a date."

"""Stored text: control characters refused at input, made visible at output (domain/text.py)."""

from __future__ import annotations

import pytest

from aesthetix_tui.domain import accounts, audit, integrations, support_access
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.text import check_line, visible

HOSTILE = ["\x1b]52;c;ZXZpbA==\x07", "a\x1b[2Jb", "title\x1b]0;PWNED\x07", "csi\x9b6n", "bidi\u202eevil",
           "nul\x00", "tab\there", "two\nlines", "cr\rhere", "del\x7f", "zero\u200bwidth"]


@pytest.mark.parametrize("text", HOSTILE)
def test_visible_leaves_no_control_character(text):
    shown = visible(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u202e\u200b" for c in shown)


def test_visible_pictures():
    assert visible("\x1b]0;X\x07") == "␛]0;X␇"
    assert visible("a\nb\tc\x00") == "a␊b␉c␀"
    assert visible("\x9b\x7f\u202e") == "\\x9b␡\\u202e"
    assert visible("Café — 東京") == "Café — 東京"
    assert visible("👩\u200d💻 Rocket 🚀") == "👩\u200d💻 Rocket 🚀"  # joined emoji are drawn, not hidden
    assert visible(None) == ""


@pytest.mark.parametrize("text", HOSTILE)
def test_check_line_refuses_control_characters_naming_the_field(text):
    with pytest.raises(InvalidInput, match="The description must be printable characters on one line"):
        check_line(text, "description", 500)


def test_check_line_keeps_ordinary_text():
    assert check_line("  Nightly sync — Café  ", "description", 500) == "Nightly sync — Café"
    assert check_line("", "description", 500, required=False) == ""
    with pytest.raises(InvalidInput, match="The description is 501 characters; use at most 500"):
        check_line("d" * 501, "description", 500)


def events(session, account) -> int:
    return len(audit.recent(session, accounts.get(session, account.id), limit=1000))


@pytest.mark.parametrize("text", HOSTILE[:6])
def test_a_description_with_controls_is_refused_and_nothing_changes(session, clock, account, owner, text):
    before = events(session, account)
    with pytest.raises(InvalidInput, match="description"):
        integrations.create(session, clock, account.id, "Zapier", ["contacts.readonly"], owner, f"sync{text}")
    assert integrations.list_for(session, account, True) == []
    assert events(session, account) == before


@pytest.mark.parametrize("text", HOSTILE)
def test_an_actor_name_with_controls_is_refused(text):
    with pytest.raises(InvalidInput, match="actor's name must be printable"):
        Actor(f"alice{text}", "owner")


@pytest.mark.parametrize("text", HOSTILE[:6])
def test_a_reason_or_account_name_with_controls_is_refused(session, clock, account, owner, text):
    from datetime import timedelta

    before = events(session, account)
    with pytest.raises(InvalidInput, match="reason"):
        support_access.enable(session, clock, account.id, clock.now().date() + timedelta(days=2), owner,
                              reason=f"ticket{text}")
    with pytest.raises(InvalidInput, match="account name"):
        accounts.create(session, clock, f"Shop{text}", "UTC", owner)
    assert support_access.status(session, clock, accounts.get(session, account.id)).state == "off"
    assert events(session, account) == before


def test_an_export_path_with_controls_is_refused_and_nothing_is_written(tmp_path):
    from aesthetix_tui.domain.export_file import write_file

    path = tmp_path / "audit\x1b]0;PWNED\x07.csv"
    with pytest.raises(InvalidInput, match="The export path must be printable"):
        write_file(path, lambda out: out.write("x"), [])
    assert list(tmp_path.iterdir()) == []


def test_plain_ascii_takes_the_short_way_to_the_same_answer():
    from aesthetix_tui.domain.text import hidden, is_control

    texts = ["".join(map(chr, range(128))), "Client 0000042", "a\tb", "x\x7f", " ", ""]
    for text in texts + [chr(i) for i in range(128)]:
        assert hidden(text) == [i for i, c in enumerate(text) if is_control(c)], repr(text)

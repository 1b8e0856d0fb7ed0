"""What a terminal draws is accepted, what hides or reorders text is refused (domain/text.py):
joined emoji, skin tones, keycaps and flags pass check_line and visible() unchanged; bidi
controls, invisible characters, lone joiners and stray tags are refused by name and shown."""

from __future__ import annotations

import json
import re

import pytest
from helpers import refused

from aesthetix_tui.domain import integrations
from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.text import check_line, json_safe, visible

READ = "contacts.readonly"
TAG_SCOTLAND = "".join(chr(0xE0000 + ord(c)) for c in "gbsct") + "\U000e007f"

ACCEPTED = [
    "👩\u200d💻",  # woman technologist: ZWJ between two emoji
    "👍🏽",  # skin-tone modifier
    "1\ufe0f\u20e3",  # keycap 1️⃣: variation selector and enclosing keycap
    "🇫🇷",  # regional indicators
    "🏴" + TAG_SCOTLAND,  # subdivision flag: tags only after 🏴, ended by the cancel tag
    "東京",
    "می\u200cخواهم",  # Persian with a zero-width non-joiner
    "❤\ufe0f\u200d🔥",  # ZWJ after a variation selector
    "👩🏽\u200d💻 Rocket 🚀 dev",
    "漢\U000e0100",  # an ideographic variation selector
]

HIDES = "which can hide or reorder text."
REFUSED = [
    ("a\u202ab", f"U+202A (LEFT-TO-RIGHT EMBEDDING), {HIDES}"),
    ("a\u202bb", f"U+202B (RIGHT-TO-LEFT EMBEDDING), {HIDES}"),
    ("a\u202cb", f"U+202C (POP DIRECTIONAL FORMATTING), {HIDES}"),
    ("a\u202db", f"U+202D (LEFT-TO-RIGHT OVERRIDE), {HIDES}"),
    ("a\u202eb", f"U+202E (RIGHT-TO-LEFT OVERRIDE), {HIDES}"),
    ("a\u2066b", f"U+2066 (LEFT-TO-RIGHT ISOLATE), {HIDES}"),
    ("a\u2067b", f"U+2067 (RIGHT-TO-LEFT ISOLATE), {HIDES}"),
    ("a\u2068b", f"U+2068 (FIRST STRONG ISOLATE), {HIDES}"),
    ("a\u2069b", f"U+2069 (POP DIRECTIONAL ISOLATE), {HIDES}"),
    ("a\u200eb", f"U+200E (LEFT-TO-RIGHT MARK), {HIDES}"),
    ("a\u200fb", f"U+200F (RIGHT-TO-LEFT MARK), {HIDES}"),
    ("a\u061cb", f"U+061C (ARABIC LETTER MARK), {HIDES}"),
    ("a\u200bb", f"U+200B (ZERO WIDTH SPACE), {HIDES}"),
    ("a\u2060b", f"U+2060 (WORD JOINER), {HIDES}"),
    ("a\ufeffb", f"U+FEFF (ZERO WIDTH NO-BREAK SPACE), {HIDES}"),
    ("a\u00adb", f"U+00AD (SOFT HYPHEN), {HIDES}"),
    ("a\u2062b", f"U+2062 (INVISIBLE TIMES), {HIDES}"),
    ("\u200d💻", "U+200D (ZERO WIDTH JOINER) with nothing visible to join on one side, which can hide text."),
    ("👩\u200d", "U+200D (ZERO WIDTH JOINER) with nothing visible to join on one side, which can hide text."),
    ("a \u200cb", "U+200C (ZERO WIDTH NON-JOINER) with nothing visible to join on one side, which can hide text."),
    ("a\u200d\u200db", "U+200D (ZERO WIDTH JOINER) with nothing visible to join on one side, which can hide text."),
    ("x" + TAG_SCOTLAND, "U+E0067 (TAG LATIN SMALL LETTER G) outside a flag, which can hide text."),
    ("🏴\U000e0067", "U+E0067 (TAG LATIN SMALL LETTER G) outside a flag, which can hide text."),
    ("a\x1b[2J", "U+001B (ESCAPE), a control character."),
    ("a\x07", "U+0007 (BELL), a control character."),
    ("two\nlines", "U+000A (LINE FEED), a control character."),
    ("a\x9bb", "U+009B, a control character."),
    ("a\u2028b", "U+2028 (LINE SEPARATOR), which breaks the line."),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_drawn_sequences_are_accepted_and_shown_unchanged(text):
    assert check_line(f" {text} ", "name", 64) == text
    assert visible(text) == text
    assert json.loads(json_safe(json.dumps(text, ensure_ascii=False))) == text
    assert json_safe(json.dumps(text, ensure_ascii=False)) == json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize("text, reason", REFUSED)
def test_hidden_characters_are_refused_by_name(text, reason):
    with pytest.raises(InvalidInput) as info:
        check_line(text, "description", 500)
    message = str(info.value)
    assert message == f"The description must be printable characters on one line (no control characters): " \
                      f"it contains {reason}"
    assert message.count(".") == 1 and message.endswith(".")  # one sentence


@pytest.mark.parametrize("text, reason", REFUSED)
def test_hidden_characters_are_made_visible(text, reason):
    code = int(re.match(r"U\+([0-9A-F]+)", reason)[1], 16)  # the character the message names
    shown = visible(text)
    assert chr(code) not in shown
    assert shown != text


def test_visible_names_the_hidden_characters():
    assert visible("a\u202eb") == "a\\u202eb"
    assert visible("\u200d💻") == "\\u200d💻"
    assert visible("x\U000e0067") == "x\\U000e0067"
    assert visible("a\u00adb") == "a\\xadb"
    assert visible("\x1b\x07\n") == "␛␇␊"


def test_json_keeps_the_value_and_escapes_a_stray_tag_as_json_does():
    text = "x\U000e0067\u202e"
    out = json_safe(json.dumps(text, ensure_ascii=False))
    assert out == '"x\\udb40\\udc67\\u202e"'
    assert json.loads(out) == text


def test_an_integration_named_with_a_joined_emoji_is_created_and_edited(session, clock, account, owner):
    created = integrations.create(session, clock, account.id, "👩\u200d💻 dev", [READ], owner).integration
    assert created.name == "👩\u200d💻 dev"
    flag_and_keycap = "🏴" + TAG_SCOTLAND + " 1\ufe0f\u20e3"
    edited = integrations.edit(session, clock, account.id, created.id, owner, name=flag_and_keycap)
    assert edited.name == flag_and_keycap
    assert [i.name for i in integrations.list_for(session, account)] == [edited.name]


def test_an_integration_name_with_a_bidi_override_is_refused_and_nothing_changes(
        database, session, clock, account, owner):
    first = integrations.create(session, clock, account.id, "CRM Sync", [READ], owner).integration
    message = r"The name must be printable characters on one line \(no control characters\): it contains U\+202E"
    with refused(database, InvalidInput, message):
        integrations.create(session, clock, account.id, "invoice\u202efdp.exe", [READ], owner)
    with refused(database, InvalidInput, message):
        integrations.edit(session, clock, account.id, first.id, owner, name="CRM\u202e Sync")
    with refused(database, InvalidInput, "U\\+202E"):
        integrations.edit(session, clock, account.id, first.id, owner, description="notes\u202e")

"""Stored text: refused with hidden characters at input, and made visible at output.

Every text a user or another client stores (names, descriptions, reasons, actors) may reach a
terminal. Input refuses what a terminal would not draw as itself (check_line, check_drawn);
output never trusts that it did, since rows can come from an older version, another client or
a direct write (visible). Both follow one rule: hidden().
"""

from __future__ import annotations

import re
import unicodedata

from aesthetix_tui.domain.errors import InvalidInput

# Never drawn as themselves: controls (Cc), format characters (Cf: bidirectional marks, overrides,
# embeddings and isolates, the zero-width space, word joiner, byte-order mark, soft hyphen,
# invisible operators, tags...), line and paragraph separators (Zl, Zp) and lone surrogates (Cs).
HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})

# Two exceptions, where such characters are part of what a terminal draws:
# the zero-width joiner and non-joiner between two visible characters (👩‍💻, می‌خواهم),
JOINERS = frozenset("\u200c\u200d")
# and the tags of a subdivision flag (Scotland's): 🏴, a subdivision id spelled in tags, a cancel tag.
BLACK_FLAG, CANCEL_TAG = "\U0001f3f4", "\U000e007f"
FLAG_TAGS = frozenset(chr(0xE0000 + ord(c)) for c in "0123456789abcdefghijklmnopqrstuvwxyz")
FLAG_TAG_COUNT = range(3, 8)  # a region (2 letters or 3 digits) and 1 to 4 more

ASCII_CONTROL = re.compile("[\x00-\x1f\x7f]")  # the hidden characters of ASCII: its controls (Cc)

# Controls have no Unicode name; these are the ones people meet.
CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\t": "CHARACTER TABULATION",
                 "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE"}


def is_control(char: str) -> bool:
    """Whether the character, on its own, is not drawn (a joiner or tag may be, in a sequence)."""
    return unicodedata.category(char) in HIDDEN


def hidden(text: str) -> list[int]:
    """The positions of the characters a terminal would not draw as themselves: the HIDDEN ones,
    except joiners between two visible characters and the tags of a subdivision flag."""
    if text.isascii():  # the usual case, at once: in ASCII only the controls (Cc) are hidden
        return [] if text.isprintable() else [m.start() for m in ASCII_CONTROL.finditer(text)]
    drawn = [not is_control(c) for c in text]
    for start, end in flag_tags(text):
        drawn[start:end] = [True] * (end - start)
    for i, char in enumerate(text):
        if char in JOINERS and joins(text, drawn, i):
            drawn[i] = True
    return [i for i, shown in enumerate(drawn) if not shown]


def flag_tags(text: str):
    """(start, end) of the tags (with the cancel tag) that follow each 🏴 of a subdivision flag."""
    start = text.find(BLACK_FLAG) + 1
    while start:
        end = start
        while end < len(text) and text[end] in FLAG_TAGS:
            end += 1
        if end - start in FLAG_TAG_COUNT and text[end:end + 1] == CANCEL_TAG:
            yield start, end + 1
        start = text.find(BLACK_FLAG, start) + 1


def joins(text: str, drawn: list[bool], i: int) -> bool:
    """Whether the joiner at i stands between two visible characters (no space, no other joiner)."""
    if i == 0 or i == len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    return drawn[i - 1] and drawn[i + 1] and not before.isspace() and not after.isspace()


def visible(text: str | None) -> str:
    """The text with every hidden character made visible: C0 controls and DEL as their Unicode
    control pictures (ESC as ␛, BEL as ␇, newline as ␊), the others as \\x9b, \\u202e or
    \\U000e0061. Joined emoji, flags and keycaps are left as they are. Safe to print to any terminal."""
    if text is None:
        return ""
    positions = hidden(text)
    if not positions:
        return text
    return replaced(text, positions, picture)


def json_safe(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with the hidden characters, which json
    passes through raw, escaped as \\u009b too: the same value, safe on a terminal.
    (json itself escapes the C0 controls; the newlines outside strings are its own layout.)"""
    if text.replace("\n", "").isprintable():  # the usual case, at once (nothing hidden is printable)
        return text
    positions = [i for i in hidden(text) if text[i] != "\n"]
    if not positions:
        return text
    return replaced(text, positions, json_escape)


def replaced(text: str, positions: list[int], show) -> str:
    chars = list(text)
    for i in positions:
        chars[i] = show(chars[i])
    return "".join(chars)


def picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def json_escape(char: str) -> str:
    """\\u escapes, as a surrogate pair above U+FFFF (as JSON spells those)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def check_line(value: str | None, field: str, max_length: int, required: bool = True) -> str:
    """One line of printable text, stripped: or InvalidInput naming the field (its .field too)."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"The {field} cannot be empty.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"The {field} is {len(text)} characters; use at most {max_length}.", field=field)
    check_drawn(text, field)
    return text


def check_drawn(text: str, field: str) -> None:
    """InvalidInput (its .field the field) naming the first character a terminal would not draw."""
    positions = hidden(text)
    if positions:
        raise InvalidInput(f"The {field} must be printable characters on one line (no control characters): "
                           f"{why_hidden(text, positions[0])}", field=field)


def why_hidden(text: str, i: int) -> str:
    char = text[i]
    named = character_name(char)
    category = unicodedata.category(char)
    if category == "Cc":
        return f"it contains {named}, a control character."
    if category in ("Zl", "Zp"):
        return f"it contains {named}, which breaks the line."
    if category == "Cs":
        return f"it contains {named}, half of a character."
    if char in JOINERS:
        return f"it contains {named} with nothing visible to join on one side, which can hide text."
    if char in FLAG_TAGS or char == CANCEL_TAG:
        return f"it contains {named} outside a flag, which can hide text."
    return f"it contains {named}, which can hide or reorder text."


def character_name(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE); just U+0085 when Unicode gives no name."""
    code = f"U+{ord(char):04X}"
    name = CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return f"{code} ({name})" if name else code

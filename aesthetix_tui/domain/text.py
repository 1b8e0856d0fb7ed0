"""Stored text: refused with control characters at input, and made visible at output.

Every text a user or another client stores (names, descriptions, reasons, actors) may reach a
terminal. Input refuses control characters (check_line); output never trusts that it did,
since rows can come from an older version, another client or a direct write (visible).
"""

from __future__ import annotations

from aesthetix_tui.domain.errors import InvalidInput

# Characters that reorder or hide text on screen without being controls (Unicode "Cf"):
# bidirectional marks, overrides and isolates, the zero-width space and the byte-order mark.
# (The zero-width joiners are not here: they join emoji such as 👩‍💻 and some scripts.)
INVISIBLE = frozenset("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2060\u2066\u2067\u2068\u2069\ufeff")


def is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in INVISIBLE


def visible(text: str | None) -> str:
    """The text with every control character made visible: C0 controls and DEL as their
    Unicode control pictures (ESC as ␛, BEL as ␇, newline as ␊), C1 controls and invisible
    format characters as \\x9b or \\u202e. Safe to print to any terminal."""
    if text is None:
        return ""
    if not any(is_control(c) for c in text):
        return text
    return "".join(picture(c) if is_control(c) else c for c in text)


def json_safe(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with the C1 and invisible characters,
    which json passes through raw, escaped as \\u009b too: the same value, safe on a terminal.
    (json itself escapes the C0 controls; the newlines outside strings are its own layout.)"""
    if not any(is_control(c) and c != "\n" for c in text):
        return text
    return "".join(f"\\u{ord(c):04x}" if is_control(c) and c != "\n" else c for c in text)


def picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def check_line(value: str | None, field: str, max_length: int, required: bool = True) -> str:
    """One line of printable text, stripped: or InvalidInput naming the field."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"The {field} cannot be empty.")
    if len(text) > max_length:
        raise InvalidInput(f"The {field} is {len(text)} characters; use at most {max_length}.")
    if not text.isprintable() or any(is_control(c) for c in text):
        raise InvalidInput(f"The {field} must be printable characters on one line (no control characters).")
    return text

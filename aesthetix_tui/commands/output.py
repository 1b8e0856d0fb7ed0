"""Printing: plain text for people, JSON for scripts.

Stored text can hold control characters (an older version, another client, a direct write):
plain output shows them visibly (text.visible), and JSON keeps the exact value, escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import islice

import click
from rich.cells import cell_len

from aesthetix_tui.domain.text import json_safe, visible


def emit_json(data) -> None:
    click.echo(json_text(data))


def json_text(data) -> str:
    """JSON that keeps every value exact, with no raw control character (text.json_safe)."""
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def say(text: str) -> None:
    """A line for the person on stdout, with any stored text in it made visible."""
    click.echo(visible(text))


BATCH_ROWS = 1000  # a streamed table is lined up in batches of this many rows


def listing(items: Iterable, as_json: bool, as_dict: Callable, headers: list[str], row: Callable,
            empty: str | Callable[[], str] | None = None) -> None:
    """Records for scripts, a JSON list of as_dict(item), or for people, a table of row(item)
    under `headers`; with no records and an `empty` sentence (or a function that says it), that
    sentence on stderr instead. ITEMS may be a stream: printed as they come, BATCH_ROWS at most
    held at once (a table longer than that is lined up batch by batch, its columns only widening)."""
    items = iter(items)
    if as_json:
        stream_json(as_dict(item) for item in items)
        return
    batch = list(islice(items, BATCH_ROWS))
    if not batch and empty is not None:
        note(empty() if callable(empty) else empty)
        return
    widths = [cell_len(h) for h in headers]
    header = True
    while batch or header:
        widths = table([row(item) for item in batch], headers, widths, header)
        header = False
        batch = list(islice(items, BATCH_ROWS))


def stream_json(records: Iterable) -> None:
    """The JSON of a list of RECORDS exactly as emit_json would print it, one record at a time."""
    first = True
    for record in records:
        text = "  " + json.dumps(record, indent=2, ensure_ascii=False, default=str).replace("\n", "\n  ")
        click.echo(json_safe(("[\n" if first else ",\n") + text), nl=False)
        first = False
    click.echo("[]" if first else "\n]")


def table(rows: list[list[str]], headers: list[str], widths: list[int] | None = None,
          header: bool = True) -> list[int]:
    """Columns lined up in terminal cells, so CJK and emoji (two cells each) keep them straight.
    Every column but the last is cut to WIDEST cells, ending in "…". WIDTHS: the least widths
    (a batch after the first); returns the widths used."""
    rows = [[shown(c, WIDEST) for c in row[:-1]] + [shown(row[-1])] for row in rows]
    sizes = [[len(c) if c.isascii() else cell_len(c) for c in row] for row in rows]  # cells(), once per cell
    widths = widths or [cell_len(h) for h in headers]
    if sizes:
        widths = [max(w, max(column)) for w, column in zip(widths, zip(*sizes))]
    if header:
        line = "  ".join(pad(h, w) for h, w in zip(headers, widths))
        click.echo(click.style(line.rstrip(), bold=True))
    if rows:
        click.echo("\n".join("  ".join([c + " " * (w - n) for c, n, w in zip(row, row_sizes, widths)]).rstrip()
                             for row, row_sizes in zip(rows, sizes)))
    return widths


def shown(text: str, width: int | None = None) -> str:
    """A cell as printed: made visible and, with WIDTH, cut to it (at once for plain ASCII that fits)."""
    if text.isascii() and text.isprintable() and (width is None or len(text) <= width):
        return text
    text = visible(text)
    return text if width is None else cut(text, width)


def cells(text: str) -> int:
    """Terminal cells of a visible text (every printable ASCII character takes one)."""
    return len(text) if text.isascii() else cell_len(text)


WIDEST = 64  # cells: the longest integration name in plain letters


def pad(text: str, width: int) -> str:
    """The text with spaces after it, to fill `width` terminal cells."""
    return text + " " * (width - cells(text))


def cut(text: str, width: int) -> str:
    """The text in at most `width` cells: cut between two characters as drawn (never half a wide
    character, a joined emoji or a flag), and ended with "…" when anything was cut."""
    if cells(text) <= width:
        return text
    end = 0
    for i in range(1, len(text)):
        if cell_len(text[:i]) > width - 1:
            break
        if starts_a_character(text, i):
            end = i
    return text[:end] + "…"


def starts_a_character(text: str, i: int) -> bool:
    """Whether text[i] starts a new character on screen, rather than joining or marking the one before
    (zero-width marks, variation selectors, skin tones, tags, the character after a joiner, the second
    half of a flag)."""
    char, before = text[i], text[i - 1]
    if cell_len(char) == 0 or before == "\u200d" or "\U0001f3fb" <= char <= "\U0001f3ff":
        return False
    return not (is_regional(char) and regional_run(text, i) % 2 == 1)


def is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def regional_run(text: str, i: int) -> int:
    """How many regional indicators (the letters of a flag such as 🇫🇷) come just before i."""
    count = 0
    while i - count > 0 and is_regional(text[i - count - 1]):
        count += 1
    return count


def note(text: str) -> None:
    """A message for the person, on stderr, so stdout stays clean for scripts."""
    click.echo(visible(text), err=True)

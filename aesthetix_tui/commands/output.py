"""Printing: plain text for people, JSON for scripts.

Stored text can hold control characters (an older version, another client, a direct write):
plain output shows them visibly (text.visible), and JSON keeps the exact value, escaped.
"""

from __future__ import annotations

import json

import click

from aesthetix_tui.domain.text import json_safe, visible


def emit_json(data) -> None:
    click.echo(json_text(data))


def json_text(data) -> str:
    """JSON that keeps every value exact, with no raw control character (text.json_safe)."""
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def say(text: str) -> None:
    """A line for the person on stdout, with any stored text in it made visible."""
    click.echo(visible(text))


def table(rows: list[list[str]], headers: list[str]) -> None:
    rows = [[visible(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    click.echo(click.style(line.rstrip(), bold=True))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def note(text: str) -> None:
    """A message for the person, on stderr, so stdout stays clean for scripts."""
    click.echo(visible(text), err=True)

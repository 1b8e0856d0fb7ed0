"""Printing: plain text for people, JSON for scripts."""

from __future__ import annotations

import json

import click


def emit_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    click.echo(click.style(line.rstrip(), bold=True))
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def note(text: str) -> None:
    """A message for the person, on stderr, so stdout stays clean for scripts."""
    click.echo(text, err=True)

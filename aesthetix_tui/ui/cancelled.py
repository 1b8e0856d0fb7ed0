"""The one way a screen says a dialog closed without a change (Enter on Cancel, or Escape)."""

from __future__ import annotations


def say_cancelled(screen, what: str) -> None:
    screen.notify(f"Cancelled: {what}", title="Nothing changed", timeout=4)

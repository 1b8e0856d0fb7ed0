"""Stored text on screen: literal, never markup, control characters made visible.

Every name, description, reason or actor that came from the database goes through one of
these (which use the domain's one rule, text.visible) before it reaches a widget.
"""

from __future__ import annotations

from rich.text import Text
from textual.markup import escape

from aesthetix_tui.domain.text import visible


def markup_safe(text: str | None) -> str:
    """For a place that reads markup: the text made visible, then escaped."""
    return escape(visible(text))


def literal(text: str | None, style: str = "") -> Text:
    """For a place that takes a Rich Text (table cells, Static): never parsed as markup."""
    return Text(visible(text), style=style)


class LiteralNotifications:
    """For an App: every notification is literal text with control characters visible, since
    a domain sentence can quote a stored name ("changed by …", "no integration named …")."""

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        super().notify(visible(str(message)), title=visible(title), severity=severity,  # type: ignore[misc]
                       timeout=timeout, markup=False)

"""What the terminal can show: 16 colours (TERM=linux, xterm, screen) or none (NO_COLOR).

On such terminals the app starts in Textual's ANSI theme, whose colours are the terminal's
own 16; a truecolor theme squeezed into 16 colours loses borders and labels.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from textual.theme import Theme

ANSI_THEME = "aesthetix-16"


def ansi_theme() -> Theme:
    """The terminal's own 16 colours, read on a dark background and on a light one alike (xterm's
    default is black on white): no colour painted behind text (the terminal's default
    background), no yellow, white or black text, and cursors in reverse video. Both apps
    register it."""
    return Theme(
        name=ANSI_THEME, ansi=True, dark=True,
        primary="ansi_blue", secondary="ansi_cyan", warning="ansi_magenta", error="ansi_red",
        success="ansi_green", accent="ansi_magenta",
        foreground="ansi_default", background="ansi_default", surface="ansi_default",
        panel="ansi_default", boost="ansi_default",
        variables={
            # Textual's ANSI theme paints toasts and the like on black: unreadable on white.
            "ansi-background": "ansi_default",
            "ansi-foreground": "ansi_default",
            "block-cursor-foreground": "ansi_default",
            "block-cursor-background": "ansi_default",
            "block-cursor-text-style": "bold reverse",
            "input-cursor-background": "ansi_default",
            "input-cursor-foreground": "ansi_default",
            "input-cursor-text-style": "reverse",
            "input-selection-background": "ansi_default",
            "input-selection-foreground": "ansi_default",
            "screen-selection-background": "ansi_default",
            "screen-selection-foreground": "ansi_default",
        },
    )


def few_colours(environ: Mapping[str, str] | None = None) -> bool:
    """True under NO_COLOR, or when the terminal says it has no more than 16 colours (the same
    reading of TEXTUAL_COLOR_SYSTEM, COLORTERM and TERM that Rich makes)."""
    env = os.environ if environ is None else environ
    if "NO_COLOR" in env:
        return True
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced != "auto":
        return forced in ("standard", "windows")
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    term = env.get("TERM", "").lower()
    if not term:
        return os.name != "nt"  # Windows terminals set no TERM and have true colour
    return not (term.endswith(("256color", "256", "truecolor", "direct")))


def terminal_theme() -> str | None:
    """The theme this terminal needs (the ANSI one), or None for the app's own choice."""
    return ANSI_THEME if few_colours() else None

"""What the terminal can show: 16 colours (TERM=linux, xterm, screen) or none (NO_COLOR).

On such terminals the app starts in Textual's ANSI theme, whose colours are the terminal's
own 16; a truecolor theme squeezed into 16 colours loses borders and labels.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ANSI_THEME = "ansi-dark"


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

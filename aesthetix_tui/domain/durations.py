"""Durations typed as a number of days: "7d" (CLI options such as `integrations list --expiring`)."""

from __future__ import annotations

import re

from aesthetix_tui.domain.errors import InvalidInput

DAYS_SHAPE = re.compile(r"([0-9]{1,4})d", re.ASCII)


def whole_days(value, least: int, most: int, what: str, field: str | None = None) -> int:
    """A number of days as given (an int, or digits in text) from LEAST to MOST, else one sentence
    naming WHAT."""
    if isinstance(value, str):
        value = value.strip()
        if value.isdigit():
            value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise InvalidInput(f"{what} must be a whole number of days from {least} to {most:,}.", field=field)
    return value


def parse_days(text: str, field: str | None = None) -> int:
    """The number of days in "7d" (0d to 9999d), or one sentence saying how to write it."""
    found = DAYS_SHAPE.fullmatch((text or "").strip().lower())
    if found is None:
        raise InvalidInput(f"Write a number of days like 7d, not {text!r}.", field=field)
    return int(found.group(1))

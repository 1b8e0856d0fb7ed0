"""Durations typed as a number of days: "7d" (CLI options such as `integrations list --expiring`)."""

from __future__ import annotations

import re

from aesthetix_tui.domain.errors import InvalidInput

DAYS_SHAPE = re.compile(r"([0-9]{1,4})d", re.ASCII)


def parse_days(text: str, field: str | None = None) -> int:
    """The number of days in "7d" (0d to 9999d), or one sentence saying how to write it."""
    found = DAYS_SHAPE.fullmatch((text or "").strip().lower())
    if found is None:
        raise InvalidInput(f"Write a number of days like 7d, not {text!r}.", field=field)
    return int(found.group(1))

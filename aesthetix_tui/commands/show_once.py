"""Secrets shown once: written and flushed to stdout before the commit, or nothing changes."""

from __future__ import annotations

import sys
from typing import Callable

from aesthetix_tui.domain.errors import DomainError


class NotShown(DomainError):
    """The secret could not be written to stdout, so the change was rolled back."""


def show_or_refuse(show: Callable[[], None], what: str) -> None:
    """Run `show` (it prints the secret) and flush; if writing fails, raise NotShown, which
    rolls back the transaction `show` is called in."""
    try:
        show()
        sys.stdout.flush()
    except OSError as error:
        from aesthetix_tui.cli import silence_stdout

        silence_stdout()  # the unwritten rest must not fail again at exit
        reason = error.strerror or str(error) or type(error).__name__
        raise NotShown(f"The new {what} could not be written to standard output ({reason}); "
                       "nothing was changed.") from None

"""Secrets shown once: written and flushed to stdout before the commit, or nothing changes; and
should the commit then fail, the sentence says that the secret printed is void."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from aesthetix_tui.commands.context import CliContext
from aesthetix_tui.commands.failure import error_sentence, silence_stdout
from aesthetix_tui.domain.errors import ConnectionLost, DomainError


class NotShown(DomainError):
    """The secret could not be written to stdout, so the change was rolled back."""


def show_or_refuse(show: Callable[[], None], what: str) -> None:
    """Run `show` (it prints the secret) and flush; if writing fails, raise NotShown, which
    rolls back the transaction `show` is called in."""
    try:
        show()
        sys.stdout.flush()
    except OSError as error:
        silence_stdout()  # the unwritten rest must not fail again at exit
        reason = error.strerror or str(error) or type(error).__name__
        raise NotShown(f"The new {what} could not be written to standard output ({reason}); "
                       "nothing was changed.") from None


class Void(DomainError):
    """The secret was printed, then its change could not be saved: what was printed does not work."""


@contextmanager
def printed_once(what: str) -> Iterator[Callable[[Callable[[], None]], None]]:
    """Around a change that prints a secret in its transaction: yields show(print_it), which
    prints through show_or_refuse. Should the change fail once the secret is out (the commit
    refused: a full disk, a lost connection), its sentence says the printed secret is void."""
    printed: list[bool] = []

    def show(print_it: Callable[[], None]) -> None:
        show_or_refuse(print_it, what)
        printed.append(True)

    try:
        yield show
    except (Exception, KeyboardInterrupt) as error:
        if not printed:
            raise
        why = sentence(error)
        if why[1:2].islower():  # "The disk ..." continues the sentence as "the disk ..."
            why = why[0].lower() + why[1:]
        if lost_in_commit(error):  # the server may have committed before the connection broke
            raise Void(f"The {what} printed above may not have been saved, so check that the change is "
                       f"there before using it: {why}.") from None
        raise Void(f"The {what} printed above was never saved, so it does not work: {why}.") from None


def sentence(error: Exception) -> str:
    """The error's one sentence, as the command line would say it, without its full stop."""
    if isinstance(error, DomainError):
        return error.message.rstrip(".")
    if isinstance(error, KeyboardInterrupt):
        return "it was interrupted before the change was saved"
    return error_sentence(click.get_current_context(), error).rstrip(".")


def lost_in_commit(error: BaseException) -> bool:
    """A connection to the server lost while committing: whether the change was saved is unknown."""
    # CLI start-up: every command module loads for --help, so SQLAlchemy only once something failed
    from aesthetix_tui.domain.failures import explain, is_database_error

    cli = click.get_current_context().find_object(CliContext)
    return cli is not None and is_database_error(error) and isinstance(explain(error, cli.target), ConnectionLost)

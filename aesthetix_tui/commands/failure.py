"""A command's failure in one sentence, and a standard output that failed silenced."""

from __future__ import annotations

import os
import sys

import click

from aesthetix_tui.commands.context import CliContext


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the exit's flush of what is left cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (e.g. click's test runner)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def error_sentence(ctx: click.Context, error: Exception) -> str:
    """Database and file errors in one sentence that names them; anything else as unexpected."""
    try:
        # CLI start-up: SQLAlchemy loads only once a command has failed
        from aesthetix_tui.domain.failures import explain, explain_os_error, is_database_error

        if isinstance(ctx.obj, CliContext) and (is_database_error(error) or isinstance(error, OverflowError)):
            return explain(error, ctx.obj.target).message
        if isinstance(error, OSError):
            return explain_os_error(error)
    except Exception:  # noqa: BLE001, S110 - explaining must not fail: "Unexpected error" below
        pass
    text = str(error).strip().splitlines()[0].rstrip(".") if str(error).strip() else "no details"
    if isinstance(ctx.obj, CliContext):
        # CLI start-up, as above
        from aesthetix_tui.domain.failures import hide_secrets

        text = hide_secrets(text, ctx.obj.target.url)
    return f"Unexpected error: {type(error).__name__}: {text}; nothing more was changed."

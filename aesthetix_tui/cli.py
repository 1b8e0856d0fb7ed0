"""The `aesthetix-tui` command. With no subcommand it opens the TUI.

Imports stay light: the database stack loads only when a command needs it,
and Textual only when the TUI is asked for.
"""

from __future__ import annotations

import importlib
import sys

import click

from aesthetix_tui import __version__
from aesthetix_tui.clock import SystemClock
from aesthetix_tui.commands.context import ACCOUNT_ENV, CliContext
from aesthetix_tui.commands.failure import error_sentence, silence_stdout
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.errors import DatabaseProblem, DomainError
from aesthetix_tui.domain.text import visible

# Each subcommand's module loads only when that command runs (or help lists them all):
# `support check` and the TUI start without importing the other commands.
COMMANDS = {
    "accounts": ("accounts", "group"),
    "audit": ("audit", "group"),
    "features": ("features", "group"),
    "integrations": ("integrations", "group"),
    "legacy-key": ("legacy_key", "group"),
    "scopes": ("integrations", "scopes_command"),
    "support": ("support", "group"),
    "roles": ("roles", "group"),
    "support-access": ("support_access", "group"),
}


class AppGroup(click.Group):
    """Turns refused operations and database faults into one sentence and exit 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, name: str):
        if name not in self.commands and name in COMMANDS:
            module, attribute = COMMANDS[name]
            command = getattr(importlib.import_module(f"aesthetix_tui.commands.{module}"), attribute)
            self.add_command(command, name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        if sys.stdout is None:  # started with standard output closed (`>&-`): Python gives None
            fail(STDOUT_CLOSED)
        try:
            return super().invoke(ctx)
        except DomainError as error:
            fail(error.message)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("Interrupted; nothing more was changed.", code=130)
        except BrokenPipeError:
            broken_pipe()
        except OSError as error:
            if error.filename is not None:
                fail(error_sentence(ctx, error))
            # Writing the output failed. A secret is written before its commit (and refused
            # there), so any other change this command made is saved: not exit 1.
            silence_stdout()
            # CLI start-up: SQLAlchemy only once something failed
            from aesthetix_tui.domain.failures import explain_os_error

            reason = explain_os_error(error).split(";")[0].rstrip(".").lower()
            fail(f"The output could not be written ({reason}); anything this command changed was saved.",
                 code=OUTPUT_FAILED)
        except Exception as error:  # noqa: BLE001 - a user never sees a traceback: one sentence, exit 1
            fail(error_sentence(ctx, error))
        finally:
            if isinstance(ctx.obj, CliContext):
                ctx.obj.close()


def fail(message: str, code: int = 1):
    click.echo(visible(message), err=True)
    sys.exit(code)


# The output could not be written after the work was done (sysexits' EX_IOERR): not 1, which
# promises that nothing changed.
OUTPUT_FAILED = 74
STDOUT_CLOSED = ("Standard output is closed, so nothing could be shown; nothing was changed "
                 "(send it to /dev/null instead to discard it).")
# A reader that stopped early (`| head`): exit as if killed by SIGPIPE, quietly.
BROKEN_PIPE_EXIT = 128 + 13


def broken_pipe():
    silence_stdout()
    sys.exit(BROKEN_PIPE_EXIT)


@click.group(cls=AppGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", default=None,
              help="A SQLite database file (or set AESTHETIX_DB).")
@click.option("--database-url", metavar="URL", default=None,
              help="Any SQLAlchemy URL, e.g. postgresql+psycopg://... (or set AESTHETIX_DATABASE_URL).")
@click.option("--account", "tui_account", metavar="ID_OR_NAME", default=None, envvar=ACCOUNT_ENV,
              help=f"The account the TUI opens (or set {ACCOUNT_ENV}; default: the one used last, else the "
                   "first). Subcommands take their own --account.")
@click.version_option(__version__, prog_name="aesthetix-tui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, database_url: str | None, tui_account: str | None) -> None:
    """Aesthetix account admin: Support Access, API access and deprecated features."""
    try:
        target = resolve_target(db, database_url)
    except ValueError as error:
        raise click.UsageError(str(error))
    # In-process callers (the tests, through click's CliRunner) may hand in a clock as `obj`;
    # main() never does, so nothing on the command line or in the environment moves the clock.
    clock = ctx.obj if ctx.obj is not None else SystemClock()
    ctx.obj = CliContext(target=target, clock=clock)
    if ctx.invoked_subcommand is None:
        if tui_account is not None:
            check_tui_account(ctx.obj, tui_account)
        # CLI start-up: Textual only for the TUI
        from aesthetix_tui.ui.run import run_tui

        run_tui(ctx.obj.target, tui_account, clock)  # the app from ui/run.make_app, as the tests make it


def check_tui_account(cli: CliContext, account: str) -> None:
    """Before the TUI opens: the account --account names exists, else its one sentence and exit 1
    (AppGroup.invoke), as for every command. A SQLite file at the newest schema answers with
    sqlite3 alone (db/quick.py); anything else asks the full stack as the TUI will
    (profile.choose_account). A fault while asking is left to the TUI, which explains it there."""
    # CLI start-up: only with --account
    from aesthetix_tui.domain import quick

    answer = quick.account_check(cli.target, account)
    if isinstance(answer, Exception):
        raise answer
    if answer:
        return
    # CLI start-up: SQLAlchemy only when sqlite3 alone cannot answer
    from aesthetix_tui.domain import profile

    try:
        with cli.database().session() as session:
            profile.choose_account(session, account)
    except DatabaseProblem:
        pass  # the TUI shows the fault on its screen
    except DomainError:
        raise  # no such account (or a blank name among several): not the TUI
    except Exception:  # noqa: BLE001, S110 - as a fault: the TUI explains it in its own way
        pass
    finally:
        cli.close()  # the TUI opens its own connections


def main() -> None:
    cli(prog_name="aesthetix-tui")

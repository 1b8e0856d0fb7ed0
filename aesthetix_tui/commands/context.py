"""What every command shares: the database target, the clock, the actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from aesthetix_tui.clock import Clock, SystemClock
from aesthetix_tui.config import DatabaseTarget

if TYPE_CHECKING:
    from aesthetix_tui.domain.seed import Database


@dataclass
class CliContext:
    target: DatabaseTarget
    clock: Clock = field(default_factory=SystemClock)
    _database: Database | None = None

    def database(self) -> Database:
        if self._database is None:
            # CLI start-up: the domain loads only when this command runs
            from aesthetix_tui.domain.seed import open_database

            self._database = open_database(self.target, self.clock)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None


pass_cli = click.make_pass_decorator(CliContext)
ACCOUNT_ENV = "AESTHETIX_ACCOUNT"  # the account to use when --account is not given


def account_option(f):
    return click.option("--account", "account", metavar="ID_OR_NAME", default=None, envvar=ACCOUNT_ENV,
                        help=f"The account (or set {ACCOUNT_ENV}); optional when the database holds only one.")(f)


def actor_option(f):
    return click.option("--actor", default=None, metavar="NAME",
                        help="SQLite only: a name recorded beside your OS login, shown as "
                             "\"NAME (via LOGIN)\". Refused on PostgreSQL, where you act as your login.")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")(f)


def account_command(*, acts: bool = False):
    """The options of a command on one account: --account, --actor when it changes something,
    --json; the function receives the CliContext first."""
    def wrap(f):
        f = json_option(pass_cli(f))
        return account_option(actor_option(f) if acts else f)
    return wrap


def actor_of(session, label: str | None):
    """The connection's actor, with the --actor label where allowed (domain/identity.actor)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.identity import actor

    return actor(session, label)

"""aesthetix-tui accounts list|create"""

from __future__ import annotations

import click

from aesthetix_tui.commands.context import CliContext, actor_of, actor_option, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, listing


@click.group("accounts")
def group() -> None:
    """The accounts in this database."""


def as_dict(account) -> dict:
    return {"id": account.id, "name": account.name, "timezone": account.timezone,
            "created_at": account.created_at.isoformat()}


@group.command("list")
@json_option
@pass_cli
def list_command(cli: CliContext, as_json) -> None:
    """List the accounts."""
    from aesthetix_tui.domain import accounts

    with cli.database().session() as session:
        items = accounts.list_accounts(session)
    listing(items, as_json, as_dict, ["ID", "NAME", "TIMEZONE"], lambda a: [str(a.id), a.name, a.timezone])


@group.command("create")
@click.argument("name")
@click.option("--timezone", "tz", default=None, help="IANA name, e.g. Europe/Paris (default: this machine's).")
@actor_option
@json_option
@pass_cli
def create_command(cli: CliContext, name, tz, actor, as_json) -> None:
    """Add an account."""
    from aesthetix_tui.config import local_timezone_name
    from aesthetix_tui.domain import accounts

    with cli.database().session() as session:
        account = accounts.create(session, cli.clock, name, tz or local_timezone_name(), actor_of(session, actor))
    if as_json:
        emit_json(as_dict(account))
    else:
        click.echo(f"Created account {account.name!r} (id {account.id}, {account.timezone}).")

"""aesthetix-tui legacy-key status|regenerate|disable|enable"""

from __future__ import annotations

import click

from aesthetix_tui.commands.account_session import account_session
from aesthetix_tui.commands.context import CliContext, account_command, actor_of
from aesthetix_tui.commands.output import emit_json, note, say
from aesthetix_tui.commands.show_once import printed_once


@click.group("legacy-key")
def group() -> None:
    """The deprecated API V1 key."""


def show(status, tz: str, as_json: bool) -> None:
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.dates import format_instant

    if as_json:
        emit_json(status.as_dict())
        return
    if not status.exists:
        click.echo("There is no legacy API key.")
    else:
        say(f"Legacy API key {status.hint}, created {format_instant(status.created_at, tz)} "
            f"by {status.created_by}: {status.state}.")
    note(f"Warning: {status.deprecation}")


@group.command("status")
@account_command()
def status_command(cli: CliContext, account, as_json) -> None:
    """Show whether a key exists, its hint, and whether it is disabled."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import legacy_key

    with account_session(cli, account) as (session, acct):
        show(legacy_key.status(session, acct), acct.timezone, as_json)


@group.command("regenerate")
@click.option("--yes", is_flag=True, help="Confirm: the current key stops working at once.")
@account_command(acts=True)
def regenerate_command(cli: CliContext, yes, account, actor, as_json) -> None:
    """Replace the key and print the new one once."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import legacy_key

    if not yes:
        raise click.UsageError("The current key stops working at once; add --yes to confirm.")
    with account_session(cli, account) as (session, acct), printed_once("legacy API key") as show:
        new = legacy_key.regenerate(session, cli.clock, acct.id, actor_of(session, actor),
                                    deliver=lambda new: show(lambda: show_key(new, as_json)))
    if not as_json:  # after the commit, on stderr: what the key printed above is
        note("The new legacy API key above is shown only this once, so treat it like a password.")
        note(f"Warning: {new.status.deprecation}")


def show_key(new, as_json: bool) -> None:
    if as_json:
        emit_json({"key": new.key, **new.status.as_dict()})
    else:
        click.echo(new.key)


def toggle(name: str, action: str, done: str):
    @group.command(name, help=f"{name.capitalize()} the legacy API key.")
    @account_command(acts=True)
    def command(cli: CliContext, account, actor, as_json) -> None:
        # CLI start-up: the domain loads only when this command runs
        from aesthetix_tui.domain import legacy_key

        with account_session(cli, account) as (session, acct):
            status = getattr(legacy_key, action)(session, cli.clock, acct.id, actor_of(session, actor))
        if as_json:
            emit_json(status.as_dict())
        else:
            click.echo(done)

    return command


toggle("disable", "disable", "The legacy API key is disabled: requests with it are refused.")
toggle("enable", "enable", "The legacy API key is enabled again.")

"""aesthetix-tui roles setup|add-owner|add-agent|list|remove (PostgreSQL, as the schema owner)"""

from __future__ import annotations

import click

from aesthetix_tui.commands.context import CliContext, json_option, pass_cli
from aesthetix_tui.commands.output import listing, say


@click.group("roles")
def group() -> None:
    """Who may do what on a shared PostgreSQL database. Run these as the schema owner."""


@group.command("setup")
@pass_cli
def setup_command(cli: CliContext) -> None:
    """Create the group roles aesthetix_owner and aesthetix_support, and every grant and policy."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import roles

    with cli.database().session() as session:
        roles.setup(session)
    say("The roles aesthetix_owner and aesthetix_support, their grants and row-level security are in place.")


@group.command("add-owner")
@click.argument("login")
@click.option("--account", "account", metavar="ID_OR_NAME", required=True, help="An account the login owns.")
@pass_cli
def add_owner_command(cli: CliContext, login: str, account: str) -> None:
    """LOGIN owns ACCOUNT (repeat for each account it owns)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import accounts, roles

    with cli.database().session() as session:
        changed = roles.add_owner(session, cli.clock, login, account)
        name = accounts.resolve(session, account).name
    say(f"{login} owns {name}." if changed else f"{login} already owned {name}; nothing changed.")


@group.command("add-agent")
@click.argument("login")
@pass_cli
def add_agent_command(cli: CliContext, login: str) -> None:
    """LOGIN is a support agent: it sees an account only while its Support Access is active."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import roles

    change_role(cli, lambda session: roles.add_agent(session, login),
                f"{login} is a support agent.", f"{login} already was a support agent")


@group.command("remove")
@click.argument("login")
@pass_cli
def remove_command(cli: CliContext, login: str) -> None:
    """LOGIN loses its role and every account it owned (the login itself stays)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import roles

    change_role(cli, lambda session: roles.remove(session, cli.clock, login),
                f"{login} has no Aesthetix role any more.", f"{login} had no Aesthetix role")


@group.command("list")
@json_option
@pass_cli
def list_command(cli: CliContext, as_json: bool) -> None:
    """The logins with a role: owners with their accounts, and agents."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import roles

    with cli.database().session() as session:
        logins = roles.list_logins(session)
    listing(logins, as_json, lambda item: item.as_dict(), ["LOGIN", "KIND", "ACCOUNTS"],
            lambda item: [item.login, item.kind, ", ".join(item.accounts) or "—"],
            empty="No login has a role yet; see `aesthetix-tui roles add-owner --help`.")


def change_role(cli: CliContext, change, done: str, unchanged: str) -> None:
    """Runs change(session); says DONE if it changed anything, else UNCHANGED and that nothing changed."""
    with cli.database().session() as session:
        changed = change(session)
    say(done if changed else f"{unchanged}; nothing changed.")

"""aesthetix-tui features list|update KEY=on|off ..."""

from __future__ import annotations

import click

from aesthetix_tui.commands.account_session import account_session
from aesthetix_tui.commands.context import CliContext, account_command, actor_of
from aesthetix_tui.commands.output import emit_json, listing

WORDS = {"on": True, "off": False, "true": True, "false": False, "1": True, "0": False}


@click.group("features")
def group() -> None:
    """Deprecated features (legacy Campaigns and Triggers)."""


@group.command("list")
@account_command()
def list_command(cli: CliContext, account, as_json) -> None:
    """Show each deprecated feature and whether it is on."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import features

    with account_session(cli, account) as (session, acct):
        states = features.settings(session, acct)
    listing(states, as_json, lambda s: s.as_dict(), ["KEY", "FEATURE", "STATE", "REPLACED BY"],
            lambda s: [s.feature.key, s.feature.name, "on" if s.enabled else "off", s.feature.replacement])


def parse_change(text: str) -> tuple[str, bool]:
    key, sep, word = text.partition("=")
    if not sep or word.lower() not in WORDS:
        raise click.BadParameter(f"{text!r}: write KEY=on or KEY=off.", param_hint="CHANGES")
    return key.strip(), WORDS[word.lower()]


@group.command("update")
@click.argument("changes", nargs=-1, required=True, metavar="KEY=on|off ...")
@account_command(acts=True)
def update_command(cli: CliContext, changes, account, actor, as_json) -> None:
    """Turn deprecated features on or off, all in one change."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import features

    wanted = [parse_change(c) for c in changes]
    with account_session(cli, account) as (session, acct):
        changed = features.update(session, cli.clock, acct.id, wanted, actor_of(session, actor))
    wanted = dict(wanted)  # each key once: the domain refused a repeated one
    if as_json:
        emit_json({"changed": changed})
    elif changed:
        click.echo("Updated: " + ", ".join(f"{k} {'on' if wanted[k] else 'off'}" for k in changed) + ".")
    else:
        click.echo("Nothing changed: the features were already set that way.")

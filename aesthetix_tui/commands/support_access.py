"""aesthetix-tui support-access status|enable|extend|revoke|policy|requests|approve|decline"""

from __future__ import annotations

import sys
from typing import Self

import click
from click.core import ParameterSource

from aesthetix_tui.commands.account_session import account_session
from aesthetix_tui.commands.context import CliContext, account_command, actor_of, actor_option, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, listing, say
from aesthetix_tui.domain.errors import InvalidInput


@click.group("support-access")
def group() -> None:
    """Let the vendor's support team into the account for a limited time."""


def show(cli: CliContext, account, status, as_json: bool) -> None:
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_access

    if as_json:
        emit_json({"account": account.name, **status.as_dict()})
    else:
        say(support_access.sentence(status, account.timezone))


@group.command("status")
@account_command()
def status_command(cli: CliContext, account: str | None, as_json: bool) -> None:
    """Show whether support can get in, and until when."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_access

    with account_session(cli, account) as (session, acct):
        show(cli, acct, support_access.status(session, cli.clock, acct), as_json)


@group.command("enable")
@click.option("--until", "until", required=True, metavar="YYYY-MM-DD",
              help="Access is available through the end of this day, in the account's timezone.")
@click.option("--reason", default=None, help="Why, or a ticket reference (optional).")
@account_command(acts=True)
def enable_command(cli: CliContext, until: str, reason: str | None, account, actor, as_json) -> None:
    """Turn Support Access on, through a date."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_access
    from aesthetix_tui.domain.dates import parse_date

    day = parse_date(until)
    with account_session(cli, account) as (session, acct):
        show(cli, acct, support_access.enable(session, cli.clock, acct.id, day, actor_of(session, actor), reason), as_json)


@group.command("extend")
@click.option("--until", "until", required=True, metavar="YYYY-MM-DD", help="The new, later end date.")
@account_command(acts=True)
def extend_command(cli: CliContext, until: str, account, actor, as_json) -> None:
    """Keep Support Access on until a later date."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_access
    from aesthetix_tui.domain.dates import parse_date

    day = parse_date(until)
    with account_session(cli, account) as (session, acct):
        show(cli, acct, support_access.extend(session, cli.clock, acct.id, day, actor_of(session, actor)), as_json)


@group.command("revoke")
@click.option("--yes", is_flag=True, help="Confirm: this ends any live support session now.")
@click.option("--all-accounts", "all_accounts", is_flag=True,
              help="In every account you may manage, each in its own transaction (needs --yes; not with --account).")
@account_command(acts=True)
def revoke_command(cli: CliContext, yes: bool, all_accounts: bool, account, actor, as_json) -> None:
    """End Support Access now, and any live support session with it."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_access

    if all_accounts:
        if click.get_current_context().get_parameter_source("account") == ParameterSource.ENVIRONMENT:
            account = None  # AESTHETIX_ACCOUNT names the usual account; --all-accounts means every one
        revoke_all(cli, yes, account, actor, as_json)
        return
    if not yes:
        raise click.UsageError(
            "Revoking ends any ongoing support session at once; add --yes to confirm."
        )
    with account_session(cli, account) as (session, acct):
        show(cli, acct, support_access.revoke(session, cli.clock, acct.id, actor_of(session, actor)), as_json)


def revoke_all(cli: CliContext, yes: bool, account: str | None, actor: str | None, as_json: bool) -> None:
    """revoke --all-accounts: one line per account and a summary (or JSON, a record per account);
    exit 0 when every account ended up off, else 1. A progress bar on stderr when it is a terminal."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.revoke_everywhere import revoke_everywhere

    if account is not None:
        raise InvalidInput("--all-accounts revokes in every account; leave out --account, or leave out --all-accounts.")
    if not yes:
        raise InvalidInput("Revoking in every account ends every live support session at once; "
                           "add --yes to confirm.")
    database = cli.database()
    with database.session() as session:
        who = actor_of(session, actor)
    with Progress() as progress:
        summary = revoke_everywhere(database, cli.clock, who, on_progress=progress.update)
    if as_json:
        emit_json([result.as_dict() for result in summary.results])
    else:
        for result in summary.results:
            say(result.line())
        say(summary.sentence())
    if not summary.all_off:
        raise click.exceptions.Exit(1)


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """click's progress bar on stderr, only when stderr is a terminal; nothing otherwise."""

    def __init__(self) -> None:
        self.bar = None
        self.shown = 0
        self.on = stderr_is_terminal()

    def __enter__(self) -> Self:
        return self

    def update(self, done: int, total: int) -> None:
        if not self.on:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Revoking Support Access", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@group.command("policy")
@click.argument("policy", type=click.Choice(["read-only", "read-write"]), required=False)
@account_command(acts=True)
def policy_command(cli: CliContext, policy: str | None, account, actor, as_json) -> None:
    """Show, or set, what agents in a support session may do: read-only (the default) or
    read-write (change deprecated features and the legacy key's on/off; never Support Access)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import accounts, support_access

    with account_session(cli, account) as (session, acct):
        if policy is not None:
            support_access.set_agent_policy(session, cli.clock, acct.id, policy, actor_of(session, actor))
            acct = accounts.get(session, acct.id)
        current = acct.agent_policy
    if as_json:
        emit_json({"account": acct.name, "agent_policy": current})
    else:
        say(f"Agents in a support session on {acct.name} have {current} access.")


# -- access requests from support agents (domain/support_requests.py) --------------------------

@group.command("requests")
@account_command()
def requests_command(cli: CliContext, account: str | None, as_json: bool) -> None:
    """List support agents' access requests, newest first: pending, approved, declined, expired, replaced."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_requests
    from aesthetix_tui.domain.dates import format_instant

    with account_session(cli, account) as (session, acct):
        support_requests.record_expiries(session, cli.clock, acct.id)
        items = support_requests.for_account(session, cli.clock, acct.id)
    listing(items, as_json, lambda r: r.as_dict(), ["ID", "AGENT", "TICKET", "DAYS", "ASKED", "STATE", "REASON"],
            lambda r: [str(r.id), r.agent, r.ticket, str(r.days), format_instant(r.created_at, acct.timezone),
                       r.outcome(acct.timezone), r.reason],
            empty=f"No support agent has asked for access to {acct.name}.")


def answered(request, as_json: bool) -> None:
    if as_json:
        emit_json(request.as_dict())
    else:
        say(f"Request {request.id} from {request.agent} on {request.account_name}: {request.outcome()}.")


@group.command("approve")
@click.argument("request_id", type=int)
@click.option("--until", "until", default=None, metavar="YYYY-MM-DD",
              help="The last day of access (default: the days asked, from today).")
@actor_option
@json_option
@pass_cli
def approve_command(cli: CliContext, request_id: int, until: str | None, actor, as_json) -> None:
    """Approve an agent's request: turn Support Access on, or extend it when on."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_requests
    from aesthetix_tui.domain.dates import parse_date

    day = parse_date(until) if until is not None else None
    with cli.database().session() as session:
        request = support_requests.approve(session, cli.clock, request_id, day, actor_of(session, actor))
    answered(request, as_json)


@group.command("decline")
@click.argument("request_id", type=int)
@click.option("--note", default=None, metavar="TEXT", help="A word for the agent (optional, one line).")
@actor_option
@json_option
@pass_cli
def decline_command(cli: CliContext, request_id: int, note: str | None, actor, as_json) -> None:
    """Decline an agent's request; Support Access stays as it is."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_requests

    with cli.database().session() as session:
        request = support_requests.decline(session, cli.clock, request_id, note, actor_of(session, actor))
    answered(request, as_json)

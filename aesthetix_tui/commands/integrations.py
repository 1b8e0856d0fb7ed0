"""aesthetix-tui integrations ... and aesthetix-tui scopes"""

from __future__ import annotations

import json
import sys

import click

from aesthetix_tui.commands.account_session import account_session
from aesthetix_tui.commands.context import CliContext, account_command, actor_of, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, listing, note, say
from aesthetix_tui.commands.show_once import printed_once
from aesthetix_tui.domain.integration_expiry import MAX_DAYS
from aesthetix_tui.domain.integration_state import EXPIRE_LATER, EXPIRE_NOW, OVERLAP_WORDS, ROTATE_CHOICES


@click.group("integrations")
def group() -> None:
    """Private Integrations: named tokens with least-privilege scopes."""


def summary_row(i, now, tz) -> list[str]:
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integration_expiry, integrations
    from aesthetix_tui.domain.dates import format_instant
    from aesthetix_tui.domain.integration_state import IntegrationState

    state = integrations.state_of(i, now)
    if state == IntegrationState.ROTATING:
        state = f"rotating (old token until {format_instant(i.old_expires_at, tz)})"
    if state == IntegrationState.EXPIRED or (state == IntegrationState.ACTIVE
                                             and integration_expiry.warns(i.expires_at, now, tz)):
        state = f"{state} ({integration_expiry.note(i.expires_at, now, tz)})"
    scopes = integrations.scope_list(i)
    return [str(i.id), i.name, f"{len(scopes)}: {', '.join(scopes[:2])}{', …' if len(scopes) > 2 else ''}",
            i.token_hint, format_instant(i.last_used_at, tz) if i.last_used_at else "never", state]


def stale_marked(cells: list[str], stale: bool) -> list[str]:
    """The LAST USED cell says "(stale)" after it for a stale integration."""
    if stale:
        cells[4] = f"{cells[4]} (stale)"
    return cells


@group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include revoked integrations.")
@click.option("--stale", "only_stale", is_flag=True,
              help="Only stale integrations: unused, or never used, for the account's days (accounts set-stale).")
@click.option("--expiring", default=None, metavar="DAYS",
              help="Only tokens that expire within DAYS, written like 7d (expired ones are not listed).")
@account_command()
def list_command(cli: CliContext, show_all: bool, only_stale: bool, expiring, account, as_json) -> None:
    """List the account's integrations."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integration_expiry, integrations
    from aesthetix_tui.domain.dates import plural
    from aesthetix_tui.domain.durations import parse_days
    from aesthetix_tui.domain.stale import StaleRule

    within = parse_days(expiring, "expiring") if expiring is not None else None

    with account_session(cli, account) as (session, acct):
        items = integrations.stream_for(session, acct, include_revoked=show_all)
        now = cli.clock.now()
        rule = StaleRule.of(acct)
        if only_stale:
            items = (i for i in items if rule.is_stale(i, now))
        if within is not None:
            items = (i for i in items if i.revoked_at is None
                     and integration_expiry.expiring_within(i.expires_at, now, acct.timezone, within))
        listing(items, as_json, lambda i: {**integrations.as_dict(i, now), "stale": rule.is_stale(i, now)},
                ["ID", "NAME", "SCOPES", "TOKEN", "LAST USED", "STATUS"],
                lambda i: stale_marked(summary_row(i, now, acct.timezone), rule.is_stale(i, now)),
                empty=f"No token expires within {plural(within, 'day')}." if within is not None else
                f"No integration is stale ({rule.words()})." if only_stale else
                "No Private Integrations yet; create one with `aesthetix-tui integrations create`.")


@group.command("show")
@click.argument("id_or_name")
@account_command()
def show_command(cli: CliContext, id_or_name: str, account, as_json) -> None:
    """Show one integration in full (never its token)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations
    from aesthetix_tui.domain.stale import StaleRule

    now = cli.clock.now()
    with account_session(cli, account) as (session, acct):
        found = integrations.find(session, acct, id_or_name)
        data = {**integrations.as_dict(found, now), "stale": StaleRule.of(acct).is_stale(found, now)}
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if isinstance(value, list):
            value = " ".join(value)
        say(f"{key.replace('_', ' '):>22}: {'' if value is None else value}")


def token_printer(show, as_json: bool, now):
    """What create and rotate call before their commit: the token on stdout through `show`
    (show_once.printed_once), or nothing changes."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations

    def print_token(issued) -> None:
        if as_json:
            emit_json({"integration": integrations.as_dict(issued.integration, now), "token": issued.token})
        else:
            click.echo(issued.token)

    return lambda issued: show(lambda: print_token(issued))


def announce(issued, as_json: bool, verb: str) -> None:
    """After the commit, on stderr: what the token printed above is."""
    if not as_json:
        note(f"{verb} {issued.integration.name!r} (id {issued.integration.id}); the token above is shown "
             "only this once, so store it like a password.")


@group.command("create")
@click.option("--name", required=True, help="1 to 64 characters, unique in the account.")
@click.option("--scope", "scopes", multiple=True, required=True, metavar="SCOPE",
              help="A scope to grant; repeat for each. See `aesthetix-tui scopes`.")
@click.option("--description", default="", help="What it is for (at most 500 characters).")
@click.option("--expires", default=None, metavar="YYYY-MM-DD",
              help=f"The last day the token works (account's timezone), at most {MAX_DAYS} days ahead; "
                   "rotations keep that many days. Default: never.")
@account_command(acts=True)
def create_command(cli: CliContext, name, scopes, description, expires, account, actor, as_json) -> None:
    """Create an integration and print its token once."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations

    with account_session(cli, account) as (session, acct), printed_once("token") as show:
        issued = integrations.create(session, cli.clock, acct.id, name, list(scopes), actor_of(session, actor),
                                     description, deliver=token_printer(show, as_json, cli.clock.now()),
                                     expires=expires)
    announce(issued, as_json, "Created")


@group.command("edit")
@click.argument("id_or_name")
@click.option("--name", default=None, help="A new name.")
@click.option("--description", default=None, help="A new description.")
@click.option("--scope", "scopes", multiple=True, metavar="SCOPE",
              help="The full new set of scopes; repeat for each.")
@account_command(acts=True)
def edit_command(cli: CliContext, id_or_name, name, description, scopes, account, actor, as_json) -> None:
    """Change the name, description or scopes. The token stays the same."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations

    with account_session(cli, account) as (session, acct):
        item = integrations.edit(session, cli.clock, acct.id, id_or_name, actor_of(session, actor), name=name,
                                 description=description, scopes=list(scopes) if scopes else None)
        if as_json:
            emit_json(integrations.as_dict(item, cli.clock.now()))
        else:
            say(f"Updated {item.name!r}; its token is unchanged.")


def simple_change(name: str, help_text: str, action: str, message: str):
    """A command that takes ID_OR_NAME and calls one domain function."""

    @group.command(name, help=help_text)
    @click.argument("id_or_name")
    @account_command(acts=True)
    def command(cli: CliContext, id_or_name, account, actor, as_json) -> None:
        # CLI start-up: the domain loads only when this command runs
        from aesthetix_tui.domain import integrations

        with account_session(cli, account) as (session, acct):
            item = getattr(integrations, action)(session, cli.clock, acct.id, id_or_name, actor_of(session, actor))
            if as_json:
                emit_json(integrations.as_dict(item, cli.clock.now()))
            else:
                say(message.format(name=item.name))

    return command


simple_change("cancel-rotation", "Undo a pending rotation: the new token stops, the old one stays.",
              "cancel_rotation", "Rotation of {name!r} cancelled: the old token stays valid, the new one no longer works.")
simple_change("expire-old", "End a rotation's grace period now: the old token stops working.",
              "expire_old_now", "The old token of {name!r} no longer works.")


@group.command("revoke")
@click.argument("id_or_name")
@click.option("--yes", is_flag=True, help="Confirm: apps using the token stop working at once.")
@account_command(acts=True)
def revoke_command(cli: CliContext, id_or_name, yes, account, actor, as_json) -> None:
    """Revoke an integration: immediate and permanent."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations

    if not yes:
        raise click.UsageError("Apps using this token stop working at once and it cannot be undone; add --yes.")
    with account_session(cli, account) as (session, acct):
        item = integrations.revoke(session, cli.clock, acct.id, id_or_name, actor_of(session, actor))
        if as_json:
            emit_json(integrations.as_dict(item, cli.clock.now()))
        else:
            say(f"Revoked {item.name!r}: its token no longer works.")


@group.command("revoke-stale")
@click.option("--yes", is_flag=True, help="Confirm: apps using these tokens stop working at once.")
@click.option("--count", type=int, default=None, metavar="N",
              help="How many stale integrations you reviewed (integrations list --stale); refused if not that many now.")
@account_command(acts=True)
def revoke_stale_command(cli: CliContext, yes, count, account, actor, as_json) -> None:
    """Revoke every stale integration in one step, after reviewing them with list --stale."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations
    from aesthetix_tui.domain.dates import plural
    from aesthetix_tui.domain.revoke_stale import revoke_stale

    if not yes:
        raise click.UsageError("Apps using these tokens stop working at once and it cannot be undone; review them "
                               "with `integrations list --stale`, then add --yes --count N.")
    if count is None:
        raise click.UsageError("Give --count N: how many stale integrations `integrations list --stale` showed you.")
    with account_session(cli, account) as (session, acct):
        done = revoke_stale(session, cli.clock, acct.id, actor_of(session, actor), count)
        now = cli.clock.now()
        if as_json:
            emit_json({"revoked": [integrations.as_dict(i, now) for i in done.integrations]})
            return
        n = len(done.integrations)
        say(f"Revoked {plural(n, 'stale integration')}; "
            f"{'its token no longer works' if n == 1 else 'their tokens no longer work'}:")
        for item in done.integrations:
            say(f"  {item.name} (id {item.id})")


@group.command("rotate")
@click.argument("id_or_name")
@click.option("--expire-old", type=click.Choice(ROTATE_CHOICES), required=True,
              help=f"{EXPIRE_LATER} keeps the old token working for {OVERLAP_WORDS}; {EXPIRE_NOW} stops it at once "
                   "(for a leak).")
@account_command(acts=True)
def rotate_command(cli: CliContext, id_or_name, expire_old, account, actor, as_json) -> None:
    """Issue a new token and print it once."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations

    with account_session(cli, account) as (session, acct), printed_once("token") as show:
        issued = integrations.rotate(session, cli.clock, acct.id, id_or_name, actor_of(session, actor), expire_old,
                                     deliver=token_printer(show, as_json, cli.clock.now()))
    announce(issued, as_json, "Rotated")


@group.command("verify")
@click.option("--scope", default=None, help="The scope the request needs.")
@click.option("--batch", is_flag=True,
              help="Check one token per line until the input ends, writing one answer per line, in order.")
@json_option
@pass_cli
def verify_command(cli: CliContext, scope, batch, as_json) -> None:
    """Check a token read from stdin, as an API gateway would. With --batch, every line of stdin
    is a token and gets one answer line on stdout ("Valid: ..." or why not; with --json an object
    with "valid"), flushed as soon as its chunk is checked; the exit status is 0 unless the check
    itself fails."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import integrations

    if batch:
        verify_lines(cli, scope, as_json)
        return
    token = sys.stdin.readline().strip()
    with cli.database().session() as session:
        item = integrations.verify(session, cli.clock, token, scope)
        if as_json:
            emit_json({"valid": True, **integrations.as_dict(item, cli.clock.now())})
        else:
            say(valid_line(item, scope))


def valid_line(item, scope: str | None) -> str:
    return f"Valid: {item.name!r} (id {item.id})" + (f" grants {scope}." if scope else ".")


def verify_lines(cli: CliContext, scope: str | None, as_json: bool) -> None:
    """verify --batch: stdin's lines in chunks, each chunk checked by domain verify_many."""
    from aesthetix_tui.commands.batch_lines import chunks
    from aesthetix_tui.domain import integrations
    from aesthetix_tui.domain.text import json_safe, visible
    from aesthetix_tui.domain.token_check import check_scope, verify_many

    out = sys.stdout
    # One encoder for every line; an answer holds no cycle to look for.
    encode = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False).encode
    check_scope(scope)  # an unknown scope is refused before any input is read
    with cli.database().session() as session:
        for chunk in chunks(sys.stdin.buffer):
            answers = verify_many(session, cli.clock, chunk, scope)
            session.commit()  # the next chunk sees what changed since (a revoke)
            now = cli.clock.now()
            if as_json:  # json_safe once for the chunk: json escapes every newline inside a value
                out.write(json_safe("\n".join(encode(
                    {"valid": True, **integrations.as_dict(a.integration, now)} if a.refusal is None
                    else {"valid": False, "error": a.refusal}) for a in answers)) + "\n")
            else:
                out.write("\n".join(visible(valid_line(a.integration, scope)) if a.refusal is None
                                     else a.refusal for a in answers) + "\n")
            out.flush()


@click.command("scopes")
@json_option
def scopes_command(as_json: bool) -> None:
    """List the scopes a Private Integration may be granted."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.catalog import scopes

    items = list(scopes().values())
    listing(items, as_json, lambda s: {"name": s.name, "group": s.group, "description": s.description},
            ["SCOPE", "GROUP", "ALLOWS"], lambda s: [s.name, s.group, s.description])

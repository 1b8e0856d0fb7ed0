"""aesthetix-tui support accounts|check|console|request: the support agent's side of Support Access."""

from __future__ import annotations

import click

from aesthetix_tui.commands.context import CliContext, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, listing, say
from aesthetix_tui.domain.errors import InvalidInput


@click.group("support")
def group() -> None:
    """For support agents: only the accounts whose Support Access is active now."""


@group.command("accounts")
@json_option
@pass_cli
def accounts_command(cli: CliContext, as_json: bool) -> None:
    """List the accounts support may open now, with their end date, time left and reason."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_sessions
    from aesthetix_tui.domain.dates import format_day

    with cli.database().session() as session:
        listing(support_sessions.stream_accessible(session, cli.clock), as_json, lambda i: i.as_dict(),
                ["ID", "ACCOUNT", "AVAILABLE THROUGH", "TIME LEFT", "REASON"],
                lambda i: [str(i.account_id), i.name, format_day(i.until_date), i.time_left_text, i.reason or ""],
                empty="No account has Support Access active now.")


@group.command("check")
@click.argument("account")
@json_option
@pass_cli
def check_command(cli: CliContext, account: str, as_json: bool) -> None:
    """Exit 0 when support may open ACCOUNT (an id or name) now, else 1 with the reason."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import quick
    from aesthetix_tui.domain.dates import format_day

    # Scripts run this often: a SQLite file at the newest schema is answered with sqlite3 alone.
    item = quick.support_check(cli.target, cli.clock.now(), account)
    if isinstance(item, Exception):
        raise item
    if item is None:
        # CLI start-up: the domain loads only when this command runs
        from aesthetix_tui.domain import support_sessions

        with cli.database().session() as session:
            item = support_sessions.check_access(session, cli.clock, account)
    if as_json:
        emit_json({"active": True, **item.as_dict()})
    else:
        say(f"Support Access to {item.name} is active — available through "
            f"{format_day(item.until_date)} ({item.time_left_text} left).")


@group.command("console")
@click.option("--agent", metavar="NAME", default=None,
              help="SQLite only: your name, as the audit trail records it (default: your OS user name). "
                   "On PostgreSQL you are your database login.")
@pass_cli
def console_command(cli: CliContext, agent: str | None) -> None:
    """Open the support console: the accessible accounts, and read-only sessions on them."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.actor import Actor, os_user

    if cli.target.path is None and cli.target.url.startswith("postgresql"):
        if agent is not None:
            raise InvalidInput("On a shared PostgreSQL database you are your database login; "
                               "--agent is not accepted there.")
        # CLI start-up: SQLAlchemy only when this command runs
        from sqlalchemy.engine import make_url

        agent = make_url(cli.target.url).username or os_user()  # shown only: the database records its login
    name = Actor(agent or os_user(), "support").name  # a bad name is one sentence, before the screen opens
    # CLI start-up: Textual only for the console
    from aesthetix_tui.ui.console.app import SupportConsoleApp

    SupportConsoleApp(cli.target, agent=name, clock=cli.clock).run()


@group.command("request")
@click.argument("account")
@click.option("--ticket", required=True, metavar="TICKET", help="The support ticket this is for (1 to 64 characters).")
@click.option("--reason", required=True, metavar="TEXT", help="Why, for the owner (one line, up to 500 characters).")
@click.option("--days", required=True, type=int, metavar="N", help="How many days, up to the account's maximum.")
@click.option("--agent", metavar="NAME", default=None,
              help="SQLite only: your name (default: your OS user name). On PostgreSQL you are your database login.")
@json_option
@pass_cli
def request_command(cli: CliContext, account: str, ticket: str, reason: str, days: int, agent: str | None,
                    as_json: bool) -> None:
    """Ask ACCOUNT's owner (an id or name) for Support Access, or for more time while it is on.
    A newer request replaces your pending one; one with no answer expires after 7 days."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import support_requests
    from aesthetix_tui.domain.actor import Actor, os_user
    from aesthetix_tui.domain.dates import format_instant
    from aesthetix_tui.domain.identity import is_shared

    with cli.database().session() as session:
        if is_shared(session):
            if agent is not None:
                raise InvalidInput("On a shared PostgreSQL database you are your database login; "
                                   "--agent is not accepted there.")
            who = support_requests.agent_of(session, None)
        else:
            who = Actor(agent or os_user(), "support")
        chosen = support_requests.account_for_request(session, account)
        made = support_requests.make(session, cli.clock, chosen, who, ticket, reason, days)
    if as_json:
        emit_json(made.as_dict())
    else:
        say(f"Request {made.id} sent to the owner of {made.account_name}: {made.sentence()}. "
            f"Without an answer it expires on {format_instant(made.expires_at, made.timezone)}.")

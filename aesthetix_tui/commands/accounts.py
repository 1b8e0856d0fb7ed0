"""aesthetix-tui accounts list|create|set-stale|set-support-max"""

from __future__ import annotations

import click

from aesthetix_tui.commands.account_session import account_session
from aesthetix_tui.commands.context import CliContext, account_command, actor_of, actor_option, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, listing, say
from aesthetix_tui.domain.stale import DEFAULT_NEW_DAYS, DEFAULT_UNUSED_DAYS, MAX_DAYS, MIN_DAYS, StaleRule
from aesthetix_tui.domain.support_status import ACTIVE, MAX_DAYS_RANGE, OFF

DAYS_RANGE = f"{MIN_DAYS} to {MAX_DAYS}"


@click.group("accounts")
def group() -> None:
    """The accounts in this database."""


def as_dict(account) -> dict:
    return {"id": account.id, "name": account.name, "timezone": account.timezone,
            "created_at": account.created_at.isoformat()}


def summary_dict(summary) -> dict:
    """An accounts_overview.AccountSummary for scripts: the account's keys, then its summary."""
    until, in_progress = summary.support_until, summary.session
    return {
        **as_dict(summary),
        "support_access": summary.support_state,  # off, active, expired or revoked
        "support_access_through": until.isoformat() if until else None,
        "support_access_days_left": summary.support_days_left,
        "support_session": None if in_progress is None else
        {"agent": in_progress.agent, "since": in_progress.started_at.isoformat()},
        "active_integrations": summary.active_integrations,
        "stale_integrations": summary.stale_integrations,
        "legacy_key_on": summary.legacy_key_on,
        "deprecated_features_on": list(summary.feature_keys),
    }


HEADERS = ["ID", "NAME", "TIMEZONE", "SUPPORT ACCESS", "SUPPORT SESSION", "INTEGRATIONS", "STALE",
           "LEGACY KEY", "DEPRECATED ON"]


def summary_row(summary) -> list[str]:
    """The table's cells; output.table makes any stored text in them visible."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.dates import format_day, format_duration, format_instant

    support = summary.support_state
    if summary.support_active:
        support = (f"active through {format_day(summary.support_until)} "
                   f"({format_duration(summary.support.time_left)} left)")
    in_progress = summary.session
    session_text = "" if in_progress is None else \
        f"{in_progress.agent} since {format_instant(in_progress.started_at, summary.timezone)}"
    return [str(summary.id), summary.name, summary.timezone, support, session_text,
            str(summary.active_integrations), str(summary.stale_integrations),
            "on" if summary.legacy_key_on else "off",
            ", ".join(f.name for f in summary.features_on) or "none"]


@group.command("list")
@click.option("--support", "support", type=click.Choice([ACTIVE.value, OFF.value]), default=None,
              help="Only accounts whose Support Access is active, or not active (off, expired, revoked).")
@click.option("--stale-integrations", "stale", is_flag=True,
              help=f"Only accounts with a stale integration (by default {StaleRule().words()}; "
                   "see accounts set-stale).")
@json_option
@pass_cli
def list_command(cli: CliContext, support, stale, as_json) -> None:
    """List the accounts, with Support Access, sessions, integrations, legacy key and deprecated features."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import accounts, accounts_overview

    with cli.database().session() as session:
        read = 0  # accounts read, listed or not (for the sentence when none is listed)

        def matching():
            nonlocal read
            for item in accounts_overview.stream(session, cli.clock):
                read += 1
                if (support is None or item.support_active == (support == ACTIVE)) and \
                        (not stale or item.stale_integrations > 0):
                    yield item

        def empty() -> str:
            return "No account matches these filters." if read else accounts.no_accounts_sentence(session)

        listing(matching(), as_json, summary_dict, HEADERS, summary_row, empty=empty)


@group.command("create")
@click.argument("name")
@click.option("--timezone", "tz", default=None, help="IANA name, e.g. Europe/Paris (default: this machine's).")
@actor_option
@json_option
@pass_cli
def create_command(cli: CliContext, name, tz, actor, as_json) -> None:
    """Add an account."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.config import local_timezone_name
    from aesthetix_tui.domain import accounts

    with cli.database().session() as session:
        zone = local_timezone_name() if tz is None else tz  # an empty --timezone is refused, not the default
        account = accounts.create(session, cli.clock, name, zone, actor_of(session, actor))
    if as_json:
        emit_json(as_dict(account))
    else:
        click.echo(f"Created account {account.name!r} (id {account.id}, {account.timezone}).")


@group.command("set-stale")
@click.option("--unused-days", "unused_days", type=str, default=None, metavar="N",
              help=f"An integration used, but not for N days, is stale ({DAYS_RANGE}; default {DEFAULT_UNUSED_DAYS}).")
@click.option("--new-days", "new_days", type=str, default=None, metavar="N",
              help=f"An integration never used N days after its creation is stale ({DAYS_RANGE}; "
                   f"default {DEFAULT_NEW_DAYS}).")
@account_command(acts=True)
def set_stale_command(cli: CliContext, unused_days, new_days, account, actor, as_json) -> None:
    """Set when the account's integrations count as stale (owner only)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import accounts

    if unused_days is None and new_days is None:
        raise click.UsageError("Give --unused-days N, --new-days N, or both.")
    with account_session(cli, account) as (session, acct):
        rule = accounts.set_stale(session, cli.clock, acct.id, actor_of(session, actor),
                                  unused_days=unused_days, new_days=new_days)
        name = acct.name
    if as_json:
        emit_json({"account": name, "stale_unused_days": rule.unused_days, "stale_new_days": rule.new_days})
    else:
        say(f"Integrations of {name!r} now count as stale when {rule.words()}.")


@group.command("set-support-max")
@click.option("--days", "days", type=str, required=True, metavar="N",
              help="The longest Support Access may be enabled for, in days ({} to {}).".format(*MAX_DAYS_RANGE))
@account_command(acts=True)
def set_support_max_command(cli: CliContext, days, account, actor, as_json) -> None:
    """Set how long Support Access may be enabled for at most (owner only)."""
    from aesthetix_tui.domain import support_access
    from aesthetix_tui.domain.dates import plural

    with account_session(cli, account) as (session, acct):
        done = support_access.set_max_days(session, cli.clock, acct.id, days, actor_of(session, actor))
        name = acct.name
    if as_json:
        emit_json({"account": name, "support_max_days": done})
    else:
        say(f"Support Access to {name!r} can now be enabled for at most {plural(done, 'day')}.")

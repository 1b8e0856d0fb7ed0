"""aesthetix-tui audit list|export|verify"""

from __future__ import annotations

import sys

import click

from aesthetix_tui.commands.context import CliContext, account_option, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, note, table


@click.group("audit")
def group() -> None:
    """The account's hash-chained audit trail."""


@group.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@account_option
@json_option
@pass_cli
def list_command(cli: CliContext, limit, account, as_json) -> None:
    """The newest events first."""
    from aesthetix_tui.domain import accounts, audit
    from aesthetix_tui.domain.dates import format_instant

    with cli.database().session() as session:
        acct = accounts.resolve(session, account)
        events = audit.recent(session, acct, limit)
    if as_json:
        emit_json([audit.as_dict(e) for e in events])
        return
    table([[str(e.seq), format_instant(e.at, acct.timezone), f"{e.actor} ({e.actor_kind})", e.action,
            e.target, e.details[:60]] for e in events],
          ["#", "TIME", "ACTOR", "ACTION", "TARGET", "DETAILS"])


@group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True)
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="A file to write (default: stdout).")
@account_option
@pass_cli
def export_command(cli: CliContext, fmt, output, account) -> None:
    """Write every event, oldest first."""
    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.audit_export import export

    with cli.database().session() as session:
        acct = accounts.resolve(session, account)
        if output is None:
            export(session, acct, fmt, sys.stdout)
            return
        with open(output, "w", newline="", encoding="utf-8") as out:
            count = export(session, acct, fmt, out)
    note(f"Wrote {count} events to {output}.")


@group.command("verify")
@account_option
@json_option
@pass_cli
def verify_command(cli: CliContext, account, as_json) -> None:
    """Check the hash chain; exit 1 and name the first broken event if there is one."""
    from aesthetix_tui.domain import accounts, audit

    with cli.database().session() as session:
        acct = accounts.resolve(session, account)
        report = audit.verify(session, acct)
    if as_json:
        emit_json({"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq,
                   "problem": report.problem or None})
    else:
        click.echo(report.message, err=not report.ok)
    if not report.ok:
        sys.exit(1)

"""aesthetix-tui audit list|export|verify"""

from __future__ import annotations

import sys

import click

from aesthetix_tui.commands.context import CliContext, account_option, json_option, pass_cli
from aesthetix_tui.commands.output import emit_json, note, table
from aesthetix_tui.domain.text import visible


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
              help="A file to write (default: stdout). Never the database itself.")
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@account_option
@pass_cli
def export_command(cli: CliContext, fmt, output, force, account) -> None:
    """Write every event, oldest first."""
    from pathlib import Path

    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.audit_export import export, export_to_file

    with cli.database().session() as session:
        acct = accounts.resolve(session, account)
        if output is None:
            export(session, acct, fmt, sys.stdout)
            return
        count = export_to_file(session, acct, fmt, Path(output), force=force)
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
        result = {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq,
                  "problem": report.problem or None}
        if report.warnings:  # only when there are some: the usual answer keeps its shape
            result["warnings"] = list(report.warnings)
        emit_json(result)
    else:
        click.echo(visible(report.message), err=not report.ok)
        for warning in report.warnings:
            note(f"Warning: {warning}")
    if not report.ok:
        sys.exit(1)

"""aesthetix-tui audit list|export|verify|head

Each reads the trail past this client's witness (aesthetix_tui/witness.py): a history
rewritten or cut since this client last saw it is reported on stderr.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from aesthetix_tui.commands.account_session import account_session
from aesthetix_tui.commands.context import CliContext, account_command, account_option, pass_cli
from aesthetix_tui.commands.output import emit_json, listing, note, say
from aesthetix_tui.domain.text import visible


@click.group("audit")
def group() -> None:
    """The account's hash-chained audit trail."""


@group.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@account_command()
def list_command(cli: CliContext, limit, account, as_json) -> None:
    """The newest events first."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import audit
    from aesthetix_tui.domain.dates import format_instant

    with account_session(cli, account) as (session, acct):
        listing(audit.stream_recent(session, acct, limit), as_json, audit.as_dict,
                ["#", "TIME", "ACTOR", "ACTION", "TARGET", "DETAILS"],
                lambda e: [str(e.seq), format_instant(e.at, acct.timezone), f"{audit.actor_text(e)} ({e.actor_kind})",
                           e.action, e.target, e.details[:60]])
        seen = witnessed(cli, session, acct)
    warn(seen)


def witnessed(cli: CliContext, session, acct, advance: bool = True):
    """This client's witness check (and, when it passes, its move to the current head)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui import witness

    return witness.check_and_advance(session, cli.target, acct, cli.clock, advance_on_ok=advance)


def warn(seen) -> None:
    """The output stands; a rewritten history is said on stderr."""
    if not seen.ok:
        note(f"Warning: {seen.problem}")


@group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True)
@click.option("--output", "output", type=click.Path(), default=None,  # the domain checks it (export_file)
              help="A file to write (default: stdout). Never the database itself.")
@click.option("--force", is_flag=True, help="Replace the --output file if it exists (a regular file only).")
@account_option
@pass_cli
def export_command(cli: CliContext, fmt, output, force, account) -> None:
    """Write every event, oldest first."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain.audit_export import export, export_to_file
    from aesthetix_tui.domain.dates import plural

    with account_session(cli, account) as (session, acct):
        seen = witnessed(cli, session, acct)
        if output is None:
            export(session, acct, fmt, sys.stdout)
            warn(seen)
            return
        count = export_to_file(session, acct, fmt, Path(output), force=force)
    note(f"Wrote {plural(count, 'event')} to {output}.")
    warn(seen)


class Expected(click.ParamType):
    """SEQ:HASH, as `audit head` prints it (#SEQ HASH is taken too)."""

    name = "SEQ:HASH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        match = re.fullmatch(r"#?(\d+)(?::|\s+)([0-9a-fA-F]{64})", str(value).strip())
        if not match or int(match.group(1)) < 1:
            self.fail(f"{value!r} is not SEQ:HASH; give an event number and its 64-character hash "
                      "as `aesthetix-tui audit head` prints them, e.g. 12:9f86d0…", param, ctx)
        return int(match.group(1)), match.group(2).lower()


@group.command("verify")
@click.option("--expect", "expected", type=Expected(), default=None, metavar="SEQ:HASH",
              help="An event kept from `audit head`: it must still be there, unchanged.")
@account_command()
def verify_command(cli: CliContext, expected, account, as_json) -> None:
    """Check the hash chain; exit 1 and name the first broken event if there is one.

    Also exit 1 when the history was rewritten or cut since this client (or --expect) saw it."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import audit, witness_check

    with account_session(cli, account) as (session, acct):
        report = audit.verify(session, acct)
        problems = []
        if expected is not None:
            kept = witness_check.check(session, acct.id, *expected)
            if not kept.ok:
                problems.append(kept.problem)
        seen = witnessed(cli, session, acct, advance=report.ok and not problems)
        if not seen.ok:
            problems.append(seen.problem)
    problems = list(dict.fromkeys(problems))  # --expect and the witness may say the same
    ok = report.ok and not problems
    if as_json:
        result = {"ok": ok, "checked": report.checked, "broken_seq": report.broken_seq,
                  "problem": report.problem or None}
        if report.warnings:  # only when there are some: the usual answer keeps its shape
            result["warnings"] = list(report.warnings)
        if problems:
            result["history_problems"] = problems
        emit_json(result)
    else:
        if not report.ok or not problems:  # a chain that holds says nothing over a rewritten history
            click.echo(visible(report.message), err=not ok)
        for problem in problems:
            note(problem)
        for warning in report.warnings:
            note(f"Warning: {warning}")
    if not ok:
        sys.exit(1)


@group.command("head")
@account_command()
def head_command(cli: CliContext, account, as_json) -> None:
    """The newest event's number and hash: keep them elsewhere, check with `verify --expect`."""
    with account_session(cli, account) as (session, acct):
        seen = witnessed(cli, session, acct)
    if not seen.ok:  # never hand out a head to keep when the history behind it was rewritten
        note(seen.problem)
        sys.exit(1)
    if as_json:
        emit_json({"seq": seen.head_seq, "hash": seen.head_hash})
    else:
        say(f"#{seen.head_seq} {seen.head_hash}")

"""Export the audit trail as CSV or JSON, streamed in keyset batches."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from sqlmodel import Session, select

from aesthetix_tui.db.models import Account, AuditEvent
from aesthetix_tui.domain.audit import as_dict
from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.export_file import database_files, write_file
from aesthetix_tui.domain.text import json_safe, visible

FORMATS = ("csv", "json")
COLUMNS = ["seq", "at", "actor", "actor_kind", "action", "target", "details", "hash", "actor_label"]
# A spreadsheet reads a cell starting with these as a formula (OWASP: CSV injection), also after
# leading whitespace (spaces, line breaks), and in their fullwidth forms (＝ ＋ － ＠), which some
# spreadsheets fold to ASCII.
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SEPARATOR_STARTS = ("\t", "\r")  # a cell starting with these is quoted as it is


def csv_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading ' (shown, not run);
    its control characters are made visible, as in all plain output."""
    if not isinstance(value, str):
        return value
    formula = value.startswith(SEPARATOR_STARTS) or value.lstrip().startswith(FORMULA_STARTS)
    return ("'" if formula else "") + visible(value)


def events_in_order(session: Session, account: Account, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.account_id == account.id, AuditEvent.seq > last)
            .order_by(AuditEvent.seq).limit(batch)
        ).all()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].seq


def export(session: Session, account: Account, fmt: str, out: TextIO) -> int:
    """Write every event, oldest first. Returns how many were written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Export as csv or json, not {fmt!r}.")
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for event in events_in_order(session, account):
            row = as_dict(event)
            row["details"] = json.dumps(row["details"], sort_keys=True)
            writer.writerow({k: csv_cell(row.get(k)) for k in COLUMNS})  # actor_label: only when given
            count += 1
        return count
    out.write("[")
    for event in events_in_order(session, account):
        out.write(("\n" if count == 0 else ",\n") + json_safe(json.dumps(as_dict(event), ensure_ascii=False)))
        count += 1
    out.write("\n]\n")
    return count


def export_to_file(session: Session, account: Account, fmt: str, path: Path, force: bool = False) -> int:
    """The export into a file, for `audit export --output` and the TUI alike: never over the
    database, an existing file only with force, and never a partial file."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Export as csv or json, not {fmt!r}.")
    return write_file(path, lambda out: export(session, account, fmt, out), database_files(session), force)

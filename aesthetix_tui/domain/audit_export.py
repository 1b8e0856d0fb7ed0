"""Export the audit trail as CSV or JSON, streamed in keyset batches."""

from __future__ import annotations

import csv
import json
from typing import Iterator, TextIO

from sqlmodel import Session, select

from aesthetix_tui.db.models import Account, AuditEvent
from aesthetix_tui.domain.audit import as_dict
from aesthetix_tui.domain.errors import InvalidInput

FORMATS = ("csv", "json")
COLUMNS = ["seq", "at", "actor", "actor_kind", "action", "target", "details", "hash"]


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
            writer.writerow({k: row[k] for k in COLUMNS})
            count += 1
        return count
    out.write("[")
    for event in events_in_order(session, account):
        out.write(("\n" if count == 0 else ",\n") + json.dumps(as_dict(event), ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count

"""Forging the audit trail as a writer with database access would: raw SQL, every hash
recomputed (with audit.event_hash, over the stored columns), the head moved to match.

The three attacks leave a chain that `audit.verify` calls intact; only the witness can tell.
"""

from __future__ import annotations

import inspect

from aesthetix_tui.domain import audit
from tests.domain.helpers import connect, stored_instant


def rows(con, sql: str, params: tuple = ()) -> list[dict]:
    """Rows as {column: value}, from a sqlite3 connection or a helpers.PgRaw."""
    result = con.execute(sql, params)
    cursor = getattr(result, "cursor", result)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def rehash(event: dict, prev_hash: str) -> str:
    """audit.event_hash over the row's columns, whatever optional columns it grows."""
    args = [prev_hash, event["seq"], stored_instant(event["at"]), event["actor"], event["actor_kind"],
            event["action"], event["target"], event["details"]]
    if len(inspect.signature(audit.event_hash).parameters) > len(args):  # e.g. an actor label
        args.append(event.get("actor_label"))
    return audit.event_hash(*args)


class Forger:
    """One raw connection, one transaction; on PostgreSQL past any trigger that guards the
    audit table (the test cluster's user is a superuser, as an attacker may be)."""

    def __init__(self, database) -> None:
        self.database = database
        self.con = connect(database)
        self.pg = database.engine.dialect.name == "postgresql"
        if self.pg and self.con.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            self.con.execute("SET session_replication_role = replica")

    def events(self, account_id: int) -> list[dict]:
        return rows(self.con, "SELECT * FROM audit_event WHERE account_id = ? ORDER BY seq", (account_id,))

    def execute(self, sql: str, params: tuple = ()) -> None:
        self.con.execute(sql, params)

    def instant(self, text: str):
        """A stored instant (naive UTC text) as a parameter: PostgreSQL is told it is UTC."""
        return text + "+00" if self.pg else text

    def rechain(self, account_id: int) -> None:
        """Recompute every prev_hash and hash in order, and point the head at the last one."""
        prev, seq = audit.GENESIS, 0
        for event in self.events(account_id):
            digest = rehash(event, prev)
            self.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, event["id"]))
            prev, seq = digest, event["seq"]
        self.execute("UPDATE account SET audit_seq = ?, audit_head = ? WHERE id = ?",
                     (seq, prev if seq else "", account_id))

    def done(self) -> None:
        self.con.commit()
        self.con.close()


def rewrite(database, account_id: int) -> None:
    """(a) Edit event #2's details, append a forged event, recompute every hash and the head."""
    forger = Forger(database)
    forger.execute("UPDATE audit_event SET details = ? WHERE account_id = ? AND seq = 2",
                   ('{"forged":true}', account_id))
    last = forger.events(account_id)[-1]
    forger.execute(
        "INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details, prev_hash, hash) "
        "VALUES (?, ?, ?, 'mallory', 'owner', 'feature.enabled', 'feature:legacy_triggers', '{}', '', '')",
        (account_id, last["seq"] + 1, forger.instant(last["at"])))
    forger.rechain(account_id)
    forger.done()


def truncate(database, account_id: int, keep: int) -> None:
    """(b) Delete every event after #keep and move the head back to it."""
    forger = Forger(database)
    forger.execute("DELETE FROM audit_event WHERE account_id = ? AND seq > ?", (account_id, keep))
    forger.rechain(account_id)
    forger.done()


def wipe(database, account_id: int) -> None:
    """(c) Delete every event and reset the head to 0 and ''."""
    forger = Forger(database)
    forger.execute("DELETE FROM audit_event WHERE account_id = ?", (account_id,))
    forger.execute("UPDATE account SET audit_seq = 0, audit_head = '' WHERE id = ?", (account_id,))
    forger.done()


ATTACKS = {
    "rewritten": lambda database, account_id: rewrite(database, account_id),
    "truncated": lambda database, account_id: truncate(database, account_id, keep=2),
    "wiped": lambda database, account_id: wipe(database, account_id),
}


def seen(database, account_id: int):
    """What this client's witness remembers of the account, under the keys it is kept by."""
    from aesthetix_tui import witness

    with database.session() as s:
        key, me, _, _ = witness.where(s, database.target, account_id)
    return witness.remembered(key, me)

"""The gateway's token check: `verify`, the one hot path of Private Integrations.

Contract of verify(session, clock, token, scope=None):

- Takes a session (the caller's: the check reads in it, and the caller may hold rows in it),
  the clock, a token as typed (surrounding whitespace is ignored) and, optionally, the one scope
  the caller needs.
- Returns the integration the token belongs to: the session's own Integration when the session
  holds it (kept fresh: changed columns are re-read), else a `Verified` view with the same
  attributes, read-only, that reads the columns it did not check on first use.
- Raises, changing nothing: AccessDenied for a malformed token (before any database read), for
  an unknown or revoked one, or a rotation's old token past its grace period (one answer,
  INVALID, that never says which), for a current token past its expiry (expires_at: EXPIRED,
  naming its last day in the account's timezone, as the owner set it), and for a token without
  the scope; InvalidInput for a scope that is not in the catalogue.
- Writes one thing: the integration's `last_used_at`, at most once a minute per token
  (LAST_USED_EVERY), and no audit event (use is not an owner's change). A refused token writes
  nothing. On PostgreSQL the time written is the server's (record_uses).
- Commits only when it writes, as two explicit steps: `end_transaction` commits the
  transaction the caller's session holds (the check's own reads, and anything else the caller
  did in it), then `record_use` writes `last_used_at` in a write transaction of its own and
  commits it. Otherwise the session is left in its read transaction, as the caller had it; a
  caller that keeps a session across checks commits (or closes) it to see later changes.

verify_many(session, clock, tokens, scope=None) is the same check for a chunk of tokens (a
gateway's batch, `integrations verify --batch`): the same rules (`why_refused`: `refused`, and
`expired_on` for the sentence), the same answers in the same words, the same write and commits,
but one read for the whole chunk (a second only for the tokens not found as a current token) and
one write for every due use. It returns, in the order given, one `Answer` per token: the
integration's row (every column, `last_used_at` as just recorded) or the sentence refusing it; it
raises only InvalidInput for an unknown scope (before any read) and the database's own failures.
It never returns the session's own Integration objects.

It is lean on purpose (benchmark 6, tests/benchmarks/test_verify_throughput.py): a cached Core
select and no ORM object; on SQLite the same two reads go straight to the DB-API connection.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, any_, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import begin_write, end_transaction
from aesthetix_tui.db.models import Account, Integration
from aesthetix_tui.db.quick import utc_instant
from aesthetix_tui.domain import tokens
from aesthetix_tui.domain.catalog import scopes as scope_catalog
from aesthetix_tui.domain.dates import format_day
from aesthetix_tui.domain.errors import AccessDenied, InvalidInput
from aesthetix_tui.domain.integration_expiry import last_day

LAST_USED_EVERY = timedelta(minutes=1)
INVALID = "This token is not valid: it is unknown, revoked or expired."
MALFORMED = "That is not a Private Integration Token: it is malformed."
EXPIRED = "This token is not valid: it expired on {day}."

_TABLE = Integration.__table__
_CHECKED = [_TABLE.c[name] for name in ("id", "token_hash", "scopes", "old_expires_at", "last_used_at",
                                        "revoked_at", "expires_at")]
_BY_TOKEN = sa_select(*_CHECKED).where(_TABLE.c.token_hash == bindparam("hashed"))
_BY_OLD_TOKEN = sa_select(*_CHECKED).where(_TABLE.c.old_token_hash == bindparam("hashed"))
_BY_ID = sa_select(_TABLE).where(_TABLE.c.id == bindparam("id"))
Checked = namedtuple("Checked", [column.name for column in _CHECKED],  # the columns verify checks
                     defaults=(None,))  # expires_at: None, never
_SQLITE_SELECT = f"SELECT {', '.join(Checked._fields)} FROM integration WHERE "


def verify(session: Session, clock: Clock, token: str, scope: str | None = None):
    """What an API gateway runs: the integration, or an error that says why (not which).
    See the module's docstring for the whole contract, its write and its commit."""
    token = (token or "").strip()
    if not tokens.is_well_formed(token):
        raise AccessDenied(MALFORMED)
    check_scope(scope)
    now = clock.now()
    hashed = tokens.digest(token)
    found = lookup(session, hashed)
    refusal = why_refused(session, found, hashed, now, scope)
    if refusal is not None:
        if found is not None and found.revoked_at is not None:
            _refresh_held(session, found.id)  # a copy the session holds shows the revoke
        raise AccessDenied(refusal)
    if use_due(found, now):
        end_transaction(session)  # explicit commit 1: the check's read transaction (and the caller's)
        used = record_use(session, found.id, now)  # explicit commit 2: its own write transaction
        found = Checked(**{**found._asdict(), "last_used_at": used})
    return _held(session, found)


def why_refused(session: Session, found, hashed: str, now: datetime, scope: str | None) -> str | None:
    """The sentence refusing the token with digest `hashed` whose row is `found` (refused, with an
    expiry's last day read for it); None when it is accepted. verify and verify_many share it."""
    refusal = refused(found, hashed, now, scope)
    return expired_on(session, found) if refusal is EXPIRED else refusal


def check_scope(scope: str | None) -> None:
    """InvalidInput for a scope that is not in the catalogue (None: no scope asked)."""
    if scope is not None and scope not in scope_catalog():
        raise InvalidInput(f"Unknown scope {scope!r}; see `aesthetix-tui scopes` for the list.")


def refused(found: Checked | None, hashed: str, now: datetime, scope: str | None) -> str | None:
    """Why the token with digest `hashed`, whose row is `found` (None: no row), is refused now;
    None when it is accepted."""
    if found is None or found.revoked_at is not None:
        return INVALID
    if found.token_hash != hashed:
        if not (found.old_expires_at is not None and found.old_expires_at > now):
            return INVALID  # a rotation's old token, past its grace period
    elif found.expires_at is not None and found.expires_at <= now:
        return EXPIRED  # the current token, past its expiry (expired_on words it)
    if scope is not None and scope not in found.scopes.split():
        return f"This token does not grant the scope {scope}."
    return None


def expired_on(session: Session, found: Checked) -> str:
    """EXPIRED with the token's last day in the account's timezone (read only when refusing)."""
    tz = session.connection().execute(
        sa_select(Account.timezone).join(Integration, Integration.account_id == Account.id)
        .where(Integration.id == found.id)).scalar_one()
    return EXPIRED.format(day=format_day(last_day(found.expires_at, tz)))


def use_due(found: Checked, now: datetime) -> bool:
    """Is the use worth recording? At most once per LAST_USED_EVERY per token."""
    return found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY


def record_use(session: Session, integration_id: int, now: datetime) -> datetime:
    """Set last_used_at in a write transaction of its own, and commit it; the time recorded. The
    session must hold no transaction (begin_write refuses otherwise). A copy the session holds
    shows the new time."""
    return record_uses(session, [integration_id], now)


def record_uses(session: Session, ids: list[int], now: datetime) -> datetime:
    """record_use for several integrations at once: one UPDATE, one commit. The time recorded is
    NOW on SQLite, and the server's own on PostgreSQL (a trigger sets it, whatever was sent:
    db/security.py, aesthetix_use_time), which it returns."""
    begin_write(session)
    try:
        if session.connection().dialect.name == "postgresql":
            recorded = session.execute(_USED["postgresql"].values(last_used_at=now), {"ids": ids}).scalar()
            recorded = now if recorded is None else recorded  # every row went meanwhile: none recorded
        else:
            session.execute(_USED["sqlite"].values(last_used_at=now), {"ids": ids})
            recorded = now
        session.commit()
    except BaseException:
        session.rollback()
        raise
    for integration_id in ids:
        held = session.identity_map.get(identity_key(Integration, integration_id))
        if held is not None:
            set_committed_value(held, "last_used_at", recorded)
    return recorded


# -- many at once --------------------------------------------------------------------------------

# A chunk's uses: by an array of ids on PostgreSQL (returning the time the server recorded),
# elsewhere IN.
_USED = {
    "postgresql": update(_TABLE).where(_TABLE.c.id == any_(bindparam("ids", type_=ARRAY(Integer))))
    .returning(_TABLE.c.last_used_at),
    "sqlite": update(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True))),
}
Row = namedtuple("Row", _TABLE.c.keys())  # an integration's row, every column
Answer = namedtuple("Answer", ["integration", "refusal"])  # one of the two is None
# By a list of digests: on PostgreSQL one array parameter (= ANY, on the unique index), elsewhere IN.
_ROWS_BY = {
    (dialect, column): sa_select(_TABLE).where(
        _TABLE.c[column] == any_(bindparam("hashes", type_=ARRAY(String))) if dialect == "postgresql"
        else _TABLE.c[column].in_(bindparam("hashes", expanding=True)))
    for dialect in ("postgresql", "sqlite") for column in ("token_hash", "old_token_hash")}


def verify_many(session: Session, clock: Clock, given: list[str], scope: str | None = None) -> list[Answer]:
    """verify for each token of a chunk, answered in order; see the module's docstring."""
    check_scope(scope)
    now = clock.now()
    hashes = [tokens.digest(t) if tokens.is_well_formed(t) else None for t in (t.strip() for t in given)]
    found = rows_for(session, {h for h in hashes if h is not None})
    answers, due = [], set()
    for hashed in hashes:
        if hashed is None:
            answers.append(Answer(None, MALFORMED))
            continue
        row = found.get(hashed)
        refusal = why_refused(session, row, hashed, now, scope)
        answers.append(Answer(None if refusal else row, refusal))
        if refusal is None and use_due(row, now):
            due.add(row.id)
    if due:
        end_transaction(session)  # explicit commit 1, as verify does
        used = record_uses(session, sorted(due), now)  # explicit commit 2
        answers = [a._replace(integration=a.integration._replace(last_used_at=used))
                   if a.integration is not None and a.integration.id in due else a for a in answers]
    return answers


def rows_for(session: Session, hashes: set[str]) -> dict[str, Row]:
    """Each digest's row, found as its current token, else as a rotation's old token: one read,
    and a second for the digests the first did not find."""
    if not hashes:
        return {}
    conn = session.connection()
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    found = {}
    for row in conn.execute(_ROWS_BY[dialect, "token_hash"], {"hashes": list(hashes)}).all():  # one fetch
        found[row.token_hash] = Row(*row)
    rest = hashes - found.keys()
    if rest:
        for row in conn.execute(_ROWS_BY[dialect, "old_token_hash"], {"hashes": list(rest)}).all():
            found[row.old_token_hash] = Row(*row)
    return found


# -- the reads -----------------------------------------------------------------------------------

def lookup(session: Session, hashed: str) -> Checked | None:
    """The row whose current token, else whose rotation's old token, has this digest: two indexed
    lookups (not one OR), in the session's transaction. Nothing is cached between calls, so a
    revoke elsewhere takes effect on the next call."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # the same two reads on the DB-API connection: ~10x less overhead
        return _sqlite_lookup(conn.connection.driver_connection, hashed)
    return conn.execute(_BY_TOKEN, {"hashed": hashed}).first() \
        or conn.execute(_BY_OLD_TOKEN, {"hashed": hashed}).first()


def _sqlite_lookup(driver, hashed: str) -> Checked | None:
    """lookup's reads on SQLite, in the session's own transaction (same connection)."""
    row = driver.execute(_SQLITE_SELECT + "token_hash = ?", (hashed,)).fetchone() \
        or driver.execute(_SQLITE_SELECT + "old_token_hash = ?", (hashed,)).fetchone()
    if row is None:
        return None
    id_, token_hash, scopes, old_expires_at, last_used_at, revoked_at, expires_at = row
    return Checked(id_, token_hash, scopes, utc_instant(old_expires_at), utc_instant(last_used_at),
                   utc_instant(revoked_at), utc_instant(expires_at))


# -- what verify returns ---------------------------------------------------------------------------

class Verified:
    """What verify returns when the session holds no copy of the integration: the columns it
    checked, read-only, and every other column of an Integration read on first use."""

    __slots__ = ("_rest", "_row", "_session")

    def __init__(self, session: Session, row) -> None:
        self._session, self._row, self._rest = session, row, None

    def __getattr__(self, name: str):
        if name in self._row._fields:
            return getattr(self._row, name)
        if name not in _TABLE.c:
            raise AttributeError(name)
        if self._rest is None:
            self._rest = self._session.connection().execute(_BY_ID, {"id": self._row.id}).one()
        return getattr(self._rest, name)


def _held(session: Session, found: Checked):
    """The session's own copy when it holds one (kept fresh, no query); otherwise a Verified view,
    with every column as an attribute, like an Integration, without building one."""
    held = session.identity_map.get(identity_key(Integration, found.id)) if session.identity_map else None
    if held is None:
        return Verified(session, found)
    for name in ("token_hash", "scopes", "old_expires_at", "revoked_at", "expires_at"):
        if getattr(held, name) != getattr(found, name):
            return session.get(Integration, found.id, populate_existing=True)  # changed elsewhere
    return held


def _refresh_held(session: Session, integration_id: int) -> None:
    """A refused token's row, if this session holds it, is re-read so it shows the revoke."""
    if session.identity_map.get(identity_key(Integration, integration_id)) is not None:
        session.get(Integration, integration_id, populate_existing=True)

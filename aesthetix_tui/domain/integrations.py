"""Private Integrations: named, least-privilege tokens for new API integrations."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import begin_write
from aesthetix_tui.db.models import Account, Integration
from aesthetix_tui.domain import audit, integration_state, tokens, versions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.catalog import scopes as scope_catalog
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.text import check_drawn, check_line
from aesthetix_tui.domain.transaction import hand_over, mutation

GRACE = {"now": None, "7d": timedelta(days=7)}
LAST_USED_EVERY = timedelta(minutes=1)
MAX_NAME, MAX_DESCRIPTION = 64, 500
INVALID = "This token is not valid: it is unknown, revoked or expired."


@dataclass(frozen=True)
class Issued:
    """An integration and its token in plaintext: shown once, never stored."""

    integration: Integration
    token: str


def scope_list(integration: Integration) -> list[str]:
    return integration.scopes.split()


def state_of(integration: Integration, now: datetime) -> integration_state.IntegrationState:
    return integration_state.state_at(integration.revoked_at, integration.old_token_hint,
                                      integration.old_expires_at, now)


def rotation_pending(integration: Integration, now: datetime) -> bool:
    return integration_state.rotation_pending(integration.old_token_hint, integration.old_expires_at, now)


def as_dict(integration: Integration, now: datetime) -> dict:
    pending = rotation_pending(integration, now)
    return {
        "id": integration.id,
        "name": integration.name,
        "description": integration.description,
        "scopes": scope_list(integration),
        "token_hint": integration.token_hint,
        "status": state_of(integration, now),
        "old_token_hint": integration.old_token_hint if pending else None,
        "old_token_valid_until": integration.old_expires_at.isoformat() if pending else None,
        "created_at": integration.created_at.isoformat(),
        "created_by": integration.created_by,
        "last_used_at": integration.last_used_at.isoformat() if integration.last_used_at else None,
        "revoked_at": integration.revoked_at.isoformat() if integration.revoked_at else None,
        "revoked_by": integration.revoked_by,
        "version": integration.version,
    }


# -- reading -----------------------------------------------------------------

def list_for(session: Session, account: Account, include_revoked: bool = False) -> list[Integration]:
    """Without the token hashes, which no list shows (and PostgreSQL hides from agents)."""
    from sqlalchemy.orm import defer

    query = (select(Integration).where(Integration.account_id == account.id)
             .options(defer(Integration.token_hash), defer(Integration.old_token_hash))
             .execution_options(populate_existing=True))
    if not include_revoked:
        query = query.where(Integration.revoked_at.is_(None))
    return list(session.exec(query.order_by(Integration.name, Integration.id)).all())


def find(session: Session, account: Account, id_or_name: str) -> Integration:
    """By id, or by name (a live integration first, else the newest revoked one)."""
    text = str(id_or_name).strip()
    query = (select(Integration).where(Integration.account_id == account.id)
             .execution_options(populate_existing=True))  # never a stale copy held by this session
    if text.isdigit():
        found = session.exec(query.where(Integration.id == int(text))).first()
        if found:
            return found
    found = session.exec(
        query.where(func.lower(Integration.name) == text.lower())
        .order_by(Integration.revoked_at.is_not(None), Integration.id.desc())
    ).first()
    if found is None:
        raise NotFound(f"There is no Private Integration named or numbered {text!r}.")
    return found


# -- validation ----------------------------------------------------------------

def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the integration a name.", field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"The name is {len(name)} characters; use at most {MAX_NAME}.", field="name")
    check_drawn(name, "name")
    if name.isdigit():
        raise InvalidInput("An integration name cannot be only digits, so that it is never mistaken for an id.",
                           field="name")
    return name


def check_description(description: str | None) -> str:
    return check_line(description, "description", MAX_DESCRIPTION, required=False)


def check_scopes(scopes: list[str] | tuple[str, ...] | set[str]) -> str:
    chosen = sorted({s.strip() for s in scopes if s and s.strip()})
    if not chosen:
        raise InvalidInput("Choose at least one scope: grant only what the integration needs.", field="scopes")
    catalog = scope_catalog()
    unknown = [s for s in chosen if s not in catalog]
    if unknown:
        raise InvalidInput(f"Unknown scope {unknown[0]!r}; see `aesthetix-tui scopes` for the list.",
                           field="scopes")
    return " ".join(chosen)


def check_unique_name(session: Session, account: Account, name: str, except_id: int | None = None) -> None:
    query = select(Integration.id).where(
        Integration.account_id == account.id,
        Integration.revoked_at.is_(None),
        func.lower(Integration.name) == name.lower(),
    )
    if except_id is not None:
        query = query.where(Integration.id != except_id)
    if session.exec(query).first() is not None:
        raise Conflict(f"An integration named {name!r} already exists; choose another name.")


def live(session: Session, account: Account, id_or_name: str, clock: Clock | None = None,
         expected_version: int | None = None) -> Integration:
    """A live integration; with expected_version (None: no check), only at that version."""
    integration = find(session, account, id_or_name)
    if expected_version is not None:
        versions.check(expected_version, integration.version, f"The integration {integration.name!r}",
                       integration.updated_by or integration.created_by,
                       integration.updated_at or integration.created_at, clock, account.timezone)
    if integration.revoked_at is not None:
        raise Conflict(f"The integration {integration.name!r} was revoked; revoking is permanent.")
    return integration


# -- changes -------------------------------------------------------------------

def create(session: Session, clock: Clock, account_id: int, name: str, scopes: list[str],
           actor: Actor, description: str | None = None,
           deliver: Callable[[Issued], None] | None = None) -> Issued:
    """deliver: shows the token before the commit; if it raises, nothing is changed."""
    name, description, scope_text = check_name(name), check_description(description), check_scopes(scopes)
    with mutation(session, account_id) as account:
        check_unique_name(session, account, name)
        token = tokens.new_pit()
        integration = Integration(
            account_id=account.id, name=name, description=description, scopes=scope_text,
            token_hash=tokens.digest(token), token_hint=tokens.pit_hint(token),
            created_at=clock.now(), created_by=actor.shown,
            version=1, updated_at=clock.now(), updated_by=actor.shown,
        )
        session.add(integration)
        session.flush()
        audit.append(session, clock, account, actor, "integration.created", target(integration),
                     {"name": name, "scopes": scope_text.split(), "hint": integration.token_hint})
        issued = hand_over(session, Issued(integration, token), deliver)
    return issued


def edit(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
         name: str | None = None, description: str | None = None,
         scopes: list[str] | None = None, expected_version: int | None = None) -> Integration:
    """Change name, description or scopes. The token stays the same.

    expected_version: the version the caller read (None: no check); a stale one is refused.
    """
    new_name = check_name(name) if name is not None else None
    new_description = check_description(description) if description is not None else None
    new_scopes = check_scopes(scopes) if scopes is not None else None
    with mutation(session, account_id) as account:
        integration = live(session, account, id_or_name, clock, expected_version)
        changes: dict = {}
        if new_name is not None and new_name != integration.name:
            check_unique_name(session, account, new_name, except_id=integration.id)
            changes["name"] = {"from": integration.name, "to": new_name}
            integration.name = new_name
        if new_description is not None and new_description != integration.description:
            changes["description"] = {"from": integration.description, "to": new_description}
            integration.description = new_description
        if new_scopes is not None and new_scopes != integration.scopes:
            before, after = set(integration.scopes.split()), set(new_scopes.split())
            changes["scopes"] = {"added": sorted(after - before), "removed": sorted(before - after)}
            integration.scopes = new_scopes
        if not changes:
            raise InvalidInput("Nothing to change: the name, description and scopes are as they were.")
        versions.changed_by(integration, clock, actor.shown)
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.edited", target(integration), changes)
    return integration


def revoke(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
           expected_version: int | None = None) -> Integration:
    """Immediate and permanent: the token, and any old one, stop working now."""
    with mutation(session, account_id) as account:
        integration = live(session, account, id_or_name, clock, expected_version)
        versions.changed_by(integration, clock, actor.shown)
        integration.revoked_at = clock.now()
        integration.revoked_by = actor.shown
        integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.revoked", target(integration),
                     {"name": integration.name})
    return integration


def rotate(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
           expire_old: str = "7d", expected_version: int | None = None,
           deliver: Callable[[Issued], None] | None = None) -> Issued:
    """deliver: shows the new token before the commit; if it raises, nothing is changed."""
    if expire_old not in GRACE:
        raise InvalidInput("Choose when the old token expires: 'now' or '7d'.")
    with mutation(session, account_id) as account:
        now = clock.now()
        integration = live(session, account, id_or_name, clock, expected_version)
        if rotation_pending(integration, now):
            raise Conflict(
                f"{integration.name!r} is already being rotated; cancel the rotation or expire "
                "the old token first."
            )
        token = tokens.new_pit()
        grace = GRACE[expire_old]
        old_hint = integration.token_hint
        if grace is None:
            integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        else:
            integration.old_token_hash = integration.token_hash
            integration.old_token_hint = integration.token_hint
            integration.old_expires_at = now + grace
        integration.token_hash = tokens.digest(token)
        integration.token_hint = tokens.pit_hint(token)
        versions.changed_by(integration, clock, actor.shown)
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.rotated", target(integration),
                     {"old_hint": old_hint, "new_hint": integration.token_hint, "expire_old": expire_old,
                      "old_valid_until": integration.old_expires_at.isoformat() if grace else None})
        issued = hand_over(session, Issued(integration, token), deliver)
    return issued


def cancel_rotation(session: Session, clock: Clock, account_id: int, id_or_name: str,
                    actor: Actor, expected_version: int | None = None) -> Integration:
    """Undo a rotation: the new token stops working, the old one stays valid with no end."""
    with mutation(session, account_id) as account:
        integration = pending(session, clock, account, id_or_name, expected_version)
        versions.changed_by(integration, clock, actor.shown)
        cancelled_hint = integration.token_hint
        integration.token_hash, integration.token_hint = integration.old_token_hash, integration.old_token_hint
        integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.rotation_cancelled", target(integration),
                     {"cancelled_hint": cancelled_hint, "kept_hint": integration.token_hint})
    return integration


def expire_old_now(session: Session, clock: Clock, account_id: int, id_or_name: str,
                   actor: Actor, expected_version: int | None = None) -> Integration:
    with mutation(session, account_id) as account:
        integration = pending(session, clock, account, id_or_name, expected_version)
        versions.changed_by(integration, clock, actor.shown)
        old_hint = integration.old_token_hint
        integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.old_token_expired", target(integration),
                     {"old_hint": old_hint})
    return integration


def pending(session: Session, clock: Clock, account: Account, id_or_name: str,
            expected_version: int | None = None) -> Integration:
    integration = live(session, account, id_or_name, clock, expected_version)
    if not rotation_pending(integration, clock.now()):
        raise Conflict(f"{integration.name!r} has no rotation in progress.")
    return integration


def target(integration: Integration) -> str:
    return f"integration:{integration.id}"


# -- the gateway's check ---------------------------------------------------------

def verify(session: Session, clock: Clock, token: str, scope: str | None = None) -> Integration:
    """What an API gateway runs: the integration, or an error that says why (not which).

    Returns the session's Integration when it holds one, else a Verified view (same attributes)."""
    token = (token or "").strip()
    if not tokens.is_well_formed(token):
        raise AccessDenied("That is not a Private Integration Token: it is malformed.")
    if scope is not None and scope not in scope_catalog():
        raise InvalidInput(f"Unknown scope {scope!r}; see `aesthetix-tui scopes` for the list.")
    now = clock.now()
    hashed = tokens.digest(token)
    # Lean and hot: a cached Core select (no ORM object built), two indexed
    # lookups (current hash, then a rotation's old hash) instead of one OR. Nothing is cached
    # between calls, so a revoke elsewhere takes effect on the next call.
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # the same two reads on the DB-API connection: ~10x less overhead
        found = _sqlite_lookup(conn.connection.driver_connection, hashed)
    else:
        found = conn.execute(_BY_TOKEN, {"hashed": hashed}).first() \
            or conn.execute(_BY_OLD_TOKEN, {"hashed": hashed}).first()
    if found is None or found.revoked_at is not None:
        if found is not None:
            _refresh_held(session, found.id)
        raise AccessDenied(INVALID)
    if found.token_hash != hashed and not (found.old_expires_at is not None and found.old_expires_at > now):
        raise AccessDenied(INVALID)
    if scope is not None and scope not in found.scopes.split():
        raise AccessDenied(f"This token does not grant the scope {scope}.")
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        touch_id(session, found.id, now)
        found = Checked(**{**found._asdict(), "last_used_at": now})
    return _held(session, found, now)


_TABLE = Integration.__table__
_CHECKED = [_TABLE.c[name] for name in ("id", "token_hash", "scopes", "old_expires_at", "last_used_at",
                                        "revoked_at")]
_BY_TOKEN = sa_select(*_CHECKED).where(_TABLE.c.token_hash == bindparam("hashed"))
_BY_OLD_TOKEN = sa_select(*_CHECKED).where(_TABLE.c.old_token_hash == bindparam("hashed"))
_BY_ID = sa_select(_TABLE).where(_TABLE.c.id == bindparam("id"))
Checked = namedtuple("Checked", [column.name for column in _CHECKED])
_SQLITE_SELECT = f"SELECT {', '.join(Checked._fields)} FROM integration WHERE "


def _sqlite_lookup(driver, hashed: str) -> Checked | None:
    """verify's reads on SQLite, in the session's own transaction (same connection)."""
    row = driver.execute(_SQLITE_SELECT + "token_hash = ?", (hashed,)).fetchone() \
        or driver.execute(_SQLITE_SELECT + "old_token_hash = ?", (hashed,)).fetchone()
    if row is None:
        return None
    id_, token_hash, scopes, old_expires_at, last_used_at, revoked_at = row
    return Checked(id_, token_hash, scopes, _sqlite_instant(old_expires_at), _sqlite_instant(last_used_at),
                   _sqlite_instant(revoked_at))


def _sqlite_instant(value: str | None) -> datetime | None:
    """As UTCDateTime reads SQLite's naive UTC text: an aware UTC datetime."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


class Verified:
    """What verify returns when the session holds no copy of the integration: the columns it
    checked, read-only, and every other column of an Integration read on first use."""

    __slots__ = ("_session", "_row", "_rest")

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


def _held(session: Session, found, now: datetime):
    """The session's own copy when it holds one (kept fresh, no query); otherwise a Verified view,
    with every column as an attribute, like an Integration, without building one."""
    held = session.identity_map.get(identity_key(Integration, found.id)) if session.identity_map else None
    if held is None:
        return Verified(session, found)
    for name in ("token_hash", "scopes", "old_expires_at", "revoked_at"):
        if getattr(held, name) != getattr(found, name):
            return session.get(Integration, found.id, populate_existing=True)  # changed elsewhere
    return held


def _refresh_held(session: Session, integration_id: int) -> None:
    """A refused token's row, if this session holds it, is re-read so it shows the revoke."""
    if session.identity_map.get(identity_key(Integration, integration_id)) is not None:
        session.get(Integration, integration_id, populate_existing=True)


def touch_id(session: Session, integration_id: int, now: datetime) -> None:
    """Record use, at most once a minute per token. Not an owner's change, so no audit event."""
    begin_write(session)
    try:
        session.execute(update(Integration).where(Integration.id == integration_id).values(last_used_at=now))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    held = session.identity_map.get(identity_key(Integration, integration_id))
    if held is not None:
        set_committed_value(held, "last_used_at", now)


def touch(session: Session, integration: Integration, now: datetime) -> None:
    """Record use, at most once a minute per token. Not an owner's change, so no audit event."""
    begin_write(session)
    try:
        session.execute(update(Integration).where(Integration.id == integration.id).values(last_used_at=now))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    integration.last_used_at = now

"""Private Integrations: named, least-privilege tokens for new API integrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.account_ref import row_number
from aesthetix_tui.db.models import Account, Integration
from aesthetix_tui.domain import audit, integration_expiry, integration_state, tokens, versions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.catalog import scopes as scope_catalog
from aesthetix_tui.domain.dates import local_today
from aesthetix_tui.domain.errors import Conflict, InvalidInput, NotFound

# The rotation's choices for the old token and its overlap live with the states; callers keep GRACE here.
from aesthetix_tui.domain.integration_state import EXPIRE_LATER, GRACE, ROTATE_CHOICES
from aesthetix_tui.domain.text import check_drawn, check_line

# The gateway's check lives in its own module, with its contract; callers keep this name.
from aesthetix_tui.domain.token_check import INVALID, LAST_USED_EVERY, Verified, verify  # noqa: F401
from aesthetix_tui.domain.transaction import hand_over, mutation

MAX_NAME, MAX_DESCRIPTION = 64, 500


@dataclass(frozen=True)
class Issued:
    """An integration and its token in plaintext: shown once, never stored."""

    integration: Integration
    token: str


def scope_list(integration: Integration) -> list[str]:
    return integration.scopes.split()


def state_of(integration: Integration, now: datetime) -> integration_state.IntegrationState:
    return integration_state.state_at(integration.revoked_at, integration.old_token_hint,
                                      integration.old_expires_at, now, integration.expires_at)


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
        "expires_at": integration.expires_at.isoformat() if integration.expires_at else None,
        "expiry_days": integration.expiry_days,
        "revoked_at": integration.revoked_at.isoformat() if integration.revoked_at else None,
        "revoked_by": integration.revoked_by,
        "version": integration.version,
    }


# -- reading -----------------------------------------------------------------

def list_for(session: Session, account: Account, include_revoked: bool = False) -> list[Integration]:
    """Without the token hashes, which no list shows (and PostgreSQL hides from agents)."""
    return list(stream_for(session, account, include_revoked, rows=None))


STREAM_ROWS = 500  # rows fetched at a time by stream_for (a server-side cursor on PostgreSQL)


def stream_for(session: Session, account: Account, include_revoked: bool = False,
               rows: int | None = STREAM_ROWS) -> Iterator[Integration]:
    """list_for() as the rows are read, ROWS at a time (None: at once)."""
    query = (select(Integration).where(Integration.account_id == account.id)
             .options(defer(Integration.token_hash), defer(Integration.old_token_hash))
             .execution_options(populate_existing=True))
    if rows:
        query = query.execution_options(yield_per=rows)
    if not include_revoked:
        query = query.where(Integration.revoked_at.is_(None))
    yield from session.exec(query.order_by(Integration.name, Integration.id))


def find(session: Session, account: Account, id_or_name: str) -> Integration:
    """By id, or by name (a live integration first, else the newest revoked one)."""
    text = str(id_or_name).strip()
    query = (select(Integration).where(Integration.account_id == account.id)
             .execution_options(populate_existing=True))  # never a stale copy held by this session
    number = row_number(text)
    if number is not None:
        found = session.exec(query.where(Integration.id == number)).first()
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
        versions.check_row(expected_version, integration, f"The integration {integration.name!r}", clock,
                           account.timezone)
    if integration.revoked_at is not None:
        raise Conflict(f"The integration {integration.name!r} was revoked; revoking is permanent.")
    return integration


# -- changes -------------------------------------------------------------------

def create(session: Session, clock: Clock, account_id: int, name: str, scopes: list[str],
           actor: Actor, description: str | None = None,
           deliver: Callable[[Issued], None] | None = None,
           expires: str | date | int | None = None) -> Issued:
    """deliver: shows the token before the commit; if it raises, nothing is changed.
    expires: None (never), a YYYY-MM-DD text or a date (the last day the token works, in the
    account's timezone, at most integration_expiry.MAX_DAYS ahead), or a number of days from today."""
    name, description, scope_text = check_name(name), check_description(description), check_scopes(scopes)
    with mutation(session, account_id) as account:
        now = clock.now()
        days = integration_expiry.policy_days(expires, local_today(now, account.timezone))
        check_unique_name(session, account, name)
        token = tokens.new_pit()
        integration = Integration(
            account_id=account.id, name=name, description=description, scopes=scope_text,
            token_hash=tokens.digest(token), token_hint=tokens.pit_hint(token),
            created_at=now, created_by=actor.shown,
            expires_at=integration_expiry.ends_at(days, now, account.timezone), expiry_days=days,
            version=1, updated_at=now, updated_by=actor.shown,
        )
        session.add(integration)
        session.flush()
        details = {"name": name, "scopes": scope_text.split(), "hint": integration.token_hint}
        if days is not None:
            details |= {"expires_at": integration.expires_at.isoformat(), "expiry_days": days}
        audit.append(session, clock, account, actor, "integration.created", target(integration), details)
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
        mark_revoked(session, clock, account, integration, actor)
    return integration


def mark_revoked(session: Session, clock: Clock, account: Account, integration: Integration, actor: Actor,
                 reason: str | None = None) -> None:
    """Inside a mutation: revoke a live integration and append its audit event (with a reason,
    e.g. "stale", when one is given)."""
    versions.changed_by(integration, clock, actor.shown)
    integration.revoked_at = clock.now()
    integration.revoked_by = actor.shown
    drop_old_token(integration)
    session.add(integration)
    details = {"name": integration.name}
    if reason is not None:
        details["reason"] = reason
    audit.append(session, clock, account, actor, "integration.revoked", target(integration), details)


def rotate(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
           expire_old: str = EXPIRE_LATER, expected_version: int | None = None,
           deliver: Callable[[Issued], None] | None = None) -> Issued:
    """deliver: shows the new token before the commit; if it raises, nothing is changed.
    The new token keeps the expiry policy (expiry_days after today, or never). An expired
    token is not revived (no grace period), and an old token outlives neither its own expiry
    nor the new token's."""
    if expire_old not in GRACE:
        raise InvalidInput(f"Choose when the old token expires: {' or '.join(map(repr, ROTATE_CHOICES))}.")
    with mutation(session, account_id) as account:
        now = clock.now()
        integration = live(session, account, id_or_name, clock, expected_version)
        was_expired = integration_expiry.expired(integration.expires_at, now)
        if rotation_pending(integration, now) and not was_expired:
            raise Conflict(
                f"{integration.name!r} is already being rotated; cancel the rotation or expire "
                "the old token first."
            )
        token = tokens.new_pit()
        grace = None if was_expired else GRACE[expire_old]
        old_hint = integration.token_hint
        new_expires_at = integration_expiry.ends_at(integration.expiry_days, now, account.timezone)
        if grace is None:
            drop_old_token(integration)
        else:
            integration.old_token_hash = integration.token_hash
            integration.old_token_hint = integration.token_hint
            integration.old_expires_at = min(end for end in (now + grace, integration.expires_at, new_expires_at)
                                             if end is not None)
        integration.token_hash = tokens.digest(token)
        integration.token_hint = tokens.pit_hint(token)
        integration.expires_at = new_expires_at
        versions.changed_by(integration, clock, actor.shown)
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.rotated", target(integration),
                     {"old_hint": old_hint, "new_hint": integration.token_hint, "expire_old": expire_old,
                      "old_valid_until": integration.old_expires_at.isoformat() if grace else None}
                     | ({"expires_at": integration.expires_at.isoformat()} if integration.expires_at else {}))
        issued = hand_over(session, Issued(integration, token), deliver)
    return issued


def cancel_rotation(session: Session, clock: Clock, account_id: int, id_or_name: str,
                    actor: Actor, expected_version: int | None = None) -> Integration:
    """Undo a rotation: the new token stops working, the old one stays valid with no end."""
    return end_rotation(session, clock, account_id, id_or_name, actor, expected_version, keep_old=True)


def expire_old_now(session: Session, clock: Clock, account_id: int, id_or_name: str,
                   actor: Actor, expected_version: int | None = None) -> Integration:
    """End a rotation early: the old token stops working now, the new one stays."""
    return end_rotation(session, clock, account_id, id_or_name, actor, expected_version, keep_old=False)


def end_rotation(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
                 expected_version: int | None, keep_old: bool) -> Integration:
    """A rotation in progress ends with one token: the old one (keep_old, a cancel) or the new one."""
    with mutation(session, account_id) as account:
        integration = pending(session, clock, account, id_or_name, expected_version)
        versions.changed_by(integration, clock, actor.shown)
        new_hint, old_hint = integration.token_hint, integration.old_token_hint
        if keep_old:
            integration.token_hash, integration.token_hint = integration.old_token_hash, old_hint
            action, details = "integration.rotation_cancelled", {"cancelled_hint": new_hint, "kept_hint": old_hint}
        else:
            action, details = "integration.old_token_expired", {"old_hint": old_hint}
        drop_old_token(integration)
        session.add(integration)
        audit.append(session, clock, account, actor, action, target(integration), details)
    return integration


def drop_old_token(integration: Integration) -> None:
    integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None


def pending(session: Session, clock: Clock, account: Account, id_or_name: str,
            expected_version: int | None = None) -> Integration:
    integration = live(session, account, id_or_name, clock, expected_version)
    if not rotation_pending(integration, clock.now()):
        raise Conflict(f"{integration.name!r} has no rotation in progress.")
    return integration


def target(integration: Integration) -> str:
    return f"integration:{integration.id}"

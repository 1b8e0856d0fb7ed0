"""Private Integrations: named, least-privilege tokens for new API integrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import begin_write
from aesthetix_tui.db.models import Account, Integration
from aesthetix_tui.domain import audit, tokens
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.catalog import scopes as scope_catalog
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.transaction import mutation

ACTIVE, ROTATING, REVOKED = "active", "rotating", "revoked"
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


def state_of(integration: Integration, now: datetime) -> str:
    if integration.revoked_at is not None:
        return REVOKED
    if rotation_pending(integration, now):
        return ROTATING
    return ACTIVE


def rotation_pending(integration: Integration, now: datetime) -> bool:
    return integration.old_token_hash is not None and integration.old_expires_at is not None \
        and integration.old_expires_at > now


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
    }


# -- reading -----------------------------------------------------------------

def list_for(session: Session, account: Account, include_revoked: bool = False) -> list[Integration]:
    query = (select(Integration).where(Integration.account_id == account.id)
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
        raise InvalidInput("Give the integration a name.")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"The name is {len(name)} characters; use at most {MAX_NAME}.")
    if not name.isprintable():
        raise InvalidInput("The name must be printable characters on one line.")
    return name


def check_description(description: str | None) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"The description is {len(description)} characters; use at most {MAX_DESCRIPTION}."
        )
    return description


def check_scopes(scopes: list[str] | tuple[str, ...] | set[str]) -> str:
    chosen = sorted({s.strip() for s in scopes if s and s.strip()})
    if not chosen:
        raise InvalidInput("Choose at least one scope: grant only what the integration needs.")
    catalog = scope_catalog()
    unknown = [s for s in chosen if s not in catalog]
    if unknown:
        raise InvalidInput(f"Unknown scope {unknown[0]!r}; see `aesthetix-tui scopes` for the list.")
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


def live(session: Session, account: Account, id_or_name: str) -> Integration:
    integration = find(session, account, id_or_name)
    if integration.revoked_at is not None:
        raise Conflict(f"The integration {integration.name!r} was revoked; revoking is permanent.")
    return integration


# -- changes -------------------------------------------------------------------

def create(session: Session, clock: Clock, account_id: int, name: str, scopes: list[str],
           actor: Actor, description: str | None = None) -> Issued:
    name, description, scope_text = check_name(name), check_description(description), check_scopes(scopes)
    with mutation(session, account_id) as account:
        check_unique_name(session, account, name)
        token = tokens.new_pit()
        integration = Integration(
            account_id=account.id, name=name, description=description, scopes=scope_text,
            token_hash=tokens.digest(token), token_hint=tokens.pit_hint(token),
            created_at=clock.now(), created_by=actor.name,
        )
        session.add(integration)
        session.flush()
        audit.append(session, clock, account, actor, "integration.created", target(integration),
                     {"name": name, "scopes": scope_text.split(), "hint": integration.token_hint})
    return Issued(integration, token)


def edit(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
         name: str | None = None, description: str | None = None,
         scopes: list[str] | None = None) -> Integration:
    """Change name, description or scopes. The token stays the same."""
    new_name = check_name(name) if name is not None else None
    new_description = check_description(description) if description is not None else None
    new_scopes = check_scopes(scopes) if scopes is not None else None
    with mutation(session, account_id) as account:
        integration = live(session, account, id_or_name)
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
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.edited", target(integration), changes)
    return integration


def revoke(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor) -> Integration:
    """Immediate and permanent: the token, and any old one, stop working now."""
    with mutation(session, account_id) as account:
        integration = live(session, account, id_or_name)
        integration.revoked_at = clock.now()
        integration.revoked_by = actor.name
        integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.revoked", target(integration),
                     {"name": integration.name})
    return integration


def rotate(session: Session, clock: Clock, account_id: int, id_or_name: str, actor: Actor,
           expire_old: str = "7d") -> Issued:
    if expire_old not in GRACE:
        raise InvalidInput("Choose when the old token expires: 'now' or '7d'.")
    with mutation(session, account_id) as account:
        now = clock.now()
        integration = live(session, account, id_or_name)
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
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.rotated", target(integration),
                     {"old_hint": old_hint, "new_hint": integration.token_hint, "expire_old": expire_old,
                      "old_valid_until": integration.old_expires_at.isoformat() if grace else None})
    return Issued(integration, token)


def cancel_rotation(session: Session, clock: Clock, account_id: int, id_or_name: str,
                    actor: Actor) -> Integration:
    """Undo a rotation: the new token stops working, the old one stays valid with no end."""
    with mutation(session, account_id) as account:
        integration = pending(session, clock, account, id_or_name)
        cancelled_hint = integration.token_hint
        integration.token_hash, integration.token_hint = integration.old_token_hash, integration.old_token_hint
        integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.rotation_cancelled", target(integration),
                     {"cancelled_hint": cancelled_hint, "kept_hint": integration.token_hint})
    return integration


def expire_old_now(session: Session, clock: Clock, account_id: int, id_or_name: str,
                   actor: Actor) -> Integration:
    with mutation(session, account_id) as account:
        integration = pending(session, clock, account, id_or_name)
        old_hint = integration.old_token_hint
        integration.old_token_hash = integration.old_token_hint = integration.old_expires_at = None
        session.add(integration)
        audit.append(session, clock, account, actor, "integration.old_token_expired", target(integration),
                     {"old_hint": old_hint})
    return integration


def pending(session: Session, clock: Clock, account: Account, id_or_name: str) -> Integration:
    integration = live(session, account, id_or_name)
    if not rotation_pending(integration, clock.now()):
        raise Conflict(f"{integration.name!r} has no rotation in progress.")
    return integration


def target(integration: Integration) -> str:
    return f"integration:{integration.id}"


# -- the gateway's check ---------------------------------------------------------

def verify(session: Session, clock: Clock, token: str, scope: str | None = None) -> Integration:
    """What an API gateway runs: the integration, or an error that says why (not which)."""
    token = (token or "").strip()
    if not tokens.is_well_formed(token):
        raise AccessDenied("That is not a Private Integration Token: it is malformed.")
    if scope is not None and scope not in scope_catalog():
        raise InvalidInput(f"Unknown scope {scope!r}; see `aesthetix-tui scopes` for the list.")
    now = clock.now()
    hashed = tokens.digest(token)
    integration = session.exec(
        select(Integration).where(or_(Integration.token_hash == hashed, Integration.old_token_hash == hashed))
        .execution_options(populate_existing=True)  # a copy held by this session may be stale
    ).first()
    if integration is None or integration.revoked_at is not None:
        raise AccessDenied(INVALID)
    if integration.token_hash != hashed and not rotation_pending(integration, now):
        raise AccessDenied(INVALID)
    if scope is not None and scope not in scope_list(integration):
        raise AccessDenied(f"This token does not grant the scope {scope}.")
    if integration.last_used_at is None or now - integration.last_used_at >= LAST_USED_EVERY:
        touch(session, integration, now)
    return integration


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

"""The legacy API key (API V1): deprecated, kept secret, can be regenerated or disabled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.models import Account, LegacyKey
from aesthetix_tui.domain import audit, tokens, versions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict
from aesthetix_tui.domain.legacy_key_state import LegacyKeyState, state_of
from aesthetix_tui.domain.transaction import hand_over, mutation

DEPRECATION = ("API V1 is deprecated: build new integrations with Private Integrations, "
               "which have least-privilege scopes and rotatable tokens.")
TARGET = "legacy_key"


@dataclass(frozen=True)
class LegacyKeyStatus:
    exists: bool
    hint: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None
    disabled: bool = False
    deprecation: str = DEPRECATION
    version: int = 0  # 0: no key yet

    @property
    def state(self) -> LegacyKeyState:
        return state_of(self.exists, self.disabled)

    def allows(self, action: str) -> bool:
        """May the owner regenerate, disable or enable the key now (LegacyKeyState.allowed_actions)?"""
        return action in self.state.allowed_actions

    def why_not(self, action: str) -> str | None:
        """Why ACTION does not apply now, in one sentence (None when it does)."""
        return self.state.why_not(action)

    def as_dict(self) -> dict:
        return {
            "exists": self.exists,
            "hint": self.hint,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "created_by": self.created_by,
            "disabled": self.disabled,
            "deprecation": self.deprecation,
            "version": self.version,
        }


@dataclass(frozen=True)
class RegeneratedKey:
    """The new key in plaintext: shown once, never stored."""

    key: str
    status: LegacyKeyStatus


def status_of(row: LegacyKey | None) -> LegacyKeyStatus:
    if row is None:
        return LegacyKeyStatus(exists=False)
    return LegacyKeyStatus(True, "…" + row.hint, row.created_at, row.created_by, row.disabled,
                           version=row.version)


def status(session: Session, account: Account) -> LegacyKeyStatus:
    """Without the key's hash, which PostgreSQL hides from agents."""
    return status_of(session.get(LegacyKey, account.id, populate_existing=True,
                                 options=[defer(LegacyKey.key_hash)]))


def check_version(row: LegacyKey | None, expected: int | None, clock: Clock, account: Account) -> None:
    """expected: the version the caller read (0: no key; None: no check)."""
    versions.check_row(expected, row, "The legacy API key", clock, account.timezone)


def regenerate(session: Session, clock: Clock, account_id: int, actor: Actor,
               expected_version: int | None = None,
               deliver: Callable[[RegeneratedKey], None] | None = None) -> RegeneratedKey:
    """A new key replaces the old one at once. It starts enabled.

    deliver: shows the new key before the commit; if it raises, nothing is changed."""
    with mutation(session, account_id) as account:
        row = session.get(LegacyKey, account.id, populate_existing=True)
        check_version(row, expected_version, clock, account)
        key = tokens.new_legacy_key()
        previous = row.hint if row else None
        if row is None:
            row = LegacyKey(account_id=account.id, key_hash="", hint="", created_at=clock.now(), created_by="",
                            version=0)
        versions.changed_by(row, clock, actor.shown)
        row.key_hash, row.hint = tokens.digest(key), tokens.legacy_hint(key)
        row.created_at, row.created_by, row.disabled = clock.now(), actor.shown, False
        session.add(row)
        audit.append(session, clock, account, actor, "legacy_key.regenerated", TARGET,
                     {"old_hint": previous, "new_hint": row.hint})
        new = hand_over(session, RegeneratedKey(key, status_of(row)), deliver)
    return new


def disable(session: Session, clock: Clock, account_id: int, actor: Actor,
            expected_version: int | None = None) -> LegacyKeyStatus:
    return set_disabled(session, clock, account_id, actor, True, expected_version)


def enable(session: Session, clock: Clock, account_id: int, actor: Actor,
           expected_version: int | None = None) -> LegacyKeyStatus:
    return set_disabled(session, clock, account_id, actor, False, expected_version)


def set_disabled(session: Session, clock: Clock, account_id: int, actor: Actor,
                 disabled: bool, expected_version: int | None = None) -> LegacyKeyStatus:
    with mutation(session, account_id) as account:
        row = session.get(LegacyKey, account.id, populate_existing=True)
        check_version(row, expected_version, clock, account)
        if problem := status_of(row).why_not("disable" if disabled else "enable"):
            raise Conflict(problem)
        row.disabled = disabled
        versions.changed_by(row, clock, actor.shown)
        session.add(row)
        audit.append(session, clock, account, actor,
                     "legacy_key.disabled" if disabled else "legacy_key.enabled", TARGET, {"hint": row.hint})
        result = status_of(row)
    return result


def verify(session: Session, key: str) -> Account:
    """Accepts the key only while it is enabled. Every refusal names the deprecation."""
    row = session.exec(select(LegacyKey).where(LegacyKey.key_hash == tokens.digest((key or "").strip()))).first()
    if row is None:
        raise AccessDenied(f"This legacy API key is not valid. {DEPRECATION}")
    if row.disabled:
        raise AccessDenied(f"This legacy API key is disabled. {DEPRECATION}")
    return session.get(Account, row.account_id)

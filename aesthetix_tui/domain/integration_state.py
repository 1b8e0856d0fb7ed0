"""A Private Integration's state, and what can be done to it in each state.

The one home of these rules: the domain, the CLI and the TUI all ask here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from aesthetix_tui.domain.dates import plural


class IntegrationState(StrEnum):
    """Equal to its plain text ("active", ...), so stored and printed values are unchanged."""

    ACTIVE = "active"
    ROTATING = "rotating"
    EXPIRED = "expired"  # its token passed expires_at: listed, refused by verify, rotate renews it
    REVOKED = "revoked"


ROW_ACTIONS = frozenset({"detail", "edit", "rotate", "cancel_rotation", "expire_old", "revoke"})

_ALLOWED = {
    IntegrationState.ACTIVE: frozenset({"detail", "edit", "rotate", "revoke"}),
    IntegrationState.ROTATING: frozenset({"detail", "edit", "cancel_rotation", "expire_old", "revoke"}),
    IntegrationState.EXPIRED: frozenset({"detail", "edit", "rotate", "revoke"}),
    IntegrationState.REVOKED: frozenset({"detail"}),  # revoking is permanent
}


# A rotation's choices for the old token: it ends now (a leak), or works ROTATION_OVERLAP longer.
ROTATION_OVERLAP = timedelta(days=7)
EXPIRE_NOW, EXPIRE_LATER = "now", f"{ROTATION_OVERLAP.days}d"
ROTATE_CHOICES = (EXPIRE_NOW, EXPIRE_LATER)
GRACE = {EXPIRE_NOW: None, EXPIRE_LATER: ROTATION_OVERLAP}
OVERLAP_WORDS = plural(ROTATION_OVERLAP.days, "day")  # "7 days", for help texts and dialogs


def rotation_pending(old_hint: str | None, old_expires_at: datetime | None, now: datetime) -> bool:
    """An old token still valid after a rotation. The hint, not the hash, tells: agents read
    integrations without their hashes (db/security.py)."""
    return old_hint is not None and old_expires_at is not None and old_expires_at > now


def state_at(revoked_at: datetime | None, old_hint: str | None, old_expires_at: datetime | None,
             now: datetime, expires_at: datetime | None = None) -> IntegrationState:
    """Revoked, else expired (the current token has ended), else rotating, else active."""
    if revoked_at is not None:
        return IntegrationState.REVOKED
    if expires_at is not None and expires_at <= now:
        return IntegrationState.EXPIRED
    if rotation_pending(old_hint, old_expires_at, now):
        return IntegrationState.ROTATING
    return IntegrationState.ACTIVE


def allowed_actions(state: str) -> frozenset[str]:
    """The row actions allowed in a state: detail always; edit and revoke unless revoked;
    rotate only when active or expired (a new token); cancel_rotation and expire_old only when
    rotating."""
    return _ALLOWED[IntegrationState(state)]

"""An account's latest Support Access grant: what both support_access (the owner's side) and
support_sessions (the agent's) judge access by, kept apart so neither imports the other back."""

from __future__ import annotations

from sqlmodel import Session, select

from aesthetix_tui.db.models import SupportGrant


def latest_grant(session: Session, account_id: int) -> SupportGrant | None:
    return session.exec(
        select(SupportGrant)
        .where(SupportGrant.account_id == account_id)
        .order_by(SupportGrant.enabled_at.desc(), SupportGrant.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)  # never a stale copy held by this session
    ).first()

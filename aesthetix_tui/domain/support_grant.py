"""An account's latest Support Access grant: what both support_access (the owner's side) and
support_sessions (the agent's) judge access by, kept apart so neither imports the other back."""

from __future__ import annotations

from sqlmodel import Session, select

from aesthetix_tui.db.models import SupportGrant

# The newest grant first: by id, the order the account's lock let the grants in. Not by
# enabled_at: on PostgreSQL the server records now(), its transaction's start, which can come
# before the lock wait, so a grant let in later may carry an earlier time (seen with eight
# writers on one account: an open grant hidden behind a revoked one, and a second one enabled).
LATEST_FIRST = (SupportGrant.id.desc(),)


def latest_grant(session: Session, account_id: int) -> SupportGrant | None:
    return session.exec(
        select(SupportGrant)
        .where(SupportGrant.account_id == account_id)
        .order_by(*LATEST_FIRST)
        .limit(1)
        .execution_options(populate_existing=True)  # never a stale copy held by this session
    ).first()

"""The Business Profile, read in one go: what the owner's main screen shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from aesthetix_tui.db.models import Account, SupportGrant
from aesthetix_tui.domain import accounts, features, legacy_key, support_access, support_requests, support_sessions
from aesthetix_tui.domain.errors import NotFound
from aesthetix_tui.domain.features import FeatureState
from aesthetix_tui.domain.legacy_key import LegacyKeyStatus


@dataclass(frozen=True)
class AccountInfo:
    id: int
    name: str
    timezone: str
    support_max_days: int


@dataclass(frozen=True)
class BusinessProfile:
    account: AccountInfo
    grant: SupportGrant | None  # the latest grant; its status follows from the clock
    legacy_key: LegacyKeyStatus
    features: list[FeatureState]
    marker: int  # changes whenever anything in the account changes
    support_session: support_sessions.OpenSession | None = None  # an agent in the account now
    features_version: int = 0  # the settings_version the features were read at
    requests: tuple = ()  # support_requests.Request still pending, newest first (read with a clock)
    extended_for: str | None = None  # the ticket of a request approved as an extension of the grant


def info(account: Account) -> AccountInfo:
    return AccountInfo(account.id, account.name, account.timezone, account.support_max_days)


def read(session: Session, account_id: int, clock=None) -> BusinessProfile:
    """The profile; with the clock, also the agents' pending access requests (pending is as of it;
    expiries due are recorded first)."""
    requests = ()
    if clock is not None:
        support_requests.record_expiries(session, clock, account_id)
    account = accounts.get(session, account_id)
    if clock is not None:
        requests = tuple(support_requests.pending(session, clock, account.id))
    grant = support_access.latest_grant(session, account.id)
    return BusinessProfile(
        account=info(account),
        grant=grant,
        legacy_key=legacy_key.status(session, account),
        features=features.settings(session, account),
        marker=account.audit_seq,
        support_session=support_sessions.open_session_for(session, account.id),
        features_version=account.settings_version,
        requests=requests,
        extended_for=support_requests.extended_for(session, grant),
    )


def marker(session: Session, account_id: int) -> int:
    """A cheap change detector: every change appends an audit event. AccountGone once removed."""
    seq = session.exec(select(Account.audit_seq).where(Account.id == account_id)).first()
    if seq is None:
        accounts.get(session, account_id)  # raises AccountGone, in its words
    return seq


def choose_account(session: Session, id_or_name: str | None) -> AccountInfo:
    """The account the TUI opens: the one named, else the first one."""
    if id_or_name:
        return info(accounts.resolve(session, id_or_name))
    return first_account(session)


def first_account(session: Session) -> AccountInfo:
    account = session.exec(select(Account).order_by(Account.id).limit(1)).first()
    if account is None:
        raise NotFound("This database holds no account; create one with `aesthetix-tui accounts create NAME`.")
    return info(account)


__all__ = ["AccountInfo", "BusinessProfile", "SupportGrant", "choose_account", "first_account", "marker", "read"]

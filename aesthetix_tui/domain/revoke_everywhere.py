"""Revoke Support Access in every account the connection may see, one account at a time.

For an agency, when the vendor's support system may be breached. Each account is revoked in its
own transaction, through the one rule for a revoke (`support_access.revoke`: the grant ends, any
live support session ends with it, one audit event), so a failure in one account (a busy
database, a lost connection) leaves the others revoked, and running it again finishes the job.
An account whose access is already off (never enabled, expired, revoked) is reported so and not
touched: a second run writes nothing.

Which accounts: every one in a SQLite file; on PostgreSQL the ones row-level security lets the
login see (db/security.py), with nothing filtered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Union

from sqlalchemy import func
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.db.engine import end_transaction
from aesthetix_tui.db.errors import explain, is_database_error
from aesthetix_tui.db.models import Account, SupportGrant, SupportSession
from aesthetix_tui.domain import support_access
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import plural
from aesthetix_tui.domain.errors import Conflict, DomainError, NotFound, StaleWrite
from aesthetix_tui.domain.support_grant import LATEST_FIRST
from aesthetix_tui.domain.support_status import REVOKED as SESSION_REVOKED
from aesthetix_tui.domain.support_status import status_of

if TYPE_CHECKING:
    from aesthetix_tui.db.engine import Database

REVOKED, ALREADY_OFF, FAILED = "revoked", "already_off", "failed"
RESULTS = (REVOKED, ALREADY_OFF, FAILED)
GONE = "The account no longer exists."
NAMED_AT_MOST = 10  # failed accounts the summary sentence names; the rest are counted

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class AccountRevoke:
    """What happened in one account."""

    account_id: int
    name: str
    result: str  # revoked, already_off or failed
    sessions_ended: int = 0
    message: str | None = None  # failed: the one sentence why

    def as_dict(self) -> dict:
        return {"id": self.account_id, "name": self.name, "result": self.result,
                "sessions_ended": self.sessions_ended, "message": self.message}

    def line(self) -> str:
        """One line for a person (the name is stored text: show it through the output helpers)."""
        if self.result == REVOKED:
            return f"Revoked: {self.name} ({plural(self.sessions_ended, 'live session')} ended)"
        if self.result == ALREADY_OFF:
            return f"Already off: {self.name}" + (f" ({self.message.rstrip('.')})" if self.message else "")
        return f"Failed: {self.name}: {self.message}"


@dataclass(frozen=True)
class RevokeSummary:
    results: tuple[AccountRevoke, ...]

    def _with(self, result: str) -> list[AccountRevoke]:
        return [r for r in self.results if r.result == result]

    @property
    def revoked(self) -> list[AccountRevoke]:
        return self._with(REVOKED)

    @property
    def already_off(self) -> list[AccountRevoke]:
        return self._with(ALREADY_OFF)

    @property
    def failed(self) -> list[AccountRevoke]:
        return self._with(FAILED)

    @property
    def sessions_ended(self) -> int:
        return sum(r.sessions_ended for r in self.results)

    @property
    def all_off(self) -> bool:
        """Every account ended up with Support Access off."""
        return not self.failed

    def sentence(self) -> str:
        """"Revoked in N accounts (M live sessions ended); K already off; F failed: names."."""
        text = (f"Revoked in {plural(len(self.revoked), 'account')} "
                f"({plural(self.sessions_ended, 'live session')} ended); "
                f"{len(self.already_off)} already off; {len(self.failed)} failed")
        failed = self.failed
        if failed:
            names = ", ".join(r.name for r in failed[:NAMED_AT_MOST])
            more = len(failed) - NAMED_AT_MOST
            text += f": {names}" + (f" and {more} more" if more > 0 else "")
        return text + "."


class RevokePreview(NamedTuple):
    """What a revoke everywhere would affect now: accounts with access active, live sessions in them."""

    accounts: int
    sessions: int


# -- reading, in a bounded number of queries ---------------------------------------------------------

def latest_grants(session: Session) -> dict[int, SupportGrant]:
    """Each visible account's latest grant (support_grant.latest_grant's order), in one query."""
    rank = func.row_number().over(partition_by=SupportGrant.account_id,
                                  order_by=LATEST_FIRST)
    ranked = select(SupportGrant.id.label("id"), rank.label("rank")).subquery()
    rows = session.exec(select(SupportGrant).join(ranked, ranked.c.id == SupportGrant.id)
                        .where(ranked.c.rank == 1)
                        .execution_options(populate_existing=True)).all()
    return {grant.account_id: grant for grant in rows}


def open_sessions(session: Session) -> dict[int, int]:
    """How many support sessions are open, per visible account, in one query."""
    rows = session.exec(select(SupportSession.account_id, func.count(SupportSession.id))
                        .where(SupportSession.ended_at.is_(None))
                        .group_by(SupportSession.account_id)).all()
    return {account_id: count for account_id, count in rows}


def _active(session: Session, clock: Clock) -> tuple[list[tuple[int, str]], set[int], dict[int, int]]:
    """(every visible account as (id, name) by name, the ids whose access is active, open sessions)."""
    now = clock.now()
    accounts = [(id_, name) for id_, name in session.exec(select(Account.id, Account.name)
                                                          .order_by(Account.name, Account.id)).all()]
    active = {account_id for account_id, grant in latest_grants(session).items()
              if status_of(grant, now).is_active}
    return accounts, active, open_sessions(session)


def revoke_everywhere_preview(session: Session, clock: Clock) -> RevokePreview:
    """For the confirmation: how many accounts have access active now, and the live support
    sessions in them that a revoke would end. Three queries, whatever the number of accounts."""
    end_transaction(session)  # read the database as it is now
    _accounts, active, sessions = _active(session, clock)
    end_transaction(session)
    return RevokePreview(len(active), sum(n for account_id, n in sessions.items() if account_id in active))


# -- revoking -------------------------------------------------------------------------------------------

Source = Union["Database", Session]


def revoke_everywhere(source: Source, clock: Clock, actor: Actor,
                      on_progress: Progress | None = None) -> RevokeSummary:
    """Revoke Support Access in every account the connection may see, each in its own transaction.

    source: the Database (a fresh session per account), or a Session (the TUI's gate hands one;
    each account then gets a fresh session on its connection pool). on_progress(done, total) is
    called after each account. A DomainError or a database error in one account is reported in
    its result, in one sentence, and the others go on; anything else (a bug) propagates."""
    sessions, target = _sessions(source)
    with sessions() as reader:
        accounts, active, open_counts = _active(reader, clock)
        end_transaction(reader)
    total = len(accounts)
    results = []
    for done, (account_id, name) in enumerate(accounts, start=1):
        if account_id in active:
            results.append(_revoke_one(sessions, target, clock, actor, account_id, name,
                                       open_counts.get(account_id, 0)))
        else:
            results.append(AccountRevoke(account_id, name, ALREADY_OFF))
        if on_progress is not None:
            on_progress(done, total)
    return RevokeSummary(tuple(results))


def _revoke_one(sessions: Callable[[], Session], target: DatabaseTarget, clock: Clock, actor: Actor,
                account_id: int, name: str, seen_open: int) -> AccountRevoke:
    with sessions() as session:
        try:
            status = support_access.revoke(session, clock, account_id, actor)
        except StaleWrite as error:  # not raised without an expected version; kept honest
            return AccountRevoke(account_id, name, FAILED, message=error.message)
        except Conflict:  # revoked, expired or revoked elsewhere since the list was read
            return AccountRevoke(account_id, name, ALREADY_OFF)
        except NotFound:  # removed since the list was read: no access there either
            return AccountRevoke(account_id, name, ALREADY_OFF, message=GONE)
        except DomainError as error:
            return AccountRevoke(account_id, name, FAILED, message=error.message)
        except Exception as error:  # noqa: BLE001 - one account's failure is its row; the others go on
            return AccountRevoke(account_id, name, FAILED, message=_explained(error, target))
        return AccountRevoke(account_id, name, REVOKED,
                             sessions_ended=_ended_by(session, account_id, status.grant_id, seen_open))


def _ended_by(session: Session, account_id: int, grant_id: int | None, seen_open: int) -> int:
    """The live sessions the revoke ended: its grant's sessions ended as "revoked". Only the
    revoke ends them so (it closes every open one under the lock; none opens under a revoked
    grant). If this read fails after the commit, the count seen before the revoke stands in."""
    try:
        count = session.exec(select(func.count(SupportSession.id)).where(
            SupportSession.account_id == account_id, SupportSession.grant_id == grant_id,
            SupportSession.end_reason == SESSION_REVOKED)).one()
        end_transaction(session)
        return int(count)
    except Exception:  # noqa: BLE001 - the revoke is committed: a failed count must not undo its row
        session.rollback()
        return seen_open


def _explained(error: Exception, target: DatabaseTarget) -> str:
    if not is_database_error(error):
        raise error
    return explain(error, target).message


def _sessions(source: Source) -> tuple[Callable[[], Session], DatabaseTarget]:
    if isinstance(source, Session):
        bind = source.get_bind()
        engine = getattr(bind, "engine", bind)
        return (lambda: Session(engine, expire_on_commit=False)), _target_of(engine)
    return source.session, source.target


def _target_of(engine) -> DatabaseTarget:
    """The DatabaseTarget errors are explained against, from an engine (never its password)."""
    url = engine.url
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    return DatabaseTarget(url=url.render_as_string(hide_password=True), path=path)


__all__ = ["ALREADY_OFF", "FAILED", "REVOKED", "AccountRevoke", "RevokePreview", "RevokeSummary",
           "revoke_everywhere", "revoke_everywhere_preview"]

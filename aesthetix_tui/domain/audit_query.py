"""Browse the audit trail a page at a time: keyset pagination with filters.

Every query here is bounded: it seeks an index and reads at most a page (plus
one row to learn whether there is more); a date range also reads its own
entries of the (account_id, at, seq) index, never the rows. Nothing counts, loads or OFFSETs
over the whole trail, so a million events page as fast as fifty.

Indexes used (see models.AuditEvent):
- (account_id, seq): unfiltered pages, and the newest/oldest jumps;
- (account_id, action, seq): an exact action; a prefix ("support_access.")
  is expanded to the exact actions it covers, each read through this index,
  and the per-action pages are merged by seq;
- (account_id, actor, seq): an actor;
- (account_id, at, seq): a date range, turned into the seq range of its
  events (read from this index alone: clocks differ between hosts, so seq
  order need not be time order); the `at` condition is applied too, so
  nothing outside the range is ever shown.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func
from sqlmodel import Session, select

from aesthetix_tui.db.models import Account, AuditEvent
from aesthetix_tui.domain.dates import end_of_day, parse_date, zone
from aesthetix_tui.domain.errors import InvalidInput

PAGE_SIZE = 50
MAX_DISTINCT = 200  # distinct actions/actors offered as choices

# The actions the app writes today; a prefix filter also finds any others in the data.
KNOWN_ACTIONS = (
    "account.created",
    "feature.disabled",
    "feature.enabled",
    "integration.created",
    "integration.edited",
    "integration.old_token_expired",
    "integration.revoked",
    "integration.rotated",
    "integration.rotation_cancelled",
    "legacy_key.disabled",
    "legacy_key.enabled",
    "legacy_key.regenerated",
    "support_access.enabled",
    "support_access.extended",
    "support_access.revoked",
)


@dataclass(frozen=True)
class AuditFilters:
    """What to show. An action ending in "." or "*" is a prefix; dates are in the account's timezone."""

    action: str = ""
    actor: str = ""
    from_date: date | None = None
    to_date: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", self.action.strip())
        object.__setattr__(self, "actor", self.actor.strip())
        if self.from_date and self.to_date and self.from_date > self.to_date:
            raise InvalidInput("The 'from' date must not be after the 'to' date.")

    @property
    def active(self) -> bool:
        return bool(self.action or self.actor or self.from_date or self.to_date)

    @property
    def action_prefix(self) -> str | None:
        """The prefix to match, or None when the action is matched exactly."""
        if self.action.endswith("*"):
            return self.action[:-1]
        if self.action.endswith("."):
            return self.action
        return None

    def describe(self) -> str:
        parts = []
        if self.action:
            parts.append(f"action {self.action}")
        if self.actor:
            parts.append(f"actor {self.actor}")
        if self.from_date and self.to_date:
            parts.append(f"{self.from_date.isoformat()} to {self.to_date.isoformat()}")
        elif self.from_date:
            parts.append(f"from {self.from_date.isoformat()}")
        elif self.to_date:
            parts.append(f"through {self.to_date.isoformat()}")
        return ", ".join(parts)


NO_FILTERS = AuditFilters()


@dataclass(frozen=True)
class EventRow:
    """One event, detached from the session: what the screen shows."""

    seq: int
    at: datetime
    actor: str
    actor_kind: str
    action: str
    target: str
    details: str  # the stored JSON text
    actor_label: str | None = None  # SQLite: the --actor name, shown as "NAME (via LOGIN)" (audit.actor_text)


@dataclass(frozen=True)
class AuditPage:
    events: list[EventRow] = field(default_factory=list)  # newest first
    has_newer: bool = False
    has_older: bool = False

    @property
    def newest_seq(self) -> int | None:
        return self.events[0].seq if self.events else None

    @property
    def oldest_seq(self) -> int | None:
        return self.events[-1].seq if self.events else None


# -- filters as SQL ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    """The filters, resolved: exact actions (None = any), conditions, and a seq range."""

    actions: tuple[str, ...] | None
    conditions: tuple
    seq_lo: int | None = None  # inclusive
    seq_hi: int | None = None  # inclusive


def instant_range(filters: AuditFilters, tz: str) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for the filter's dates in `tz`; `to_date` is included whole."""
    start = datetime.combine(filters.from_date, time(0), tzinfo=zone(tz)) if filters.from_date else None
    end = end_of_day(filters.to_date, tz) if filters.to_date else None
    return start, end


def _plan(session: Session, account_id: int, filters: AuditFilters, tz: str | None) -> _Plan:
    conditions = [AuditEvent.account_id == account_id]
    if filters.actor:
        conditions.append(AuditEvent.actor == filters.actor)
    if (filters.from_date or filters.to_date) and tz is None:
        tz = session.exec(select(Account.timezone).where(Account.id == account_id)).one()
    start, end = instant_range(filters, tz or "UTC")
    seq_lo = seq_hi = None
    if start is not None or end is not None:
        in_range = [AuditEvent.at >= start] if start is not None else []
        in_range += [AuditEvent.at < end] if end is not None else []
        conditions.extend(in_range)
        seq_lo, seq_hi = _seq_range(session, account_id, in_range)
    actions: tuple[str, ...] | None = None
    if filters.action:
        prefix = filters.action_prefix
        actions = (tuple(a for a in distinct_actions(session, account_id, prefix=prefix))
                   if prefix is not None else (filters.action,))
    return _Plan(actions, tuple(conditions), seq_lo, seq_hi)


def _seq_range(session: Session, account_id: int, in_range: list) -> tuple[int, int]:
    """The lowest and highest seq of the events in a time range, by time, not by seq order
    (hosts' clocks differ, so a later seq may carry an earlier time). One read of the
    (account_id, at, seq) index over the range, never of the rows."""
    lo, hi = session.exec(
        select(func.min(AuditEvent.seq), func.max(AuditEvent.seq))
        .where(AuditEvent.account_id == account_id, *in_range)
    ).one()
    if lo is None:
        return 2**31 - 1, 0  # an empty range; fits a 32-bit INTEGER (PostgreSQL)
    return lo, hi


def _fetch(session: Session, plan: _Plan, bound, descending: bool, limit: int) -> list[EventRow]:
    """Up to `limit` events past `bound`, in seq order (descending or not)."""
    columns = (AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.actor_kind,
               AuditEvent.action, AuditEvent.target, AuditEvent.details, AuditEvent.actor_label)
    order = AuditEvent.seq.desc() if descending else AuditEvent.seq

    lo, hi = plan.seq_lo, plan.seq_hi
    if bound is not None and descending:
        hi = bound - 1 if hi is None else min(hi, bound - 1)
    elif bound is not None:
        lo = bound + 1 if lo is None else max(lo, bound + 1)
    if lo is not None and hi is not None and lo > hi:
        return []
    # One lower and one upper bound at most: SQLite seeks on a single range per side.
    seq_range = ((AuditEvent.seq >= lo,) if lo is not None else ()) + (
        (AuditEvent.seq <= hi,) if hi is not None else ())

    def one(extra) -> list[EventRow]:
        query = select(*columns).where(*plan.conditions, *extra, *seq_range)
        return [EventRow(*row) for row in session.exec(query.order_by(order).limit(limit)).all()]

    if plan.actions is None:
        return one(())
    if len(plan.actions) == 1:
        return one((AuditEvent.action == plan.actions[0],))
    # A prefix: one indexed read per action, merged (each list is already in order).
    lists = [one((AuditEvent.action == action,)) for action in plan.actions]
    key = (lambda e: -e.seq) if descending else (lambda e: e.seq)
    merged = heapq.merge(*lists, key=key)
    return [event for _, event in zip(range(limit), merged)]


def _page(session: Session, plan: _Plan, *, before_seq=None, after_seq=None, limit: int,
          ascending_from_start: bool = False) -> AuditPage:
    if limit < 1:
        raise InvalidInput("A page holds at least one event.")
    if plan.actions == ():
        return AuditPage()
    if after_seq is not None or ascending_from_start:
        rows = _fetch(session, plan, after_seq, descending=False, limit=limit + 1)
        more = len(rows) > limit
        events = list(reversed(rows[:limit]))
        has_newer = more
        has_older = bool(events) and bool(_fetch(session, plan, events[-1].seq, True, 1))
        if not events and after_seq is not None:
            # Nothing newer than where we were: show the newest page instead.
            return _page(session, plan, limit=limit)
        return AuditPage(events, has_newer=has_newer, has_older=has_older)
    rows = _fetch(session, plan, before_seq, descending=True, limit=limit + 1)
    events = rows[:limit]
    has_older = len(rows) > limit
    has_newer = bool(events) and bool(_fetch(session, plan, events[0].seq, False, 1))
    if not events and before_seq is not None:
        return _page(session, plan, limit=limit, ascending_from_start=True)  # the oldest page
    return AuditPage(events, has_newer=has_newer, has_older=has_older)


# -- the public functions -----------------------------------------------------------------

def page(session: Session, account_id: int, filters: AuditFilters = NO_FILTERS, *,
         before_seq: int | None = None, after_seq: int | None = None, limit: int = PAGE_SIZE,
         tz: str | None = None) -> AuditPage:
    """Newest first. `before_seq`: the page older than that event; `after_seq`: the page newer.

    Dates in `filters` are days in `tz`, the account's timezone (read from the account when not given).
    """
    if before_seq is not None and after_seq is not None:
        raise InvalidInput("Page before an event or after one, not both.")
    plan = _plan(session, account_id, filters, tz)
    return _page(session, plan, before_seq=before_seq, after_seq=after_seq, limit=limit)


def oldest_page(session: Session, account_id: int, filters: AuditFilters = NO_FILTERS, *,
                limit: int = PAGE_SIZE, tz: str | None = None) -> AuditPage:
    """The oldest `limit` events, still shown newest first: one ascending seek, reversed."""
    plan = _plan(session, account_id, filters, tz)
    return _page(session, plan, limit=limit, ascending_from_start=True)


def _distinct(session: Session, account_id: int, column, prefix: str | None, cap: int) -> list[str]:
    """A loose index scan: one seek per distinct value, never a pass over every row."""
    values: list[str] = []
    last = prefix or ""
    first = True
    while len(values) < cap:
        condition = column >= last if first and prefix else column > last
        first = False
        value = session.exec(
            select(func.min(column)).where(AuditEvent.account_id == account_id, condition)
        ).first()
        if value is None or (prefix and not value.startswith(prefix)):
            break
        values.append(value)
        last = value
    return values


def distinct_actions(session: Session, account_id: int, prefix: str | None = None,
                     cap: int = MAX_DISTINCT) -> list[str]:
    """The actions present in the trail (those starting with `prefix`), sorted."""
    return _distinct(session, account_id, AuditEvent.action, prefix, cap)


def distinct_actors(session: Session, account_id: int, cap: int = MAX_DISTINCT) -> list[str]:
    return _distinct(session, account_id, AuditEvent.actor, None, cap)


# -- showing an event -----------------------------------------------------------------------

def summarize(details: str, width: int = 60) -> str:
    """`key=value, key=value` from the stored JSON, cut to `width` characters."""
    try:
        data = json.loads(details) if details else {}
    except ValueError:
        text = details
    else:
        if isinstance(data, dict):
            text = ", ".join(f"{key}={_short(value)}" for key, value in data.items())
        else:
            text = _short(data)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _short(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_short(v) for v in value)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def parse_filters(action: str = "", actor: str = "", from_text: str = "", to_text: str = "") -> AuditFilters:
    """Filters from what a user typed; a bad date is one clear sentence."""
    from_date = parse_date(from_text) if from_text.strip() else None
    to_date = parse_date(to_text) if to_text.strip() else None
    return AuditFilters(action=action, actor=actor, from_date=from_date, to_date=to_date)


def actions_for_choice(found: Iterable[str]) -> list[str]:
    """Known actions plus any others found in the data, sorted."""
    return sorted(set(KNOWN_ACTIONS) | set(found))

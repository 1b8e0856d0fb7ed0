"""Deprecated features: an on/off setting per account, off by default."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.models import Account, FeatureSetting
from aesthetix_tui.domain import audit, versions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.catalog import Feature
from aesthetix_tui.domain.catalog import features as catalog
from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.transaction import mutation


@dataclass(frozen=True)
class FeatureState:
    feature: Feature
    enabled: bool

    def as_dict(self) -> dict:
        f = self.feature
        return {"key": f.key, "name": f.name, "kind": f.kind, "enabled": self.enabled,
                "description": f.description, "replacement": f.replacement}


def settings(session: Session, account: Account) -> list[FeatureState]:
    rows = {r.feature_key: r.enabled for r in session.exec(
        select(FeatureSetting).where(FeatureSetting.account_id == account.id)
        .execution_options(populate_existing=True))}
    return [FeatureState(f, rows.get(key, False)) for key, f in catalog().items()]


def update(session: Session, clock: Clock, account_id: int,
           changes: dict[str, bool] | Iterable[tuple[str, bool]],
           actor: Actor, expected_version: int | None = None) -> list[str]:
    """Apply every change in one transaction. Returns the keys that actually changed.

    changes: key -> on, or (key, on) pairs as typed, where a key given twice is refused.
    expected_version: the account's settings_version the caller read (None: no check);
    a stale one is refused with StaleWrite.
    """
    changes = once_each(changes)
    known = catalog()
    for key, value in changes.items():
        if key not in known:
            raise InvalidInput(f"There is no deprecated feature {key!r}; known: {', '.join(known)}.")
        if not isinstance(value, bool):
            raise InvalidInput(f"Set {key} to on or off.")
    changed: list[str] = []
    with mutation(session, account_id) as account:
        versions.check(expected_version, account.settings_version, "These settings",
                       account.settings_updated_by, account.settings_updated_at, clock, account.timezone,
                       then="review and update again", verb="were")
        for key, value in changes.items():
            row = session.get(FeatureSetting, (account.id, key), populate_existing=True)
            if (row.enabled if row else False) == value:
                continue
            if row is None:
                row = FeatureSetting(account_id=account.id, feature_key=key, updated_at=clock.now(),
                                     updated_by=actor.shown)
            row.enabled, row.updated_at, row.updated_by = value, clock.now(), actor.shown
            session.add(row)
            audit.append(session, clock, account, actor,
                         "feature.enabled" if value else "feature.disabled", f"feature:{key}",
                         {"name": known[key].name})
            changed.append(key)
        if changed:
            account.settings_version += 1
            account.settings_updated_at, account.settings_updated_by = clock.now(), actor.shown
            session.add(account)
    return changed


def once_each(changes: dict[str, bool] | Iterable[tuple[str, bool]]) -> dict[str, bool]:
    """The changes as a dict; a feature named twice ("x=on x=off") is refused, not decided by order."""
    if isinstance(changes, dict):
        return changes
    wanted: dict[str, bool] = {}
    for key, value in changes:
        if key in wanted:
            raise InvalidInput(f"{key!r} is given more than once; give each feature once, on or off.")
        wanted[key] = value
    return wanted

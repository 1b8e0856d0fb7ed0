"""Revoke every stale integration (domain/revoke_stale.py): the dialog lists them and asks for
their count, typed, before the Revoke button works. Dismissed with True to revoke, False when
cancelled (Escape, or Cancel). The screen then revokes exactly the ones listed: if that is no
longer the list (one was used meanwhile), the domain refuses and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.dates import plural, zone
from aesthetix_tui.ui.modals.buttons import cancel_and
from aesthetix_tui.ui.modals.typed_confirm import TypedConfirmModal
from aesthetix_tui.ui.shown import literal
from aesthetix_tui.ui.widgets.integration_text import local_short_day, short_instant

WARNING = ("Apps that use these tokens stop working at once. This cannot be undone; each integration "
           "gets its own audit event.")


@dataclass(frozen=True)
class StaleItem:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class Stale:
    """What the dialog shows: the rule in words and the stale integrations, by name."""

    words: str  # "unused 90 days, or never used 30 days after creation"
    items: tuple[StaleItem, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.items)


def read_stale(session, clock, account_id: int) -> Stale:
    """In the gate's thread: the account's stale integrations now, as plain values."""
    from aesthetix_tui.domain.revoke_stale import stale_list

    found = stale_list(session, clock, account_id)
    return Stale(found.rule.words(), tuple(StaleItem(i.id, i.name, i.created_at, i.last_used_at)
                                           for i in found.integrations))


def revoke(session, clock, account_id: int, actor, ids: tuple[int, ...]) -> int:
    """In the gate's thread: revoke exactly those (refused, nothing changed, if the list moved)."""
    from aesthetix_tui.domain.revoke_stale import revoke_stale

    return len(revoke_stale(session, clock, account_id, actor, len(ids), ids).integrations)


def item_line(item: StaleItem, tz: str, now: datetime) -> Text:
    year = now.astimezone(zone(tz)).year
    when = (f"last used {short_instant(item.last_used_at, tz, year)}" if item.last_used_at
            else f"never used, created {local_short_day(item.created_at, tz, year)}")
    return Text.assemble("• ", literal(item.name, style="bold"), f"  {when}")


class RevokeStaleModal(TypedConfirmModal):
    input_id = "confirm-count"
    button_id = "revoke-stale-button"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="revoke_stale.cancel")]

    def __init__(self, stale: Stale, tz: str, now: datetime) -> None:
        super().__init__(id="revoke-stale")
        self.stale = stale
        self.tz = tz
        self.now = now
        self.count = str(len(stale.items))

    def compose(self) -> ComposeResult:
        many = plural(len(self.stale.items), "stale integration")
        with Vertical(classes="dialog danger revoke-stale-dialog"):
            yield Static(f"Revoke {many}?", classes="dialog-title")
            yield Static(f"Stale: {self.stale.words}.", classes="dialog-hint")
            with VerticalScroll(id="stale-list"):
                for item in self.stale.items:
                    yield Static(item_line(item, self.tz, self.now), classes="stale-item")
            yield Static(f"! {WARNING}", classes="dialog-warning")
            yield Static(f"Type {self.count} (how many are listed) to confirm:", classes="dialog-body confirm-label")
            yield Input(placeholder=self.count, id="confirm-count", compact=True)
            yield Static("", id="confirm-error")
            yield cancel_and(Button(f"Revoke {self.count}", id="revoke-stale-button", variant="error", compact=True,
                                    disabled=True, action="screen.confirm"))

    def expected(self) -> tuple[str, ...]:
        return (self.count,)

    def mismatch(self) -> str:
        return f"Type {self.count}, the number of integrations listed, or press Escape."

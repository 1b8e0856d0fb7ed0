"""One integration: its scopes, grouped, and its history from the audit trail.

Dismisses with the name of an action to run on it ("edit", "rotate", ...) or None.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from aesthetix_tui.domain.catalog import scopes as catalog
from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.domain.integration_state import IntegrationState
from aesthetix_tui.ui.shown import markup_safe
from aesthetix_tui.ui.widgets.integration_text import expiry_line, hint_text, history_sentence, status_words


def grouped_scopes(scopes) -> dict[str, list[str]]:
    known = catalog()
    groups: dict[str, list[str]] = {}
    for name in scopes:
        group = known[name].group if name in known else "Other"
        groups.setdefault(group, []).append(name)
    return dict(sorted(groups.items()))


class IntegrationDetailModal(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="integration_detail.close"),
        Binding("e", "pick('edit')", "Edit", id="integration_detail.edit"),
        Binding("r", "pick('rotate')", "Rotate", id="integration_detail.rotate"),
        Binding("c", "pick('cancel_rotation')", "Cancel rotation", id="integration_detail.cancel_rotation"),
        Binding("x", "pick('expire_old')", "Expire old now", id="integration_detail.expire_old"),
        Binding("delete", "pick('revoke')", "Revoke", id="integration_detail.revoke"),
    ]

    def __init__(self, detail, now: datetime, tz: str) -> None:
        super().__init__(id="integration-detail")
        self.detail = detail
        self.now = now
        self.tz = tz
        self.state = detail.row.state(now)

    def actions(self) -> list[tuple[str, str, str]]:
        """(action, key, label) that apply to this integration now."""
        if self.state == IntegrationState.REVOKED:
            return []
        found = [("edit", "e", "Edit")]
        if self.state == IntegrationState.ROTATING:
            found += [("cancel_rotation", "c", "Cancel rotation"), ("expire_old", "x", "Expire old now")]
        else:
            found += [("rotate", "r", "Rotate")]
        found += [("revoke", "del", "Revoke")]
        return found

    def compose(self) -> ComposeResult:
        from aesthetix_tui.domain.audit import actor_text

        row, tz = self.detail.row, self.tz
        with Vertical(classes="dialog detail-dialog"):
            yield Static(markup_safe(row.name), classes="dialog-title")
            with VerticalScroll(id="detail-body"):
                if row.description:
                    yield Static(markup_safe(row.description), classes="muted detail-description")
                state_style = {IntegrationState.ACTIVE: "$text-success", IntegrationState.ROTATING: "$text-warning",
                               IntegrationState.EXPIRED: "$text-error", IntegrationState.REVOKED: "$text-muted"}
                lines = [
                    f"[b]Status[/b]     [{state_style[self.state]}]{markup_safe(status_words(row, self.now, tz, long=True))}[/]",
                    f"[b]Token[/b]      {markup_safe(hint_text(row.hint))} (only the end of a token is ever shown)",
                ]
                if self.state == IntegrationState.ROTATING:
                    lines.append(f"[b]Old token[/b]  {markup_safe(hint_text(row.old_hint))} works until "
                                 f"{format_instant(row.old_expires_at, tz)}")
                lines.append(f"[b]Expires[/b]    {expiry_line(row, self.now, tz)}")
                lines += [
                    f"[b]Created[/b]    {format_instant(row.created_at, tz)} by {markup_safe(row.created_by)}",
                    f"[b]Last used[/b]  {format_instant(row.last_used_at, tz) if row.last_used_at else 'never'}",
                ]
                yield Static("\n".join(lines), id="detail-facts")
                yield Static(f"Scopes ({len(row.scopes)})", classes="detail-heading")
                yield Static("\n".join(f"[b]{markup_safe(group)}[/b]: {markup_safe(', '.join(names))}"
                                       for group, names in grouped_scopes(row.scopes).items()),
                             id="detail-scopes")
                yield Static("History", classes="detail-heading")
                yield Static("\n".join(
                    f"[dim]{format_instant(e.at, tz)}[/]  [b]{markup_safe(actor_text(e))}[/b]  "
                    f"{markup_safe(history_sentence(e.action, e.details, tz))}"
                    for e in self.detail.history
                ) or "[dim]No recorded events.[/]", id="detail-history")
            with Horizontal(classes="dialog-buttons"):
                for action, key, label in self.actions():
                    yield Button(f"{label} ({key})", id=f"detail-{action}", compact=True,
                                 variant="error" if action == "revoke" else "default",
                                 action=f"screen.pick({action!r})")
                yield Button("Close", id="detail-close", variant="primary", compact=True,
                             action="screen.close")

    def on_mount(self) -> None:
        self.query_one("#detail-close", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            return parameters[0] in {a for a, _, _ in self.actions()}
        return True

    def action_pick(self, action: str) -> None:
        self.dismiss(action)

    def action_close(self) -> None:
        self.dismiss(None)

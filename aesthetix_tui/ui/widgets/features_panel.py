"""Deprecated features: a checkbox each, and Update to save them together."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Static

from aesthetix_tui.ui.widgets.text_checkbox import TextCheckbox


class FeaturesPanel(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Deprecated features"
        self.saved: dict[str, bool] = {}
        self.names: dict[str, str] = {}
        # The settings version the user's edits are based on (sent as expected_version), and
        # the newest one read. A reload under unsaved edits keeps the former, so saving them
        # over someone else's change is refused rather than silently merged.
        self.version: int | None = None
        self.latest_version: int | None = None

    def compose(self) -> ComposeResult:
        yield Vertical(id="feature-list")
        with Horizontal(classes="actions"):
            yield Button("Update", id="update-features", variant="primary", compact=True, disabled=True,
                         action="screen.update_features")
            yield Static("", id="unsaved", classes="unsaved")

    def show(self, states, version: int | None = None, discard_edits: bool = False) -> None:
        """Take the saved settings; a box the user has changed keeps its value, unless
        discard_edits (after a stale update: the fresh saved values replace the edits)."""
        pending = {} if discard_edits else self.changes()
        box_list = self.query_one("#feature-list", Vertical)
        if not self.saved:
            for state in states:
                f = state.feature
                box_list.mount(
                    TextCheckbox(f.name, state.enabled, id=f"feature-{f.key}", compact=True),
                    Static(f"{f.description} Replaced by [b]{f.replacement}[/b].", classes="muted feature-note"),
                )
        self.saved = {s.feature.key: s.enabled for s in states}
        self.names = {s.feature.key: s.feature.name for s in states}
        for key, value in self.saved.items():
            if key not in pending:
                box = self.query_one(f"#feature-{key}", Checkbox)
                with box.prevent(Checkbox.Changed):
                    box.value = value
        self.latest_version = version
        if self.version is None or not self.changes():
            self.version = version
        self.mark()

    def wanted(self) -> dict[str, bool]:
        return {key: self.query_one(f"#feature-{key}", Checkbox).value for key in self.saved}

    def changes(self) -> dict[str, bool]:
        if not self.saved:
            return {}
        return {k: v for k, v in self.wanted().items() if self.saved.get(k) != v}

    def mark(self) -> None:
        changes = self.changes()
        if not changes:
            self.version = self.latest_version  # nothing pending: edits start from the newest read
        self.query_one("#update-features", Button).disabled = not changes
        unsaved = self.query_one("#unsaved", Static)
        unsaved.update(f"● {len(changes)} unsaved change{'s' if len(changes) != 1 else ''}" if changes
                       else "No changes to save")
        unsaved.set_class(not changes, "-none")
        # (No "-dirty" class here: no style used it, and toggling a class restyles the whole panel.)
        self.screen.refresh_bindings()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.mark()

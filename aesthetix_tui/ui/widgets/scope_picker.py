"""Choose scopes: grouped by resource group, filtered by typing, with a live count.

Keys in the list: Enter or Space toggles a scope; on a group's heading it selects
(or clears) every read-only scope of that group. Typing any letter filters.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from aesthetix_tui.domain.catalog import Scope, scopes

GROUP, SCOPE = "group:", "scope:"


def catalog_choices() -> list[Scope]:
    return list(scopes().values())


class ScopeList(OptionList):
    """The options; letters typed here go to the filter box."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", "Toggle", show=False, id="scopes.toggle")]

    def on_key(self, event: Key) -> None:
        if event.is_printable and event.character and event.character != " ":
            event.stop()
            event.prevent_default()
            box = self.parent.query_one("#scope-filter", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)


class ScopePicker(Vertical):
    """The chosen scopes are `chosen` (a set of names); Changed is posted on every change."""

    class Changed(Message):
        def __init__(self, picker: ScopePicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> ScopePicker:
            return self.picker

    def __init__(self, choices: list[Scope] | None = None, chosen=(), **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices if choices is not None else catalog_choices()
        self.by_name = {c.name: c for c in self.choices}
        self.groups: dict[str, list[Scope]] = {}
        for choice in self.choices:
            self.groups.setdefault(choice.group, []).append(choice)
        self.chosen: set[str] = {name for name in chosen if name in self.by_name}
        self.query_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="scope-head"):
            yield Static("Scopes", classes="field-label")
            yield Input(placeholder="type to filter scopes", id="scope-filter", compact=True, select_on_focus=False)
            yield Static("", id="scope-count")
        yield ScopeList(id="scope-options")

    def on_mount(self) -> None:
        self.rebuild()
        self.show_count()

    # -- what is shown ---------------------------------------------------------------

    def visible(self) -> dict[str, list[Scope]]:
        text = self.query_text.strip().lower()
        if not text:
            return self.groups
        shown = {}
        for group, items in self.groups.items():
            if text in group.lower():
                shown[group] = items
                continue
            hits = [c for c in items if text in c.name.lower() or text in c.description.lower()]
            if hits:
                shown[group] = hits
        return shown

    def group_prompt(self, group: str) -> Text:
        read_only = [c.name for c in self.groups[group] if c.read_only]
        text = Text(group, style="bold")
        if read_only:
            done = all(name in self.chosen for name in read_only)
            label = "clear read-only" if done else f"select all read-only ({len(read_only)})"
            text.append(f"  enter: {label}", style="italic dim")
        return text

    def scope_prompt(self, choice: Scope) -> Text:
        mark = "[x]" if choice.name in self.chosen else "[ ]"
        text = Text(f"  {mark} ")
        text.append(choice.name, style="bold" if choice.name in self.chosen else "")
        text.append(f"  {choice.description}", style="dim")
        return text

    def rebuild(self) -> None:
        options = self.query_one(ScopeList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        items: list[Option] = []
        for group, choices in self.visible().items():
            items.append(Option(self.group_prompt(group), id=GROUP + group))
            items.extend(Option(self.scope_prompt(c), id=SCOPE + c.name) for c in choices)
        options.set_options(items)
        if not items:
            options.add_option(Option(Text("No scope matches that filter.", style="dim"), disabled=True))
            return
        ids = [o.id for o in items]
        options.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def refresh_prompts(self, names: set[str], groups: set[str]) -> None:
        options = self.query_one(ScopeList)
        for name in names:
            try:
                options.replace_option_prompt(SCOPE + name, self.scope_prompt(self.by_name[name]))
            except OptionDoesNotExist:  # not shown under the current filter
                pass
        for group in groups:
            try:
                options.replace_option_prompt(GROUP + group, self.group_prompt(group))
            except OptionDoesNotExist:
                pass

    def show_count(self) -> None:
        total = len(self.choices)
        read_only = sum(1 for name in self.chosen if self.by_name[name].read_only)
        detail = f" ({read_only} read-only)" if self.chosen else ""
        self.query_one("#scope-count", Static).update(f"{len(self.chosen)} of {total} chosen{detail}")

    # -- changes ---------------------------------------------------------------------

    def toggle(self, name: str) -> None:
        if name in self.chosen:
            self.chosen.discard(name)
        else:
            self.chosen.add(name)
        self.changed({name}, {self.by_name[name].group})

    def toggle_read_only(self, group: str) -> None:
        """Select all read-only scopes of the group; if all are chosen already, clear them."""
        names = {c.name for c in self.groups[group] if c.read_only}
        if names <= self.chosen:
            self.chosen -= names
        else:
            self.chosen |= names
        self.changed(names, {group})

    def set_chosen(self, names) -> None:
        before = set(self.chosen)
        self.chosen = {n for n in names if n in self.by_name}
        touched = before ^ self.chosen
        self.changed(touched, {self.by_name[n].group for n in touched})

    def changed(self, names: set[str], groups: set[str]) -> None:
        self.refresh_prompts(names, groups)
        self.show_count()
        self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected, "#scope-options")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(SCOPE):
            self.toggle(option_id[len(SCOPE):])
        elif option_id.startswith(GROUP):
            self.toggle_read_only(option_id[len(GROUP):])

    @on(Input.Changed, "#scope-filter")
    def filtered(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value
        self.rebuild()

    @on(Input.Submitted, "#scope-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(ScopeList).focus()

    def on_key(self, event: Key) -> None:
        box = self.query_one("#scope-filter", Input)
        if event.key == "down" and box.has_focus:
            event.stop()
            self.query_one(ScopeList).focus()
        elif event.key == "escape" and box.has_focus and box.value:
            event.stop()
            box.value = ""

"""Create or edit a Private Integration: name, description, scopes (and, creating, when its
token expires). Errors show inline. Escape or Cancel asks before typed changes are thrown away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain import integration_expiry  # plain rules: loads no database code
from aesthetix_tui.domain.dates import format_day, plural
from aesthetix_tui.domain.errors import Conflict, DomainError, InvalidInput, StaleWrite
from aesthetix_tui.ui.modals.choose_date import ChooseDateModal
from aesthetix_tui.ui.modals.discard import may_discard
from aesthetix_tui.ui.shown import literal, visible
from aesthetix_tui.ui.widgets.scope_picker import ScopePicker

EDIT_NOTE = "Saving keeps the same token: apps that use it keep working."
# Beside a stored value shown with its hidden characters as symbols (␛): it cannot be typed back.
KEPT_NOTE = "Holds characters that cannot be typed (shown as symbols): kept as stored unless you change it."
UNSAVED = "The integration changes you typed are not saved yet."


@dataclass(frozen=True)
class FormValues:
    """Editing, submit gets None for each field the user left as it was: it stays as stored."""
    name: str | None
    description: str | None
    scopes: list[str] | None
    expires: int | date | None = None  # creating: days (a preset), a picked date, or None (never)


Submit = Callable[[FormValues], Awaitable[Any]]
Reload = Callable[[], Awaitable["FormValues | None"]]  # the fresh values, or None when it is gone


class IntegrationFormModal(ModalScreen[Any]):
    """Calls `submit(values)`; a DomainError it raises shows beside its field.

    Dismisses with what `submit` returned, or None when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="integration_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="integration_form.save"),
    ]

    def __init__(self, submit: Submit, *, editing: str | None = None, name: str = "",
                 description: str = "", scopes=(), id: str | None = None, reload: Reload | None = None,
                 today: date | None = None) -> None:
        """today: the account's local date; creating, the form then offers an expiry."""
        # -tall: the header and the footer stay in sight (app.tcss)
        super().__init__(id=id or ("edit-integration" if editing else "create-integration"), classes="-tall")
        self.submit = submit
        self.editing = editing
        # Stored text is shown with its hidden characters visible; a field left alone is not
        # submitted (None), so the stored value stays exactly as it is.
        self.initial = FormValues(visible(name), visible(description), sorted(scopes))
        self.not_typable = {field for field, stored in (("name", name), ("description", description))
                            if visible(stored) != (stored or "")}
        self.saving = False
        self.started: FormValues | None = None  # what the form showed when it opened (values())
        self.reload = reload  # after a stale write: fetch the fresh values to show
        self.today = None if editing else today
        self.expires: int | date | None = None  # the expiry chosen: none (the default), days or a date

    def compose(self) -> ComposeResult:
        title = f"Edit “{self.editing}”" if self.editing else "Create a Private Integration"
        with Vertical(classes="dialog form-dialog"):
            yield Static(literal(title), classes="dialog-title")
            if self.editing:
                yield Static(f"Note: {EDIT_NOTE}", id="edit-note", classes="form-note")
            with Horizontal(classes="field"):
                yield Static("Name", classes="field-label")
                yield Input(self.initial.name, placeholder="e.g. CRM sync", id="name",
                            max_length=max(64, len(self.initial.name)), compact=True)
            yield from self.kept_note("name")
            yield Static("", id="name-error", classes="field-error")
            with Horizontal(classes="field"):
                yield Static("About", classes="field-label")
                # A longer stored value is shown whole (the domain refuses a longer new one).
                yield Input(self.initial.description, placeholder="what it is for (optional)",
                            id="description", max_length=max(500, len(self.initial.description)), compact=True)
            yield from self.kept_note("description")
            yield Static("", id="description-error", classes="field-error")
            yield ScopePicker(chosen=self.initial.scopes, id="scope-picker")
            yield Static("", id="scopes-error", classes="field-error")
            if self.today is not None:  # after the scopes: Tab reaches them as before
                with Horizontal(classes="field", id="expiry-field"):
                    yield Static("Expires", classes="field-label")
                    for key, label in EXPIRY_CHOICES:
                        yield Button(label, id=f"expiry-{key}", compact=True, action=f"screen.expiry({key!r})")
                yield Static("", id="expiry-chosen", classes="form-note")
                yield Static("", id="expires-error", classes="field-error")
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Static("ctrl+s save · esc cancel", classes="form-hint")
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button("Save changes" if self.editing else "Create", id="save", variant="primary",
                             compact=True, action="screen.save")

    def kept_note(self, field: str) -> ComposeResult:
        if field in self.not_typable:
            yield Static(KEPT_NOTE, id=f"{field}-kept", classes="form-note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        for error in self.query(".field-error"):
            error.display = False
        self.show_expiry()
        self.started = self.values()

    # -- expiry (creating) --------------------------------------------------------------

    def show_expiry(self) -> None:
        """The chosen button reads "(•) …", the others "( ) …"; the line under them says when."""
        if self.today is None:
            return
        chosen = self.expiry_key()
        for key, label in EXPIRY_CHOICES:
            self.query_one(f"#expiry-{key}", Button).label = f"({'•' if key == chosen else ' '}) {label}"
        if self.expires is None:
            words = "Never expires (the default)."
        else:
            last = self.today + timedelta(days=self.expires) if isinstance(self.expires, int) else self.expires
            days = plural((last - self.today).days, "day")
            words = f"Works through {format_day(last)}; rotations renew {days}."
        self.query_one("#expiry-chosen", Static).update(words)

    def expiry_key(self) -> str:
        if self.expires is None:
            return "none"
        return str(self.expires) if isinstance(self.expires, int) else "date"

    @work(exclusive=True, group="integration-form-action")  # it may wait for the date dialog
    async def action_expiry(self, key: str) -> None:
        if self.today is None or self.saving:
            return
        if key == "date":
            today = self.today
            choice = await self.app.push_screen_wait(ChooseDateModal(
                today, integration_expiry.window(today),
                [(days, today + timedelta(days=days)) for days in integration_expiry.PRESETS],
                chosen=self.expires if isinstance(self.expires, date) else None,
                title="When the token expires", submit_label="Choose", submit_words="Choose $day", ask_reason=False,
                intro="It works through the day you choose, in the account's timezone.",
                chosen_words="The token will work through [b]$day[/b].", id="expiry-date"))
            if choice is None:
                return
            self.expires = choice.until
        else:
            self.expires = None if key == "none" else int(key)
        self.show_error("expires", "")
        self.show_expiry()

    # -- errors ------------------------------------------------------------------------

    def show_error(self, field: str, message: str) -> None:
        widget = self.query_one(f"#{field}-error", Static)
        widget.update(literal(f"✗ {message}" if message else ""))
        widget.display = bool(message)

    def clear_errors(self) -> None:
        for field in ("name", "description", "scopes", "form") + (("expires",) if self.today else ()):
            self.show_error(field, "")

    @on(Input.Changed, "#name")
    def name_changed(self) -> None:
        self.show_error("name", "")

    @on(ScopePicker.Changed)
    def scopes_changed(self) -> None:
        if self.query_one(ScopePicker).chosen:
            self.show_error("scopes", "")

    # -- actions -------------------------------------------------------------------------

    def values(self) -> FormValues:
        return FormValues(
            self.query_one("#name", Input).value.strip(),
            self.query_one("#description", Input).value.strip(),
            sorted(self.query_one(ScopePicker).chosen),
            self.expires,
        )

    @on(Input.Submitted, "#name, #description")
    def field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def touched(self, values: FormValues) -> FormValues:
        """Editing: None for each field as the form opened with it (the domain keeps it, and says
        "Nothing to change" when nothing is left). Creating: every field."""
        if not self.editing or self.started is None:
            return values
        start = self.started
        return FormValues(*(None if new == old else new for new, old in (
            (values.name, start.name), (values.description, start.description), (values.scopes, start.scopes))),
            values.expires)

    def changed(self) -> bool:
        """True when name, description or scopes differ from what the form opened with."""
        return self.values() != self.started

    @work(exclusive=True, group="integration-form-action")  # it may wait for the question
    async def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.changed() or await may_discard(self.app, UNSAVED):
            self.dismiss(None)

    @work(exclusive=True, group="integration-form")
    async def action_save(self) -> None:
        if self.saving:
            return
        values = self.values()
        self.clear_errors()
        problems = missing(values)
        for problem in problems:
            self.show_error(field_of(problem), problem.message)
        if problems:
            self.focus_first_error()
            return
        self.saving = True
        self.query_one("#save", Button).disabled = True
        try:
            result = await self.submit(self.touched(values))
        except StaleWrite as error:
            # Changed elsewhere since the form opened: say who and when, and show the fresh values.
            self.notify(error.message, severity="warning", title="Changed elsewhere", timeout=10)
            fresh = await self.reload() if self.reload else None
            if fresh is None:
                self.dismiss(None)
                return
            self.set_values(fresh)
            self.show_error("form", error.message)
            return
        except DomainError as error:
            self.show_error(field_of(error), error.message)
            self.focus_first_error()
            return
        finally:
            self.saving = False
            self.query_one("#save", Button).disabled = False
        self.dismiss(result)

    def set_values(self, values: FormValues) -> None:
        self.query_one("#name", Input).value = visible(values.name)
        self.query_one("#description", Input).value = visible(values.description)
        self.query_one(ScopePicker).set_chosen(values.scopes)
        self.started = self.values()  # the fresh values: nothing typed is left to lose

    def focus_first_error(self) -> None:
        targets = {"name": "#name", "description": "#description", "scopes": "#scope-options",
                   "expires": f"#expiry-{self.expiry_key()}"}
        for field, selector in targets.items():
            if self.query(f"#{field}-error") and self.query_one(f"#{field}-error").display:
                self.query_one(selector).focus()
                return


FIELDS = ("name", "description", "scopes", "expires")
# The expiry choices: none, the domain's presets (integration_expiry.PRESETS), a date.
EXPIRY_CHOICES = (("none", "never"), *((str(days), f"{days} days") for days in integration_expiry.PRESETS),
                  ("date", "date…"))


def field_of(error: DomainError) -> str:
    """Where the form shows an error: beside the field an InvalidInput names (error.field), a
    Conflict (the name is taken, or the integration was revoked) beside the name, any other below."""
    if isinstance(error, Conflict):
        return "name"
    field = getattr(error, "field", None)
    return field if field in FIELDS else "form"


def missing(values: FormValues) -> list[InvalidInput]:
    """The domain's errors for an empty name and for no scope, checked before submitting (both
    show at once); anything else the domain refuses comes back from submit."""
    from aesthetix_tui.domain import integrations  # here: it loads the database stack

    problems = []
    for given, check in ((values.name, integrations.check_name), (values.scopes, integrations.check_scopes)):
        if not given:
            try:
                check(given)
            except InvalidInput as error:
                problems.append(error)
    return problems

"""Business Profile: Support Access, the legacy API key, deprecated features."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.lazy import Lazy
from textual.reactive import var
from textual.widgets import Header, Static

from aesthetix_tui.domain.dates import format_day, plural
from aesthetix_tui.domain.errors import DomainError, StaleWrite
from aesthetix_tui.domain.support_status import allowed_window, extend_window, preset_dates
from aesthetix_tui.ui.cancelled import say_cancelled
from aesthetix_tui.ui.database_gate import support_preview
from aesthetix_tui.ui.modals.confirm import ConfirmModal
from aesthetix_tui.ui.palette import Command
from aesthetix_tui.ui.screens.account_screen import AccountScreen
from aesthetix_tui.ui.shown import literal
from aesthetix_tui.ui.widgets.features_panel import FeaturesPanel
from aesthetix_tui.ui.widgets.key_bar import HEADER_ICON, KeyBar
from aesthetix_tui.ui.widgets.legacy_key_panel import LegacyKeyPanel
from aesthetix_tui.ui.widgets.requests_panel import RequestsPanel
from aesthetix_tui.ui.widgets.support_access_panel import SupportAccessPanel

NO_REQUEST = "There is no pending support request."
# The screen's actions whose rule is the domain's: SupportState and LegacyKeyState (allowed_actions, why_not).
SUPPORT_ACTIONS = {"enable_support": "enable", "extend_support": "extend", "revoke_support": "revoke"}
KEY_ACTIONS = {"regenerate_key": "regenerate", "disable_key": "disable", "enable_key": "enable"}
REVOKE_WARNING = (
    "Revoking immediately ends any ongoing support session. Support cannot get back in "
    "unless you enable Support Access again."
)


class BusinessProfileScreen(AccountScreen):
    """The owner's main screen. Data comes from workers; the clock ticks the status."""

    NAME = "profile"
    PROBLEM_AT = "#profile-notice"
    CSS_PATH = "../business_profile.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Command("e", "enable_support", "Enable", id="profile.enable_support", tooltip="Enable support access",
                help="Let support in until a date you choose"),
        Command("x", "extend_support", "Extend", id="profile.extend_support", tooltip="Extend support access",
                help="Keep support access on until a later date"),
        Command("r", "revoke_support", "Revoke", id="profile.revoke_support", tooltip="Revoke support access",
                help="End support access and any live session now"),
        Command("y", "approve_request", "Approve", id="profile.approve_request",
                tooltip="Approve support request",
                help="Let the asking agent in: Support Access through the days asked, or a day you choose"),
        Command("n", "decline_request", "Decline", id="profile.decline_request",
                tooltip="Decline support request", help="Refuse the agent's request, with a note if you like"),
        Command("g", "regenerate_key", "New key", id="profile.regenerate_legacy_key",
                tooltip="Regenerate legacy API key", help="Replace the API V1 key; the old one stops working"),
        # One key, two states: k runs whichever of the two applies (check_action).
        Command("k", "disable_key", "Key on/off", id="profile.disable_legacy_key",
                tooltip="Disable or enable legacy API key", title="Disable legacy API key",
                help="Refuse requests made with the API V1 key"),
        Command("k", "enable_key", "Key on/off", id="profile.enable_legacy_key",
                tooltip="Disable or enable legacy API key", title="Enable legacy API key",
                help="Accept the API V1 key again"),
        Command("u", "update_features", "Update", id="profile.update_features",
                tooltip="Update deprecated features", help="Save the deprecated-feature checkboxes"),
    ]

    profile = var(None, always_update=True, bindings=True)  # the ProfileData shown; None until loaded

    def __init__(self) -> None:
        super().__init__(id="business-profile", classes="-loading")  # from the start: no restyle on mount
        self.discard_edits = False  # the next load replaces unsaved feature edits (after a stale update)

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with VerticalScroll(id="profile-body", can_focus=False):
            yield Static("Opening the database…", id="profile-notice")
            yield SupportAccessPanel(id="support-panel", classes="section")
            yield RequestsPanel(id="requests-panel", classes="section")
            # Hidden until the full load: mounted after the first frame, which they would only delay.
            yield Lazy(LegacyKeyPanel(id="legacy-panel", classes="section"))
            yield Lazy(FeaturesPanel(id="features-panel", classes="section"))
        yield KeyBar()

    def on_mount(self) -> None:  # then AccountScreen's: load, and tick every second
        self.set_class(True, "-loading")
        self.preview()

    # -- data ----------------------------------------------------------------

    async def read(self, account):
        from aesthetix_tui.domain import profile

        return await self.app.gate.read(profile.read, account.id, self.app.clock)

    def preview(self) -> None:
        """Support Access in the first frame: a few-millisecond read with stdlib sqlite3 (no
        database stack) while the full load runs; it replaces this with the same status."""
        found = support_preview(self.app.target, self.app.account_ref)
        if found is not None and self.profile is None:
            timezone, grant, support_session = found
            panel = self.query_one(SupportAccessPanel)
            panel.show(grant, timezone, self.app.clock.now(), support_session)
            panel.styles.display = "block"  # shown while the other sections wait (inline: no restyle)

    def show(self, data) -> None:
        self.profile = data  # the keys follow what is shown (bindings=True)
        self.set_class(False, "-loading")
        self.query_one("#profile-notice").display = False
        tz = data.account.timezone
        self.query_one(SupportAccessPanel).show(data.grant, tz, self.app.clock.now(), data.support_session,
                                                data.extended_for)
        self.query_one(RequestsPanel).show(data.requests, tz, self.app.clock.now())
        self.query_one(LegacyKeyPanel).show(data.legacy_key, tz)
        self.query_one(FeaturesPanel).show(data.features, data.features_version, self.discard_edits)
        self.discard_edits = False
        if self.focused is None:
            self.call_after_refresh(self.query_one("#support-switch").focus)

    def is_loaded(self) -> bool:
        return self.profile is not None

    def watched(self) -> tuple[int, int]:
        return self.profile.account.id, self.profile.marker

    def clock_moved(self) -> None:
        now = self.app.clock.now()
        if self.query_one(SupportAccessPanel).tick(now) | self.query_one(RequestsPanel).tick(now):
            self.refresh_bindings()

    # -- when an action applies -------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.profile is None:
            return not (self.is_command(action) or action == "toggle_key") or None
        key = self.profile.legacy_key
        if action in SUPPORT_ACTIONS:
            return self.query_one(SupportAccessPanel).status.allows(SUPPORT_ACTIONS[action])
        if action in KEY_ACTIONS:
            return key.allows(KEY_ACTIONS[action])
        pending = self.query_one(RequestsPanel).first is not None
        rules = {
            "approve_request": pending,
            "decline_request": pending,
            "toggle_key": key.allows("disable") or key.allows("enable"),  # the key panel's button
            "update_features": bool(self.query_one(FeaturesPanel).changes()),
        }
        return rules.get(action, True)

    def why_not_now(self, action: str) -> str:
        if action in SUPPORT_ACTIONS:
            why = self.query_one(SupportAccessPanel).status.why_not(SUPPORT_ACTIONS[action])
        elif action in KEY_ACTIONS:
            why = self.profile.legacy_key.why_not(KEY_ACTIONS[action])
        elif action in ("approve_request", "decline_request"):
            why = NO_REQUEST
        else:
            why = "No deprecated feature was changed: tick or clear a box first."
        return why or super().why_not_now(action)

    def has_unsaved_changes(self) -> bool:
        panels = self.query(FeaturesPanel)  # none yet in the first moments (Lazy)
        return bool(panels and panels.first().changes())

    # -- Support Access ----------------------------------------------------------

    def window(self):
        """Today and the last day Support Access may run to (the domain's rule)."""
        return allowed_window(self.profile.account, self.app.clock)

    def presets(self):
        return preset_dates(self.profile.account, self.app.clock)

    @on(SupportAccessPanel.SwitchFlipped)
    def switch_flipped(self, event: SupportAccessPanel.SwitchFlipped) -> None:
        if event.on:
            self.action_enable_support()
        else:
            self.action_revoke_support()

    @work(exclusive=True, group="profile-action")
    async def action_enable_support(self) -> None:
        if self.profile is None:
            return
        panel = self.query_one(SupportAccessPanel)
        if why := panel.status.why_not("enable"):
            panel.reset_switch()
            self.notify(why, severity="warning")
            return
        today, last = self.window()
        from aesthetix_tui.ui.modals.choose_date import ChooseDateModal  # not needed for the first frame

        choice = await self.app.push_screen_wait(ChooseDateModal(today, (today, last), self.presets()))
        if choice is None:
            panel.reset_switch()
            self.cancelled("Support Access stays off.")
            return
        from aesthetix_tui.domain import support_access

        status = await self.change(support_access.enable, choice.until, reason=choice.reason)
        if status is not None:
            self.notify(f"Support Access is on: available through {format_day(status.until_date)}.",
                        title="Support Access enabled")
        panel.reset_switch()

    @work(exclusive=True, group="profile-action")
    async def action_extend_support(self) -> None:
        panel = self.query_one(SupportAccessPanel)
        if self.profile is None or not panel.status.allows("extend"):
            return
        today, last = self.window()
        current = panel.status.until_date
        if current >= last:
            self.notify(f"Support Access already runs to the {self.profile.account.support_max_days}-day "
                        "maximum; it cannot be extended further today.", severity="warning")
            return
        from aesthetix_tui.ui.modals.choose_date import ChooseDateModal

        unchanged = f"Support Access stays on through {format_day(current)}."
        window = extend_window(self.profile.account, self.app.clock, current)
        choice = await self.app.push_screen_wait(ChooseDateModal(today, window, self.presets(), extend_from=current))
        if choice is None:
            self.cancelled(unchanged)
            return
        confirmed = await self.app.push_screen_wait(ConfirmModal(
            "Extend Support Access?",
            f"Support Access will remain active until {format_day(choice.until)}.",
            "Save", id="extend-confirm",
        ))
        if not confirmed:
            self.cancelled(unchanged)
            return
        from aesthetix_tui.domain import support_access

        status = await self.change(support_access.extend, choice.until, expected_version=self.grant_version())
        if status is not None:
            self.notify(f"Support Access will remain active until {format_day(status.until_date)}.",
                        title="Support Access extended")

    @work(exclusive=True, group="profile-action")
    async def action_revoke_support(self) -> None:
        panel = self.query_one(SupportAccessPanel)
        if self.profile is None or not panel.status.allows("revoke"):
            panel.reset_switch()
            return
        confirmed = await self.app.push_screen_wait(ConfirmModal(
            "Revoke Support Access?", REVOKE_WARNING, "Revoke access", danger=True, id="revoke-confirm",
        ))
        if confirmed:
            from aesthetix_tui.domain import support_access

            if await self.change(support_access.revoke, expected_version=self.grant_version()) is not None:
                self.notify("Support Access is off. Any support session has ended.", title="Access revoked")
        else:
            self.cancelled(f"Support Access stays on through {format_day(panel.status.until_date)}.")
        panel.reset_switch()

    # -- support requests ------------------------------------------------------------

    @work(exclusive=True, group="profile-action")
    async def action_approve_request(self) -> None:
        """The date dialog, preset to the days asked (capped by the policy); then approve."""
        request = self.query_one(RequestsPanel).first
        if self.profile is None or request is None:
            return
        from aesthetix_tui.domain import support_requests

        try:
            first, last, preset = await self.app.gate.call(support_requests.approve_window, self.app.clock,
                                                           request.id)
        except DomainError as error:
            self.notify(error.message, severity="error", title="Not done", timeout=8)
            self.load()
            return
        from aesthetix_tui.ui.modals.choose_date import ChooseDateModal

        status = self.query_one(SupportAccessPanel).status
        current = status.until_date if status.is_active else None
        # Stored text shown literally; the line break is the dialog's own.
        intro = literal(f"{request.agent} asks for {plural(request.days, 'day')} · ticket {request.ticket}")
        if current is not None:
            intro.append(f"\nOn through {format_day(current)}: approving extends it.")
        choice = await self.app.push_screen_wait(ChooseDateModal(
            self.window()[0], (first, last), self.presets(), extend_from=current, chosen=preset,
            title="Approve support request", intro=intro, submit_label="Approve", ask_reason=False,
            id="approve-request"))
        if choice is None:
            self.cancelled(f"the request from {request.agent} is still pending.")
            return

        def approve(session, clock, account_id, until, actor):
            return support_requests.approve(session, clock, request.id, until, actor)

        done = await self.change(approve, choice.until)
        if done is not None:
            self.notify(f"Support Access is on through {format_day(done.approved_until)} for {done.agent} "
                        f"(ticket {done.ticket}).", title="Request approved")

    @work(exclusive=True, group="profile-action")
    async def action_decline_request(self) -> None:
        """A note (optional), then decline; a refused note shows in the dialog."""
        request = self.query_one(RequestsPanel).first
        if self.profile is None or request is None:
            return
        from aesthetix_tui.domain import profile, support_requests
        from aesthetix_tui.ui.modals.decline_request import DeclineRequestModal

        account_id, clock, actor = self.profile.account.id, self.app.clock, self.app.actor

        def decline_then_read(session, note):
            result = support_requests.decline(session, clock, request.id, note, actor)
            return result, profile.read(session, account_id, clock)

        async def submit(note):
            return await self.app.gate.call(decline_then_read, note)

        answer = await self.app.push_screen_wait(
            DeclineRequestModal(request.sentence(self.profile.account.timezone), submit))
        if answer is None:
            self.cancelled(f"the request from {request.agent} is still pending.")
            return
        done, data = answer
        if self.is_attached:
            self.show(data)
        self.notify(f"Declined the request from {done.agent} (ticket {done.ticket}).", title="Request declined")

    # -- legacy API key -------------------------------------------------------------

    @work(exclusive=True, group="profile-action")
    async def action_regenerate_key(self) -> None:
        if self.profile is None:
            return
        if self.profile.legacy_key.exists:
            question = ConfirmModal(
                "Regenerate the legacy API key?",
                "The current API V1 key stops working at once; every app that uses it must be given "
                "the new key. API V1 is deprecated: prefer a Private Integration.",
                "Regenerate key", danger=True, id="regenerate-confirm")
        else:
            question = ConfirmModal(
                "Create a legacy API key?",
                "API V1 is deprecated: prefer a Private Integration, with scopes and a token you can "
                "rotate. Create an API V1 key only for an app that cannot use one yet.",
                "Create key", id="regenerate-confirm")
        confirmed = await self.app.push_screen_wait(question)
        if not confirmed:
            self.cancelled("the legacy API key is unchanged." if self.profile.legacy_key.exists
                           else "no legacy API key was created.")
            return
        from aesthetix_tui.domain import legacy_key

        new = await self.change(legacy_key.regenerate, expected_version=self.profile.legacy_key.version)
        if new is not None:
            from aesthetix_tui.ui.modals.show_secret import ShowSecretModal

            await self.app.push_screen_wait(ShowSecretModal(
                "Your new legacy API key", new.key, "key",
                note="API V1 is deprecated; move integrations to Private Integrations when you can.",
            ))

    @work(exclusive=True, group="profile-action")
    async def action_toggle_key(self) -> None:
        """The key panel's button (and k, by its state's name): enable or disable the key."""
        if not self.check_action("toggle_key", ()):  # not loaded, or no key
            return
        from aesthetix_tui.domain import legacy_key

        if self.profile.legacy_key.allows("enable"):
            title, body, label, fn, done = (
                "Enable the legacy API key?", "Requests made with the API V1 key will be accepted again.",
                "Enable key", legacy_key.enable, "The legacy API key is enabled.")
        else:
            title, body, label, fn, done = (
                "Disable the legacy API key?",
                "Requests made with the API V1 key will be refused until you enable it again.",
                "Disable key", legacy_key.disable, "The legacy API key is disabled.")
        if await self.app.push_screen_wait(ConfirmModal(title, body, label, danger=fn is legacy_key.disable,
                                                        id="toggle-key-confirm")):
            if await self.change(fn, expected_version=self.profile.legacy_key.version) is not None:
                self.notify(done)
        else:
            self.cancelled(f"the legacy API key stays {self.profile.legacy_key.state}.")

    # k's two names, one for each state of the key (the footer and the palette word them).
    action_disable_key = action_enable_key = action_toggle_key

    # -- deprecated features ---------------------------------------------------------

    @work(exclusive=True, group="profile-action")
    async def action_update_features(self) -> None:
        panel = self.query_one(FeaturesPanel)
        changes = panel.changes()
        if not changes:
            self.notify("Nothing to update: no feature was changed.")
            return
        from aesthetix_tui.domain import features

        changed = await self.change(features.update, changes, expected_version=panel.version,
                                    discard_on_stale=True)
        if changed is not None:
            names = ", ".join(f"{panel.names[k]} {'on' if changes[k] else 'off'}" for k in changed)
            self.notify(f"Saved: {names}." if names else "Nothing changed.", title="Features updated")

    # -- one way to change things ---------------------------------------------------------

    def grant_version(self) -> int:
        """The version of the Support Access this screen shows (0: never enabled)."""
        grant = self.profile.grant if self.profile else None
        return grant.version if grant is not None else 0

    async def change(self, fn, *args, discard_on_stale: bool = False, **kwargs):
        """Call a domain operation for this account and show the saved state at once (read in
        the same call, so the status and the buttons never disagree); show a refusal, then reload.

        A stale write (someone changed it meanwhile) is told and the fresh state reloaded; with
        discard_on_stale, the fresh saved feature settings replace the user's unsaved edits.
        """
        from aesthetix_tui.domain import profile

        account_id = self.profile.account.id

        def write_then_read(session):
            result = fn(session, self.app.clock, account_id, *args, actor=self.app.actor, **kwargs)
            try:
                return result, profile.read(session, account_id, self.app.clock)
            except DomainError:
                return result, None  # saved; the reload below shows it

        self.busy = True
        try:
            result, data = await self.app.gate.call(write_then_read)
        except StaleWrite as error:
            self.discard_edits = discard_on_stale
            self.notify(error.message, severity="warning", title="Changed elsewhere", timeout=10)
            self.load()
            return None
        except DomainError as error:
            self.notify(error.message, severity="error", title="Not done", timeout=8)
            self.load()
            return None
        finally:
            self.busy = False
        if data is not None and self.is_attached:
            self.show(data)
        else:
            self.load()
        return result

    def cancelled(self, what: str) -> None:
        say_cancelled(self, what)

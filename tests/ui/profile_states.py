"""The visible Business Profile states, shared by snapshot tests and screenshots."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tests.ui.profile_helpers import ready
from tests.ui.toolkit import messages, palette_search, until


@dataclass(frozen=True)
class State:
    seed: dict = field(default_factory=dict)
    size: tuple[int, int] = (80, 24)
    steps: Callable[..., Awaitable[None]] | None = None
    theme: str | None = None  # e.g. "aesthetix-16": the theme a 16-colour terminal gets
    env: dict = field(default_factory=dict)  # e.g. NO_COLOR, set before the app starts


async def quiet_start(pilot) -> None:
    """The profile loaded, its start-up notices cleared."""
    await ready(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def picker_open(pilot) -> None:
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("down", "right")


async def extend_confirmation(pilot) -> None:
    await pilot.press("x")
    await pilot.pause()
    await pilot.press("down", "enter", "enter")
    await until(pilot, lambda: pilot.app.screen.id == "extend-confirm")


def opens(key: str, dialog: str):
    """Steps: press KEY and wait for the dialog with that id."""
    async def steps(pilot) -> None:
        await pilot.press(key)
        await until(pilot, lambda: pilot.app.screen.id == dialog)

    return steps


revoke_modal = opens("r", "revoke-confirm")


async def legacy_key_show_once(pilot) -> None:
    await pilot.press("g")
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "ShowSecretModal")
    pilot.app.clear_notifications()


async def features_unsaved(pilot) -> None:
    pilot.app.screen.query_one("#feature-legacy_campaigns").focus()
    await pilot.press("space")
    await pilot.pause()


async def help_screen(pilot) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


async def palette_finds_other_screen(pilot) -> None:
    """On Business Profile, the palette finds an action of Private Integrations by its name."""
    await palette_search(pilot, "rotate", expect="Rotate token")


async def leave_with_unsaved(pilot) -> None:
    await features_unsaved(pilot)
    await pilot.press("i")
    await until(pilot, lambda: pilot.app.screen.id == "discard-confirm")


async def extend_cancelled(pilot) -> None:
    await extend_confirmation(pilot)
    await pilot.press("escape")
    await until(pilot, lambda: "Cancelled" in " ".join(messages(pilot.app)))


WIDE = (100, 30)
ANSI = "aesthetix-16"

STATES = {
    "support-off": State({"state": "off"}, size=WIDE),
    "support-active": State({"state": "active", "legacy": "enabled"}, size=WIDE),
    "support-ends-soon": State({"state": "ends-soon"}),
    "support-request": State({"request": True}, size=WIDE),
    "support-expired": State({"state": "expired"}, size=WIDE),
    "support-revoked": State({"state": "revoked"}, size=WIDE),
    "picker-open": State(steps=picker_open),
    "extend-confirmation": State({"state": "active"}, steps=extend_confirmation),
    "extend-cancelled": State({"state": "active"}, steps=extend_cancelled),
    "revoke-modal": State({"state": "active"}, steps=revoke_modal),
    "create-key-question": State(steps=opens("g", "regenerate-confirm")),
    "disable-key-question": State({"legacy": "enabled"}, steps=opens("k", "toggle-key-confirm")),
    "legacy-key-show-once": State(steps=legacy_key_show_once),
    "features-unsaved": State(steps=features_unsaved),
    "discard-question": State(steps=leave_with_unsaved),
    "help": State(steps=help_screen),
    "palette-other-screen": State(steps=palette_finds_other_screen),
    "profile-80x24-off": State({"legacy": "enabled"}),
    "profile-80x24-active": State({"state": "active", "legacy": "enabled"}),
    "ansi-off": State({"legacy": "enabled"}, theme=ANSI),
    "ansi-active": State({"state": "active", "legacy": "enabled"}, theme=ANSI),
    "ansi-features-unsaved": State({"legacy": "disabled"}, steps=features_unsaved, theme=ANSI),
    "ansi-revoke-modal": State({"state": "active"}, steps=revoke_modal, theme=ANSI),
    "ansi-picker-open": State(steps=picker_open, theme=ANSI),
    "no-color-active": State({"state": "active", "legacy": "enabled"}, env={"NO_COLOR": "1"}),
}


def run_before(state: State):
    async def run(pilot) -> None:
        await quiet_start(pilot)
        if state.steps is not None:
            await state.steps(pilot)

    return run

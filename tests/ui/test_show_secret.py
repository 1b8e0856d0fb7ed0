"""The show-once modal: copying says only what was sent, the secret stays until "I have stored it",
and saving to a file is the way that cannot fail silently. Only fake secrets appear here."""

from __future__ import annotations

import os
import stat

import pytest
from textual.app import App
from textual.widgets import Button, Input, Static

from aesthetix_tui.ui.modals.show_secret import SaveSecretModal, ShowSecretModal
from tests.ui.integrations_helpers import FAKE_TOKEN
from tests.ui.profile_helpers import FAKE_LEGACY_KEY
from tests.ui.toolkit import listen, messages, settle, titles, until

COPY_SENT = ("Sent to your terminal's clipboard (OSC 52); if your terminal ignores it, "
             "select the text or save it to a file.")
SECRETS = [(FAKE_TOKEN, "token"), (FAKE_LEGACY_KEY, "key")]


class Host(App):
    """Shows one secret, as the screens do, and records how the modal ended."""

    def __init__(self, secret: str, what: str) -> None:
        super().__init__()
        self.secret, self.what = secret, what
        self.closed = False
        listen(self)

    def on_mount(self) -> None:
        self.push_screen(ShowSecretModal("The new secret", self.secret, self.what, note="A note."),
                         lambda _: setattr(self, "closed", True))


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def secret_shown(app) -> bool:
    return (isinstance(app.screen, ShowSecretModal) and app.screen.query_one("#secret").display
            and text_of(app, "#secret") == app.secret)


@pytest.mark.parametrize(("secret", "what"), SECRETS)
async def test_copy_says_what_was_sent_and_keeps_the_secret_on_screen(secret, what):
    app = Host(secret, what)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        assert not app.screen.query_one("#secret-status").display
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == secret
        assert text_of(app, "#secret-status") == COPY_SENT
        assert app.screen.query_one("#secret-status").display
        assert "Copied" not in " ".join(messages(app) + titles(app))
        assert secret_shown(app) and not app.closed

        app.screen.query_one("#copy", Button).press()  # the button does the same
        await pilot.pause()
        assert secret_shown(app) and not app.closed
        assert app.screen.query_one("#secret").allow_select  # the terminal-free way: select it

        app.screen.query_one("#stored", Button).press()  # only this closes it
        await until(pilot, lambda: app.closed)
        assert not isinstance(app.screen, ShowSecretModal)


async def test_the_modal_shows_its_keys_on_its_buttons():
    app = Host(FAKE_TOKEN, "token")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels == ["Copy (c)", "Save to file (s)", "I have stored it"]


async def save_with_keys(pilot, path: str) -> None:
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, SaveSecretModal))
    assert pilot.app.screen.query_one("#save-path", Input).has_focus
    await pilot.press(*path, "enter")
    await pilot.pause()


@pytest.mark.parametrize(("secret", "what"), SECRETS)
async def test_save_to_file_writes_a_private_file_and_says_where(tmp_path, secret, what):
    app = Host(secret, what)
    path = tmp_path / "secret.txt"
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        await save_with_keys(pilot, str(path))
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        assert text_of(app, "#secret-status") == f"Saved to {path} (readable only by you)."
        assert secret_shown(app) and not app.closed
    assert path.read_text() == secret + "\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


async def test_the_path_is_prefilled_and_selected_so_enter_takes_it_and_typing_replaces_it(tmp_path, monkeypatch):
    """Issue 24: as in a file dialog, no deleting the suggested path character by character."""
    monkeypatch.setenv("HOME", str(tmp_path))
    app = Host(FAKE_TOKEN, "token")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SaveSecretModal))
        field = app.screen.query_one("#save-path", Input)
        assert field.has_focus and field.selected_text == field.value == "~/aesthetix-token.txt"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SaveSecretModal))
        await pilot.press(*"other.txt")
        assert app.screen.query_one("#save-path", Input).value == "other.txt"
    assert (tmp_path / "aesthetix-token.txt").read_text() == FAKE_TOKEN + "\n"


async def test_save_refuses_an_existing_file_in_place_and_the_button_works_too(tmp_path):
    app = Host(FAKE_TOKEN, "token")
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        app.screen.query_one("#save", Button).press()
        await until(pilot, lambda: isinstance(app.screen, SaveSecretModal))
        await pilot.press(*str(existing), "enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveSecretModal)  # still asking
        assert app.screen.query_one("#save-error").display
        assert text_of(app, "#save-error") == f"{existing} already exists; choose a new file name."

        app.screen.query_one("#save-path", Input).value = str(tmp_path / "token.txt")
        app.screen.query_one("#save-file", Button).press()
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        assert text_of(app, "#secret-status") == f"Saved to {tmp_path / 'token.txt'} (readable only by you)."
    assert existing.read_text() == "keep me\n"
    assert (tmp_path / "token.txt").read_text() == FAKE_TOKEN + "\n"


async def test_cancelling_the_save_goes_back_to_the_secret(tmp_path):
    app = Host(FAKE_TOKEN, "token")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SaveSecretModal))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        assert secret_shown(app) and not app.closed
        assert not app.screen.query_one("#secret-status").display
    assert list(tmp_path.iterdir()) == []


async def test_from_the_integrations_screen_the_new_token_is_saved(ui_db, monkeypatch, clock):
    """End to end: create an integration (fake token), copy, save it, then say it is stored."""
    from aesthetix_tui.ui.widgets.scope_picker import ScopePicker
    from tests.ui.integrations_helpers import READ, fake_tokens, seed
    from tests.ui.toolkit import make_app

    seed(ui_db, clock, lambda *args: None)
    fake_tokens(monkeypatch)
    app = make_app(ui_db, clock)
    path = ui_db.parent / "zapier-token.txt"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Zapier")
        app.screen.query_one(ScopePicker).set_chosen([READ])
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        await pilot.press("c")
        await pilot.pause()
        assert text_of(app, "#secret-status") == COPY_SENT
        assert text_of(app, "#secret") == FAKE_TOKEN
        await save_with_keys(pilot, str(path))
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        assert text_of(app, "#secret-status") == f"Saved to {path} (readable only by you)."
        assert text_of(app, "#secret") == FAKE_TOKEN
        app.screen.query_one("#stored", Button).press()
        await until(pilot, lambda: not isinstance(app.screen, ShowSecretModal))
    assert path.read_text() == FAKE_TOKEN + "\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600

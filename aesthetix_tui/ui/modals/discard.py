"""The one question every form asks before unsaved input is thrown away."""

from __future__ import annotations

from aesthetix_tui.ui.modals.confirm import ConfirmModal


def discard_modal(what: str) -> ConfirmModal:
    """"Discard unsaved changes?" naming what would be lost; Keep editing is focused."""
    return ConfirmModal("Discard unsaved changes?", what, "Discard changes", danger=True,
                        cancel_label="Keep editing", id="discard-confirm")


async def may_discard(app, what: str) -> bool:
    """True when the user agrees to lose the input (call from a worker)."""
    return await app.push_screen_wait(discard_modal(what))

"""The one question every form asks before unsaved input is thrown away."""

from __future__ import annotations

from textual import work

from aesthetix_tui.ui.modals.confirm import ConfirmModal


def discard_modal(what: str) -> ConfirmModal:
    """"Discard unsaved changes?" naming what would be lost; Keep editing is focused."""
    return ConfirmModal("Discard unsaved changes?", what, "Discard changes", danger=True,
                        cancel_label="Keep editing", id="discard-confirm")


async def may_discard(app, what: str) -> bool:
    """True when the user agrees to lose the input (call from a worker)."""
    return await app.push_screen_wait(discard_modal(what))


class CancelAsks:
    """For a dialog (a ModalScreen): Cancel and Escape close it with None, asking first when what is
    typed (`typed()`) is not what it was on mount (`start`, which the dialog keeps then).
    `unsaved` names what would be lost."""

    unsaved = ""

    def typed(self) -> object:
        raise NotImplementedError

    @work(exclusive=True, group="discard-action")
    async def action_cancel(self) -> None:
        if self.typed() == self.start or await may_discard(self.app, self.unsaved):
            self.dismiss(None)

"""One-line notices that pick the longest wording that fits, and the API V1 deprecation banner."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

LEGACY_ON_PROFILE = (
    "! API V1 is deprecated. Build new integrations with Private Integrations "
    "(press [b]i[/b]): scoped, rotatable tokens."
)
LEGACY_ON_INTEGRATIONS = (
    "! API V1 (the legacy API key) is deprecated: build new integrations here, as Private Integrations.",
    "! API V1 is deprecated: build new integrations here, as Private Integrations.",
    "! API V1 is deprecated: build new integrations as Private Integrations.",
    "! API V1 is deprecated: use Private Integrations.",
)


class FittedText(Static):
    """Shows the first of its wordings (longest first) that fits on one line."""

    def __init__(self, wordings: tuple[str, ...] | list[str], **kwargs) -> None:
        super().__init__(wordings[0], **kwargs)
        self.wordings = tuple(wordings)

    def on_resize(self, event: Resize) -> None:
        self.fit(self.size.width)  # the content width, inside any padding

    def fit(self, width: int) -> None:
        for wording in self.wordings:
            if Text.from_markup(wording).cell_len <= width:
                self.update(wording)
                return
        self.update(self.wordings[-1])


class DeprecationBanner(FittedText):
    """API V1 is deprecated. On Business Profile it offers the key to jump to Private Integrations."""

    def __init__(self, on_integrations: bool = False, **kwargs) -> None:
        wordings = LEGACY_ON_INTEGRATIONS if on_integrations else (LEGACY_ON_PROFILE,)
        kwargs.setdefault("classes", "banner")
        super().__init__(wordings, **kwargs)

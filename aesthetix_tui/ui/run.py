"""Start the TUI. Imported only when the TUI is asked for."""

from __future__ import annotations

from aesthetix_tui.config import DatabaseTarget


def run_tui(target: DatabaseTarget, account_ref: str | None = None) -> None:
    from aesthetix_tui.ui.app import AesthetixApp
    from aesthetix_tui.ui.settings import default_settings_path

    AesthetixApp(target, settings_path=default_settings_path(), account_ref=account_ref).run()

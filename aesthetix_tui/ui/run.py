"""Start the TUI. Imported only when the TUI is asked for.

`make_app` is the one place the app is built, from what the command line has (as Posting's
`make_posting`): `aesthetix-tui` runs what it returns, and the tests build theirs with it too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from aesthetix_tui.config import DatabaseTarget, resolve_target

if TYPE_CHECKING:
    from aesthetix_tui.clock import Clock
    from aesthetix_tui.ui.app import AesthetixApp


def make_app(database: DatabaseTarget | str | os.PathLike, clock: Clock | None = None, *,
             account_ref: str | None = None, actor_name: str | None = None,
             settings_path: Path | None = None) -> AesthetixApp:
    """The TUI on DATABASE (a resolved target, or a SQLite file's path as --db takes it).
    CLOCK: the system's unless an in-process caller fixes it; ACCOUNT_REF: --account;
    ACTOR_NAME: only in-process callers fix it (else it comes from the connection);
    SETTINGS_PATH: where the theme and the last account are kept (None: nowhere)."""
    from aesthetix_tui.ui.app import AesthetixApp

    target = database if isinstance(database, DatabaseTarget) else resolve_target(db=os.fspath(database))
    return AesthetixApp(target, clock, settings_path=settings_path, actor_name=actor_name,
                        account_ref=account_ref)


def run_tui(target: DatabaseTarget, account_ref: str | None = None, clock: Clock | None = None) -> None:
    from aesthetix_tui.ui.settings import default_settings_path

    make_app(target, clock, account_ref=account_ref, settings_path=default_settings_path()).run()

"""The user's TUI preferences (the theme), kept in a small JSON file."""

from __future__ import annotations

import json
from pathlib import Path


def default_settings_path() -> Path:
    import platformdirs

    return platformdirs.user_config_path("aesthetix-tui") / "settings.json"


def load(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save(path: Path | None, data: dict) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2))
    except OSError:
        pass  # preferences are a comfort, never a reason to fail

"""XDG_DATA_HOME and XDG_CONFIG_HOME are honoured, as the README says: the database and the
witness in the data folder, the TUI's settings in the config folder."""

from __future__ import annotations

import sys

import pytest

from aesthetix_tui.config import default_db_path
from aesthetix_tui.ui.settings import default_settings_path
from aesthetix_tui.witness import witness_path


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")
def test_the_xdg_folders_are_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("AESTHETIX_WITNESS", raising=False)
    assert default_db_path() == tmp_path / "data" / "aesthetix-tui" / "aesthetix.db"
    assert witness_path() == tmp_path / "data" / "aesthetix-tui" / "witness.json"
    assert default_settings_path() == tmp_path / "config" / "aesthetix-tui" / "settings.json"

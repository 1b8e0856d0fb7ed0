"""UI fixtures: a database under a fake HOME, so the header shows a stable path."""

from __future__ import annotations

import pytest


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")
    return tmp_path


@pytest.fixture
def ui_db(home):
    return home / "aesthetix.db"

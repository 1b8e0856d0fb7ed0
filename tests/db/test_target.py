"""Choosing the database: --db, --database-url, the environment, and the default file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aesthetix_tui.config import redact_url, resolve_target


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def test_default_file(tmp_path):
    target = resolve_target()
    assert target.is_default
    assert target.path == tmp_path / "xdg" / "aesthetix-tui" / "aesthetix.db"
    assert target.url == f"sqlite:///{target.path}"


def test_db_option(tmp_path):
    target = resolve_target(db=str(tmp_path / "a.db"))
    assert (target.path, target.is_default) == (tmp_path / "a.db", False)


def test_relative_db_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_target(db="rel.db").path == tmp_path / "rel.db"


def test_environment_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("AESTHETIX_DB", str(tmp_path / "env.db"))
    assert resolve_target().path == tmp_path / "env.db"
    monkeypatch.setenv("AESTHETIX_DATABASE_URL", "postgresql+psycopg://u:pw@host/db")
    target = resolve_target()
    assert target.url == "postgresql+psycopg://u:pw@host/db" and target.path is None


def test_options_win_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AESTHETIX_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("AESTHETIX_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    assert resolve_target(db=str(tmp_path / "opt.db")).path == tmp_path / "opt.db"
    assert resolve_target(database_url=f"sqlite:///{tmp_path}/u.db").path == Path(f"{tmp_path}/u.db")


def test_db_and_url_together_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="either --db or --database-url"):
        resolve_target(db=str(tmp_path / "a.db"), database_url="sqlite:///b.db")


def test_memory_url_has_no_file():
    assert resolve_target(database_url="sqlite:///:memory:").path is None


def test_labels_never_show_a_password():
    assert redact_url("postgresql://admin:s3cret@db.example/crm") == "postgresql://***@db.example/crm"
    assert redact_url("postgresql://admin@db.example/crm") == "postgresql://***@db.example/crm"
    target = resolve_target(database_url="postgresql://admin:s3cret@db.example/crm")
    assert "s3cret" not in target.label

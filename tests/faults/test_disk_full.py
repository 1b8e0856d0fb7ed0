"""A SQLite database on a nearly full disk (a small tmpfs): "The disk ... is full", not SQLite's
"disk I/O error" (issue 24, item 10). Needs root to mount; skipped otherwise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def small_disk(tmp_path):
    """A 600 KB tmpfs, unmounted at the end."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk until `leave` bytes are free."""
    free = shutil.disk_usage(disk).free
    with open(disk / "filler", "ab") as f:
        f.write(b"\0" * max(0, free - leave))
    assert shutil.disk_usage(disk).free <= leave


def test_a_full_disk_is_said_full(small_disk, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = small_disk / "x.db"

    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(path), *args], catch_exceptions=False, obj=clock)

    assert run("support-access", "status").exit_code == 0
    fill(small_disk, 20 * 1024)
    for args in (["support-access", "status"], ["support-access", "enable", "--until", "2026-12-01"],
                 ["integrations", "create", "--name", "Zap", "--scope", "contacts.readonly"]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == (f"The disk holding the database {path} is full; free some space and "
                                         "try again."), result.stderr
    (small_disk / "filler").unlink()
    status = run("support-access", "status")
    assert status.exit_code == 0 and "off" in status.stdout
    assert "No Private Integrations yet" in run("integrations", "list").stderr


def test_an_export_onto_a_full_disk_is_said_full(small_disk, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    db, target = tmp_path / "x.db", small_disk / "audit.csv"

    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False, obj=clock)

    for _ in range(40):
        assert run("features", "update", "legacy_campaigns=on").exit_code == 0
        assert run("features", "update", "legacy_campaigns=off").exit_code == 0
    target.write_text("kept\n")
    fill(small_disk, 2 * 1024)
    result = run("audit", "export", "--format", "csv", "--output", str(target), "--force")
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == f"The disk is full, so {target} was not written; free some space and try again."
    assert target.read_text() == "kept\n" and sorted(p.name for p in small_disk.iterdir()) == ["audit.csv", "filler"]

"""`audit export --output PATH --force` replaces a regular file only: a device, a FIFO, a socket
or a folder is refused in one sentence, exit 1, and left as it was (issue 24, item 11)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess

import pytest

from tests.cli.test_cli import ok, refused
from tests.processes import cli_argv

REFUSED = "not a regular file, and only a regular file is ever replaced; choose another path."


@pytest.fixture
def run(db_run):
    return db_run


def export(run, path, *extra: str):
    return run("audit", "export", "--format", "csv", "--output", str(path), *extra)


@pytest.fixture
def full_device(tmp_path):
    """A character device like /dev/full (1, 7), made here so the real one is never at risk."""
    path = tmp_path / "full"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("mknod needs root")
    return path


@pytest.mark.parametrize("force", [["--force"], []])
def test_a_device_is_refused_and_stays_a_device(run, full_device, force):
    message = refused(export(run, full_device, *force))
    assert message == f"{full_device} is a device, {REFUSED}"
    assert stat.S_ISCHR(os.stat(full_device).st_mode)


def test_a_link_to_a_device_is_refused(run, full_device, tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(full_device)
    assert refused(export(run, link, "--force")) == f"{link} is a device, {REFUSED}"
    assert link.is_symlink() and stat.S_ISCHR(os.stat(full_device).st_mode)


def test_a_fifo_is_refused(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert refused(export(run, fifo, "--force")) == f"{fifo} is a named pipe (FIFO), {REFUSED}"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_socket_is_refused(run, tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        assert refused(export(run, path, "--force")) == f"{path} is a socket, {REFUSED}"
    assert stat.S_ISSOCK(os.stat(path).st_mode)


def test_a_folder_is_one_sentence_too(run, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    assert refused(export(run, folder, "--force")) == (f"{folder} is a folder; give a file name, "
                                                        f"e.g. {folder / 'audit.csv'}.")
    assert folder.is_dir() and not any(folder.iterdir())


def test_a_regular_file_is_still_replaced_with_force(run, tmp_path):
    path = tmp_path / "audit.csv"
    path.write_text("old\n")
    refused(export(run, path), "already exists")
    ok(export(run, path, "--force"))
    assert path.read_text().startswith("seq,")


@pytest.mark.sqlite_only  # a child process on a file
def test_writing_to_a_full_device_on_stdout_is_said_full(run, db, full_device):
    """Without --output, the export goes to stdout; a full device there is said full."""
    ok(run("support-access", "status"))
    with open(full_device, "w") as out:
        child = subprocess.run(cli_argv("--db", str(db), "audit", "export", "--format", "csv"),
                               stdout=out, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert child.returncode == 74, child.stderr
    assert child.stderr.strip() == ("The output could not be written (the disk is full); anything this command "
                                    "changed was saved.")

"""Saving a shown-once secret to a new file: mode 0600, never over an existing path."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager

import pytest

from aesthetix_tui.secret_file import SecretFileError, save_secret
from tests.faults.sqlite_faults import immutable
from tests.ui.integrations_helpers import FAKE_TOKEN


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_the_file_is_new_readable_only_by_its_owner_and_holds_the_secret(tmp_path):
    path = save_secret(str(tmp_path / "token.txt"), FAKE_TOKEN)
    assert path == tmp_path / "token.txt"
    assert mode(path) == 0o600
    assert path.read_text() == FAKE_TOKEN + "\n"


def test_0600_whatever_the_umask_lets_through(tmp_path):
    old = os.umask(0)  # the most permissive umask still gives 0600
    try:
        path = save_secret(str(tmp_path / "token.txt"), FAKE_TOKEN)
    finally:
        os.umask(old)
    assert mode(path) == 0o600


def test_surrounding_spaces_and_a_tilde_are_understood(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = save_secret("  ~/token.txt ", FAKE_TOKEN)
    assert path == tmp_path / "token.txt" and path.is_absolute()


def test_a_relative_path_is_saved_in_the_current_folder_and_shown_in_full(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert save_secret("token.txt", FAKE_TOKEN) == tmp_path / "token.txt"


def test_an_existing_file_is_refused_and_left_untouched(tmp_path):
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n")
    os.chmod(existing, 0o644)
    with pytest.raises(SecretFileError) as caught:
        save_secret(str(existing), FAKE_TOKEN)
    assert caught.value.message == f"{existing} already exists; choose a new file name."
    assert existing.read_text() == "keep me\n" and mode(existing) == 0o644


def test_a_symlink_is_refused_and_its_target_not_written(tmp_path):
    target = tmp_path / "target.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(target)  # dangling: O_EXCL still refuses it
    with pytest.raises(SecretFileError, match="already exists; choose a new file name"):
        save_secret(str(link), FAKE_TOKEN)
    assert not target.exists()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(SecretFileError, match="already exists; choose a new file name"):
        save_secret(str(tmp_path), FAKE_TOKEN)


def one_sentence(error: SecretFileError) -> str:
    message = error.message
    assert "\n" not in message and message.endswith("."), message
    return message


def test_a_missing_folder_is_one_sentence(tmp_path):
    with pytest.raises(SecretFileError) as caught:
        save_secret(str(tmp_path / "nowhere" / "token.txt"), FAKE_TOKEN)
    message = one_sentence(caught.value)
    assert message == f"The folder {tmp_path / 'nowhere'} does not exist; create it or choose another."
    assert not (tmp_path / "nowhere").exists()


def test_a_file_used_as_a_folder_is_one_sentence(tmp_path):
    (tmp_path / "plain").write_text("")
    with pytest.raises(SecretFileError) as caught:
        save_secret(str(tmp_path / "plain" / "token.txt"), FAKE_TOKEN)
    assert one_sentence(caught.value) == f"{tmp_path / 'plain'} is not a folder; choose another path."


@contextmanager
def read_only(folder):
    """A folder nobody may create files in: chmod, or chattr +i for root, who ignores modes."""
    if os.geteuid() == 0:
        with immutable(folder):
            yield
        return
    os.chmod(folder, 0o500)
    try:
        yield
    finally:
        os.chmod(folder, 0o700)


def test_a_folder_you_may_not_write_in_is_one_sentence(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked), pytest.raises(SecretFileError) as caught:
        save_secret(str(locked / "token.txt"), FAKE_TOKEN)
    assert one_sentence(caught.value) == f"You may not write in {locked}; choose another folder."
    assert list(locked.iterdir()) == []


def test_an_empty_path_is_one_sentence():
    with pytest.raises(SecretFileError) as caught:
        save_secret("   ", FAKE_TOKEN)
    assert one_sentence(caught.value) == "Give a file to write, e.g. ~/secret.txt."

"""Save a shown-once secret to a new file that only its owner can read.

No Textual here: the show-once modal calls it, and tests call it directly.
"""

from __future__ import annotations

import os
from pathlib import Path


class SecretFileError(Exception):
    """Nothing was saved; the message is one sentence fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def save_secret(path_text: str, secret: str) -> Path:
    """Write `secret` and a newline to a new file with mode 0600; return its full path.

    An existing path (a file, a folder or a symlink) is refused and left untouched.
    """
    text = path_text.strip()
    if not text:
        raise SecretFileError("Give a file to write, e.g. ~/secret.txt.")
    path = Path(os.path.abspath(Path(text).expanduser()))
    folder = path.parent
    try:
        # O_EXCL: never overwrite, never follow a symlink; 0600 from the first byte.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SecretFileError(f"{path} already exists; choose a new file name.") from None
    except FileNotFoundError:
        raise SecretFileError(f"The folder {folder} does not exist; create it or choose another.") from None
    except NotADirectoryError:
        raise SecretFileError(f"{folder} is not a folder; choose another path.") from None
    except PermissionError:
        raise SecretFileError(f"You may not write in {folder}; choose another folder.") from None
    except OSError as error:
        raise SecretFileError(f"Could not create {path}: {error.strerror or error}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(secret + "\n")
    except OSError as error:
        path.unlink(missing_ok=True)  # no half-written secret left behind
        raise SecretFileError(f"Could not write {path}: {error.strerror or error}.") from None
    return path

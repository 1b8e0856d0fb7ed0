"""The witness: each client remembers the newest audit event it has seen, outside the database.

Someone who can write the database can rewrite the audit chain and recompute every hash, or
cut its newest events and move the head back; the chain then verifies. What they cannot reach
is this file, kept by every client in its own data folder: the newest (seq, hash, seen_at) seen
for each (database, account). Reading the trail checks that this event is still there,
unchanged (domain/witness_check.py), then moves the witness forward to the current head.

Both keys come from the database (witness_check.identity): the database's own id, so another
spelling of its path or address (a link, localhost for 127.0.0.1) finds the same witness, and
the account's uid, with the id and name it had, so an account deleted and created again under
the same name or id is reported. A file written before (keyed by the path or URL and the
account's id) is still read: its entry is checked, and the next advance writes the new key.

No database stack here (the domain check is imported inside `check_and_advance`). A missing,
unreadable or corrupt file never stops the app: it counts as empty. A corrupt one is moved
aside to witness.json.corrupt before a new one is written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aesthetix_tui.config import DatabaseTarget

ENV = "AESTHETIX_WITNESS"
VERSION = 2


@dataclass(frozen=True)
class Seen:
    """The newest event a client saw, and when."""

    seq: int
    hash: str
    seen_at: datetime  # aware, UTC


def witness_path() -> Path:
    """AESTHETIX_WITNESS if set (tests), else witness.json in the user's data folder."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    import platformdirs

    return platformdirs.user_data_path("aesthetix-tui") / "witness.json"


# -- which database -------------------------------------------------------------------------

def database_key(target: DatabaseTarget) -> str | None:
    """A stable name for the database, never with a password; None when there is none
    worth remembering (an in-memory SQLite database)."""
    if target.path is not None:
        return "sqlite:" + os.path.realpath(target.path)
    return url_key(target.url)


def url_key(url: str) -> str | None:
    """scheme://host:port/dbname of a URL: no user, no password, no other parameter."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    scheme = scheme.split("+", 1)[0].lower()  # the driver does not change the database
    if scheme == "sqlite":
        return None  # a SQLite file has a path (database_key); without one it is in memory
    # User info as SQLAlchemy (and config.redact_url) reads it: a user, then :password up to "@".
    creds = re.match(r"([^:/@]*)(:[^@]*)?@", rest)
    if creds:
        rest = rest[creds.end():]
    address, _, query = rest.partition("?")
    params = dict(p.partition("=")[::2] for p in query.split("&") if p)
    netloc, _, dbname = address.partition("/")
    host, port = netloc, ""
    match = re.fullmatch(r"(\[[^\]]*\]|[^:]*)(?::(\d*))?", netloc)
    if match:
        host, port = match.group(1), match.group(2) or ""
    host = (host or params.get("host", "")).lower()
    port = port or params.get("port", "")
    dbname = dbname or params.get("dbname", "")
    return f"{scheme}://{host}:{port}/{dbname}"


# -- the file -------------------------------------------------------------------------------

class Unreadable(Exception):
    """The file is there but could not be read: never overwrite it."""


def read_file(path: Path) -> dict | None:
    """The file's contents: {} when missing, None when corrupt; raises Unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise Unreadable(str(error)) from None
    try:
        data = json.loads(raw)
    except ValueError:  # not JSON, or not UTF-8
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("databases", {}), dict):
        return None
    return data


def set_aside(path: Path) -> None:
    try:
        os.replace(path, path.with_name(path.name + ".corrupt"))
    except OSError:
        pass


def load(path: Path | None = None) -> dict:
    """Every entry: {database key: {account id (text): {"seq", "hash", "seen_at"}}}. Never raises."""
    path = path or witness_path()
    try:
        with locked(path, create=False):
            data = read_file(path)
    except (Unreadable, OSError):
        return {}
    return (data or {}).get("databases", {})


def remembered(key: str, account_id: int | str, path: Path | None = None) -> Seen | None:
    """What this client last saw of that account, or None (never seen, or a bad entry)."""
    entry = load(path).get(key, {})
    entry = entry.get(str(account_id)) if isinstance(entry, dict) else None
    return parse_entry(entry)


def parse_entry(entry) -> Seen | None:
    try:
        seq, digest, seen_at = entry["seq"], entry["hash"], datetime.fromisoformat(entry["seen_at"])
    except (TypeError, KeyError, ValueError):
        return None
    if type(seq) is not int or seq < 1 or not isinstance(digest, str) or seen_at.tzinfo is None:
        return None
    return Seen(seq, digest, seen_at.astimezone(UTC))


def advance(key: str, account_id: int | str, seq: int, digest: str, seen_at: datetime,
            path: Path | None = None, about: dict | None = None) -> bool:
    """Remember (seq, hash) if it is newer than what is remembered (only forward), with `about`
    (the account's id and name). True when written. Any file problem: nothing written, no error."""
    if seq < 1:
        return False
    path = path or witness_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with locked(path, create=True):
            data = read_file(path)
            if data is None:  # corrupt: keep it for a look, start a new one
                set_aside(path)
                data = {}
            databases = data.get("databases", {})
            accounts = databases.get(key)
            if not isinstance(accounts, dict):
                accounts = {}
            old = parse_entry(accounts.get(str(account_id)))
            if old is not None and old.seq >= seq:
                return False
            accounts[str(account_id)] = {**(about or {}), "seq": seq, "hash": digest,
                                         "seen_at": seen_at.astimezone(UTC).isoformat()}
            databases[key] = accounts
            write_atomically(path, {"version": VERSION, "databases": databases})
            return True
    except (Unreadable, OSError):
        return False


def write_atomically(path: Path, data: dict) -> None:
    """A temp file (0600) in the same folder, then os.replace: never a half-written witness."""
    fd, temp = tempfile.mkstemp(prefix=".witness-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1, sort_keys=True)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


@contextmanager
def locked(path: Path, create: bool) -> Iterator[None]:
    """Two clients on this machine take turns with the file (a lock file beside it), so one
    cannot write back an older head over the other's newer one. Without fcntl: no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    lock = path.with_name(path.name + ".lock")
    flags = os.O_RDWR | (os.O_CREAT if create else 0)
    try:
        fd = os.open(lock, flags, 0o600)
    except OSError:
        if create:
            raise
        yield  # reading only, and no lock file yet: nobody is writing
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if not create else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# -- check, then advance ------------------------------------------------------------------

def check_and_advance(session, target: DatabaseTarget, account, clock, advance_on_ok: bool = True,
                      path: Path | None = None):
    """The one rule for every reader of the trail (CLI and TUI): is the event this client saw
    last still there, unchanged, in the same account? If so (and advance_on_ok), remember the
    current head.

    Returns domain.witness_check.WitnessCheck; its `problem` is one sentence when not ok.
    """
    from aesthetix_tui.domain import witness_check

    place = where(session, target, account.id)
    if place is None:  # in memory: gone with the process, nothing to remember
        return witness_check.check(session, account.id, None, None)
    key, me, name, spelling = place
    databases = load(path)
    entries = entries_of(databases, key)
    seen = parse_entry(entries.get(me))
    if seen is None and key != spelling:  # a witness written before the ids: moved on its next advance
        seen = parse_entry(entries_of(databases, spelling).get(str(account.id)))
    earlier = [(uid, old.seen_at) for uid, entry in entries.items() if uid != me and isinstance(entry, dict)
               and (entry.get("account_id") == account.id or entry.get("name") == name)
               for old in [parse_entry(entry)] if old is not None]
    result = witness_check.check(session, account.id, seen.seq if seen else None, seen.hash if seen else None,
                                 seen.seen_at if seen else None, earlier=earlier)
    if result.ok and advance_on_ok:
        advance(key, me, result.head_seq, result.head_hash, clock.now(), path,
                about={"account_id": account.id, "name": name})
    return result


def where(session, target: DatabaseTarget, account_id: int) -> tuple[str, str, str, str] | None:
    """(database key, account key, the account's name, the old key by spelling), or None for a
    database in memory."""
    from aesthetix_tui.domain import witness_check

    spelling = database_key(target)
    if spelling is None:
        return None
    ident = witness_check.identity(session, account_id)
    if ident.database:  # an account without a uid (inserted with triggers off) goes by its id
        return f"database:{ident.database}", ident.account or f"id:{account_id}", ident.name, spelling
    # A database without ids (made before they were): as before, by spelling and id.
    return spelling, str(account_id), ident.name, spelling


def entries_of(databases: dict, key: str) -> dict:
    entries = databases.get(key)
    return entries if isinstance(entries, dict) else {}

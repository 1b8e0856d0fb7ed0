"""Where the database lives. Cheap to import: no database stack here."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "AESTHETIX_DB"
ENV_URL = "AESTHETIX_DATABASE_URL"


@dataclass(frozen=True)
class DatabaseTarget:
    """A database to open: a SQLite file path, or any SQLAlchemy URL."""

    url: str
    path: Path | None  # the SQLite file, when there is one
    is_default: bool = False

    @property
    def label(self) -> str:
        """A short name for headers and messages; never shows a password."""
        if self.path is not None:
            home = Path.home()
            try:
                return "~/" + str(self.path.relative_to(home))
            except ValueError:
                return str(self.path)
        return redact_url(self.url)


def redact_url(url: str) -> str:
    """The URL with its whole user-info part (user:password@) and any password= parameter hidden."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    # As SQLAlchemy reads it: user, then an optional :password up to the first @.
    creds = re.match(r"([^:/@]*)(:[^@]*)?@", rest)
    if creds:
        rest = "***@" + rest[creds.end():]
    address, mark, query = rest.partition("?")
    query = re.sub(r"(?i)((?:^|&)password=)[^&]*", r"\1***", query)
    return f"{scheme}://{address}{mark}{query}"


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("aesthetix-tui") / "aesthetix.db"


def resolve_target(db: str | None = None, database_url: str | None = None) -> DatabaseTarget:
    """Options win over environment variables, which win over the default file."""
    if db and database_url:
        raise ValueError("Give either --db or --database-url, not both.")
    if database_url:
        return DatabaseTarget(url=database_url, path=sqlite_path_of(database_url))
    if db:
        path = Path(db).expanduser().absolute()
        return DatabaseTarget(url=f"sqlite:///{path}", path=path)
    if os.environ.get(ENV_URL):
        url = os.environ[ENV_URL]
        return DatabaseTarget(url=url, path=sqlite_path_of(url))
    if os.environ.get(ENV_DB):
        path = Path(os.environ[ENV_DB]).expanduser().absolute()
        return DatabaseTarget(url=f"sqlite:///{path}", path=path)
    path = default_db_path()
    return DatabaseTarget(url=f"sqlite:///{path}", path=path, is_default=True)


def sqlite_path_of(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    if not rest or rest.startswith(":memory:"):
        return None
    return Path(rest.split("?", 1)[0])


def local_timezone_name() -> str:
    """The machine's IANA timezone name, or UTC when it cannot be told."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if (tz and "/" in tz or tz == "UTC") and is_known_zone(tz):
        return tz
    try:
        name = Path("/etc/timezone").read_text().strip()
        if name and is_known_zone(name):
            return name
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target and is_known_zone(target.split("zoneinfo/", 1)[1]):
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def is_known_zone(name: str) -> bool:
    """Seeding the first account must not fail on a TZ that is not a real zone."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
        return True
    except (LookupError, ValueError, OSError):  # not found, a malformed key, a name too long
        return False

"""A throwaway PostgreSQL server for the tests: one cluster per session, one database per test.

The cluster lives in a temp dir (in /dev/shm where there is one: cluster_parent), listens on
127.0.0.1 on a free port (its unix socket sits in the temp dir too), asks every login for its
password (scram-sha-256, as a real server does, never trust), and is stopped and removed at session end. The superuser is `postgres` (PASSWORD); the
logins of the roles tests (`aesthetix`, `alice`, `bob`, `sam`, `tina`) are made by `logins()`. Postgres
refuses to run as root, so when the tests run as root the server runs as the `postgres` system
user (`runuser -u postgres --`) and the temp dir is chowned to it.

A test database is a copy of a migrated template (CREATE DATABASE ... TEMPLATE), which is much
faster than running the migrations for every test. The CLI tests' copy is of a second template,
migrated and seeded by the app's own first open (`pg_seeded_url`), with its own ids (`FRESH_IDS`). The next copy is made in a background thread
while a test runs, and a used one is dropped there too (`take_database`, `give_back`).

The server runs on the tests' clock: libfaketime is preloaded into it, reading the instant from
this process's clock file (`ServerClock`, FAKETIME_TIMESTAMP_FILE, re-read on every call). The
instant is absolute, so the server's now() is exactly the test clock's, and stands still until
the test moves its clock. Nothing a client sends can move it. PostgreSQL's timeouts (lock,
statement, idle in transaction, deadlock) still fire, on real time; pg_sleep() never ends
(it counts on the clock), so a test holds a transaction open from Python instead.

Without server binaries the PostgreSQL tests are skipped, unless AESTHETIX_REQUIRE_PG=1 (set by
.ci/run), where they fail instead.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from aesthetix_tui.clock import ManualClock

REQUIRE_ENV = "AESTHETIX_REQUIRE_PG"
TEMPLATE = "aesthetix_template"
SEEDED = "aesthetix_seeded"
# How a test's database is copied: the files at once, after a checkpoint (cheap without fsync),
# instead of PostgreSQL 15's default of every block through the WAL. Measured: 33-54 ms against
# 58-149 ms a copy, and about half the server's CPU time.
COPY = "STRATEGY FILE_COPY"
PASSWORD = "pg-test-password"
# The roles tests' logins: the schema owner, two account owners and two support agents.
LOGINS = {"aesthetix": "CREATEROLE", "alice": "", "bob": "", "sam": "", "tina": "", "nobody_owns": ""}
# A copy of a database gets its own random ids, as a database built anew has (accounts' uid at
# creation, migration 0008's database id), past the triggers.
FRESH_IDS = ("SET session_replication_role = replica", "UPDATE account SET uid = md5(random()::text || id)",
             "UPDATE database_identity SET id = md5(random()::text)")


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout), or one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where PostgreSQL must be there."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_ENV}=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason} (install Debian's postgresql package to run them)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_libfaketime() -> str | None:
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1") + glob.glob("/usr/lib/faketime/libfaketime.so.1"))
    return found[0] if found else None


class ServerClock:
    """The file the test cluster's clock reads (one per test process, as its cluster is)."""

    path = Path(tempfile.gettempdir() if os.geteuid() != 0 else "/tmp") / f"aesthetix-pg-clock-{os.getpid()}"
    cleanup: ClassVar[list] = []

    @classmethod
    def show(cls, instant: datetime) -> None:
        """The server's time is `instant` from now on, standing still."""
        stamp = instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        temp = cls.path.with_suffix(".new")
        temp.write_text(f"{stamp}\n")
        temp.chmod(0o644)
        temp.replace(cls.path)  # atomic: a server process never reads half a line
        if not cls.cleanup:
            cls.cleanup.append(atexit.register(cls.path.unlink, missing_ok=True))


class ClusterClock(ManualClock):
    """The tests' clock (tests/conftest.py), which is the test cluster's clock too."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        ServerClock.show(self.now())

    def advance(self, delta: timedelta) -> None:
        super().advance(delta)
        ServerClock.show(self.now())

    def set(self, when: datetime) -> None:
        super().set(when)
        ServerClock.show(self.now())


def server_env() -> dict[str, str]:
    """The environment the server's tools are started in (UTC), without any faketime settings
    of a suite run under `faketime`; server_clock() holds what puts the server on a clock."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FAKETIME") and not (k == "LD_PRELOAD" and "faketime" in v)}
    return {**env, "TZ": "UTC"}


def server_clock(faked: bool = True) -> dict[str, str]:
    """The variables that put the server on the tests' clock (ServerClock), given to the server's
    own tools only (`env` after the switch to the postgres user), never to runuser or su: a
    libfaketime loaded as root hands its root-only semaphore (FAKETIME_SHARED) down to the
    postgres processes, which then fail to start when a stale one of libfaketime's files in
    /dev/shm (left by a killed process) has the number they would use instead.
    Not FAKED: nothing, the machine's own clock."""
    if not faked:
        return {}
    library = find_libfaketime()
    if library is None:
        unavailable("libfaketime is missing (install Debian's faketime package): the server runs on the tests' clock")
    if not ServerClock.path.exists():
        from tests.conftest import START

        ServerClock.show(START)
    return {"LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": str(ServerClock.path),
            "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}


def cluster_parent(in_memory: bool) -> str | None:
    """Where a cluster's folder goes. IN_MEMORY: /dev/shm when there is one, since a test
    cluster creates and drops a database's files for every test, and on ext4 creating those
    files was a third of the whole suite's CPU time (the kernel's inode search, measured with
    perf). Otherwise, as root, /tmp itself: the server runs as `postgres`, which must reach the
    folder, and a TMPDIR may sit under /root (/tmp also keeps the socket path short)."""
    if in_memory and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK):
        return "/dev/shm"
    return "/tmp" if os.geteuid() == 0 else None


class PgCluster:
    """initdb + pg_ctl on a temp dir. Use start()/stop() freely; destroy() removes it."""

    def __init__(self, bin_dir: Path, faked: bool = True, in_memory: bool = True) -> None:
        self.bin_dir = bin_dir
        self.faked = faked  # on the tests' clock (server_clock)
        self.root = Path(tempfile.mkdtemp(prefix="aesthetix-pg-", dir=cluster_parent(in_memory)))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.as_user: list[str] | None = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            os.chmod(self.root, 0o700)
            self.as_user = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else None
        self.names = itertools.count(1)
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copies")
        self.spares: dict[str | None, Future] = {}

    def run(self, tool: str, *args: str) -> None:
        clock = [f"{name}={value}" for name, value in server_clock(self.faked).items()]
        command = ["env", *clock, str(self.bin_dir / tool), *args]
        if self.as_user is None:  # no runuser: su works everywhere
            command = ["su", "-s", "/bin/sh", "postgres", "-c", shlex.join(command)]
        else:
            command = self.as_user + command
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root, env=server_env(),
                                check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}{log[-2000:]}")

    def init(self) -> PgCluster:
        secret = self.root / "pwfile"
        secret.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(secret, user.pw_uid, user.pw_gid)
        self.run("initdb", "-D", str(self.data), "-A", "scram-sha-256", "--pwfile", str(secret), "-U", "postgres",
                 "-E", "UTF8", "--locale=C", "--no-sync")
        secret.unlink()
        return self

    def start(self) -> None:
        # Durability does not matter for a throwaway cluster: no fsync makes it much faster, and
        # no WAL beyond crash recovery (wal_level=minimal) makes a test's CREATE DATABASE about
        # three times faster (0.1 s against 0.3 s under libfaketime). No JIT: a plan runs the
        # same way whatever its estimated cost (only the million-row tests' would reach it).
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal "
                   "-c max_wal_senders=0 -c max_connections=200 "
                   "-c timezone=UTC -c log_min_messages=fatal -c jit=off")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        self.background.shutdown(wait=True, cancel_futures=True)
        try:
            self.stop("immediate")
        except RuntimeError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", login: str = "postgres") -> str:
        return f"postgresql+psycopg://{login}:{self.password(login)}@127.0.0.1:{self.port}/{database}"

    @staticmethod
    def password(login: str) -> str:
        return PASSWORD if login == "postgres" else f"{login}-pw"

    def logins(self) -> None:
        """The roles tests' logins, each with its own password (made once per cluster)."""
        for login, options in LOGINS.items():
            self.admin(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN "
                       f"CREATE ROLE {login} LOGIN {options} PASSWORD '{self.password(login)}'; END IF; END $$")

    def admin(self, *statements: str, database: str = "postgres") -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that), as the superuser."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres password={PASSWORD} "
                             f"dbname={database}", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def take_database(self, template: str | None = TEMPLATE) -> str:
        """A fresh copy of the template (None: an empty database), made while the previous test
        ran: the next one is started in the background now (one copy ahead, as create_database)."""
        spare = self.spares.pop(template, None) or self.background.submit(self.create_database, template)
        self.spares[template] = self.background.submit(self.create_database, template)
        return spare.result()

    def give_back(self, name: str) -> None:
        """Drop a taken database in the background (after any copy already started)."""
        self.background.submit(self.drop_database, name)

    def create_database(self, template: str | None = TEMPLATE) -> str:
        name = f"test_{os.getpid()}_{next(self.names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE {template or "template0"} {COPY}')
        if template == SEEDED:
            self.admin(*FRESH_IDS, database=name)
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def build_template(self) -> None:
        """A database at the newest migration, without the seeded account."""
        from aesthetix_tui.db.engine import make_engine
        from aesthetix_tui.db.migrate import upgrade

        self.admin(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 {COPY}")
        engine = make_engine(self.url(TEMPLATE))
        try:
            upgrade(engine)
        finally:
            engine.dispose()

    def seeded_template(self) -> str:
        """The template as the first command leaves an empty database: migrated and seeded by the
        app's own open ('My Business' at START, in UTC), built on first use."""
        if not getattr(self, "seeded_built", False):
            from aesthetix_tui.config import local_timezone_name, resolve_target
            from aesthetix_tui.domain.seed import open_database
            from tests.conftest import START

            assert local_timezone_name() == "UTC", "the CLI tests' first command runs in UTC"
            self.admin(f"CREATE DATABASE {SEEDED} TEMPLATE template0 {COPY}")
            open_database(resolve_target(database_url=self.url(SEEDED)), ClusterClock(START)).dispose()
            self.seeded_built = True
        return SEEDED


def start_cluster(faked: bool = True) -> PgCluster:
    """A running cluster (FAKED: on the tests' clock), or skip/fail when that is impossible here."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        unavailable("no PostgreSQL server binaries were found (/usr/lib/postgresql/*/bin/initdb)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            unavailable("the tests run as root and there is no `postgres` user to run the server as")
    cluster = PgCluster(bin_dir, faked)
    try:
        cluster.init().start()
    except Exception as error:  # noqa: BLE001 - any failure to start says why (skip, or fail under REQUIRE_ENV)
        cluster.destroy()
        unavailable(f"a test cluster could not be started: {error}")
    return cluster


def serving(faked: bool = True) -> Iterator[PgCluster]:
    """A fixture's body: a running cluster (FAKED: on the tests' clock) with its migrated
    template, destroyed afterwards."""
    cluster = start_cluster(faked)
    try:
        cluster.build_template()
        yield cluster
    finally:
        cluster.destroy()


def lent(cluster: PgCluster, template: str | None = TEMPLATE) -> Iterator[str]:
    """A fixture's body: the URL of a fresh copy of TEMPLATE (None: an empty database) for one
    test, dropped afterwards."""
    name = cluster.take_database(template)
    yield cluster.url(name)
    cluster.give_back(name)


@pytest.fixture(scope="session")
def pg_server():
    """The session's PostgreSQL cluster, with a migrated template database."""
    yield from serving()


@pytest.fixture
def pg_url(pg_server):
    """A fresh, migrated (not seeded) database for one test; dropped afterwards."""
    yield from lent(pg_server)


@pytest.fixture
def pg_empty_url(pg_server):
    """A fresh, empty database: the app migrates and seeds it on first open, as in real use."""
    yield from lent(pg_server, None)


@pytest.fixture
def pg_seeded_url(pg_server):
    """A fresh database as the first command leaves an empty one (PgCluster.seeded_template), with
    its own ids; dropped afterwards. Needs TZ=UTC and the clock at START (tests/cli's `db`)."""
    yield from lent(pg_server, pg_server.seeded_template())


@pytest.fixture
def pg_own_cluster():
    """A cluster of this test's own, for tests that stop and start the server."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.destroy()

"""A shared PostgreSQL database as the roles tests need it: made and migrated by the schema
owner `aesthetix`, set up with `roles setup`, `alice` owning "My Business", `bob` owning
"Other Shop", `sam` and `tina` support agents. Every login signs in with its password (scram-sha-256)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.clock import ManualClock
from tests.conftest import START
from tests.pg_server import FRESH_IDS, ClusterClock, PgCluster


@dataclass
class Shared:
    server: PgCluster
    name: str
    clock: ManualClock

    def url(self, login: str) -> str:
        return self.server.url(self.name, login)

    def cli(self, login: str, *args: str, input: str | None = None):
        """`aesthetix-tui --database-url URL ARGS…` as that login, in this process, on the clock."""
        return CliRunner().invoke(cli, ["--database-url", self.url(login), *args], obj=self.clock, input=input)

    def psql(self, login: str, *sql: str) -> subprocess.CompletedProcess:
        """Plain psql as that login: what anyone with the password can do without the app (each
        statement its own -c, in one session)."""
        env = {**os.environ, "PGPASSWORD": self.server.password(login)}
        # The server's own psql binary: Debian's /usr/bin/psql is a Perl wrapper that picks it.
        statements = [arg for one in sql for arg in ("-c", one)]
        return subprocess.run([str(self.server.bin_dir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                               "-h", "127.0.0.1", "-p", str(self.server.port), "-U", login, "-d", self.name, *statements],
                              capture_output=True, text=True, env=env, check=False)

    def value(self, login: str, *sql: str) -> str:
        result = self.psql(login, *sql)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def ok(self, login: str, *args: str, input: str | None = None):
        result = self.cli(login, *args, input=input)
        assert result.exit_code == 0, (result.output, result.exception)
        return result


def server_now(server: PgCluster):
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres password={server.password('postgres')} "
                         "dbname=postgres") as conn:
        return conn.execute("SELECT now()").fetchone()[0]


def make_shared(server: PgCluster) -> Shared:
    """A fresh shared database: a copy of the server's shared template (built_shared), remade
    first when the cluster's logins, memberships or settings are no longer those it was built
    with (a test changed them), so a copy is what building it anew would give."""
    server.logins()
    template = getattr(server, "shared_template", None)
    if template is None or template[1] != cluster_state(server):
        if template is not None:
            server.drop_database(template[0])
        built = build_shared(server)
        server.shared_template = template = (built.name, cluster_state(server))
    name = f"roles_{os.getpid()}_{next(server.names)}"
    server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template[0]}'",
                 f'CREATE DATABASE "{name}" OWNER aesthetix TEMPLATE "{template[0]}"')
    server.admin(*FRESH_IDS, database=name)
    return Shared(server, name, ClusterClock(START))


def build_shared(server: PgCluster) -> Shared:
    """The shared database built through the CLI, as its schema owner and the owners would."""
    name = f"roles_{os.getpid()}_{next(server.names)}"
    server.admin(f'CREATE DATABASE "{name}" OWNER aesthetix TEMPLATE template0')
    # One clock for the app and the server (tests/pg_server.py): row-level security judges
    # grants by the server's now().
    shared = Shared(server, name, ClusterClock(START))
    shared.ok("aesthetix", "accounts", "list")  # the first open migrates and seeds "My Business"
    shared.ok("aesthetix", "accounts", "create", "Other Shop", "--timezone", "UTC")
    shared.ok("aesthetix", "roles", "setup")
    shared.ok("aesthetix", "roles", "add-owner", "alice", "--account", "My Business")
    shared.ok("aesthetix", "roles", "add-owner", "bob", "--account", "Other Shop")
    shared.ok("aesthetix", "roles", "add-agent", "sam")
    shared.ok("aesthetix", "roles", "add-agent", "tina")
    return shared


CLUSTER_STATE = (("SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, "
                  "rolbypassrls, rolconnlimit, rolpassword, rolvaliduntil FROM pg_catalog.pg_authid ORDER BY 1"),
                 ("SELECT roleid::regrole::text, member::regrole::text, grantor::regrole::text, admin_option "
                  "FROM pg_catalog.pg_auth_members ORDER BY 1, 2, 3"),
                 ("SELECT d.datname, s.setrole::regrole::text, s.setconfig FROM pg_catalog.pg_db_role_setting s "
                  "LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase ORDER BY 1, 2"))


def cluster_state(server: PgCluster) -> list:
    """What the cluster holds outside any one database (a copy does not carry it): every role's
    attributes and password, the memberships, the per-role settings."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres password={server.password('postgres')} "
                         "dbname=postgres") as conn:
        return [conn.execute(query).fetchall() for query in CLUSTER_STATE]


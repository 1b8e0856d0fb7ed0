"""`make bench-scale` (issue 23): the shared PostgreSQL database at 1,000 and 1,000,000 accounts.

For each size a throwaway cluster (tests/pg_server.py, with pg_stat_statements) is built and
bulk-loaded with SQL (generate_series): the accounts, 1,000 open grants, `alice` owning 5 of them,
`sam` a support agent, 100,000 integrations and 5,000,000 audit events spread over the accounts
that are not alice's (hers hold the same rows at every size, so her figures compare like with
like). VERIFY_TOKENS of the integrations get real tokens, for the gateway's batch. The accounts and
integrations go in with their triggers off (session_replication_role = replica), each in one
statement that also writes what the triggers would (ACCOUNTS, INTEGRATION_EVENTS: their events
hash-chained, `audit verify` passes); the 5,000,000 filler events after them are not chained.
Each load step's time is printed.

Both sizes stay up side by side, and each command is timed ROUNDS times, the sizes taking turns
(the smaller first in one round, the larger first in the next), after one run of each to warm
both alike: a row is the median of its runs, so a busy moment of the shared machine does not land
on one size only. Then it times what the issue lists and prints one table, with the ratio of
the largest size to the smallest, and for each size the reads that cost the server most
(pg_stat_statements: mean ms and rows), to show any read whose cost grows with the size.
The idle TUI's server time is read with one app per size open at once (idle_together), in
windows read at the same moments, so a busy moment lands on every size alike; measured one size
after the other, a single 30 s window moved the ratio from 0.95× to 1.45× by chance. --keep
leaves the clusters up afterwards (their URLs printed) to look into them with psql:

    python -m tests.benchmarks.scale [--sizes 1000,1000000] [--idle 30] [--together 120]
                                     [--apps 10 --apps-for 60] [--only verify,rounds,...] [--keep]

Not collected by `make test` nor `make bench` (its name does not start with test_). The machine
is shared: develop with small sizes (--sizes 500,20000 --events 100000 --integrations 10000).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.pg_server import PgCluster, find_bin_dir

CLI = [sys.executable, "-m", "aesthetix_tui"]
OPEN_GRANTS = 1000
ALICE_ACCOUNTS = 5
ROUNDS = 5  # timed runs per command and size (after one warm-up run each)
VERIFY_TOKENS = 20_000  # integrations given a real token (the gateway's batch cycles through them)
VERIFY_LINES = 100_000  # lines the gateway's batch sends
# What the bench measures (--only picks some): the timed commands and screens, verify --batch, one
# verify per call, the schema owner's whole list, the idle TUI, the apps open at once.
PARTS = ("rounds", "verify", "verify-one", "full-list", "idle", "apps")


def start(cluster: PgCluster) -> None:
    options = (f"-h 127.0.0.1 -p {cluster.port} -k {cluster.root} -F -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c timezone=UTC "
               "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all "
               "-c track_activity_query_size=256 "
               "-c max_wal_size=4GB -c maintenance_work_mem=256MB -c log_min_messages=fatal")
    cluster.run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-o", options, "-w", "-t", "60", "start")


class Bench:
    def __init__(self, size: int, events: int, integrations: int) -> None:
        self.size, self.events, self.integrations = size, events, integrations
        # On the machine's clock, as the stress test's cluster: a server on the tests' fixed clock
        # reads its clock file inside its timeout signal handler, which can crash it under load.
        # On disk, as a real server's: gigabytes of data, and reads that must cost what they would.
        self.cluster = PgCluster(find_bin_dir(), faked=False, in_memory=False)
        self.cluster.init()
        start(self.cluster)
        self.cluster.logins()
        self.db = "scale"
        self.cluster.admin(f"CREATE DATABASE {self.db} OWNER aesthetix TEMPLATE template0")

    def url(self, login: str) -> str:
        return self.cluster.url(self.db, login)

    def cli(self, login: str, *args: str, rss: bool = False) -> tuple[float, int]:
        """Seconds the command took (a fresh process, as a user runs it), and its peak RSS in KiB
        (its CPU seconds in self.cpu)."""
        began = time.perf_counter()
        process = subprocess.Popen([*CLI, "--database-url", self.url(login), *args], cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   env={**os.environ, "TZ": "UTC"})
        _, status, usage = os.wait4(process.pid, 0)
        took = time.perf_counter() - began
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{login} {' '.join(args)}: {process.stderr.read().decode()}")
        process.stderr.close()
        self.cpu = usage.ru_utime + usage.ru_stime
        return took, usage.ru_maxrss

    def sql(self, statement: str, login: str = "postgres", replica: bool = False, params=None):
        import psycopg

        with psycopg.connect(self.dsn(login), autocommit=True) as conn:
            if replica:
                conn.execute("SET session_replication_role = replica")  # past the append-only triggers
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    def dsn(self, login: str) -> str:
        return self.cluster.url(self.db, login).replace("postgresql+psycopg", "postgresql")

    # -- loading -----------------------------------------------------------------------

    def load(self) -> float:
        """Builds the data, each step timed and printed; the whole load's seconds."""
        began = time.perf_counter()
        n = self.size - 1
        others = "(SELECT id FROM account WHERE id NOT IN (SELECT account_id FROM account_owner))"
        step = max(1, (self.size - ALICE_ACCOUNTS) // OPEN_GRANTS)
        steps = [
            ("migrate and seed", lambda: self.cli("aesthetix", "accounts", "list")),  # the first open seeds "My Business"
            ("roles setup", lambda: self.cli("aesthetix", "roles", "setup")),
            (f"{n:,} accounts", lambda: self.sql(ACCOUNTS, replica=True, params=(n,))),
            ("alice and sam", self.logins),
            (f"{OPEN_GRANTS:,} grants", lambda: self.sql(f"""INSERT INTO support_grant (account_id, until_date,
                     ends_at, reason, enabled_at, enabled_by)
                     SELECT id, current_date + 30, now() + interval '30 days', 'bench', now(), 'alice'
                     FROM (SELECT id, row_number() OVER (ORDER BY id) AS r FROM {others} o) x
                     WHERE r % {step} = 0 LIMIT {OPEN_GRANTS}""")),
            (f"{self.integrations:,} integrations", lambda: self.sql(f"""INSERT INTO integration (account_id, name,
                     description, scopes, token_hash, token_hint, created_at, created_by)
                     SELECT o.id, 'int-' || g, '', 'contacts.readonly', encode(sha256(('tok-' || g)::bytea), 'hex'),
                            'pit-' || right(g::text, 4), now(), 'bench'
                     FROM generate_series(1, {self.integrations}) g
                     JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM {others} o) o
                       ON o.r = g % ({self.size} - {ALICE_ACCOUNTS})""", replica=True)),
            (f"{self.integrations:,} integrations' events", lambda: self.sql(INTEGRATION_EVENTS, replica=True)),
            (f"{self.events:,} audit events", lambda: self.sql(f"""INSERT INTO audit_event (account_id, seq, at,
                     actor, actor_kind, action, target, details, prev_hash, hash)
                     SELECT o.id, 1000 + g / ({self.size} - {ALICE_ACCOUNTS}), now(), 'aesthetix', 'system',
                            'integration.created', 'integration:' || g, '{{}}', repeat('0', 64), repeat('0', 64)
                     FROM generate_series(1, {self.events}) g
                     JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM {others} o) o
                       ON o.r = g % ({self.size} - {ALICE_ACCOUNTS})""", replica=True)),
            (f"{min(VERIFY_TOKENS, self.integrations):,} tokens", lambda: setattr(
                self, "tokens", self.give_tokens(min(VERIFY_TOKENS, self.integrations)))),
            ("vacuum analyze", lambda: self.sql("VACUUM ANALYZE")),
            ("pg_stat_statements", lambda: self.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")),
        ]
        for name, run in steps:
            started = time.perf_counter()
            run()
            print(f"  {self.size:,}: load: {name}: {time.perf_counter() - started:.1f} s", flush=True)
        return time.perf_counter() - began

    def logins(self) -> None:
        for name in self.alice_accounts():
            self.cli("aesthetix", "roles", "add-owner", "alice", "--account", name)
        self.cli("aesthetix", "roles", "add-agent", "sam")

    def give_tokens(self, count: int) -> list[str]:
        """Real tokens for the first COUNT integrations (their hashes stored; no trigger: the rows
        are as the bulk load made them)."""
        from aesthetix_tui.domain import tokens

        made = [tokens.new_pit() for _ in range(count)]
        self.sql("""UPDATE integration i SET token_hash = h.hash
                    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM integration) o
                    JOIN unnest(%s::text[]) WITH ORDINALITY AS h(hash, n) ON h.n = o.n
                    WHERE i.id = o.id""", replica=True, params=([tokens.digest(t) for t in made],))
        return made

    def alice_accounts(self) -> list[str]:
        return ["My Business"] + [f"Client {g:07d}" for g in range(1, ALICE_ACCOUNTS)]

    # -- measuring ---------------------------------------------------------------------

    def verify_batch(self, lines: int = VERIFY_LINES) -> tuple[float, float, float]:
        """`integrations verify --batch --json` as a gateway runs it: LINES tokens on stdin (the
        real ones in turn, every 50th unknown, every 100th malformed), one answer per line.
        Answers per second from the first answer to the last, the whole run's seconds (with the
        process's start), and answers per second of the process's own CPU time (what one core
        does, whatever else the shared machine runs)."""
        import tempfile

        from aesthetix_tui.domain import tokens

        with tempfile.TemporaryFile() as given:
            for n in range(lines):
                token = "pit-malformed" if n % 100 == 99 else tokens.new_pit() if n % 50 == 49 \
                    else self.tokens[n % len(self.tokens)]
                given.write(token.encode() + b"\n")
            given.seek(0)
            began = time.perf_counter()
            process = subprocess.Popen([*CLI, "--database-url", self.url("aesthetix"), "integrations", "verify",
                                        "--batch", "--json", "--scope", "contacts.readonly"], cwd=REPO,
                                       stdin=given, stdout=subprocess.PIPE, env={**os.environ, "TZ": "UTC"})
            first = process.stdout.readline()
            answered = time.perf_counter()
            count = 1 + sum(1 for _ in process.stdout)
            ended = time.perf_counter()
            _, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0 or count != lines or not first.startswith(b'{"valid": true'):
                raise RuntimeError(f"verify --batch: {count} answers for {lines} lines, first {first[:80]!r}")
        return (count - 1) / (ended - answered), ended - began, lines / (usage.ru_utime + usage.ru_stime)

    def verify_rate(self, calls: int = 3000) -> tuple[float, float]:
        """verify() calls per second on one connection, and the server's own time per call (ms)."""
        from aesthetix_tui.clock import SystemClock
        from aesthetix_tui.config import resolve_target
        from aesthetix_tui.domain import integrations
        from aesthetix_tui.domain.actor import Actor
        from aesthetix_tui.domain.seed import open_database

        clock = SystemClock()
        db = open_database(resolve_target(database_url=self.url("aesthetix")), clock)
        try:
            with db.session() as session:
                issued = integrations.create(session, clock, self.first_other_id(), "bench-verify",
                                             ["contacts.readonly"], Actor("aesthetix"))
            self.sql("SELECT pg_stat_statements_reset()")
            with db.session() as session:
                began = time.perf_counter()
                for _ in range(calls):
                    integrations.verify(session, clock, issued.token, "contacts.readonly")
                rate = calls / (time.perf_counter() - began)
            [(server_ms,)] = self.sql("""SELECT sum(total_exec_time) / sum(calls) FROM pg_stat_statements
                                         WHERE query LIKE '%FROM integration%WHERE integration.token_hash =%'""")
            return rate, float(server_ms or 0)
        finally:
            db.dispose()

    def first_other_id(self) -> int:
        return self.sql("SELECT min(id) FROM account WHERE id NOT IN (SELECT account_id FROM account_owner)")[0][0]

    def until_shown(self, make_app, shown) -> float:
        """Seconds from starting the app (headless) until shown(app) is true."""
        async def run() -> float:
            app = make_app()
            began = time.perf_counter()
            async with app.run_test(size=(100, 30)) as pilot:
                while not shown(app):
                    await pilot.pause(0.01)
                    if time.perf_counter() - began > 120:
                        return float("nan")
                return time.perf_counter() - began
        return asyncio.run(run())

    def owner_app(self):
        from aesthetix_tui.clock import SystemClock
        from aesthetix_tui.config import resolve_target
        from aesthetix_tui.ui.app import AesthetixApp

        settings = Path(f"/tmp/aesthetix-scale-{os.getpid()}.json")  # no account remembered
        settings.unlink(missing_ok=True)
        return AesthetixApp(resolve_target(database_url=self.url("alice")), clock=SystemClock(),
                            settings_path=settings)

    def console_app(self):
        from aesthetix_tui.clock import SystemClock
        from aesthetix_tui.config import resolve_target
        from aesthetix_tui.ui.console.app import SupportConsoleApp

        return SupportConsoleApp(resolve_target(database_url=self.url("sam")), agent="sam", clock=SystemClock())

    def idle(self, seconds: float) -> dict:
        """alice's TUI open on Accounts for SECONDS: queries and all statements (BEGIN, SET, COMMIT
        too) per second and the server's time per second (pg_stat_statements), and the most reads
        in flight at once (counted in the app's gate)."""
        found: dict = {}

        async def run() -> None:
            app = self.owner_app()
            async with app.run_test(size=(100, 30)) as pilot:
                while not accounts_shown(app):
                    await pilot.pause(0.05)
                counter = InFlight(app.gate)
                await asyncio.to_thread(self.sql, "SELECT pg_stat_statements_reset()")
                await pilot.pause(seconds)
                found["stats"] = await asyncio.to_thread(self.sql, f"""SELECT
                    coalesce(sum(calls) FILTER (WHERE query !~* '{UTILITY}'), 0), coalesce(sum(calls), 0),
                    coalesce(sum(total_exec_time), 0)
                    FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'alice'""")
                found["most"] = counter.most
                for calls, query in await asyncio.to_thread(self.sql, """SELECT calls, left(regexp_replace(query,
                        '\\s+', ' ', 'g'), 110) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                        WHERE r.rolname = 'alice' ORDER BY calls DESC LIMIT 8"""):
                    print(f"  idle TUI: {calls:>4} × {query}", flush=True)
        asyncio.run(run())
        queries, calls, _ = found["stats"][0]
        # (its server time is measured with every size's app open at once: idle_together)
        return {"queries/s": float(queries) / seconds, "statements/s (with BEGIN, SET, COMMIT)": float(calls) / seconds,
                "reads in flight at once, most": found["most"]}

    def apps(self, count: int, seconds: float) -> dict:
        """COUNT owner TUIs (real processes, headless, each its own application_name) open on
        Accounts for SECONDS at once: statements and server time per second for all of them
        (pg_stat_statements), and from pg_stat_activity sampled every 20 ms, the most statements
        running at once (all apps; one app) and the share of samples with none running."""
        import psycopg

        children = open_apps([self.url("alice") + f"?application_name=bench-app-{n}" for n in range(count)],
                             seconds + 120)
        try:
            most = most_one = busy = samples = 0
            with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
                conn.execute("SELECT pg_stat_statements_reset()")
                began = time.perf_counter()
                while time.perf_counter() - began < seconds:
                    running = [name for (name,) in conn.execute(
                        "SELECT application_name FROM pg_stat_activity WHERE usename = 'alice' "
                        "AND state = 'active'")]
                    samples += 1
                    busy += bool(running)
                    most = max(most, len(running))
                    most_one = max([most_one] + [running.count(name) for name in set(running)])
                    time.sleep(0.02)
                took = time.perf_counter() - began
                [(queries, calls, exec_ms)] = conn.execute(f"""SELECT
                    coalesce(sum(calls) FILTER (WHERE query !~* '{UTILITY}'), 0), coalesce(sum(calls), 0),
                    coalesce(sum(total_exec_time), 0)
                    FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                    WHERE r.rolname = 'alice'""").fetchall()
        finally:
            close_apps(children)
        return {"queries/s, all apps": float(queries) / took,
                "statements/s, all apps (with BEGIN, SET, COMMIT)": float(calls) / took,
                "server ms/s, all apps": float(exec_ms) / took,
                "statements running at once, most (all apps)": most,
                "statements running at once, most (one app)": most_one,
                "samples with a statement running (%)": 100.0 * busy / max(samples, 1)}

    def commands(self) -> dict[str, tuple[str, list[str]]]:
        """The timed commands: their row, login and arguments."""
        first = self.alice_accounts()[0]
        return {"alice: accounts list (s)": ("alice", ["accounts", "list"]),
                "alice: support-access status (s)": ("alice", ["support-access", "status", "--account", first]),
                "alice: audit list (s)": ("alice", ["audit", "list", "--account", first]),
                "sam: support accounts (s)": ("sam", ["support", "accounts"])}

    def screens(self) -> dict:
        return {"alice: TUI until Accounts shows its rows (s)": (self.owner_app, accounts_shown),
                "sam: console until its list shows (s)": (self.console_app, console_shown)}

    def measure(self, idle_seconds: float, apps: int, apps_seconds: float, only=PARTS) -> dict:
        """What is timed once per size (after the rounds), each figure printed as it comes; a
        step that fails is said and left out, the others still run. ONLY: the parts that run."""
        figures: dict = {}

        def step(name: str, take) -> None:
            try:
                found = take()
            except Exception as error:  # noqa: BLE001 - a benchmark's step, said in its output
                print(f"  {self.size:,}: {name} failed: {error!r}", flush=True)
                return
            for key, value in found.items():
                print(f"  {self.size:,} {key}: {value:,.3f}", flush=True)
            figures.update(found)

        def batch() -> dict:
            rate, took, per_cpu = self.verify_batch()
            return {"verify --batch, answers per second (/s)": rate,
                    "verify --batch, answers per CPU second of its process (/s)": per_cpu,
                    f"verify --batch, {VERIFY_LINES:,} lines with the start (s)": took}

        def single() -> dict:
            rate, server_ms = self.verify_rate()
            return {"verify, one token per call, one connection (/s)": rate,
                    "verify: server time per call (ms)": server_ms}

        def full_list() -> dict:
            took, rss = self.cli("aesthetix", "accounts", "list")
            return {"schema owner: accounts list, all rows (s)": took,
                    "schema owner: accounts list, its CPU time (s)": self.cpu,
                    "schema owner: accounts list, peak RSS (MiB)": rss / 1024}

        print(f"  {self.size:,}: the machine's load (1, 5, 15 min) as the measures start: {os.getloadavg()}",
              flush=True)
        if "verify" in only:
            step("verify --batch", batch)
        if "verify-one" in only:
            step("verify", single)
        if "full-list" in only:
            step("the schema owner's list", full_list)
        if "idle" in only:
            step("the idle TUI", lambda: {f"idle TUI: {k}": v for k, v in self.idle(idle_seconds).items()})
        if apps and "apps" in only:
            step(f"{apps} apps", lambda: {f"{apps} apps for {apps_seconds:.0f} s: {k}": v
                                          for k, v in self.apps(apps, apps_seconds).items()})
        return figures

    def costliest(self, top: int = 6) -> list[str]:
        """The logins' statements that took the server most per call (pg_stat_statements)."""
        return [f"  {mean:8.2f} ms × {calls:>4}, {rows:>8} rows: {query}" for mean, calls, rows, query in self.sql(
            rf"""SELECT round(mean_exec_time::numeric, 2), calls, rows,
                       left(regexp_replace(query, '\s+', ' ', 'g'), 160)
                FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                WHERE r.rolname IN ('alice', 'sam') AND query !~* '{UTILITY}'
                ORDER BY mean_exec_time DESC LIMIT {top}""")]

    def close(self) -> None:
        self.cluster.destroy()


# The accounts with their triggers off (session_replication_role = replica: one statement, no
# event per row through the trigger), writing what the triggers would: the uid
# (aesthetix_account_uid), created_at at the server's clock (aesthetix_server_times) and each
# account's "account.created" event by the schema owner, hash-chained as aesthetix_audit_write
# chains it (seq 1 after a zero head; details as aesthetix_json_text writes them), the account's
# audit_seq and audit_head its event's. `audit verify` passes on them.
ACCOUNTS = """WITH a AS (SELECT nextval(pg_get_serial_sequence('account', 'id')) AS id,
                      'Client ' || lpad(g::text, 7, '0') AS name FROM generate_series(1, %s) g),
  e AS (SELECT id, name, '{"name":' || to_jsonb(name)::text || ',"timezone":"UTC"}' AS details FROM a),
  h AS (SELECT e.*, encode(sha256(convert_to(repeat('0', 64) || chr(31) || '1' || chr(31)
          || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || chr(31) || 'aesthetix'
          || chr(31) || 'system' || chr(31) || 'account.created' || chr(31) || 'account:' || id || chr(31)
          || details, 'UTF8')), 'hex') AS hash FROM e),
  made AS (INSERT INTO account (id, uid, name, timezone, support_max_days, created_at, audit_seq, audit_head,
                                settings_version, agent_policy, stale_unused_days, stale_new_days)
           SELECT id, md5(random()::text || clock_timestamp()::text || id::text), name, 'UTC', 30, now(), 1, hash,
                  0, 'read-only', 90, 30 FROM h)
INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details, prev_hash, hash)
SELECT id, 1, now(), 'aesthetix', 'system', 'account.created', 'account:' || id, details, repeat('0', 64), hash
FROM h"""

# The bulk-loaded integrations' "integration.created" events, as their trigger (off in the load)
# would have written them by the schema owner (details as aesthetix_json_text writes them): each account's chained on from its head in id
# order (the recursion takes every account's k-th integration at step k), then the accounts'
# audit_seq and audit_head moved to their last event.
INTEGRATION_EVENTS = """WITH RECURSIVE
  i AS (SELECT id, account_id, row_number() OVER (PARTITION BY account_id ORDER BY id) AS k,
               '{"hint":' || to_jsonb(token_hint)::text || ',"name":' || to_jsonb(name)::text || ',"scopes":['
               || (SELECT string_agg(to_jsonb(w)::text, ',') FROM regexp_split_to_table(btrim(scopes), '\\s+') w)
               || ']}' AS details
        FROM integration WHERE created_by = 'bench'),
  c AS (SELECT a.id AS account_id, 0::bigint AS k, a.audit_seq AS seq, coalesce(nullif(a.audit_head, ''),
               repeat('0', 64)) AS hash, NULL::text AS prev, NULL::integer AS integration, NULL::text AS details
        FROM account a WHERE a.id IN (SELECT account_id FROM i)
        UNION ALL
        SELECT c.account_id, c.k + 1, c.seq + 1, encode(sha256(convert_to(c.hash || chr(31) || (c.seq + 1)::text
                 || chr(31) || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || chr(31)
                 || 'aesthetix' || chr(31) || 'system' || chr(31) || 'integration.created' || chr(31)
                 || 'integration:' || i.id || chr(31) || i.details, 'UTF8')), 'hex'), c.hash, i.id, i.details
        FROM c JOIN i ON i.account_id = c.account_id AND i.k = c.k + 1),
  written AS (INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details,
                                       prev_hash, hash)
              SELECT account_id, seq, now(), 'aesthetix', 'system', 'integration.created',
                     'integration:' || integration, details, prev, hash FROM c WHERE k > 0)
UPDATE account a SET audit_seq = last.seq, audit_head = last.hash
FROM (SELECT DISTINCT ON (account_id) account_id, seq, hash FROM c ORDER BY account_id, k DESC) last
WHERE a.id = last.account_id"""
UTILITY = r"^\s*(BEGIN|COMMIT|ROLLBACK|SET|RESET|SHOW)\y"  # a PostgreSQL regex (\y: a word boundary)


class InFlight:
    """Wraps gate._run: the most calls running at once."""

    def __init__(self, gate) -> None:
        import threading

        self.run, self.lock, self.now, self.most = gate._run, threading.Lock(), 0, 0
        gate._run = self

    def __call__(self, *args):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self.run(*args)
        finally:
            with self.lock:
                self.now -= 1


def open_apps(urls: list[str], seconds: float) -> list[subprocess.Popen]:
    """An owner TUI per URL (`--app`: a real process, headless, on Accounts), each open SECONDS,
    once all of them show their rows."""
    children = [subprocess.Popen([sys.executable, "-m", "tests.benchmarks.scale", "--app", url,
                                  "--apps-for", str(seconds)], cwd=REPO, stdout=subprocess.PIPE,
                                 env={**os.environ, "TZ": "UTC"}) for url in urls]
    try:
        for child in children:
            if child.stdout.readline().strip() != b"shown":
                raise RuntimeError("an app did not show its accounts")
    except BaseException:
        close_apps(children)
        raise
    return children


def close_apps(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.kill()
        child.wait()


IDLE_WINDOWS = 12  # the windows idle_together reads, each size's at the same moments
# alice's statements in pg_stat_statements: how many, their server time (ms) and shared buffers
ALICE_TOTALS = """SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0),
                         coalesce(sum(shared_blks_hit + shared_blks_read), 0)
                  FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'alice'"""


def idle_together(benches: dict[int, Bench], seconds: float, windows: int = IDLE_WINDOWS) -> dict[int, dict]:
    """alice's TUI open on Accounts at every size at once (one real process per size), watched
    SECONDS in WINDOWS windows; at the end of each, every size's pg_stat_statements is read at the
    same moment, so a busy moment of the shared machine lands on every size alike. Per size: the
    server's time per statement (the median of the windows), the statements per second, their
    product (the server's time per second), and the shared buffers a statement touches (a count:
    whatever the machine's load)."""
    import psycopg

    sizes = sorted(benches)
    children = open_apps([benches[size].url("alice") + "?application_name=bench-idle" for size in sizes],
                         seconds + 120)
    try:
        conns = {size: psycopg.connect(benches[size].dsn("postgres"), autocommit=True) for size in sizes}
        try:
            for conn in conns.values():
                conn.execute("SELECT pg_stat_statements_reset()")
            last = {size: (0, 0.0, 0) for size in sizes}
            per_call: dict[int, list[float]] = {size: [] for size in sizes}
            began = time.perf_counter()
            for _ in range(windows):
                time.sleep(seconds / windows)
                for size in sizes:
                    calls, ms, buffers = (float(v) for v in conns[size].execute(ALICE_TOTALS).fetchone())
                    if calls > last[size][0]:
                        per_call[size].append((ms - last[size][1]) / (calls - last[size][0]))
                    last[size] = (calls, ms, buffers)
            took = time.perf_counter() - began
        finally:
            for conn in conns.values():
                conn.close()
    finally:
        close_apps(children)
    found = {}
    for size in sizes:
        calls, _, buffers = last[size]
        each = statistics.median(per_call[size]) if per_call[size] else float("nan")
        print(f"  {size:,} idle TUI, server ms per statement by window: "
              + ", ".join(f"{t:.3f}" for t in per_call[size]), flush=True)
        found[size] = {"idle TUI: server ms per statement (median of windows)": each,
                       "idle TUI: shared buffers per statement": buffers / calls if calls else float("nan"),
                       "idle TUI: server ms/s": each * calls / took}
    return found


def accounts_shown(app) -> bool:
    screen = app.screen
    return screen.id == "accounts-screen" and screen.is_loaded() and bool(screen.shown)


def console_shown(app) -> bool:
    return app.screen.id == "console-accounts" and app.screen.loaded


def table(results: dict[int, dict], load: dict[int, float]) -> str:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    head = ["what"] + [f"{s:,} accounts" for s in sizes] + [f"{large:,}/{small:,}"]
    rows = [["bulk load (s)"] + [f"{load[s]:.1f}" for s in sizes] + [""]]
    for key in results[small]:
        values = [results[s].get(key, float("nan")) for s in sizes]  # nan: its step failed
        ratio = values[-1] / values[0] if values[0] else float("nan")
        rows.append([key] + [f"{v:,.3f}" if v < 100 else f"{v:,.0f}" for v in values] + [f"{ratio:.2f}×"])
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def rounds(benches: dict[int, Bench], rounds_: int = ROUNDS) -> dict[int, dict]:
    """Each command and screen, ROUNDS_ times per size, the sizes taking turns, after a warm-up run
    of each: the medians."""
    sizes = sorted(benches)
    runs: dict[int, dict] = {size: {} for size in sizes}
    for round_ in range(rounds_ + 1):
        for size in sizes if round_ % 2 == 0 else list(reversed(sizes)):
            bench = benches[size]
            for row, (login, args) in bench.commands().items():
                runs[size].setdefault(row, []).append(bench.cli(login, *args)[0])
            for row, (make_app, shown) in bench.screens().items():
                runs[size].setdefault(row, []).append(bench.until_shown(make_app, shown))
    for size in sizes:
        for row, taken in runs[size].items():
            print(f"  {size:,} {row}: " + ", ".join(f"{t:.2f}" for t in taken) + " (the first is the warm-up)",
                  flush=True)
    return {size: {row: statistics.median(taken[1:]) for row, taken in runs[size].items()} for size in sizes}


def one_app(url: str, seconds: float) -> None:
    """--app: one owner TUI, headless, open on Accounts: says "shown" once its rows show, then
    stays open SECONDS."""
    from aesthetix_tui.clock import SystemClock
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.ui.app import AesthetixApp

    async def run() -> None:
        settings = Path(f"/tmp/aesthetix-scale-{os.getpid()}.json")
        settings.unlink(missing_ok=True)
        app = AesthetixApp(resolve_target(database_url=url), clock=SystemClock(), settings_path=settings)
        async with app.run_test(size=(100, 30)) as pilot:
            while not accounts_shown(app):
                await pilot.pause(0.05)
            print("shown", flush=True)
            await pilot.pause(seconds)
    asyncio.run(run())


def keep(benches: dict[int, Bench]) -> None:
    """--keep: the clusters stay up, each login's URL printed, until SIGINT or SIGTERM (then the
    clusters go as usual)."""
    import signal

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    for size, bench in benches.items():
        for login in ("postgres", "aesthetix", "alice", "sam"):
            print(f"{size:,} accounts, {login}: {bench.dsn(login)}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("the clusters go", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--integrations", type=int, default=100_000)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds the idle TUI is watched")
    parser.add_argument("--together", type=float, default=120.0,
                        help="seconds the idle TUIs of every size are watched at once, for their server time")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed runs per command and size")
    parser.add_argument("--apps", type=int, default=10, help="owner TUIs open at once (0: none)")
    parser.add_argument("--apps-for", type=float, default=60.0, help="seconds they are watched")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"the parts to measure, comma-separated, of: {', '.join(PARTS)}")
    parser.add_argument("--keep", action="store_true",
                        help="after measuring, keep the clusters up (their URLs printed) until interrupted")
    parser.add_argument("--app", default=None, help=argparse.SUPPRESS)  # a child: one app on this URL
    options = parser.parse_args()
    os.environ["TZ"] = "UTC"
    if options.app:
        one_app(options.app, options.apps_for)
        return
    only = set(options.only.split(","))
    if only - set(PARTS):
        parser.error(f"--only: no part named {', '.join(sorted(only - set(PARTS)))}")
    benches, load = {}, {}
    try:
        for size in (int(s) for s in options.sizes.split(",")):
            benches[size] = Bench(size, options.events, options.integrations)
            load[size] = benches[size].load()
            print(f"{size:,} accounts loaded in {load[size]:.1f} s", flush=True)
        for bench in benches.values():
            bench.sql("SELECT pg_stat_statements_reset()")
        print(f"the machine's load (1, 5, 15 min) as the rounds start: {os.getloadavg()}", flush=True)
        results = rounds(benches, options.rounds) if "rounds" in only else {size: {} for size in benches}
        for size, bench in benches.items():
            print(f"{size:,} accounts: the reads that cost the server most per call", flush=True)
            print("\n".join(bench.costliest()), flush=True)
        for size, bench in benches.items():
            results[size].update(bench.measure(options.idle, options.apps, options.apps_for, only))
            print(size, results[size], flush=True)
        if "idle" in only:
            for size, found in idle_together(benches, options.together).items():
                results[size].update(found)
                print(size, found, flush=True)
        if options.keep:
            keep(benches)
    finally:
        for bench in benches.values():
            bench.close()
    print(table(results, load))


if __name__ == "__main__":
    main()

"""A writer killed with SIGKILL in the middle of a stream of writes, again and again (SQLite).

A helper process imports the app once and forks a writer per round (so 25 rounds take a few
seconds, not 25 interpreter starts). Each writer does features.update and integrations.create
in turn, each op named by its actor (round-n), and prints the op id only after its commit.
The test kills the writer at a random moment (counted in operations), then checks: PRAGMA integrity_check is ok,
`audit verify` passes, every printed op is there, and every op is wholly there or wholly absent.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROUNDS = 25

HELPER = r"""
import os, sys
from aesthetix_tui.clock import SystemClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.seed import open_database
from aesthetix_tui.domain import accounts, features, integrations
from aesthetix_tui.domain.actor import Actor

target, clock = resolve_target(db=sys.argv[1]), SystemClock()
database = open_database(target, clock)  # migrated and seeded before the first round


def write_forever(round_id):
    with database.session() as session:  # the pool was emptied before the fork: a new connection
        account_id = accounts.resolve(session, None).id
        n = 0
        while True:
            op = f"{round_id}-{n}"
            actor = Actor(op, "owner")
            if n % 2:
                on = {s.feature.key: s.enabled for s in features.settings(session, accounts.get(session, account_id))}
                features.update(session, clock, account_id, {"legacy_triggers": not on["legacy_triggers"]}, actor)
            else:
                integrations.create(session, clock, account_id, op, ["contacts.readonly"], actor)
            os.write(1, f"op {op}\n".encode())  # after the commit; one write, never torn
            n += 1


print("ready", flush=True)
for line in sys.stdin:
    round_id = line.strip()
    database.engine.dispose()  # no connection crosses the fork
    pid = os.fork()
    if pid == 0:
        try:
            write_forever(round_id)
        finally:
            os._exit(1)
    print(f"pid {pid}", flush=True)
    os.waitpid(pid, 0)
    print(f"done {round_id}", flush=True)
"""


def read_line(proc) -> str:
    line = proc.stdout.readline()
    assert line, "the helper died"
    return line.strip()


@pytest.mark.sqlite_only("kills a SQLite writer and checks the file")
def test_writers_killed_at_random_moments_leave_whole_operations(tmp_path):
    path = tmp_path / "killed.db"
    env = {**os.environ, "TZ": "UTC"}
    helper = subprocess.Popen([sys.executable, "-c", HELPER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).parents[2])
    printed: list[str] = []
    rng = random.Random(os.environ.get("SIGKILL_SEED", time.time_ns()))
    try:
        assert read_line(helper) == "ready"
        for round_id in range(ROUNDS):
            helper.stdin.write(f"{round_id}\n")
            helper.stdin.flush()
            kind, pid = read_line(helper).split()
            assert kind == "pid"
            # The kill moment is counted in operations, not seconds, so a busy machine tests
            # as much as an idle one: every fifth writer dies while it opens, the others after
            # 1 to 3 committed operations, a random moment into the next one.
            for _ in range(0 if round_id % 5 == 0 else rng.randint(1, 3)):
                line = read_line(helper)
                assert line.startswith("op "), line
                printed.append(line.removeprefix("op "))
            time.sleep(rng.uniform(0.0, 0.02))  # while it writes, commits or prints
            os.kill(int(pid), signal.SIGKILL)
            while (line := read_line(helper)) != f"done {round_id}":
                printed.append(line.removeprefix("op "))
    finally:
        helper.kill()
        helper.wait()
    assert len(printed) >= ROUNDS - ROUNDS // 5, "the writers hardly wrote: the kills tested nothing"

    con = sqlite3.connect(str(path))
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        events = con.execute("SELECT actor, action, target, details FROM audit_event "
                             "WHERE actor_kind = 'owner' ORDER BY seq").fetchall()
        created = {name: (iid, version) for iid, name, version in
                   con.execute("SELECT id, name, version FROM integration")}
        settings_version, = con.execute("SELECT settings_version FROM account").fetchone()
        triggers = con.execute("SELECT enabled FROM feature_setting WHERE feature_key = 'legacy_triggers'").fetchone()
    finally:
        con.close()

    # every op printed after its commit is there; each op left exactly one event
    by_op = Counter(actor for actor, *_ in events)
    assert not [op for op in printed if op not in by_op], "a committed operation is missing"
    assert all(count == 1 for count in by_op.values()), "an operation was applied twice"
    # every op is whole: an integration and its event, or neither
    creations = {actor: target for actor, action, target, _ in events if action == "integration.created"}
    assert set(creations) == set(created)
    assert all(creations[name] == f"integration:{iid}" and version == 1 for name, (iid, version) in created.items())
    # a feature change and its event, or neither: the version counts them, the last one holds
    toggles = [action for _, action, _, _ in events if action.startswith("feature.")]
    assert settings_version == len(toggles)
    if toggles:
        assert bool(triggers[0]) == (toggles[-1] == "feature.enabled")

    from aesthetix_tui.clock import SystemClock
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain import accounts, audit
    from aesthetix_tui.domain.seed import open_database

    database = open_database(resolve_target(db=str(path)), SystemClock())
    try:
        with database.session() as session:
            assert audit.verify(session, accounts.resolve(session, None)).ok
    finally:
        database.dispose()

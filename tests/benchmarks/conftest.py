"""Benchmark plumbing: a results table printed at the end, and JSON to --bench-json."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

RESULTS: list[dict] = []


def pytest_addoption(parser):
    parser.addoption("--bench-json", default="bench-results.json", help="Where to write the results as JSON.")


def record(name: str, unit: str, samples: list[float], baseline: list[float], target: str,
           higher_is_better: bool = False) -> dict:
    """Keep one benchmark's medians and its ratio to the baseline."""
    median, base = statistics.median(samples), statistics.median(baseline)
    row = {"benchmark": name, "unit": unit, "median": median, "baseline_median": base,
           "ratio": median / base if base else None, "target": target,
           "higher_is_better": higher_is_better, "runs": len(samples)}
    RESULTS.append(row)
    return row


@pytest.fixture
def bench_record():
    return record


def pytest_sessionfinish(session, exitstatus):
    if not RESULTS:
        return
    lines = [f"{'benchmark':<44} {'median':>12} {'baseline':>12} {'ratio':>7}  target"]
    for r in RESULTS:
        lines.append(f"{r['benchmark']:<44} {r['median']:>10.1f}{r['unit']:<2} {r['baseline_median']:>10.1f}"
                     f"{r['unit']:<2} {r['ratio']:>7.2f}  {r['target']}")
    print("\n" + "\n".join(lines))
    path = Path(session.config.getoption("--bench-json"))
    path.write_text(json.dumps(RESULTS, indent=2))
    print(f"results written to {path}")

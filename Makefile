# The two Quick start commands, plus bench and screenshots. Each is idempotent:
# the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-scale screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/aesthetix-tui

# lint-imports first: a broken layer contract ([tool.importlinter] in pyproject.toml) fails the run;
# then ruff ([tool.ruff] in pyproject.toml). The suite's processes share Python's bytecode cache
# (__pycache__, git-ignored), even where the environment sets PYTHONDONTWRITEBYTECODE: otherwise
# every worker and every command a test starts compiles the package and the tests again.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q

BENCH_JSON ?= bench-results.json

# The benchmark suite (issue 7): one table of medians and ratios; JSON to BENCH_JSON.
bench: $(STAMP)
	$(BIN)/python -m pytest -q tests/benchmarks -p no:cacheprovider -o addopts="" -s --bench-json $(BENCH_JSON)

# Issue 23: the shared PostgreSQL database at 1,000 and 1,000,000 accounts (a throwaway cluster,
# bulk-loaded; tens of minutes on 2 cores). Smaller while developing:
#   make bench-scale SCALE_SIZES=1000,20000 SCALE_ARGS="--events 100000 --integrations 10000 --idle 10"
SCALE_SIZES ?= 1000,1000000
SCALE_ARGS ?=
bench-scale: $(STAMP)
	$(BIN)/python -m tests.benchmarks.scale --sizes $(SCALE_SIZES) $(SCALE_ARGS)

screenshots: $(STAMP)
	$(BIN)/python screenshots/make_screenshots.py screenshots

clean:
	rm -rf $(VENV)

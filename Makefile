# The two Quick start commands, plus bench and screenshots. Each is idempotent:
# the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/aesthetix-tui

# lint-imports first: a broken layer contract ([tool.importlinter] in pyproject.toml) fails the run.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

BENCH_JSON ?= bench-results.json

# The benchmark suite (issue 7): one table of medians and ratios; JSON to BENCH_JSON.
bench: $(STAMP)
	$(BIN)/python -m pytest -q tests/benchmarks -p no:cacheprovider -o addopts="" -s --bench-json $(BENCH_JSON)

screenshots: $(STAMP)
	$(BIN)/python screenshots/make_screenshots.py screenshots

clean:
	rm -rf $(VENV)

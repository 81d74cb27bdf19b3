# Briefing — every target sets up .venv on first use (pip + venv; torch's CPU wheel first).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup browser-deps postgres-deps run test pytest lint format eval bench bench-deps reliability clean train-selector

setup: $(STAMP)

# torch first, pinned: any other torch request would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## Ingest corpus/ and serve the chat API on http://$(HOST):$(PORT)
run: setup
	$(VENV)/bin/briefing serve --ingest --host $(HOST) --port $(PORT)

## Lint, type-check, then the whole test suite (what CI runs)
test: setup lint browser-deps postgres-deps pytest

# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "chromium is missing and apt-get is not available: browser tests will be skipped" >&2; \
	  else \
	    SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	    $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  fi; }

# The PostgreSQL tests start a throwaway cluster from Debian's server binaries (initdb, pg_ctl).
postgres-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "PostgreSQL is missing and apt-get is not available: PostgreSQL tests will be skipped (fail under CI)" >&2; \
	  else \
	    SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	    $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; \
	  fi; }

pytest: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

eval: setup
	$(VENV)/bin/briefing eval

## Train the answer selector from ../shared/datasets (~75 min on 2 cores with native bf16),
## fit its combiner on training/news, measure it against the bi-encoder; writes assistant/answering/models/selector/
train-selector: setup
	$(PY) -m training.selector
	$(PY) -m training.combine
	$(VENV)/bin/briefing eval --selector

## Benchmarks + the LlamaIndex comparison → reports/bench.{md,json} (~10 minutes on 2 cores)
bench: setup bench-deps
	$(PY) -m bench

# The peer, for the benchmark only: uses the torch already installed (no other torch is pulled).
bench-deps: setup
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,bench]'

## kill -9 ×20 during ingest (local, and PostgreSQL + Chroma server), 32-client load while ingesting, two-host load, schemathesis → reports/reliability-*.json
reliability: setup
	BRIEFING_RELIABILITY=1 $(PY) -m pytest -p no:cacheprovider -s -m reliability tests/reliability
	BRIEFING_RELIABILITY=1 $(PY) -m pytest -p no:cacheprovider -s tests/api/test_security_schema.py

clean:
	rm -rf $(VENV) data reports test-artifacts .pytest_cache .mypy_cache .ruff_cache

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLES := examples/*.txt
export RAY_USAGE_STATS_ENABLED := 0

.PHONY: demo test test-fast lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/eventwire code $(EXAMPLES) --format table
	$(BIN)/eventwire ingest $(EXAMPLES) --db eventwire.duckdb
	@echo
	@echo "Stored in eventwire.duckdb. Browse it with:"
	@echo "  $(BIN)/eventwire serve --db eventwire.duckdb   # then open http://127.0.0.1:8000/"

test: $(VENV)/.dev
	$(BIN)/pytest -q

test-fast: $(VENV)/.dev
	$(BIN)/pytest -q -m "not slow"

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py --out bench/report.json

clean:
	rm -rf $(VENV) build dist *.egg-info eventwire.duckdb test-artifacts

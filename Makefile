# VID Monitor: the two commands are `make run` and `make test`; both set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# No byte-compiling at install: Python compiles what it imports on first use (about 40 s less to install).
INSTALL := $(PIP) install --quiet --no-compile

# The test suite runs its PostgreSQL cases against this server; unreachable means skipped (failed with CI=true).
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL
# ... and its shared-cache cases against this Redis (each test under a key prefix of its own).
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
export TEST_REDIS_URL

.PHONY: run test lint typecheck pytest bench report-example clean constraints help

help:
	@echo "make run   - set up and serve the app on SQLite with demonstration data (http://127.0.0.1:8050)"
	@echo "make test  - set up and run ruff, mypy and the whole pytest suite"
	@echo "make bench - run the benchmarks and rewrite docs/performance.md"
	@echo "make report-example - write the joint report of the demonstration data to $(REPORT_EXAMPLE)"

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "VID Monitor needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	@touch $@

$(VENV)/.runtime: $(VENV)/.created requirements.txt constraints.txt
	$(INSTALL) -r requirements.txt -c constraints.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(INSTALL) -r requirements-dev.txt -c constraints.txt
	@touch $@

run: $(VENV)/.runtime
	$(BIN)/python app.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck pytest

constraints: $(VENV)/.dev
	{ echo "# Full set of pinned versions (direct and transitive) known to work together; used as pip constraints."; \
	  echo "# Regenerate with: make constraints"; $(PIP) freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks

# The joint report of the demonstration data, from a database of its own (git-ignored, like the PDF).
REPORT_EXAMPLE ?= reports/joint-report-example.pdf
REPORT_CYCLE ?= Report 2026
REPORT_DATABASE := reports/example.db

report-example: $(VENV)/.runtime
	@mkdir -p $(dir $(REPORT_EXAMPLE)) $(dir $(REPORT_DATABASE))
	rm -f $(REPORT_DATABASE) $(REPORT_DATABASE)-wal $(REPORT_DATABASE)-shm
	$(BIN)/python -m models init-db --database sqlite:///$(REPORT_DATABASE) --demo
	$(BIN)/python -m models report --database sqlite:///$(REPORT_DATABASE) --cycle "$(REPORT_CYCLE)" --output $(REPORT_EXAMPLE)

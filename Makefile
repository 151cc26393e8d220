# Healing Together: the two commands are `make app` and `make test`.
# Both create .venv from pyproject.toml when it is missing or older than pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8866

.PHONY: app lab test lint format bench load arrivals venv demo clean translations

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP) ## Create or refresh .venv from pyproject.toml.

app: $(STAMP) ## Serve the workbook on http://127.0.0.1:8866 and open it in your browser (NO_BROWSER=1: don't).
	$(BIN)/workbook serve --host $(HOST) --port $(PORT) $(if $(TOKEN),--token $(TOKEN)) $(if $(WORKSHOP),--workshop) $(if $(NO_BROWSER),--no-browser)

# Jupyter refuses to run as root unless told; a container or a root shell needs --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP) ## Open the notebooks in JupyterLab (each runs with the made-up demo couple).
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

demo: $(STAMP) ## Write the made-up demo couple into the data folder.
	$(BIN)/workbook demo

AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json
	npm install --no-audit --no-fund --no-package-lock --silent
	@touch $(AXE)

# Browser tests need Chromium: without it the run stops and says how to get it (conftest.py);
# they are never skipped here (WORKBOOK_ALLOW_NO_BROWSER is cleared).
# Test files run in TEST_WORKERS processes (pytest-xdist), each file whole in one of them, so a
# file's own server and the browser tests' shared one start once per process; much of a browser
# test is waiting for a page or a kernel, which another process fills (on 2 cores, 4 processes
# kept them 97% busy, 3 processes 91%). Files are handed out in collection order, slowest first
# (tests/conftest.py SLOWEST_FIRST): xdist's own order, by number of tests, ran the long load
# test last and alone. TEST_WORKERS=0: one process. Compiled modules are kept (__pycache__,
# git-ignored) even where the environment says not to: without them each test process compiled
# and assertion-rewrote every test module again (3 CPU-seconds of its 6 s of collection), and
# each server and command the tests start compiled the workbook package again.
TEST_WORKERS ?= 4
test: $(STAMP) $(AXE) ## Run every test: unit, notebooks (nbval), Voila pages and the real browser.
	@env -u WORKBOOK_ALLOW_NO_BROWSER -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest tests notebooks --nbval-lax -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests; that is a failure"; exit 1; fi; \
	exit $$rc

load: $(STAMP) ## The workshop load test with 20 couples in Chromium (make test runs 5), then `make arrivals`.
	$(BIN)/python -m pytest tests/browser/test_workshop_load.py -m load -s --room-couples 20
	$(BIN)/python benchmarks/arrivals.py

arrivals: $(STAMP) ## Arrivals and saves timed on the server's side (no browser): benchmarks/arrivals.py.
	$(BIN)/python benchmarks/arrivals.py

lint: $(STAMP) ## Lint and check formatting (ruff), the import layers (import-linter) and types (mypy).
	$(BIN)/ruff check workbook tests benchmarks
	$(BIN)/ruff format --check workbook tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP) ## Format the code with ruff.
	$(BIN)/ruff check --fix workbook tests benchmarks
	$(BIN)/ruff format workbook tests benchmarks

POT := build/workbook.pot

translations: $(STAMP) ## Extract the marked strings, update each language's .po (unused entries go), compile the .mo.
	@mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o $(POT) workbook
	$(BIN)/pybabel update -i $(POT) -d workbook/locale -D workbook --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile --statistics -d workbook/locale -D workbook

bench: $(STAMP) ## Run the benchmarks; prints a table and writes benchmarks/results/*.json.
	$(BIN)/python benchmarks/run.py

clean: ## Remove the virtual environment and caches (never your data).
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/output

# Empathy Explorer: the README's two commands are `make app` and `make test`.
# Both create a local .venv from the pinned lock (requirements*.txt) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866

.PHONY: app test test-fast lint bench data lock clean

$(BIN)/.installed-runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m empathy_explorer.app.charts bundle
	$(BIN)/python -m empathy_explorer.app.serving install-template
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed-runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## Start the app: Voilà over notebooks/ on http://localhost:$(PORT)
app: $(BIN)/.installed-runtime
	@echo ""
	@echo "  Empathy Explorer is starting. Open  http://localhost:$(PORT)/  in your browser (Ctrl+C stops it)."
	@echo ""
	$(BIN)/voila notebooks/ --port=$(PORT) --no-browser --Voila.ip=127.0.0.1

## Lint, type-check and run the whole test suite (browser tests run when /usr/bin/chromium exists)
test: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

## Quick loop while you work: no browser, no notebook execution, nothing marked slow (`make test` runs all)
test-fast: $(BIN)/.installed-dev
	$(BIN)/python -m pytest -q -m "not browser and not slow" --ignore=tests/browser

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

## Speed figures (ratios against naive references, printed)
bench: $(BIN)/.installed-dev
	$(BIN)/python -m empathy_explorer.bench

## Rebuild data/ from the simulator, byte-for-byte
data: $(BIN)/.installed-runtime
	$(BIN)/python -m empathy_explorer.sessions build

## Re-resolve the runtime lock from requirements.in
lock:
	rm -rf /tmp/ee-lock && $(PYTHON) -m venv /tmp/ee-lock
	/tmp/ee-lock/bin/python -m pip install --quiet --upgrade pip
	/tmp/ee-lock/bin/python -m pip install --quiet -r requirements.in
	{ head -2 requirements.txt; /tmp/ee-lock/bin/python -m pip freeze; } > requirements.lock.tmp && mv requirements.lock.tmp requirements.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

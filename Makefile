# make run   — set everything up and show the kiosk full-screen on the bundled content
# make test  — set everything up and run the linters and the whole test suite (CI runs this)
# make bench — run the benchmarks; each prints its figures against their budgets
# make soak  — the long soak benchmark (crashes, exceptions, memory growth)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests run on a fixed offscreen screen, whatever the machine has.
TEST_ENV := QT_QPA_PLATFORM=offscreen

.PHONY: run test lint pytest bench soak preview check system-deps clean

run: $(STAMP)
	$(BIN)/kiosk run --content content

test: lint pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

pytest: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest

# Every benchmark runs even when an earlier one is over budget; the target fails if any was.
bench: $(STAMP)
	status=0; \
	for bench in bench/startup.py bench/colouring.py bench/operations.py bench/calm.py bench/scale.py; do \
		echo "== $$bench"; $(TEST_ENV) $(BIN)/python $$bench || status=1; \
	done; exit $$status

# 100,000 attract transitions and 10,000 random sessions, accelerated (about 50 minutes).
soak: $(STAMP)
	$(TEST_ENV) $(BIN)/python bench/soak.py

check: $(STAMP)
	$(BIN)/kiosk check content

preview: $(STAMP)
	$(BIN)/kiosk preview content --out preview

system-deps:
	PYTHON=$(PYTHON) sh scripts/system-deps.sh

# compileall: an editable install leaves the kiosk's own modules uncompiled, and a machine with
# PYTHONDONTWRITEBYTECODE (or a read-only app folder) would compile them at every start.
$(STAMP): pyproject.toml scripts/system-deps.sh
	PYTHON=$(PYTHON) sh scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

clean:
	rm -rf $(VENV) preview .pytest_cache .mypy_cache .ruff_cache

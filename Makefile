# make run   — set everything up and show the kiosk full-screen on the bundled content
# make test  — set everything up and run the linters and the whole test suite (CI runs this)
# make bench — run the benchmarks; each prints its figures against their budgets
# make soak  — the long soak benchmark (crashes, exceptions, memory growth)
# make mutate — mutation testing of kiosk.core; scores per module (docs/testing.md)
# make deb   — the Debian package dist/kiosk_<version>_<arch>.deb (docs/deploy.md §1)
# make test-deb — build it and install, upgrade and remove it in a throw-away Debian 12 root
# make test-wheel — build the sdist and the wheel, install the wheel into a fresh venv outside
#                   the repository and run kiosk check, preview and run from there (CI runs it)
# make lock  — regenerate requirements/run.txt and dev.txt (exact versions, with hashes) with uv

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-deps
# Tests run on a fixed offscreen screen, whatever the machine has.
TEST_ENV := QT_QPA_PLATFORM=offscreen

.PHONY: run test lint pytest mutate bench soak preview check system-deps clean deb test-deb \
	lock test-wheel

run: $(STAMP)
	$(BIN)/kiosk run --content content

test: lint pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

pytest: $(STAMP) $(TEST_STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest

# Mutation testing of kiosk.core, judged by the core tests (docs/testing.md: how to read it,
# how long it takes). `make mutate MODULES="schedules.schedule pin"` for some modules (their
# names under kiosk.core); every mutant of the modules named is tested afresh. The mutants stay in mutants/ (`mutmut browse`).
# Bytecode is written: the loader's sandbox child would otherwise compile the mutated modules
# (megabytes of source) at every start.
MODULES ?= schedules.schedule content.reload pin settings colouring.engine queue \
	content.loader
mutate: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(TEST_ENV) nice $(BIN)/mutmut run \
		$(foreach module,$(MODULES),"kiosk.core.$(module).*")
	$(BIN)/python scripts/mutation_score.py $(MODULES)

BENCH_RECORD := $(CURDIR)/bench/record.jsonl

# Every benchmark runs even when an earlier one is over budget; the target fails if any was.
# Each run's figures are added to bench/record.jsonl (commit, machine, figures): commit it.
bench: $(STAMP)
	status=0; export KIOSK_BENCH_RECORD=$(BENCH_RECORD); \
	for bench in bench/startup.py bench/memory.py bench/colouring.py bench/operations.py bench/calm.py bench/scale.py bench/adversarial.py bench/adversarial_svg.py bench/sleep.py bench/video.py bench/versus_chromium.py bench/editor.py; do \
		echo "== $$bench"; $(TEST_ENV) $(BIN)/python $$bench || status=1; \
	done; exit $$status

# 100,000 attract transitions and 10,000 random sessions, accelerated (about 40 minutes);
# its figures go to bench/record.jsonl as make bench's do.
soak: $(STAMP)
	KIOSK_BENCH_RECORD=$(BENCH_RECORD) $(TEST_ENV) $(BIN)/python bench/soak.py

check: $(STAMP)
	$(BIN)/kiosk check content

preview: $(STAMP)
	$(BIN)/kiosk preview content --out preview

system-deps:
	PYTHON=$(PYTHON) sh scripts/system-deps.sh

# In a clean copy of the tree (build/deb/), with Debian's python3.11; installs the build
# dependencies as root, or prints the apt command. The .deb lands in dist/.
deb:
	sh scripts/build-deb.sh

# As root, with debootstrap and network to apt and pip: `make deb` in a fresh Debian 12 root,
# then install, check, upgrade and remove there (scripts/test-deb.sh says what it checks).
test-deb:
	sh scripts/test-deb.sh

# Every dependency at the lock's exact version, each file checked against its hash; then the
# kiosk itself, editable, without dependencies and built with the locked setuptools (no build
# isolation: nothing unpinned is downloaded). A new lock or pyproject.toml installs again.
# compileall: an editable install leaves the kiosk's own modules uncompiled, and a machine with
# PYTHONDONTWRITEBYTECODE (or a read-only app folder) would compile them at every start.
$(STAMP): pyproject.toml requirements/dev.txt scripts/system-deps.sh
	PYTHON=$(PYTHON) sh scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

# The lock: exact versions and the hashes of all their files (every platform), resolved once
# for Python 3.11 and later (uv's universal resolution; uv's own version is pinned in
# pyproject.toml). Versions already locked are kept while pyproject.toml allows them;
# `make lock LOCK_FLAGS=--upgrade` moves everything to the newest allowed. dev.txt is resolved
# with run.txt as constraints: the tests run the very versions a kiosk gets.
LOCK_FLAGS ?=
LOCK := UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip compile pyproject.toml --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" $(LOCK_FLAGS)
lock: | $(STAMP)
	$(LOCK) --output-file requirements/run.txt
	$(LOCK) --extra dev --constraint requirements/run.txt --output-file requirements/dev.txt

# The wheel as IT installs it, outside the repository (scripts/test-wheel.sh says what it runs).
test-wheel: $(STAMP)
	PYTHON=$(BIN)/python bash scripts/test-wheel.sh

# What only the tests need (Xvfb, xdotool), installed once; a kiosk does not need them.
$(TEST_STAMP): scripts/system-deps.sh | $(STAMP)
	PYTHON=$(PYTHON) sh scripts/system-deps.sh --tests
	touch $(TEST_STAMP)

clean:
	rm -rf $(VENV) preview mutants .pytest_cache .mypy_cache .ruff_cache

# coopkit — two commands for a fresh machine with Python 3.11 and make:
#   make serve   set up .venv and serve the workshop apps on http://127.0.0.1:8866
#   make test    set up .venv with the test tools and run every test (browser tests included)
# Options: make serve HOST=0.0.0.0 PORT=9000 POOL=3 TOKEN=secret SCENARIOS=/srv/coopkit-scenarios
#                     ANSWERS=/srv/coopkit-answers TRAINER_KEY=secret   (exercise answers; the trainer page's key)
#                     ROOM=30 WORKBOOK=04   (warm 30 kernels ahead for the workbook the room opens next)
#                     MAX_KERNELS=60 KERNEL_STARTS=2   (past 60 kernels a visitor gets "the room is full, retrying";
#                                          2 kernels start at a time; defaults sized from the machine)
#          make collect SCENARIOS=/srv/coopkit-scenarios   (trainer: the room's scenarios -> room.xlsx)
#          make answers ANSWERS=/srv/coopkit-answers      (trainer: the room's answers -> answers.xlsx)
#          make exercise-answers   (trainer: docs/exercise-answers.<lang>.md from exercises/*.toml)
#          make handouts   (the printable A4 handouts: handouts/<lang>/<notebook>.pdf)
#          make check-lessons [NOTEBOOKS=notebooks/02_break_even.ipynb]   (trainer: check edited lessons)
# Installs take the versions in requirements/lock.txt (the ones the tests passed with):
#          make lock [UPGRADE=1]   (after changing pyproject.toml's dependencies: rewrite the lock, then make test)
#          make wheelhouse          (every locked package in wheelhouse/, for a laptop with no internet)
#          make serve WHEELHOUSE=wheelhouse   (install from that folder only, no internet)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
POOL   ?=
TOKEN  ?=
ROOM   ?=
WORKBOOK ?=
MAX_KERNELS ?=
KERNEL_STARTS ?=
SCENARIOS ?=
ANSWERS ?=
TRAINER_KEY ?=
NOTEBOOKS ?=
PYTEST_ARGS ?=
LOCK   := requirements/lock.txt
UPGRADE ?=
WHEELHOUSE ?=
# pip install with the locked versions, from the folder WHEELHOUSE alone when it is set
PIP_INSTALL = $(BIN)/python -m pip install --quiet -c $(LOCK) $(if $(WHEELHOUSE),--no-index --find-links $(WHEELHOUSE))

.PHONY: answers exercise-answers collect serve test hub-proxy install install-test chromium handouts benchmark check-lessons clean lock wheelhouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Rebuilt when pyproject.toml or the lock changes: the locked pip first (it knows --build-constraint, which
# pins the build backend too), then coopkit with the locked versions.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) --build-constraint $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) --build-constraint $(LOCK) -e ".[test]"
	touch $(VENV)/.installed $@

# After changing pyproject.toml's dependencies: pip resolves them in a fresh virtualenv, keeping the locked
# versions (UPGRADE=1: the newest), and rewrites the lock. Then run make test and commit the lock.
lock:
	$(PYTHON) requirements/lock.py $(if $(UPGRADE),--upgrade)

# Every locked package as a wheel in wheelhouse/ (for this platform and Python), to install with no internet:
# copy the folder with the kit, then make serve WHEELHOUSE=wheelhouse (README, "Installing without internet").
wheelhouse: | $(BIN)/python
	$(BIN)/python -m pip wheel --quiet --wheel-dir wheelhouse -r $(LOCK)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

serve: install
	$(BIN)/python -m coopkit.server --host $(HOST) --port $(PORT) $(if $(POOL),--pool $(POOL)) $(if $(TOKEN),--token $(TOKEN)) $(if $(SCENARIOS),--scenarios $(SCENARIOS)) $(if $(ANSWERS),--answers $(ANSWERS)) $(if $(TRAINER_KEY),--trainer-key $(TRAINER_KEY)) $(if $(ROOM),--room $(ROOM) --workbook $(WORKBOOK)) $(if $(MAX_KERNELS),--max-kernels $(MAX_KERNELS)) $(if $(KERNEL_STARTS),--kernel-starts $(KERNEL_STARTS))

# Trainer: the room's saved scenarios in one table (and room.xlsx to project or share).
collect: install
	$(BIN)/python -m coopkit.collect $(SCENARIOS) --xlsx room.xlsx

# Trainer: every exercise's answer, working, hints and known mistakes, computed from exercises/*.toml,
# in docs/exercise-answers.vi.md and docs/exercise-answers.en.md (run it after editing an exercise).
exercise-answers: install
	$(BIN)/python -m coopkit.exercises --answer-sheets docs

# Trainer: the room's exercise answers (every answer, every task, the quiz) in answers.xlsx.
answers: install
	$(BIN)/python -m coopkit.room $(ANSWERS) --xlsx answers.xlsx

# Trainer: after editing a lesson notebook, check its twins, header and worked examples against the code.
check-lessons: install
	$(BIN)/python -m coopkit.lessoncheck $(NOTEBOOKS)

# Browser tests drive Debian's chromium (Playwright cannot download a browser here).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else echo "Browser tests need Debian's chromium: run 'sudo apt-get install -y chromium', then 'make test' again."; exit 1; fi

# JupyterHub's proxy for deploy/jupyterhub/ and its test (tests/hub): configurable-http-proxy from npm,
# kept in deploy/jupyterhub/.proxy (not in git). Node.js 20 and npm come with Debian's nodejs and npm.
HUB_PROXY := deploy/jupyterhub/.proxy/node_modules/.bin/configurable-http-proxy
hub-proxy: $(HUB_PROXY)

$(HUB_PROXY):
	@if command -v npm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; \
	else echo "The JupyterHub test needs npm: run 'sudo apt-get install -y nodejs npm', then 'make hub-proxy' again."; exit 1; fi
	npm install --prefix deploy/jupyterhub/.proxy --no-audit --no-fund --loglevel=error configurable-http-proxy@5.1.0

test: install-test chromium hub-proxy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Each workbook's lesson, worked examples, formula card and worksheet on A4, in each language:
# the served pages printed by chromium (coopkit.handouts).
handouts: install-test chromium
	$(BIN)/python -m coopkit.handouts --out handouts

benchmark: install-test chromium
	$(BIN)/python benchmarks/bench_apps.py --out benchmarks/RESULTS.md --time-limit 2400
	$(BIN)/python benchmarks/bench_kernel.py --out benchmarks/RESULTS_kernel.md
	$(BIN)/python benchmarks/bench_domain.py --out benchmarks/RESULTS_domain.md
	$(BIN)/python benchmarks/bench_risk.py --out benchmarks/RESULTS_risk.md
	$(BIN)/python benchmarks/bench_cropmix.py > benchmarks/RESULTS_cropmix.md
	$(BIN)/python benchmarks/bench_room.py --out benchmarks/RESULTS_room.md --time-limit 3000

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

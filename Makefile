# The module's two commands: `make lab` (open the notebooks, as students get
# them) and `make test` (run every test). Both create .venv on first use and reinstall only when
# pyproject.toml or the classroom settings change, so a re-run starts at once.
#
#   make lab                                  open JupyterLab at the start notebook of the student edition
#   make lab-teacher                          open JupyterLab on the whole repository (solutions, docs)
#   make test                                 run the whole test suite
#   PYTHON=python3.12 make test               choose the interpreter for a new .venv
#   make lab LAB_ARGS="--no-browser --port 8899"
#   make test PYTEST_ARGS="-x tests/test_data.py"
#   make test-oldest                          the core tests with the lowest pandas, Matplotlib and ipywidgets allowed
#   make bench                                time the module against its floor (README "Benchmarks")
#   make bench BENCH_ARGS="--quick --sections import"

PYTHON ?= python3
VENV ?= .venv
LAB_ARGS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=

BIN := $(VENV)/bin
START_NOTEBOOK := notebooks/00_start_here.ipynb
# What students open (tools/student_edition.py): notebooks without solutions.
STUDENT_EDITION ?= student_edition
EDITION_ARGS ?=
# One settings file, used locally (here) and on Binder (binder/postBuild).
SETTINGS := jupyter/overrides.json
SETTINGS_DIR := $(VENV)/share/jupyter/lab/settings
STAMP_LAB := $(VENV)/.aleppo2016-installed-lab
STAMP_TEST := $(VENV)/.aleppo2016-installed-test
PIP := PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip
# The site is built from its own environment, .venv-lite: the Pyodide kernel's
# lab extension only works inside JupyterLite, and in the JupyterLab of .venv it
# would log an error in every student's browser console.
LITE_ARGS ?=
LITE_VENV ?= .venv-lite
LITE_BIN := $(LITE_VENV)/bin
STAMP_LITE := $(LITE_VENV)/.aleppo2016-installed-lite
# `make test-oldest` (CI): the core tests in .venv-oldest, made with the lowest
# versions pyproject.toml allows, while .venv (`make test`) gets the newest.
# ipywidgets 8.0 warns at every widget that ipykernel.comm.Comm is deprecated: silenced.
OLDEST_VENV ?= .venv-oldest
OLDEST_PYTHON ?= $(PYTHON)
OLDEST_BIN := $(OLDEST_VENV)/bin
OLDEST_CONSTRAINTS := .ci/constraints-oldest.txt
STAMP_OLDEST := $(OLDEST_VENV)/.aleppo2016-installed-oldest
# The core tests: everything in tests/ but the browser, JupyterLite, Binder,
# sandbox, benchmark, packaging and printed-packet tests (they need the lab and test tools
# and do not depend on the library versions), and not the notebooks.
CORE_IGNORE := --ignore=tests/browser --ignore=tests/test_lite.py --ignore=tests/test_binder.py \
	--ignore=tests/test_offline_readonly.py --ignore=tests/test_benchmarks.py \
	--ignore=tests/test_environment.py --ignore=tests/test_readme.py --ignore=tests/test_packet.py \
	--ignore=tests/test_make_lab.py --ignore=tests/test_hub.py --ignore=tests/test_hub_student.py

# axe-core, for the browser suite's accessibility audit (tests/browser/test_accessibility.py),
# from the npm registry at the version tests/browser/package-lock.json pins.
AXE := tests/browser/node_modules/axe-core/axe.min.js
# configurable-http-proxy, JupyterHub's proxy, for the hub test and `make bench`'s hub section
# (tests/test_hub.py, benchmarks/bench_hub.py), at the version tests/hub/package-lock.json pins.
CHP := tests/hub/node_modules/.bin/configurable-http-proxy

.DEFAULT_GOAL := help
.PHONY: help lab lab-teacher test test-oldest bench clean check-python

help:  ## Show the commands
	@echo "make lab    create .venv if needed, install, open JupyterLab at $(START_NOTEBOOK) of the student edition"
	@echo "make lab-teacher   the same on the whole repository (solution cells, teacher docs)"
	@echo "make test   create .venv if needed, install, run the whole test suite"
	@echo "make test-oldest   the core tests with the lowest library versions allowed (.venv-oldest)"
	@echo "make bench  create .venv if needed, install, time the module against its floor (a few minutes)"
	@echo "make clean  delete .venv and the caches the tests leave behind"
	@echo "make lite   build the JupyterLite site (runs in the browser, no internet needed) into _output/"
	@echo "make packet   build the teacher's printable packet (PDF, offline) into packet.pdf"
	@echo "make student-edition   build the student edition (no answers) into $(STUDENT_EDITION)/ (EDITION_ARGS='--publish student')"
	@echo
	@echo "Options: PYTHON=python3.12 (interpreter for a new .venv), VENV=.venv-3.12,"
	@echo "         LAB_ARGS='--no-browser --port 8899', PYTEST_ARGS='-x tests/test_data.py'"

# As root (a container, a cloud VM, a school image, CI) JupyterLab refuses to start
# without --allow-root: add it, and say so in one line.
AS_ROOT = $(if $(filter 0,$(shell id -u)),$(info Note: running as root (user id 0), so JupyterLab is started with --allow-root.)--allow-root)

# `make lab` opens the student edition, with JupyterLab's file browser rooted
# there: solutions, teacher docs and the question bank (src/) are not in it.
# It is built on first use only, so work saved in it is never replaced here.
lab: $(STAMP_LAB) | $(STUDENT_EDITION)/.student_edition  ## Open JupyterLab at the student edition's start notebook
	@if [ -n "$$(find notebooks -name '*.ipynb' -newer $(STUDENT_EDITION)/.student_edition 2>/dev/null)" ]; then \
	  echo "Note: notebooks/ changed since $(STUDENT_EDITION)/ was built; 'make student-edition' updates it."; fi
	$(BIN)/jupyter lab $(STUDENT_EDITION)/$(START_NOTEBOOK) --ServerApp.root_dir="$(CURDIR)/$(STUDENT_EDITION)" $(AS_ROOT) $(LAB_ARGS)

# root_dir keeps the whole module in JupyterLab's file browser; without it,
# JupyterLab would serve only the start notebook's folder.
lab-teacher: $(STAMP_LAB)  ## Open JupyterLab on the whole repository (the teacher's view)
	$(BIN)/jupyter lab $(START_NOTEBOOK) --ServerApp.root_dir="$(CURDIR)" $(AS_ROOT) $(LAB_ARGS)

# --no-wheel: on this computer the module is installed already (and no network is needed).
$(STUDENT_EDITION)/.student_edition: | $(STAMP_LAB)
	$(BIN)/python tools/student_edition.py --out $(STUDENT_EDITION) --no-wheel

test: $(STAMP_TEST) $(STAMP_LITE) $(AXE) $(CHP)  ## Run the whole test suite (tests/ and the notebooks)
	ALEPPO2016_LITE_PYTHON="$(CURDIR)/$(LITE_BIN)/python" $(BIN)/python -m pytest $(PYTEST_ARGS)

test-oldest: $(STAMP_OLDEST)  ## The core tests with the lowest pandas, Matplotlib and ipywidgets allowed
	$(OLDEST_BIN)/python -m pytest tests $(CORE_IGNORE) -W "ignore::DeprecationWarning:ipywidgets.widgets.widget" $(PYTEST_ARGS)

# Benchmarks (issue 7): prints the table, writes benchmarks/results/latest.json.
bench: $(STAMP_TEST) $(CHP)  ## Time notebooks, widgets, import and footprint against their floor
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:  ## Delete .venv and test caches
	rm -rf $(VENV) $(LITE_VENV) $(OLDEST_VENV) .pytest_cache .hypothesis src/*.egg-info tests/browser/node_modules tests/hub/node_modules
	find src tests notebooks -name __pycache__ -type d -prune -exec rm -rf {} +

# A chosen PYTHON must match the one .venv was made with; say so rather than
# silently testing with another version. Only checked when PYTHON is given, so
# that a plain re-run costs no extra interpreter start.
ifneq ($(filter environment command line,$(origin PYTHON)),)
check-python:
	@if [ -f $(VENV)/pyvenv.cfg ]; then \
	  want=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])') || exit 1; \
	  have=$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	  if [ "$$want" != "$$have" ]; then \
	    echo "$(VENV) was made with Python $$have, but PYTHON=$(PYTHON) is Python $$want."; \
	    echo "Run 'make clean' first, or keep both: VENV=.venv-$$want PYTHON=$(PYTHON) make ..."; \
	    exit 1; \
	  fi; \
	fi
$(STAMP_LAB) $(STAMP_TEST): | check-python
else
check-python:
endif

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 10))' 2>/dev/null || { \
	  echo "aleppo2016 needs Python 3.10 to 3.13; '$(PYTHON)' is missing or older."; \
	  echo "Install a newer Python, or choose one: PYTHON=python3.12 make ..."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV). On Debian or Ubuntu: sudo apt install python3-venv"; exit 1; }

$(STAMP_LAB): pyproject.toml $(SETTINGS) | $(BIN)/python
	$(PIP) install -e ".[lab]"
	mkdir -p $(SETTINGS_DIR) && cp $(SETTINGS) $(SETTINGS_DIR)/overrides.json
	touch $@

# The test install includes the lab extra (the notebooks and browser tests need
# JupyterLab), so it also satisfies `make lab`.
$(STAMP_TEST): pyproject.toml $(SETTINGS) | $(BIN)/python
	$(PIP) install -e ".[lab,test]"
	mkdir -p $(SETTINGS_DIR) && cp $(SETTINGS) $(SETTINGS_DIR)/overrides.json
	touch $@ $(STAMP_LAB)

# nbval only because pyproject's addopts name its options; no JupyterLab, no nbclient.
# pandas 2.0 has wheels for Python 3.8 to 3.11 only (later ones would build it from source).
$(STAMP_OLDEST): pyproject.toml $(OLDEST_CONSTRAINTS)
	@$(OLDEST_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] > (3, 11))' || { \
	  echo "make test-oldest needs Python 3.10 or 3.11 (pandas 2.0 has no wheels for later ones): OLDEST_PYTHON=python3.11"; exit 1; }
	test -x $(OLDEST_BIN)/python || $(OLDEST_PYTHON) -m venv $(OLDEST_VENV)
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(OLDEST_BIN)/python -m pip install -c $(OLDEST_CONSTRAINTS) -e . pytest hypothesis nbval
	touch $@

# --- classroom delivery (issue 5) --------------------------------------------
#   make lite                               JupyterLite site (student edition) in _output/, self-contained: its own
#                                           Pyodide, verified and cached in .cache/offline-lite (npm and PyPI on the first build)
#   make lite LITE_ARGS="--pyodide pyodide-0.27.7.tar.bz2"   ... Pyodide's bytes from the official release first
#   make lite LITE_ARGS=--cdn               a smaller site that loads Pyodide from its CDN (internet needed in class)
#   make lite LITE_ARGS=--teacher-edition   a site with the solution cells, for teachers only
#   make student-edition                    the student edition (no answers) in student_edition/
#   make student-edition EDITION_ARGS="--publish student"   ... and commit it as the branch `student`
.PHONY: lite student-edition packet

lite: $(STAMP_LITE)  ## Build the JupyterLite site into _output/
	$(LITE_BIN)/python tools/build_lite.py $(LITE_ARGS)

student-edition: $(STAMP_LAB)  ## Build the student edition (what Binder, the hub link and make lab open)
	$(BIN)/python tools/student_edition.py --out $(STUDENT_EDITION) $(EDITION_ARGS)

$(LITE_BIN)/python: | $(BIN)/python
	$(PYTHON) -m venv $(LITE_VENV)

$(STAMP_LITE): pyproject.toml | $(LITE_BIN)/python check-python
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(LITE_BIN)/python -m pip install -e ".[lite]"
	touch $@

packet: $(STAMP_LAB)  ## Build the teacher's printable packet (PDF, offline) into packet.pdf
	$(BIN)/python tools/packet.py --out packet.pdf

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make test needs npm (Node.js) for the accessibility audit's axe-core: e.g. sudo apt install npm"; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

$(CHP): tests/hub/package.json tests/hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make test needs npm (Node.js) for JupyterHub's configurable-http-proxy: e.g. sudo apt install npm"; exit 1; }
	npm ci --prefix tests/hub --no-audit --no-fund
	touch $@

# One-command set-up and jobs. `make run` and `make test` work on a fresh machine:
# they create .venv with Python >= 3.12, install the project into it, then run.
# Each target installs only what it needs (pyproject.toml's extras), at the versions
# locked in requirements/lock.txt: `make run` the running core, `make test` and
# `make lint` everything (the dev extra), `make app`, `make lab` and `make sensitivity`
# their own extras. A stamp per extra (.venv/.installed-<extra>) records what is in.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
FIND_PYTHON := for p in python3.12 python3.13 python3.14 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done
ARGS ?=
PORT ?= 8765

.PHONY: notebooks run test test-quick lint typecheck venv lock paramcard outputs bench bench-full app lab backtest calibrate sensitivity scenarios drones clean help

help:
	@echo "make run        set up .venv and run the baseline scenario ensemble (outputs/)"
	@echo "make test       set up .venv and run the whole test suite"
	@echo "make test-quick the suite without the slow tests (ensembles, subprocesses, notebooks, browser)"
	@echo "               and with the first case only of each exhaustive config check"
	@echo "make lint       ruff (lint and format check), mypy and vulture (unused code); CI runs it"
	@echo "make typecheck  mypy over sim/ and experiments/"
	@echo "make bench      speed and memory benchmarks, printed as ratios against their goals (~2 min)"
	@echo "make bench-full the same at the sizes the goals name (20,000 and 100,000 runs; ~45 min)"
	@echo "make app        serve the interactive model page on http://localhost:$(PORT)"
	@echo "make lab        open JupyterLab on notebooks/ with the project's kernel"
	@echo "make backtest   compare the historical scenarios with the known figures"
	@echo "make calibrate  ABC-SMC fit of the uncertain parameters to the record (pyabc; calibration/, ~20 min)"
	@echo "make sensitivity Sobol indices and scenario discovery over uncertain parameters"
	@echo "make scenarios  every counterfactual against the baseline: rewrites docs/scenarios.md's contrast (~2 min)"
	@echo "make drones     the UAV response of docs/validation.md: a 5-value sweep, its figure into docs/figures (~1 min)"
	@echo "make lock       re-resolve requirements/lock.txt (keeps the installed versions; ARGS=--upgrade for the newest)"
	@echo "make notebooks  run the notebooks' jupytext sources (notebooks/sources/) and store them with outputs"
	@echo "make paramcard  regenerate docs/parameters.md from conf/"
	@echo "make outputs    regenerate docs/outputs.md from sim/outputs/"
	@echo "Pass extra arguments with ARGS='...', e.g. make run ARGS='scenario=april_2016 ensemble.n=200'"
	@echo "  or make backtest ARGS='n=100 episodes=[day_one_2020]', make sensitivity ARGS='method=morris base=10'"
	@echo "  (every command takes key=value overrides, -m to sweep and --help: docs/experiments.md)"

# Make .venv with a Python >= 3.12 (or refuse an older one), then install the project with an extra.
define MAKE_VENV
	@base="$$($(FIND_PYTHON))"; \
	if [ -z "$$base" ]; then \
	  echo "error: Python >= 3.12 is required (Mesa 3.5 needs it) and none was found on PATH."; \
	  echo "       Install one (e.g. 'pyenv install 3.12' - .python-version selects it - or your OS package) and rerun."; \
	  exit 1; fi; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "error: $(VENV) uses Python < 3.12; remove it (rm -rf $(VENV)) and rerun."; exit 1; fi; \
	[ -x $(PY) ] || $$base -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
endef

# The dev extra: everything (tests, lint, benchmarks, every optional part).
$(STAMP): pyproject.toml $(LOCK)
	$(MAKE_VENV)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'
	@touch $(STAMP)

# What running needs, no extra.
$(RUN_STAMP): pyproject.toml $(LOCK)
	$(MAKE_VENV)
	$(PY) -m pip install --quiet -c $(LOCK) -e .
	@touch $(RUN_STAMP)

# One extra (analysis, app, lab, ...).
$(VENV)/.installed-%: pyproject.toml $(LOCK)
	$(MAKE_VENV)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[$*]'
	@touch $@

venv: $(STAMP)

lock: $(STAMP)
	$(PY) tools/lock.py $(ARGS)

run: $(RUN_STAMP)
	$(PY) -m experiments.run $(ARGS)

# The suite starts a few hundred Python processes (xdist workers, the CLI, pool workers,
# notebook kernels); with PYTHONDONTWRITEBYTECODE set, as some machines and images do, each
# would compile sim/ and pytest's rewritten tests afresh. The tests keep Python's default:
# bytecode cached in __pycache__ (ignored by git).
TEST_ENV := PYTHONDONTWRITEBYTECODE=

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest $(ARGS)

test-quick: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -m "not slow" $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check sim experiments hydra_plugins tests benchmarks tools
	$(VENV)/bin/ruff format --check sim experiments hydra_plugins tests benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/vulture sim experiments hydra_plugins tests benchmarks notebooks tools/vulture_whitelist.py --min-confidence 60 --ignore-names NAME,CELLS

typecheck: $(STAMP)
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) -m benchmarks $(ARGS)

bench-full: $(STAMP)
	$(PY) -m benchmarks --full $(ARGS)

# The page's front-end files are installed with the app extra, so `make app` starts without the network.
# Solara warns at every first request from 127.0.0.1 that a samesite=none cookie needs https; the page
# is served locally over http with a samesite=lax cookie, so the warning says nothing here.
QUIET_PAGE := ignore:Cookies with samesite=none require https:UserWarning
$(VENV)/.installed-app: pyproject.toml $(LOCK)
	$(MAKE_VENV)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[app]'
	$(PY) -m sim.app.assets
	@touch $@

app: $(VENV)/.installed-app
	SOLARA_TELEMETRY_MIXPANEL_ENABLE=false PYTHONWARNINGS="$(QUIET_PAGE)" $(VENV)/bin/solara run sim/app/war_page.py --port $(PORT) --host 127.0.0.1 --production $(ARGS)

# Jupyter refuses to run as root without --allow-root: pass it there, and say so.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(VENV)/.installed-lab
	$(PY) -m ipykernel install --user --name karabakh-escalation --display-name "Python (karabakh-escalation)"
	@[ -z "$(LAB_ROOT)" ] || echo "make lab: running as root, so JupyterLab gets --allow-root"
	$(VENV)/bin/jupyter lab $(LAB_ROOT) notebooks/ $(ARGS)

backtest: $(RUN_STAMP)
	$(PY) -m experiments.backtest $(ARGS)

notebooks: $(STAMP)
	$(PY) notebooks/make_notebooks.py $(ARGS)

calibrate: $(VENV)/.installed-calibrate
	$(PY) -m experiments.calibrate out=calibration docs=true $(ARGS)

sensitivity: $(VENV)/.installed-analysis
	$(PY) -m experiments.sensitivity $(ARGS)

scenarios: $(RUN_STAMP)
	$(PY) -m experiments.contrast docs=true executor=processes $(ARGS)

# The UAV response of docs/validation.md: a sweep of Azerbaijan's sorties whose report draws the
# response beside the record; its figure is copied into docs/figures (the table is response.csv).
DRONES := outputs/drones
drones: $(RUN_STAMP)
	rm -rf $(DRONES)
	$(PY) -m experiments.run -m belligerents.azerbaijan.uavs.value=0,13,26,52,80 ensemble.n=100 \
		hydra.sweep.dir=$(DRONES) $(ARGS)
	cp $(DRONES)/report/response.png docs/figures/drones_response.png

paramcard: $(RUN_STAMP)
	$(PY) -m sim.config.paramcard

outputs: $(RUN_STAMP)
	$(PY) -m sim.outputs

clean:
	rm -rf outputs multirun .pytest_cache

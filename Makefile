# One command to set up and run the course, one to set up and test it (see README.md).
# The Pythons the course supports: the lock resolves for all of them (the first is its floor), the scheduled
# workflow tests each, Binder runs the last. Keep in step with pyproject.toml and dmjak.environment.
SUPPORTED_PYTHONS := 3.11 3.12 3.13
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The Python the venv is built from: PYTHON=... when given, else the one the venv was built from (so `make lab`
# after `make setup PYTHON=python3.13` keeps 3.13), else python3.11. A different Python rebuilds the venv.
ifndef PYTHON
PYTHON := $(or $(shell sed -n 's/^executable = //p' $(VENV)/pyvenv.cfg 2>/dev/null),$(shell command -v python3.11 || command -v python3))
endif
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHON_MARK := $(VENV)/.python-$(or $(PYTHON_VERSION),unknown)
NB ?= 05_baricitinib_cases.ipynb
ARGS ?=
# JupyterLab refuses to start as root (containers, Codespaces) unless told that is intended.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# `make lock` keeps the locked versions the .in files still allow; LOCK_ARGS=--upgrade takes the newest.
LOCK_ARGS ?=
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version $(firstword $(SUPPORTED_PYTHONS)) --generate-hashes \
              --custom-compile-command "make lock" $(LOCK_ARGS)

.DEFAULT_GOAL := help
.PHONY: help setup site-setup lock lab test lint present html site student-copy launch-links slides handouts quiz-export lecturer bench clean
# Where the course is published (Binder and hub launch links); default: the `origin` remote if it is public.
REPO_URL ?=
REPO_BRANCH ?= main
HUB_URL ?=
SITE_STAMP := $(VENV)/.site-installed

help:  ## list the targets and what they do
	@echo "make <target>   (setup happens on first use; pass options to lab/present with ARGS=...)"
	@grep -hE '^[a-z][a-z_-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z_-]+):.*## /  \1\t/' | expand -t 12

# Everything installed comes from the locks (hashes checked); binder/postBuild adds what Binder adds:
# the course package, JupyterLab settings, the presenter template (one script for both).
$(STAMP): requirements.txt requirements-test.txt pyproject.toml binder/postBuild binder/jupyterlab-overrides.json \
          binder/jupyter_server_config.py binder/ipython_kernel_config.py \
          src/dmjak/tooling/templates/voila/dmjak-presenter/index.html.j2 package-lock.json package.json $(PYTHON_MARK)
	@command -v $(PYTHON) >/dev/null || { echo "PYTHON=$(PYTHON) was not found: set PYTHON=/path/to/python3.11 (or 3.12, 3.13)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(0 if v in "$(SUPPORTED_PYTHONS)".split() else f"Python {v} is not supported (found {sys.version.split()[0]} at $(PYTHON)); the course supports Python $(SUPPORTED_PYTHONS): set PYTHON=/path/to/one of them")'
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.txt
	PATH="$(abspath $(BIN)):$$PATH" NB_PYTHON_PREFIX="$(abspath $(VENV))" bash binder/postBuild
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	 else echo "npm not found: offline slides (make slides) and the classroom hub need Node.js"; fi
	touch $(PYTHON_MARK) $(STAMP)

# No recipe: a venv without this Python's mark (built from another Python, or not built) is rebuilt above.
$(PYTHON_MARK):

setup: $(STAMP)  ## create .venv/ from the locked requirements (about 2 minutes, once; PYTHON=python3.12 picks another of 3.11-3.13)

# The website's tools (Sphinx, myst-nb, the book theme) are a separate lock: no student or hub installs them.
$(SITE_STAMP): requirements-site.txt $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-site.txt
	touch $(SITE_STAMP)

site-setup: $(SITE_STAMP)  ## add the website's build tools (requirements-site.txt) to .venv/

lock: setup  ## re-resolve requirements*.in into the hashed locks requirements*.txt, then reinstall
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-test.in --constraint requirements.txt -o requirements-test.txt
	$(UV_COMPILE) requirements-site.in --constraint requirements-test.txt -o requirements-site.txt
	$(MAKE) setup site-setup

lab: setup  ## set up, then open JupyterLab on the start notebook
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(ARGS) notebooks/00_start_here.ipynb

present: setup  ## open a notebook (NB=05_baricitinib_cases, with or without .ipynb) as a code-free Voilà app
	$(BIN)/python -m dmjak.tooling.present "$(NB)" $(ARGS)

site: site-setup  ## course website from the executed notebooks: build/site/ (students), build/site-instructor/
	DMJAK_REPO_URL="$(REPO_URL)" DMJAK_REPO_BRANCH="$(REPO_BRANCH)" DMJAK_HUB_URL="$(HUB_URL)" $(BIN)/python -m dmjak.tooling.site.build both

html: site  ## the old name of `make site`

student-copy:  ## the repository for students to launch, without instructors/ (the guide and its answer key): DEST=...
	@test -n "$(DEST)" || { echo "set DEST=/path/to/new/folder (outside this repository)"; exit 2; }
	@test ! -e "$(DEST)" || { echo "$(DEST) exists: choose a new folder"; exit 2; }
	mkdir -p "$(DEST)" && git archive --format=tar HEAD | tar -x -C "$(DEST)" && rm -r "$(DEST)/instructors"
	@echo "$(DEST): commit it to the public repository students launch (REPO_URL); keep this one private."

launch-links: setup  ## write README.md's Binder badge and links for REPO_URL (default: the public origin remote)
	DMJAK_REPO_URL="$(REPO_URL)" DMJAK_REPO_BRANCH="$(REPO_BRANCH)" $(BIN)/python -m dmjak.tooling.site.repository readme

slides: setup  ## offline reveal.js slides (static charts) to build/site/slides/
	$(BIN)/python -m dmjak.tooling.export slides

handouts: setup  ## one short A4 PDF per notebook (text, figures, questions; no code, no answers) to build/handouts/
	$(BIN)/python -m dmjak.tooling.handouts

quiz-export: setup  ## the course's questions for Moodle (XML) and Canvas (QTI .zip) to build/lecturer/quiz/ (holds the key)
	$(BIN)/python -m dmjak.tooling.quiz_export

lecturer: quiz-export  ## lecturer-only outputs in build/lecturer/: the guide as HTML and the quiz exports
	$(BIN)/python -m dmjak.tooling.export guide

lint: setup  ## ruff lint and format check
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: lint site-setup  ## set up, lint, then run every test (unit tests and every notebook through papermill)
	$(BIN)/pytest -n 2 --dist loadgroup

bench: setup  ## performance budgets P1-P4 against same-run floors; JSON and tables in build/bench/
	$(BIN)/python benchmarks/run.py

clean:  ## remove build outputs, caches and node_modules (keeps .venv/)
	rm -rf build .pytest_cache .ruff_cache node_modules

# --- Classroom (JupyterHub): rehearse a class on this machine (issue 14; see docs/classroom.md) -----
.PHONY: classroom classroom-bench

classroom: setup  ## a real JupyterHub on 127.0.0.1, one OS user per student (needs root); prints the links and password
	$(BIN)/python -m dmjak.tooling.classroom.hub

classroom-bench: setup  ## load test: 30+ students on the hub at once; writes build/bench/classroom.json
	$(BIN)/python benchmarks/classroom.py

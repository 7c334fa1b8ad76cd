# One command to set up and run the course, one to set up and test it (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
VOILA_TEMPLATES := $(VENV)/share/jupyter/voila/templates
NB ?= 05_baricitinib_cases.ipynb

.PHONY: setup lab test lint present html slides bench clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml binder/jupyterlab-overrides.json \
          src/dmjak/tooling/templates/voila/dmjak-presenter/index.html.j2 package-lock.json package.json
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else f"Python 3.11 is required, found {sys.version.split()[0]} at $(PYTHON); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	# rfc3987-syntax (pulled in via jupyter-events) compiles a grammar on every kernel start (~1-2 s);
	# nothing in the course needs it and `pip check` stays clean without it (verified-stack.md).
	$(BIN)/pip uninstall --quiet --yes rfc3987-syntax
	mkdir -p $(LAB_SETTINGS) && cp binder/jupyterlab-overrides.json $(LAB_SETTINGS)/overrides.json
	mkdir -p $(VOILA_TEMPLATES) && cp -r src/dmjak/tooling/templates/voila/dmjak-presenter $(VOILA_TEMPLATES)/
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	 else echo "npm not found: offline slides (make slides) and the classroom hub need Node.js"; fi
	# Vega's offline bundle for live charts, built once (students' kernels only read it).
	$(BIN)/python -m dmjak.tooling.shared_chart
	touch $(STAMP)

setup: $(STAMP)

lab: setup  ## set up, then open JupyterLab on the start notebook
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

present: setup  ## open a notebook (NB=..., default the cases) as a code-free Voilà app
	$(BIN)/voila notebooks/$(NB)

html: setup  ## execute every notebook and write the offline site to build/site/
	$(BIN)/python -m dmjak.tooling.export site

slides: setup  ## offline reveal.js slides (static charts) to build/site/slides/
	$(BIN)/python -m dmjak.tooling.export slides

lint: setup
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: lint  ## set up, lint, then run every test (unit tests and every notebook through papermill)
	$(BIN)/pytest

bench: setup  ## performance budgets P1-P4 against same-run floors; JSON and tables in build/bench/
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .pytest_cache .ruff_cache node_modules

# --- Classroom (JupyterHub): rehearse a class on this machine (issue 14; see docs/classroom.md) -----
.PHONY: classroom classroom-bench

classroom: setup  ## a real JupyterHub on 127.0.0.1 (any name logs in); prints the student and lecturer links
	$(BIN)/python -m dmjak.tooling.hub

classroom-bench: setup  ## load test: 30+ students on the hub at once; writes build/bench/classroom.json
	$(BIN)/python benchmarks/classroom.py

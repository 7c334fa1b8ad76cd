# One command to set up and run the course, one to set up and test it (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

.PHONY: setup lab test lint clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml binder/jupyterlab-overrides.json
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else f"Python 3.11 is required, found {sys.version.split()[0]} at $(PYTHON); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	mkdir -p $(LAB_SETTINGS) && cp binder/jupyterlab-overrides.json $(LAB_SETTINGS)/overrides.json
	touch $(STAMP)

setup: $(STAMP)

lab: setup  ## set up, then open JupyterLab on the start notebook
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

lint: setup
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: lint  ## set up, lint, then run every test (unit tests and every notebook through papermill)
	$(BIN)/pytest

clean:
	rm -rf build .pytest_cache .ruff_cache

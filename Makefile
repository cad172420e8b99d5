# The two commands of the README. Each sets up .venv on its own, so a fresh machine with only
# Python 3.11+ and pip needs nothing else.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
RUN_DIR ?= reports/demo

.PHONY: demo test install clean lint lab

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

# The demo's steps are defined once, in khaudit/devtasks.py, so `python -m khaudit.devtasks demo`
# (Windows, no make) runs exactly these.
demo: $(BIN)/.installed
	$(BIN)/python -m khaudit.devtasks demo --demo-dir $(DEMO_DIR) --run-dir $(RUN_DIR)

# JupyterLab on the notebooks (explore_gaps.ipynb: the analyst's explorer), widgets included.
lab: $(BIN)/.installed
	$(BIN)/jupyter lab --notebook-dir=notebooks

# Lint, format and types first: a change that breaks them fails as surely as a failing test.
test: lint
	$(BIN)/python -m pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check khaudit tests bench
	$(BIN)/ruff format --check khaudit tests bench
	$(BIN)/mypy khaudit

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(RUN_DIR) $(RUN_DIR)-2025-06-10

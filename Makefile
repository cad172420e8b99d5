# The two commands of the README. Each sets up .venv on its own, so a fresh machine with only
# Python 3.11+ and pip needs nothing else.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
RUN_DIR ?= reports/demo

.PHONY: demo test install clean lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

# The demo audits twice: on 10 June with a quarter of the good scans not yet delivered, then on
# 24 June after the delivery, so its reports show a real trend against the 30 June deadline.
demo: $(BIN)/.installed
	$(BIN)/khaudit demo $(DEMO_DIR) --force --hold-back 0.25
	$(BIN)/khaudit audit $(DEMO_DIR)/project.toml --out $(RUN_DIR)-2025-06-10 --as-of 2025-06-10 --no-report
	$(BIN)/khaudit demo $(DEMO_DIR) --deliver
	$(BIN)/khaudit audit $(DEMO_DIR)/project.toml --out $(RUN_DIR) --as-of 2025-06-24
	$(BIN)/khaudit history $(DEMO_DIR)/project.toml
	$(BIN)/khaudit score $(RUN_DIR) $(DEMO_DIR)/ground_truth
	@echo "Reports: $(RUN_DIR)/<locality>/report.html and report.xlsx, $(RUN_DIR)/province.html (tables: $(RUN_DIR)/records.csv, files.csv)"

# Lint, format and types first: a change that breaks them fails as surely as a failing test.
test: lint
	$(BIN)/python -m pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check khaudit tests bench
	$(BIN)/ruff format --check khaudit tests bench
	$(BIN)/mypy khaudit

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(RUN_DIR) $(RUN_DIR)-2025-06-10

# Vetted — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The first interpreter that really runs and is Python >= 3.12: python3.13 / python3.12 on
# PATH (a pyenv shim for a version that is not active fails, so each is tried), then pyenv's
# own installs.
define find_python
for candidate in python3.13 python3.12 \
    $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[23]* 2>/dev/null \
       | sort -rV | sed 's|$$|/bin/python3|'); do \
  if command -v "$$candidate" >/dev/null 2>&1 && \
     "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: run serve test test-fast lint format check clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@python_bin=$$($(find_python)) || { \
	  echo "error: Vetted needs Python 3.12 or newer. Install python3.12 or python3.13" >&2; \
	  echo "       (or a pyenv version 3.12.x/3.13.x) and run make again." >&2; exit 1; }; \
	echo "Using $$python_bin ($$($$python_bin --version))"; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV) && "$$python_bin" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt ".[dev]"
	@touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production stack locally: PostgreSQL, Redis, gunicorn and the task worker (scripts/serve.sh).
serve: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) scripts/serve.sh

test: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# Without the browser tests: quick feedback, and the SQLite pass in CI.
test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

# axe-core for the accessibility check, from npm, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

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

.PHONY: run serve drill test test-fast screenshots browser-deps lint format check clean bench bench-http

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

# Fault drill: restart a throwaway PostgreSQL under load, with and without ?pool=true, and
# print what readers saw (scripts/fault_drill.py; needs initdb/pg_ctl and redis-server).
# Not part of `make test`.
drill: $(VENV)/.installed
	$(PY) scripts/fault_drill.py $(DRILL_ARGS)

test: $(VENV)/.installed browser-deps node_modules/.installed
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# Test runs write screenshots to test-results/ (ignored). This refreshes the committed ones
# in docs/screenshots/, on purpose, from the first-screen browser test.
screenshots: $(VENV)/.installed browser-deps
	VETTED_SCREENSHOTS_DIR=docs/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true \
	  $(VENV)/bin/pytest tests/browser/test_first_screen.py tests/board/test_compare_browser.py \
	  -k screenshot -q
	@ls -l docs/screenshots/

# Debian's chromium (Playwright drives it; nothing downloads a browser) and npm (for axe-core).
# Installed with apt when we are root, as .ci/run does; otherwise the one command is printed.
CHROMIUM := $(or $(VETTED_CHROMIUM),/usr/bin/chromium)
browser-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	     [ "$(CHROMIUM)" = /usr/bin/chromium ]; then \
	    echo "Installing$$missing from Debian (apt-get)"; \
	    apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || exit 1; \
	  else \
	    echo "error: make test needs$$missing. Install it with:" >&2; \
	    echo "    sudo apt-get install -y$$missing" >&2; \
	    [ "$(CHROMIUM)" = /usr/bin/chromium ] || \
	      echo "  (or point VETTED_CHROMIUM at a Chromium; it is now $(CHROMIUM))" >&2; \
	    exit 1; \
	  fi; \
	fi

# Without the browser tests: quick feedback, and the SQLite pass in CI.
test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

# axe-core for the accessibility check, from npm, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json | browser-deps
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

# Every benchmark in benchmarks/, each on its own temporary database; see README.md "Speed".
# The API benchmark at 10,000 articles (benchmarks/api.py) takes BENCH_ARGS; the scale table
# (benchmarks/scale.py) takes SCALE_SIZES and BENCH_DATABASES (sqlite,postgres by default).
SCALE_SIZES ?= 1000 10000
bench: $(VENV)/.installed
	$(PY) benchmarks/api.py $(BENCH_ARGS)
	$(PY) benchmarks/article_page.py
	$(PY) benchmarks/seed_synthetic.py
	$(PY) benchmarks/import_sniffing.py
	$(PY) benchmarks/scale.py $(SCALE_SIZES)
	$(PY) benchmarks/board_queue.py
	$(PY) benchmarks/import_job.py

# gunicorn (2 workers, production settings, Redis) under a Python load generator: req/s for the
# cached article page against a bare view returning the same bytes (README "Speed").
bench-http: $(VENV)/.installed
	$(PY) benchmarks/http_load.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

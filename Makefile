# The project's entry points. Everything a fresh Debian machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: constraints help install messages system-deps static migrate demo test e2e bench lint fmt clean

help:
	@echo "make demo   - set up everything and run app, worker and both sandboxes"
	@echo "make test   - the whole test suite"
	@echo "make e2e    - browser tests only (Playwright + Debian chromium)"
	@echo "make bench  - benchmarks, printing figures"

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

constraints:
	$(VENV)/bin/pip freeze | grep -v '^-e' > constraints.tmp
	{ head -2 constraints.txt; cat constraints.tmp; } > constraints.txt && rm constraints.tmp

install: $(STAMP) static

system-deps:
	bash scripts/install-system-deps.sh
	bash scripts/install-unoserver.sh

static/vendor/htmx.min.js: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

static: static/vendor/htmx.min.js

migrate: install
	$(PY) manage.py migrate --noinput

demo: system-deps install
	bash scripts/demo.sh

test: system-deps install
	$(PY) -m pytest $(PYTEST_ARGS)

e2e: system-deps install
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

bench: system-deps install
	$(PY) -m bench $(BENCH_ARGS)

messages: install
	bash scripts/messages.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules static/vendor .data

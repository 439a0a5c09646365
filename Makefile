# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)

.PHONY: run demo test lint typecheck unit bench clean

# Every dependency comes as a binary wheel (no compiler, no minutes of silent C++ builds);
# pip prints each package it fetches, with a progress bar, so a first install shows its work.
$(STAMP): pyproject.toml
	@echo "==> [1/3] virtual environment in $(VENV) (once; later runs reuse it)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] upgrading pip"
	$(PY) -m pip install --upgrade --progress-bar on pip
	@echo "==> [3/3] installing gistcache with its test dependencies (binary wheels only)"
	$(PY) -m pip install --progress-bar on --only-binary=:all: -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@
	@echo "==> installed; this step is skipped until pyproject.toml changes"

# The proxy server on the embedded default; without OPENAI_API_KEY it answers through a local
# fake OpenAI server (clearly logged), so it works offline.
run: $(STAMP)
	@if [ -n "$$OPENAI_API_KEY" ]; then $(VENV)/bin/gistcache serve; \
	else $(VENV)/bin/gistcache serve --fake-upstream; fi

demo: $(STAMP)
	$(PY) -m gistcache.demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks examples

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(VENV)/bin/pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_quality.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

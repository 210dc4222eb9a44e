# Shortcuts for development. The README's test command (what CI runs) is `make test`.
PY ?= .venv/bin/python

.PHONY: venv test quick lint bench run

venv:
	python3 -m venv .venv && .venv/bin/pip install -q -r requirements-dev.txt

# Everything CI runs: unit, property, data, CLI, app, browser and load tests, lint and types.
test:
	$(PY) -m pytest

# The inner loop (a few minutes): no tests marked slow (long fuzzing, the random session, the
# load test, the multi-process deployment).
quick:
	$(PY) -m pytest -m "not slow" -q

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

bench:
	$(PY) benchmarks/run.py

run:
	.venv/bin/streamlit run app.py

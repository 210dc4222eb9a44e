# Shortcuts for development. The README's test command (what CI runs) is `make test`.
PY ?= .venv/bin/python

.PHONY: venv test quick lint bench run

venv:
	python3 -m venv .venv && .venv/bin/pip install -q -r requirements-dev.txt

# Everything CI runs: unit, property, data, CLI, app, browser and load tests, lint and types.
test:
	$(PY) -m pytest

# The inner loop (under three minutes): no tests marked slow (the real-browser tests, long
# fuzzing, the random session, the load test, the multi-process deployment), and a quarter of
# the planner's property examples.
quick:
	SKILLTREE_PROPERTY_EXAMPLES=50 $(PY) -m pytest -m "not slow" -q

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

bench:
	$(PY) benchmarks/run.py

run:
	.venv/bin/streamlit run app.py

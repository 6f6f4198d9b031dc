# The two commands: `make run` (the main job) and `make test` (the whole suite).
# Each does its own set-up on a fresh machine (virtualenv, install, Kafka jars) and is quick the second time.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint faults bench setup clean kafka-start kafka-stop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## run: local Kafka + worker + the sample events; prints suppressions, alerts and trends. Ctrl-C stops it all.
run: setup
	$(PY) -m bounceguard demo

## test: the whole suite against a real broker it starts itself (the slowest fault tests: `make faults`)
test: setup
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"

## faults: the slower fault-injection tests (SIGKILL, rebalance, broker restart, retention)
faults: setup
	$(PY) -m pytest -q -p no:cacheprovider -s tests/faults

lint: setup
	$(VENV)/bin/ruff check src tests bench examples
	$(VENV)/bin/ruff format --check src tests bench examples
	$(VENV)/bin/mypy

kafka-start: setup
	$(PY) -m bounceguard kafka start

kafka-stop: setup
	$(PY) -m bounceguard kafka stop

clean:
	rm -rf $(VENV) var build *.egg-info

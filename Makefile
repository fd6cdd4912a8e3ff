# The two commands a fresh clone needs:
#   make run   - create .venv, install the bot, start it (the local chat when no token is set)
#   make test  - create .venv, install the bot with test extras, run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench dashboard lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot start

test: $(STAMP)
	$(PY) -m pytest -q

dashboard: $(STAMP)
	$(PY) -m bot dashboard

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/qa.py
	$(PY) bench/delivery.py

clean:
	rm -rf $(VENV) .pytest_cache

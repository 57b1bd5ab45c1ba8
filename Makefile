# Gandeng Gendong: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
PYTEST_ARGS ?= -n 2 --dist loadgroup  # loadgroup: tests sharing a costly fixture (xdist_group) stay in one worker

.PHONY: install run serve worker test test-fast translations extract-messages benchmark clean

install: $(VENV)/.installed gandeng/translations/en/LC_MESSAGES/messages.mo

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

gandeng/translations/en/LC_MESSAGES/messages.mo: gandeng/translations/en/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d gandeng/translations -D messages

run: install
	$(FLASK) init-db
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: gunicorn with several workers (settings from the environment: docs/deployment.md).
serve: install
	$(FLASK) init-db
	$(BIN)/gunicorn --config deploy/gunicorn.conf.py app:app

# The RQ worker for matching runs (needs REDIS_URL).
worker: install
	$(FLASK) worker

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick loop while working: no browser or other slow end-to-end tests, SQLite only.
test-fast: install
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not slow"

# After changing user-facing text: refresh the catalogue, translate the new English entries.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o gandeng/translations/messages.pot .
	$(BIN)/pybabel update -i gandeng/translations/messages.pot -d gandeng/translations

benchmark: install
	$(BIN)/python benchmarks/bench_matching.py

clean:
	rm -rf $(VENV) .pytest_cache

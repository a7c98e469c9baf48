# Bedarfsregister: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
FLASK := $(BIN)/flask --app wsgi
PO_FILES := $(wildcard tracker/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test install install-test translations extract-messages system-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,postgres,redis]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

%.mo: %.po
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(MO_FILES)

extract-messages: | $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --ignore-dirs ".*" -o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching

# Without a mail server configured, `make run` writes the mail into instance/mail/ as .eml.
RUN_MAIL := $(if $(TRACKER_MAIL_SERVER),,TRACKER_MAIL_PICKUP_DIR=mail)

## run: install, migrate, load demo data into an empty database, serve with gunicorn and the mail sender
run: install
	$(FLASK) db upgrade
	$(FLASK) demo ensure
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C stops)"
	@echo "$(if $(RUN_MAIL),Mail is written to instance/mail/ (set TRACKER_MAIL_SERVER to send it),Mail goes to $(TRACKER_MAIL_SERVER))"
	@$(RUN_MAIL) TRACKER_BASE_URL=$${TRACKER_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) mail deliver & sender=$$!; \
	trap 'kill $$sender 2>/dev/null; wait $$sender' EXIT INT TERM; \
	$(RUN_MAIL) TRACKER_BASE_URL=$${TRACKER_BASE_URL:-http://$(HOST):$(PORT)} \
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## system-deps: Debian packages the browser tests and PDF rendering need (root only)
system-deps:
	@scripts/system-deps.sh

## test: install with test extras and run the whole suite
test: install-test system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: seed 100,000 items into a fresh database, serve with gunicorn, measure (bench/README.md)
bench: install-test system-deps
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check tracker tests bench
	$(BIN)/ruff format --check tracker tests bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

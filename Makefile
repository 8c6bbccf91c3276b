# gongkai — two commands set up a fresh machine:
#   make run    create the venv, install, migrate SQLite (var/), load demo data, serve on 127.0.0.1:8000
#   make test   create the venv, install, run the whole test suite (DATABASE_URL picks PostgreSQL)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?= -n auto  # pytest-xdist: one worker per core

.PHONY: run test lint serve setup demo clean bench bench-ocr

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,ocr]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo

run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	@# The suite talks to a real Redis on loopback (the shared cache of several nodes).
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy gongkai
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run

# Every bench at a small size (each takes a size argument for the full figures: see README), in
# under 2 minutes. Each prints ✓ or ✗ against its target; one that misses it or fails is listed
# in the total line at the end, and the others still run. Migrated SQLite databases, the benches'
# built databases and the collected static files are cached under bench/out/ and var/bench/ by
# a hash of what they are made from (bench/dbcache.py): a first run builds them.
# OCR (one read of the 3-page scan: about 3 minutes at load 5, most of the old make bench) is
# timed by `make bench-ocr` (bench/readers.py --ocr-only: pages/s, peak memory).
BENCHES = \
	"startup.py 5" \
	"deadlines.py 5000" \
	"calendar_reload.py 2000 --reps 2" \
	"report_compute.py --cases 20000 --agencies 50 --budget 0.2" \
	"readers.py --files 10 --pdf-files 1 --ocr-reads 0" \
	"portal.py --items 5000 --runs 10 --no-baseline" \
	"portal_http.py --items 5000 --seconds 1.5" \
	"ledger_import.py --rows 2000" \
	"audit_dir.py --agencies 5 --years 2 --pdf-copies 1" \
	"uploads.py"

bench: $(STAMP)
	@failed=""; all=$$(date +%s); for b in $(BENCHES); do echo "== bench/$$b"; start=$$(date +%s); \
		$(BIN)/python bench/$$b || failed="$$failed bench/$$b;"; \
		echo "   (bench/$$b: $$(( $$(date +%s) - start )) s wall-clock, load $$(cut -d' ' -f1 /proc/loadavg))"; done; \
		echo "== make bench: $$(( $$(date +%s) - all )) s in all (target < 120 s), load $$(cut -d' ' -f1-3 /proc/loadavg);" \
			"over target or failed:$${failed:- none}"; \
		test -z "$$failed"

bench-ocr: $(STAMP)
	$(BIN)/python bench/readers.py --ocr-only --ocr-reads 2

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# The README's two commands are `make run` and `make test`; each does its own set-up.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
DB      ?= data/geo.sqlite
PORT    ?= 8501
export GEO_DB ?= $(DB)

.PHONY: install run test bench lint format system-deps index clean

install: .venv/.installed data/gazetteer.idx dashboard/static/labels/index.json

.venv/.installed: requirements.txt
	python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

# The compact gazetteer index is built once from the bundled CSV (not committed).
data/gazetteer.idx: data/gazetteer.csv .venv/.installed
	$(PY) -m geo gazetteer index

index: data/gazetteer.idx

# Basemap place-name labels, cut from the bundled gazetteer (not committed; ~2 s).
dashboard/static/labels/index.json: data/gazetteer.csv dashboard/labels_build.py .venv/.installed
	$(PY) -m dashboard.labels_build

# Debian packages the tests need: Chromium for the browser test, PostgreSQL for the store suite.
system-deps:
	@if command -v chromium >/dev/null && command -v pg_ctlcluster >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql >/dev/null; \
	else echo "system-deps: not root; browser and PostgreSQL tests will be skipped" >&2; fi

run: install
	$(PY) -m geo ingest --if-empty seeds
	$(PY) -m dashboard --port $(PORT) --db $(GEO_DB)

test: install system-deps
	$(PY) -m pytest -q tests

bench: install
	$(PY) -m bench

lint:
	.venv/bin/ruff check geo dashboard tests bench
	.venv/bin/ruff format --check geo dashboard tests bench

format:
	.venv/bin/ruff format geo dashboard tests bench
	.venv/bin/ruff check --fix geo dashboard tests bench

clean:
	rm -rf .venv data/gazetteer.idx* data/geo.sqlite*

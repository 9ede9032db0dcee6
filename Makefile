# The README's two commands are `make run` and `make test`; each does its own set-up.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
DB      ?= data/geo.sqlite
PORT    ?= 8501
# The dashboard listens on this machine only. HOST=0.0.0.0 shares it with the network: anyone
# who can reach the port can then read the whole corpus and add articles (no login).
HOST    ?= 127.0.0.1
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
	@if [ "$(HOST)" != 127.0.0.1 ] && [ "$(HOST)" != localhost ]; then \
	  echo "WARNING: the dashboard listens on $(HOST):$(PORT): anyone who can reach this machine \
	on that address can read every article and upload new ones. There is no login." >&2; fi
	$(PY) -m dashboard --address $(HOST) --port $(PORT) --db $(GEO_DB)

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

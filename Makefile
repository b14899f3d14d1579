# make run   installs what is missing, seeds the knowledge base, builds the spaCy pipeline, trains when the
#            training data changed, then starts the action server (:5055), Rasa (:5005) and the chat page (:8080).
# make test  the same preparation, then the linters (make lint: ruff and mypy), then every test.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/iecmh.tar.gz
PIPELINE := build/spacy-iecmh/meta.json
KNOWLEDGE := $(wildcard knowledge/*.csv)
TRAINING_DATA := $(shell find data -type f -name '*.yml' 2>/dev/null)

.PHONY: run run-prod test lint install seed pipeline train clean bench

run: install seed pipeline train
	@bash scripts/serve.sh

# make run-prod  the production profile on one machine (scripts/run_prod.sh; settings in serving/prod.py).
run-prod: install system-packages seed pipeline train
	@bash scripts/run_prod.sh

test: install system-packages lint seed pipeline train
	$(PY) -m pytest -q -s tests

lint: install
	$(VENV)/bin/ruff check actions channels conversation_store serving benchmarks tests web/serve.py
	$(VENV)/bin/mypy actions channels conversation_store serving

install: $(VENV)/.installed $(VENV)/.compiled

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

# The installed packages' bytecode, compiled once: with PYTHONDONTWRITEBYTECODE nothing else writes it, and without
# it every start of a server compiles Rasa and its libraries again (half of the Rasa server's start).
$(VENV)/.compiled: $(VENV)/.installed
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

seed: install
	$(PY) -m actions.knowledge.loader

pipeline: $(PIPELINE)

$(PIPELINE): $(KNOWLEDGE) actions/nlp_pipeline.py actions/knowledge/names.py | install
	$(PY) -m actions.knowledge.loader >/dev/null
	$(PY) -m actions.nlp_pipeline

train: $(MODEL)

$(MODEL): config.yml domain.yml $(TRAINING_DATA) | $(PIPELINE)
	@echo "Training the Rasa model (a few minutes)..."
	@start=$$(date +%s); \
	$(RASA) train --config config.yml --domain domain.yml --data data --out models --fixed-model-name iecmh; \
	echo "Training took $$(( $$(date +%s) - start )) s"; touch $@

# make bench   our assistant beside a stock `rasa init` bot (BENCH_ARGS="--prod" for the production profile).
bench: install seed pipeline train
	$(PY) -m benchmarks.load $(BENCH_ARGS)

clean:
	rm -rf build models/*.tar.gz .rasa results

# Debian packages: Chromium for the browser tests, nginx for the production profile.
system-packages:
	@missing=""; for tool in chromium nginx; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then apt-get update && apt-get install -y $$missing; fi

# `make web` rebuilds web/static from web/src (Node is needed only for that; the built files are committed).
.PHONY: system-packages bench-web web

bench-web: install seed pipeline train system-packages
	$(PY) -m benchmarks.web_page

web:
	cd web && npm ci && npm run build

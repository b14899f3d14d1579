# make run   installs what is missing, seeds the knowledge base, builds the spaCy pipeline, trains when the
#            training data changed, then starts the action server (:5055) and Rasa with the REST channel (:5005).
# make test  the same preparation, then every test.
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

.PHONY: run test install seed pipeline train clean benchmark

run: install seed pipeline train
	@bash scripts/serve.sh

test: install seed pipeline train
	$(PY) -m pytest -q -s tests

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)
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

benchmark: install seed pipeline train
	$(PY) -m benchmarks.rest_latency

clean:
	rm -rf build models/*.tar.gz .rasa results

# The chat page: browser tests need Debian's Chromium; `make web` rebuilds web/static from web/src (Node needed
# only for that; the built files are committed).
.PHONY: chromium bench-web web
test: chromium

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)

bench-web: install seed pipeline train chromium
	$(PY) -m benchmarks.web_page

web:
	cd web && npm ci && npm run build

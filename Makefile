# liandong: `make run` brings the district up, `make test` proves it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint schemas clean

run: $(STAMP)
	$(BIN)/liandong-stack

test: $(STAMP)
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lock:
	$(BIN)/pip-compile --quiet --strip-extras --extra test --generate-hashes \
		-o requirements.lock pyproject.toml

lint: $(STAMP)
	$(BIN)/ruff check libs services tests scripts

schemas: $(STAMP)
	$(BIN)/python -m liandong_contracts.export

clean:
	rm -rf .var .pytest_cache .hypothesis

# The edition's commands. Every target calls the one CLI (`telegrams`) inside .venv; see README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
CLI    := $(BIN)/telegrams

.PHONY: all install validate html text schema test deposit verify bench fuzz clean

# `html` writes the plain-text edition too (build/text), from the same pass over the documents.
all: validate html

# Reinstall only when pyproject.toml changes, so a second `make` does no install work. Editors get the runtime
# dependencies only; `make test` adds the test extras (pytest, playwright...) once, with its own stamp.
install: $(STAMP)
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

$(TESTSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(TESTSTAMP)

validate: $(STAMP)
	$(CLI) validate tei

html: $(STAMP)
	$(CLI) html --text-out build/text

text: $(STAMP)
	$(CLI) text

schema: $(STAMP)
	$(CLI) schema

# The deposit refuses an invalid corpus itself; `validate` first shows every finding in the usual form.
deposit: $(STAMP) validate html
	$(CLI) deposit build

verify: $(STAMP)
	$(CLI) deposit verify

bench: $(STAMP)
	$(CLI) bench

# Nightly-style: 10,000 generated and mutated documents per property through parse, validate and the editions.
fuzz: $(TESTSTAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/hardening -m fuzz -p no:cacheprovider -q

test: $(TESTSTAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf build .pytest_cache

# The Issues Matrix. Run `make` to see the commands.
.DEFAULT_GOAL := help
.PHONY: help matrix validate watch release publish test-browser bench templates templates-with-data test fuzz golden lint format clean distclean

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
INPUTS ?= inputs

# What the command line takes, passed on when given: make matrix OUTPUT=draft.xlsx STRICT=1
RUN_OPTIONS = $(if $(STRICT),--strict) $(if $(OUTPUT),--output "$(OUTPUT)")
SINCE_OPTION = $(if $(SINCE),--since "$(SINCE)")

help: ## Show the commands (this list)
	@echo "Issues Matrix: turn the region workbooks in $(INPUTS)/ into one colour-coded matrix."
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Options: INPUTS=folder (default inputs), OUTPUT=file.xlsx (the matrix to write),"
	@echo "  SINCE=earlier-matrix.xlsx (compare with it), STRICT=1 (warnings stop the run),"
	@echo "  FORCE=1 (templates: replace ones with rows in them), PYTHON=python3.12 (3.11 or newer)."

# The virtual environment, made once and refreshed when pyproject.toml changes.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Error: the pipeline needs Python 3.11 or newer; '$(PYTHON)' is not." >&2; \
	  echo "Hint: install a newer Python, or name it: make matrix PYTHON=python3.12" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

matrix: $(VENV)/.installed ## Check the inputs and build the matrix into outputs/
	@$(BIN)/python -m pipeline matrix --inputs "$(INPUTS)" $(RUN_OPTIONS) $(SINCE_OPTION)

validate: $(VENV)/.installed ## Check the inputs and list every problem; writes no matrix
	@$(BIN)/python -m pipeline validate --inputs "$(INPUTS)" $(if $(STRICT),--strict)

watch: $(VENV)/.installed ## Rebuild the matrix each time an input workbook is saved (Ctrl-C stops)
	@$(BIN)/python -m pipeline watch --inputs "$(INPUTS)" $(RUN_OPTIONS) $(SINCE_OPTION)

release: $(VENV)/.installed ## File the matrix as the next numbered version in outputs/releases/
	@$(BIN)/python -m pipeline release --inputs "$(INPUTS)" $(RUN_OPTIONS)

publish: $(VENV)/.installed ## Write the latest release as a web page, PDF and public workbook
	@$(BIN)/python -m pipeline publish --inputs "$(INPUTS)"

templates: $(VENV)/.installed ## Write input workbooks with dropdowns into outputs/templates/
	@$(BIN)/python -m pipeline templates --inputs "$(INPUTS)" $(if $(FORCE),--force)

templates-with-data: $(VENV)/.installed ## The same, each starting with the rows of your workbook
	@$(BIN)/python -m pipeline templates --inputs "$(INPUTS)" --with-data $(if $(FORCE),--force)

bench: $(VENV)/.installed ## Time the pipeline on the shipped data, 10x it and 100,000 proposals
	$(BIN)/python benchmarks/bench.py

test: $(VENV)/.installed-dev ## Run the whole test suite (the browser tests where Chromium is)
	$(BIN)/python -m pytest -q

test-browser: $(VENV)/.installed-dev ## Run the web page's tests in Chromium (apt-get install chromium)
	BROWSER_TESTS=required $(BIN)/python -m pytest -q -m browser

golden: $(VENV)/.installed-dev ## Rebuild tests/golden/ from the shipped inputs (review: git diff tests/golden/)
	$(BIN)/python tests/golden.py

FUZZ_EXAMPLES ?= 3000
fuzz: $(VENV)/.installed-dev ## Run the property-based tests long (FUZZ_EXAMPLES=3000), then time odd inputs
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q \
	  --hypothesis-show-statistics tests/test_properties.py tests/test_textwidth.py
	$(BIN)/python benchmarks/scaling.py

lint: $(VENV)/.installed-dev ## Check code style with ruff
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests

format: $(VENV)/.installed-dev ## Reformat the code with ruff
	$(BIN)/ruff format pipeline tests
	$(BIN)/ruff check --fix pipeline tests

clean: ## Delete the built matrix and caches (never inputs/, outputs/releases/ or .venv)
	rm -rf .pytest_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -f outputs/*.xlsx

distclean: clean ## Also delete .venv (the next command sets it up again, online)
	rm -rf $(VENV)

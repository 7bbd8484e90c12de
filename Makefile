# The Issues Matrix. Run `make` to see the commands.
.DEFAULT_GOAL := help
.PHONY: help setup setup-dev matrix validate watch release publish templates templates-with-data \
	new bench test test-quick test-browser golden fuzz lint format clean distclean

PYTHON ?= python3
VENV   := .venv
INPUTS ?= inputs
# .venv holds the libraries only, never the project: `python -m pipeline`, run in this folder,
# finds the package here, so the folder can be moved or renamed (an installed copy would keep
# the path it was installed from).
RUN    := $(VENV)/bin/python -m pipeline

# What the command line takes, passed on when given: make matrix OUTPUT=draft.xlsx STRICT=1
RUN_OPTIONS = $(if $(STRICT),--strict) $(if $(OUTPUT),--output "$(OUTPUT)")
SINCE_OPTION = $(if $(SINCE),--since "$(SINCE)")

NO_PYTHON = { echo "Error: there is no '$(PYTHON)' on this computer; the pipeline needs Python 3.11 or newer." >&2; \
	echo "Hint: install Python (see README.md), or name the one you have: make matrix PYTHON=python3.12" >&2; exit 2; }
# Before each command: .venv's own Python checks, in a moment, that .venv was made for this
# computer and holds the libraries pyproject.toml lists; only if not (or if it does not run
# here at all) does the system's Python set it up, saying so. $(1) is --dev for the test tools.
SETUP = $(VENV)/bin/python -I -S pipeline/environment.py --check $(1) 2>/dev/null || { \
	command -v $(PYTHON) >/dev/null 2>&1 || $(NO_PYTHON); $(PYTHON) -m pipeline.environment $(1); }

help: ## Show the commands (this list)
	@echo "Issues Matrix: turn the region workbooks in $(INPUTS)/ into one colour-coded matrix."
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Options: INPUTS=folder (default inputs), OUTPUT=file.xlsx (the matrix to write),"
	@echo "  SINCE=earlier-matrix.xlsx (compare with it), STRICT=1 (warnings stop the run),"
	@echo "  FORCE=1 (templates: replace ones with rows in them), PYTHON=python3.12 (3.11 or newer),"
	@echo "  CONFERENCE=PP-26 and FROM=folder (make new), JOBS=1 (make test in one process)."

setup: ## Set up .venv now, while online (every command does it when it is needed)
	@$(call SETUP)

setup-dev: ## The same, with the developers' tools (make test and make lint do it when needed)
	@$(call SETUP,--dev)

matrix: ## Check the inputs and build the matrix into outputs/
	@$(call SETUP)
	@$(RUN) matrix --inputs "$(INPUTS)" $(RUN_OPTIONS) $(SINCE_OPTION)

validate: ## Check the inputs and list every problem; writes no matrix
	@$(call SETUP)
	@$(RUN) validate --inputs "$(INPUTS)" $(if $(STRICT),--strict)

watch: ## Rebuild the matrix each time an input workbook is saved (Ctrl-C stops)
	@$(call SETUP)
	@$(RUN) watch --inputs "$(INPUTS)" $(RUN_OPTIONS) $(SINCE_OPTION)

release: ## File the matrix as the next numbered version in the conference's releases/
	@$(call SETUP)
	@$(RUN) release --inputs "$(INPUTS)" $(RUN_OPTIONS)

publish: ## Write the latest release as a web page, PDF and public workbook
	@$(call SETUP)
	@$(RUN) publish --inputs "$(INPUTS)" $(if $(STRICT),--strict)

templates: ## Write input workbooks with dropdowns into the conference's templates/
	@$(call SETUP)
	@$(RUN) templates --inputs "$(INPUTS)" $(if $(FORCE),--force)

templates-with-data: ## The same, each starting with the rows of your workbook
	@$(call SETUP)
	@$(RUN) templates --inputs "$(INPUTS)" --with-data $(if $(FORCE),--force)

new: ## Start a new conference: make new CONFERENCE=PP-26 INPUTS=pp26 [FROM=inputs]
	@$(if $(CONFERENCE),true,{ echo "Error: make new needs the name of the conference." >&2; \
	  echo "Hint: for example: make new CONFERENCE=PP-26 INPUTS=pp26 (add FROM=inputs to start from that folder's catalogue)" >&2; exit 2; })
	@$(call SETUP)
	@$(RUN) new --conference "$(CONFERENCE)" --inputs "$(INPUTS)" $(if $(FROM),--from "$(FROM)")

bench: ## Time the pipeline on the shipped data, 10x it and 100,000 proposals
	@$(call SETUP)
	$(VENV)/bin/python benchmarks/bench.py

# The tests run over a process per core (pytest-xdist), at most four: each builds the shared
# artefacts and loads Great Expectations for itself (about 200 MB), which a laptop with many
# cores should not pay for sixteen times over. JOBS=1 runs them in this one process, JOBS=3
# over three.
JOBS ?= auto
TEST_JOBS = $(if $(filter 1,$(JOBS)),,-n $(JOBS) $(if $(filter auto,$(JOBS)),--maxprocesses 4))

test: ## Run the whole test suite, a process per core (the browser tests where Chromium is)
	@$(call SETUP,--dev)
	$(VENV)/bin/python -m pytest -q $(TEST_JOBS)

test-quick: ## Run the tests without the slow and the browser ones (make test runs them all)
	@$(call SETUP,--dev)
	$(VENV)/bin/python -m pytest -q -m "not slow and not browser" $(TEST_JOBS)

test-browser: ## Run the web page's tests in Chromium (apt-get install chromium)
	@$(call SETUP,--dev)
	BROWSER_TESTS=required $(VENV)/bin/python -m pytest -q -m browser

golden: ## Rebuild tests/golden/ from the shipped inputs (review: git diff tests/golden/)
	@$(call SETUP,--dev)
	$(VENV)/bin/python tests/golden.py

FUZZ_EXAMPLES ?= 3000
fuzz: ## Run the property-based tests long (FUZZ_EXAMPLES=3000), then time odd inputs
	@$(call SETUP,--dev)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/python -m pytest -q \
	  --hypothesis-show-statistics tests/test_properties.py tests/test_textwidth.py
	$(VENV)/bin/python benchmarks/scaling.py

# ruff and pytest run as modules: the scripts pip writes start with the absolute path of
# .venv's Python, which a moved folder no longer has.
lint: ## Check code style with ruff
	@$(call SETUP,--dev)
	$(VENV)/bin/python -m ruff check pipeline tests benchmarks
	$(VENV)/bin/python -m ruff format --check pipeline tests benchmarks

format: ## Reformat the code with ruff
	@$(call SETUP,--dev)
	$(VENV)/bin/python -m ruff format pipeline tests benchmarks
	$(VENV)/bin/python -m ruff check --fix pipeline tests benchmarks

# The project's own folders only: a walk of the whole tree would spend its time in .venv.
clean: ## Delete the built matrices and caches (never inputs, releases, templates or .venv)
	@command -v $(PYTHON) >/dev/null 2>&1 || $(NO_PYTHON)
	@$(PYTHON) -m pipeline.clean
	@rm -rf .pytest_cache .ruff_cache *.egg-info build
	@find pipeline tests benchmarks expectations -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## Also delete .venv (the next command sets it up again, online)
	rm -rf $(VENV)

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench screenshots run clean resources

# General-language resources of the matching engines (synonyms, translations): Debian
# packages. The engines run without them, matching less; `rewimet-bot check` names any missing.
DEBIAN_RESOURCES := openthesaurus-de-text wordnet-base trans-de-en hunspell-de-de

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

resources:
	@dpkg -s $(DEBIAN_RESOURCES) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_RESOURCES) >/dev/null; \
	  else echo "note: install as root for better matching: apt-get install $(DEBIAN_RESOURCES)"; fi; }

demo: resources $(VENV)/.installed
	@$(BIN)/python -c "from bot.textmatch.resources import warm; warm()"
	$(BIN)/rewimet-bot demo

run: $(VENV)/.installed
	$(BIN)/rewimet-bot run --config $(or $(CONFIG),config.toml)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Tests run in parallel processes, each with its own Synapse, PostgreSQL database and ports.
# Three on two CPUs: most tests wait on a server, a browser or a bot process (pytest on a
# 2-CPU machine, session 39: 16:07 with two; 12:42 with three, 16:37 and 16:56 in fresh clones).
TEST_WORKERS ?= 3

test: resources lint
	@$(BIN)/python -c "from bot.textmatch.resources import warm; warm()"
	$(BIN)/pytest -q -n $(TEST_WORKERS)

bench: $(VENV)/.installed-test
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

# Every dashboard page at 390x844 and 1280x800 in ./screenshots (chromium from apt).
screenshots: $(VENV)/.installed-test
	$(BIN)/python bench/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis

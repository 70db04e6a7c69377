# Two commands do all set-up on a fresh machine with only Python:
#   make demo   - create .venv, install planctl, run its main job on the shipped plans
#   make test   - create .venv with test tools, run ruff, mypy, import-linter, vulture and the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?= 2026-11-24
NODE_YAML := tests/node/node_modules/yaml/package.json
SHELLS := .venv/.debian-tools
BROWSER_JS := tests/browser/node_modules/.installed
CHROMIUM := .venv/.chromium

.PHONY: demo test pytest lint bench fuzz clean rich-floor typer-floor browser browser-deps screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planctl validate plans/
	$(BIN)/planctl due --before 2026-04 --as-of $(AS_OF)

test: $(STAMP) lint pytest
	$(BIN)/planctl lint plans/
	$(BIN)/planctl fmt --check plans/

pytest: $(STAMP) $(NODE_YAML) $(SHELLS) $(BROWSER_JS) $(CHROMIUM)
	$(BIN)/python -m pytest

# Debian tools the tests run: zsh and fish, which tests/test_completion.py runs the
# completion scripts in (bash is everywhere already), and pdftotext and pdftohtml
# (poppler-utils), which read the PDFs planctl writes back as a reader's tools would
# (tests/test_cycle.py; tests/test_easy_read_measures.py: bold words and their page).
$(SHELLS): $(STAMP)
	command -v zsh >/dev/null && command -v fish >/dev/null && command -v pdftotext >/dev/null \
		&& command -v pdftohtml >/dev/null \
		|| (apt-get update && apt-get install -y zsh fish poppler-utils)
	touch $@

# The strict YAML 1.2 parser yaml-language-server uses (npm package "yaml"), which the
# tests run on every file planctl writes, and yaml-language-server itself, which they
# drive as an editor does; pinned by tests/node/package-lock.json.
$(NODE_YAML): tests/node/package.json tests/node/package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	cd tests/node && npm ci --no-audit --no-fund
	touch $@

# The headless browser the site and handout tests drive (tests/test_site_browser.py):
# Debian's Chromium, used as installed (no browser download), and puppeteer-core and
# axe-core from npm, pinned by tests/browser/package-lock.json.
browser-deps: $(BROWSER_JS) $(CHROMIUM)

$(CHROMIUM): $(STAMP)
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null || (apt-get update && apt-get install -y chromium)
	touch $@

$(BROWSER_JS): tests/browser/package.json tests/browser/package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	cd tests/browser && npm ci --no-audit --no-fund
	touch $@

# Every page of the site in the browser (axe-core, console, requests), not only a sample.
browser: $(STAMP) browser-deps
	PLANCTL_BROWSER_SWEEP=1 $(BIN)/python -m pytest -q tests/test_site_browser.py tests/test_site.py

# The README's screenshots of the site (docs/site-*.png), taken with the headless Chromium.
screenshots: $(STAMP) browser-deps
	$(BIN)/python tests/browser/screenshots.py

# The benchmark: every speed and memory target as a ratio against a baseline run side by
# side (README, "Performance"). Installs yamllint, the peer it is compared with.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/run.py

# The plain tables copy rich's table layout (src/planctl/output/formats.py); check them
# against the oldest rich pyproject.toml allows too (make test checks the installed one).
RICH_FLOOR := 14.3.0
rich-floor: $(STAMP)
	rm -rf $(VENV)/rich-floor
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target $(VENV)/rich-floor rich==$(RICH_FLOOR)
	PYTHONPATH=$(VENV)/rich-floor $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_output.py tests/test_output_pin.py

# The command line against the oldest Typer pyproject.toml allows (--help, colour, options).
TYPER_FLOOR := 0.27.0
typer-floor: $(STAMP)
	rm -rf $(VENV)/typer-floor
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target $(VENV)/typer-floor typer==$(TYPER_FLOOR)
	PYTHONPATH=$(VENV)/typer-floor $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_cli_consistency.py \
		tests/test_query_options.py tests/test_output_layer.py tests/test_completion.py

# Property tests at full strength: 10,000 mutated plans per test (some minutes).
fuzz: $(STAMP) $(NODE_YAML)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_write_parsers.py --hypothesis-show-statistics

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/vulture src/planctl tools/vulture_whitelist.py --min-confidence 60 --ignore-decorators "@app.command,@app.callback"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .planctl_cache

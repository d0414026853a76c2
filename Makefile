# Two commands do all set-up: `make demo` and `make test`. Each creates (or reuses) .venv and
# installs stepgrad into it, editable, with what the target needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test lint bench clean chromium notebooks locale

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "stepgrad needs Python 3.11 or newer, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,notebooks]'
	touch $@ $(DEMO_STAMP)

# The demo needs stepgrad and its three small dependencies only (no test or notebook tools), so
# a first `make demo` is quick; `make test` later adds the rest to the same .venv.
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

demo: $(DEMO_STAMP)
	$(BIN)/python -m autograd demo

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest

# Style is checked, not argued: ruff's linter and its formatter, and mypy --strict on autograd/ and nn/
# (all three configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The HTML stepper is tested in a real browser: Debian's chromium, driven by Playwright, with a
# CJK font for the Chinese page. (Never `playwright install`: it downloads a browser of its own,
# which cannot work here.) Without root or apt (a laptop), nothing is installed and the browser
# tests are skipped with the reason; when CI is set, they are required and this target fails.
chromium:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	elif [ -n "$$CI" ]; then \
	  echo "CI: the browser tests need chromium and fonts-noto-cjk, and there is no root/apt to install them"; exit 1; \
	else \
	  echo "no chromium (or no CJK font) and no root/apt to install them: the browser tests will be skipped"; \
	fi

# Translations (gettext): extract the messages marked with _() into the template, merge them into
# each language's .po (then fill in any new msgstr there) and compile the .mo files stepgrad reads.
# A test checks that every marked message is translated and that each .mo matches its .po.
# The template is replaced only when its messages changed, so its creation date does not change
# on every run: `make locale` on an unchanged tree changes nothing.
LOCALE := autograd/locale
locale: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -k _ --project stepgrad -o $(LOCALE)/stepgrad.pot.new autograd
	@if diff -q -I '^"POT-Creation-Date:' $(LOCALE)/stepgrad.pot $(LOCALE)/stepgrad.pot.new >/dev/null 2>&1; \
	then rm $(LOCALE)/stepgrad.pot.new; else mv $(LOCALE)/stepgrad.pot.new $(LOCALE)/stepgrad.pot; fi
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-pot-creation-date -w 100 -i $(LOCALE)/stepgrad.pot -d $(LOCALE) -D stepgrad
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D stepgrad

# Re-execute every notebook and save its outputs in place (CI runs them without saving).
notebooks: $(STAMP)
	$(BIN)/python -m pytest --overwrite notebooks -q

# Every workload in bench/workloads/, each engine in its own process (see bench/run.py).
# `make bench BENCH_ARGS=--quick` takes about a minute; results go to bench/results/.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check micrograd==0.1.0
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis

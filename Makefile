# Two commands: `make run` sets everything up and starts the coach; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# The dashboard app's browser test drives Debian's chromium through chromedriver (Playwright's own browser
# download cannot work here); both are installed when missing. Root installs directly, others through sudo.
BROWSER_PACKAGES := chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run chat test lint bench browser screenshots

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/encore run

chat: setup
	$(VENV)/bin/encore chat

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "Installing $(BROWSER_PACKAGES) for the dashboard app's browser test"; \
		$(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y -q -o DPkg::Lock::Timeout=600 $(BROWSER_PACKAGES); \
	fi

test: lint browser
	$(PY) -m pytest

# The README's pictures of the dashboard app (the Korean one needs a Korean font).
screenshots: setup browser
	@fc-list :lang=ko | grep -q . || $(SUDO) apt-get install -y -q -o DPkg::Lock::Timeout=600 fonts-noto-cjk
	$(PY) -m bench.miniapp_screenshots docs/

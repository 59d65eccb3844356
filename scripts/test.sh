#!/usr/bin/env bash
# Set up the environment (scripts/setup.sh) and run the whole test suite, real models
# on real audio included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The report tests open the HTML outputs in a real headless browser (Debian's chromium).
if { ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped outside CI" >&2
fi
# Lint (incl. the complexity bound) and types first: cheap, and they fail loudly. Config in pyproject.toml.
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
exec .venv/bin/python -m pytest -n 2 "$@"

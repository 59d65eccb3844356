#!/usr/bin/env bash
# Set up the environment (scripts/setup.sh) and run the main job on the bundled example:
# two recorded reverse-mentoring sessions (English and Russian) → speaker-attributed
# transcripts, topics, recommendations, action items, dynamics and reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUT=${1:-sessionscope-out/examples}
.venv/bin/sessionscope run examples/ --manifest examples/manifest.yaml --out "$OUT" "${@:2}"
# the programme dashboard, with the example's participant surveys (EN Google Forms, RU Microsoft Forms) and baseline
.venv/bin/sessionscope report programme "$OUT" --out "$OUT/programme" \
  --surveys examples/surveys/feedback_google_forms_en.csv --surveys examples/surveys/feedback_microsoft_forms_ru.xlsx \
  --baseline examples/surveys/baseline.csv
echo "Open $OUT/<session>/report.html and $OUT/programme/dashboard.html (tables: $OUT/programme/programme.xlsx)"

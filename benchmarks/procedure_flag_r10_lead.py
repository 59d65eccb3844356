"""The meeting-procedure flag after the lead's narrowing (round 10): which of the items the recs helper's flag
marked on the audited transcripts it still marks, and a few written mentoring-advice probes it must leave alone.

Usage (from the repository root)::

    python benchmarks/procedure_flag_r10_lead.py --out benchmarks/results/procedure_flag_r10_lead.json

Reads the flagged items and their hand labels from ``recs_audit_dev_after_r10_recs.json`` (development
transcripts) and ``recs_audit_kept_after_r10_recs.json`` (ES2004a, counted once); the narrowed rule can only
mark a subset of them (every pattern is a narrowing of the helper's).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PROCEDURE_LABELS = {"meeting_procedure", "meeting_talk"}
# written by the lead, not data: advice a mentor gives about meetings, time and tools
PROBES = ["You should send the agenda before every client call.", "Block thirty minutes each morning for email.",
          "Start your presentation with a story.", "Save it as a template so you can reuse it.",
          "Try to spend ten minutes per task on planning.", "You could get your laptop upgraded.",
          "Put the minutes of your one-on-ones in a shared doc.", "You should take notes in every meeting."]


def main() -> None:
    from sessionscope.analysis.extract.recommendations import meeting_procedure
    from sessionscope.language.nlp import parse_texts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=RESULTS / "procedure_flag_r10_lead.json")
    args = ap.parse_args()
    out: dict[str, object] = {"command": "python benchmarks/procedure_flag_r10_lead.py"}
    for name, src in (("dev", "recs_audit_dev_after_r10_recs.json"), ("ES2004a", "recs_audit_kept_after_r10_recs.json")):
        rows = json.loads((RESULTS / src).read_text(encoding="utf-8"))["procedure_flag"]["flagged_texts"]
        docs = parse_texts([t for _, _, t in rows], language="en")
        kept = [(lab, t) for (_, lab, t), doc in zip(rows, docs, strict=True) if any(meeting_procedure(s) for s in doc)]
        out[name] = {"flagged_before": len(rows),
                     "flagged_before_procedure_label": sum(lab in PROCEDURE_LABELS for _, lab, _ in rows),
                     "flagged_now": len(kept), "flagged_now_procedure_label": sum(lab in PROCEDURE_LABELS for lab, _ in kept),
                     "texts_now": kept}
    docs = parse_texts(PROBES, language="en")
    out["probes_flagged"] = [t for t, doc in zip(PROBES, docs, strict=True) if any(meeting_procedure(s) for s in doc)]
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "command"}, indent=1)[:1500])


if __name__ == "__main__":
    main()

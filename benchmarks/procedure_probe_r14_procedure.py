"""Round 14 (procedure): the meeting-procedure flag on written mentoring text, through the stage as shipped.

Usage (from the repository root)::

    python benchmarks/procedure_probe_r14_procedure.py --out benchmarks/results/procedure_r14_procedure_probe_after.json
    PYTHONPATH=/tmp/r14/base/src python benchmarks/procedure_probe_r14_procedure.py \
        --out benchmarks/results/procedure_r14_procedure_probe_before.json     # the round-start code (the regex alone)

Imports nothing the round-start code lacks, so the same script measures before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit_real_talk as art  # noqa: E402
import realtalk_check_r13_realtalk as r13  # noqa: E402


def probe(out: Path | None) -> dict:
    """The flag on written mentoring text, through the stage as shipped (run with ``PYTHONPATH=<round-start src>`` for before):
    the recommendations the stage lists on the written English dev sentences (each its own two-person session) and on the
    bundled example sessions (``examples/*/gold.json``), and how many of them, and of the gold ones, are ``procedure``."""
    import datetime as dt

    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig
    from sessionscope.model import Participant, Role, Session, Utterance

    wr = [r for r in r13.written_rows() if r["kind"] == "recommendation"]
    res: dict = {"command": "python benchmarks/procedure_probe_r14_procedure.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "code": str(Path(__import__("sessionscope").__file__).parent),
                 "written_dev": {"recommendations": len(wr), "right": sum(r["right"] for r in wr),
                                 "procedure": [r["text"] for r in wr if r["flag"]],
                                 "right_flagged": [r["text"] for r in wr if r["flag"] and r["right"]]}, "examples": {}}
    stage = ExtractionStage(ExtractionConfig())
    for gold_path in sorted((art.ROOT / "examples").glob("*/gold.json")):
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        meta = g["session"]
        sess = Session(id=meta["id"], language=meta.get("language"),
                       date=dt.date.fromisoformat(meta["date"]) if meta.get("date") else None,
                       participants=tuple(Participant(p["id"], p["name"], Role.parse(p.get("role"))) for p in meta["participants"]),
                       utterances=tuple(Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"), end=u.get("end"))
                                        for u in g["utterances"]))
        recs = stage(sess).recommendations
        gold = {x["utterance_id"] for x in g.get("recommendations", [])}
        res["examples"][meta["id"]] = {"recommendations": len(recs), "procedure": [r.text for r in recs if r.procedure],
                                       "gold_recommendation_flagged": [r.text for r in recs if r.procedure and r.utterance_id in gold],
                                       "advice_on_gold_utterances": len({r.utterance_id for r in recs if not r.procedure} & gold),
                                       "gold": len(gold)}
    art.emit(res, out, echo=False)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    print(json.dumps(probe(args.out), indent=1))


if __name__ == "__main__":
    main()

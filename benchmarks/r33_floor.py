"""Round 33 (issue 10): a first name said alone next to a question hands that participant the question — what changes.

Usage (from the repository root; ~1 min)::

    python benchmarks/r33_floor.py --out benchmarks/results/r33_floor.json

Runs the question detection of the dynamics (``questions.session_questions``) on the real transcripts with named
participants of three or more people (the Zoom class, SBCSAE SBC001, as ``r32_named.py`` reads them), with and
without round 33's :func:`~sessionscope.analysis.questions._named_beside`, and lists every question whose addressee
differs, with its text and the utterance around it, for reading. The corpora's meetings (MRDA, AMI) name no
participant (their speakers are labels), so nothing there can change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from r32_named import REAL, _commit  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from sessionscope.analysis import questions as q
    from sessionscope.config import DynamicsConfig
    from sessionscope.io import read_transcript

    files: dict = {}
    for name in ("zoom", "SBC001"):
        s = read_transcript(REAL[name])
        q._SESSION_QUESTIONS.clear()
        after = {e.utterance_id: e for e in q.session_questions(s, DynamicsConfig())}
        saved = q._named_beside
        q._named_beside = lambda session, event: ()  # type: ignore[assignment]
        try:
            q._SESSION_QUESTIONS.clear()
            before = {e.utterance_id: e for e in q.session_questions(s, DynamicsConfig())}
        finally:
            q._named_beside = saved
            q._SESSION_QUESTIONS.clear()
        changed = [{"utterance_id": k, "utterance": s.utterance(k).text, "question": e.text,
                    "addressee_before": before[k].addressee, "addressee_after": e.addressee}
                   for k, e in after.items() if before[k].addressee != e.addressee]
        files[name] = {"participants": [p.name for p in s.participants], "questions": len(after), "changed": changed}
    res = {"command": "python benchmarks/r33_floor.py" + (f" --out {args.out}" if args.out else ""), "commit": _commit(),
           "date": dt.date.today().isoformat(), "files": files}
    print(json.dumps(res, indent=1, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""English task phrases whose owner is named as their subject (round 52): what the change does, on real transcripts.

    nice -n 10 python benchmarks/r52_owner_subject.py --out benchmarks/results/r52_owner_subject.json

A chair handing out tasks by name or role ("Lee is going to call the client", "The Industrial Designer is going to
work on the working design") had the owner's name and frame kept in the task phrase under that owner
(``Lee | Lee is going to call the client``). Since round 52 ``actions.without_owner_subject`` takes them out. Every
real English transcript in ``../shared/data`` that reads as a session (QMSum's 11 meetings, SBCSAE's 3 conversations,
the Zoom class meeting) and the bundled English example go through ``api.analyze`` twice — as shipped, and with the
change switched off (``stage.without_owner_subject`` replaced by the identity) — and every action item whose task,
owner, due or count differs is listed. Nothing is chosen on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_dialogue_acts import commit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def sources() -> list[Path]:
    return [*sorted((DATA / "qmsum-topics-queries").glob("*.json")), *sorted((DATA / "sbcsae-text-refs").glob("*.stm")),
            *sorted((DATA / "zoom-vtt-class-meeting").glob("*.transcript.vtt")), ROOT / "examples" / "en_session" / "reference.stm"]


def items(path: Path) -> list[tuple]:
    from sessionscope import api

    s = api.analyze(path)
    return [(a.utterance_id, a.owner, a.task, a.due_text, a.to_check) for a in s.action_items]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    import sessionscope.analysis.extract.stage as stage

    rows, total, changed = [], 0, 0
    for path in sources():
        now = items(path)
        keep, stage.without_owner_subject = stage.without_owner_subject, lambda task, names: task
        try:
            before = items(path)
        finally:
            stage.without_owner_subject = keep
        total += len(now)
        diff = [{"before": list(b), "now": list(a)} for a, b in zip(now, before, strict=False) if a != b]
        if len(now) != len(before):
            diff.append({"count_before": len(before), "count_now": len(now)})
        changed += len(diff)
        rows.append({"source": str(path.relative_to(ROOT.parent)), "action_items": len(now), "changed": diff})
        print(path.name, len(now), "items,", len(diff), "changed", flush=True)
    out = {"command": "python benchmarks/r52_owner_subject.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "date": dt.date.today().isoformat(), "action_items": total, "changed": changed,
           "sources": rows}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 37 (issue 10): a habit is no deadline ("every Monday", "each Friday", «каждый понедельник», «по
понедельникам»), and a start date is read whole ("from Monday", "starting Monday", «с понедельника») — where does
the due expression change?

Usage (from the repository root; ~1 min each, no models)::

    PYTHONPATH=<worktree of the round's base commit>/src python benchmarks/r37_dates.py read \\
        --out <scratch dir>/r37_dates_before.json
    python benchmarks/r37_dates.py read --out <scratch dir>/r37_dates_after.json
    python benchmarks/r37_dates.py compare --before <scratch dir>/r37_dates_before.json \\
        --after <scratch dir>/r37_dates_after.json --out benchmarks/results/r37_dates.json

The due expression (``dates.find_due``) also feeds the heads' cues, the assignment step ("a deadline makes it a task",
which made "You should block two hours every Monday" Boris's task due "Monday") and the meeting-itself veto, so a
changed expression can move corpus items. ``read`` lists the due expression of every TRAIN act of MRDA and AMI (fit,
tune and held-out meetings; no dev meeting) and every row of the written EN/RU sets; ``compare`` lists those that
differ.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli  # noqa: E402
from dialogue_acts import CORPORA, ROOT, load_acts  # noqa: E402
from r32_dates import SESSION  # noqa: E402


def read(out: Path) -> None:
    import sessionscope
    from sessionscope.analysis.extract.dates import find_due

    texts: dict[str, list[str]] = {c: [a.text for a in load_acts(c) if a.split in ("train", "heldout")] for c in CORPORA}
    for lang in ("en", "ru"):
        with open(ROOT / "benchmarks" / "data" / "extraction" / f"{lang}.csv", encoding="utf-8") as fh:
            texts[f"written_{lang}"] = [r["text"] for r in csv.DictReader(fh)]
    res: dict = {"sessionscope": str(Path(sessionscope.__file__).resolve()), "sets": {}}
    for name, ts in texts.items():
        dues = []
        for t in ts:
            d = find_due(t, session_date=SESSION)
            dues.append(None if d is None else [d.text, d.date.isoformat() if d.date else None])
        res["sets"][name] = {"texts": ts, "dues": dues}
    out.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


def compare(before: Path, after: Path, out: Path) -> dict:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    res: dict = {"command": f"python benchmarks/r37_dates.py compare --before {before.name} --after {after.name} "
                            f"--out {out}", "date": dt.date.today().isoformat(),
                 "split": "MRDA and AMI train acts (fit, tune, held-out; no dev), written sets",
                 "session_date": SESSION.isoformat(), "before": b["sessionscope"], "after": a["sessionscope"]}
    for name, y in a["sets"].items():
        x = b["sets"][name]
        rows = [{"text": t[:160], "before": p, "after": q}
                for t, p, q in zip(y["texts"], x["dues"], y["dues"], strict=True) if p != q]
        res[name] = {"texts": len(y["texts"]), "with_due_before": sum(d is not None for d in x["dues"]),
                     "with_due_after": sum(d is not None for d in y["dues"]), "changed": len(rows), "rows": rows}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def main() -> None:
    cli(__doc__, read, compare)


if __name__ == "__main__":
    main()

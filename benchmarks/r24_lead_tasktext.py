"""Round 24 (lead): the task texts a report shows — Russian objects said before the verb, "you"/"me" as names.

Lists, for the written EN/RU **dev** rows labelled ``action`` (each as a two-person session: the row's speaker and the
other person) and for the bundled example sessions (reference transcripts), every action item the shipped stage finds:
its owner, the stored task phrase (``ActionItem.task``) and, where the code has it, the phrase the report shows
(``report.tasktext.task_for_reader``). Run it on two checkouts and compare::

    PYTHONPATH=/tmp/r24/base/src .venv/bin/python benchmarks/r24_lead_tasktext.py --json benchmarks/results/r24_lead_tasktext_before.json
    .venv/bin/python benchmarks/r24_lead_tasktext.py --json benchmarks/results/r24_lead_tasktext_after.json
    .venv/bin/python benchmarks/r24_lead_tasktext.py --compare benchmarks/results/r24_lead_tasktext_{before,after}.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _items(session, stage) -> list[dict]:
    try:
        from sessionscope.report import tasktext
    except ImportError:  # the code before round 24
        tasktext = None  # type: ignore[assignment]
    out = stage(session)
    rows = []
    for a in out.action_items:
        row = {"utterance_id": a.utterance_id, "owner": a.owner, "task": a.task,
               "text": out.utterance(a.utterance_id).text}
        if tasktext is not None:
            row["shown"] = tasktext.task_for_reader(a, out, language=out.language or "en")
        rows.append(row)
    return rows


def collect() -> dict:
    from extraction_data import load_rows
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.model import Participant, Role, Session, Utterance

    stage = ExtractionStage()
    out: dict = {"written_dev": {}, "examples": {}}
    for r in load_rows(splits=("dev",)):
        if r.label != "action":
            continue
        parts = (Participant("a", "Anna Smirnova" if r.lang == "en" else "Анна Смирнова", Role.JUNIOR),
                 Participant("b", "Boris Volkov" if r.lang == "en" else "Борис Волков", Role.SENIOR))
        s = Session(id=r.id, language=r.lang, participants=parts, date=dt.date(2026, 3, 2),
                    utterances=(Utterance("u1", "a", r.text, 0.0, 5.0),))
        out["written_dev"][r.id] = _items(s, stage)
    for gold_path in sorted((ROOT / "examples").glob("*/gold.json")):
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        meta = g["session"]
        s = Session(id=meta["id"], language=meta.get("language"),
                    date=dt.date.fromisoformat(meta["date"]) if meta.get("date") else None,
                    participants=tuple(Participant(p["id"], p["name"], Role.parse(p.get("role")))
                                       for p in meta["participants"]),
                    utterances=tuple(Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"),
                                               end=u.get("end")) for u in g["utterances"]))
        out["examples"][meta["id"]] = _items(s, stage)
    return out


def compare(before: dict, after: dict) -> dict:
    res: dict = {}
    for part in ("written_dev", "examples"):
        changed, items_changed, shown = [], 0, []
        for key in sorted(set(before[part]) | set(after[part])):
            b = [(x["utterance_id"], x["owner"]) for x in before[part].get(key, [])]
            a = [(x["utterance_id"], x["owner"]) for x in after[part].get(key, [])]
            if a != b:
                items_changed += 1
            for xb, xa in zip(before[part].get(key, []), after[part].get(key, []), strict=False):
                if xb["task"] != xa["task"]:
                    changed.append({"id": key, "before": xb["task"], "after": xa["task"], "text": xa["text"]})
                if xa.get("shown") not in (None, xa["task"]):
                    shown.append({"id": key, "task": xa["task"], "shown": xa["shown"]})
        res[part] = {"sessions_with_items_or_owners_changed": items_changed, "task_texts_changed": changed,
                     "shown_differently": shown}
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--compare", nargs=2, type=Path)
    args = ap.parse_args()
    if args.compare:
        res = compare(*(json.loads(p.read_text(encoding="utf-8")) for p in args.compare))
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    import sessionscope

    res = {"command": " ".join(sys.argv), "code": str(Path(sessionscope.__file__).parent),
           "commit": subprocess.run(["git", "-C", str(Path(sessionscope.__file__).parent), "rev-parse", "HEAD"],
                                    capture_output=True, text=True).stdout.strip(),
           "data": "benchmarks/data/extraction {en,ru}.csv dev rows labelled action; examples/*/gold.json utterances",
           **collect()}
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

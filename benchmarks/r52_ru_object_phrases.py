"""Russian task phrases with a coordinated object before the verb (round 52): what the fix changes.

    python benchmarks/r52_ru_object_phrases.py --out benchmarks/results/r52_ru_object_phrases.json

Every sentence a Russian action rule fires on with a task start — the written Russian rows (all splits of
``benchmarks/data/extraction/ru.csv``) and the bundled Russian example's reference transcript — gets its task phrase
(``actions.task_phrase``) twice: as shipped, and with the coordinated object switched off
(``r52_task_phrases.switched_off("ru-object")``: the code before round 52). The phrases that differ are listed.
``--session F``: also the utterances of a ``session.json`` (e.g. the demo's recognised Russian example).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_data import DATA, ROOT, load_rows  # noqa: E402
from r52_task_phrases import switched_off  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def stm_texts(path: Path) -> list[str]:
    rows = [line.split(maxsplit=5) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r[5] for r in rows if len(r) == 6 and not r[0].startswith(";;")]


def compare(texts: list[str]) -> dict:
    """Task phrases of the Russian action rule's hits, shipped against the code before the fix."""
    import sessionscope.analysis.extract.actions as actions
    from sessionscope.analysis.extract.bare import parse_utterances
    from sessionscope.analysis.extract.stage import RULES

    total, changed = 0, []
    for sents in parse_utterances(texts, language="ru"):
        for s in sents:
            hit = RULES["action"](s)
            if hit is None or hit.task_start is None:
                continue
            total += 1
            now = actions.task_phrase(s, hit)
            with switched_off("ru-object"):
                before = actions.task_phrase(s, hit)
            if now != before:
                changed.append({"sentence": s.text, "before": before, "now": now})
    return {"task_phrases": total, "changed": len(changed), "rows": changed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--session", type=Path, action="append", default=[], help="a session.json whose utterances to add")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    with open(DATA / "ru.csv", encoding="utf-8", newline="") as fh:
        splits = tuple(sorted({r["split"] for r in csv.DictReader(fh)}))
    out = {"command": "python benchmarks/r52_ru_object_phrases.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "date": dt.date.today().isoformat(),
           "written_ru": compare([r.text for r in load_rows(("ru",), splits)]),
           "example_reference": compare(stm_texts(ROOT / "examples" / "ru_session" / "reference.stm"))}
    for path in args.session:
        out[f"session:{path.parent.name}"] = compare([u["text"] for u in json.loads(path.read_text())["utterances"]])
    print(json.dumps(out, ensure_ascii=False, indent=1))
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

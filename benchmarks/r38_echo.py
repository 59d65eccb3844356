"""Round 38 (issue 10): a Russian call read as a new user would — what changes on real and written data.

Four changes, all to an action item's words, never to whether a sentence is one:

- a commitment that names only its verb takes the object said with that verb just before ("Could you send me the
  slides?" — "Sure, I'll send them tomorrow." → "send you the slides"; «Могу прислать вам свой шаблон.» —
  «Пришлите, пожалуйста.» — «Хорошо, пришлю сегодня вечером.» → «пришлю вам свой шаблон»);
- advice taken up with a "when" ("Okay, I'll try that at the next team meeting", «я попробую на следующей
  планёрке») takes the advice, and the advice to check is not the one taken when another in the utterance is listed;
- a part of the day is read with "today / tomorrow" ("tomorrow morning", «сегодня вечером», «завтра с утра»);
- a Russian deadline belongs to the nearest verb *before* it («настрою фильтр до пятницы и покажу вам» → «настрою
  фильтр и покажу вам», not «покажу вам»).

Usage (repository root; about 7 minutes on 2 cores for each ``read``)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r38_echo.py read --out <scratch dir>/r38_before.json
    python benchmarks/r38_echo.py read --out <scratch dir>/r38_after.json
    python benchmarks/r38_echo.py compare --before <scratch dir>/r38_before.json \\
        --after <scratch dir>/r38_after.json --out benchmarks/results/r38_echo.json

``read`` lists (1) every action item the whole extraction stage gives on the held-out train meetings of MRDA and AMI
(never dev), the real transcripts nobody here wrote (the Zoom class, SBC001, SBC009, SBC044) and the two bundled
examples' reference transcripts; (2) the due expression of every train act of MRDA and AMI and of every written EN/RU
row; (3) the Russian action rule's hit (method, owner) and task phrase on every written Russian row. ``compare``
lists every row that differs, with both versions.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli  # noqa: E402
from dialogue_acts import ROOT  # noqa: E402
from r37_accepted import items as corpus_items  # noqa: E402
from r37_accepted import session_rows  # noqa: E402
from r37_dates import read as read_dates  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

EXAMPLES = {name: ROOT / "examples" / name / "reference.stm" for name in ("en_session", "ru_session")}


def _russian_rows() -> dict[str, dict]:
    from sessionscope.analysis.extract.actions import action_rule, task_phrase
    from sessionscope.analysis.extract.bare import parse_utterances

    with open(ROOT / "benchmarks" / "data" / "extraction" / "ru.csv", encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    out = {}
    for n, sents in enumerate(parse_utterances(texts, language="ru")):
        for j, sent in enumerate(sents):
            hit = action_rule(sent)
            if hit is not None and not hit.veto:
                out[f"{n}:{j}"] = {"text": sent.text, "rule": hit.rule, "owner": hit.owner,
                                   "task": task_phrase(sent, hit)}
    return out


def read(out: Path) -> None:
    import sessionscope
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.api import read_transcript

    with tempfile.TemporaryDirectory() as tmp:
        corpus_items(Path(tmp) / "items.json")
        files = json.loads((Path(tmp) / "items.json").read_text(encoding="utf-8"))["files"]
        read_dates(Path(tmp) / "dates.json")
        dates = json.loads((Path(tmp) / "dates.json").read_text(encoding="utf-8"))["sets"]
    stage = ExtractionStage()
    for name, path in EXAMPLES.items():
        files[f"examples/{name}"] = session_rows(stage, read_transcript(path))
    res = {"command": "python benchmarks/r38_echo.py read", "commit": commit(),
           "sessionscope": str(Path(sessionscope.__file__).resolve()), "files": files, "dates": dates,
           "written_ru_rule": _russian_rows()}
    out.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


def _diff(x: dict, y: dict) -> list[dict]:
    return [{"key": k, "before": x.get(k), "after": y.get(k)} for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]


def compare(before: Path, after: Path, out: Path) -> dict:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    items = [{"file": f, **row} for f, y in a["files"].items() for row in _diff(b["files"][f], y)]
    dates = {}
    for name, y in a["dates"].items():
        x = b["dates"][name]
        dates[name] = {"texts": len(y["texts"]),
                       "changed": [{"text": t[:160], "before": p, "after": q}
                                   for t, p, q in zip(y["texts"], x["dues"], y["dues"], strict=True) if p != q]}
    rule = _diff(b["written_ru_rule"], a["written_ru_rule"])
    res = {"command": f"python benchmarks/r38_echo.py compare --before {before.name} --after {after.name} --out {out}",
           "date": dt.date.today().isoformat(), "before": {"commit": b["commit"], "sessionscope": b["sessionscope"]},
           "after": {"commit": a["commit"], "sessionscope": a["sessionscope"]},
           "items": {"files": "held-out train meetings of MRDA and AMI; the Zoom class, SBC001, SBC009, SBC044; the two "
                              "bundled examples' reference transcripts",
                     "items_before": sum(len(v) for v in b["files"].values()),
                     "items_after": sum(len(v) for v in a["files"].values()), "changed": len(items), "rows": items},
           **{f"dues_{k}": {"texts": v["texts"], "changed": len(v["changed"]), "rows": v["changed"]}
              for k, v in dates.items()},
           "written_ru_rule": {"hits_before": len(b["written_ru_rule"]), "hits_after": len(a["written_ru_rule"]),
                               "changed": len(rule), "rows": rule}}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def main() -> None:
    cli(__doc__, read, compare)


if __name__ == "__main__":
    main()

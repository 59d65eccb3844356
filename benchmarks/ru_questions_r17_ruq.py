"""Russian question detection through the pipeline path (``find_questions`` with the bundled head) on the
written RU dev rows: as written, bare (punctuation and capitals removed) and with Whisper-style marks
("?" written as ".": what faster-whisper gives for many Russian questions; a simulation).

Usage: python benchmarks/ru_questions_r17_ruq.py [--out benchmarks/results/ru_questions_r17_ruq.json]
       python benchmarks/ru_questions_r17_ruq.py --sessions OUT/*/session.json --out ...   # real speech

``--sessions``: the utterances of ``sessionscope run`` outputs (faster-whisper, the shipped model) go
through ``find_questions`` as the stage does; each session's question texts are listed beside the
questions found by hand (:data:`HAND`, listened to / read against the reference; a session absent
there is reported without a count).

The rows form one transcript (speakers alternating), as a session; a row is predicted a question
when its utterance gets a question event. Gold = labelled ``question`` or ending in "?" (as
extraction_eval.py). Dev split only (never --split test).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_data import ROOT, load_rows  # noqa: E402
from extraction_eval import prf  # noqa: E402


def bare(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", text).casefold().split())


def whisper_marks(text: str) -> str:
    return re.sub(r"\?", ".", text)


def score(rows, texts) -> dict:
    from sessionscope.analysis.questions import find_questions
    from sessionscope.model import Utterance

    utts = [Utterance(id=f"u{i:04d}", speaker="ab"[i % 2], text=t) for i, t in enumerate(texts)]
    found = {e.utterance_id for e in find_questions(utts, language="ru", backchannels=())}
    tp = fp = fn = 0
    errors = []
    for r, u in zip(rows, utts, strict=True):
        gold = r.label == "question" or r.text.rstrip().endswith("?")
        pred = u.id in found
        tp += gold and pred
        fp += (not gold) and pred
        fn += gold and not pred
        if gold != pred:
            errors.append({"fp" if pred else "fn": u.text})
    return {**prf(tp, fp, fn), "errors": errors}


# questions found by hand in the recogniser's output of the real Russian recordings (/work/shared/data)
HAND = {
    "001ce26c07c20eaa0d666b824c6c6924": ["60 тысяч тенгет сколько будет стоить."],  # ru-golos-sample: a spoken query
    "test_sound_ru": [],  # ru-pisets-sample: "нейронные сети это хорошо"
    "ru": ["Так, сколько это примерно?"],  # ru-silero-unlabeled: a 60 s lecture, one question at its end
}


def sessions(paths: list[Path]) -> dict:
    from sessionscope.analysis.questions import find_questions
    from sessionscope.model import Utterance

    out = {}
    for p in paths:
        d = json.loads(p.read_text())
        utts = [Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"), end=u.get("end"))
                for u in d["utterances"]]
        found = [e.text for e in find_questions(utts, language="ru", backchannels=())]
        stripped = [Utterance(id=u.id, speaker=u.speaker, text=bare(u.text), start=u.start, end=u.end) for u in utts]
        found_bare = [e.text for e in find_questions(stripped, language="ru", backchannels=())]
        hand = HAND.get(d["id"])
        out[d["id"]] = {"utterances": [u.text for u in utts], "found": found, "hand": hand,
                        "agree": None if hand is None else sorted(found) == sorted(hand),
                        "found_punctuation_removed": found_bare, "hand_count": None if hand is None else len(hand)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ru_questions_r17_ruq.json")
    ap.add_argument("--sessions", type=Path, nargs="*", default=None)
    args = ap.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    if args.sessions:
        res = {"command": "python benchmarks/ru_questions_r17_ruq.py --sessions " + " ".join(map(str, args.sessions)),
               "commit": commit, "data": "sessionscope run outputs (faster-whisper, shipped model) of real Russian speech",
               "sessions": sessions(args.sessions)}
        for k, v in res["sessions"].items():
            print(k, len(v["found"]), "found;", "hand", v["hand"], "agree", v["agree"], "| bare:", v["found_punctuation_removed"])
        args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    rows = [r for r in load_rows(splits=("dev",)) if r.lang == "ru"]
    res = {"command": "python benchmarks/ru_questions_r17_ruq.py", "split": "dev (written RU rows)", "commit": commit,
           "rows": len(rows)}
    for name, fn in (("written", lambda t: t), ("bare", bare), ("whisper_marks_sim", whisper_marks)):
        res[name] = score(rows, [fn(r.text) for r in rows])
        print(name, {k: v for k, v in res[name].items() if k != "errors"})
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

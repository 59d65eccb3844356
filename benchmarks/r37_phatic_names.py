"""Round 37 (issue 10): a greeting or channel check that calls the other by name ("Hi Boris, can you hear me okay?",
«Алло, Игорь Петрович, вы меня слышите?») is no question, as round 27's rule already made "Hello, can you hear me?".

Usage (repository root; under a minute)::

    .venv/bin/python benchmarks/r37_phatic_names.py --out benchmarks/results/r37_phatic_names.json

Every question sentence (ending "?") of every MRDA and AMI act (all splits: the rule is hand-written, nothing is fitted)
and of the real transcripts nobody here wrote (the Zoom class, SBCSAE, QMSum, read with the package's readers) is
checked by :func:`sessionscope.analysis.questions.phatic_question` with and without the name: an act whose
sentence flips is listed with its corpus tag, so a question the corpora count that the rule now drops shows.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, DATA, load_acts, write_result  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_SENT = re.compile(r"[^?]*\?")


def without_names(sentence: str) -> bool:
    """Round 27's rule as it was: leading fillers dropped, then greetings and channel checks only."""
    from sessionscope.analysis.questions import _PHATIC_LEAD, _phatic_run, question_tokens

    toks = [t for t in question_tokens(sentence) if t]
    k = 0
    while k < len(toks) - 1 and toks[k] in _PHATIC_LEAD:
        k += 1
    toks = toks[k:]
    return bool(toks) and toks != ["hey"] and _phatic_run(tuple(toks))


def flips(texts: list[tuple[str, str, str]]) -> dict:
    from sessionscope.analysis.questions import phatic_question

    n = 0
    out = []
    for where, tag, text in texts:
        for m in _SENT.finditer(text):
            s = m.group().strip()
            if not s:
                continue
            n += 1
            if phatic_question(s) != without_names(s):
                out.append({"where": where, "tag": tag, "sentence": s, "now_phatic": phatic_question(s)})
    return {"question_sentences": n, "flipped": len(out), "rows": out}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    from sessionscope.io import read_transcript

    res: dict = {"command": " ".join(["benchmarks/r37_phatic_names.py", *sys.argv[1:]]), "commit": commit(),
                 "corpora": {}}
    for c in CORPORA:
        acts = load_acts(c)
        res["corpora"][c] = flips([(f"{a.meeting}/{a.split}/{a.id}", "question" if a.question else a.label, a.text)
                                   for a in acts])
    files = sorted((DATA / "zoom-vtt-class-meeting").glob("*.transcript.vtt")) + sorted(
        (DATA / "sbcsae-text-refs").glob("*.stm")) + sorted((DATA / "qmsum-topics-queries").rglob("*.json"))
    texts = []
    for f in files:
        try:
            rec = read_transcript(f)
        except Exception as exc:  # noqa: BLE001 - a file this reader refuses is listed, not fatal
            res.setdefault("unread", []).append(f"{f.name}: {exc}")
            continue
        texts += [(f"{f.name}/{u.id}", "", u.text) for u in rec.utterances]
    res["real_transcripts"] = {"files": len(files), **flips(texts)}
    write_result(res, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

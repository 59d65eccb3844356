"""Words per participant with transcript marks left out (round 16, prog): before / after on real transcripts.

Counts ``word_count`` / ``word_share`` (and the balance on words) of ``compute_metrics`` on the audit's real inputs:
SBCSAE SBC001 and SBC009 (STM, never SBC044), the Zoom class-meeting VTT, QMSum TS3003a / TS3007b / ES2014b (AMI
train meetings as ``Role: text``, with AMI's ``{vocalsound}``, ``{disfmarker}``, ``{gap}`` marks) and AMI ES2003b built
from the dialogue acts (``benchmarks/audit_real_talk.py ami_turns``). Also an independent count by docs/metrics.md's
definition (letters/digits tokens, marks in braces, brackets or angle brackets removed) to compare with.

    PYTHONPATH=/tmp/r16/base/src .venv/bin/python benchmarks/word_counts_r16_prog.py --out before.json
    .venv/bin/python benchmarks/word_counts_r16_prog.py --out after.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import sessionscope
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.io import read_transcript

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_MARK = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|<[^<>]*>")


def doc_count(text: str) -> int:
    """docs/metrics.md's words, counted without sessionscope."""
    return len(_WORD.findall(_MARK.sub(" ", text)))


def inputs(work: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from audit_real_talk import ami_turns

    work.mkdir(parents=True, exist_ok=True)
    out = [DATA / "sbcsae-text-refs" / "SBC001.stm", DATA / "sbcsae-text-refs" / "SBC009.stm",
           DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording.transcript.vtt"]
    for m in ("TS3003a", "TS3007b", "ES2014b"):
        turns = json.loads((DATA / "qmsum-topics-queries" / f"{m}.json").read_text(encoding="utf-8"))["meeting_transcripts"]
        p = work / f"{m}.txt"
        p.write_text("".join(f"{t['speaker']}: {t['content']}\n" for t in turns), encoding="utf-8")
        out.append(p)
    p = work / "ES2003b.txt"
    p.write_text(ami_turns("ES2003b"), encoding="utf-8")
    return [*out, p]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("/tmp/r16/prog/word_inputs"))
    args = ap.parse_args()
    rows = []
    for path in inputs(args.work):
        s = read_transcript(path)
        m = compute_metrics(s, DynamicsConfig())
        doc: dict[str, int] = {}
        for u in s.utterances:
            doc[u.speaker] = doc.get(u.speaker, 0) + doc_count(u.text)
        total = sum(doc.values())
        rows.append({"session": path.stem, "timed": s.timed,
                     "word_count": {p: v["word_count"] for p, v in m.participants.items()},
                     "word_share": {p: round(v["word_share"], 4) for p, v in m.participants.items()},
                     "doc_count": doc, "doc_share": {p: round(v / total, 4) for p, v in doc.items()},
                     "balance_score_words": round(m.session["balance_score_words"], 4),
                     "words": m.session["words"], "doc_words": total})
        print(path.stem, "words", m.session["words"], "by the docs", total,
              "largest word-share gap", max(abs(rows[-1]["word_share"][p] - rows[-1]["doc_share"].get(p, 0))
                                            for p in rows[-1]["word_share"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"code": str(Path(sessionscope.__file__).parent), "sessions": rows}, indent=1))


if __name__ == "__main__":
    main()

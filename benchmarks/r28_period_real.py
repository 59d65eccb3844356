"""Round 28: question-shaped sentences that end with "." in real transcripts nobody here labelled per act.

Usage (from the repository root; seconds)::

    python benchmarks/r28_period_real.py --rule off --out benchmarks/results/r28_period_real_before.json
    python benchmarks/r28_period_real.py --out benchmarks/results/r28_period_real_after.json

Sessions: SBCSAE SBC009 and SBC044 (``../shared/data/sbcsae-text-refs``: the corpus's own transcripts, whose
punctuation marks intonation, so a falling question ends with ".") and the Zoom class meeting's audio transcript
(``../shared/data/zoom-vtt-class-meeting``: Zoom's recogniser punctuates). Every sentence (the detector's own
:func:`~sessionscope.analysis.questions.sentences`) of clear question shape (:func:`strong_shape`, the rule written
before counting: after fillers, an auxiliary + subject ("do you…", "is it…"), an interrogative word + auxiliary
("what did…", "where is…"), or a contracted interrogative ("what's…", "how's…"); not a reported question, not cut
off) is counted by its final mark, and those ending with "." or "," by whether the detector (``_head_questions``, as
``session_questions`` uses it) finds them. Description only: nothing is chosen on these counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import DATA, write_result  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SESSIONS = {"SBC009": DATA / "sbcsae-text-refs" / "SBC009.stm", "SBC044": DATA / "sbcsae-text-refs" / "SBC044.stm",
            "ZOOM": DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording.transcript.vtt"}
def strong_shape(sentence: str) -> bool:
    """Clear question shape: the counting rule of this script, which the shipped rule adopted as
    :func:`sessionscope.analysis.questions.strong_question_shape` (the same test, plus "not Russian")."""
    from sessionscope.analysis.questions import strong_question_shape

    return strong_question_shape(sentence)


def count_session(name: str, path: Path) -> dict:
    from sessionscope.analysis.questions import _head_questions, bundled_question_head, sentences, transcript_punctuated
    from sessionscope.io import read_transcript

    sess = read_transcript(path)
    utts = sorted(sess.utterances, key=lambda u: u.start or 0.0)
    head = bundled_question_head()
    found = _head_questions(utts, head, "en") if head is not None else [([], None)] * len(utts)
    ends: dict[str, int] = {}
    period: list[dict] = []
    n_sent = 0
    for u, (qs, _) in zip(utts, found, strict=True):
        for s in sentences(u.text):
            n_sent += 1
            if not strong_shape(s):
                continue
            end = s[-1] if s[-1] in "?.,!" else "none"
            ends[end] = ends.get(end, 0) + 1
            if end in ".,":
                period.append({"utterance": u.id, "speaker": u.speaker, "sentence": s, "found": s in qs})
    from sessionscope.analysis import questions as q

    flag = q.qmark_unreliable([s for u in utts for s in sentences(u.text)]) if hasattr(q, "qmark_unreliable") else None
    n_found = sum(len(qs) for qs, _ in found)
    return {"utterances": len(utts), "sentences": n_sent, "punctuated": transcript_punctuated(u.text for u in utts),
            "qmark_unreliable": flag, "question_sentences_found": n_found,
            "strong_shape_by_final_mark": dict(sorted(ends.items())),
            "strong_shape_ending_period_or_comma": len(period),
            "of_which_found": sum(p["found"] for p in period),
            "sentences_ending_period_or_comma": period}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--rule", default=None, help="questions.PERIOD_RULE to use (off: the detector before round 28)")
    args = ap.parse_args(argv)
    if args.rule is not None:
        from sessionscope.analysis import questions as q

        q.PERIOD_RULE = args.rule
    out: dict = {"command": f"python benchmarks/r28_period_real.py --out {args.out}"
                            + (f" --rule {args.rule}" if args.rule else ""), "commit": commit(),
                 "date": dt.date.today().isoformat()}
    for name, path in SESSIONS.items():
        out[name] = count_session(name, path)
        r = out[name]
        print(name, r["punctuated"], r["strong_shape_by_final_mark"], "ending . or ,:", r["strong_shape_ending_period_or_comma"],
              "found:", r["of_which_found"], flush=True)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

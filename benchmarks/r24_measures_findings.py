"""Round 24 measures audit: the findings, before (81eda6b) → after, and the session figures the fixes moved.

Reads the two passes of ``benchmarks/r24_measures.py`` (their result files and their work folders' ``session.json``)
and writes one record per finding: the checks it failed at the round's start and after, whether it was a code or a
docs defect, and what changed.

    .venv/bin/python benchmarks/r24_measures_findings.py --before benchmarks/results/r24_measures_before.json \\
        --after benchmarks/results/r24_measures_after.json --before-work /tmp/r24/mw/before \\
        --after-work /tmp/r24/mw/after --out benchmarks/results/r24_measures_findings.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

FINDINGS: list[dict[str, Any]] = [
    {"id": "F1", "kind": "code", "where": "analysis/dynamics.py backchannel()",
     "what": "A backchannel written with spaces around its hyphen (QMSum / AMI text: 'Mm - hmm .') was read as three "
             "tokens, the lone '-' among them, so it was no backchannel and took the floor; docs/metrics.md counts a "
             "lone '-' as no word. Now the backchannel test reads the documented words.",
     "checks": ["participant.turns", "session.turns", "session.speaker_switches", "participant.backchannels",
                "session.backchannels", "participant.mean_turn_words", "participant.longest_turn_words",
                "session.turn_count_cv", "session.turn_taking_index", "metrics.turns"]},
    {"id": "F2", "kind": "code", "where": "analysis/dynamics.py floor_backchannels() / contained()",
     "what": "'A backchannel lying entirely inside another speaker's utterance' was looked for among the five "
             "utterances on either side only: a listener's short burst under a 36 s monologue that had started six "
             "utterances earlier took the floor (AMI ES2014b RTTM, MEE056: 2 backchannels became turn pieces, pauses "
             "19 vs 17, median turn 5.9 vs 5.1 s). Now every utterance is looked at (one sweep, by start).",
     "checks": ["participant.mean_turn_s", "participant.median_turn_s", "participant.pauses",
                "participant.pause_total_s", "participant.pause_mean_s", "participant.response_latency_median_s",
                "session.pauses", "session.pause_total_s", "session.pause_mean_s", "metrics.turns"]},
    {"id": "F3", "kind": "code", "where": "analysis/dynamics.py find_interruptions()",
     "what": "Interruptions looked back over the last 20 utterances started only: an utterance that started more than "
             "20 utterances earlier and was still running could not be interrupted. No interruption of these 14 "
             "sessions differed (the recount agreed before and after); the window is gone (the utterances still "
             "running are kept instead) and a model-free test shows the case.",
     "checks": ["participant.interruptions_made", "session.interruptions", "metrics.interruption_matrix"]},
    {"id": "F4", "kind": "code", "where": "analysis/dynamics.py _without_text()",
     "what": "Speech without any text that was never transcribed (RTTM input) wrote word_count 0, words_per_minute "
             "0.0, mean_turn_words 0.0, questions 0 beside a null word_share, while the report wrote n/a for the same "
             "words and questions: the tables said 'nobody said a word'. These word-based measures are now null and "
             "listed in metrics.unavailable (a recording the recogniser transcribed into nothing keeps its zeros).",
     "checks": ["no text: word-based measures null and listed", "null measures are explained (participant)",
                "null measures are explained (session)", "report: word_count n/a only where the docs blank it",
                "report: questions_asked n/a only where the docs blank it"]},
    {"id": "F5", "kind": "code", "where": "analysis/questions.py _rule_answer() / spoken_backchannel()",
     "what": "The answer rule (Russian, untimed, two-person sessions) judged a reply's backchannel on its raw text, "
             "transcript marks included: '{vocalsound} Yeah ,' was no backchannel and answered 'So how would this menu "
             "function work ?' (QMSum ES2014b), which docs/metrics.md rules out. Now the rule reads the documented "
             "words (marks and a lone '-' are none), for the yes/no exception too; the answer head's features are "
             "unchanged (it learned on them). ES2014b: 40 -> 39 answered, mutuality 0.718 -> 0.684.",
     "checks": ["questions: a backchannel answers no wh-question (rule)"]},
]
DOCS_ONLY = [
    {"id": "D1", "kind": "docs", "what": "Words: underscores join a word (AMI's spelled letters 'T_V_', 'L_C_D_' are "
     "one word each); the docs named only apostrophes and hyphens. Read as written, 51 utterances of three QMSum "
     "meetings get other counts.", "reading": "words: underscores split words (AMI's T_V_ = 2 words)"},
    {"id": "D2", "kind": "docs", "what": "Interruptions: B interrupts 'the one that runs longest' means the one that "
     "ends last (not the longest utterance): the other reading changes 6 interruptions of the AMI RTTMs.",
     "reading": "interruptions: 'runs longest' read as the longest utterance"},
    {"id": "D3", "kind": "docs", "what": "Per-session table: '`pauses`, `pause_total_s`, `pause_mean_s` | count, s' "
     "gives three keys two units; write 'count, s, s'."},
    {"id": "D4", "kind": "docs", "what": "Windowed dominance: a window is judged with at least min(dominance_min_speech_s, "
     "half the window) of speech (matters below 20 s), windows are min(150 s, duration) long, the last one is the "
     "first to reach the session's end; shares divide by the sum of the speakers' talk in the window (overlap counts "
     "for each). No session here is shorter than 20 s: no figure differs.",
     "reading": "dominance: windows under 2 x dominance_min_speech_s judged at half their length"},
    {"id": "D5", "kind": "docs", "what": "duration_s is the later of the input's duration and the last utterance end "
     "(the tables' and ConvoKit's duration_s take the input's duration when known): no input here differs.",
     "reading": "duration_s: the input's duration, though the last utterance ends later"},
    {"id": "D6", "kind": "docs", "what": "Nulls the docs did not explain: a participant without turns has null "
     "mean/median/longest turn (s and words), response latency and words per minute, not zeros; the report shows "
     "n/a for turns and the longest turn of a caption file whose cues name nobody (session.json keeps its 1 turn)."},
]
#: session figures the fixes moved (before → after), per session
MOVED = ("turns", "speaker_switches", "backchannels", "turn_taking_index", "turn_count_cv", "pauses", "interruptions",
         "words", "questions", "questions_answered", "mutuality_index")


def moved(before: Path, after: Path) -> dict[str, dict[str, list[Any]]]:
    out: dict[str, dict[str, list[Any]]] = {}
    for f in sorted((after / "out").glob("*/session.json")):
        b = before / "out" / f.parent.name / "session.json"
        if not b.exists():
            continue
        ms_a = json.loads(f.read_text(encoding="utf-8"))["metrics"]["session"]
        ms_b = json.loads(b.read_text(encoding="utf-8"))["metrics"]["session"]
        diff = {k: [ms_b.get(k), ms_a.get(k)] for k in MOVED if ms_b.get(k) != ms_a.get(k)}
        if diff:
            out[f.parent.name] = diff
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, required=True)
    ap.add_argument("--after", type=Path, required=True)
    ap.add_argument("--before-work", type=Path, required=True)
    ap.add_argument("--after-work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))

    def state(res: dict[str, Any], name: str) -> str:
        c = res["checks"].get(name)
        return f"{c['failed']}/{c['checked']} failing" if c else "not checked"

    rows = []
    for f in FINDINGS:
        rows.append({**f, "checks": {c: {"before": state(before, c), "after": state(after, c)} for c in f["checks"]}})
    for d in DOCS_ONLY:
        r = dict(d)
        if "reading" in d:
            r["as_written_differs"] = before["docs_readings"].get(d["reading"], {})
        rows.append(r)
    doc = {"benchmark": "r24_measures_findings", "before_commit": before["commit"], "after_commit": after["commit"],
           "command": "python benchmarks/r24_measures_findings.py " + " ".join(
               f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()),
           "data": before["data"], "n_checks": after["n_checks"],
           "failing_before": before["failing"], "failing_after": after["failing"],
           "findings": rows, "moved_session_figures": moved(args.before_work, args.after_work)}
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({"failing_before": len(before["failing"]), "failing_after": len(after["failing"]),
                      "moved": doc["moved_session_figures"]}, indent=1))


if __name__ == "__main__":
    main()

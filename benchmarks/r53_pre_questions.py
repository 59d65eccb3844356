"""Round 53: a pre-question ("Can I ask you something?", «можно я тоже спрошу») is answered by the reply to the
question it announces — what that changes on real transcripts and the bundled examples.

    nice -n 10 python benchmarks/r53_pre_questions.py --out benchmarks/results/r53_pre_questions.json \\
        [--session <scratch dir>/demo/ru_session/session.json]

The Russian example recognised by `run` (``scripts/demo.sh``) listed «Игорь Петрович, можно я тоже спрошу, у меня
сложная ситуация с клиентом…» among its open questions: Anna asks leave to ask, tells her problem for 9 s (one
question of Igor's in between), and Igor answers 13 s after her «можно я тоже спрошу» ended, beyond the 10 s an answer
may take (``dynamics.answer_max_latency_s``). ``questions.reply_window(after_asker=True)`` now counts that latency
from the end of the asker's latest utterance when every question sentence of the utterance is a
:func:`~sessionscope.analysis.questions.pre_question`.

Every real transcript of round 52's listing (QMSum's 11 meetings, SBCSAE's 3 conversations, the Zoom class meeting),
the bundled examples' references and any ``--session`` given go through ``find_questions`` as ``api.analyze`` would
call it (the session's language and backchannels, the bundled heads), with and without the change; every question
whose answer differs is listed, with every pre-question found. Nothing is chosen on them.

Also counted per source (round 53's report change): the problems found and the rows the report's problem section lists
(``view._problems``: one row per raiser and whole sentence, so a sentence recognised as two segments with a problem in
each is listed once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from r52_task_phrases import ROOT, sources  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def events(session, *, on: bool) -> list[dict]:
    import sessionscope.analysis.questions as q
    from sessionscope.config import DynamicsConfig

    keep = q.pre_question
    if not on:
        q.pre_question = lambda sentence: False
    try:
        cfg = DynamicsConfig()
        found = q.find_questions(session.utterances, language=session.language, backchannels=cfg.backchannels,
                                 backchannel_max_words=cfg.backchannel_max_words,
                                 answer_max_utterances=cfg.answer_max_utterances,
                                 answer_max_latency_s=cfg.answer_max_latency_s)
    finally:
        q.pre_question = keep
    return [{"utterance_id": e.utterance_id, "asker": e.asker, "text": e.text, "answered": e.answered,
             "answer_utterance_id": e.answer_utterance_id, "pre_question": keep(e.text)} for e in found]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--session", type=Path, action="append", default=[], help="a session.json written by `run`")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    from sessionscope import api
    from sessionscope.model.serialize import read_session_json
    from sessionscope.report.view import build_view

    paths = [*sources(), ROOT / "examples" / "ru_session" / "reference.stm"]
    rows, questions, changed, pre = [], 0, 0, 0
    for path in [*paths, *args.session]:
        session = read_session_json(path) if path.suffix == ".json" and path in args.session else api.analyze(path)
        now, before = events(session, on=True), events(session, on=False)
        diff = [{"before": b, "now": a} for a, b in zip(now, before, strict=True) if a != b]
        found = [e for e in now if e["pre_question"]]
        questions += len(now)
        changed += len(diff)
        pre += len(found)
        full = path.resolve()
        name = str(full.relative_to(ROOT) if full.is_relative_to(ROOT) else full.relative_to(ROOT.parent)
                   if full.is_relative_to(ROOT.parent) else path)
        listed = len(build_view(session).section("problems").rows)  # round 53: one row per problem sentence
        rows.append({"source": name, "questions": len(now), "answered": sum(e["answered"] for e in now),
                     "pre_questions": found, "changed": diff, "problems": len(session.problems),
                     "problem_rows": listed})
        print(path.name, len(now), "questions,", len(found), "pre-questions,", len(diff), "changed", flush=True)
    out = {"command": "python benchmarks/r53_pre_questions.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "date": dt.date.today().isoformat(), "questions": questions, "pre_questions": pre,
           "changed": changed, "problems": sum(r["problems"] for r in rows),
           "problem_rows": sum(r["problem_rows"] for r in rows), "sources": rows}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

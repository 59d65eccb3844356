"""Round 52's English task-phrase changes, each switched off in turn: what it does on real transcripts.

    nice -n 10 python benchmarks/r52_task_phrases.py --off owner-subject --out benchmarks/results/r52_task_phrases_owner_subject.json
    nice -n 10 python benchmarks/r52_task_phrases.py --off passive-be --out benchmarks/results/r52_task_phrases_passive_be.json

* ``owner-subject``: a chair handing out tasks by name or role ("Lee is going to call the client", "The Industrial
  Designer is going to work on the working design") had the owner's name and frame kept in the task phrase under that
  owner; ``actions.without_owner_subject`` takes them out (switched off: ``stage.without_owner_subject`` replaced by
  the identity).
* ``passive-be``: the person frame ("you will be…") took the "be" of a passive, so "You will be sent a transcript
  following the meeting to check for accuracy" read "sent a transcript…" (as if the owner sent it); it now reads "be
  sent a transcript…", and "will be able to" is a frame ("I'll be able to send it" → "send it") (switched off: the
  person frame of round 51, ``actions._EN_PERSON_FRAME`` with a plain "be").

Every real English transcript in ``../shared/data`` that reads as a session (QMSum's 11 meetings, SBCSAE's 3
conversations, the Zoom class meeting) and the bundled English example go through ``api.analyze`` twice — as shipped,
and with the change switched off — and every action item whose task, owner, due or count differs is listed. Nothing
is chosen on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_dialogue_acts import commit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def sources() -> list[Path]:
    return [*sorted((DATA / "qmsum-topics-queries").glob("*.json")), *sorted((DATA / "sbcsae-text-refs").glob("*.stm")),
            *sorted((DATA / "zoom-vtt-class-meeting").glob("*.transcript.vtt")), ROOT / "examples" / "en_session" / "reference.stm"]


@contextmanager
def switched_off(change: str) -> Iterator[None]:
    """Round 52's ``change`` undone while inside."""
    import sessionscope.analysis.extract.actions as actions
    import sessionscope.analysis.extract.stage as stage

    if change == "ru-object":  # the Russian coordinated object (r52_ru_object_phrases.py)
        keep_and = actions._RU_OBJECT_AND
        actions._RU_OBJECT_AND = frozenset()
        try:
            yield
        finally:
            actions._RU_OBJECT_AND = keep_and
        return
    if change == "owner-subject":
        keep_fn = stage.without_owner_subject
        stage.without_owner_subject = lambda task, names: task
        try:
            yield
        finally:
            stage.without_owner_subject = keep_fn
        return
    keep = actions._EN_PERSON_FRAME
    old = re.sub(r"be able to\|be\(\?! \(\?:.*?\)\\b\)\|", "be|", keep.pattern)
    assert old != keep.pattern, "the round-52 person frame was not found"
    actions._EN_PERSON_FRAME = re.compile(old, keep.flags)
    try:
        yield
    finally:
        actions._EN_PERSON_FRAME = keep


def items(path: Path) -> list[tuple]:
    from sessionscope import api

    s = api.analyze(path)
    return [(a.utterance_id, a.owner, a.task, a.due_text, a.to_check) for a in s.action_items]


def main(argv: list[str] | None = None, *, changes: tuple[str, ...] = ("owner-subject", "passive-be"),
         switch: Callable[[str], AbstractContextManager[None]] = switched_off, script: str = "r52_task_phrases.py",
         doc: str | None = __doc__) -> int:
    """Every action item of :func:`sources` as shipped and with one of ``changes`` undone by ``switch`` (a later
    round's script passes its own)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--off", choices=changes, required=True,
                    help="the change switched off (ru-object: see r52_ru_object_phrases.py)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    rows, total, changed = [], 0, 0
    for path in sources():
        now = items(path)
        with switch(args.off):
            before = items(path)
        total += len(now)
        diff = [{"before": list(b), "now": list(a)} for a, b in zip(now, before, strict=False) if a != b]
        if len(now) != len(before):
            diff.append({"count_before": len(before), "count_now": len(now)})
        changed += len(diff)
        rows.append({"source": str(path.relative_to(ROOT.parent)), "action_items": len(now), "changed": diff})
        print(path.name, len(now), "items,", len(diff), "changed", flush=True)
    out = {"command": f"python benchmarks/{script} " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "date": dt.date.today().isoformat(), "action_items": total, "changed": changed,
           "switched_off": args.off, "sources": rows}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 11 action items: moves made within the meeting itself, marked ``ActionItem.in_meeting`` (not dropped).

Usage (from the repository root)::

    nice -n 10 python benchmarks/in_meeting_r11_actions.py scan --out benchmarks/results/in_meeting_scan_r11_actions.json
    nice -n 10 python benchmarks/in_meeting_r11_actions.py heldout --label r11after \\
        --out benchmarks/results/in_meeting_heldout_r11_actions.json
    python benchmarks/errors_r10_actions.py run --work /tmp/r11/actions/audit --tag after \\
        --sessions SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b
    python benchmarks/in_meeting_r11_actions.py audit --work /tmp/r11/actions/audit --tag after \\
        --out benchmarks/results/in_meeting_audit_r11_actions.json
    python benchmarks/in_meeting_r11_actions.py probes --out benchmarks/results/in_meeting_probes_r11_actions.json

``scan``: every act of the train and held-out train meetings (dev never read) that
:func:`~sessionscope.analysis.extract.actions.in_meeting` marks, per corpus: how many, how many are gold action acts
(MRDA ``^cc`` / AMI ``off``) and how many are linked to an AMI human action-item sentence; and the other way round,
how many gold acts and linked acts it marks. Up to 40 marked linked acts are listed (texts stay in ``.cache``).

``heldout``: the held-out TRAIN meetings through ``extract_items`` on the cached rows (``errors_r9_actions.heldout``,
the same items ``dialogue_acts_eval.py --split heldout`` scores): the per-act figures (unchanged by a mark) and, of
the action items found, how many are marked, how many of those are gold and linked. ``--off COMMIT`` as in
``errors_r9_actions`` (the round-start ``assign.py`` / ``actions.py`` / ``stage.py``).

``audit``: the audited development transcripts' action items of run ``--tag`` (``errors_r10_actions.py run``) joined
to the hand labels of ``audit_real_talk_r11_actions_labels.json`` (``in_meeting``: yes / no per item key, one
labeller): precision and recall of the mark.

``probes``: written English and Russian sentences, moves and real tasks, through the parser and the mark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import errors_r9_actions as r9  # noqa: E402
from dialogue_acts import CORPORA, ROOT, load_acts  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

LABELS = ROOT / "benchmarks" / "results" / "audit_real_talk_r11_actions_labels.json"
CACHE = ROOT / ".cache" / "actions_r11"

# written probes: (language, sentence, is a move within the meeting)
PROBES: tuple[tuple[str, str, bool], ...] = (
    ("en", "I'll draw it on the whiteboard.", True),
    ("en", "I'll show you the next slide.", True),
    ("en", "Let me share my screen.", True),
    ("en", "I'll take notes now.", True),
    ("en", "I'll go first.", True),
    ("en", "First I will introduce myself.", True),
    ("en", "Let me just pull up the deck.", True),
    ("en", "I'll send you the report by Friday.", False),
    ("en", "I'll prepare the slides for the review.", False),
    ("en", "I'll present it to my team next week.", False),
    ("en", "I'll present the results at the next meeting.", False),
    ("en", "I'll call the client tomorrow.", False),
    ("en", "I'll book a session with the career coach.", False),
    ("en", "I'll read the two papers you recommended.", False),
    ("en", "We'll set up a call with the design lead.", False),
    ("en", "I'll fix my laptop's backup before the trip.", False),
    ("ru", "Я покажу на доске.", True),
    ("ru", "Сейчас покажу, как это делается.", True),
    ("ru", "Я поделюсь экраном.", True),
    ("ru", "Давайте я начну.", True),
    ("ru", "Перейду к следующему слайду.", True),
    ("ru", "Я пришлю отчёт до пятницы.", False),
    ("ru", "Я подготовлю слайды к защите.", False),
    ("ru", "Я покажу прототип на следующей встрече.", False),
    ("ru", "Я позвоню клиенту завтра.", False),
    ("ru", "Я прочитаю обе статьи.", False),
)


def scan(anyone: bool = False) -> dict:
    from sessionscope.analysis.extract.actions import in_meeting

    out: dict = {}
    listed = []
    for corpus in CORPORA:
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout")]
        hit = [a for a in acts if in_meeting(a.text, anyone=anyone)]
        gold = [a for a in acts if a.action]
        linked = [a for a in acts if a.action_link]
        out[corpus] = {"acts": len(acts), "marked": len(hit), "marked_gold": sum(a.action for a in hit),
                       "marked_linked": sum(bool(a.action_link) for a in hit),
                       "gold_acts": len(gold), "gold_marked_share": round(sum(a.action for a in hit) / max(1, len(gold)), 3),
                       "linked_acts": len(linked),
                       "linked_marked_share": round(sum(bool(a.action_link) for a in hit) / max(1, len(linked)), 3)}
        listed += [{"corpus": corpus, "meeting": a.meeting, "gold": a.action, "text": a.text}
                   for a in hit if a.action_link][:40]
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "scan_marked_linked.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in listed))
    return out


def heldout(label: str) -> dict:
    """Held-out figures of :func:`errors_r9_actions.heldout` plus the mark's counts on the items found."""
    import importlib.util

    # the working tree's mark, also when ``--off`` loaded an older ``actions.py`` for the items
    spec = importlib.util.spec_from_file_location("_actions_r11", ROOT / "src/sessionscope/analysis/extract/actions.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    in_meeting = mod.in_meeting
    figures = r9.heldout(label)
    rows = [json.loads(x) for x in (r9.CACHE / f"{label}_items.jsonl").read_text(encoding="utf-8").splitlines()]
    for r in rows:  # the stage marks an item by its sentence (``in_meeting_move``; the corpora are English)
        r["in_meeting"] = in_meeting(r["sentence"])
    for corpus in CORPORA:
        mine = [r for r in rows if r["corpus"] == corpus]
        marked = [r for r in mine if r.get("in_meeting")]
        figures[corpus]["in_meeting"] = {
            "items": len(mine), "marked": len(marked), "marked_gold": sum(bool(r["gold"]) for r in marked),
            "marked_linked": sum(bool(r["linked"]) for r in marked),
            "gold_items": sum(bool(r["gold"]) for r in mine), "linked_items": sum(bool(r["linked"]) for r in mine),
            "unmarked_gold": sum(bool(r["gold"]) for r in mine if not r.get("in_meeting")),
        }
    return figures


def audit(work: Path, tag: str, sessions: list[str], labels: dict[str, str]) -> dict:
    import audit_real_talk as art

    tp = fp = fn = tn = 0
    unlabelled, rows = 0, []
    for sid in sessions:
        s = art.load(work, tag, sid)
        marks = {(a["utterance_id"], a["task"][:60]): bool(a.get("in_meeting")) for a in s["action_items"]}
        for r in r9.action_rows(work, tag, sid):
            mark = marks[(r["utterance_id"], r["task"][:60])]
            gold = labels.get(r["key"])
            rows.append({"key": r["key"], "marked": mark, "label": gold})
            if gold is None:
                unlabelled += 1
                continue
            g = gold == "yes"
            tp += mark and g
            fp += mark and not g
            fn += (not mark) and g
            tn += (not mark) and not g
    return {"items": len(rows), "labelled_in_meeting": tp + fn, "marked": tp + fp, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(tp / max(1, tp + fp), 3), "recall": round(tp / max(1, tp + fn), 3),
            "unlabelled": unlabelled, "tasks_left": tn + fn, "tasks_left_labelled_in_meeting": fn, "rows": rows}


def probes() -> dict:
    from sessionscope.analysis.extract.actions import in_meeting_move
    from sessionscope.language.nlp import parse_texts

    rows = []
    for lang in ("en", "ru"):
        todo = [(t, want) for lg, t, want in PROBES if lg == lang]
        parsed = parse_texts([t for t, _ in todo], language=lang)
        for (t, want), sents in zip(todo, parsed, strict=True):
            got = any(in_meeting_move(s) for s in sents)
            rows.append({"language": lang, "text": t, "move": want, "marked": got, "right": got == want})
    return {"probes": len(rows), "right": sum(r["right"] for r in rows),
            "moves_marked": sum(r["marked"] for r in rows if r["move"]), "moves": sum(r["move"] for r in rows),
            "tasks_marked": sum(r["marked"] for r in rows if not r["move"]), "tasks": sum(not r["move"] for r in rows),
            "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("scan", "heldout", "audit", "probes"))
    ap.add_argument("--label", default="r11")
    ap.add_argument("--off", default=None, metavar="COMMIT")
    ap.add_argument("--work", type=Path, default=Path("/tmp/r11/actions/audit"))
    ap.add_argument("--tag", default="after")
    ap.add_argument("--sessions", default="SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--anyone", action="store_true", help="scan: anyone's frame (the assignment veto), not the speaker's own")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    argv_s = " ".join(argv if argv is not None else sys.argv[1:])
    body: dict = {"command": f"python benchmarks/in_meeting_r11_actions.py {argv_s}", "commit": commit(),
                  "date": dt.date.today().isoformat()}
    if args.off:
        r9.switch_off(args.off)
    if args.cmd == "scan":
        body.update(split="train + held-out train meetings (acts); dev never read", anyone=args.anyone,
                    scan=scan(args.anyone))
    elif args.cmd == "heldout":
        body.update(split="held-out TRAIN meetings (MRDA 6, AMI 16); dev never read", label=args.label, off=args.off,
                    figures=heldout(args.label))
    elif args.cmd == "audit":
        doc = json.loads(args.labels.read_text(encoding="utf-8"))
        sessions = [s for s in args.sessions.split(",") if s]
        body.update(sessions=sessions, run=args.tag, labeller=doc.get("labeller"),
                    figures=audit(args.work, args.tag, sessions, doc["labels"]))
    else:
        body.update(probes=probes())
    text = json.dumps(body, indent=1, ensure_ascii=False)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text[:5000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

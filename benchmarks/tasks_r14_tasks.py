"""Round 14 (tasks): listed action items that are real tasks on real talk — what the new in-meeting mark does.

Usage (from the repository root; the runs come from ``audit_real_talk.py run``)::

    nice -n 10 python benchmarks/tasks_r14_tasks.py scan --out benchmarks/results/tasks_scan_r14_tasks.json
    python benchmarks/tasks_r14_tasks.py realtalk --work /tmp/r14/tasks/audit --tags base14,after14 \\
        --out benchmarks/results/tasks_realtalk_r14_tasks.json
    nice -n 10 python benchmarks/tasks_r14_tasks.py heldout --out benchmarks/results/tasks_heldout_r14_tasks.json

``scan``: every act of the train and held-out train meetings (dev never read), marked by the round-start
``actions.in_meeting`` (``c4f6665``, the speaker's own frame, as the stage marks items) and by the working tree's:
per corpus how many acts each marks, how many of them are gold action acts (MRDA ``^cc`` / AMI ``off``) and linked to
an AMI human action-item sentence, and the acts newly marked (texts to ``.cache/tasks_r14/``, not the repository).

``realtalk``: the listed tasks (action items not ``in_meeting``) of each run, joined to the hand labels of rounds 6-13
(``realtalk_check_r13_realtalk.labels``: the blind files' labels are dropped before use). Files: the 11 audited files
and round 13's 16 AMI held-out train meetings, less the blind files and Bed003 (an MRDA dev meeting). Right = ``ok``.
For each run also ``remarked``: the same items with the working tree's mark recomputed from the item's sentence (what
the stage calls, ``in_meeting_move``), so a mark-only change can be counted on a run made before it.

``probe``: written two-person lines (:data:`PROBE`, kinds the issue names as missed: an obligation "soon", "now I'm
gonna call him", an institutional "we will publish…") through the stage with the bundled heads: per sentence the
action rule, the heads' action probability and threshold, and the action items listed. ``--actions FILE`` loads
another ``actions.py`` in its place (a variant measured, not shipped; the JSON keeps its diff to the working tree's).

``heldout``: the held-out TRAIN meetings' action items on the cached rows (``errors_r9_actions.heldout``, the items
``dialogue_acts_eval.py --split heldout`` scores), marked by the round-start and the working tree's rule: how many
are marked, and how many of the marked are gold / linked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "tasks_r14"
BASE = "c4f6665"  # round 14's start
BLIND = ("SBC044", "education_13", "ES2004d", "ES2002d")  # the blind gold files and sessions (never read)
EXCLUDED = (*BLIND, "Bed003")  # Bed003: an MRDA dev meeting, not read for choosing


def base_in_meeting(rev: str = BASE) -> Callable[..., bool]:
    """``in_meeting`` of ``actions.py`` as it was at ``rev`` (the rest of the package as it is)."""
    src = subprocess.run(["git", "show", f"{rev}:src/sessionscope/analysis/extract/actions.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    mod = types.ModuleType("_actions_base")
    mod.__file__ = str(ROOT / "src/sessionscope/analysis/extract/actions.py")
    exec(compile(src, f"actions.py@{rev}", "exec"), mod.__dict__)  # noqa: S102 - the repository's own file at a commit
    return mod.in_meeting  # type: ignore[no-any-return]


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def scan() -> dict:
    from dialogue_acts import CORPORA, load_acts
    from sessionscope.analysis.extract.actions import in_meeting

    old = base_in_meeting()
    out: dict = {}
    listed = []
    for corpus in CORPORA:
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout") and a.meeting not in BLIND]
        before = [old(a.text) for a in acts]
        after = [in_meeting(a.text) for a in acts]
        row: dict[str, Any] = {"acts": len(acts), "gold_acts": sum(bool(a.action) for a in acts),
                               "linked_acts": sum(bool(a.action_link) for a in acts)}
        for name, marks in (("before", before), ("after", after)):
            hit = [a for a, m in zip(acts, marks, strict=True) if m]
            row[name] = {"marked": len(hit), "marked_gold": sum(bool(a.action) for a in hit),
                         "marked_linked": sum(bool(a.action_link) for a in hit)}
        new = [a for a, b, m in zip(acts, before, after, strict=True) if m and not b]
        row["newly_marked"] = {"acts": len(new), "gold": sum(bool(a.action) for a in new),
                               "linked": sum(bool(a.action_link) for a in new)}
        row["unmarked"] = sum(1 for b, m in zip(before, after, strict=True) if b and not m)
        out[corpus] = row
        listed += [{"corpus": corpus, "meeting": a.meeting, "split": a.split, "gold": bool(a.action),
                    "linked": bool(a.action_link), "text": a.text} for a in new]
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "scan_newly_marked.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in listed),
                                                   encoding="utf-8")
    return out


def _tally(rows: list[dict]) -> dict:
    lab = [r for r in rows if r["label"] is not None]
    by: dict[str, int] = {}
    for r in lab:
        by[r["label"]] = by.get(r["label"], 0) + 1
    ok = sum(r["label"] == "ok" for r in lab)
    return {"listed": len(rows), "labelled": len(lab), "right": ok,
            "precision": round(ok / len(lab), 3) if lab else None, "by_label": dict(sorted(by.items(), key=lambda kv: -kv[1]))}


def realtalk_rows(work: Path, tag: str, files: tuple[str, ...]) -> list[dict]:
    import audit_real_talk as art
    import realtalk_check_r13_realtalk as rc
    from sessionscope.analysis.extract.actions import in_meeting

    labels = rc.labels()  # blind files' labels dropped
    out = []
    for sid in files:
        assert sid not in EXCLUDED
        s = art.load(work, tag, sid)
        utts = {u["id"]: u for u in s["utterances"]}
        for a in s.get("action_items") or []:
            key = f"{sid}|action|{a['utterance_id']}|{a['task'][:60]}"
            text = utts[a["utterance_id"]]["text"]
            sent = text[a["char_start"]:a["char_end"]] if a.get("char_end") is not None else text
            out.append({"session": sid, "key": key, "label": labels.get(key), "in_meeting": bool(a.get("in_meeting")),
                        "remarked": bool(a.get("in_meeting")) or in_meeting(sent, "en"), "task": a["task"],
                        "sentence": sent, "method": a.get("method"), "confidence": a.get("confidence")})
    return out


def realtalk(work: Path, tags: list[str], files: tuple[str, ...]) -> dict:
    import audit_real_talk as art

    sets = {"audited": tuple(f for f in files if f not in art.R13_AMI), "r13_ami_heldout_train": tuple(
        f for f in files if f in art.R13_AMI)}
    res: dict = {}
    changed: dict = {}
    for tag in tags:
        rows = realtalk_rows(work, tag, files)
        res[tag] = {}
        for name, sess in {**sets, "all": files}.items():
            sel = [r for r in rows if r["session"] in sess]
            res[tag][name] = {"action_items": _tally(sel), "tasks (not in_meeting)": _tally([r for r in sel if not r["in_meeting"]]),
                              "tasks, working tree's mark recomputed": _tally([r for r in sel if not r["remarked"]])}
        changed[tag] = [{"key": r["key"], "label": r["label"], "sentence": r["sentence"][:120]}
                        for r in rows if r["remarked"] != r["in_meeting"]]
    if len(tags) == 2:
        a, b = ({r["key"]: r for r in realtalk_rows(work, t, files)} for t in tags)
        res["diff"] = {"lost": [(k, a[k]["label"]) for k in a if k not in b],
                       "gained": [(k, b[k]["label"]) for k in b if k not in a],
                       "mark_changed": [(k, a[k]["in_meeting"], b[k]["in_meeting"], a[k]["label"]) for k in a
                                        if k in b and a[k]["in_meeting"] != b[k]["in_meeting"]]}
    res["mark_changed_if_recomputed"] = changed
    return res


def heldout(label: str) -> dict:
    import errors_r9_actions as r9
    from dialogue_acts import CORPORA
    from sessionscope.analysis.extract.actions import in_meeting

    old = base_in_meeting()
    figures = r9.heldout(label)
    rows = [json.loads(x) for x in (r9.CACHE / f"{label}_items.jsonl").read_text(encoding="utf-8").splitlines()]
    out: dict = {}
    for corpus in CORPORA:
        mine = [r for r in rows if r["corpus"] == corpus]
        row: dict[str, Any] = {"action": figures[corpus]["action"], "items": len(mine),
                               "gold_items": sum(bool(r["gold"]) for r in mine),
                               "linked_items": sum(bool(r["linked"]) for r in mine)}
        for name, fn in (("before", old), ("after", in_meeting)):
            marked = [r for r in mine if fn(r["sentence"])]
            row[name] = {"marked": len(marked), "marked_gold": sum(bool(r["gold"]) for r in marked),
                         "marked_linked": sum(bool(r["linked"]) for r in marked)}
        row["newly_marked"] = [{"gold": bool(r["gold"]), "linked": bool(r["linked"]), "task": r["task"]}
                               for r in mine if in_meeting(r["sentence"]) and not old(r["sentence"])]
        out[corpus] = row
    return out


# written lines in the kinds the issue lists as missed (not the blind files' sentences): (speaker, text)
PROBE = (
    ("A", "The office is freezing this morning."),
    ("B", "Yes, the sun comes in later and it gets hot, which is why I have to close the window soon."),
    ("A", "Did you talk to the landlord about the heating?"),
    ("B", "Not yet. Well now I'm gonna call him."),
    ("A", "Good. And what about the new rules?"),
    ("B", "We will publish new guidance and rates to reflect any changes as they come up."),
    ("A", "Fine. I have to call the plumber soon."),
    ("B", "I'll send you the report by Friday."),
)


def load_actions(path: Path) -> str:
    """Put ``path`` in place of ``sessionscope.analysis.extract.actions`` (before the stage is imported); its diff."""
    import difflib

    src = path.read_text(encoding="utf-8")
    mod = types.ModuleType("sessionscope.analysis.extract.actions")
    mod.__file__ = str(ROOT / "src/sessionscope/analysis/extract/actions.py")
    sys.modules[mod.__name__] = mod
    exec(compile(src, str(path), "exec"), mod.__dict__)  # noqa: S102 - a variant of the repository's own file
    tree = (ROOT / "src/sessionscope/analysis/extract/actions.py").read_text(encoding="utf-8")
    return "".join(difflib.unified_diff(tree.splitlines(True), src.splitlines(True), "working tree", str(path)))


def probe() -> dict:
    from sessionscope.analysis.extract.stage import RULES, ExtractionStage, extract_items, head_decision
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.language.nlp import parse_texts
    from sessionscope.model import Participant, Session, Utterance

    utts = tuple(Utterance(id=f"u{k}", speaker=s, text=t, start=float(k), end=k + 0.9) for k, (s, t) in enumerate(PROBE))
    sess = Session(id="probe", language="en", participants=(Participant(id="A", name="A"), Participant(id="B", name="B")),
                   utterances=utts)
    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    parsed = parse_texts([u.text for u in utts], language="en")
    proba = stage.probabilities(parsed)
    logits = stage.head_logits(sess, parsed)
    items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                          task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
    k = list(stage._heads.labels).index("action")
    rows = []
    for i, sents in enumerate(parsed):
        for j, sent in enumerate(sents):
            hits = {kind: rule(sent) for kind, rule in RULES.items()}
            _, probs = head_decision(stage._heads, logits[i][j], hits)
            hit = hits["action"]
            rows.append({"utterance": utts[i].id, "text": sent.text, "action_rule": None if hit is None else
                         ("veto:" if hit.veto else "") + hit.rule, "p_action": round(probs["action"], 3)})
    return {"action_threshold": round(float(stage._heads.lexical.thresholds[k]), 3), "sentences": rows,
            "action_items": [{"utterance": a.utterance_id, "task": a.task, "owner": a.owner, "in_meeting": a.in_meeting}
                             for a in items["action_items"]]}


def main(argv: list[str] | None = None) -> int:

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("scan", "realtalk", "heldout", "probe"))
    ap.add_argument("--actions", type=Path, help="probe: another actions.py in place of the working tree's")
    ap.add_argument("--work", type=Path, default=Path("/tmp/r14/tasks/audit"))
    ap.add_argument("--tags", default="base14")
    ap.add_argument("--label", default="r14tasks", help="heldout: name of the items file under .cache/actions_r9")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    argv_s = " ".join(argv if argv is not None else sys.argv[1:])
    body: dict = {"command": f"python benchmarks/tasks_r14_tasks.py {argv_s}", "commit": commit(),
                  "date": dt.date.today().isoformat(), "round_start": BASE}
    if args.cmd == "probe":
        diff = load_actions(args.actions) if args.actions else ""
        body.update(split="written probe lines (not from any corpus or audited file)", actions_variant_diff=diff,
                    probe=probe())
    elif args.cmd == "scan":
        body.update(split="train + held-out train meetings (acts); dev never read", scan=scan())
    elif args.cmd == "heldout":
        body.update(split="held-out TRAIN meetings (MRDA 6, AMI 16) on cached rows; dev never read", figures=heldout(args.label))
    else:
        import realtalk_check_r13_realtalk as rc

        files = tuple(f for f in rc.FILES if f not in EXCLUDED)
        body.update(files=list(files), excluded=list(EXCLUDED), note="precision of listed tasks (right = 'ok'); one "
                    "labeller per round; missed tasks were not searched for", labels="rounds 6-13 (blind files' dropped)",
                    figures=realtalk(args.work, args.tags.split(","), files))
    text = json.dumps(body, indent=1, ensure_ascii=False)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text[:6000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

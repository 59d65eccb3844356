"""Round 9 action items: what the false ones are on real talk and held-out train meetings, and what a fix removes.

Usage (from the repository root)::

    nice -n 10 python benchmarks/errors_r9_actions.py heldout --label before --off --out benchmarks/results/heldout_r9_actions_before.json
    nice -n 10 python benchmarks/errors_r9_actions.py heldout --label after --out benchmarks/results/heldout_r9_actions.json
    python benchmarks/errors_r9_actions.py run --work /tmp/s9/actions/audit --tag before --off --sessions SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b
    python benchmarks/errors_r9_actions.py run --work /tmp/s9/actions/audit --tag after --sessions SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b
    nice -n 10 python benchmarks/errors_r9_actions.py scan --out benchmarks/results/scan_r9_actions.json
    python benchmarks/errors_r9_actions.py moves --label after --heldout-json benchmarks/results/heldout_r9_actions_after.json \\
        --tag after --out benchmarks/results/moves_r9_actions_not_shipped.json
    python benchmarks/errors_r9_actions.py count --work /tmp/s9/actions/audit --tags before,after \\
        --sessions SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b --out benchmarks/results/audit_real_talk_r9_actions_dev.json

``heldout``: the held-out TRAIN meetings (``dialogue_acts.heldout_meeting``: MRDA 6, AMI 16; the dev meetings are
never read), with the cached parse, classifier and head rows of ``recs_error_analysis.py cache``
(``.cache/dialogue_acts/recs2_heldout_rows.pkl``: nothing there depends on the action rules) and the working tree's
``extract_items``. Scored as ``dialogue_acts_eval.py`` scores it (action items vs MRDA ``^cc`` / AMI ``off``, owner
right, AMI human action-item sentences found as action items). Every action item goes, with its text, to
``.cache/actions_r9/<label>_items.jsonl`` (corpus texts stay out of the repository); the JSON has the false ones'
counts per kind (:func:`kind_of`) and per method. ``--off [COMMIT]`` loads ``assign.py``, ``actions.py`` and
``stage.py`` as they were at COMMIT (default HEAD; the rest of the tree as it is): the "before".

``run``: the audited real-talk transcripts through the CLI (``audit_real_talk.prepare``'s manifest, all default
stages), with ``--off [COMMIT]`` as above (the "before"); ``--qmsum`` adds QMSum AMI meetings (roles as speakers).
``count``: joins the hand labels (``benchmarks/results/audit_real_talk_r9_actions_labels.json``; ``ok`` or an
error kind per item key) to the runs' action items and counts them per tag and session.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import _found, score, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

ROWS = ROOT / ".cache" / "dialogue_acts" / "recs2_heldout_rows.pkl"
CACHE = ROOT / ".cache" / "actions_r9"
LABELS = ROOT / "benchmarks" / "results" / "audit_real_talk_r9_actions_labels.json"

# the kinds of false action items, in order: the first that matches names the item (lower-cased sentence)
KINDS: tuple[tuple[str, str], ...] = (
    ("question", r"\?\s*$"),
    ("meeting_move", r"\b(pen|present(ation)?|slides?|the board|whiteboard|sit down|laptop|screen|cable|plug|minutes|"
                     r"introduce|agenda|tell you|show you|explain|talk about|go through|start (with|off)|draw)\b"),
    ("narration_past", r"\b(yesterday|last (week|time|year)|already|ago|was|were|did|had)\b"),
    ("hypothetical", r"\b(could|would|might|maybe|perhaps|if)\b"),
    ("we_general", r"\b(we|let's|let us)\b"),
    ("you_statement", r"\byou\b"),
    ("first_person", r"\b(i|i'll|i'm|me|my)\b"),
)


def kind_of(text: str) -> str:
    low = " ".join(text.lower().split())
    return next((k for k, p in KINDS if re.search(p, low)), "other")


MINE = ("assign", "actions", "stage")  # the extraction modules this round changes, in import order


def switch_off(rev: str = "HEAD") -> None:
    """The round-9 changes switched off: ``assign.py``, ``actions.py`` and ``stage.py`` as they were at ``rev``.

    Everything else is the working tree, so a before / after pair differs by these files only. Call it before
    anything imports the extraction stage.
    """
    import types

    for name in MINE:
        full = f"sessionscope.analysis.extract.{name}"
        src = subprocess.run(["git", "show", f"{rev}:src/sessionscope/analysis/extract/{name}.py"],
                             capture_output=True, text=True, check=True, cwd=ROOT).stdout
        mod = types.ModuleType(full)
        mod.__file__ = str(ROOT / "src" / "sessionscope" / "analysis" / "extract" / f"{name}.py")
        sys.modules[full] = mod
        exec(compile(src, f"{name}.py@{rev}", "exec"), mod.__dict__)  # noqa: S102 - the repository's own file at a commit


def heldout(label: str) -> dict:
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    with ROWS.open("rb") as fh:
        rows = pickle.load(fh)
    CACHE.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    false_rows = []
    for corpus in CORPORA:
        results, by_meeting = {}, {}
        kinds: collections.Counter[str] = collections.Counter()
        methods: collections.Counter[str] = collections.Counter()
        for m, acts in meetings(corpus, "heldout").items():
            parsed, proba, logits = rows[(corpus, m)]
            sess = session_of(m, acts)
            items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads,
                                  head_logits=logits, task_encoder=stage._encoder,
                                  assign_threshold=stage.assign_threshold)
            f = _found(items)
            f["question_stripped"] = {}
            results[m] = {"shipped": f, "before": f, "answered": {}}
            by_meeting[m] = acts
            by_id = {a.id: (k, a) for k, a in enumerate(acts)}
            for it in items["action_items"]:
                k, a = by_id[it.utterance_id]
                sent = a.text[it.char_start:it.char_end] if it.char_end else a.text
                kind = kind_of(sent)
                if not a.action:
                    kinds[kind] += 1
                    methods[it.method] += 1
                false_rows.append({"corpus": corpus, "meeting": m, "act": a.id, "label": a.label, "gold": a.action,
                                   "linked": a.action_link, "kind": kind, "method": it.method,
                                   "confidence": it.confidence, "owner": it.owner, "speaker": a.speaker,
                                   "sentence": sent, "task": it.task,
                                   "prev": acts[k - 1].text if k else None,
                                   "next": acts[k + 1].text if k + 1 < len(acts) else None})
        s = score(corpus, by_meeting, results)["shipped"]
        out[corpus] = {"meetings": len(by_meeting), "action": s["action"], "action_owner_right": s["action_owner_right"],
                       "action_owner_n": s["action_owner_n"], "action_items_total": s["action_items_total"],
                       "recommendation": s["recommendation"],
                       "false_by_kind": dict(kinds.most_common()), "false_by_method": dict(methods.most_common())}
        if corpus == "ami":
            out[corpus]["ami_action_sentences"] = score(corpus, by_meeting, results)["ami_action_sentences"]["shipped"]
    (CACHE / f"{label}_items.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in false_rows))
    return out


# the CLI with the round-9 changes switched off (``run --off``)
_OFF = ("import sys; sys.path.insert(0, {bench!r}); from errors_r9_actions import switch_off; switch_off({rev!r}); "
        "from sessionscope.cli import main; sys.argv[0] = 'sessionscope'; sys.exit(main())")


def run(work: Path, tag: str, sessions: list[str], *, off: str | None, extra: dict | None = None) -> None:
    """The audit's transcripts through the CLI into ``work/tag`` (``extra``: more QMSum sessions, id → spec)."""
    import audit_real_talk as art

    if extra:
        art.SESSIONS.update(extra)
    manifest = art.prepare(work)
    exe = [sys.executable, "-c", _OFF.format(bench=str(ROOT / "benchmarks"), rev=off)] if off else \
        [str(Path(sys.executable).with_name("sessionscope"))]
    text = manifest.read_text(encoding="utf-8").split("\n- id: ")
    keep = [text[0]] + [b for b in text[1:] if b.split("\n", 1)[0] in sessions]
    sub = work / f"manifest_{tag}.yaml"
    sub.write_text("\n- id: ".join(keep), encoding="utf-8")
    subprocess.run([*exe, "analyze", "--manifest", str(sub), "--out", str(work / tag), "--force", "--no-progress",
                    "--format", "markdown"], check=True)


def action_rows(work: Path, tag: str, sid: str) -> list[dict]:
    """The action items of one run of one session, with their sentence (for labelling and counting)."""
    import audit_real_talk as art

    s = art.load(work, tag, sid)
    utts = {u["id"]: u for u in s["utterances"]}
    out = []
    for it in art.items(s):
        if it["kind"] != "action":
            continue
        a = next(x for x in s["action_items"] if x["utterance_id"] == it["utterance_id"] and x["task"][:60] == it["task"][:60])
        text = utts[it["utterance_id"]]["text"]
        sent = text[a["char_start"]:a["char_end"]] if a.get("char_end") else text
        out.append({**it, "sentence": sent, "speaker": utts[it["utterance_id"]]["speaker"]})
    return out


def count(work: Path, tags: list[str], sessions: list[str], labels: dict[str, str]) -> dict:
    res: dict = {}
    for tag in tags:
        per: dict = {}
        for sid in sessions:
            c: collections.Counter[str] = collections.Counter(labels.get(r["key"], "unlabelled")
                                                             for r in action_rows(work, tag, sid))
            per[sid] = dict(c.most_common())
        tot: collections.Counter[str] = collections.Counter()
        for c in per.values():
            tot.update(c)
        n = sum(tot.values())
        res[tag] = {"per_session": per, "total": dict(tot.most_common()), "items": n, "right": tot.get("ok", 0),
                    "wrong": n - tot.get("ok", 0) - tot.get("unlabelled", 0)}
    return res


# measured, not shipped: an action item of the speaker's own about the meeting itself or a move made right now
# (presenting, the pen, drawing, the slides, "in a moment"); AMI's ``off`` counts these as offers
MOVE = re.compile(
    r"\b(talk|speak|tell you|explain|explaining|show (you|it|them)|present|presentation|go through|walk (you )?through|"
    r"introduce|start|kick off|pass|hand over|pen|draw|drawing|sit down|grab|plug|wire|cable|slides?|screen|laptop|"
    r"board|load|open|skip|go (next|first|ahead|over here|round)|in a (moment|second|minute|few seconds)|right now|"
    r"take (the )?notes|minutes)\b",
    re.IGNORECASE,
)


def _f1(tp: int, fp: int, fn: int) -> float:
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0


def moves_variant(label: str, heldout_json: Path, work: Path, tag: str, sessions: list[str], labels: dict) -> dict:
    """What dropping the speaker's own meeting moves (:data:`MOVE`) would do: held-out F1 (from the items of run
    ``label`` and its figures in ``heldout_json``) and the real-talk items of run ``tag`` it removes, by label."""
    figures = json.loads(heldout_json.read_text(encoding="utf-8"))["figures"]
    rows = [json.loads(x) for x in (CACHE / f"{label}_items.jsonl").read_text(encoding="utf-8").splitlines()]
    out: dict = {}
    for corpus in CORPORA:
        by_act: dict = {}
        for r in rows:
            if r["corpus"] == corpus:
                by_act.setdefault((r["meeting"], r["act"]), []).append(r)
        gone = [items[0]["gold"] for items in by_act.values()
                if all(r["method"] in ("head", "head+rule", "rule", "classifier") and MOVE.search(r["sentence"])
                       for r in items)]
        a = figures[corpus]["action"]
        tp, fp, fn = a["tp"], a["fp"], a["fn"]
        rt, rf = sum(gone), len(gone) - sum(gone)
        out[corpus] = {"removed_gold": rt, "removed_false": rf, "f1": _f1(tp, fp, fn), "f1_if_dropped": _f1(tp - rt, fp - rf, fn + rt)}
    removed: collections.Counter[str] = collections.Counter()
    for sid in sessions:
        for r in action_rows(work, tag, sid):
            if not r["method"].startswith("assignment") and r["method"] != "handout" and MOVE.search(r["sentence"]):
                removed[labels.get(r["key"], "unlabelled")] += 1
    out["real_talk_removed_by_label"] = dict(removed.most_common())
    return out


def pattern_scan() -> dict:
    """How many train acts (train + held-out train meetings; dev never read) each round-9 pattern matches, and how
    many of those are gold (MRDA ``^cc`` / AMI ``off``) or linked to an AMI human action-item sentence.

    ``habit``: an act with a first-person future frame told in a habit (:data:`~sessionscope.analysis.extract.actions.
    _HABIT` in it or in the same speaker's 3 acts before, no other speaker between); ``then_can``; ``rating_or_ask``; ``meeting_turn``: an
    act naming "you" / a role with a turn in the meeting; ``own_side_linked``: of the AMI acts linked to a human
    action item, those whose every sentence :func:`~sessionscope.analysis.extract.assign.describes_or_runs_meeting`
    flags (what the drop could cost if such an act became an assignment).
    """
    from dialogue_acts import load_acts
    from sessionscope.analysis.extract.actions import _HABIT, in_meeting, rating_or_ask, then_can
    from sessionscope.analysis.extract.assign import describes_or_runs_meeting, expand_roles
    from sessionscope.analysis.extract.heads import tokens
    from sessionscope.language.nlp import parse_texts

    future = re.compile(r"\b(i'll|i will|i'm gonna|i'm going to|i am going to|we'll|we will|let me)\b")
    who = re.compile(r"\b(you|your|everyone|everybody|industrial designer|interface designer|user interface|marketing|"
                     r"project manager)\b")
    out: dict = {}
    for corpus in CORPORA:
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout")]
        hits: dict[str, list] = {"habit": [], "then_can": [], "rating_or_ask": [], "meeting_turn": []}
        for k, a in enumerate(acts):
            low = a.text.casefold()
            if future.search(low):
                run = []
                for b in reversed(acts[max(0, k - 3):k]):
                    if b.meeting != a.meeting or b.speaker != a.speaker:
                        break
                    run.append(b)
                if _HABIT.search(a.text) or any(_HABIT.search(b.text) for b in run):
                    hits["habit"].append(a)
            if then_can(a.text):
                hits["then_can"].append(a)
            if rating_or_ask(a.text):
                hits["rating_or_ask"].append(a)
            exp = " ".join(tokens(expand_roles(a.text)))
            # round 11: assign's AMI-specific turn pattern became the general in-meeting rule (anyone's frame)
            if who.search(exp) and in_meeting(exp, "en", anyone=True):
                hits["meeting_turn"].append(a)
        out[corpus] = {"acts": len(acts), **{n: {"matched": len(h), "gold": sum(a.action for a in h),
                                                 "linked_to_human_item": sum(a.action_link for a in h)}
                                             for n, h in hits.items()}}
        if corpus == "ami":
            linked = [a for a in acts if a.action_link]
            parsed = parse_texts([a.text for a in linked], language="en")
            parts = [(x, x) for x in "ABCD"]
            flagged = sum(bool(ss) and all(describes_or_runs_meeting(x, parts, a.speaker, None) for x in ss)
                          for a, ss in zip(linked, parsed, strict=True))
            out[corpus]["own_side_linked"] = {"linked_acts": len(linked), "flagged": flagged}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("heldout", "run", "dump", "count", "moves", "scan"))
    ap.add_argument("--heldout-json", type=Path, help="moves: the heldout figures of run --label")
    ap.add_argument("--label", default="run")
    ap.add_argument("--off", nargs="?", const="HEAD", default=None, metavar="COMMIT",
                    help="switch the round-9 changes off: assign / actions / stage .py as at COMMIT (default HEAD)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/s9/actions/audit"))
    ap.add_argument("--tag", default="before")
    ap.add_argument("--tags", default="before,after")
    ap.add_argument("--sessions", default="SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b")
    ap.add_argument("--qmsum", default="", help="run: extra QMSum AMI meetings (ids) to add to the audit's sessions")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    argv_s = " ".join(argv if argv is not None else sys.argv[1:])
    sessions = [s for s in args.sessions.split(",") if s]
    if args.off and args.cmd != "run":
        switch_off(args.off)
    if args.cmd == "heldout":
        body = {"command": f"python benchmarks/errors_r9_actions.py {argv_s}", "commit": commit(),
                "date": dt.date.today().isoformat(), "label": args.label, "round9_off_at": args.off,
                "split": "held-out TRAIN meetings (MRDA 6, AMI 16); dev never read", "figures": heldout(args.label)}
    elif args.cmd == "run":
        import audit_real_talk as art

        extra = {m: {"qmsum": f"qmsum-topics-queries/{m}.json", "people": art._AMI_ROLES}
                 for m in args.qmsum.split(",") if m}
        run(args.work, args.tag, sessions, off=args.off, extra=extra)
        return 0
    elif args.cmd == "dump":
        for sid in sessions:
            for r in action_rows(args.work, args.tag, sid):
                print(json.dumps({k: r[k] for k in ("key", "owner", "owners", "due_text", "confidence", "method",
                                                    "speaker", "sentence")}, ensure_ascii=False))
        return 0
    elif args.cmd == "scan":
        body = {"command": f"python benchmarks/errors_r9_actions.py {argv_s}", "commit": commit(),
                "date": dt.date.today().isoformat(), "split": "train + held-out train meetings (acts); dev never read",
                "scan": pattern_scan()}
    elif args.cmd == "moves":
        doc = json.loads(args.labels.read_text(encoding="utf-8"))
        body = {"command": f"python benchmarks/errors_r9_actions.py {argv_s}", "commit": commit(),
                "date": dt.date.today().isoformat(), "measured_not_shipped": "drop the speaker's own meeting moves",
                "pattern": MOVE.pattern, "heldout_items": args.label, "real_talk_run": args.tag, "sessions": sessions,
                "figures": moves_variant(args.label, ROOT / args.heldout_json, args.work, args.tag, sessions,
                                         doc["labels"])}
    else:
        doc = json.loads(args.labels.read_text(encoding="utf-8"))
        body = {"command": f"python benchmarks/errors_r9_actions.py {argv_s}", "commit": commit(),
                "date": dt.date.today().isoformat(), "sessions": sessions, "labeller": doc.get("labeller"),
                "counts": count(args.work, args.tags.split(","), sessions, doc["labels"])}
    text = json.dumps(body, indent=1, ensure_ascii=False)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text[:4000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

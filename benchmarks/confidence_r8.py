"""Does an action item's or a question's confidence mean what it says? (issue 10, round 8, ``conf``)

Usage (from the repository root)::

    nice -n 10 python benchmarks/confidence_r8.py heldout --out benchmarks/results/confidence_heldout_r8_conf.json
    python benchmarks/audit_real_talk.py run --work /tmp/s8/conf/audit --tag conf8 --sessions SBC001,SBC009,SBC044,ZOOM,TS3003a
    python benchmarks/confidence_r8.py real-talk --work /tmp/s8/conf/audit --tag conf8 \\
        --out benchmarks/results/confidence_real_talk_r8_conf.json

``heldout``: on the held-out TRAIN meetings (:func:`dialogue_acts.heldout_meeting`; never the dev meetings),
the items of the working tree's extraction (:func:`recs_error_analysis._heldout_items`: the cached parse and head
rows, ``extract_items`` re-run) and its questions (:func:`dialogue_acts_eval.question_meeting`:
``session_questions`` as transcribed and with punctuation and capitals removed). Per confidence bin (the bins of
``recs_error_analysis.CONF_BINS``) the share of found acts that are gold (an act counts once, at the highest
confidence of its items), with a Wilson 95 % interval, the expected calibration error (ECE: the bins' |mean
confidence − precision| weighted by their share of items; also over ten equal bins), the right share below and at
or above each cut, and P / R / F1 if items below each ``min_confidence`` were dropped. Gold: action items MRDA
``^cc`` / AMI ``off`` (as ``dialogue_acts_eval.py`` scores them), questions MRDA ``q*`` (not ``qh``) / AMI
``el.*``. Action items are also split by how they were found: ``own`` (the heads' own commitments) and
``assignment`` (a task given to someone else, :func:`~sessionscope.analysis.extract.stage.assignment`), each also
against a task gold (MRDA ``^cc`` or ``^co``, AMI ``off`` or an act linked to a human action-item sentence),
since the eval's gold is the speaker's own commitment. Recommendations come along for reference.

``real-talk``: the same right-rate table for the action items and questions of the round-6 hand-labelled
conversations (``audit_real_talk_r6_audit.json``; later label files have recommendations only), joined by item key
to a run of the current code (``audit_real_talk.py run``). Items without a label (new since round 6) are counted
apart. Questions: ``ok`` is right; ``answered_wrong`` (a question, its answered flag wrong) is also counted as a
question in ``is_question``. Action items: ``ok`` is right; ``wrong_owner`` (task right) in ``task_right``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, Act, meetings, mrda_parts  # noqa: E402
from recs_error_analysis import CONF_BINS, MIN_CONFIDENCES  # noqa: E402

Row = tuple[float, bool]  # (confidence, right)
CUTS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
LABELS = ROOT / "benchmarks" / "results" / "audit_real_talk_r6_audit.json"
DESIGN = ("SBC001", "SBC009", "ZOOM", "TS3003a")  # the files round 6's fixes were made from
KEPT = ("SBC044",)  # round 6's kept-aside file (labelled once, after its fixes)
NATURAL = ("SBC001", "SBC009", "SBC044", "ZOOM")  # natural conversation and a class meeting (TS3003a: an AMI meeting)


# ---------------------------------------------------------------- binning and calibration (model-free)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of ``k`` right of ``n`` (``None`` when ``n`` is 0)."""
    if n == 0:
        return None
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return round(max(0.0, mid - half), 3), round(min(1.0, mid + half), 3)


def _in_bin(c: float, lo: float, hi: float) -> bool:
    return lo <= c < hi


def bin_table(rows: Sequence[Row], bins: Sequence[float] = CONF_BINS) -> list[dict]:
    """Per bin ``[lo, hi)``: items, right, precision, mean confidence and a Wilson 95 % interval (the last bin's
    upper edge is above 1 so that a confidence of 1.0 falls in it)."""
    out = []
    for lo, hi in zip(bins, bins[1:], strict=False):
        sel = [(c, ok) for c, ok in rows if _in_bin(c, lo, hi)]
        k, n = sum(ok for _, ok in sel), len(sel)
        out.append(
            {
                "from": lo,
                "below": min(hi, 1.0),
                "items": n,
                "right": k,
                "precision": round(k / n, 3) if n else None,
                "mean_confidence": round(sum(c for c, _ in sel) / n, 3) if n else None,
                "wilson95": wilson(k, n),
            }
        )
    return out


def ece(rows: Sequence[Row], bins: Sequence[float] = CONF_BINS) -> float | None:
    """Expected calibration error: sum over bins of (items in bin / items) · |mean confidence − share right|."""
    if not rows:
        return None
    total = 0.0
    for lo, hi in zip(bins, bins[1:], strict=False):
        sel = [(c, ok) for c, ok in rows if _in_bin(c, lo, hi)]
        if sel:
            gap = abs(sum(c for c, _ in sel) / len(sel) - sum(ok for _, ok in sel) / len(sel))
            total += len(sel) / len(rows) * gap
    return round(total, 4)


EQUAL_BINS = tuple(i / 10 for i in range(10)) + (1.01,)


def cut_table(rows: Sequence[Row], cuts: Iterable[float] = CUTS) -> dict:
    """For each cut: ``[right, items]`` below it and at or above it."""
    out = {}
    for cut in cuts:
        lo = [ok for c, ok in rows if c < cut]
        hi = [ok for c, ok in rows if c >= cut]
        out[str(cut)] = {"below": [sum(lo), len(lo)], "at_or_above": [sum(hi), len(hi)]}
    return out


def f1_sweep(rows: Sequence[Row], gold: int, thresholds: Iterable[float] = (0.0, *MIN_CONFIDENCES)) -> dict:
    """P / R / F1 when only items at or above each threshold are kept (``gold``: gold acts in all)."""
    out = {}
    for t in thresholds:
        tp = sum(ok for c, ok in rows if c >= t)
        n = sum(1 for c, _ in rows if c >= t)
        p, r = (tp / n if n else 0.0), (tp / gold if gold else 0.0)
        out[str(t)] = {
            "tp": tp,
            "fp": n - tp,
            "p": round(p, 3),
            "r": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        }
    return out


def summary(rows: Sequence[Row], *, unscored: Sequence[bool] = (), gold: int | None = None) -> dict:
    """Bins, ECE (task bins and ten equal bins), cuts, and the F1 sweep when ``gold`` is given.

    ``unscored``: right/wrong of items without a confidence (a rule's item), counted apart.
    """
    out = {
        "items": len(rows),
        "right": sum(ok for _, ok in rows),
        "precision": round(sum(ok for _, ok in rows) / len(rows), 3) if rows else None,
        "mean_confidence": round(sum(c for c, _ in rows) / len(rows), 3) if rows else None,
        "ece": ece(rows),
        "ece_10_equal_bins": ece(rows, EQUAL_BINS),
        "bins": bin_table(rows),
        "cuts": cut_table(rows),
        "no_confidence": {"items": len(unscored), "right": sum(unscored)},
    }
    if gold is not None:
        out["gold"] = gold
        out["min_confidence"] = f1_sweep(rows, gold)
    return out


def best_per_act(found: Iterable[tuple[str, float | None]]) -> dict[str, float | None]:
    """Act id -> the highest confidence of its items (``None`` only when none of its items has one)."""
    best: dict[str, float | None] = {}
    for uid, c in found:
        prev = best.get(uid)
        best[uid] = c if prev is None else (prev if c is None else max(prev, c))
    return best


def act_rows(
    best: dict[str, float | None], acts_by_id: dict[str, Act], gold: Callable[[Act], bool]
) -> tuple[list[Row], list[bool]]:
    """Scored rows (confidence, gold) and the gold flags of the acts found without a confidence."""
    rows = [(c, gold(acts_by_id[u])) for u, c in best.items() if c is not None]
    unscored = [gold(acts_by_id[u]) for u, c in best.items() if c is None]
    return rows, unscored


# ---------------------------------------------------------------- held-out train meetings


def task_gold(a: Act) -> bool:
    """A task, whoever does it: MRDA ``^cc`` or ``^co`` (a command); AMI ``off`` or an act linked to a human
    action-item sentence."""
    if a.corpus == "mrda":
        return a.action or any("co" in s for _, s in mrda_parts(a.label))
    return a.action or a.action_link


def sentences_kept(action_conf: dict[tuple[str, str], float | None]) -> dict:
    """AMI held-out human action-item sentences with a linked act found as an action item, if only items at or
    above each cut were kept (what a drop below the cut would cost; :func:`dialogue_acts_eval.ami_sentences`)."""
    from dialogue_acts import ami_action_items

    sents = ami_action_items("heldout")
    out = {"n_sentences": len(sents)}
    for t in (0.0, *MIN_CONFIDENCES):
        hit = sum(
            any((s["meeting"], d) in action_conf and (action_conf[(s["meeting"], d)] or 0.0) >= t for d in s["da_ids"])
            for s in sents
        )
        out[str(t)] = hit
    return out


def _is_action(a: Act) -> bool:
    return a.action


def add(acc: dict[str, tuple[list[Row], list[bool]]], key: str, pair: tuple[list[Row], list[bool]]) -> None:
    """Append one meeting's scored rows and unscored flags to ``acc[key]``."""
    rows, uns = acc.setdefault(key, ([], []))
    rows += pair[0]
    uns += pair[1]


def heldout() -> dict:
    from dialogue_acts_eval import question_meeting
    from recs_error_analysis import _heldout_items
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    out: dict = {}
    for corpus in CORPORA:
        acc: dict[str, tuple[list[Row], list[bool]]] = {}
        gold_n = {"action": 0, "task": 0, "question": 0, "recommendation": 0}
        methods: dict[str, int] = {}
        action_conf: dict[tuple[str, str], float | None] = {}  # (meeting, act id) -> best action-item confidence

        for m, acts, _parsed, items in _heldout_items(corpus):
            by_id = {a.id: a for a in acts}
            gold_n["action"] += sum(a.action for a in acts)
            gold_n["task"] += sum(task_gold(a) for a in acts)
            gold_n["question"] += sum(a.question for a in acts)
            gold_n["recommendation"] += sum(a.recommendation for a in acts)
            ais = items["action_items"]
            action_conf.update(
                {(m, u): c for u, c in best_per_act((a.utterance_id, a.confidence) for a in ais).items()}
            )
            for a in ais:
                methods[a.method] = methods.get(a.method, 0) + 1
            every = [(a.utterance_id, a.confidence) for a in ais]
            own = [(a.utterance_id, a.confidence) for a in ais if not a.method.startswith("assignment")]
            asg = [(a.utterance_id, a.confidence) for a in ais if a.method.startswith("assignment")]
            recs = [(r.utterance_id, r.confidence) for r in items["recommendations"]]
            add(acc, "action", act_rows(best_per_act(every), by_id, _is_action))
            add(acc, "action_own", act_rows(best_per_act(own), by_id, _is_action))
            add(acc, "action_assignment", act_rows(best_per_act(asg), by_id, _is_action))
            add(acc, "action_task_gold", act_rows(best_per_act(every), by_id, task_gold))
            add(acc, "action_assignment_task_gold", act_rows(best_per_act(asg), by_id, task_gold))
            add(acc, "recommendation", act_rows(best_per_act(recs), by_id, lambda a: a.recommendation))
            q = question_meeting(m, acts, dyn)["shipped"]
            for key in ("question", "question_stripped"):
                found = {u: None if c is None else round(c, 3) for u, c in q[key].items()}  # as the item shows it
                add(acc, key, act_rows(found, by_id, lambda a: a.question))
        gold_of = {
            "action": "action",
            "action_own": "action",
            "action_assignment": "action",
            "action_task_gold": "task",
            "action_assignment_task_gold": "task",
            "recommendation": "recommendation",
            "question": "question",
            "question_stripped": "question",
        }
        out[corpus] = {
            "meetings": len(meetings(corpus, "heldout")),
            "action_item_methods": methods,
            **{k: summary(rows, unscored=uns, gold=gold_n[gold_of[k]]) for k, (rows, uns) in acc.items()},
        }
        if corpus == "ami":
            out[corpus]["human_action_sentences_found_if_cut"] = sentences_kept(action_conf)
        print(
            corpus,
            {
                k: (v["items"], v["precision"], v["ece"])
                for k, v in out[corpus].items()
                if isinstance(v, dict) and "ece" in v
            },
            flush=True,
        )
    out["gold"] = {
        "action": "MRDA ^cc / AMI off (dialogue_acts_eval.py)",
        "task": "MRDA ^cc or ^co / AMI off or linked to a human action-item sentence",
        "question": "MRDA q* (not qh) / AMI el.*",
        "recommendation": "MRDA ^cs, ^co / AMI sug",
    }
    return out


# ---------------------------------------------------------------- hand-labelled real talk


def real_talk(work: Path, tag: str, label_paths: list[Path]) -> dict:
    from audit_real_talk import items, label_files, load

    labels = label_files(label_paths)
    groups = {"all": DESIGN + KEPT, "design": DESIGN, "kept": KEPT, "natural": NATURAL, "ami_TS3003a": ("TS3003a",)}
    checks: dict[str, Callable[[str], bool]] = {
        "action": lambda lab: lab == "ok",
        "action_task_right": lambda lab: lab in ("ok", "wrong_owner"),
        "question": lambda lab: lab == "ok",
        "question_is_question": lambda lab: lab in ("ok", "answered_wrong"),
    }
    per_item = {sid: items(load(work, tag, sid)) for sid in groups["all"]}
    out: dict = {"unlabelled": {}, "groups": {}}
    for kind in ("action", "question"):
        its = [it for sid in groups["all"] for it in per_item[sid] if it["kind"] == kind]
        out["unlabelled"][kind] = {
            "items": len(its),
            "unlabelled": sum(it["key"] not in labels for it in its),
            "labelled_no_confidence": sum(it["key"] in labels and it["confidence"] is None for it in its),
        }
    for gname, sids in groups.items():
        g: dict = {}
        for check, fn in checks.items():
            kind = check.split("_")[0]
            sel = [it for sid in sids for it in per_item[sid] if it["kind"] == kind and it["key"] in labels]
            rows = [(it["confidence"], fn(labels[it["key"]])) for it in sel if it["confidence"] is not None]
            g[check] = summary(rows, unscored=[fn(labels[it["key"]]) for it in sel if it["confidence"] is None])
            if kind == "action":
                for part, pick in (("own", False), ("assignment", True)):
                    sub = [
                        (it["confidence"], fn(labels[it["key"]]))
                        for it in sel
                        if it["confidence"] is not None and (it.get("method") or "").startswith("assignment") == pick
                    ]
                    g[check + "_" + part] = {
                        "items": len(sub),
                        "right": sum(ok for _, ok in sub),
                        "bins": bin_table(sub),
                    }
        out["groups"][gname] = {"sessions": list(sids), **g}
    return out


def commit() -> str:
    from train_dialogue_acts import commit as _commit

    return _commit()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("heldout", "real-talk"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--work", type=Path, default=Path("/tmp/s8/conf/audit"), help="real-talk: audit_real_talk.py's --work"
    )
    ap.add_argument("--tag", default="conf8", help="real-talk: the run's tag")
    ap.add_argument(
        "--label-files", default=str(LABELS.relative_to(ROOT)), help="real-talk: comma-separated label JSONs"
    )
    args = ap.parse_args(argv)
    head = {
        "command": "python benchmarks/confidence_r8.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "commit": commit(),
        "date": dt.date.today().isoformat(),
    }
    if args.what == "heldout":
        body = {
            "split": "heldout (train meetings held out by dialogue_acts.heldout_meeting; no dev meeting read)",
            "bins": list(CONF_BINS),
            **heldout(),
        }
    else:
        paths = [ROOT / p for p in args.label_files.split(",") if p]
        body = {
            "split": "hand-labelled real talk (round-6 audit labels; design files and the kept file)",
            "work": str(args.work),
            "tag": args.tag,
            "run_command": f"python benchmarks/audit_real_talk.py run --work {args.work} --tag {args.tag} "
            f"--sessions {','.join(DESIGN + KEPT)} (the current code: the items whose labels are joined)",
            "label_files": args.label_files.split(","),
            **real_talk(args.work, args.tag, paths),
        }
    args.out.write_text(json.dumps({**head, **body}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

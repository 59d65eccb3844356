"""Round 36: does the real-talk check gain from the item's context (who asked, who answers, a pair, a monologue)?

Usage (from the repository root; a couple of minutes after ``r36_check_refit.py eval`` made the run)::

    python benchmarks/r36_check_features.py --work /tmp/r36/chk --out benchmarks/results/r36_check_features.json

Rows: ``r36_check_refit.build_rows`` (the 34 files the check was trained on, analysed by today's code with the check
off; round 6-15 labels; written English dev rows). Each row gets :data:`EXTRA` beside ``check.FEATURES``
(:func:`context_features`): the previous utterance is another speaker's question, the session is a pair, the turn's
length, the sentence opens its turn, the speaker's share of the words around it (a presentation or monologue), the
length of the next speaker's answer, and a few advice forms (second person with a modal, advice phrases, a hedged
"I think", a group "we should"). The written rows have no conversation: their context features are set to the
real-talk rows' means (neutral once standardised), their wording features are their own.

Both feature sets are refitted the same way (round 15's variants and written weights) and scored leave one file out and
leave one corpus group out; the rule written before any figure is :data:`RULE`.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import realtalk_check_r14_advcheck as r14  # noqa: E402
import realtalk_check_r15_lab as r15  # noqa: E402
from dialogue_acts import write_result  # noqa: E402
from r36_check_refit import build_rows  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

RULE = ("extended features ship when for advice (recommendations not procedure) leave-one-file-out AUC >= base + 0.02 and "
        "Brier <= base - 0.005, and leave-one-group-out AUC no worse than base in >= 2 of 3 groups; for action items "
        "leave-one-file-out AUC >= base - 0.01 (else the action part keeps the base features)")
EXTRA = ("prev_other_question", "pair", "log_turn_words", "opens_turn", "local_share", "log_next_other_words",
         "you_modal", "advice_phrase", "hedged_i", "we_modal")
CONTEXT = ("prev_other_question", "pair", "log_turn_words", "opens_turn", "local_share", "log_next_other_words")
_QSTART = re.compile(r"^\W*(what|how|why|when|where|who|which|should|could|can|would|do|does|did|is|are|any)\b", re.I)
_YOU_MODAL = re.compile(r"\byou (should|could|might|may|must|need|have to|want to|'d better|ought|can)\b|\byou'd\b", re.I)
_ADVICE = re.compile(r"\b(if i were you|my advice|i recommend|i('d| would) (suggest|recommend)|i suggest|make sure|"
                     r"don't forget|try (to|and)|you might want|you may want|worth (it|a try|trying)|have you tried|"
                     r"why don't you|how about|what about|the trick is|the key is|be careful)\b", re.I)
_HEDGED = re.compile(r"\bi (think|guess|suppose|reckon|would|'d)\b|\bi'd\b", re.I)
_WE_MODAL = re.compile(r"\bwe (should|could|might|need|have to|can|must)\b|\blet's\b", re.I)


def _words(text: str) -> int:
    return len(text.split())


def context_features(session, index: dict[str, int], item, text: str) -> np.ndarray:
    """:data:`EXTRA` for one listed item of ``session`` (``text``: its sentence)."""
    i = index[item.utterance_id]
    utts = session.utterances
    u = utts[i]
    prev = utts[i - 1] if i > 0 else None
    nxt = utts[i + 1] if i + 1 < len(utts) else None
    people = {p.id for p in session.participants} or {x.speaker for x in utts}
    around = utts[max(0, i - 5): i + 6]
    total = sum(_words(x.text) for x in around) or 1
    return np.array([
        prev is not None and prev.speaker != u.speaker and ("?" in prev.text or bool(_QSTART.match(prev.text))),
        len(people) == 2, math.log1p(_words(u.text)), (item.char_start or 0) == 0,
        sum(_words(x.text) for x in around if x.speaker == u.speaker) / total,
        math.log1p(_words(nxt.text)) if nxt is not None and nxt.speaker != u.speaker else 0.0,
        bool(_YOU_MODAL.search(text)), bool(_ADVICE.search(text)), bool(_HEDGED.search(text)), bool(_WE_MODAL.search(text)),
    ], dtype=np.float64)


def add_extra(rs: list[dict], work: Path, tag: str) -> None:
    """``extra`` := :func:`context_features` of every real-talk row; written rows: wording features from their text,
    context features at the real-talk rows' means."""
    from sessionscope.model.serialize import read_session_json

    by_session: dict[str, list[dict]] = {}
    for r in rs:
        by_session.setdefault(r["session"], []).append(r)
    for sid, rows in by_session.items():
        if sid == "written":
            continue
        s = read_session_json(work / tag / sid / "session.json")
        index = {u.id: n for n, u in enumerate(s.utterances)}
        items = {}
        for it in (*s.recommendations, *s.action_items):
            kind = "action" if hasattr(it, "task") else "recommendation"
            items[f"{sid}|{kind}|{it.utterance_id}|{(it.task if kind == 'action' else it.text)[:60]}"] = it
        for r in rows:
            r["extra"] = context_features(s, index, items[r["key"]], r["text"])
    real = np.stack([r["extra"] for r in rs if r["session"] != "written"])
    means = real.mean(0)
    for r in rs:
        if r["session"] == "written":
            t = r["text"]
            r["extra"] = means.copy()
            r["extra"][len(CONTEXT):] = [bool(_YOU_MODAL.search(t)), bool(_ADVICE.search(t)), bool(_HEDGED.search(t)),
                                         bool(_WE_MODAL.search(t))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--tag", default="cur36")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    assert EXTRA[: len(CONTEXT)] == CONTEXT
    rs, info = build_rows(args.work, args.tag, reuse=True)
    add_extra(rs, args.work, args.tag)
    emb = r14.embed(rs, args.work / "emb_cache")
    lofo, groups = {sid: {sid} for sid in info["files"]}, {g: {s for s in info["files"] if r15.group(s) == g} for g in r15.GROUPS}
    base = {id(r): r["features"] for r in rs}
    for name, feats in (("base", lambda r: base[id(r)]), ("ext", lambda r: np.concatenate([base[id(r)], r["extra"]]))):
        for r in rs:
            r["features"] = feats(r)
        r15.cross(rs, emb, lofo, "label", f"lofo_{name}", "after")
        r15.cross(rs, emb, groups, "label", f"group_{name}", "after")
    for r in rs:
        r["features"] = base[id(r)]
    real = [r for r in rs if r["session"] != "written"]
    cols = ["lofo_base", "lofo_ext", "group_base", "group_ext"]
    pooled = r14.table(real, cols)
    by_group = {g: r14.table([r for r in real if r15.group(r["session"]) == g], cols) for g in r15.GROUPS}
    adv, act = pooled["advice (recommendations not procedure)"], pooled["all action items"]
    groups_ok = sum((by_group[g]["advice (recommendations not procedure)"]["group_ext"]["auc"] or 0)
                    >= (by_group[g]["advice (recommendations not procedure)"]["group_base"]["auc"] or 0) for g in r15.GROUPS)
    decision = {"advice": {"lofo_auc": [adv["lofo_base"]["auc"], adv["lofo_ext"]["auc"]],
                           "lofo_brier": [adv["lofo_base"]["brier"], adv["lofo_ext"]["brier"]], "groups_no_worse": groups_ok},
                "action": {"lofo_auc": [act["lofo_base"]["auc"], act["lofo_ext"]["auc"]],
                           "lofo_brier": [act["lofo_base"]["brier"], act["lofo_ext"]["brier"]]}}
    decision["ship_advice"] = bool(adv["lofo_ext"]["auc"] >= adv["lofo_base"]["auc"] + 0.02
                                   and adv["lofo_ext"]["brier"] <= adv["lofo_base"]["brier"] - 0.005 and groups_ok >= 2)
    decision["action_ext"] = bool(act["lofo_ext"]["auc"] >= act["lofo_base"]["auc"] - 0.01)
    res = {"command": "python benchmarks/r36_check_features.py " + " ".join(sys.argv[1:]), "commit": commit(),
           "extra_features": list(EXTRA), "rule": RULE, "decision": decision, "rows": info["rows"],
           "pooled": pooled, "by_group": by_group,
           "bootstrap_base_to_ext": {lst: r14.paired_bootstrap([r for r in real if r["label"] is not None and sel(r)],
                                                                "lofo_base", "lofo_ext")
                                     for lst, sel in (("advice", lambda r: r["kind"] == "recommendation" and not r["flag"]),
                                                      ("action items", lambda r: r["kind"] == "action"))}}
    if args.out:
        write_result(res, args.out)
    print(decision)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

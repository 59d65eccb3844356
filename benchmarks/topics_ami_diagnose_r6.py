"""Which AMI work segments come out ``other``, and at which step (issue 10, round 6).

Usage (from the repository root; only train meetings, never dev)::

    nice -n 10 python benchmarks/topics_ami_diagnose_r6.py --limit 40 [--set KEY=VALUE] [--head FILE] --out X.json

For every AMI top-level *work* segment of the chosen train meetings whose words the stage
labels mostly ``other``, the windows that lie mostly inside it are traced through the stage's
steps: the gate's ``other`` probability (with and without its context), the pooled decision,
the probability after the window context mixing, the two-level HMM's small-talk path, the
path after short runs were absorbed, and the final label. Each such segment is then put in
one cause class:

* ``gate``: most of its windows were already decided ``other`` before any smoothing;
* ``hmm``: most were substantive before smoothing but the small-talk HMM made them ``other``;
* ``absorbed``: substantive after the HMM, ``other`` only after the short-run absorption;
* ``boundary``: most of its windows end substantive, but utterance-level boundary moves
  or window edges put most of its words into ``other``.

Uses the stage's own functions, so the traced path is the stage's path.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import topics_ami as ta  # noqa: E402


def trace(split: str, limit: int | None, overrides: dict) -> dict:
    from sessionscope.analysis.topics.stage import TopicsStage, absorb_runs, two_level_path
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder
    from sessionscope.text import word_count

    assert split == "train", "choosing diagnostics run on train meetings only"
    cfg = TopicsConfig(**overrides)
    enc = ta.DiskCachedEncoder(get_encoder(cfg.backend))
    stage = TopicsStage(cfg, encoder=enc)
    model = stage.model
    other = stage.taxonomy.other_area
    acts, topics = ta.load_acts(), ta.load_topics()
    segs_out, windows_out = [], []
    for name in ta.selected(split, limit):
        utts = ta.turns(acts[name])
        kinds, segidx = ta.gold_of(utts, topics[name])
        session = ta.to_session(name, utts)
        wins = stage.windows(session)
        X = enc.encode([w.text for w in wins])
        pred = model.predict_embeddings(X, context=cfg.context_windows)
        labels = list(pred.area_labels)
        o = labels.index(other)
        gate_ctx = model.other_proba(X, consecutive=True)
        gate_alone = model.other_proba(X, consecutive=False)
        decided = [labels.index(a) for a in pred.areas]
        path_hmm = two_level_path(pred.area_proba, decided, o, smoothing=cfg.smoothing)
        min_len = max(cfg.min_segment_windows, round(cfg.min_segment_fraction * len(wins)))
        path_abs = absorb_runs(path_hmm, pred.area_proba, o, min_len=min_len)
        out = stage(session)
        area = {uid: s.area for s in out.topics.segments for uid in s.utterance_ids}
        u_other = [area[u.id] == other for u in session.utterances]
        w = [word_count(u["text"]) for u in utts]
        win_seg = []
        for j, win in enumerate(wins):
            c = Counter()
            for i in range(win.first, win.last + 1):
                c[segidx[i]] += max(1, w[i])
            s = c.most_common(1)[0][0]
            win_seg.append(s)
            t = topics[name][s]
            windows_out.append({"meeting": name, "window": j, "kind": t["kind"], "label": (t["label"] or t["description"] or "").lower(),
                                "words": win.words, "gate": round(float(gate_ctx[j]), 3), "gate_alone": round(float(gate_alone[j]), 3),
                                "p_other_mixed": round(float(pred.area_proba[j, o]), 3), "decided_other": decided[j] == o,
                                "hmm_other": int(path_hmm[j]) == o, "absorbed_other": int(path_abs[j]) == o})
        n_segs = len(topics[name])
        for s, t in enumerate(topics[name]):
            if t["kind"] != "work":
                continue
            idx = [i for i in range(len(utts)) if segidx[i] == s]
            tot = sum(w[i] for i in idx)
            if not tot:
                continue
            oth = sum(w[i] for i in idx if u_other[i])
            if oth <= tot / 2:
                continue
            js = [j for j in range(len(wins)) if win_seg[j] == s]
            dec = [decided[j] == o for j in js]
            hmm = [int(path_hmm[j]) == o for j in js]
            ab = [int(path_abs[j]) == o for j in js]
            if js and np.mean(dec) > 0.5:
                cause = "gate"
            elif js and np.mean(hmm) > 0.5:
                cause = "hmm"
            elif js and np.mean(ab) > 0.5:
                cause = "absorbed"
            else:
                cause = "boundary"
            nb = [topics[name][k]["kind"] for k in (s - 1, s + 1) if 0 <= k < n_segs]
            segs_out.append({
                "meeting": name, "segment": s, "of": n_segs, "label": (t["label"] or t["description"] or "").lower(),
                "words": tot, "words_other": oth, "windows": len(js), "cause": cause,
                "neighbours": nb, "gate_mean": round(float(np.mean(gate_ctx[js])), 3) if js else None,
                "gate_alone_mean": round(float(np.mean(gate_alone[js])), 3) if js else None,
                "gate": [round(float(gate_ctx[j]), 2) for j in js],
                "decided_other": int(sum(dec)), "hmm_other": int(sum(hmm)), "absorbed_other": int(sum(ab)),
                "min_len": min_len,
                "first_window_text": wins[js[0]].text[:300] if js else "",
            })
        enc.save()
        print(name, len([s for s in segs_out if s["meeting"] == name]), file=sys.stderr, flush=True)
    return {"segments": segs_out, "causes": dict(Counter(s["cause"] for s in segs_out)),
            "labels": dict(Counter(s["label"] for s in segs_out)), "windows": windows_out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--set", action="append", default=[], help="TopicsConfig override KEY=VALUE")
    ap.add_argument("--head", default=None)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    overrides = {k: json.loads(v) for k, _, v in (kv.partition("=") for kv in args.set)}
    if args.head:
        overrides["head"] = None if args.head == "none" else args.head
    res = trace("train", args.limit, overrides)
    res = {"command": "python benchmarks/topics_ami_diagnose_r6.py " + " ".join(sys.argv[1:]), "commit": ta._commit(),
           "split": "train", "limit": args.limit, "date": time.strftime("%Y-%m-%d"), **res}
    Path(args.out).write_text(json.dumps(res, indent=1))
    print(json.dumps({k: res[k] for k in ("causes", "labels")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Why does the diarization find too few speakers? A per-file breakdown on DEVELOPMENT data (round 15, count).

    nice -n 10 .venv/bin/python benchmarks/diarization_count_r15_count.py \
        --json benchmarks/results/diarization_count_r15_count.json

Uses the cached local results of the default pipeline (``diarization_tune.local_for``: segmentation split into
runs, one CAM++ embedding per run) of the development groups: pyannote-ami + sample (5), libri-dev (16), far-field
seeds 20261208 (``.cache/conv/farfield``) and 20261209 (``.cache/conv/farfield2``). Never the held-out sets.

Per file: the reference count and the count found; per chunk, how many local speakers the segmentation
marks; the distinct local speakers in all. Each slot (a run of a local speaker) gets the reference talker that
holds most of its active frames (its *owner*) and that talker's share of them (purity). For every reference
talker that no output voice represents (the optimal one-to-one mapping of talkers to voices by shared slots),
the stage where it is lost:

* ``not_marked``: no slot is owned by it (the segmentation never gives it a run of its own: unmarked or inside
  another talker's run);
* ``no_embedding``: slots owned, none usable (too little speech to embed);
* ``not_trained``: usable, none trainable (under 1 s of clean speech: it is not clustered, only assigned);
* ``merged_threshold``: clustered, but its slots share a cluster with another talker's at the distance threshold;
* ``folded_min_size``: it had a cluster of its own that was smaller than ``min_cluster_size`` and was folded;
* ``assignment``: it had its own cluster, but the per-chunk assignment gave its slots to other voices.

Also: pairs of runs of *different* local speakers of one chunk (the segmentation tells them apart) that end in
one voice, and how many of those the reference says are different talkers (a cannot-link rule's room).

And the cosine similarities between embedded slots: same owner against different owners (pure slots only,
purity >= 0.8), per group, and per lost talker its nearest other talker's centroid.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from diarization_tune import ROOT, dev_cases, local_for


def owners(seg, ref, uri_speakers):  # noqa: ANN001, ANN201
    """(C, R) owner index (-1: none) and purity of each slot, from the reference's single-talker frames."""
    c_n, f_n, r_n = seg.binarized.shape
    own = np.full((c_n, r_n), -1)
    pur = np.zeros((c_n, r_n))
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    for ci in range(c_n):
        tt = seg.starts[ci] + t
        act = np.zeros((f_n, len(uri_speakers)), dtype=bool)
        for a, b, s in ref:
            act[(tt >= a) & (tt < b), uri_speakers.index(s)] = True
        for r in range(r_n):
            on = seg.binarized[ci, :, r].astype(bool)
            if not on.any():
                continue
            cnt = act[on].sum(axis=0)
            if cnt.sum() == 0:
                continue
            own[ci, r] = int(np.argmax(cnt))
            pur[ci, r] = cnt.max() / on.sum()
    return own, pur


def main() -> int:  # noqa: C901
    from scipy.optimize import linear_sum_assignment

    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local
    from sessionscope.audio.reconstruct import (
        _normalise,
        agglomerative,
        cluster_local_speakers,
        distinct_local_speakers,
    )

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    p = DiarizationParams()
    cases = dev_cases(farfield=True)
    ff2 = ROOT / ".cache" / "conv" / "farfield2"
    cases += [("farfield2", w.stem, w, ff2 / "reference.rttm") for w in sorted(ff2.glob("*.wav"))]
    cases = [c for c in cases if c[0] in ("pyannote-sample", "pyannote-ami", "libri-dev", "farfield", "farfield2")]
    files, sims = [], {}
    for group, uri, wav, rttm in cases:
        g = "pyannote-ami" if group == "pyannote-sample" else group
        ref = read_rttm(rttm)[uri]
        spk = sorted({s for *_, s in ref})
        seg, emb, usable, trainable, origin = local_for(wav, 5.0, p)
        d = diarize_local(np.zeros(1, np.float32), params=p, local=(seg, emb, usable, trainable, origin))
        own, pur = owners(seg, ref, spk)
        xn = _normalise(emb.astype(np.float64))
        # the clustering as cluster_local_speakers does it, before and after the fold
        seen = distinct_local_speakers(seg, origin, emb, usable, min_s=p.count_min_s, distance=p.count_distance)
        lo = max(1, min(seen, 6))
        train = trainable & usable
        if train.sum() < lo:
            train = usable.copy()
        pre = agglomerative(xn[train], threshold=p.threshold, min_clusters=lo, max_clusters=6, min_cluster_size=1)
        post = agglomerative(xn[train], threshold=p.threshold, min_clusters=lo, max_clusters=6,
                             min_cluster_size=p.min_cluster_size)
        tr_own = own[train]
        # final voice of each slot: the assignment as diarize_local makes it
        asg = cluster_local_speakers(emb, usable, trainable, threshold=p.threshold, min_clusters=lo, max_clusters=6,
                                     min_cluster_size=p.min_cluster_size, activity=seg.binarized)
        k = len(asg.centroids)
        # talker ↔ voice mapping by seconds of owned slots
        sec = seg.binarized.sum(axis=1) * seg.frame_step
        m = np.zeros((len(spk), max(k, 1)))
        for ci, r in zip(*np.nonzero(asg.clusters >= 0), strict=True):
            if own[ci, r] >= 0:
                m[own[ci, r], asg.clusters[ci, r]] += sec[ci, r]
        rows, cols = linear_sum_assignment(-m)
        mapped = {int(a) for a, b in zip(rows, cols, strict=True) if m[a, b] > 0}
        ref_s = {s: round(sum(b - a for a, b, x in ref if x == s), 2) for s in spk}
        lost = []
        # per talker centroid of pure embedded slots
        cent = {}
        for i in range(len(spk)):
            sel = usable & (own == i) & (pur >= 0.8)
            if sel.any():
                cent[i] = _normalise(xn[sel].mean(0))
        for i in range(len(spk)):
            if i in mapped:
                continue
            owned = own == i
            info = {"talker": spk[i], "ref_s": ref_s[spk[i]], "slots_owned": int(owned.sum()),
                    "owned_s": round(float(sec[owned].sum()), 2),
                    "usable": int((owned & usable).sum()), "trainable": int((owned & train).sum())}
            if not owned.any():
                stage = "not_marked"
            elif not (owned & usable).any():
                stage = "no_embedding"
            elif not (owned & train).any():
                stage = "not_trained"
            else:
                mine = tr_own == i
                pre_c = set(pre[mine].tolist())
                alone = [c for c in pre_c if set(tr_own[pre == c].tolist()) <= {i, -1}
                         or np.mean(tr_own[pre == c] == i) >= 0.5]
                if not alone:
                    stage = "merged_threshold"
                elif all(np.sum(pre == c) < p.min_cluster_size for c in alone):
                    stage = "folded_min_size"
                else:
                    stage = "assignment"
                info["pre_fold_clusters_led"] = len(alone)
            if i in cent:
                others = {spk[j]: round(float(cent[i] @ cent[j]), 3) for j in cent if j != i}
                info["cos_to_other_talkers"] = others
            info["stage"] = stage
            lost.append(info)
        # similarities of pure embedded slots: same owner vs different owners
        sel = np.argwhere(usable & (own >= 0) & (pur >= 0.8))
        same, diff = [], []
        for a in range(len(sel)):
            for b in range(a + 1, len(sel)):
                (c1, r1), (c2, r2) = sel[a], sel[b]
                cs = float(xn[c1, r1] @ xn[c2, r2])
                (same if own[c1, r1] == own[c2, r2] else diff).append(cs)
        sims.setdefault(g, {"same": [], "diff": []})
        sims[g]["same"] += same
        sims[g]["diff"] += diff
        # local speakers the segmentation separates in one chunk (different origin, both assigned) that end in
        # one voice: how often, and how often the reference says they are different talkers
        same_voice = same_voice_diff_owner = 0
        for ci in range(len(seg.starts)):
            sl = np.flatnonzero(asg.clusters[ci] >= 0)
            for a in range(len(sl)):
                for b in range(a + 1, len(sl)):
                    ra, rb = sl[a], sl[b]
                    if origin[ci, ra] == origin[ci, rb] or asg.clusters[ci, ra] != asg.clusters[ci, rb]:
                        continue
                    same_voice += 1
                    same_voice_diff_owner += int(own[ci, ra] >= 0 and own[ci, rb] >= 0 and own[ci, ra] != own[ci, rb])
        local_per_chunk = [len(set(origin[ci][origin[ci] >= 0].tolist())) for ci in range(len(seg.starts))]
        files.append({"group": g, "uri": uri, "ref_count": len(spk), "found": len(d.centroids), "bound": int(seen),
                      "clusters_before_fold": int(pre.max()) + 1, "clusters_after_fold": int(post.max()) + 1,
                      "local_speakers_per_chunk": local_per_chunk, "max_local": max(local_per_chunk),
                      "slots": int((origin >= 0).sum()), "usable": int(usable.sum()), "trainable": int(train.sum()),
                      "ref_s": ref_s, "lost_talkers": lost,
                      "separated_pairs_one_voice": same_voice, "of_which_different_talkers": same_voice_diff_owner,
                      "same_cos_median": round(float(np.median(same)), 3) if same else None,
                      "diff_cos_median": round(float(np.median(diff)), 3) if diff else None})
        print(json.dumps(files[-1]), flush=True)
    summary = {}
    for g in sims:
        fs = [f for f in files if f["group"] == g]
        st: dict[str, int] = {}
        for f in fs:
            for lt in f["lost_talkers"]:
                st[lt["stage"]] = st.get(lt["stage"], 0) + 1
        s, dd = np.array(sims[g]["same"]), np.array(sims[g]["diff"])
        summary[g] = {"files": len(fs), "count_right": sum(f["ref_count"] == f["found"] for f in fs),
                      "separated_pairs_one_voice": sum(f["separated_pairs_one_voice"] for f in fs),
                      "of_which_different_talkers": sum(f["of_which_different_talkers"] for f in fs),
                      "under": sum(f["found"] < f["ref_count"] for f in fs),
                      "over": sum(f["found"] > f["ref_count"] for f in fs), "lost_stage": st,
                      "cos_same": {"n": len(s), "p10": round(float(np.percentile(s, 10)), 3),
                                   "median": round(float(np.median(s)), 3)} if len(s) else None,
                      "cos_diff": {"n": len(dd), "median": round(float(np.median(dd)), 3),
                                   "p90": round(float(np.percentile(dd, 90)), 3),
                                   "share_above_threshold_cos": round(float(np.mean(dd > 1 - p.threshold ** 2 / 2)), 3)}
                      if len(dd) else None}
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit,
                                         "data": "development only: pyannote-ami + sample, libri-dev, far-field seeds "
                                                 "20261208 and 20261209; cached local results of the default pipeline",
                                         "threshold_cos": round(1 - p.threshold ** 2 / 2, 4),
                                         "summary": summary, "files": files}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

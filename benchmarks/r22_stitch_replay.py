"""Round 22 (stitch, issue 11): speaker labels that switch where two segmentation chunks are joined, replayed on
the cached local stage (``diarization_tune.local_for``: segmentation + CAM++ embeddings of the default pipeline).

    nice -n 10 .venv/bin/python benchmarks/r22_stitch_replay.py --half choose \\
        --json benchmarks/results/r22_stitch_replay_choose.json

For every development file of ``benchmarks/r22_wdiar.py``'s sets (its choose / confirm split), the turns of
``diarize_local`` (diarization only, no transcription) are scored against the reference (DER collar 0 and
0.25, speaker count) for the shipped reconstruction and for variants that first mend the stitches
(:func:`mend_stitches`: the whole slot; :func:`mend_stitches_local`: only the disputed frames; neither shipped). Diagnosis (shipped turns): a *seam switch* is a turn
of one global speaker ending where a turn of another begins (within 0.05 s) within 0.1 s of half-way between
two adjacent chunk centres (where :func:`reconstruct`'s Hamming weights hand over from one chunk to the next);
it is *assignment* when the two chunks hold a stretch of speech heard by both (:func:`stitch_conflicts`) that
they gave these two speakers, *argmax* otherwise (the per-frame choice among summed activities switched
without such a disagreement). ``right``: the reference speaker active over most of 0.5 s after the switch is
the one that the switch's new label maps to (DER's one-to-one mapping) — counted for both kinds.
Development sets only; never a held-out set.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from sessionscope.audio.reconstruct import LocalSegmentation

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

def normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def stitch_conflicts(seg: LocalSegmentation, clusters: np.ndarray, *, min_share: float = 0.5,
                     min_s: float = 0.2, min_iou: float = 0.0) -> list[tuple[int, int, int, int]]:
    """Where two adjacent chunks disagree on one stretch of speech: (chunk, slot, next-chunk slot, frames).

    Chunks overlap; a slot of chunk ``c`` and a slot of chunk ``c + 1`` that are active together in at
    least ``min_s`` seconds of their shared span, and in at least ``min_share`` of the shorter one's activity
    there (and, with ``min_iou``, whose activities there overlap by at least this intersection over union),
    are the same stretch of speech heard twice. When the clustering gave them different global
    speakers, :func:`sessionscope.audio.reconstruct.reconstruct` (which trusts each chunk more near its centre) switches the label half-way
    between the chunk centres, inside the running speech. Returned only for such pairs with different
    (assigned, >= 0) clusters, in chunk order.
    """
    out: list[tuple[int, int, int, int]] = []
    for ci in range(len(seg.starts) - 1):
        out += _pair_conflicts(seg, clusters, ci, min_share=min_share, min_s=min_s, min_iou=min_iou)
    return out


def _pair_conflicts(seg: LocalSegmentation, clusters: np.ndarray, ci: int, *, min_share: float,
                    min_s: float, min_iou: float = 0.0) -> list[tuple[int, int, int, int]]:
    f_n = seg.binarized.shape[1]
    shift = seg.first_frame(ci + 1) - seg.first_frame(ci)
    if shift >= f_n or shift < 0:
        return []
    a = seg.binarized[ci, shift:].astype(bool)  # (F - shift, S) chunk ci over the shared span
    b = seg.binarized[ci + 1, : f_n - shift].astype(bool)
    both = a.T.astype(np.int32) @ b.astype(np.int32)  # (S, S) frames active together
    na, nb = a.sum(axis=0), b.sum(axis=0)
    need = max(1, int(round(min_s / seg.frame_step)))
    out = []
    for i, j in zip(*np.nonzero(both >= need), strict=True):
        if clusters[ci, i] < 0 or clusters[ci + 1, j] < 0 or clusters[ci, i] == clusters[ci + 1, j]:
            continue
        if both[i, j] >= min_share * min(na[i], nb[j]) and both[i, j] >= min_iou * (na[i] + nb[j] - both[i, j]):
            out.append((ci, int(i), int(j), int(both[i, j])))
    return out


def mend_stitches(seg: LocalSegmentation, clusters: np.ndarray, embeddings: np.ndarray, usable: np.ndarray,
                  centroids: np.ndarray, *, min_share: float = 0.5, min_s: float = 0.2, min_iou: float = 0.0,
                  reliability: np.ndarray | None = None, trusted: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """One global speaker for a stretch of speech that two adjacent chunks gave different ones.

    For each conflict of :func:`stitch_conflicts` (in chunk order), the two slots' embeddings vote between
    the two clusters: the cluster with the larger sum of the two slots' cosine similarities to its centroid
    (each weighted by ``reliability``, default 1; a slot without an embedding does not vote) is given to
    both, unless that would give a slot the cluster of another slot of its chunk active at the same time
    (then the pair is left as it is). ``trusted`` (C × S bool, e.g. enough clean speech to take part in the
    clustering): instead of the vote, only a slot that is not trusted takes the cluster of a trusted one (two
    trusted or two untrusted slots are left as they are). Returns the mended clusters and how many slots
    changed. Deterministic; pure numpy.
    """
    out = clusters.copy()
    if len(centroids) == 0:
        return out, 0
    xn = normalise(embeddings.astype(np.float64))
    weight = np.ones(clusters.shape) if reliability is None else reliability
    changed = 0
    for ci, i, j, _ in (t for c0 in range(len(seg.starts) - 1)
                        for t in _pair_conflicts(seg, out, c0, min_share=min_share, min_s=min_s, min_iou=min_iou)):
        x, y = out[ci, i], out[ci + 1, j]
        if x == y or x < 0 or y < 0:
            continue
        if trusted is not None:
            if trusted[ci, i] == trusted[ci + 1, j]:
                continue
            pick = x if trusted[ci, i] else y
        else:
            vote = _vote(xn, usable, centroids, (ci, i), (ci + 1, j), x, y, weight)
            pick = x if vote[0] >= vote[1] else y
        c, s = (ci + 1, j) if pick == x else (ci, i)
        b = seg.binarized[c].astype(bool)
        mates = [k for k in range(b.shape[1]) if k != s and out[c, k] == pick and (b[:, k] & b[:, s]).any()]
        if mates:
            continue
        out[c, s] = pick
        changed += 1
    return out, changed


def _vote(xn: np.ndarray, usable: np.ndarray, centroids: np.ndarray, a: tuple[int, int], b: tuple[int, int], x: int,
          y: int, weight: np.ndarray | None = None) -> np.ndarray:
    """Sum over the two slots (weighted) of the cosine to the centroids of ``x`` and ``y``; no vote without an embedding."""
    vote = np.zeros(2)
    for slot in (a, b):
        if usable[slot]:
            vote += (1.0 if weight is None else weight[slot]) * (xn[slot] @ centroids[[x, y]].T)
    return vote


def mend_stitches_local(seg: LocalSegmentation, clusters: np.ndarray, embeddings: np.ndarray, usable: np.ndarray,
                        centroids: np.ndarray, *, min_share: float = 0.5, min_s: float = 0.2, min_iou: float = 0.0,
                        min_margin: float = 0.0, chooser: Callable[[int, int, int, int, int], int | None] | None = None
                        ) -> tuple[LocalSegmentation, np.ndarray, int]:
    """:func:`mend_stitches` confined to the disputed frames: for each conflict of :func:`stitch_conflicts`
    (found on the given clusters), the two slots' embeddings vote between the two clusters (sum of cosine
    similarities to the centroids; a slot without an embedding does not vote) and only the frames where both
    slots are active move from the losing slot to a new slot of its chunk with the winning cluster (the rest of
    the losing slot keeps its cluster: a long slot is often two voices). Skipped when a slot of the losing chunk
    active at the same time already has the winning cluster. Activity, and so the per-frame speaker count, is
    unchanged. ``min_margin``: only when the vote's two sums differ by at least this. ``chooser(chunk, slot,
    next-chunk slot, x, y)``: picks the cluster instead of the vote (None: left as it is; the reference's
    choice, for the bound). Returns the segmentation with the new slots, the clusters (C × S') and the number
    of moves."""
    c_n, f_n, s_n = seg.binarized.shape
    if len(centroids) == 0:
        return seg, clusters, 0
    xn = normalise(embeddings.astype(np.float64))
    moves: list[tuple[int, int, np.ndarray, int]] = []  # chunk, slot, frames (F bool), cluster
    for ci, i, j, _ in stitch_conflicts(seg, clusters, min_share=min_share, min_s=min_s, min_iou=min_iou):
        x, y = clusters[ci, i], clusters[ci + 1, j]
        if chooser is not None:
            choice = chooser(ci, i, j, int(x), int(y))
            if choice is None:
                continue
            pick = choice
        else:
            vote = _vote(xn, usable, centroids, (ci, i), (ci + 1, j), x, y)
            if abs(vote[0] - vote[1]) < min_margin:
                continue
            pick = x if vote[0] >= vote[1] else y
        shift = seg.first_frame(ci + 1) - seg.first_frame(ci)
        both = np.zeros(f_n + shift, dtype=bool)
        both[shift:f_n] = seg.binarized[ci, shift:, i].astype(bool) & seg.binarized[ci + 1, : f_n - shift, j].astype(bool)
        c, s, frames = (ci + 1, j, both[shift:]) if pick == x else (ci, i, both[:f_n])
        b = seg.binarized[c].astype(bool)
        if any(k != s and clusters[c, k] == pick and (b[:, k] & frames).any() for k in range(s_n)):
            continue
        moves.append((c, s, frames, int(pick)))
    if not moves:
        return seg, clusters, 0
    per_chunk = np.bincount([c for c, *_ in moves], minlength=c_n)
    binar = np.concatenate([seg.binarized, np.zeros((c_n, f_n, int(per_chunk.max())), dtype=seg.binarized.dtype)], axis=2)
    out = np.concatenate([clusters, np.full((c_n, int(per_chunk.max())), -1, dtype=clusters.dtype)], axis=1)
    used = np.zeros(c_n, dtype=int)
    for c, s, frames, pick in moves:
        k = s_n + used[c]
        used[c] += 1
        moved = frames & (binar[c, :, s] > 0)
        binar[c, moved, k] = binar[c, moved, s]
        binar[c, moved, s] = 0
        out[c, k] = pick
    return LocalSegmentation(seg.starts, binar, seg.frame_step, seg.frame_offset, seg.duration), out, len(moves)


VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "mend": {"min_share": 0.5, "min_s": 0.2},
    "mend_s1": {"min_share": 0.5, "min_s": 1.0},
    "mend_share0.8": {"min_share": 0.8, "min_s": 0.2},
    "mend_clean": {"min_share": 0.5, "min_s": 0.2, "reliability": "clean"},
    "mend_len": {"reliability": "length"},
    "mend_iou0.3": {"min_iou": 0.3},
    "mend_iou0.5": {"min_iou": 0.5},
    "mend_iou0.7": {"min_iou": 0.7},
    "local": {"local": True},
    "local_iou0.3": {"local": True, "min_iou": 0.3},
    "local_iou0.5": {"local": True, "min_iou": 0.5},
    "local_iou0.7": {"local": True, "min_iou": 0.7},
    "local_m0.1": {"local": True, "min_margin": 0.1},
    "local_m0.2": {"local": True, "min_margin": 0.2},
    "local_m0.3": {"local": True, "min_margin": 0.3},
    "local_iou0.5_m0.2": {"local": True, "min_iou": 0.5, "min_margin": 0.2},
    "oracle_local": {"local": True, "oracle": True},
    "trusted": {"trusted": "trainable"},
    "trusted_iou0.5": {"min_iou": 0.5, "trusted": "trainable"},
    "trusted_iou0.7": {"min_iou": 0.7, "trusted": "trainable"},
}


def seam_times(seg: Any) -> list[tuple[int, float]]:
    from sessionscope.audio.segmentation import CHUNK_S

    return [(c, (float(seg.starts[c]) + float(seg.starts[c + 1])) / 2 + CHUNK_S / 2) for c in range(len(seg.starts) - 1)
            if seg.starts[c + 1] - seg.starts[c] < CHUNK_S]


def switches(raw: list[tuple[float, float, int]], tol: float = 0.05) -> list[tuple[float, int, int]]:
    """(time, from, to): a turn ends where a turn of another speaker starts, with no other speech between."""
    out = []
    for s0, e0, j0 in raw:
        for s1, e1, j1 in raw:
            if j1 != j0 and abs(s1 - e0) <= tol and e1 > e0 and s1 > s0:
                out.append((e0, j0, j1))
    return out


def dominant(ref: list[tuple[float, float, str]], times: np.ndarray, share: float = 0.5) -> str | None:
    """The reference speaker active at most of ``times`` (seconds), if at more than ``share`` of them."""
    votes: dict[str, int] = {}
    for a, b, x in ref:
        votes[x] = votes.get(x, 0) + int(((times >= a) & (times < b)).sum())
    best = max(votes, key=lambda k: votes[k]) if votes else None
    return best if best is not None and votes[best] > share * max(len(times), 1) else None


def shared_frames(seg: LocalSegmentation, ci: int, i: int, j: int) -> np.ndarray:
    """Global times (s) of the frames where slot ``i`` of chunk ``ci`` and slot ``j`` of the next are both active."""
    f_n = seg.binarized.shape[1]
    shift = seg.first_frame(ci + 1) - seg.first_frame(ci)
    both = seg.binarized[ci, shift:, i].astype(bool) & seg.binarized[ci + 1, : f_n - shift, j].astype(bool)
    return float(seg.starts[ci + 1]) + seg.frame_offset + np.flatnonzero(both) * seg.frame_step


def seam_diagnosis(raw: list[tuple[float, float, int]], seg: LocalSegmentation, clusters: np.ndarray,
                   ref: list[tuple[float, float, str]], to_ref: dict[int, str | None]) -> dict[str, int]:
    """Seam switches of the turns ``raw`` by cause (assignment / argmax) and by the reference: ``one_ref``
    (one reference speaker over 0.5 s on both sides: one side is wrong) with the side that is right."""
    seams = seam_times(seg)
    conflicts = stitch_conflicts(seg, clusters)
    out = {"seam_switches": 0, "assignment": 0, "argmax": 0, "one_ref": 0, "one_ref_before_right": 0,
           "one_ref_after_right": 0, "conflicts": len(conflicts), "all_switches": 0}
    grid = np.arange(0.0, 0.5, 0.01)
    for t, a, b in switches(raw):
        out["all_switches"] += 1
        if not any(abs(t - st) <= 0.1 for _, st in seams):
            continue
        out["seam_switches"] += 1
        c = min(seams, key=lambda cs: abs(cs[1] - t))[0]
        hit = any(ci == c and {clusters[ci, i], clusters[ci + 1, j]} == {a, b} for ci, i, j, _ in conflicts)
        out["assignment" if hit else "argmax"] += 1
        before, after = dominant(ref, t - 0.5 + grid), dominant(ref, t + grid)
        if before is not None and before == after:
            out["one_ref"] += 1
            out["one_ref_before_right"] += int(to_ref.get(a) == before)
            out["one_ref_after_right"] += int(to_ref.get(b) == after)
    return out


def vote_check(seg: LocalSegmentation, clusters: np.ndarray, emb: np.ndarray, usable: np.ndarray,
               centroids: np.ndarray, ref: list[tuple[float, float, str]], to_ref: dict[int, str | None]
               ) -> dict[str, int]:
    """On the conflicts whose shared frames are one reference speaker (80 %) given to one of the two clusters:
    how often each rule picks that cluster (sum of cosines, length-weighted sum, the longer slot)."""
    xn = normalise(emb.astype(np.float64))
    length = seg.binarized.sum(axis=1)
    out = {"pure_conflicts": 0, "vote_right": 0, "vote_len_right": 0, "longer_right": 0, "margin0.2": 0,
           "margin0.2_right": 0}
    for ci, i, j, _ in stitch_conflicts(seg, clusters):
        truth = dominant(ref, shared_frames(seg, ci, i, j), share=0.8)
        x, y = int(clusters[ci, i]), int(clusters[ci + 1, j])
        if truth is None or truth not in (to_ref.get(x), to_ref.get(y)):
            continue
        right = x if to_ref.get(x) == truth else y
        out["pure_conflicts"] += 1
        v = _vote(xn, usable, centroids, (ci, i), (ci + 1, j), x, y)
        vl = _vote(xn, usable, centroids, (ci, i), (ci + 1, j), x, y, length)
        out["vote_right"] += int((x if v[0] >= v[1] else y) == right)
        out["vote_len_right"] += int((x if vl[0] >= vl[1] else y) == right)
        out["longer_right"] += int((x if length[ci, i] >= length[ci + 1, j] else y) == right)
        if abs(v[0] - v[1]) >= 0.2:
            out["margin0.2"] += 1
            out["margin0.2_right"] += int((x if v[0] >= v[1] else y) == right)
    return out


def oracle_chooser(seg: LocalSegmentation, ref: list[tuple[float, float, str]], to_ref: dict[int, str | None]
                   ) -> Callable[[int, int, int, int, int], int | None]:
    """The cluster that the reference speaker of the shared frames maps to (None when neither): the bound."""
    def choose(ci: int, i: int, j: int, x: int, y: int) -> int | None:
        truth = dominant(ref, shared_frames(seg, ci, i, j), share=0.0)
        return x if to_ref.get(x) == truth else y if to_ref.get(y) == truth else None
    return choose


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def der_of(sub: list[dict[str, Any]], c: str) -> float:
        return round(100 * sum(r[f"err_s_c{c}"] for r in sub) / sum(r[f"ref_s_c{c}"] for r in sub), 2)

    keys = [k for k, v in rows[0].items() if isinstance(v, int) and k not in ("ref_speakers", "speakers")]
    out: dict[str, Any] = {"files": len(rows), "count_right": sum(r["speakers"] == r["ref_speakers"] for r in rows),
                           "der_c0": der_of(rows, "0.0"), "der_c0.25": der_of(rows, "0.25"),
                           **{k: sum(r[k] for r in rows) for k in keys},
                           "mend_s_total": round(sum(r["mend_s"] for r in rows), 3),
                           "replay_s_total": round(sum(r["replay_s"] for r in rows), 3)}
    for name in dict.fromkeys(r["set"] for r in rows):
        sub = [r for r in rows if r["set"] == name]
        out[name] = {"count_right": f"{sum(r['speakers'] == r['ref_speakers'] for r in sub)}/{len(sub)}",
                     "der_c0": der_of(sub, "0.0"), "der_c0.25": der_of(sub, "0.25")}
    return out


def mend(seg: Any, clusters: Any, opts: dict[str, Any], state: dict[str, Any]) -> tuple[Any, Any, int]:
    """Apply one variant (:data:`VARIANTS`) to the clusters of the shipped assignment."""
    if not opts:
        return seg, clusters, 0
    emb, usable, cents = state["emb"], state["usable"], state["asg"].centroids
    if opts.pop("oracle", False):
        opts["chooser"] = oracle_chooser(seg, state["ref"], state["to_ref"])
    if opts.pop("local", False):
        return mend_stitches_local(seg, clusters, emb, usable, cents, **opts)
    rel = opts.pop("reliability", None)
    if rel == "length":  # the slot's active seconds (the first try: the longer slot is often two voices)
        opts["reliability"] = seg.binarized.sum(axis=1) * seg.frame_step
    elif rel == "clean":
        opts["reliability"] = np.where(state["trainable"], 2.0, 1.0) * usable
    if opts.get("trusted") == "trainable":
        opts["trusted"] = state["trainable"] & usable
    clusters, changed = mend_stitches(seg, clusters, emb, usable, cents, **opts)
    return seg, clusters, changed


def score_file(ref: list[tuple[float, float, str]], d: Any, raw: list[tuple[float, float, int]], dur: float
               ) -> tuple[dict[str, Any], dict[int, str | None]]:
    """Speaker count and DER (collar 0, 0.25) of a diarization; its raw clusters → reference speakers (DER's map)."""
    from r22_wdiar import speaker_map
    from sessionscope.audio.der import der

    hyp = [(t.start, t.end, t.speaker) for t in d.turns]
    first: dict[int, float] = {}
    for s0, _, j in raw:
        first.setdefault(j, s0)
    name = {j: f"SPEAKER_{i:02d}" for i, j in enumerate(sorted(first, key=lambda j: first[j]))}  # as diarize_local
    mapping = speaker_map(ref, hyp)
    row: dict[str, Any] = {"ref_speakers": len({x for *_, x in ref}), "speakers": len(d.speakers)}
    for collar in (0.0, 0.25):
        r = der(ref, hyp, collar=collar, uem=(0.0, dur))
        row[f"err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
        row[f"ref_s_c{collar}"] = round(r.reference, 3)
    return row, {j: mapping.get(name[j]) for j in name}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", choices=("choose", "confirm"), required=True)
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import r22_wdiar
    from diarization_tune import local_for
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm

    state: dict[str, Any] = {}
    real_cluster, real_reconstruct = dz.cluster_local_speakers, dz.reconstruct

    def spy_cluster(emb: Any, usable: Any, trainable: Any, **kw: Any) -> Any:
        asg = real_cluster(emb, usable, trainable, **kw)
        state.update(emb=emb, usable=usable, trainable=trainable, asg=asg)
        return asg

    def patched_reconstruct(seg: Any, clusters: Any, k: int, **kw: Any) -> Any:
        t0 = time.perf_counter()
        seg, clusters, state["changed"] = mend(seg, clusters, dict(state["opts"]), state)
        state["mend_s"] = time.perf_counter() - t0
        raw = real_reconstruct(seg, clusters, k, **kw)
        state.update(seg=seg, clusters=clusters, raw=raw)
        return raw

    dz.cluster_local_speakers, dz.reconstruct = spy_cluster, patched_reconstruct  # type: ignore[assignment]
    params = dz.DiarizationParams()
    variants = ["default", *[v for v in args.variants if v != "default"]]  # the default maps clusters to the reference
    results: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    for set_name, uri, wav, rttm, half in r22_wdiar.files(r22_wdiar.DEV_SETS):
        if half != args.half:
            continue
        ref = read_rttm(rttm)[uri]
        local = local_for(wav, params.step_s, params)
        dur = len(load_audio(wav).mono) / 16000
        state["ref"] = ref
        for v in variants:
            state["opts"] = VARIANTS[v]
            t0 = time.perf_counter()
            d = dz.diarize_local(np.zeros(1, np.float32), params=params, local=local)
            wall = time.perf_counter() - t0
            row, to_ref = score_file(ref, d, state["raw"], dur)
            row = {"set": set_name, "uri": uri, **row, "slots_changed": state["changed"],
                   "mend_s": round(state["mend_s"], 4), "replay_s": round(wall, 3)}
            row.update(seam_diagnosis(state["raw"], state["seg"], state["clusters"], ref, to_ref))
            if v == "default":
                state["to_ref"] = to_ref
                row.update(vote_check(state["seg"], state["clusters"], state["emb"], state["usable"],
                                      state["asg"].centroids, ref, to_ref))
            results[v].append(row)
        print(json.dumps({v: {k: results[v][-1][k] for k in ("uri", "speakers", "err_s_c0.25", "seam_switches",
                                                             "assignment", "argmax", "slots_changed")}
                          for v in variants}), flush=True)
    summary = {v: summarise(rows) for v, rows in results.items()}
    print(json.dumps({v: {k: x for k, x in s.items() if not isinstance(x, dict)} for v, s in summary.items()}, indent=1))
    if args.json:
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r22_stitch_replay.py", *sys.argv[1:]]), "commit": r22_wdiar.git_commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "variants": VARIANTS,
            "data": f"development sets of r22_wdiar.py, {args.half} half (even index = choose, odd = confirm); "
                    "diarization-only turns of the cached local stage (diarization_tune.local_for)",
            "summary": summary, "rows": results}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Cheaper long-run refinement (round 13, speed2): DER and the CPU of ``diarize.refine_long_runs`` alone, on cached
local results of the DEVELOPMENT files.

    nice -n 10 .venv/bin/python benchmarks/diarization_refine_r13_speed2.py head reuse=0.8 \
        --json benchmarks/results/diarization_refine_r13_speed2.json

Variant: ``off``, or comma-separated ``KEY=VALUE`` over the shipped settings (``head``: none): ``long`` (run length,
s), ``piece`` (piece length / grid cell, s), ``reuse`` (Jaccard index to take an earlier chunk's piece embedding on
the recording's grid; 0: consecutive pieces, as shipped at the round's start), ``margin`` (only runs whose own
embedding is closer to its voice than to any other voice by less than this are re-checked; unset: all), ``embed``
(at most this many seconds of a piece embedded, its middle, fbank of those frames only; 0: all), ``seen`` (a piece
is not embedded when at least this share of its frames gave the run its own embedding), ``skip`` (1: a piece is not
embedded when every other voice is held by a co-active run: it could not move; output-identical). Any key other
than ``long`` / ``piece`` runs :func:`variant_long_run_pieces` (the variants, not shipped) in place of HEAD's
``diarize._long_run_pieces``; with ``reuse`` 0 and the rest off it is HEAD's computation. Local
segmentation, embeddings and clustering are the defaults' (``diarization_tune.local_for``, cached). Per file and
variant: process CPU seconds of ``refine_long_runs`` (one intra-op thread, the median of ``--repeats`` calls, variants
alternated), the CAM++ inputs it ran, DER c0 / c0.25. Groups as ``diarization_refine_r13_diar.py``.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path
from typing import Optional

import numpy as np

from sessionscope.audio.diarize import (  # noqa: E402  (numpy-only module)
    CHUNK_S,
    FBANK_HOP,
    FBANK_WIN,
    FRAME_S,
    SAMPLE_RATE,
    ChunkFeatures,
    _clean_first,
    _fbank,
    _pieces,
    own_regions,
)
from sessionscope.audio.reconstruct import LocalSegmentation  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_dev_r13_diar import default_clustering, dev_groups, scores, summarise, write_json  # noqa: E402  (sibling scripts)
from diarization_tune import ROOT, local_for  # noqa: E402


def _grid_pieces(active: np.ndarray, t_abs: np.ndarray, cell_s: float, n_frames: int) -> list[np.ndarray]:
    """Frame indices of ``active`` grouped by the recording's time grid (cells of ``cell_s`` from 0 s, frame
    times ``t_abs``); a group of under half ``n_frames`` joins the one before (the first one, the one after)."""
    idx = np.flatnonzero(active)
    if len(idx) == 0:
        return []
    cell = np.floor(t_abs[idx] / cell_s).astype(int)
    out: list[np.ndarray] = []
    for group in np.split(idx, np.flatnonzero(np.diff(cell)) + 1):
        if out and len(group) < n_frames // 2:
            out[-1] = np.concatenate([out[-1], group])
        else:
            out.append(group)
    if len(out) > 1 and len(out[0]) < n_frames // 2:
        out[1] = np.concatenate([out[0], out[1]])
        out.pop(0)
    return out


def variant_long_run_pieces(  # noqa: C901  (the measured variants side by side)
        samples: np.ndarray, seg: LocalSegmentation, clusters: np.ndarray, *, long_s: float,
                     piece_s: float, own_only: bool, batch: int, device: str, reuse: float = 0.0,
                     recheck: Optional[np.ndarray] = None, embed_s: float = 0.0, n_voices: int = 0,
                     seen_frac: float = 0.0) -> tuple[list[list[tuple[np.ndarray, int]]], list[tuple[int, int, int]], np.ndarray]:
    """Every chunk's slots (activity, voice) with long runs cut into pieces; the pieces (chunk, index in its
    chunk's slots, original slot); one CAM++ embedding per piece (zeros: too little speech to embed).
    ``reuse``, ``recheck``, ``embed_s``, ``seen_frac``: see the module docstring. ``n_voices`` > 0: a piece is not embedded when
    every other voice is held by a run active at the same time in its chunk (it could not move)."""
    from sessionscope.audio.onnx_models import infer

    c_n, f_n, s_n = seg.binarized.shape
    n_piece = max(1, int(round(piece_s / seg.frame_step)))
    slots: list[list[tuple[np.ndarray, int]]] = []
    pieces: list[tuple[int, int, int]] = []
    found: dict[int, np.ndarray] = {}
    pending: dict[int, list[tuple[int, np.ndarray]]] = {}
    model = None

    def flush(length: int) -> None:
        nonlocal model
        group = pending.pop(length, [])
        if group:
            if model is None:
                from sessionscope.models import load_campplus

                model = load_campplus(device)
            found.update(zip([i for i, _ in group], infer(model, np.stack([f for _, f in group]), device), strict=True))

    win = int(CHUNK_S * SAMPLE_RATE)
    features = ChunkFeatures(samples)
    own = own_regions(seg)
    t_seg = np.arange(f_n) * seg.frame_step + seg.frame_offset
    seen: dict[int, list[tuple[np.ndarray, int]]] = {}  # grid cell -> (absolute fbank frames embedded, piece)
    alias: dict[int, int] = {}  # piece -> the earlier piece whose embedding it takes
    for ci in range(c_n):
        b = seg.binarized[ci].astype(bool)
        in_own = (t_seg >= own[ci, 0]) & (t_seg < own[ci, 1]) if own_only else np.ones(f_n, dtype=bool)
        row: list[tuple[np.ndarray, int]] = []
        long_runs = [r for r in range(s_n) if clusters[ci, r] >= 0 and b[:, r].sum() * seg.frame_step > long_s
                     and (recheck is None or recheck[ci, r])]
        if long_runs:
            a0 = int(round(seg.starts[ci] * SAMPLE_RATE))
            length = min(win, len(samples) - a0)  # the chunk's fbank frames, as ChunkFeatures.chunk makes them
            t = np.arange(1 + (length - FBANK_WIN) // FBANK_HOP if length >= FBANK_WIN else 0) * FRAME_S + 0.0125
            fj = np.clip(np.round((t - seg.frame_offset) / seg.frame_step).astype(int), 0, f_n - 1)
            alone = (b.sum(axis=1) == 1)[fj]
            feats: Optional[np.ndarray] = None  # computed when a piece needs its own embedding
        for r in range(s_n):
            if not b[:, r].any():
                continue
            if r not in long_runs:
                row.append((b[:, r], int(clusters[ci, r])))
                continue
            if (b[:, r] & ~in_own).any():  # outside the chunk's own seconds: the run as it was
                row.append((b[:, r] & ~in_own, int(clusters[ci, r])))
            if seen_frac > 0:  # the frames of the run's own embedding (local_embeddings: clean, centre first, <= 3 s)
                order = np.argsort(np.abs(t - CHUNK_S / 2), kind="stable")
                own_pick = order[(b[:, r][fj] & alone)[order]]
                own_pick = own_pick if len(own_pick) >= 10 else order[b[:, r][fj][order]]
                own_set = np.zeros(len(t), dtype=bool)
                own_set[own_pick[:300]] = True
            cut = (_grid_pieces(b[:, r] & in_own, t_seg + seg.starts[ci], piece_s, n_piece) if reuse > 0
                   else _pieces(b[:, r] & in_own, n_piece))
            for piece in cut:
                act = np.zeros(f_n, dtype=bool)
                act[piece] = True
                pick = _clean_first(act[fj], alone)
                pieces.append((ci, len(row), r))
                row.append((act, int(clusters[ci, r])))
                if len(pick) < 30:
                    continue
                if seen_frac > 0 and own_set[pick].mean() >= seen_frac:
                    continue  # mostly the frames that gave the run its voice
                if n_voices and len({int(clusters[ci, q]) for q in range(s_n) if q != r and clusters[ci, q] >= 0
                                     and (b[:, q] & act).any()} | {int(clusters[ci, r])}) >= n_voices:
                    continue  # no free voice to move to
                if embed_s > 0 and len(pick) > round(embed_s / FRAME_S):
                    mid, half = len(pick) // 2, int(round(embed_s / FRAME_S)) // 2
                    pick = pick[mid - half: mid + half]
                n = len(pick) - len(pick) % 10  # length buckets of 0.1 s (as local_embeddings)
                if reuse > 0:
                    frames = a0 // FBANK_HOP + pick[:n]
                    cell = int(np.floor((seg.starts[ci] + t_seg[piece[len(piece) // 2]]) / piece_s))
                    same = [i for fr, i in seen.get(cell, [])
                            if len(np.intersect1d(fr, frames, assume_unique=True)) >= reuse * len(np.union1d(fr, frames))]
                    if same:
                        alias[len(pieces) - 1] = same[0]
                        continue
                    seen.setdefault(cell, []).append((frames, len(pieces) - 1))
                if embed_s > 0:  # only the frames of this piece (a fbank frame depends on its own 25 ms only)
                    lo = a0 + int(pick[0]) * FBANK_HOP
                    f = _fbank(samples[lo: a0 + int(pick[n - 1]) * FBANK_HOP + FBANK_WIN])[pick[:n] - pick[0]]
                else:
                    if feats is None:
                        feats = features.chunk(a0, win)
                    f = feats[pick[:n]]
                pending.setdefault(n, []).append((len(pieces) - 1, f - f.mean(axis=0, keepdims=True)))
                if len(pending[n]) >= batch:
                    flush(n)
        slots.append(row)
    for length in sorted(pending):
        flush(length)
    emb = np.zeros((len(pieces), 192), dtype=np.float32)
    for i, e in found.items():
        emb[i] = e
    for i, j in alias.items():
        emb[i] = emb[j]
    return slots, pieces, emb


def recheck_mask(emb: np.ndarray, usable: np.ndarray, clusters: np.ndarray, centroids: np.ndarray,
                 margin: float) -> np.ndarray:
    """Runs whose own embedding is closer to its voice than to the next voice by less than ``margin`` (runs
    without an embedding of their own are always re-checked)."""
    from sessionscope.audio.reconstruct import _normalise

    sims = _normalise(emb.reshape(-1, emb.shape[-1]).astype(np.float64)) @ np.asarray(centroids, np.float64).T
    sims = sims.reshape(*emb.shape[:2], -1)
    own = np.take_along_axis(sims, np.clip(clusters, 0, None)[..., None], axis=2)[..., 0]
    other = np.where(np.arange(sims.shape[2]) == np.clip(clusters, 0, None)[..., None], -np.inf, sims).max(axis=2)
    return ~usable | (own - other < margin)


def main() -> int:
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams, refine_long_runs, torch_threads
    from sessionscope.audio.reconstruct import reconstruct

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--groups", nargs="+", default=["pyannote-ami", "ami-sparse", "libri-dev", "farfield", "farfield2"])
    ap.add_argument("--farfield2", type=Path, default=ROOT / ".cache/conv/farfield2")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    params = DiarizationParams()
    variants = ["off", *args.variants]
    per: dict[str, dict[str, dict[str, float]]] = {v: {} for v in variants}
    counted = {"n": 0}
    real_infer = onnx_models.infer

    def counting(model, x, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        counted["n"] += len(x)
        return real_infer(model, x, *a, **k)

    onnx_models.infer = counting
    head_pieces = dz._long_run_pieces
    warm = True  # the first file's first call loads CAM++: one untimed call before timing
    for group, uri, wav, ref_path in dev_groups(args.farfield2, tuple(args.groups)):
        ref = read_rttm(ref_path)[uri]
        loc = local_for(wav, params.step_s, params)
        seg, emb, usable = loc[:3]
        samples = load_audio(wav).mono
        asg, clusters, k, weights = default_clustering(loc, params)
        outs: dict[str, tuple] = {}
        cpu: dict[str, list[float]] = {v: [] for v in variants}
        n_in: dict[str, int] = {}
        for rep in range(args.repeats + int(warm)):
            for v in variants[: 2 if warm and rep == 0 else None]:
                if v == "off" or k < 2:
                    outs[v], n_in[v] = (seg, clusters), 0
                    cpu[v].append(0.0)
                    continue
                kw = dict(kv.split("=") for kv in v.split(",") if "=" in kv)
                recheck = (recheck_mask(emb, usable, clusters, asg.centroids, float(kw["margin"]))
                           if "margin" in kw else None)
                counted["n"] = 0
                if set(kw) - {"long", "piece"}:  # the variant's piece cutting and embedding, in place of HEAD's
                    dz._long_run_pieces = functools.partial(
                        variant_long_run_pieces, reuse=float(kw.get("reuse", 0.0)), recheck=recheck,
                        embed_s=float(kw.get("embed", 0.0)), seen_frac=float(kw.get("seen", 0.0)),
                        n_voices=k if kw.get("skip", "0") == "1" else 0)
                with torch_threads(1):
                    t0 = time.process_time()
                    out = refine_long_runs(samples, seg, clusters, asg.centroids,
                                           long_s=float(kw.get("long", params.refine_long_s)),
                                           piece_s=float(kw.get("piece", params.refine_piece_s)))
                    cpu[v].append(time.process_time() - t0)
                dz._long_run_pieces = head_pieces
                if warm and rep == 0:
                    cpu[v].clear()
                if v in outs:
                    assert all(np.array_equal(a, b) for a, b in zip(outs[v][0].binarized, out[0].binarized, strict=True)) and \
                        np.array_equal(outs[v][1], out[1]), f"{v} not deterministic on {uri}"
                outs[v], n_in[v] = out, counted["n"]
        warm = False
        for v in variants:
            s2, c2 = outs[v]
            raw = reconstruct(s2, c2, k, weights=weights, min_on=params.min_on, min_off=params.min_off)
            per[v][f"{group}/{uri}"] = scores(ref, [(s, e, f"S{j}") for s, e, j in raw], seg.duration,
                                              refine_cpu_s=statistics.median(cpu[v]), campp_inputs=n_in[v],
                                              audio_s=seg.duration)
        print(group, uri, {v: (round(100 * per[v][f"{group}/{uri}"]["der_c0"], 2),
                               round(statistics.median(cpu[v]), 2), n_in[v]) for v in variants}, flush=True)
    write_json(args.json, per, summarise(per))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

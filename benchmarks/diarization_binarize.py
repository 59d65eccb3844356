"""Does the segmentation's binarisation lose quiet or overlapped speech? Alternatives on the DEVELOPMENT set.

    nice -n 10 .venv/bin/python benchmarks/diarization_binarize.py argmax:0.5 speech:0.5 speech:0.4 multi:0.5 multi:0.35 \\
        --json benchmarks/results/diarization_binarize.json

segmentation-3.0 gives, per 17 ms frame of a 10 s chunk, probabilities of 7 powerset
classes (nobody, one of three local speakers, two of them). ``run`` takes the most likely
class (``argmax``). Alternatives, each followed by the unchanged rest of the pipeline
(run splitting, CAM++ embeddings, clustering, reconstruction, default settings):

* ``speech:T``: a frame is speech when P(not nobody) > T, with the most likely non-empty class
  (T < 0.5 marks quieter or less certain speech);
* ``multi:T``: each local speaker active when its marginal probability (the sum of the classes
  that contain it) > T (more overlap than the argmax when T < 0.5);
* ``ovl:T``: the argmax, but a frame decided for one speaker gets a second one where the two-speaker
  classes together have P > T (the most likely pair holding the first speaker): more overlap only.

Development set only (as ``diarization_tune.py``): the four ``pyannote-ami-excerpts`` + the
pyannote sample, their sparse versions (short utterances only) and the ``dev`` LibriSpeech
conversations. Segmentation outputs and embeddings are cached in ``.cache/diar_binarize``.
The network is gain-invariant for chunks above about -50 dBFS (SincNet starts with an instance normalisation,
whose epsilon of 1e-5 on the variance scales quieter chunks down): a level normalisation before it is
measured in ``diarization_level_dev.py`` (round 7, not shipped).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "diar_binarize"
sys.path.insert(0, str(ROOT / "benchmarks"))


def logits_for(wav: Path, step: float, net, cfg):  # noqa: ANN001, ANN201
    """(chunk starts s, powerset log-probabilities C×F×7, duration s) as ``local_segmentation`` chunks them; cached."""
    import torch

    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.decode import SAMPLE_RATE, load_audio

    key = CACHE / f"lg_{wav.parent.name}_{wav.stem}_s{step}.pkl"
    if key.is_file():
        return pickle.loads(key.read_bytes())
    x = load_audio(wav).mono.astype(np.float32)
    win, hop = int(seg_mod.CHUNK_S * SAMPLE_RATE), int(step * SAMPLE_RATE)
    xx = np.pad(x, (0, max(0, win - len(x))))
    starts = seg_mod._chunk_starts(len(x), win, hop)
    with torch.inference_mode():
        lg = np.concatenate([net(torch.from_numpy(np.stack([xx[s:s + win] for s in starts[b:b + 16]]))[:, None]).float().numpy()
                             for b in range(0, len(starts), 16)])
    out = (np.asarray(starts) / SAMPLE_RATE, lg, len(x) / SAMPLE_RATE)
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(pickle.dumps(out))
    return out


def binarize(lg: np.ndarray, multi: np.ndarray, mode: str, th: float) -> np.ndarray:
    if mode == "argmax":
        return multi[lg.argmax(-1)]
    p = np.exp(lg)
    if mode == "speech":
        b = multi[1 + p[..., 1:].argmax(-1)]
        b[(1 - p[..., 0]) <= th] = 0
        return b
    if mode == "multi":
        return ((p @ multi) > th).astype(np.uint8)
    if mode == "ovl":  # the argmax, plus a second speaker where P(two speakers) > T
        cls = lg.argmax(-1)
        sizes = multi.sum(axis=1)
        singles, pairs = np.flatnonzero(sizes == 1), np.flatnonzero(sizes == 2)
        speaker = np.argmax(multi[cls], axis=-1)  # the argmax's speaker (for a single-speaker class)
        allowed = multi[pairs].T[speaker].astype(bool)  # pairs holding that speaker
        best = pairs[np.argmax(np.where(allowed, p[..., pairs], -1.0), axis=-1)]
        add = np.isin(cls, singles) & (p[..., pairs].sum(-1) > th)
        return multi[np.where(add, best, cls)]
    raise SystemExit(f"unknown mode {mode}")


def local_diarization(key: Path, seg, wav: Path, params):  # noqa: ANN001, ANN201
    """``diarize_local`` on the local segmentation ``seg`` of ``wav``; its local speakers (runs, embeddings,
    usable/trainable flags, origins) are cached under ``key``."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import diarize_local, local_embeddings
    from sessionscope.audio.reconstruct import split_runs

    if key.is_file():
        loc = pickle.loads(key.read_bytes())
    else:
        s2, origin = split_runs(seg, min_gap_s=params.split_gap_s)
        emb, usable, trainable = local_embeddings(load_audio(wav).mono, s2, max_s=params.embed_max_s, min_s=params.embed_min_s,
                                                  min_usable_s=params.min_usable_s, min_train_s=params.min_train_s, own_only=True)
        loc = (s2, emb, usable, trainable, origin)
        key.write_bytes(pickle.dumps(loc))
    return diarize_local(np.zeros(1, np.float32), params=params, local=loc)


def file_scores(d, ref, dur: float) -> dict:  # noqa: ANN001
    """One file's DER parts (collar 0 and 0.25), count and empty output against reference turns ``ref``."""
    from sessionscope.audio.der import der

    hyp = [(t.start, t.end, t.speaker) for t in d.turns]
    r0, r25 = (der(ref, hyp, collar=cl, uem=(0.0, dur)) for cl in (0.0, 0.25))
    return {"der_c0": r0.der, "der_c25": r25.der, "miss_s": r0.missed, "fa_s": r0.false_alarm,
            "conf_s": r0.confusion, "ref_s": r0.reference, "ref_s_c25": r25.reference,
            "err_s_c25": r25.missed + r25.false_alarm + r25.confusion,
            "count_ok": len(d.centroids) == len({s for *_, s in ref}), "no_output": not d.turns}


def group_row(v: list[dict]) -> dict:
    """The summary of a group of :func:`file_scores`: per-file means and pooled DER in %, counts right, empty outputs."""
    ref = sum(x["ref_s"] for x in v)
    row = {"der_c0": 100 * np.mean([x["der_c0"] for x in v]), "der_c25": 100 * np.mean([x["der_c25"] for x in v]),
           "pooled_c0": 100 * sum(x["miss_s"] + x["fa_s"] + x["conf_s"] for x in v) / ref,
           "miss_c0": 100 * np.mean([x["miss_s"] / x["ref_s"] for x in v]),
           "fa_c0": 100 * np.mean([x["fa_s"] / x["ref_s"] for x in v]),
           "conf_c0": 100 * np.mean([x["conf_s"] / x["ref_s"] for x in v]),
           "count_ok": f"{sum(x['count_ok'] for x in v)}/{len(v)}", "no_output": sum(x["no_output"] for x in v)}
    return {k: round(float(x), 2) if not isinstance(x, str) else x for k, x in row.items()}


def main() -> int:
    import torch

    from diarization_tune import dev_cases
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.reconstruct import LocalSegmentation

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("specs", nargs="+", help="mode:threshold, e.g. argmax:0.5 speech:0.4 multi:0.35")
    ap.add_argument("--step", type=float, default=DiarizationParams.step_s)
    ap.add_argument("--farfield", action="store_true", help="also the simulated far-field meetings (group farfield)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    torch.set_num_threads(1)
    net, cfg = seg_mod.load_segmentation()
    multi = seg_mod._powerset_to_multilabel(cfg.get("num_regular_classes", 3), cfg.get("powerset_max_classes", 2))
    p = replace(DiarizationParams(), step_s=args.step)
    summary, per_file = {}, {}
    for spec in args.specs:
        mode, th = spec.split(":")
        res = {}
        for c, u, wav, ref in dev_cases(farfield=args.farfield):
            starts, lg, dur = logits_for(wav, args.step, net, cfg)
            seg = LocalSegmentation(starts, binarize(lg, multi, mode, float(th)), float(cfg["frame_step"]),
                                    float(cfg.get("frame_start", 0.0)) + float(cfg["frame_duration"]) / 2, dur)
            key = CACHE / (f"loc_{c}_{u}_{mode}_{float(th)}_s{args.step}"
                           f"{'' if p.embed_max_s == 3.0 else f'_e{p.embed_max_s}'}.pkl")
            res[f"{c}/{u}"] = file_scores(local_diarization(key, seg, wav, p), read_rttm(ref)[u], dur)
        per_file[spec] = res
        groups = (("ami", "pyannote"), ("sparse", "ami-sparse"), ("libri", "libri-dev"), ("farfield", "farfield"))
        for g, prefix in groups[: 4 if args.farfield else 3]:
            summary.setdefault(spec, {})[g] = group_row([x for k, x in res.items() if k.startswith(prefix)])
            print(spec, g, json.dumps(summary[spec][g]), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/diarization_binarize.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development only: pyannote-ami-excerpts + pyannote-sample, their sparse "
                                                 "versions, libri-dev conversations (speakers 1688 1998 2033 2414)"
                                                 + (", far-field meetings of those speakers" if args.farfield else ""),
                                         "summary": summary, "per_file": per_file}, indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

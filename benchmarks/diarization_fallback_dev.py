"""When the segmentation's most likely class marks nobody speaking: a lower speech threshold as a fallback? DEVELOPMENT set.

    nice -n 10 .venv/bin/python benchmarks/diarization_fallback_dev.py argmax rec:0.3 rec:0.2 chunk:0.3 \\
        --quiet 10 20 30 40 --json benchmarks/results/diarization_fallback_dev_r6_diar.json

On quiet, sparse far-field speech the hard powerset decision (``argmax``) of segmentation-3.0 can mark no
frame at all as speech: the diarization then returns no turn and ``run`` fails with "no speech found".
Variants, each followed by the unchanged rest of the pipeline (default settings):

* ``rec:T``: when the argmax marks nobody in the whole recording, a frame is speech where P(not nobody) > T
  (with the most likely non-empty class), as ``diarization_binarize.py``'s ``speech:T``;
* ``chunk:T``: the same per chunk (a chunk where the argmax hears nobody);
* ``denoise:OVER``: the argmax on the audio after stationary-noise suppression (spectral subtraction with
  over-subtraction OVER, :func:`suppress_stationary_noise`); embeddings
  still from the original audio.

Development cases only (``diarization_tune.dev_cases``): the pyannote AMI excerpts and sample, their sparse
versions, the ``dev`` LibriSpeech conversations and, with ``--quiet``, the AMI excerpts and sparse versions with
the speech made quieter against their own room tone. Logits are cached by ``diarization_binarize.py``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "diar_fallback"
sys.path.insert(0, str(ROOT / "benchmarks"))


def suppress_stationary_noise(samples: np.ndarray, *, percentile: float = 10.0, over: float = 2.0, floor: float = 0.1,
                              block_s: float = 60.0) -> np.ndarray:
    """``samples`` with their stationary noise (fans, hum, room tone) attenuated by spectral subtraction.

    Per block of ``block_s`` seconds, the noise power of each frequency bin is the ``percentile`` of its power
    over the block's 32 ms frames (a meeting is silent for far more than a tenth of the time in every band);
    each time-frequency bin keeps the gain max(``floor``, 1 - ``over`` x noise / power). The segmentation network
    normalises its input's level but not its signal-to-noise ratio: quiet far-field talkers under a fan are
    what it misses. Deterministic (no random state). Measured on the development set, no gain: not used by ``run``.
    """
    from scipy.signal import istft, stft

    from sessionscope.audio.decode import SAMPLE_RATE

    x = np.asarray(samples, dtype=np.float32)
    nper, block = 512, int(block_s * SAMPLE_RATE)
    out = np.empty_like(x)
    for off in range(0, len(x), block):
        seg = x[off:off + block]
        if len(seg) < 4 * nper:
            out[off:off + len(seg)] = seg
            continue
        _, _, z = stft(seg, fs=SAMPLE_RATE, nperseg=nper, noverlap=nper * 3 // 4, boundary="even", padded=True)
        power = np.abs(z) ** 2
        noise = np.percentile(power, percentile, axis=1, keepdims=True)
        gain = np.maximum(floor, 1.0 - over * noise / np.maximum(power, 1e-20))
        _, y = istft(z * gain, fs=SAMPLE_RATE, nperseg=nper, noverlap=nper * 3 // 4, boundary=True)
        out[off:off + len(seg)] = y[:len(seg)].astype(np.float32)
    return out


def speech_fallback(logp: np.ndarray, multi: np.ndarray, threshold: float) -> np.ndarray:
    """Multi-label activity (… × F × S) from powerset log-probabilities ``logp`` (… × F × classes) with a lower bar
    for speech: a frame is speech where P(anyone speaks) > ``threshold``, with the most likely non-empty class
    (``multi``: ``segmentation._powerset_to_multilabel``; class 0 is nobody)."""
    p = np.exp(logp)
    out = multi[1 + p[..., 1:].argmax(-1)]
    out[(1.0 - p[..., 0]) <= threshold] = 0
    return out


def fallback(lg: np.ndarray, multi: np.ndarray, mode: str, th: float) -> np.ndarray:
    """Binarised activity (C × F × S) of powerset log-probabilities ``lg`` under a fallback ``mode``."""
    b = multi[lg.argmax(-1)]
    if mode == "argmax":
        return b
    if mode == "rec":
        return speech_fallback(lg, multi, th) if not b.any() else b
    if mode == "chunk":
        alt = speech_fallback(lg, multi, th)
        empty = ~b.any(axis=(1, 2))
        b[empty] = alt[empty]
        return b
    raise SystemExit(f"unknown mode {mode}")


def denoised_logits(wav: Path, step: float, net, cfg, spec: str):  # noqa: ANN001, ANN201
    """As ``diarization_binarize.logits_for``, on the audio after
    :func:`suppress_stationary_noise` (``denoise:OVER``); cached."""
    import torch

    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.decode import SAMPLE_RATE, load_audio

    over = float(spec.partition(":")[2] or 2.0)
    key = CACHE / f"lg_dn{over}_{wav.parent.name}_{wav.stem}_s{step}.pkl"
    if key.is_file():
        return pickle.loads(key.read_bytes())
    x = suppress_stationary_noise(load_audio(wav).mono, over=over)
    win, hop = int(seg_mod.CHUNK_S * SAMPLE_RATE), int(step * SAMPLE_RATE)
    xx = np.pad(x, (0, max(0, win - len(x))))
    starts = seg_mod._chunk_starts(len(x), win, hop)
    with torch.inference_mode():
        lg = np.concatenate([net(torch.from_numpy(np.stack([xx[s:s + win] for s in starts[b:b + 16]]))[:, None]).float().numpy()
                             for b in range(0, len(starts), 16)])
    out = (np.asarray(starts) / SAMPLE_RATE, lg, len(x) / SAMPLE_RATE)
    key.write_bytes(pickle.dumps(out))
    return out


def main() -> int:
    import torch

    from diarization_binarize import file_scores, group_row, local_diarization, logits_for
    from diarization_tune import dev_cases
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.reconstruct import LocalSegmentation

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("specs", nargs="+", help="argmax, rec:T, chunk:T or denoise:OVER")
    ap.add_argument("--quiet", type=int, nargs="*", default=[])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    torch.set_num_threads(1)
    net, cfg = seg_mod.load_segmentation()
    multi = seg_mod._powerset_to_multilabel(cfg.get("num_regular_classes", 3), cfg.get("powerset_max_classes", 2))
    p = DiarizationParams()
    CACHE.mkdir(parents=True, exist_ok=True)
    summary, per_file = {}, {}
    cases = dev_cases(quiet=tuple(args.quiet))
    for spec in args.specs:
        mode, _, th = spec.partition(":")
        res = {}
        for c, u, wav, ref in cases:
            if mode == "denoise":
                starts, lg, dur = denoised_logits(wav, p.step_s, net, cfg, spec)
                b = multi[lg.argmax(-1)]
            else:
                starts, lg, dur = logits_for(wav, p.step_s, net, cfg)
                b = fallback(lg, multi, mode, float(th or 0.5))
            seg = LocalSegmentation(starts, b, float(cfg["frame_step"]),
                                    float(cfg.get("frame_start", 0.0)) + float(cfg["frame_duration"]) / 2, dur)
            key = CACHE / f"loc_{c}_{u}_{hash(b.tobytes()) & 0xffffffff:08x}.pkl"
            res[f"{c}/{u}"] = file_scores(local_diarization(key, seg, wav, p), read_rttm(ref)[u], dur)
        per_file[spec] = res
        for g in sorted({k.split("/")[0] for k in res}):
            summary.setdefault(spec, {})[g] = group_row([x for k, x in res.items() if k.split("/")[0] == g])
            print(spec, g, json.dumps(summary[spec][g]), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/diarization_fallback_dev.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development only: pyannote-ami-excerpts + pyannote-sample, their sparse and "
                                                 "quieter versions, libri-dev conversations",
                                         "summary": summary, "per_file": per_file}, indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

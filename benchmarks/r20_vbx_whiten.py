"""Round 20 (vbx): VBx on within-speaker-whitened embeddings (benchmark only, not shipped).

The within-speaker covariance W of the centred unit CAM++ embeddings is estimated on the development readers'
conversations only (``--fit-sets``, default ``libri-dev``: readers 1688 1998 2033 2414; slots at least 80 %
one reference speaker), shrunk towards its mean variance (``--shrink``), and the features become
(x - file mean) W^-1/2 (within-speaker covariance about the identity, as VBx assumes after its PLDA); ``phi`` is
then the between / within ratio measured in that space on the same fit files. The replay of
``r20_vbx_replay.py`` then runs with those features on the sets given (the fit files' own set is optimistic).

    nice -n 10 .venv/bin/python benchmarks/r20_vbx_whiten.py --sets conv/dev_r19 ... \\
        --variants default "vbx:within=1,fa=0.15" --json benchmarks/results/r20_vbx_whiten.json
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def fit(sets: list[str], shrink: float) -> tuple[np.ndarray, dict[str, float]]:
    from diarization_count_r15_count import owners
    from diarization_der import cases
    from diarization_tune import local_for
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams

    resid, means = [], []
    for name in sets:
        for uri, wav, rttm in cases(name):
            ref = read_rttm(rttm)[uri]
            seg, emb, usable, trainable = local_for(wav, DiarizationParams().step_s, DiarizationParams())[:4]
            train = usable & trainable
            own, pur = owners(seg, ref, sorted({s for *_, s in ref}))
            spk = np.where(pur >= 0.8, own, -1)[train]
            xn = emb[train].astype(np.float64)
            xn /= np.linalg.norm(xn, axis=1, keepdims=True)
            y = xn - xn.mean(0)
            for s in np.unique(spk[spk >= 0]):
                if (spk == s).sum() >= 2:
                    mu = y[spk == s].mean(0)
                    resid.append(y[spk == s] - mu)
                    means.append(mu)
    r = np.concatenate(resid)
    w = r.T @ r / len(r)
    d = w.shape[0]
    w = (1 - shrink) * w + shrink * np.trace(w) / d * np.eye(d)
    vals, vecs = np.linalg.eigh(w)
    t = vecs @ np.diag(vals ** -0.5) @ vecs.T
    m = np.stack(means) @ t
    phi = float(np.sum((m - m.mean(0)) ** 2, axis=1).mean() / d)
    return t, {"slots": int(len(r)), "speaker_files": len(means), "phi": round(phi, 4), "shrink": shrink}


def main() -> int:
    import argparse

    import r20_vbx_replay
    from sessionscope.audio import vbx as vbx_mod

    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--fit-sets", nargs="+", default=["libri-dev"])
    ap.add_argument("--shrink", type=float, default=0.1)
    own, rest = ap.parse_known_args()
    t, info = fit(own.fit_sets, own.shrink)
    print(f"whitening fitted on {own.fit_sets}: {info}", flush=True)

    def features(xn: np.ndarray, within: float, renorm: bool = False) -> np.ndarray:
        return (xn - xn.mean(axis=0, keepdims=True)) @ t / within

    vbx_mod.features = features  # the replay's VBx runs on the whitened features
    sys.argv = [sys.argv[0], *rest]
    r20_vbx_replay.EXTRA = {"whitening": {**info, "fit_sets": own.fit_sets}}
    return r20_vbx_replay.main()


if __name__ == "__main__":
    raise SystemExit(main())

"""Shared parts of the round-13 diarization development scripts (``diarization_*_r13_diar.py``): the development
files, per-group summaries and the raw JSON. Development data only; the held-out sets are never listed here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_tune import ROOT, dev_cases  # noqa: E402  (a sibling script)

DATA_NOTE = ("dev: pyannote-ami-excerpts + pyannote-sample, their sparse versions, libri-dev, far-field seeds "
             "20261208 / 20261209")


def dev_groups(farfield2: Path = ROOT / ".cache/conv/farfield2",
               groups: tuple[str, ...] = ("pyannote-ami", "ami-sparse", "libri-dev", "farfield", "farfield2")
               ) -> list[tuple[str, str, Path, Path]]:
    """(group, uri, audio, reference) of the development groups; the pyannote sample counts as ``pyannote-ami``."""
    cases = [c for c in dev_cases(farfield=True) if c[0] in ("pyannote-sample", "pyannote-ami", "ami-sparse",
                                                              "libri-dev", "farfield")]
    cases += [("farfield2", w.stem, w, farfield2 / "reference.rttm") for w in sorted(farfield2.glob("*.wav"))]
    cases = [(("pyannote-ami" if g == "pyannote-sample" else g), u, w, r) for g, u, w, r in cases]
    return [c for c in cases if c[0] in groups]


def scores(ref, hyp, duration: float, **extra: float) -> dict[str, float]:  # noqa: ANN001
    """DER at collar 0 and 0.25, its parts at collar 0 (seconds) and whether the speaker count is right."""
    from sessionscope.audio.der import der

    r0 = der(ref, hyp, collar=0.0, uem=(0.0, duration))
    r25 = der(ref, hyp, collar=0.25, uem=(0.0, duration))
    return {"der_c0": r0.der, "der_c25": r25.der, "miss_s": r0.missed, "fa_s": r0.false_alarm, "conf_s": r0.confusion,
            "ref_s": r0.reference, "count_ok": float(len({s for *_, s in hyp}) == len({s for *_, s in ref})), **extra}


def summarise(per: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per variant and group: mean DER (c0, c0.25, %), files with the right count, summed seconds and counters."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for v, rows_by_file in per.items():
        groups: dict[str, list[dict[str, float]]] = {}
        for key, row in rows_by_file.items():
            groups.setdefault(key.split("/")[0], []).append(row)
        out[v] = {g: {"der_c0": round(100 * float(np.mean([r["der_c0"] for r in rows])), 2),
                      "der_c25": round(100 * float(np.mean([r["der_c25"] for r in rows])), 2),
                      "count_ok": int(sum(r["count_ok"] for r in rows)), "files": len(rows),
                      **{k: round(float(sum(r[k] for r in rows)), 2) for k in rows[0]
                         if k not in ("der_c0", "der_c25", "count_ok")}}
                  for g, rows in groups.items()}
        print(v, json.dumps({g: (s["der_c0"], s["der_c25"], s["count_ok"]) for g, s in out[v].items()}), flush=True)
    return out


def write_json(path: Path | None, per: dict[str, dict[str, dict[str, float]]], summary: dict, **extra: object) -> None:
    """The raw result: command, commit, data note, summary, every file's scores."""
    if path is None:
        return
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    path.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit, "data": DATA_NOTE, "summary": summary,
                                **extra,
                                "files": {v: {k: {a: round(float(b), 4) for a, b in r.items()} for k, r in rows.items()}
                                          for v, rows in per.items()}}, indent=1))


def default_clustering(loc, params):  # noqa: ANN001, ANN201
    """The default diarization's clustering of cached local results (``diarize_local``'s steps): (assignment,
    clusters after inheritance, number of voices, reconstruction weights)."""
    from sessionscope.audio.diarize import _inherit
    from sessionscope.audio.reconstruct import cluster_local_speakers, distinct_local_speakers

    seg, emb, usable, trainable, origin = loc
    mc = max(1, min(distinct_local_speakers(seg, origin, emb, usable, min_s=params.count_min_s,
                                            distance=params.count_distance), 6))
    asg = cluster_local_speakers(emb, usable, trainable, threshold=params.threshold, min_clusters=mc, max_clusters=6,
                                 min_cluster_size=params.min_cluster_size, activity=seg.binarized)
    clusters = _inherit(asg.clusters, usable, origin, seg)
    return asg, clusters, len(asg.centroids), np.hamming(seg.binarized.shape[1] + 2)[1:-1]

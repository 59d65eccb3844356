"""Round 20 (vbx): VBx-style clustering replayed on the cached local stage (segmentation + CAM++ embeddings of
the default pipeline, ``diarization_tune.local_for``) — count right and diarization-only DER (the turns of
``diarize_local`` against the reference; no transcription) per set and file, development sets only.
An extension of ``benchmarks/r19_vcall_replay.py``.

    nice -n 10 .venv/bin/python benchmarks/r20_vbx_replay.py --sets conv/dev_r19 farfield ... \\
        --variants default "vbx:fa=0.07,fb=0.8,threshold=0.6" --json benchmarks/results/r20_vbx_replay.json
    nice -n 10 .venv/bin/python benchmarks/r20_vbx_replay.py --stats --sets libri-dev conv/dev_r19 farfield \\
        pyannote-ami --json benchmarks/results/r20_vbx_stats.json

A variant is ``default`` (the shipped settings) or ``vbx:key=value,...`` (``clustering="vbx"`` with those
:class:`sessionscope.audio.vbx.VBxSettings`; ``fold=1`` keeps the small-cluster fold after VBx).
``--stats``: the within-speaker standard deviation per dimension of the VBx features (the file's trainable unit
embeddings centred) and the between-speaker variance in those units, from the slots whose speech is at least
80 % one reference speaker (``diarization_count_r15_count.owners``; what sets ``within`` and ``phi``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

HELD_OUT = {"ami", "libri-report"}
EXTRA: dict[str, Any] = {}  # recorded in the JSON (``r20_vbx_whiten.py``: how the features were whitened)


def params_for(variant: str):  # noqa: ANN201
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.vbx import VBxSettings

    if variant == "default":
        return DiarizationParams()
    kind, _, spec = variant.partition(":")
    if kind != "vbx":
        raise SystemExit(f"unknown variant {variant}")
    kw: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for item in filter(None, spec.split(",")):
        k, v = item.split("=")
        if k in ("min_cluster_size", "count_min_s", "keep_far"):
            top[k] = type(getattr(DiarizationParams, k))(v)
        else:
            kw[k] = bool(int(v)) if k in ("fold", "renorm") else int(v) if k == "dims" else float(v)
    return DiarizationParams(clustering="vbx", vbx=VBxSettings(**kw), **top)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", required=True)
    ap.add_argument("--variants", nargs="+", default=["default"])
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if HELD_OUT & set(args.sets):
        raise SystemExit("held-out sets are the lead's: development sets only")
    from diarization_count_r15_count import owners
    from diarization_der import cases
    from diarization_tune import local_for
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local
    from sessionscope.audio.vbx import features

    results: dict[str, Any] = {v: {} for v in args.variants}
    stats: dict[str, list[dict[str, Any]]] = {}
    for name in args.sets:
        for uri, wav, rttm in cases(name):
            ref = read_rttm(rttm)[uri]
            n_ref = len({s for *_, s in ref})
            local = local_for(wav, DiarizationParams().step_s, DiarizationParams())
            if args.stats:
                seg, emb, usable, trainable = local[:4]
                train = usable & trainable
                own, pur = owners(seg, ref, sorted({s for *_, s in ref}))
                spk = np.where(pur >= 0.8, own, -1)[train]
                xn = emb[train] / np.maximum(np.linalg.norm(emb[train], axis=1, keepdims=True), 1e-9)
                if len(xn) < 2:
                    continue
                y = features(xn.astype(np.float64), 1.0)
                d = y.shape[1]
                ids = [s for s in np.unique(spk[spk >= 0]) if (spk == s).sum() >= 2]
                if not ids:
                    continue
                mus = np.stack([y[spk == s].mean(0) for s in ids])
                within = float(np.mean([np.sum((y[spk == s] - mus[i]) ** 2, axis=1).mean()
                                        for i, s in enumerate(ids)]) / d)
                between = float(np.sum((mus - mus.mean(0)) ** 2, axis=1).mean() / d) if len(ids) > 1 else float("nan")
                stats.setdefault(name, []).append({"uri": uri, "speakers": len(ids), "n": int(len(y)),
                                                   "within_sd": round(within ** 0.5, 4),
                                                   "phi": round(between / within, 3)})
                continue
            dur = len(load_audio(wav).mono) / 16000
            for v in args.variants:
                p = params_for(v)
                d = diarize_local(np.zeros(1, np.float32), params=p, local=local)
                hyp = [(t.start, t.end, t.speaker) for t in d.turns]
                end = dur or max(e for _, e, _ in ref)
                row = {"set": name, "uri": uri, "ref_speakers": n_ref, "speakers": len(d.speakers)}
                for collar in (0.0, 0.25):
                    r = der(ref, hyp, collar=collar, uem=(0.0, end))
                    row[f"err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
                    row[f"conf_s_c{collar}"] = round(r.confusion, 3)
                    row[f"ref_s_c{collar}"] = round(r.reference, 3)
                results[v].setdefault(name, []).append(row)
        if args.stats:
            rows = stats.get(name, [])
            if rows:
                print(f"{name:28s} within_sd {np.median([r['within_sd'] for r in rows]):.4f} "
                      f"phi {np.nanmedian([r['phi'] for r in rows]):.3f} ({len(rows)} files)", flush=True)
            continue
        for v in args.variants:
            rows = results[v][name]
            print(f"{name:28s} {v:44s} count {sum(r['speakers'] == r['ref_speakers'] for r in rows)}/{len(rows)} "
                  f"DER c0 {100 * sum(r['err_s_c0.0'] for r in rows) / sum(r['ref_s_c0.0'] for r in rows):.2f} "
                  f"c0.25 {100 * sum(r['err_s_c0.25'] for r in rows) / sum(r['ref_s_c0.25'] for r in rows):.2f} "
                  f"wrong {[(r['uri'], r['ref_speakers'], r['speakers']) for r in rows if r['speakers'] != r['ref_speakers']]}",
                  flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "src", "benchmarks/r20_vbx_replay.py"],
                                    capture_output=True, text=True, cwd=ROOT).stdout.strip())
        head = {"command": " ".join(["benchmarks/r20_vbx_replay.py", *sys.argv[1:]]), "commit": commit,
                "uncommitted_changes": dirty, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "data": "development sets only (diarization-only turns of the cached local stage)", **EXTRA}
        if args.stats:
            summary_s = {name: {"within_sd_median": float(np.median([r["within_sd"] for r in rows])),
                                "phi_median": float(np.nanmedian([r["phi"] for r in rows])), "files": len(rows)}
                         for name, rows in stats.items()}
            args.json.write_text(json.dumps({**head, "summary": summary_s, "files": stats}, indent=1))
            return 0
        summary = {v: {name: {"count_right": sum(r["speakers"] == r["ref_speakers"] for r in rows), "files": len(rows),
                              "der_c0": round(100 * sum(r["err_s_c0.0"] for r in rows) / sum(r["ref_s_c0.0"] for r in rows), 2),
                              "der_c0.25": round(100 * sum(r["err_s_c0.25"] for r in rows)
                                                 / sum(r["ref_s_c0.25"] for r in rows), 2)}
                       for name, rows in by_set.items()} for v, by_set in results.items()}
        args.json.write_text(json.dumps({**head, "summary": summary, "files": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

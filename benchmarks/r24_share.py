"""Round 24 (issue 11): where a speaker's talk share goes wrong — per speaker, the reference talk time
against the delivered one split into missed / false alarm / given to or taken from another speaker.

    nice -n 10 .venv/bin/python benchmarks/r24_share.py --json benchmarks/results/r24_share_diag.json

Every development file runs through ``transcribe_file`` with the ``tiny.en`` configuration of the English
DER benchmarks (``benchmarks/configs/tiny_en.yaml``; the examples with the defaults), the same code path as
``sessionscope run`` and ``benchmarks/diarization_der.py`` (transcription and diarization from the result
cache when present). Scored at 10 ms frames against the reference RTTM, for the delivered turns (the
session's utterances, what the talk shares are computed from) and for the diarization's own turns:

* per reference speaker ``r`` mapped one-to-one to a delivered label ``h`` (most overlap time, as
  ``diarization_der.share_errors``): ``ref_s``, ``hyp_s``; ``miss_silence`` (r speaks, no label is on),
  ``miss_other`` (r speaks, h is off but another label is on: given to the other), ``fa_silence`` (h on,
  nobody speaks), ``fa_other`` (h on while another reference speaker speaks and r does not: taken from
  the other), ``share_err`` (signed, points) and the same at collar 0.25 (frames within 0.25 s of a
  reference boundary not scored);
* the speaker's features: level (dBFS over the frames where r speaks alone; relative to the file's
  loudest speaker), turn count, mean turn length, the share of turns under 1 s, the share of r's time in
  overlap.

Development sets only: ``conv/dev`` (libri-dev), ``conv/dev_r19``, the five ``conv/dev_r19_calls_*``,
``farfield``, ``farfield2``, ``pyannote-ami`` (four pyannote AMI excerpts and the pyannote sample) and the
bundled ``examples``. Never a held-out set.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEV_SETS = ("conv/dev", "conv/dev_r19", "conv/dev_r19_calls_clean", "conv/dev_r19_calls_phone",
            "conv/dev_r19_calls_zoom", "conv/dev_r19_calls_laptop", "conv/dev_r19_calls_opus24",
            "farfield", "farfield2", "pyannote-ami", "examples")
HELD_OUT = ("libri-report", "ami", "conv/report")
CONFIG = ROOT / "benchmarks" / "configs" / "tiny_en.yaml"
STEP = 0.01

Seg = tuple[float, float, str]


def _der_module() -> Any:
    spec = importlib.util.spec_from_file_location("diarization_der", ROOT / "benchmarks" / "diarization_der.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def frames(segs: Sequence[Seg], labels: Sequence[str], n: int) -> np.ndarray:
    """(len(labels), n) boolean activity at ``STEP``."""
    m = np.zeros((len(labels), n), dtype=bool)
    idx = {x: i for i, x in enumerate(labels)}
    for a, b, x in segs:
        if x in idx:
            m[idx[x], int(round(a / STEP)):max(int(round(b / STEP)), int(round(a / STEP)))] = True
    return m


def mapping(r: np.ndarray, h: np.ndarray) -> dict[int, int]:
    """Reference row → hypothesis row, one-to-one by most overlap frames."""
    from scipy.optimize import linear_sum_assignment

    if not len(r) or not len(h):
        return {}
    co = r.astype(np.int32) @ h.T.astype(np.int32)
    ri, hi = linear_sum_assignment(-co)
    return {int(i): int(j) for i, j in zip(ri, hi, strict=True)}


def breakdown(ref: Sequence[Seg], hyp: Sequence[Seg], dur: float, *, collar: float = 0.0) -> dict[str, dict[str, Any]]:
    """Per reference speaker: reference and hypothesis seconds and where the difference goes (see module doc).

    ``collar`` > 0 leaves out the frames within that many seconds of any reference boundary."""
    rl, hl = sorted({x for *_, x in ref}), sorted({x for *_, x in hyp})
    n = int(np.ceil(max([dur, *(e for _, e, _ in [*ref, *hyp])]) / STEP)) + 1
    r, h = frames(ref, rl, n), frames(hyp, hl, n)
    keep = np.ones(n, dtype=bool)
    if collar > 0:
        c = int(round(collar / STEP))
        for a, b, _ in ref:
            for t in (int(round(a / STEP)), int(round(b / STEP))):
                keep[max(0, t - c):t + c] = False
    m = mapping(r, h)
    rtot, htot = r.sum(), h.sum()
    out: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(rl):
        ri = r[i]
        hi = h[m[i]] if i in m else np.zeros(n, dtype=bool)
        any_h = h.any(axis=0) if len(hl) else np.zeros(n, dtype=bool)
        others_r = np.delete(r, i, axis=0).any(axis=0) if len(rl) > 1 else np.zeros(n, dtype=bool)
        k = keep
        out[name] = {
            "label": hl[m[i]] if i in m else None,
            "ref_s": round(float((ri & k).sum()) * STEP, 2), "hyp_s": round(float((hi & k).sum()) * STEP, 2),
            "hit_s": round(float((ri & hi & k).sum()) * STEP, 2),
            "miss_silence_s": round(float((ri & ~any_h & k).sum()) * STEP, 2),
            "miss_other_s": round(float((ri & ~hi & any_h & k).sum()) * STEP, 2),
            "fa_silence_s": round(float((hi & ~ri & ~others_r & k).sum()) * STEP, 2),
            "fa_other_s": round(float((hi & ~ri & others_r & k).sum()) * STEP, 2),
            "share_err": round(100 * (float(hi.sum()) / max(float(htot), 1) - float(ri.sum()) / max(float(rtot), 1)), 2)
            if collar == 0 else 0.0,
        }
    return out


def features(ref: Sequence[Seg], samples: np.ndarray, sr: int) -> dict[str, dict[str, float]]:
    """Per reference speaker: solo level (dBFS), turn count and lengths, overlap share."""
    rl = sorted({x for *_, x in ref})
    n = int(np.ceil(max(e for _, e, _ in ref) / STEP)) + 1
    r = frames(ref, rl, n)
    hop = int(sr * STEP)
    nf = min(n, len(samples) // hop)
    power = (samples[: nf * hop].astype(np.float64).reshape(nf, hop) ** 2).mean(axis=1)
    out: dict[str, dict[str, float]] = {}
    for i, name in enumerate(rl):
        solo = r[i, :nf] & (r[:, :nf].sum(axis=0) == 1)
        lens = [b - a for a, b, x in ref if x == name]
        out[name] = {
            "level_db": round(10 * np.log10(power[solo].mean() + 1e-12), 2) if solo.any() else float("nan"),
            "turns": len(lens), "mean_turn_s": round(float(np.mean(lens)), 2),
            "short_turn_share": round(float(np.mean([x < 1.0 for x in lens])), 3),
            "overlap_share": round(float((r[i] & (r.sum(axis=0) > 1)).sum()) / max(float(r[i].sum()), 1), 3),
        }
    top = max((v["level_db"] for v in out.values() if v["level_db"] == v["level_db"]), default=0.0)
    for v in out.values():
        v["rel_level_db"] = round(v["level_db"] - top, 2)
    return out


def use_edges(settings: dict[str, float]) -> None:
    """Run the pipeline with other :class:`LevelEdges` settings (a variant), cached under its own key."""
    import dataclasses

    from sessionscope.audio import pipeline
    from sessionscope.audio.reconstruct import LevelEdges

    edges = LevelEdges(**settings)
    settings_of, params_of = pipeline.diarization_settings, pipeline.diarization_params

    def diarization_settings(config: Any) -> Any:
        return dataclasses.replace(settings_of(config), edges=edges)

    def diarization_params(config: Any) -> dict[str, Any]:
        out = {k: v for k, v in params_of(config).items() if k != "level_edges"}
        return {**out, **({"level_edges": repr(edges)} if edges.on else {})}

    pipeline.diarization_settings = diarization_settings  # type: ignore[assignment]
    pipeline.diarization_params = diarization_params  # type: ignore[assignment]


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per set: mean DER c0 / c0.25 of the delivered turns, right count, talk-share error mean / max / within 5."""
    out: dict[str, Any] = {}
    for set_name in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == set_name]
        errs = [v for r in rs for v in r["share_err_abs"].values()]
        out[set_name] = {"files": len(rs),
                         **{k: round(float(np.mean([r[k] for r in rs])), 2) for k in
                            ("run_der_c0.0", "run_der_c0.25", "run_miss_c0.0", "run_fa_c0.0", "run_conf_c0.0")},
                         "count_right": f"{sum(r['ref_speakers'] == r['hyp_speakers'] for r in rs)}/{len(rs)}",
                         "share_err_mean": round(float(np.mean(errs)), 2), "share_err_max": max(errs),
                         "share_within_5pt": f"{sum(v <= 5 for v in errs)}/{len(errs)}"}
    return out


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def run_file(wav: Path, uri: str, config: Any) -> tuple[list[Seg], list[Seg], float, Any]:
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.errors import AudioError

    try:
        s = transcribe_file(wav, config=config, session_id=uri)
    except AudioError:
        return [], [], load_audio(wav).duration_s, None
    delivered = [(float(u.start), float(u.end), str(u.speaker)) for u in s.utterances
                 if u.start is not None and u.end is not None and u.end > u.start]
    internal = [(float(a), float(b), str(x)) for a, b, x in s.extra["audio"]["speaker_turns"]]
    return delivered, internal, float(s.duration_s or 0.0), s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS))
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE")
    ap.add_argument("--edges", default=None, metavar="JSON",
                    help='LevelEdges settings to run instead of the default, e.g. \'{"extend_s": 0}\' (off); keyed apart in the cache')
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    if args.edges is not None:
        use_edges(json.loads(args.edges))
    bad = [s for s in args.sets if s in HELD_OUT or s.startswith("conv/report")]
    if bad:
        raise SystemExit(f"held-out sets are not for this script: {bad}")
    dd = _der_module()
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config

    overrides = dd.parse_overrides(args.overrides)
    rows = []
    for set_name in args.sets:
        config = load_config(None if set_name == "examples" else CONFIG, overrides=overrides or None)
        for uri, wav, rttm in dd.cases(set_name):
            ref = read_rttm(rttm)[uri]
            delivered, internal, dur, _ = run_file(wav, uri, config)
            audio = load_audio(wav)
            samples = audio.mono
            dur = dur or audio.duration_s
            row: dict[str, Any] = {"set": set_name, "uri": uri, "dur": round(dur, 2),
                                   "ref_speakers": len({x for *_, x in ref}),
                                   "hyp_speakers": len({x for *_, x in delivered}),
                                   "features": features(ref, samples, audio.sample_rate),
                                   "share_err_abs": dd.share_errors(ref, delivered)}
            for name, hyp in (("run", delivered), ("diar", internal)):
                row[name] = breakdown(ref, hyp, dur)
                row[f"{name}_c025"] = breakdown(ref, hyp, dur, collar=0.25)
                for c in (0.0, 0.25):
                    row.update({f"{name}_{k}": v for k, v in dd.der_parts(ref, hyp, dur).items()
                                if k.startswith(("der_c", "miss_c", "fa_c", "conf_c")) and k.endswith(f"c{c}")})
            rows.append(row)
            print(json.dumps({k: row[k] for k in ("set", "uri", "share_err_abs", "run_der_c0.0", "run_der_c0.25")}), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "command": " ".join(["benchmarks/r24_share.py", *sys.argv[1:]]), "commit": git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "config": str(CONFIG.relative_to(ROOT)),
        "data": "development sets only (and the bundled examples, default config)", "overrides": overrides,
        "edges": args.edges, "summary": summary(rows), "rows": rows}, indent=1))
    print(json.dumps(summary(rows), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 25 (issue 11): quiet pauses cut out of turns (``LevelEdges.carve_s`` / ``carve_share``) on top of the
shipped turn-edge growth (0.8 s / 15 %), through ``run``'s code path, on the development audio.

    nice -n 10 .venv/bin/python benchmarks/r25_pauses.py --json benchmarks/results/r25_pauses_grid.json

Every development file runs through ``transcribe_file`` (``benchmarks/configs/tiny_en.yaml``; the bundled
examples with the defaults), as ``benchmarks/r24_share.py --edges`` does, once per variant: the baseline (the
shipped growth, no carving; read from the result cache like ``run``) and each ``--grid`` setting. The
segmentation and embedding models run once per file for all variants (their outputs are memoised in memory per
file: the diarization of a variant then differs from a fresh one only in :func:`reconstruct.level_edges`); a
check per file reruns the baseline diarization through the memo and compares it with the cached one
(``memo_check``: identical turns expected). Variants are cached under their own keys, as ``--edges`` is.

Per file and variant: DER of the delivered turns (the session's utterances, what talk time is computed from) at
collar 0 / 0.25 with its parts, the speaker count, the talk-share errors (points, per reference speaker), the
delivered and reference talk time (union per speaker, s), and the within-turn pauses of
``dynamics.pauses`` (silences of at least ``turn_merge_gap_s`` between one speaker's utterances of one turn) of
the delivered utterances and of the reference segments. Development sets only; never a held-out set.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BASE = {"extend_s": 0.8, "share": 0.15}
GRID = ({"carve_s": 0.5, "carve_share": 0.2}, {"carve_s": 0.5, "carve_share": 0.3},
        {"carve_s": 0.8, "carve_share": 0.2}, {"carve_s": 0.8, "carve_share": 0.3})
SETS = ("conv/dev", "conv/dev_r19", "conv/dev_r19_minrun", "conv/dev_r19_calls_clean", "conv/dev_r19_calls_phone",
        "conv/dev_r19_calls_zoom", "conv/dev_r19_calls_laptop", "conv/dev_r19_calls_opus24", "farfield", "farfield2",
        "pyannote-ami", "examples")


def _module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Variants:
    """Switchable :class:`LevelEdges` for the pipeline (as ``r24_share.use_edges``, one at a time) and the
    segmentation / embedding outputs memoised for the current file."""

    def __init__(self) -> None:
        from sessionscope.audio import diarize, pipeline
        from sessionscope.audio import segmentation as seg_mod
        from sessionscope.audio.reconstruct import LevelEdges

        self.edges = LevelEdges(**BASE)
        self.memo: dict[tuple[Any, ...], Any] = {}
        self.model_calls = 0
        settings_of, params_of = pipeline.diarization_settings, pipeline.diarization_params
        seg_of, emb_of = seg_mod.local_segmentation, diarize.local_embeddings

        def diarization_settings(config: Any) -> Any:
            return dataclasses.replace(settings_of(config), edges=self.edges)

        def diarization_params(config: Any) -> dict[str, Any]:
            out = {k: v for k, v in params_of(config).items() if k != "level_edges"}
            return {**out, **({"level_edges": repr(self.edges)} if self.edges.on else {})}

        def memoised(fn: Any, tag: str) -> Any:
            def call(samples: np.ndarray, *args: Any, **kw: Any) -> Any:
                key = (tag, hashlib.sha1(samples.tobytes()).hexdigest(), repr(args),
                       repr(sorted((k, v) for k, v in kw.items() if k != "hook")))
                if key not in self.memo:
                    self.model_calls += 1
                    self.memo[key] = fn(samples, *args, **kw)
                return copy.deepcopy(self.memo[key])
            return call

        pipeline.diarization_settings = diarization_settings  # type: ignore[assignment]
        pipeline.diarization_params = diarization_params  # type: ignore[assignment]
        seg_mod.local_segmentation = memoised(seg_of, "seg")  # type: ignore[assignment]
        diarize.local_embeddings = memoised(emb_of, "emb")  # type: ignore[assignment]

    def use(self, carve: dict[str, float] | None) -> str:
        from sessionscope.audio.reconstruct import LevelEdges

        self.edges = LevelEdges(**BASE, **(carve or {}))
        return "base" if not carve else f"carve{carve['carve_s']}_{carve['carve_share']}"


def talk(segs: list[tuple[float, float, str]]) -> dict[str, float]:
    from sessionscope.analysis import intervals as iv

    return {s: round(iv.total(iv.merge((a, b) for a, b, x in segs if x == s)), 2) for s in sorted({x for *_, x in segs})}


def pause_stats(utts: list[Any], cfg: Any) -> dict[str, float]:
    """Within-turn pauses as ``dynamics`` reports them (count, total s)."""
    from sessionscope.analysis.dynamics import build_turns, pauses

    utts = sorted(utts, key=lambda u: u.start)
    found = pauses(build_turns(utts, cfg), utts, cfg)
    flat = [p for v in found.values() for p in v]
    return {"pauses": len(flat), "pause_total_s": round(float(sum(flat)), 2)}


def memo_check(wav: Path, config: Any, variants: Variants, cached_turns: list[Any]) -> bool:
    """The baseline diarization through the memo equals the cached one (the memo changes nothing)."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import diarize
    from sessionscope.audio.pipeline import diarization_settings

    dc = config.diarization
    variants.use(None)
    result = diarize(load_audio(wav).mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                     window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                     vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(config))
    mine = [(round(t.start, 3), round(t.end, 3), t.speaker) for t in result.turns]
    return mine == [(round(float(a), 3), round(float(b), 3), str(x)) for a, b, x in cached_turns]


def summary(rows: list[dict[str, Any]], variant: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for set_name in dict.fromkeys(r["set"] for r in rows):
        rs = [r[variant] for r in rows if r["set"] == set_name]
        meta = [r for r in rows if r["set"] == set_name]
        errs = [v for r in rs for v in r["share_err_abs"].values()]
        out[set_name] = {
            "files": len(rs), **{k: round(float(np.mean([r[k] for r in rs])), 2) for k in
                                 ("der_c0.0", "der_c0.25", "miss_c0.0", "fa_c0.0", "conf_c0.0", "miss_c0.25", "fa_c0.25")},
            "count_right": sum(m["ref_speakers"] == r["hyp_speakers"] for m, r in zip(meta, rs, strict=True)),
            "share_err_mean": round(float(np.mean(errs)), 2), "share_err_max": max(errs),
            "share_within_5pt": sum(v <= 5 for v in errs), "speakers": len(errs),
            "talk_s": round(sum(sum(r["talk_s"].values()) for r in rs), 1),
            "ref_talk_s": round(sum(sum(m["ref_talk_s"].values()) for m in meta), 1),
            "pauses": sum(r["pauses"] for r in rs), "pause_total_s": round(sum(r["pause_total_s"] for r in rs), 1),
            "ref_pauses": sum(m["ref_pauses"]["pauses"] for m in meta),
            "ref_pause_total_s": round(sum(m["ref_pauses"]["pause_total_s"] for m in meta), 1)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--grid", default=json.dumps(GRID), metavar="JSON", help="list of {carve_s, carve_share} settings")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    share = _module("r24_share")
    bad = [s for s in args.sets if s in share.HELD_OUT or s.startswith("conv/report")]
    if bad:
        raise SystemExit(f"held-out sets are not for this script: {bad}")
    grid = json.loads(args.grid)
    dd = share._der_module()
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config
    from sessionscope.model.types import Utterance

    variants = Variants()
    rows: list[dict[str, Any]] = []
    t0 = time.time()
    for set_name in args.sets:
        config = load_config(None if set_name == "examples" else share.CONFIG)
        for uri, wav, rttm in dd.cases(set_name):
            ref = read_rttm(rttm)[uri]
            ref_utts = [Utterance(id=f"r{i}", speaker=x, text="", start=a, end=b) for i, (a, b, x) in enumerate(ref)]
            row: dict[str, Any] = {"set": set_name, "uri": uri, "ref_speakers": len({x for *_, x in ref}),
                                   "ref_talk_s": talk(ref), "ref_pauses": pause_stats(ref_utts, config.dynamics)}
            cached: list[Any] = []
            for carve in [None, *grid]:
                name = variants.use(carve)
                delivered, internal, dur, session = share.run_file(wav, uri, config)
                if carve is None:
                    cached = internal
                row["dur"] = round(dur, 2)
                row[name] = {"hyp_speakers": len({x for *_, x in delivered}), "share_err_abs": dd.share_errors(ref, delivered),
                             "talk_s": talk(delivered),
                             **pause_stats([u for u in (session.utterances if session else ()) if u.timed], config.dynamics),
                             **{k: v for k, v in dd.der_parts(ref, delivered, dur).items()
                                if k.startswith(("der_c", "miss_c", "fa_c", "conf_c"))}}
            row["memo_check"] = memo_check(wav, config, variants, cached) if cached else None
            variants.memo.clear()
            rows.append(row)
            print(json.dumps({"set": set_name, "uri": uri, "memo_check": row["memo_check"],
                              **{k: (v["der_c0.25"], v["share_err_abs"]) for k, v in row.items() if isinstance(v, dict) and "der_c0.25" in v},
                              "elapsed_s": round(time.time() - t0)}), flush=True)
    names = ["base", *(f"carve{c['carve_s']}_{c['carve_share']}" for c in grid)]
    sums = {n: summary(rows, n) for n in names}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "command": " ".join(["benchmarks/r25_pauses.py", *sys.argv[1:]]), "commit": share.git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "config": str(share.CONFIG.relative_to(ROOT)),
        "data": "development sets only (and the bundled examples, default config); no held-out set",
        "base_edges": BASE, "grid": grid, "memo_check_failed": [r["uri"] for r in rows if r["memo_check"] is False],
        "summary": sums, "rows": rows}, indent=1))
    print(json.dumps(sums, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

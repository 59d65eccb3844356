"""Round 22 (issue 11): seamless speaker changes inside running words, checked against the voices.

    nice -n 10 .venv/bin/python benchmarks/r22_wdiar_seams.py --half choose --json benchmarks/results/r22_wdiar_seams_any_choose.json
    nice -n 10 .venv/bin/python benchmarks/r22_wdiar_seams.py --half choose --grid --json benchmarks/results/r22_wdiar_seams_choose.json

The delivered turns of the development files often switch speaker with no pause inside one person's running
words (one sentence cut between two speakers), many of them exactly where two 10 s segmentation chunks (5 s
apart) are stitched (7.5, 12.5, ... s; ``--grid``: only those). Each such seam (``align.find_seams``: a
seamless change with a word within 0.3 s of it) is checked against the voices: the piece on each side (from
the seam to the next word pause over 0.3 s on that side, within its turn) is embedded
(``diarize.voice_similarities``, as ``rescore_stretches`` does: CAM++ 1.5 s windows) and compared with the
two labels' centroids; a piece of at least ``min_s`` that matches the other side's voice better than its own
by more than ``margin`` goes to the other side (the better-matching piece only, when both would:
``align.mend_seams``). Each file runs ``recognise_step`` once with the check off (``align.check_seams``
replaced by a spy that keeps the turns it is given; transcription and diarization from the cache; the
similarities computed once); ``current`` is the check off, and every setting is scored with
``r22_wdiar.evaluate`` on the same words.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("r22_wdiar", ROOT / "benchmarks" / "r22_wdiar.py")
wd = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
spec.loader.exec_module(wd)  # type: ignore[union-attr]

SETTINGS = [(m, g) for m in (0.3, 0.5, 0.75) for g in (0.0, 0.05, 0.1)]  # (min_s, margin)


def align_default_gap() -> float:
    from sessionscope.audio.align import SeamParams

    return SeamParams().gap_s


def on_grid(t: float, step_s: float = 5.0, chunk_s: float = 10.0, tol_s: float = 0.03) -> bool:
    """Whether ``t`` is where two neighbouring segmentation chunks are stitched (the middle of their overlap)."""
    x = (t - (step_s + chunk_s) / 2) % step_s
    return min(x, step_s - x) <= tol_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(wd.DEV_SETS))
    ap.add_argument("--half", choices=("choose", "confirm", "all"), default="choose")
    ap.add_argument("--settings", nargs="*", default=None, help="min_s:margin pairs (default: a grid)")
    ap.add_argument("--grid", action="store_true",
                    help="only the seams at a stitching point of the 10 s segmentation chunks 5 s apart (7.5, 12.5, ... s)")
    ap.add_argument("--gap", type=float, default=align_default_gap(),
                    help="the longest gap between the two labels' turns that is a seam (SeamParams.gap_s)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import align
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import voice_similarities
    from sessionscope.audio.pipeline import decode_step, recognise_step, seed_everything
    from sessionscope.config import load_config

    settings = [tuple(float(x) for x in s.split(":")) for s in args.settings] if args.settings else SETTINGS
    config = load_config(wd.CONFIG)
    rows: dict[str, list[dict[str, Any]]] = {"current": [], **{f"voice_seams_min{m}_margin{g}": [] for m, g in settings}}
    n_seams = 0
    seen: dict[str, Any] = {}
    orig_u, orig_r, orig_c = align.utterances_from_turns, align.rescore_stretches, align.check_seams

    def spy_u(segments: Any, turns: Any, **kw: Any) -> Any:
        seen["turns"], seen["segments"] = list(turns), list(segments)
        return orig_u(segments, turns, **kw)

    def spy_r(turns: Any, segments: Any, **kw: Any) -> Any:
        seen["voice_sims"] = kw["voice_sims"]
        return orig_r(turns, segments, **kw)

    def off_c(turns: Any, segments: Any, **kw: Any) -> Any:  # the check off: the turns it would have been given
        seen["voice_sims"] = kw["voice_sims"]
        return list(turns)

    for set_name, uri, wav, rttm, half in [f for f in wd.files(args.sets) if args.half in ("all", f[4])]:
        ref = read_rttm(rttm)[uri]
        seen.clear()
        decoded = decode_step(wav)
        seed_everything(decoded.sha256)
        align.utterances_from_turns, align.rescore_stretches, align.check_seams = spy_u, spy_r, off_c  # type: ignore[assignment]
        try:
            rec = recognise_step(decoded, config=config, language=None, n_people=0, cache=ResultCache())
        finally:
            align.utterances_from_turns, align.rescore_stretches, align.check_seams = orig_u, orig_r, orig_c  # type: ignore[assignment]
        turns = sorted(seen.get("turns", []), key=lambda x: (x.start, x.speaker))
        record: dict[str, Any] = {"segments": list(rec.asr.segments), "duration": decoded.audio.duration_s,
                  "diar_turns": [(t.start, t.end, t.speaker) for t in rec.diarization.turns] if rec.diarization else [],
                  "turns": [(t.start, t.end, t.speaker) for t in turns]}
        found = align.find_seams(turns, record["segments"], params=align.SeamParams(gap_s=args.gap)) if turns else []
        found = [sm for sm in found if on_grid(sm.at)] if args.grid else found
        n_seams += len(found)
        spans = [sp for sm in found for sp in ((sm.at - sm.left_s, sm.at), (sm.to, sm.to + sm.right_s))]
        if spans and "voice_sims" not in seen and rec.diarization is not None:  # re-scoring off (the default)
            labels = {t.speaker for t in turns}
            seen["voice_sims"] = voice_similarities(decoded.audio.mono,
                                                    {k: v for k, v in rec.diarization.centroids.items() if k in labels})
        sims = seen["voice_sims"](spans) if spans and "voice_sims" in seen else [{} for _ in spans]
        base = {"set": set_name, "uri": uri, "half": half, "seams": len(found)}
        rows["current"].append({**base, **wd.evaluate({**record, "utterances": None}, ref, tol=0.1,
                                                      utterances=wd.replay(record, align.utterances_from_turns))})
        for m, g in settings:
            fixed = align.mend_seams(turns, found, sims, params=align.SeamParams(gap_s=args.gap, min_s=m, margin=g))
            rec2 = {**record, "turns": [(t.start, t.end, t.speaker) for t in fixed]}
            rows[f"voice_seams_min{m}_margin{g}"].append(
                {**base, **wd.evaluate(rec2, ref, tol=0.1, utterances=wd.replay(rec2, align.utterances_from_turns))})
        print(f"{set_name}/{uri} seams={len(found)}", file=sys.stderr, flush=True)
    out = {}
    for name, rs in rows.items():
        p = wd.pooled(rs)
        out[name] = p
        print(f"{name:34} wder={p['wder']} wrong={p['wrong']}/{p['scored']} cuts={p['cut_sentences']} "
              f"der0={p['der_pooled_c0.0']} der.25={p['der_pooled_c0.25']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r22_wdiar_seams.py", *sys.argv[1:]]), "commit": wd.git_commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "half": args.half, "tol_s": 0.1,
            "data": "development sets only; split: even index in its set = choose, odd = confirm", "seams_checked": n_seams,
            "variants": out, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Word-backed speech (issue 11, round 9): fill what the diarization misses where the transcription heard words.

    nice -n 10 .venv/bin/python benchmarks/diarization_fill_r9_diar.py --sets farfield farfield2 pyannote-ami libri-dev \\
        --config benchmarks/configs/tiny_en.yaml --json benchmarks/results/diarization_fill_r9_diar.json

Per file, the transcription and the diarization come from ``recognise_step`` (the same code path
and result cache as ``run``: run ``diarization_der.py`` on the sets first to fill the cache); the
``none`` variant is what ``run`` delivers now. Each other variant adds turns with
:func:`sessionscope.audio.align.fill_gaps` (settings :class:`~sessionscope.audio.align.FillParams`)
before the words are placed (``align.utterances_from_turns``), and the delivered utterances are
scored like ``speakers.rttm`` (DER at collar 0 and 0.25, missed / false alarm / confusion, speaker
count). ``filled_s``: seconds added; ``filled_in_ref_s``: of those, seconds inside reference speech.
Development sets only (``diarization_der.cases``): far-field seeds 1 and 2, the pyannote AMI excerpts
and sample, the libri-dev conversations. A variant overrides the ``FillParams`` defaults of the code it
runs with (``effective`` in the JSON: the settings used). The round-9 sweeps
(``diarization_fill_r9_diar_sweep1..5.json``) ran before the defaults were chosen, on the base
``whole=True, touch_s=0, min_word_s=0, pad_to_s=0.3, min_s=0, join_s=0.3, adjacent_s=0.5, embed_min_s=1.0``;
the shipped defaults are sweep 5's ``whole-w0.1-t0.15-adj0.25-emb0.5``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from diarization_der import DATA, ROOT, cases, der_parts, share_errors

DEV_SETS = ("farfield", "farfield2", "pyannote-ami", "libri-dev")

VARIANTS: dict[str, dict[str, object] | None] = {
    "none": None,
    "default": {},  # FillParams() as shipped (= whole-w0.1-t0.15-adj0.25-emb0.5, chosen from the sweeps)
    "whole": {"min_word_s": 0.0, "touch_s": 0.0},  # every word no turn touches
    "whole-w0.1-t0.15": {"min_word_s": 0.1, "touch_s": 0.15},
    "whole-w0.1-t0.15-adj0.25": {"min_word_s": 0.1, "touch_s": 0.15, "adjacent_s": 0.25},
    "whole-w0.1-t0.15-adj0.25-emb0.5": {"min_word_s": 0.1, "touch_s": 0.15, "adjacent_s": 0.25, "embed_min_s": 0.5},
    "whole-w0.1-t0.15-adj0.1": {"min_word_s": 0.1, "touch_s": 0.15, "adjacent_s": 0.1},
    "whole-w0.1-t0.15-adj0.1-emb0.5": {"min_word_s": 0.1, "touch_s": 0.15, "adjacent_s": 0.1, "embed_min_s": 0.5},
    "whole-w0.1-t0.15-adj0": {"min_word_s": 0.1, "touch_s": 0.15, "adjacent_s": 0.0},
    "whole-w0.1-t0.15-adj0-emb0.5": {"min_word_s": 0.1, "touch_s": 0.15, "adjacent_s": 0.0, "embed_min_s": 0.5},
    "whole-w0.1-t0.15-noembed": {"min_word_s": 0.1, "touch_s": 0.15, "embed_min_s": 0.0},
    "partial": {"whole": False, "pad_to_s": 0.0, "min_s": 0.3},  # every uncovered word part (first idea)
    "partial-vad": {"whole": False, "pad_to_s": 0.0, "min_s": 0.3, "vad": True},
}


def _inside(spans: list[tuple[float, float]], ref: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(b, d) - max(a, c)) for a, b in spans for c, d in ref)


def score(ref: list, hyp: list, dur: float) -> dict[str, object]:
    return {"hyp_speakers": len({x for *_, x in hyp}), **der_parts(ref, hyp, dur), "share_err": share_errors(ref, hyp)}


def summarise(rows: list[dict], set_name: str, variant: str) -> dict[str, object]:
    rs = [r for r in rows if r["set"] == set_name and r["variant"] == variant]
    out: dict[str, object] = {"files": len(rs)}
    for k in ("der_c0.0", "der_c0.25", "miss_c0.0", "fa_c0.0", "conf_c0.0", "miss_c0.25", "fa_c0.25", "conf_c0.25"):
        out[k] = round(float(np.mean([r[k] for r in rs])), 2)
    for c in (0.0, 0.25):
        out[f"pooled_c{c}"] = round(100 * sum(r[f"err_s_c{c}"] for r in rs) / max(sum(r[f"ref_s_c{c}"] for r in rs), 1e-9), 2)
    out["count_right"] = f"{sum(r['ref_speakers'] == r['hyp_speakers'] for r in rs)}/{len(rs)}"
    errs = [v for r in rs for v in r["share_err"].values()]
    out["share_err_mean"] = round(float(np.mean(errs)), 2)
    out["share_within_5pt"] = f"{sum(v <= 5 for v in errs)}/{len(errs)}"
    out["filled_s"] = round(sum(r["filled_s"] for r in rs), 2)
    out["filled_in_ref_s"] = round(sum(r["filled_in_ref_s"] for r in rs), 2)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS), choices=DEV_SETS)
    ap.add_argument("--config", type=Path)
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.analysis import intervals as iv
    from sessionscope.audio import align
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import nearest_voice
    from sessionscope.audio.pipeline import decode_step, recognise_step, seed_everything
    from sessionscope.config import load_config

    config = load_config(args.config)
    cache = ResultCache()
    rows = []
    for set_name in args.sets:
        for uri, wav, rttm in cases(set_name):
            ref = read_rttm(rttm)[uri]
            ref_union = iv.merge([(a, b) for a, b, _ in ref])
            decoded = decode_step(wav)
            seed_everything(decoded.sha256)
            rec = recognise_step(decoded, config=config, language=None, n_people=0, cache=cache, word_fill=None)
            diar, asr, dur = rec.diarization, rec.asr, decoded.audio.duration_s
            assert diar is not None
            voice_of = nearest_voice(decoded.audio.mono, diar.centroids)
            for variant in args.variants:
                spec = VARIANTS[variant]
                if spec is None:
                    utts = list(rec.utterances)
                    added: list[tuple[float, float]] = []
                else:
                    params = align.FillParams(**spec)  # type: ignore[arg-type]
                    turns = align.fill_gaps(diar.turns, asr.segments, params=params, speech=asr.speech, voice_of=voice_of)
                    utts = align.utterances_from_turns(asr.segments, turns)
                    added = [(t.start, t.end) for t in set(turns) - set(diar.turns)]
                hyp = [(u.start, u.end, u.speaker) for u in utts if u.end > u.start]
                row = {"set": set_name, "uri": uri, "variant": variant, "ref_speakers": len({x for *_, x in ref}),
                       **score(ref, hyp, dur), "filled_s": round(sum(e - s for s, e in iv.merge(added)), 2),
                       "filled_in_ref_s": round(_inside(iv.merge(added), ref_union), 2)}
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "share_err"}), flush=True)
    summary = {s: {v: summarise(rows, s, v) for v in args.variants} for s in args.sets}
    if "libri-dev" in args.sets:  # the two-person conversations on their own (target: <= 5 % at collar 0.25)
        pairs = [{**r, "set": "libri-dev-pairs"} for r in rows if r["set"] == "libri-dev" and r["ref_speakers"] == 2]
        summary["libri-dev-pairs"] = {v: summarise(pairs, "libri-dev-pairs", v) for v in args.variants}
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/diarization_fill_r9_diar.py", *sys.argv[1:]]), "commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "data": "development",
            "config": str(args.config or "defaults"), "variants": {v: VARIANTS[v] for v in args.variants},
            # the settings each variant ran with (a variant overrides the FillParams defaults of its commit)
            "effective": {v: None if VARIANTS[v] is None else asdict(align.FillParams(**VARIANTS[v]))  # type: ignore[arg-type]
                          for v in args.variants},
            "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 21 (turngap): invented text and the WER guard for the per-voice turn recovery (``r21_turngap_lib.recover_turns``).

    nice -n 10 .venv/bin/python benchmarks/r21_turngap_guard.py --variants r9g2,t1s0.3p0.3,t1s0.3m \\
        --stages noise,babble --json benchmarks/results/r21_turngap_guard_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_guard.py --variants t1s0.3p0.3w3,t1s0.3p0.3w3m,t1s0.3w3m \\
        --stages noise,babble --json benchmarks/results/r21_turngap_guard_w3_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_guard.py --variants r9g2,t1s0.3p0.3,t1s0.3m --stages wer \\
        --json benchmarks/results/r21_turngap_wer_dev.json

The clips of ``r20_asrgap_guard.py`` (``noise``: generated line/room noise, development phone calls with 30 s of their
own line noise inserted, far-field development meetings with every reference speech region replaced by room noise;
``babble``: four libri-dev conversations with 12 s of five summed reversed libri-dev excerpts inserted at -6 / -15 dB):
each is transcribed (model base, the defaults, recovery off), diarized as ``run`` does it (``diarize.diarize`` with
the default configuration's settings, no speaker count), then given each variant on that same first pass:
``r9g<N>`` (round 9's ``asr.recover_gaps``) and ``t<X>s<S>[o]`` (``r21_turngap_lib.recover_turns``, as in
``r21_turngap_eval.py``). Words whose middle lies in the inserted stretch (or anywhere, for an all-noise clip) are
invented.

``wer``: every ``asr_wer.py`` case (pyannote-sample, ru-pisets, ru-golos, fw-stereo, the bundled examples: development
/ example clips only), scored with ``asr_wer``'s normalisers before and after each variant (diarization from the
result cache, as ``run``'s; a channel case is diarized by channel in ``run``, so the turn recovery does not apply).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import cases, normaliser, score, totals, write_result  # noqa: E402
from r20_asrgap_guard import babble_clips, noise_clips  # noqa: E402
from r21_turngap_eval import parse_variant, run_variant  # noqa: E402


def diarize_like_run(samples: Any, config: Any) -> Any:
    from sessionscope.audio.diarize import diarize
    from sessionscope.audio.pipeline import diarization_settings

    dc = config.diarization
    return diarize(samples, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                   window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                   vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(config),
                   device="cpu")


def run_noise(names: list[str], *, babble: bool) -> dict[str, Any]:
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.config import Config
    from sessionscope.errors import AudioError

    config = Config()
    cfg = config.asr.model_copy(update={"recover_gap_s": None})
    pipe = BatchedInferencePipeline(model=get_model(cfg))
    rows: dict[str, Any] = {}
    for clip, x, span in (babble_clips() if babble else noise_clips()):
        def invented(segs: Any, span: Any = span) -> list[Any]:
            return [w for s in segs for w in s.words if span is None or span[0] <= (w.start + w.end) / 2 <= span[1]]

        try:
            r = transcribe(x, config=cfg)
        except AudioError:
            rows[clip] = {"base": {"words": 0, "invented": 0}, "note": "no speech found by the transcription"}
            print(clip, rows[clip], flush=True)
            continue
        diar = diarize_like_run(x, config)
        row: dict[str, Any] = {"speakers": len(diar.centroids), "turn_s": round(sum(t.end - t.start for t in diar.turns), 1),
                               "base": {"words": sum(len(s.words) for s in r.segments), "invented": len(invented(r.segments))}}
        for name in names:
            c0 = time.process_time()
            segs, gaps, windows = run_variant(parse_variant(name), pipe, x, r, diar.turns, cfg)
            inv = invented(segs)
            row[name] = {"words": sum(len(s.words) for s in segs), "invented": len(inv),
                         "invented_text": " ".join(w.text.strip() for w in inv)[:300], "stretches": len(gaps),
                         "windows": windows, "extra_cpu_s": round(time.process_time() - c0, 2)}
        rows[clip] = row
        print(clip, {k: (v["words"], v["invented"]) for k, v in row.items() if isinstance(v, dict)}, flush=True)
    keys = ["base", *names]
    return {"clips": rows, "total_invented": {k: sum(r.get(k, r["base"])["invented"] for r in rows.values()) for k in keys}}


def run_wer(names: list[str]) -> dict[str, Any]:
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import _diarize, decode_step
    from sessionscope.config import Config

    config = Config()
    cfg = config.asr.model_copy(update={"recover_gap_s": None})
    pipe = BatchedInferencePipeline(model=get_model(cfg))
    cache = ResultCache()
    rows: dict[str, list[dict[str, Any]]] = {}
    detail: dict[str, Any] = {}
    for case, wav, lang, ref, channel in cases():
        decoded = decode_step(Path(wav))
        samples = decoded.audio.mono if channel is None else decoded.audio.channels[channel]
        norm, _ = normaliser(lang)
        r = transcribe(samples, config=cfg, language=None, source_rate=decoded.audio.source_rate)
        turns = () if channel is not None else _diarize(decoded, config, None, cache, None, samples=samples).turns
        detail[case] = {"language_ref": lang}
        for name in ["base", *names]:
            segs = list(r.segments)
            if name != "base" and turns:
                segs = run_variant(parse_variant(name), pipe, samples, r, turns, cfg)[0]
            text = " ".join(s.text for s in segs)
            sc = {**score(norm(ref), norm(text)), "language_ref": lang}
            rows.setdefault(name, []).append(sc)
            detail[case][name] = {"wer": sc["wer"], "hyp_words": sc["hyp_words"]}
            if name != "base" and text != " ".join(s.text for s in r.segments):
                detail[case][name]["text"] = text
        print(case, {k: v["wer"] for k, v in detail[case].items() if isinstance(v, dict)}, flush=True)
    out: dict[str, Any] = {"clips": detail}
    for k, rs in rows.items():
        out[k] = {lang: totals([x for x in rs if x["language_ref"] == lang]) for lang in ("en", "ru")}
        print(k, out[k], flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="r9g2,t1.5s0.5,t2s0.5")
    ap.add_argument("--stages", default="noise,babble")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    names = args.variants.split(",")
    payload: dict[str, Any] = {"variants": names}
    if "noise" in args.stages:
        payload["noise"] = run_noise(names, babble=False)
        print(payload["noise"]["total_invented"], flush=True)
    if "babble" in args.stages:
        payload["babble"] = run_noise(names, babble=True)
        print(payload["babble"]["total_invented"], flush=True)
    if "wer" in args.stages:
        payload["wer"] = run_wer(names)
    if args.json:
        write_result(args.json, "r21_turngap_guard.py", "generated noise; DEVELOPMENT phone calls, far-field meetings "
                     "with speech removed, libri-dev conversations with reversed babble; asr_wer cases "
                     "(development / example clips)", payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

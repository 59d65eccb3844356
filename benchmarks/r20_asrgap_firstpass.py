"""Round 20 (asrgap): does a first-pass option of faster-whisper's batched pipeline make it skip less speech?

    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_firstpass.py --variants base,ts \\
        --json benchmarks/results/r20_asrgap_firstpass_dev.json     # (run with --variants base,ts,c20)
    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_firstpass.py --variants base,ts --recover base,ts \\
        --json benchmarks/results/r20_asrgap_recover_dev.json
    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_firstpass.py --variants base --recover base --gaps 4,6 \\
        --json benchmarks/results/r20_asrgap_recover_n_dev.json
    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_firstpass.py --variants base --recover base --gaps 2 \\
        --only farfield,libri-dev,pyannote-ami-excerpts --json benchmarks/results/r20_asrgap_recover_wordp_dev.json

Per development file (``asr_gaps_r9.rows_for("dev")``: pyannote-ami-excerpts, pyannote-sample, simulated far-field
meetings, libri-dev conversations) and per variant, ``asr.transcribe`` (model base, the defaults, recovery off)
with extra keyword arguments given to ``BatchedInferencePipeline.transcribe`` (the first pass only):

* ``base``: as shipped (``without_timestamps=True``, faster-whisper's batched default);
* ``ts``: ``without_timestamps=False`` (Whisper writes timestamp tokens, as in its long-form training);
* ``c20`` / ``c15``: ``chunk_length`` 20 / 15 s (shorter packed chunks, more encoder windows).

``--recover V --gaps N,..``: on variant V's result, also the round-9 second pass (``asr.recover_gaps``, stretches
with N s or more of VAD speech and no word decoded again alone), its extra CPU and each recovered segment with
Whisper's scores (``avg_logprob``, ``no_speech_prob``, ``compression_ratio``) and its words outside reference speech.

Figures per file: delivered words, uncovered VAD speech (``asr.uncovered``, 2 s), words outside reference
speech (widened 0.5 s), the transcription's CPU seconds (``time.process_time``, model loaded beforehand).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_gaps_r9 import rows_for, word_stats  # noqa: E402
from asr_language import outside_speech  # noqa: E402
from asr_wer import write_result  # noqa: E402

VARIANTS: dict[str, dict[str, Any]] = {
    "base": {},
    "ts": {"without_timestamps": False},
    "c20": {"chunk_length": 20},
    "c15": {"chunk_length": 15},
}


class patched_first_pass:
    """Inject ``extra`` into every ``BatchedInferencePipeline.transcribe`` call without ``clip_timestamps``."""

    def __init__(self, extra: dict[str, Any]) -> None:
        self.extra = extra

    def __enter__(self) -> None:
        from faster_whisper import BatchedInferencePipeline

        self.original = orig = BatchedInferencePipeline.transcribe
        extra = self.extra

        def wrapper(pipe: Any, audio: Any, *args: Any, **kwargs: Any) -> Any:
            if not kwargs.get("clip_timestamps"):
                kwargs = {**kwargs, **extra}
            return orig(pipe, audio, *args, **kwargs)

        BatchedInferencePipeline.transcribe = wrapper  # type: ignore[method-assign]

    def __exit__(self, *exc: Any) -> None:
        from faster_whisper import BatchedInferencePipeline

        BatchedInferencePipeline.transcribe = self.original  # type: ignore[method-assign]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="base,ts")
    ap.add_argument("--recover", default="", help="variants whose result also gets the round-9 second pass (2 s)")
    ap.add_argument("--gaps", default="2", help="comma-separated minimum stretch lengths N (s) of the second pass")
    ap.add_argument("--only", default="", help="comma-separated set names or set/uri to keep")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.asr import get_model, recover_gaps, transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import AsrConfig

    cfg = AsrConfig(model="base", recover_gap_s=None)
    pipe = BatchedInferencePipeline(model=get_model(cfg))
    recover = set(filter(None, args.recover.split(",")))
    rows = rows_for("dev")
    if args.only:
        keep = set(args.only.split(","))
        rows = [r for r in rows if r[0].split("/")[0] in keep or r[0] in keep]
    names = args.variants.split(",")
    files: dict[str, Any] = {}
    for uri, wav, ref, _ in rows:
        samples = load_audio(wav).mono
        entry: dict[str, Any] = {"duration_s": round(len(samples) / 16000, 2)}
        for name in names:
            with patched_first_pass(VARIANTS[name]):
                c0 = time.process_time()
                r = transcribe(samples, config=cfg)
                cpu = time.process_time() - c0
            entry["vad_s"] = round(sum(b - a for a, b in r.speech), 2)
            entry[name] = {**word_stats(r.segments, r.speech, ref), "cpu_s": round(cpu, 2),
                           "text": " ".join(s.text for s in r.segments)}
            for gap_s in ([float(g) for g in args.gaps.split(",")] if name in recover else []):
                c0 = time.process_time()
                segs, _, gaps = recover_gaps(pipe, samples, list(r.segments), r.filtered, r.speech, language=r.language,
                                             config=cfg, min_gap_s=gap_s)
                extra = time.process_time() - c0
                entry[f"{name}+recover{gap_s:g}"] = {
                    **word_stats(segs, r.speech, ref), "cpu_s": round(cpu + extra, 2), "extra_cpu_s": round(extra, 2),
                    "decoded_s": round(sum(b - a for a, b in gaps), 2), "stretches": len(gaps),
                    "recovered": [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text,
                                   "avg_logprob": round(s.avg_logprob, 3), "no_speech_prob": round(s.no_speech_prob, 3),
                                   "compression_ratio": round(s.compression_ratio, 3),
                                   "mean_word_p": round(sum(w.probability for w in s.words) / max(1, len(s.words)), 3),
                                   "outside": len([w for w in s.words if outside_speech(w.start, w.end, ref or [], 0.5)])}
                                  for s in segs if "recovered" in s.flags]}
        files[uri] = entry
        keys = [k for k in entry if isinstance(entry[k], dict)]
        print(uri, {n: (entry[n]["words"], entry[n]["uncovered_s"], len(entry[n].get("outside_words", ())),
                        entry[n]["cpu_s"]) for n in keys}, flush=True)
    pooled: dict[str, Any] = {}
    for s in sorted({u.split("/")[0] for u in files}):
        fs = [v for u, v in files.items() if u.split("/")[0] == s]
        keys = [k for k in fs[0] if isinstance(fs[0][k], dict)]
        pooled[s] = {"files": len(fs), "vad_s": round(sum(f["vad_s"] for f in fs), 2),
                     **{n: {"words": sum(f[n]["words"] for f in fs),
                            "uncovered_s": round(sum(f[n]["uncovered_s"] for f in fs), 2),
                            "outside_words": sum(len(f[n].get("outside_words", ())) for f in fs),
                            "cpu_s": round(sum(f[n]["cpu_s"] for f in fs), 2)} for n in keys}}
        print(s, pooled[s], flush=True)
    if args.json:
        write_result(args.json, "r20_asrgap_firstpass.py", "DEVELOPMENT audio (pyannote-ami-excerpts, pyannote-sample, "
                     "simulated far-field meetings, libri-dev conversations)",
                     {"variants": {n: VARIANTS[n] for n in names}, "pooled": pooled, "files": files})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

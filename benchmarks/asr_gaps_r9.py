"""Speech that the batched transcription leaves without a word, and what decoding those stretches again recovers.

    nice -n 10 .venv/bin/python benchmarks/asr_gaps_r9.py --json benchmarks/results/asr_gaps_dev_r9_asr.json
    nice -n 10 .venv/bin/python benchmarks/asr_gaps_r9.py --sets heldout --no-sequential \\
        --json benchmarks/results/asr_gaps_heldout_r9_asr.json       # ONE run, after the choice
    nice -n 10 .venv/bin/python benchmarks/asr_gaps_r9.py --cost --json benchmarks/results/asr_gaps_cost_r9_asr.json

faster-whisper's batched pipeline packs the VAD regions into 30 s chunks and decodes each chunk once,
without timestamps; Whisper sometimes ends a chunk's text early and the rest of the chunk gets no word
(round 8: libri-dev dev00 lost everything from "I do not help watching" to "shopboy").

Per file: ``asr.transcribe`` (model base, the configured defaults) with the recovery off
(``AsrConfig(recover_gap_s=None)``): delivered words, the VAD speech (``AsrResult.speech``, the regions Whisper was
given), and the *uncovered speech*: the VAD speech inside the stretches between delivered words that hold
2 s or more of it (``asr.uncovered``; a word is taken to cover at most 1.5 s from its start, since Whisper's
alignment stretches a word over the speech it left out). Then, on that same batched result, ``asr.recover_gaps`` with each candidate
gap length N (the stretches of N s or more without a word decoded again as clips of their own, the same
options and hallucination filter): words, uncovered speech, the words recovered and their text, and the
recovery's extra CPU seconds (``time.process_time``; the model is loaded beforehand). ``after N`` equals
``transcribe`` with ``AsrConfig(recover_gap_s=N)``: it runs exactly these two steps.

Stand-in reference for the word counts (``--sequential``, default on for dev): faster-whisper's sequential
decoder (``WhisperModel.transcribe``, no batching, ``condition_on_previous_text`` off) on the *same* VAD
regions (the batched pipeline's VAD options and levelled VAD input, ``max_speech_duration_s`` 30 s),
the same language and the same hallucination filter.

Hallucination proxy: words that overlap no reference speech region widened by 0.5 s (``outside``), where a
reference exists (AMI, libri, far-field, pyannote-sample, the examples' reference.rttm).

WER (dev only, the guard): every ``asr_wer.py`` case (real clips and the bundled examples) scored before
and after with ``asr_wer``'s normalisers; a clip where nothing is recovered has the same text.

Sets. ``dev`` (the choosing data): pyannote-ami-excerpts, pyannote-sample, the simulated far-field
meetings (``.cache/conv/farfield``) and the development LibriSpeech conversations (``.cache/conv/dev``:
``librispeech_conversations.py --split dev --out .cache/conv/dev --pairs 12 --triples 4``). ``heldout``:
ami-audio-excerpts and the report LibriSpeech conversations (``.cache/conv/report``: ``--split report
--out .cache/conv/report --pairs 12 --triples 3``): one run after the choice.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_language import outside_speech, read_rttm  # noqa: E402
from asr_vad_r8 import files  # noqa: E402
from asr_wer import DATA, ROOT, cases, normaliser, score, totals, write_result  # noqa: E402

#: candidates: name → gap length N (s)
CANDIDATES = {"1.0": 1.0, "2.0": 2.0, "3.0": 3.0}
DEFAULT_CANDIDATES = "1.0,2.0,3.0"
#: the uncovered-speech measure always uses 2 s
MEASURE_GAP_S = 2.0

Row = tuple[str, Path, Optional[list[tuple[float, float]]], Optional[int]]


def rows_for(sets: str) -> list[Row]:
    """(set/uri, audio, reference regions or None, channel) of the chosen sets."""
    if sets == "dev":
        return [(u, w, r, None) for u, w, r in files("dev")]
    out: list[Row] = [(u, w, r, None) for u, w, r in files("heldout")]
    folder = ROOT / ".cache/conv/report"
    if not (folder / "reference.rttm").exists():
        raise SystemExit(f"{folder} missing: regenerate it (see the module docstring)")
    ref = read_rttm(folder / "reference.rttm")
    out += [(f"libri-report/{w.stem}", w, ref.get(w.stem, []), None) for w in sorted(folder.glob("*.wav"))]
    return out


def word_stats(segments: Any, speech: Any, ref: Optional[list[tuple[float, float]]]) -> dict[str, Any]:
    from sessionscope.audio.asr import speech_within, uncovered

    words = [w for s in segments for w in s.words]
    gaps = uncovered(speech, words, min_s=MEASURE_GAP_S)
    out: dict[str, Any] = {
        "words": len(words),
        "uncovered_s": round(sum(speech_within(speech, a, b) for a, b in gaps), 2),
        "uncovered": [[round(a, 2), round(b, 2)] for a, b in gaps],
    }
    if ref is not None:
        out["outside_words"] = [w.text.strip() for w in words if outside_speech(w.start, w.end, ref, 0.5)]
    return out


def sequential(model: Any, samples: Any, cfg: Any, language: str) -> tuple[Any, float]:
    """The sequential decoder on the batched pipeline's VAD regions: (filtered segments, CPU s)."""
    from sessionscope.audio.asr import _segment, recorded_vad, vad_parameters
    from sessionscope.audio.hallucination import filter_segments

    c0 = time.process_time()
    with recorded_vad(level=cfg.vad_normalise):
        it, _ = model.transcribe(samples, language=language, beam_size=cfg.beam_size, vad_filter=True,
                                 vad_parameters={**vad_parameters(cfg), "max_speech_duration_s": 30},
                                 word_timestamps=True, condition_on_previous_text=False)
        segs = [_segment(s, 0.0) for s in it]
    return filter_segments(segs)[0], time.process_time() - c0


def run_file(row: Row, cfg: Any, *, with_sequential: bool, model: Any, pipe: Any, names: list[str]) -> dict[str, Any]:
    from sessionscope.audio.asr import recover_gaps, transcribe
    from sessionscope.audio.decode import load_audio

    uri, wav, ref, channel = row
    audio = load_audio(wav)
    samples = audio.mono if channel is None else audio.channels[channel]
    c0 = time.process_time()
    r = transcribe(samples, config=cfg)
    cpu = time.process_time() - c0
    entry: dict[str, Any] = {
        "duration_s": round(len(samples) / 16000, 2),
        "vad_s": round(sum(b - a for a, b in r.speech), 2),
        "language": r.language,
        "before": {**word_stats(r.segments, r.speech, ref), "cpu_s": round(cpu, 2),
                   "text": " ".join(s.text for s in r.segments)},
        "after": {},
    }
    for name in names:
        c0 = time.process_time()
        segs, report, gaps = recover_gaps(pipe, samples, list(r.segments), r.filtered, r.speech, language=r.language,
                                          config=cfg, min_gap_s=CANDIDATES[name])
        extra = time.process_time() - c0
        added = [s for s in segs if "recovered" in s.flags]
        entry["after"][name] = {
            **word_stats(segs, r.speech, ref),
            "decoded_s": round(sum(b - a for a, b in gaps), 2),
            "stretches": len(gaps),
            "recovered_text": [f"{s.start:.1f}-{s.end:.1f}: {s.text}" for s in added],
            "dropped_by_filter": list(report.dropped_texts[len(r.filtered.dropped_texts):]),
            "extra_cpu_s": round(extra, 2),
            "text": " ".join(s.text for s in segs),
        }
    if with_sequential:
        segs, scpu = sequential(model, samples, cfg, r.language)
        entry["sequential"] = {**word_stats(segs, r.speech, ref), "cpu_s": round(scpu, 2)}
    b = entry["before"]
    print(uri, "words", b["words"], "uncovered", b["uncovered_s"],
          {n: (a["words"], a["uncovered_s"], len(a.get("outside_words", ()))) for n, a in entry["after"].items()},
          "seq", entry.get("sequential", {}).get("words"), flush=True)
    return entry


def pooled(per_file: dict[str, Any]) -> dict[str, Any]:
    """Per set: summed words, uncovered speech, outside words, CPU, before / after N / sequential."""
    out: dict[str, Any] = {}
    for s in sorted({u.split("/")[0] for u in per_file}):
        fs = [v for u, v in per_file.items() if u.split("/")[0] == s]

        def summ(stats: list[dict[str, Any]], cpu_key: str) -> dict[str, Any]:
            return {"words": sum(x["words"] for x in stats), "uncovered_s": round(sum(x["uncovered_s"] for x in stats), 2),
                    "outside_words": sum(len(x.get("outside_words", ())) for x in stats),
                    "cpu_s": round(sum(x.get(cpu_key, 0.0) for x in stats), 2)}

        entry = {"files": len(fs), "vad_s": round(sum(f["vad_s"] for f in fs), 2),
                 "before": summ([f["before"] for f in fs], "cpu_s"),
                 "after": {n: {**summ([f["after"][n] for f in fs], "extra_cpu_s"),
                               "decoded_s": round(sum(f["after"][n]["decoded_s"] for f in fs), 2),
                               "stretches": sum(f["after"][n]["stretches"] for f in fs)}
                           for n in fs[0]["after"]}}
        if all("sequential" in f for f in fs):
            entry["sequential"] = summ([f["sequential"] for f in fs], "cpu_s")
        out[s] = entry
    return out


def wer_guard(cfg: Any, pipe: Any, names: list[str]) -> dict[str, Any]:
    """Every asr_wer case, before and after each candidate (the same batched result)."""
    from sessionscope.audio.asr import recover_gaps, transcribe
    from sessionscope.audio.decode import load_audio

    rows: dict[str, list[dict[str, Any]]] = {"before": [], **{n: [] for n in names}}
    detail: dict[str, Any] = {}
    for name, wav, lang, ref, channel in cases():
        audio = load_audio(wav)
        samples = audio.mono if channel is None else audio.channels[channel]
        r = transcribe(samples, config=cfg)
        norm, _ = normaliser(lang)
        texts = {"before": " ".join(s.text for s in r.segments)}
        for name in names:
            segs = recover_gaps(pipe, samples, list(r.segments), r.filtered, r.speech, language=r.language,
                                config=cfg, min_gap_s=CANDIDATES[name])[0]
            texts[name] = " ".join(s.text for s in segs)
        detail[name] = {"language_ref": lang}
        for k, text in texts.items():
            sc = {**score(norm(ref), norm(text)), "language_ref": lang}
            rows[k].append(sc)
            detail[name][k] = {"wer": sc["wer"], "hyp_words": sc["hyp_words"], "text": text}
        print(name, {k: v["wer"] for k, v in detail[name].items() if isinstance(v, dict)}, flush=True)
    out: dict[str, Any] = {"clips": detail}
    for k, rs in rows.items():
        out[k] = {lang: totals([x for x in rs if x["language_ref"] == lang]) for lang in ("en", "ru")}
    return out


def cost_stage(cfg: Any, pipe: Any, rounds: int = 2) -> dict[str, Any]:
    """CPU seconds of the batched pass and of the recovery on two 5-minute recordings, alternated ``rounds`` times:
    the English example (296 s) and libri-dev dev00-dev04 concatenated (309 s)."""
    import numpy as np

    from sessionscope.audio.asr import RECOVER_GAP_S, recover_gaps, transcribe
    from sessionscope.audio.decode import load_audio

    inputs = {"examples/en_session": load_audio(ROOT / "examples/en_session/recording.ogg").mono,
              "libri-dev/dev00-dev04": np.concatenate([load_audio(ROOT / f".cache/conv/dev/dev0{i}.wav").mono
                                                       for i in range(5)])}
    out: dict[str, Any] = {}
    for name, x in inputs.items():
        runs = []
        for _ in range(rounds):
            c0 = time.process_time()
            r = transcribe(x, config=cfg)
            c1 = time.process_time()
            segs, _, gaps = recover_gaps(pipe, x, list(r.segments), r.filtered, r.speech, language=r.language,
                                         config=cfg, min_gap_s=RECOVER_GAP_S or MEASURE_GAP_S)
            runs.append({"batched_cpu_s": round(c1 - c0, 2), "recovery_cpu_s": round(time.process_time() - c1, 2),
                         "stretches": len(gaps), "words_before": sum(len(s.words) for s in r.segments),
                         "words_after": sum(len(s.words) for s in segs)})
            print(name, runs[-1], flush=True)
        out[name] = {"duration_s": round(len(x) / 16000, 1), "rounds": runs}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--only", default="", help="comma-separated set names to keep (e.g. libri-dev)")
    ap.add_argument("--no-sequential", action="store_true", help="skip the sequential stand-in reference")
    ap.add_argument("--no-wer", action="store_true", help="skip the WER guard (dev)")
    ap.add_argument("--candidates", default=DEFAULT_CANDIDATES, help=f"comma-separated, of {', '.join(CANDIDATES)}")
    ap.add_argument("--cost", action="store_true", help="only the CPU cost on two 5-minute development recordings")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.asr import get_model
    from sessionscope.config import AsrConfig

    cfg = AsrConfig(model="base", recover_gap_s=None)  # the batched pass alone; the recovery is run apart
    model = get_model(cfg)
    pipe = BatchedInferencePipeline(model=model)
    if args.cost:
        cost = cost_stage(cfg, pipe)
        if args.json:
            write_result(args.json, "asr_gaps_r9.py", "DEVELOPMENT (bundled English example; libri-dev dev00-dev04)",
                         {"cost": cost})
        return 0
    rows = rows_for(args.sets)
    if args.only:
        keep = set(args.only.split(","))
        rows = [r for r in rows if r[0].split("/")[0] in keep]
    names = args.candidates.split(",")
    per_file = {r[0]: run_file(r, cfg, with_sequential=not args.no_sequential, model=model, pipe=pipe, names=names)
                for r in rows}
    payload: dict[str, Any] = {"candidates_s": {n: CANDIDATES[n] for n in names}, "measure_gap_s": MEASURE_GAP_S,
                               "pooled": pooled(per_file), "files": per_file}
    for s, v in payload["pooled"].items():
        print(s, v, flush=True)
    if args.sets == "dev" and not args.no_wer:
        payload["wer"] = wer_guard(cfg, pipe, names)
        print({k: v for k, v in payload["wer"].items() if k != "clips"}, flush=True)
    if args.json:
        split = ("DEVELOPMENT audio (pyannote-ami-excerpts, pyannote-sample, simulated far-field meetings, libri-dev "
                 "conversations; asr_wer cases for the WER guard)" if args.sets == "dev"
                 else "HELD-OUT ami-audio-excerpts and libri-report conversations (one run after the choice)")
        write_result(args.json, "asr_gaps_r9.py", split, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

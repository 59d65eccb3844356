"""How much reference speech the transcription's Silero VAD keeps, and what it adds outside speech.

    nice -n 10 .venv/bin/python benchmarks/asr_vad_r8.py --stage vad --json benchmarks/results/asr_vad_dev_r8_vad.json
    nice -n 10 .venv/bin/python benchmarks/asr_vad_r8.py --stage words --candidates current,rms26_t50 \\
        --json benchmarks/results/asr_vad_words_dev_r8_vad.json
    nice -n 10 .venv/bin/python benchmarks/asr_vad_r8.py --sets heldout --stage vad,words \\
        --candidates current,rms26_t50 --json benchmarks/results/asr_vad_r8_vad.json   # ONE run, after the choice

Sets (``--sets dev``, the choosing data): ``pyannote-ami-excerpts`` (4 real AMI far-field clips,
``reference.rttm``), ``pyannote-sample`` (``sample.rttm``), the simulated far-field meetings
(``.cache/conv/farfield``, ``benchmarks/farfield_meetings.py``; exact references) and the
development LibriSpeech conversations (``.cache/conv/dev``, ``benchmarks/librispeech_conversations.py
--split dev``). ``--sets heldout``: ``ami-audio-excerpts`` (kept back; one run at the end).

``--stage vad``: Silero's speech probabilities are computed once per file and per level
(``none``: the audio as it is; ``rms26``: each 600 s block brought to -26 dBFS RMS, what
``decode.vad_level`` does and the diarization's VAD does before its own; ``peak20``: the whole
file scaled so that its peak 100 ms RMS (``decode.speech_level``) is -20 dBFS); every candidate
(threshold, min_silence_duration_ms, speech_pad_ms; ``max_speech_duration_s`` 30 s as the batched
pipeline sets it) is then applied to them with faster-whisper's own ``get_speech_timestamps``.
Per file: ``reference_s`` (reference speech, speakers merged), ``covered_s`` (reference speech
inside VAD regions), ``outside_s`` (VAD region time outside reference speech), ``vad_s``.
``current`` is what ``run`` used before this round: the batched pipeline's default
``VadOptions(max_speech_duration_s=30, min_silence_duration_ms=160)`` (threshold 0.5, pad 400 ms)
on the audio as it is.

``--stage words``: ``asr.transcribe`` (model base, the configured defaults but the candidate's VAD
settings) on every file: delivered words, words outside reference speech (no overlap with a
reference region widened by 0.5 s: the hallucination proxy), and the transcription's CPU time
(``time.process_time``, this process, model loaded beforehand). On dev, also WER (``asr_wer.run_case``)
on pyannote-sample and the bundled examples.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_hallucination import covered, merged  # noqa: E402
from asr_language import outside_speech, read_rttm  # noqa: E402
from asr_wer import DATA, ROOT, cases, run_case, totals, write_result  # noqa: E402

SR = 16000

#: name → (level, threshold, min_silence_duration_ms, speech_pad_ms)
Candidate = tuple[str, float, int, int]


def grid() -> dict[str, Candidate]:
    out: dict[str, Candidate] = {}
    for level in ("none", "rms26", "peak20"):
        for thr in (0.5, 0.4, 0.3, 0.2):
            for sil in (160, 1000):
                for pad in (400, 600):
                    out[f"{level}_t{int(thr * 100)}_s{sil}_p{pad}"] = (level, thr, sil, pad)
    out["current"] = out["none_t50_s160_p400"]
    # short names for the words stage
    for level in ("rms26", "peak20"):
        for thr in (0.5, 0.4, 0.3):
            out[f"{level}_t{int(thr * 100)}"] = out[f"{level}_t{int(thr * 100)}_s160_p400"]
    out["none_t30"] = out["none_t30_s160_p400"]
    return out


def files(sets: str) -> list[tuple[str, Path, list[tuple[float, float]]]]:
    """(set/uri, wav, reference regions) of the chosen sets."""
    out: list[tuple[str, Path, list[tuple[float, float]]]] = []
    if sets == "heldout":
        ref = read_rttm(DATA / "ami-audio-excerpts/reference.rttm")
        for wav in sorted((DATA / "ami-audio-excerpts").glob("*.wav")):
            out.append((f"ami-audio-excerpts/{wav.stem}", wav, ref.get(wav.stem, [])))
        return out
    ref = read_rttm(DATA / "pyannote-ami-excerpts/reference.rttm")
    for wav in sorted((DATA / "pyannote-ami-excerpts").glob("*.wav")):
        out.append((f"pyannote-ami-excerpts/{wav.stem}", wav, ref.get(wav.stem, [])))
    ref = read_rttm(DATA / "pyannote-sample/sample.rttm")
    out.append(("pyannote-sample/sample", DATA / "pyannote-sample/sample.wav", ref["sample"]))
    for name, folder in (("farfield", ROOT / ".cache/conv/farfield"), ("libri-dev", ROOT / ".cache/conv/dev")):
        if not (folder / "reference.rttm").exists():
            raise SystemExit(f"{folder} missing: regenerate it (see the module docstring)")
        ref = read_rttm(folder / "reference.rttm")
        for wav in sorted(folder.glob("*.wav")):
            out.append((f"{name}/{wav.stem}", wav, ref.get(wav.stem, [])))
    return out


def leveled(samples: Any, level: str) -> Any:
    import numpy as np

    from sessionscope.audio.decode import speech_level, vad_level

    if level == "rms26":
        return vad_level(samples)
    if level == "peak20":
        return (samples * 10 ** ((-20 - speech_level(samples)) / 20)).astype(np.float32)
    return samples


def regions_for(probs: Any, n: int, cand: Candidate) -> list[list[float]]:
    """faster-whisper's ``get_speech_timestamps`` on precomputed Silero probabilities."""
    import faster_whisper.vad as fv
    import numpy as np

    _, thr, sil, pad = cand
    opts = fv.VadOptions(threshold=thr, min_silence_duration_ms=sil, speech_pad_ms=pad, max_speech_duration_s=30)
    original = fv.get_vad_model
    fv.get_vad_model = lambda: lambda audio: probs  # type: ignore[assignment]
    try:
        ts = fv.get_speech_timestamps(np.zeros(n, dtype=np.float32), opts)
    finally:
        fv.get_vad_model = original
    return [[t["start"] / SR, t["end"] / SR] for t in ts]


def vad_stage(rows: list[tuple[str, Path, list[tuple[float, float]]]], names: list[str]) -> dict[str, Any]:
    import numpy as np
    from faster_whisper.vad import get_vad_model

    from sessionscope.audio.decode import load_audio

    g = grid()
    per_file: dict[str, Any] = {}
    for uri, wav, ref in rows:
        samples = load_audio(wav).mono
        n = len(samples)
        ref_s = sum(b - a for a, b in merged(ref, 0.0))
        entry: dict[str, Any] = {"reference_s": round(ref_s, 2), "duration_s": round(n / SR, 2), "candidates": {}}
        probs_by_level = {}
        for level in ("none", "rms26", "peak20"):
            x = leveled(samples, level)
            probs_by_level[level] = get_vad_model()(np.pad(x, (0, 512 - n % 512)))
        for name in names:
            cand = g[name]
            found = regions_for(probs_by_level[cand[0]], n, cand)
            vad_s = sum(b - a for a, b in found)
            cov = covered(ref, found)
            entry["candidates"][name] = {
                "covered_s": round(cov, 2),
                "vad_s": round(vad_s, 2),
                "outside_s": round(vad_s - cov, 2),
            }
        per_file[uri] = entry
        print(uri, {k: entry["candidates"][k] for k in ("current",) if k in entry["candidates"]}, flush=True)
    return per_file


def pooled(per_file: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Per set (the folder part of the uri) and candidate: summed seconds, coverage share."""
    sets = sorted({u.split("/")[0] for u in per_file})
    out: dict[str, Any] = {}
    for s in sets:
        rows = [v for u, v in per_file.items() if u.split("/")[0] == s]
        ref = sum(r["reference_s"] for r in rows)
        out[s] = {"files": len(rows), "reference_s": round(ref, 2), "candidates": {}}
        for name in names:
            cov = sum(r["candidates"][name]["covered_s"] for r in rows)
            outside = sum(r["candidates"][name]["outside_s"] for r in rows)
            out[s]["candidates"][name] = {
                "covered_s": round(cov, 2),
                "coverage": round(cov / ref, 4) if ref else None,
                "outside_s": round(outside, 2),
            }
    return out


def config_for(cand: Candidate) -> Any:
    from sessionscope.config import AsrConfig

    level, thr, sil, pad = cand
    return AsrConfig(
        model="base", vad_normalise=level == "rms26", vad_threshold=thr, vad_min_silence_ms=sil, vad_speech_pad_ms=pad
    )


def words_stage(rows: list[tuple[str, Path, list[tuple[float, float]]]], names: list[str], dev: bool) -> dict[str, Any]:
    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.audio.decode import load_audio

    g = grid()
    out: dict[str, Any] = {}
    for name in names:
        if g[name][0] == "peak20":
            raise SystemExit("the words stage runs the rms26 level (the one asr.transcribe implements) or none")
        cfg = config_for(g[name])
        get_model(cfg)
        per_file: dict[str, Any] = {}
        for uri, wav, ref in rows:
            samples = load_audio(wav).mono
            c0, t0 = time.process_time(), time.perf_counter()
            r = transcribe(samples, config=cfg)
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            words = [w for s in r.segments for w in s.words]
            outside = [w.text.strip() for w in words if outside_speech(w.start, w.end, ref, 0.5)]
            per_file[uri] = {
                "words": len(words),
                "outside_words": outside,
                "cpu_s": round(cpu, 2),
                "wall_s": round(wall, 2),
                "text": " ".join(s.text for s in r.segments),
            }
            print(name, uri, len(words), outside, f"cpu {cpu:.1f}s", flush=True)
        entry: dict[str, Any] = {"files": per_file, "sets": {}}
        for s in sorted({u.split("/")[0] for u in per_file}):
            fs = [v for u, v in per_file.items() if u.split("/")[0] == s]
            entry["sets"][s] = {
                "words": sum(f["words"] for f in fs),
                "outside_words": sum(len(f["outside_words"]) for f in fs),
                "cpu_s": round(sum(f["cpu_s"] for f in fs), 2),
            }
        if dev:
            wer_rows = [run_case(c, cfg) for c in cases() if c[0] == "pyannote-sample" or c[0].startswith("examples/")]
            entry["wer"] = {
                r["clip"]: {
                    k: r[k]
                    for k in ("wer", "ref_words", "hyp_words", "substitutions", "deletions", "insertions", "hypothesis")
                }
                for r in wer_rows
            }
            entry["wer_total_en"] = totals([r for r in wer_rows if r["language_ref"] == "en"])
        out[name] = entry
        print(name, entry["sets"], entry.get("wer_total_en"), flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--stage", default="vad", help="vad, words or vad,words")
    ap.add_argument("--candidates", default="", help="comma-separated names (default: the whole grid for vad)")
    ap.add_argument("--only", default="", help="comma-separated set names to keep (e.g. pyannote-ami-excerpts)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    rows = files(args.sets)
    if args.only:
        keep = set(args.only.split(","))
        rows = [r for r in rows if r[0].split("/")[0] in keep]
    g = grid()
    names = [n for n in args.candidates.split(",") if n] or [n for n in g if n.count("_") == 3]
    if "current" not in names:
        names = ["current", *names]
    payload: dict[str, Any] = {
        "candidates": {
            n: dict(zip(("level", "threshold", "min_silence_ms", "speech_pad_ms"), g[n], strict=True)) for n in names
        }
    }
    stages = args.stage.split(",")
    if "vad" in stages:
        per_file = vad_stage(rows, names)
        payload["vad"] = {"pooled": pooled(per_file, names), "files": per_file}
    if "words" in stages:
        payload["words"] = words_stage(rows, names, args.sets == "dev")
    if args.json:
        split = (
            "DEVELOPMENT audio (pyannote-ami-excerpts, pyannote-sample, simulated far-field meetings, "
            "libri-dev conversations; bundled examples for WER)"
            if args.sets == "dev"
            else "HELD-OUT ami-audio-excerpts (one run after the choice)"
        )
        write_result(args.json, "asr_vad_r8.py", split, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

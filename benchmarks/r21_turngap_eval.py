"""Round 21 (turngap): decode again the diarized turns the batched transcription left without words, per voice.

    nice -n 10 .venv/bin/python benchmarks/r21_turngap_eval.py --json benchmarks/results/r21_turngap_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_eval.py --variants r9g2,t1s0.3,t1s0.3m,t1.5s0.3m,t2s0.3m \\
        --json benchmarks/results/r21_turngap_pack_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_eval.py --variants t1s0.3p0.3,t1s0.3p0.3m,t1.5s0.3p0.3m,t1s0.3p0.6m \\
        --json benchmarks/results/r21_turngap_pad_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_eval.py --variants r9g2,t1s0.3,t1s0.3m,t1s0.3p0.3,t1s0.3p0.3m \
        --json benchmarks/results/r21_turngap_final_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_eval.py --no-dev --concat farfield \
        --variants r9g2,t1s0.3p0.3,t1s0.3m --json benchmarks/results/r21_turngap_concat_dev.json
    nice -n 10 .venv/bin/python benchmarks/r21_turngap_eval.py --no-dev --concat farfield \
        --variants t1s0.3p0.3c2,t1s0.3c3m --json benchmarks/results/r21_turngap_concat_cap_dev.json

Per development file (``asr_gaps_r9.rows_for("dev")``: pyannote-ami-excerpts dev clips, pyannote-sample, the
simulated far-field meetings, libri-dev conversations; ``--calls``: also ``.cache/conv/dev_r19_calls_<cond>``):
``asr.transcribe`` (model base, the defaults, recovery off; CPU timed), the diarization ``run`` uses
(``pipeline._diarize`` with the default configuration and no speaker count, from the result cache when there),
then on that same first-pass result, each variant (CPU timed, ``time.process_time``):

* ``r9g2`` / ``r9g4``: round 9's second pass (``asr.recover_gaps``, each stretch of >= N s of VAD speech without
  a word decoded alone);
* ``t<X>s<S>[o]``: ``r21_turngap_lib.recover_turns`` — stretches of one diarized voice (no other voice's turn), VAD speech
  too, >= X s without a word, packed per voice into clips of <= 28 s with S s of zeros between stretches,
  one Whisper window per clip; ``o``: only stretches whose voice is not the one holding most words within 15 s;
  ``m``: the voices share clips (each voice's stretches one after the other), as round 9's mixed packing;
  ``p<P>``: each stretch widened by P s on each side (not over a word, halfway to a neighbouring stretch);
  ``w<N>``: only voices whose turns hold N or more words of the first pass; ``c<K>``: at most K stretches per clip.

Figures per file and variant: delivered words, uncovered VAD speech (round 9's measure, 2 s), the speech of
single-voice both-detector stretches >= 1 s without words (``turn_gap_s``), words outside reference speech
(widened 0.5 s; the invented-text proxy), words that start a word trigram already delivered earlier in the file
(``repeat_words``: a loop or text decoded twice; the proxy cannot see those), extra CPU s, stretches and windows.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_gaps_r9 import rows_for, word_stats  # noqa: E402
from asr_language import read_rttm  # noqa: E402
from asr_wer import ROOT, write_result  # noqa: E402


def parse_variant(name: str) -> dict[str, Any]:
    if m := re.fullmatch(r"r9g([\d.]+)", name):
        return {"kind": "r9", "min_s": float(m.group(1))}
    m = re.fullmatch(r"t([\d.]+)s([\d.]+)(?:p([\d.]+))?(?:w(\d+))?(?:c(\d+))?(o?)(m?)", name)
    if not m:
        raise SystemExit(f"unknown variant {name}")
    return {"kind": "turn", "min_s": float(m.group(1)), "sep_s": float(m.group(2)), "pad_s": float(m.group(3) or 0),
            "voice_words": int(m.group(4) or 0), "per_clip": int(m.group(5) or 0), "other": bool(m.group(6)),
            "one_voice": not m.group(7)}


def call_rows(cond: str) -> list[Any]:
    folder = ROOT / f".cache/conv/dev_r19_calls_{cond}"
    ref = read_rttm(folder / "reference.rttm")
    return [(f"calls_{cond}/{w.stem}", w, ref.get(w.stem, []), None) for w in sorted(folder.glob("*.wav"))]


def run_variant(v: dict[str, Any], pipe: Any, samples: Any, r: Any, turns: Any, cfg: Any) -> tuple[Any, Any, int]:
    from r21_turngap_lib import pack_by_voice, recover_turns
    from sessionscope.audio.asr import recover_gaps

    if v["kind"] == "r9":
        segs, _, gaps = recover_gaps(pipe, samples, list(r.segments), r.filtered, r.speech, language=r.language,
                                     config=cfg, min_gap_s=v["min_s"])
        return segs, [(a, b) for a, b in gaps], len(gaps)
    segs, _, st = recover_turns(pipe, samples, list(r.segments), r.filtered, r.speech, turns, language=r.language,
                                config=cfg, min_s=v["min_s"], sep_s=v["sep_s"], other_voice_only=v["other"],
                                one_voice=v["one_voice"], pad_s=v["pad_s"], min_voice_words=v["voice_words"],
                                max_per_clip=v["per_clip"])
    return segs, [(a, b) for a, b, _ in st], len(pack_by_voice(st, sep_s=v["sep_s"], one_voice=v["one_voice"],
                                                               max_per_clip=v["per_clip"]))


def joined(rows: list[Any]) -> Any:
    """One recording of ``rows``' files back to back (1 s of silence between them), as a ``Decoded`` whose notes
    carry (the files, the reference regions moved to the joined time)."""
    import hashlib

    import numpy as np

    from sessionscope.audio.decode import Audio
    from sessionscope.audio.pipeline import Decoded, decode_step

    parts, ref, at = [], [], 0.0
    for _, wav, r, _ in rows:
        x = decode_step(Path(wav)).audio.mono
        parts += [x, np.zeros(16000, np.float32)]
        ref += [(a + at, b + at) for a, b in (r or [])]
        at += len(x) / 16000 + 1.0
    y = np.concatenate(parts).astype(np.float32)
    sha = hashlib.sha256(y.tobytes()).hexdigest()
    return Decoded(Path("joined.wav"), sha, Audio(y[None, :], "joined", source_rate=16000),
                   (" ".join(str(r[0]) for r in rows), ref))


def stats(segs: Any, speech: Any, turns: Any, ref: Any) -> dict[str, Any]:
    from r21_turngap_lib import turn_stretches
    from sessionscope.audio.asr import speech_within

    ws = [w for s in segs for w in s.words]
    st = turn_stretches(speech, turns, ws, min_s=1.0)
    out = word_stats(segs, speech, ref)
    out.pop("uncovered")
    out["outside_words"] = len(out.get("outside_words", ()))
    out["turn_gap_s"] = round(sum(speech_within(speech, a, b) for a, b, _ in st), 2)
    out["repeat_words"] = repeats(ws)
    return out


def repeats(words: Any) -> int:
    """Words (in time order) that start a word trigram already delivered earlier in the file (a loop, or text
    decoded twice)."""
    from r21_turngap_lib import _repeated_trigrams

    return _repeated_trigrams(sorted(words, key=lambda w: w.start))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="r9g2,r9g4,t1s0.5,t1.5s0.5,t2s0.5,t1.5s0.3,t1.5s1,t1.5s0.5o")
    ap.add_argument("--only", default="", help="comma-separated set names or set/uri to keep")
    ap.add_argument("--calls", default="", help="comma-separated dev call conditions (clean,zoom,phone)")
    ap.add_argument("--no-dev", action="store_true", help="only the --calls sets")
    ap.add_argument("--concat", default="", help="comma-separated sets whose files are also (or, with --no-dev, only) "
                    "joined into one long recording (1 s of silence between files; diarized as one)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import _diarize, decode_step
    from sessionscope.config import Config

    config = Config()
    cfg = config.asr.model_copy(update={"recover_gap_s": None})
    pipe = BatchedInferencePipeline(model=get_model(cfg))
    cache = ResultCache()
    rows = [] if args.no_dev else rows_for("dev")
    for cond in filter(None, args.calls.split(",")):
        rows += call_rows(cond)
    if args.only:
        keep = set(args.only.split(","))
        rows = [r for r in rows if r[0].split("/")[0] in keep or r[0] in keep]
    if args.concat:
        full = rows_for("dev") + [r for c in filter(None, args.calls.split(",")) for r in call_rows(c)]
        for s in args.concat.split(","):
            rows.append((f"concat/{s}", [r for r in full if r[0].split("/")[0] == s], None, None))
    names = args.variants.split(",")
    files: dict[str, Any] = {}
    for uri, wav, ref, _ in rows:
        decoded = joined(wav) if isinstance(wav, list) else decode_step(Path(wav))
        if isinstance(wav, list):
            ref = decoded.notes[1]
            decoded = replace(decoded, notes=())
        samples = decoded.audio.mono
        c0 = time.process_time()
        r = transcribe(samples, config=cfg, source_rate=decoded.audio.source_rate)
        cpu = time.process_time() - c0
        d0 = time.process_time()
        diar = _diarize(decoded, config, None, cache, None, samples=samples)
        diar_cpu = time.process_time() - d0
        turns = diar.turns

        entry: dict[str, Any] = {"duration_s": round(len(samples) / 16000, 2),
                                 "vad_s": round(sum(b - a for a, b in r.speech), 2), "speakers": len(diar.centroids),
                                 "diar_cpu_s": round(diar_cpu, 2), "base": {**stats(r.segments, r.speech, turns, ref), "cpu_s": round(cpu, 2)}}
        for name in names:
            v = parse_variant(name)
            c0 = time.process_time()
            segs, gaps, windows = run_variant(v, pipe, samples, r, turns, cfg)
            extra = time.process_time() - c0
            added = [s for s in segs if "recovered" in s.flags]
            entry[name] = {**stats(segs, r.speech, turns, ref), "extra_cpu_s": round(extra, 2), "stretches": len(gaps), "windows": windows,
                           "decoded_s": round(sum(b - a for a, b in gaps), 2),
                           "recovered_text": " | ".join(s.text for s in added)[:600]}
        files[uri] = entry
        print(uri, entry["base"]["words"], entry["base"]["cpu_s"],
              {n: (entry[n]["words"], entry[n]["uncovered_s"], entry[n]["outside_words"], entry[n]["extra_cpu_s"])
               for n in names}, flush=True)
    pooled: dict[str, Any] = {}
    for s in sorted({u.split("/")[0] for u in files}):
        fs = [v for u, v in files.items() if u.split("/")[0] == s]
        base_cpu = sum(f["base"]["cpu_s"] for f in fs)
        pooled[s] = {"files": len(fs), "vad_s": round(sum(f["vad_s"] for f in fs), 2),
                     "base": {k: round(sum(f["base"][k] for f in fs), 2)
                              for k in ("words", "uncovered_s", "turn_gap_s", "outside_words", "repeat_words", "cpu_s")}}
        for n in names:
            extra = sum(f[n]["extra_cpu_s"] for f in fs)
            worst = max(fs, key=lambda f, n=n: f[n]["extra_cpu_s"] / max(f["base"]["cpu_s"], 1e-9))
            pooled[s][n] = {**{k: round(sum(f[n][k] for f in fs), 2)
                               for k in ("words", "uncovered_s", "turn_gap_s", "outside_words", "repeat_words", "extra_cpu_s",
                                         "stretches", "windows")},
                            "extra_cpu_pct": round(100 * extra / base_cpu, 1),
                            "worst_file_pct": round(100 * worst[n]["extra_cpu_s"] / worst["base"]["cpu_s"], 1)}
        print(s, pooled[s], flush=True)
    allf = list(files.values())
    base_cpu = sum(f["base"]["cpu_s"] for f in allf)
    pooled["all"] = {"base_cpu_s": round(base_cpu, 2), **{
        n: {"extra_cpu_pct": round(100 * sum(f[n]["extra_cpu_s"] for f in allf) / base_cpu, 1),
            "words_added": sum(f[n]["words"] - f["base"]["words"] for f in allf),
            "outside_added": sum(f[n]["outside_words"] - f["base"]["outside_words"] for f in allf),
            "repeats_added": sum(f[n]["repeat_words"] - f["base"]["repeat_words"] for f in allf),
            "worst": max(((u, round(100 * f[n]["extra_cpu_s"] / f["base"]["cpu_s"], 1)) for u, f in files.items()),
                         key=lambda x: x[1])} for n in names}}
    print("all", pooled["all"], flush=True)
    if args.json:
        write_result(args.json, "r21_turngap_eval.py", "DEVELOPMENT audio (pyannote-ami-excerpts dev clips, "
                     "pyannote-sample, simulated far-field meetings, libri-dev conversations"
                     + (f", dev_r19 calls {args.calls}" if args.calls else "") + ")",
                     {"variants": names, "pooled": pooled, "files": files})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

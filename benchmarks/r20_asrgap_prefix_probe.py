"""Round 20 (asrgap) probe: can the skipped speech be decoded from the first pass's *own* encoder output?

    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_prefix_probe.py --only libri-dev \\
        --json benchmarks/results/r20_asrgap_prefix_probe_dev.json

70 % of the round-9 second pass's CPU is Whisper's encoder, run again on a padded 30 s window per stretch
(``r20_asrgap_profile.py``). The batched first pass already encoded every stretch, inside its packed chunk. This
probe rebuilds the first pass's chunks (the same VAD regions, ``faster_whisper.vad.collect_chunks``, 30 s) and,
for every stretch without words (``asr.uncovered``, 2 s), runs only CTranslate2's ``generate`` on that chunk's
encoder output with a *forced first timestamp*: the prompt is the start-of-transcript sequence and the timestamp
token of the stretch's start inside the chunk, so Whisper starts writing there. Kept: the text whose timestamps
lie before the stretch's end. No word timings (no alignment pass), so words are counted from the text.

Per file: the words of the stretches from this probe and from ``asr.recover_gaps`` (N = 2, the round-9 second
pass, on the same first-pass result), the probe's text next to the second pass's, and CPU seconds of the
probe's ``generate`` alone (the encoder output would be kept from the first pass; it is recomputed here and timed
apart) against the second pass's. Development files only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_gaps_r9 import rows_for  # noqa: E402
from asr_wer import write_result  # noqa: E402

SR = 16000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="libri-dev")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import ctranslate2
    import faster_whisper.transcribe as fwt
    from faster_whisper import BatchedInferencePipeline
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.vad import collect_chunks

    from sessionscope.audio.asr import get_model, recover_gaps, transcribe, uncovered
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import AsrConfig

    cfg = AsrConfig(model="base", recover_gap_s=None)
    model = get_model(cfg)
    pipe = BatchedInferencePipeline(model=model)
    keep = set(args.only.split(","))
    rows = [r for r in rows_for("dev") if r[0].split("/")[0] in keep or r[0] in keep]
    files: dict[str, Any] = {}
    for uri, wav, _, _ in rows:
        x = load_audio(wav).mono
        calls: list[list[dict[str, int]]] = []
        original = fwt.get_speech_timestamps

        def capture(audio: Any, *a: Any, _orig: Any = original, _calls: list[Any] = calls, **k: Any) -> Any:
            out = _orig(audio, *a, **k)
            _calls.append(list(out))
            return out

        fwt.get_speech_timestamps = capture
        try:
            r = transcribe(x, config=cfg)
        finally:
            fwt.get_speech_timestamps = original
        # the VAD call of the transcription itself (others, e.g. for the language, may run too)
        raw = next((c for c in calls if [(round(d["start"] / SR, 3), round(d["end"] / SR, 3)) for d in c] == list(r.speech)),
                   calls[-1])
        words = [w for s in r.segments for w in s.words]
        gaps = uncovered(r.speech, words, min_s=2.0)
        c0 = time.process_time()
        segs, _, _ = recover_gaps(pipe, x, list(r.segments), r.filtered, r.speech, language=r.language, config=cfg,
                                  min_gap_s=2.0)
        rec_cpu = time.process_time() - c0
        rec = [s for s in segs if "recovered" in s.flags]
        entry: dict[str, Any] = {"stretches": [[round(a, 2), round(b, 2)] for a, b in gaps],
                                 "second_pass": {"words": sum(len(s.words) for s in rec), "cpu_s": round(rec_cpu, 2),
                                                 "text": " ".join(s.text for s in rec)}}
        if not gaps:
            files[uri] = {**entry, "probe": {"words": 0, "generate_cpu_s": 0.0, "encode_cpu_s": 0.0, "text": ""}}
            continue
        _, meta = collect_chunks(x, raw, max_duration=30)
        # (chunk, start, end) chunk-relative for each stretch piece
        pieces: list[tuple[int, float, float]] = []
        for a, b in gaps:
            for ci, m in enumerate(meta):
                cum = 0.0
                for seg in m["segments"]:
                    s0, s1 = seg["start"] / SR, seg["end"] / SR
                    lo, hi = max(a, s0), min(b, s1)
                    if hi > lo:
                        ra, rb = cum + lo - s0, cum + hi - s0
                        if pieces and pieces[-1][0] == ci and abs(pieces[-1][2] - ra) < 0.6:
                            pieces[-1] = (ci, pieces[-1][1], rb)
                        else:
                            pieces.append((ci, ra, rb))
                    cum += s1 - s0
        chunks_needed = sorted({p[0] for p in pieces})
        audio_chunks, _ = collect_chunks(x, raw, max_duration=30)
        feats = np.stack([pad_or_trim(model.feature_extractor(audio_chunks[c])[..., :-1]) for c in chunks_needed])
        c0 = time.process_time()
        enc = np.array(model.encode(feats))
        enc_cpu = time.process_time() - c0
        tok = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=r.language)
        prompts = [list(tok.sot_sequence) + [tok.timestamp_begin + int(round(ra / 0.02))] for _, ra, _ in pieces]
        batch = ctranslate2.StorageView.from_array(np.ascontiguousarray(
            np.stack([enc[chunks_needed.index(c)] for c, _, _ in pieces])))
        c0 = time.process_time()
        results = model.model.generate(batch, prompts, beam_size=cfg.beam_size, max_length=448, return_scores=True,
                                       return_no_speech_prob=True, suppress_blank=False, suppress_tokens=[-1])
        gen_cpu = time.process_time() - c0
        texts = []
        for (_, ra, rb), res in zip(pieces, results, strict=True):
            t, cur = ra, []
            for token in res.sequences_ids[0]:
                if token >= tok.timestamp_begin:
                    t = (token - tok.timestamp_begin) * 0.02
                    continue
                if token < tok.eot and t < rb:
                    cur.append(token)
            texts.append(tok.decode(cur).strip())
        entry["probe"] = {"words": sum(len(t.split()) for t in texts), "generate_cpu_s": round(gen_cpu, 2),
                          "encode_cpu_s": round(enc_cpu, 2), "pieces": [[c, round(a, 2), round(b, 2)] for c, a, b in pieces],
                          "text": " | ".join(texts)}
        files[uri] = entry
        print(uri, "second pass", entry["second_pass"]["words"], entry["second_pass"]["cpu_s"], "probe",
              entry["probe"]["words"], entry["probe"]["generate_cpu_s"], entry["probe"]["encode_cpu_s"], flush=True)
    tot = {"second_pass_words": sum(f["second_pass"]["words"] for f in files.values()),
           "second_pass_cpu_s": round(sum(f["second_pass"]["cpu_s"] for f in files.values()), 2),
           "probe_words": sum(f["probe"]["words"] for f in files.values()),
           "probe_generate_cpu_s": round(sum(f["probe"]["generate_cpu_s"] for f in files.values()), 2),
           "probe_encode_cpu_s": round(sum(f["probe"]["encode_cpu_s"] for f in files.values()), 2)}
    print(tot)
    if args.json:
        write_result(args.json, "r20_asrgap_prefix_probe.py", f"DEVELOPMENT ({args.only})", {"total": tot, "files": files})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

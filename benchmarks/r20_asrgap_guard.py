"""Round 20 (asrgap): invented text and the WER guard for the first-pass variants of ``r20_asrgap_firstpass.py``.

    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_guard.py --variants base,ts \\
        --json benchmarks/results/r20_asrgap_guard_dev.json
    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_guard.py --variants base --recover base --stages noise \\
        --json benchmarks/results/r20_asrgap_noise_dev.json
    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_guard.py --variants base --recover base --stages babble \\
        --json benchmarks/results/r20_asrgap_babble_dev.json
    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_guard.py --variants base --recover base --stages wer --gap 4 \\
        --json benchmarks/results/r20_asrgap_wer_dev.json

Two stages, each variant given to the first pass only (``r20_asrgap_firstpass.patched_first_pass``), with
```asr.recover_gap_s`` off and, for the variants named in ``--recover``, also at ``--gap`` s (default 2: the round-9
second pass on top of that first pass):

* ``noise``: clips where every word is invented. Generated noise (seed fixed) through the simulated phone line of
  ``narrowband_noise_r20.py`` (hiss, room, hum, crackle; 60 s each), the same room noise at 16 kHz without the
  line, the first four development phone calls (``.cache/conv/dev_r19_calls_phone``) with 30 s of their own line
  noise inserted at the middle pause (``narrowband_noise_r20.gap_clip``: only words inside the inserted stretch
  count), and the first four simulated far-field development meetings (``.cache/conv/farfield``) with every
  reference speech region (widened 0.3 s) replaced by the room noise of their quietest 0.5 s, tiled: every word
  left is invented.
* ``babble``: the first four libri-dev conversations with 12 s of babble (five reversed excerpts of the other
  libri-dev conversations summed) inserted at the middle, 6 and 15 dB below the conversation's RMS
  (:func:`babble_clips`): words inside it are invented; the VAD may call it speech.
* ``wer``: every ``asr_wer.py`` case (pyannote-sample, ru-pisets, ru-golos, fw-stereo, the bundled examples:
  development / example material only, no held-out audio) scored with ``asr_wer``'s normalisers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_language import read_rttm  # noqa: E402
from asr_wer import ROOT, cases, normaliser, score, totals, write_result  # noqa: E402
from r20_asrgap_firstpass import VARIANTS, patched_first_pass  # noqa: E402

#: the second pass's minimum stretch (s), set from --gap
GAP_S = [2.0]
Clip = tuple[str, np.ndarray, Optional[tuple[float, float]]]


def noise_clips() -> list[Clip]:
    """(name, 16 kHz samples, the invented stretch or None = all of it)."""
    from scipy.signal import resample_poly

    import narrowband_noise_r20 as nb
    from call_conversations_r19_calls import pink
    from sessionscope.audio.decode import load_audio

    rng = np.random.default_rng(20261220)
    out: list[Clip] = []
    up = lambda y8: resample_poly(y8, 2, 1).astype(np.float32)  # noqa: E731
    for kind in ("hiss", "room", "hum", "crackle"):
        out.append((f"phone_{kind}", up(nb.phone_chain(nb.noise(kind, 60.0, rng))), None))
    n = 60 * 16000
    p = pink(n, rng)
    out.append(("room16", (p / (np.sqrt(np.mean(p ** 2)) + 1e-12) * 10 ** (-35 / 20)).astype(np.float32), None))
    for wav in sorted(nb.CALLS.glob("*.wav"))[:4]:
        y, at = nb.gap_clip(wav, rng)
        out.append((f"gap_{wav.stem}", up(y), (at, at + 30.0)))
    folder = ROOT / ".cache/conv/farfield"
    ref = read_rttm(folder / "reference.rttm")
    for wav in sorted(folder.glob("*.wav"))[:4]:
        x = load_audio(wav).mono.astype(np.float32).copy()
        hop = 8000
        e = [float(np.mean(x[i: i + hop] ** 2)) for i in range(0, len(x) - hop, hop)]
        quiet = x[int(np.argmin(e)) * hop: int(np.argmin(e)) * hop + hop]
        fill = np.tile(quiet, len(x) // hop + 1)[: len(x)]
        for a, b in ref.get(wav.stem, []):
            i, j = max(0, int((a - 0.3) * 16000)), min(len(x), int((b + 0.3) * 16000))
            x[i:j] = fill[i:j]
        out.append((f"nospeech_{wav.stem}", x, None))
    return out


def babble_clips() -> list[Clip]:
    """The first four libri-dev conversations with 12 s of babble inserted at the middle: five *reversed*
    excerpts of other libri-dev conversations summed (speech-like to the VAD, no words in it), at 6 and 15 dB
    below the conversation's RMS. Only words inside the inserted stretch count (invented)."""
    from sessionscope.audio.decode import load_audio

    rng = np.random.default_rng(20261221)
    wavs = sorted((ROOT / ".cache/conv/dev").glob("*.wav"))
    pool = [load_audio(w).mono.astype(np.float32) for w in wavs[4:]]
    out: list[Clip] = []
    n = 12 * 16000
    for wav in wavs[:4]:
        x = load_audio(wav).mono.astype(np.float32)
        bab = np.zeros(n, np.float32)
        for k in rng.choice(len(pool), 5, replace=False):
            src = pool[int(k)]
            at = int(rng.integers(0, len(src) - n))
            bab += src[at: at + n][::-1]
        rms = float(np.sqrt(np.mean(x ** 2)))
        bab *= rms / (float(np.sqrt(np.mean(bab ** 2))) + 1e-12)
        mid = len(x) // 2
        for db in (6, 15):
            y = np.concatenate([x[:mid], bab * 10 ** (-db / 20), x[mid:]])
            out.append((f"babble{db}_{wav.stem}", y, (mid / 16000, mid / 16000 + 12.0)))
    return out


def run_noise(names: list[str], recover: set[str], *, babble: bool = False) -> dict[str, Any]:
    from sessionscope.audio.asr import transcribe
    from sessionscope.config import AsrConfig
    from sessionscope.errors import AudioError

    rows: dict[str, Any] = {}
    for clip, x, span in (babble_clips() if babble else noise_clips()):
        rows[clip] = {}
        for name in names:
            for gap in ([None, GAP_S[0]] if name in recover else [None]):
                key = name if gap is None else f"{name}+recover{gap:g}"
                cfg = AsrConfig(model="base", recover_gap_s=gap)
                c0 = time.process_time()
                try:
                    with patched_first_pass(VARIANTS[name]):
                        r = transcribe(x, config=cfg)
                    words = [w for s in r.segments for w in s.words]
                    rec = [w for s in r.segments if "recovered" in s.flags for w in s.words]
                    segs = [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text,
                             "recovered": "recovered" in s.flags, "avg_logprob": round(s.avg_logprob, 3),
                             "no_speech_prob": round(s.no_speech_prob, 3), "compression_ratio": round(s.compression_ratio, 3),
                             "mean_word_p": round(sum(w.probability for w in s.words) / max(1, len(s.words)), 3)}
                            for s in r.segments]
                except AudioError:
                    words, rec, segs = [], [], []
                inv = [w for w in words if span is None or span[0] <= (w.start + w.end) / 2 <= span[1]]
                rows[clip][key] = {"words": len(words), "invented": len(inv), "invented_recovered":
                                   sum(1 for w in rec if w in inv), "invented_text": " ".join(w.text.strip() for w in inv),
                                   "cpu_s": round(time.process_time() - c0, 2), "segments": segs}
        print(clip, {k: (v["words"], v["invented"], v["invented_text"][:60]) for k, v in rows[clip].items()}, flush=True)
    keys = list(next(iter(rows.values())))
    return {"clips": rows, "total_invented": {k: sum(r[k]["invented"] for r in rows.values()) for k in keys}}


def run_wer(names: list[str], recover: set[str]) -> dict[str, Any]:
    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import AsrConfig

    rows: dict[str, list[dict[str, Any]]] = {}
    detail: dict[str, Any] = {}
    for case, wav, lang, ref, channel in cases():
        audio = load_audio(wav)
        samples = audio.mono if channel is None else audio.channels[channel]
        norm, _ = normaliser(lang)
        detail[case] = {"language_ref": lang}
        for name in names:
            for gap in ([None, GAP_S[0]] if name in recover else [None]):
                key = name if gap is None else f"{name}+recover{gap:g}"
                c0 = time.process_time()
                with patched_first_pass(VARIANTS[name]):
                    r = transcribe(samples, config=AsrConfig(model="base", recover_gap_s=gap))
                cpu = time.process_time() - c0
                text = " ".join(s.text for s in r.segments)
                sc = {**score(norm(ref), norm(text)), "language_ref": lang}
                rows.setdefault(key, []).append(sc)
                detail[case][key] = {"wer": sc["wer"], "hyp_words": sc["hyp_words"], "cpu_s": round(cpu, 2),
                                     "text": text}
        print(case, {k: v["wer"] for k, v in detail[case].items() if isinstance(v, dict)}, flush=True)
    out: dict[str, Any] = {"clips": detail}
    for k, rs in rows.items():
        out[k] = {lang: totals([x for x in rs if x["language_ref"] == lang]) for lang in ("en", "ru")}
        print(k, out[k], flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="base,ts")
    ap.add_argument("--recover", default="", help="variants also run with the 2 s second pass")
    ap.add_argument("--stages", default="noise,wer")
    ap.add_argument("--gap", type=float, default=2.0, help="the second pass's minimum stretch N (s)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    GAP_S[0] = args.gap
    names, recover = args.variants.split(","), set(filter(None, args.recover.split(",")))
    payload: dict[str, Any] = {"variants": {n: VARIANTS[n] for n in names}, "recover": sorted(recover), "gap_s": args.gap}
    if "noise" in args.stages:
        payload["noise"] = run_noise(names, recover)
        print(payload["noise"]["total_invented"], flush=True)
    if "babble" in args.stages:
        payload["babble"] = run_noise(names, recover, babble=True)
        print(payload["babble"]["total_invented"], flush=True)
    if "wer" in args.stages:
        payload["wer"] = run_wer(names, recover)
    if args.json:
        write_result(args.json, "r20_asrgap_guard.py", "generated noise; DEVELOPMENT phone calls and far-field meetings "
                     "with speech removed; asr_wer cases (development / example clips)", payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Call-like versions of development two-person conversations, with the clean mix's exact reference.

    .venv/bin/python benchmarks/call_conversations_r19_calls.py            # all conditions, 12 pairs
    .venv/bin/python benchmarks/diarization_der.py --sets conv/dev_r19_calls_clean conv/dev_r19_calls_phone ...

Round 19 (issue 11): mentoring sessions are mostly recorded online calls (Zoom/Teams/Meet) and phone calls;
everything measured for pairs before was clean 16 kHz read speech mixed digitally. This script regenerates
the development conversations of ``librispeech_conversations.py --split dev --perturb 0.9 1.1 --seed 20261219``
(readers 1688, 1998, 2033, 2414 and their speed-perturbed copies; the same audio as ``.cache/conv/dev_r19``),
keeps each speaker's own track and processes the two sides the way a call does, then writes
``.cache/conv/dev_r19_calls_<condition>/`` (``<uri>.wav``, the unchanged ``reference.rttm`` of those
conversations, ``conversations.json`` with every random setting and the measured codec delays):

* ``clean``: the mix as generated (byte-identical to ``dev_r19``'s first 12 files);
* ``phone``: per side a handset colouring and a level offset (±6 dB), 300-3400 Hz band limit, AMR-NB
  12.2 kbit/s per direction (the mobile network's codec), summed at 8 kHz with line noise, G.711 μ-law
  8-bit; written as an 8 kHz file (the pipeline's decoder resamples it);
* ``opus24``: the clean mix through Opus at 24 kbit/s (16 kHz, wideband; the codec alone);
* ``laptop``: per side a laptop-microphone colouring (high-pass, low-pass 5-7 kHz, one ±6 dB resonance),
  a short room reverb (RT60 0.2-0.5 s, synthetic exponential tail after the direct path), the side's own
  room noise (pink, 15-25 dB below its speech, always on: both microphones stay open) and a level offset;
* ``zoom``: ``laptop`` plus what a recorded video call adds: the remote side through Opus 24 kbit/s, the
  echo canceller's double-talk suppression (where both talk, the side that started later is ducked by
  12 dB), and the recording stored as AAC 32 kbit/s.

Speech does not move in time: the filters are zero-phase (``sosfiltfilt``), the reverb's direct path is at
lag 0, and every codec round trip is re-aligned by the cross-correlation lag it shows against its input
(measured and stored: Opus in Ogg and AMR in .amr come back aligned, raw AAC in ADTS 1024 samples late). The
reverb tail and the codec's smearing are not speech and the reference does not count them (as on a real call).
Development readers only; never the report readers.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from librispeech_conversations import DATA, SR, conversations, write_wav  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONDITIONS = ("clean", "phone", "opus24", "laptop", "zoom")


def codec_roundtrip(x: np.ndarray, sr: int, codec: str, fmt: str, rate: int, bitrate: int) -> tuple[np.ndarray, int]:
    """``x`` (float, ``sr`` Hz) encoded with PyAV's ``codec`` at ``rate`` Hz and ``bitrate`` and decoded back to
    ``sr``, re-aligned to the input; returns the audio (same length) and the lag removed (samples at ``sr``)."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as c:
        s = c.add_stream(codec, rate=rate)
        s.bit_rate = bitrate
        s.layout = "mono"
        frame = av.AudioFrame.from_ndarray((np.clip(x, -1, 1) * 32767).astype(np.int16)[None, :], format="s16",
                                           layout="mono")
        frame.sample_rate = sr
        rs = av.AudioResampler(format=s.format.name, layout="mono", rate=rate)
        for f in [*rs.resample(frame), *rs.resample(None)]:
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode(None):
            c.mux(p)
    buf.seek(0)
    out = []
    with av.open(buf, "r") as c:
        rs = av.AudioResampler(format="flt", layout="mono", rate=sr)
        for f in c.decode(audio=0):
            out += [g.to_ndarray()[0] for g in rs.resample(f)]
        out += [g.to_ndarray()[0] for g in rs.resample(None)]
    y = np.concatenate(out).astype(np.float64)
    lag = best_lag(x, y, max_lag=sr // 4)
    y = y[lag:] if lag >= 0 else np.concatenate([np.zeros(-lag), y])
    y = np.concatenate([y, np.zeros(max(0, len(x) - len(y)))])[: len(x)]
    return y, lag


def best_lag(x: np.ndarray, y: np.ndarray, *, max_lag: int) -> int:
    """The lag (samples, ``y`` late when positive) at which ``y`` best matches ``x`` (cross-correlation peak)."""
    n = 1 << int(np.ceil(np.log2(len(x) + len(y))))
    cc = np.fft.irfft(np.fft.rfft(y, n) * np.conj(np.fft.rfft(x, n)), n)
    lags = np.concatenate([np.arange(0, max_lag + 1), np.arange(-max_lag, 0)])
    vals = np.concatenate([cc[: max_lag + 1], cc[n - max_lag:]])
    return int(lags[int(np.argmax(vals))])


def peaking(f0: float, gain_db: float, q: float, sr: int) -> np.ndarray:
    """An RBJ peaking-EQ biquad as one second-order section."""
    a = 10 ** (gain_db / 40)
    w = 2 * np.pi * f0 / sr
    al = np.sin(w) / (2 * q)
    b0, b1, b2 = 1 + al * a, -2 * np.cos(w), 1 - al * a
    a0, a1, a2 = 1 + al / a, -2 * np.cos(w), 1 - al / a
    return np.array([[b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0]])


def colour(x: np.ndarray, rng: np.random.Generator, *, hp: tuple[float, float], lp: tuple[float, float] | None,
           sr: int = SR) -> tuple[np.ndarray, dict[str, float]]:
    """A microphone's colouring, zero-phase: a high-pass, an optional low-pass and one resonance (±6 dB)."""
    from scipy.signal import butter, sosfiltfilt

    p = {"hp_hz": float(rng.uniform(*hp)), "peak_hz": float(rng.uniform(1200, 4000)),
         "peak_db": float(rng.uniform(-6, 6))}
    sos = [butter(2, p["hp_hz"], "highpass", fs=sr, output="sos"), peaking(p["peak_hz"], p["peak_db"], 1.0, sr)]
    if lp is not None:
        p["lp_hz"] = float(rng.uniform(*lp))
        sos.append(butter(4, p["lp_hz"], "lowpass", fs=sr, output="sos"))
    return sosfiltfilt(np.concatenate(sos), x), p


def reverb(x: np.ndarray, rng: np.random.Generator, rt60: float, sr: int = SR) -> np.ndarray:
    """A small room: the direct path at lag 0 plus an exponentially decaying noise tail from 3 ms
    (direct-to-reverberant ratio about 6 dB), causal, same length."""
    from scipy.signal import fftconvolve

    n = int(rt60 * sr)
    t = np.arange(n) / sr
    tail = rng.normal(0, 1, n) * 10 ** (-3 * t / rt60)
    tail[: int(0.003 * sr)] = 0
    tail *= np.sqrt(10 ** (-6 / 10) / np.sum(tail ** 2))
    tail[0] = 1.0
    return fftconvolve(x, tail)[: len(x)]


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS pink (1/f power) noise."""
    spec = np.fft.rfft(rng.normal(0, 1, n))
    f = np.arange(len(spec))
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    y = np.fft.irfft(spec, n)
    return y / (np.sqrt(np.mean(y ** 2)) + 1e-12)


def speech_rms(x: np.ndarray, turns: list[tuple[float, float]], sr: int = SR) -> float:
    idx = np.zeros(len(x), dtype=bool)
    for a, b in turns:
        idx[int(a * sr): int(b * sr)] = True
    return float(np.sqrt(np.mean(x[idx] ** 2))) if idx.any() else 1e-4


def mulaw(x: np.ndarray, mu: int = 255) -> np.ndarray:
    """G.711 μ-law 8-bit quantisation (encode and decode)."""
    y = np.sign(x) * np.log1p(mu * np.minimum(np.abs(x), 1.0)) / np.log1p(mu)
    q = np.round((y + 1) / 2 * 255) / 255 * 2 - 1
    return np.sign(q) * ((1 + mu) ** np.abs(q) - 1) / mu


def process(cond: str, mix: np.ndarray, stems: dict[str, np.ndarray], ref: list[tuple[float, float, str]],
            rng: np.random.Generator) -> tuple[np.ndarray, int, dict]:
    """The condition's audio (float), its sample rate and the settings drawn."""
    from scipy.signal import butter, resample_poly, sosfiltfilt

    info: dict = {}
    if cond == "clean":
        return mix, SR, info
    if cond == "opus24":
        y, lag = codec_roundtrip(mix.astype(np.float64), SR, "libopus", "ogg", 16000, 24000)
        return y, SR, {"codec_lag_samples": lag}
    sides = sorted(stems)
    turns = {s: [(a, b) for a, b, w in ref if w == s] for s in sides}
    out = np.zeros(len(mix))
    if cond == "phone":
        band = butter(4, [300, 3400], "bandpass", fs=SR, output="sos")
        out8 = np.zeros(len(mix) // 2)
        for s in sides:
            x, p = colour(stems[s].astype(np.float64), rng, hp=(200, 350), lp=None)
            p["level_db"] = float(rng.uniform(-6, 6))
            x = sosfiltfilt(band, x) * 10 ** (p["level_db"] / 20)
            x8 = resample_poly(x, 1, 2)[: len(out8)]
            y, lag = codec_roundtrip(x8, 8000, "libopencore_amrnb", "amr", 8000, 12200)
            p["amr_lag_samples"] = lag
            out8 += y
            info[s] = p
        out8 += rng.normal(0, 10 ** (-60 / 20), len(out8))
        peak = np.abs(out8).max()
        if peak > 0.99:
            out8 *= 0.99 / peak
        return mulaw(out8), 8000, info
    # laptop / zoom: each side's own microphone, room and noise
    remote = sides[int(rng.integers(len(sides)))]
    for s in sides:
        x, p = colour(stems[s].astype(np.float64), rng, hp=(120, 300), lp=(5000, 7000))
        p["rt60_s"] = float(rng.uniform(0.2, 0.5))
        x = reverb(x, rng, p["rt60_s"])
        p["snr_db"] = float(rng.uniform(15, 25))
        x += pink(len(x), rng) * speech_rms(x, turns[s]) * 10 ** (-p["snr_db"] / 20)
        p["level_db"] = float(rng.uniform(-6, 6))
        x *= 10 ** (p["level_db"] / 20)
        if cond == "zoom":
            x = duck(x, s, ref, db=12.0)
            if s == remote:
                x, p["opus_lag_samples"] = codec_roundtrip(x, SR, "libopus", "ogg", 16000, 24000)
                p["remote"] = True
        out += x
        info[s] = p
    peak = np.abs(out).max()
    if peak > 0.99:
        out *= 0.99 / peak
    if cond == "zoom":
        out, info["aac_lag_samples"] = codec_roundtrip(out, SR, "aac", "adts", 16000, 32000)
    return out, SR, info


def duck(x: np.ndarray, side: str, ref: list[tuple[float, float, str]], *, db: float, sr: int = SR) -> np.ndarray:
    """Double-talk suppression: where ``side`` talks while another side already talks (it started later),
    ``side`` is attenuated by ``db`` (10 ms ramps)."""
    own = [(a, b) for a, b, w in ref if w == side]
    other = [(a, b) for a, b, w in ref if w != side]
    g = np.ones(len(x))
    for a, b in own:
        for c, d in other:
            if c < a < d:  # the other side was already talking when this one started
                lo, hi = int(a * sr), int(min(b, d) * sr)
                g[lo:hi] = 10 ** (-db / 20)
    from scipy.ndimage import uniform_filter1d

    return x * uniform_filter1d(g, int(0.01 * sr))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    ap.add_argument("--pairs", type=int, default=12, help="the first N two-person conversations of the source set")
    ap.add_argument("--seed", type=int, default=20261219, help="the conversations' seed (as dev_r19)")
    ap.add_argument("--call-seed", type=int, default=20261204, help="the call processing's seed")
    ap.add_argument("--out-prefix", default=str(ROOT / ".cache" / "conv" / "dev_r19_calls"))
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from scipy.signal import resample_poly

    stems: dict[str, dict[str, np.ndarray]] = {}
    outs = {c: Path(f"{args.out_prefix}_{c}") for c in args.conditions}
    for d in outs.values():
        d.mkdir(parents=True, exist_ok=True)
    meta: dict[str, list] = {c: [] for c in args.conditions}
    lines: list[str] = []
    for i, (uri, who, x, ref, gains) in enumerate(conversations("dev", seed=args.seed, pairs=args.pairs, triples=4,
                                                                 perturb=[0.9, 1.1], stems=stems)):
        if i >= args.pairs:  # the triples only keep the random stream as in dev_r19
            break
        lines += [f"SPEAKER {uri} 1 {s:.2f} {e - s:.2f} <NA> <NA> {spk_} <NA> <NA>" for s, e, spk_ in ref]
        for ci, cond in enumerate(CONDITIONS):
            if cond not in outs:
                continue
            rng = np.random.default_rng([args.call_seed, ci, i])
            y, sr, info = process(cond, x, stems[uri], ref, rng)
            if cond != "clean":  # what is left of any shift against the clean mix (10 ms frames: must be ~0)
                y16 = y if sr == SR else resample_poly(y, SR // sr, 1)
                info["residual_lag_ms"] = round(1000 * best_lag(x.astype(np.float64), y16[: len(x)], max_lag=800) / SR, 2)
            write_wav(outs[cond] / f"{uri}.wav", y, sr)
            meta[cond].append({"uri": uri, "speakers": list(who), "gains_db": gains, "sample_rate": sr,
                               "duration_s": round(len(y) / sr, 2), "processing": info})
            print(uri, cond, json.dumps(info)[:200], flush=True)
        stems.pop(uri, None)
    for cond, d in outs.items():
        (d / "reference.rttm").write_text("\n".join(lines) + "\n")
        (d / "conversations.json").write_text(json.dumps({
            "split": "dev", "source": f"librispeech_conversations.py --split dev --perturb 0.9 1.1 --seed {args.seed} "
                                      f"(first {args.pairs} pairs)", "condition": cond, "call_seed": args.call_seed,
            "conversations": meta[cond]}, indent=1))
    print(f"{args.pairs} conversations x {len(outs)} conditions under {args.out_prefix}_*")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

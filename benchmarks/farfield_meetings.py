"""Simulated far-field 3- and 4-person meetings from the DEVELOPMENT LibriSpeech readers, exact references.

    nice -n 10 .venv/bin/python benchmarks/farfield_meetings.py --out .cache/conv/farfield
    nice -n 10 .venv/bin/python benchmarks/farfield_meetings.py --out .cache/conv/farfield --describe \\
        --json benchmarks/results/farfield_meetings_r8_diar.json

A development stand-in for a meeting room (the real development set is five 30 s excerpts).
Only the development readers 1688, 1998, 2033, 2414 are used (never the report readers).
Each meeting (60–90 s, seeded):

* 3 or 4 participants; each has a talk weight: one or two *rare* participants speak mostly in
  short backchannels ("yeah", "mm": the first 0.2–0.7 s speech run of one of their clips) and
  a few short turns, the others hold the floor (turns 0.6–8 s as in
  ``librispeech_conversations.make``);
* turn changes overlap in about 40 % of cases by 0.3–1.5 s (after turns over 1 s), and in some of those a third talker
  starts inside the overlap (three-talker overlap); backchannels fall inside another talker's
  turn about half of the time;
* each talker is convolved with its own synthetic room impulse response: a direct path plus
  exponentially decaying Gaussian noise (RT60 0.3–0.9 s, one per meeting, ±15 % per talker) with a
  direct-to-reverberant ratio from the talker's distance (1–4 m: +6 to −6 dB), and a level
  per talker (0 to −12 dB, on top of the distance's 1/r);
* diffuse background: low-passed pink noise plus quiet babble (eight reversed, reverberated
  clips), at an SNR of 5–20 dB against the speech;
* the mixture is brought to −38 to −44 dBFS RMS (AMI far-field excerpts are around −41).

The reference is that of the dry speech as placed (:func:`librispeech_conversations.speech_mask`
per piece, exact at 10 ms): reverberation tails are not speech, as in the AMI references.
``--describe``: the measures that matter (speakers, speech and overlap shares, three-talker
overlap, the rarest talker's share, segment lengths, level, SNR) for these meetings and for the
real development excerpts (``pyannote-ami-excerpts`` + ``pyannote-sample``), side by side.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from librispeech_conversations import SPLITS, SR, _clips, speech_mask, write_wav

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SPEAKERS = SPLITS["dev"]  # never the report readers


def rir(rng: np.random.Generator, rt60: float, drr_db: float) -> np.ndarray:
    """A synthetic room impulse response: a unit direct path, then exponentially decaying noise
    (energy falls by 60 dB in ``rt60`` s) starting 2–6 ms later, scaled to the direct-to-reverberant ratio."""
    n = int(rt60 * 1.2 * SR)
    t = np.arange(n) / SR
    tail = rng.normal(0.0, 1.0, n) * np.exp(-6.9078 * t / rt60)  # amplitude e^(-ln(1000) t / RT60)
    delay = int(rng.uniform(0.002, 0.006) * SR)
    tail[:delay] = 0.0
    tail *= np.sqrt(10 ** (-drr_db / 10) / max(float(np.sum(tail**2)), 1e-12))
    tail[0] = 1.0
    return tail


def pink(rng: np.random.Generator, n: int) -> np.ndarray:
    """Pink (1/f) noise, low-passed above 4 kHz like room and ventilation noise, unit RMS."""
    spec = np.fft.rfft(rng.normal(0.0, 1.0, n))
    f = np.fft.rfftfreq(n, 1 / SR)
    spec *= 1 / np.sqrt(np.maximum(f, 20.0)) / (1 + (f / 4000.0) ** 4)
    x = np.fft.irfft(spec, n)
    return x / max(float(np.sqrt(np.mean(x**2))), 1e-12)


def backchannel(rng: np.random.Generator, clip: np.ndarray) -> np.ndarray | None:
    """A short speech run (0.2–0.7 s) of the clip: a "yeah" / "mm"-like stand-in."""
    m = speech_mask(clip, bridge_s=0.08)
    d = np.diff(np.concatenate([[0], m.astype(np.int8), [0]]))
    runs = [(a, b) for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True) if 20 <= b - a <= 70]
    if not runs:
        return None
    a, b = runs[int(rng.integers(len(runs)))]
    return clip[a * 160 : b * 160]


def meeting(
    who: tuple[str, ...],
    rare: tuple[str, ...],
    rng: np.random.Generator,
    clips: dict[str, list[np.ndarray]],
    length_s: float,
) -> tuple[np.ndarray, list[tuple[float, float, str]], dict]:
    """One far-field meeting: (mixture, reference segments, metadata)."""
    n_total = int((length_s + 20) * SR)
    dry = {s: np.zeros(n_total) for s in who}
    ref: list[tuple[float, float, str]] = []
    pos = {s: (int(rng.integers(len(clips[s]))), 0) for s in who}
    weight = {s: (0.06 if s in rare else 1.0) for s in who}

    def place(s: str, piece: np.ndarray, t: float, mask_bridge: float = 0.25) -> float:
        m = speech_mask(piece, bridge_s=mask_bridge)
        if not m.any():
            return t
        a, b = np.flatnonzero(m)[[0, -1]]
        piece, m = piece[a * 160 : (b + 1) * 160], m[a : b + 1]
        start = int(round(t * SR))
        dry[s][start : start + len(piece)] += piece
        d = np.diff(np.concatenate([[0], m.astype(np.int8), [0]]))
        for s_, e_ in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
            ref.append((round(t + s_ * 0.01, 2), round(t + e_ * 0.01, 2), s))
        return t + len(piece) / SR

    def take(s: str, dur: float) -> np.ndarray:
        ci, off = pos[s]
        clip = clips[s][ci]
        piece = clip[off : off + int(dur * SR)]
        nxt = off + len(piece)
        pos[s] = (ci, nxt) if nxt < len(clip) - SR else ((ci + 1) % len(clips[s]), 0)
        return piece

    t = 0.5
    p = np.array([weight[s] for s in who])
    cur = who[int(rng.choice(len(who), p=p / p.sum()))]
    while t < length_s:
        short = rng.random() < (0.7 if cur in rare else 0.25)
        dur = rng.uniform(0.6, 1.8) if short else rng.uniform(2.0, 8.0)
        t0 = t
        end = place(cur, take(cur, dur), t)
        if end == t0:
            continue
        # backchannels of the others (mostly the rare talkers) inside or right after this turn
        for s in who:
            if s == cur:
                continue
            rate = 0.5 if s in rare else 0.12
            if end - t0 > 1.5 and rng.random() < rate:
                bc = backchannel(rng, clips[s][int(rng.integers(len(clips[s])))])
                if bc is not None:
                    at = rng.uniform(t0 + 0.5, end + 0.3) if rng.random() < 0.5 else end + rng.uniform(0.1, 0.4)
                    place(s, bc, at, mask_bridge=0.08)
        q = np.array([0.0 if s == cur else weight[s] for s in who])
        nxt = who[int(rng.choice(len(who), p=q / q.sum()))]
        if rng.random() < 0.4 and end - t0 > 1.0:
            t = end - rng.uniform(0.3, 1.5)
            if rng.random() < 0.4:  # a third talker starts inside the overlap
                third = [s for s in who if s not in (cur, nxt)]
                s3 = third[int(rng.integers(len(third)))]
                place(s3, take(s3, rng.uniform(0.6, 1.6)), max(t0, t + rng.uniform(0.0, 0.3)))
        else:
            t = end + rng.uniform(0.15, 1.2)
        cur = nxt
    total = max(e for _, e, _ in ref) + 0.8
    mix, meta = room_mix(dry, rare, ref, int(total * SR), rng, clips)
    return mix.astype(np.float32), sorted(ref), meta


def room_mix(
    dry: dict[str, np.ndarray],
    rare: tuple[str, ...],
    ref: list[tuple[float, float, str]],
    n: int,
    rng: np.random.Generator,
    clips: dict[str, list[np.ndarray]],
) -> tuple[np.ndarray, dict]:
    """The talkers' dry tracks in a room: own RIR, distance and level each, diffuse noise and babble, a far-field level."""
    from scipy.signal import fftconvolve

    rt60 = float(rng.uniform(0.3, 0.9))
    meta: dict = {"rt60_s": round(rt60, 3), "talkers": {}}
    mix = np.zeros(n + int(1.2 * SR))
    for s in dry:
        dist = float(rng.uniform(1.0, 4.0))
        drr = 6.0 - 12.0 * (dist - 1.0) / 3.0
        gain_db = float(rng.uniform(-12.0, 0.0)) - 20 * np.log10(dist)
        h = rir(rng, rt60 * float(rng.uniform(0.85, 1.15)), drr)
        wet = fftconvolve(dry[s][:n], h)[: len(mix)]
        mix[: len(wet)] += wet * 10 ** (gain_db / 20)
        meta["talkers"][s] = {
            "distance_m": round(dist, 2),
            "drr_db": round(drr, 1),
            "gain_db": round(gain_db, 1),
            "rare": s in rare,
        }
    mix = mix[:n]
    speech = np.zeros(n, dtype=bool)
    for a, b, _ in ref:
        speech[int(a * SR) : int(b * SR)] = True
    speech_rms = float(np.sqrt(np.mean(mix[speech] ** 2)))
    snr = float(rng.uniform(5.0, 20.0))
    noise = pink(rng, n)
    babble = np.zeros(n)
    for _ in range(8):
        s = SPEAKERS[int(rng.integers(len(SPEAKERS)))]
        c = clips[s][int(rng.integers(len(clips[s])))][::-1]
        c = np.tile(c, int(np.ceil(n / len(c))))[:n]
        babble += fftconvolve(c, rir(rng, 0.9, -8.0))[:n]
    babble /= max(float(np.sqrt(np.mean(babble**2))), 1e-12)
    background = noise + 0.3 * babble
    background *= speech_rms * 10 ** (-snr / 20) / float(np.sqrt(np.mean(background**2)))
    mix += background
    level = float(rng.uniform(-44.0, -38.0))
    mix *= 10 ** (level / 20) / float(np.sqrt(np.mean(mix**2)))
    meta.update(snr_db=round(snr, 1), level_dbfs=round(level, 1))
    return mix, meta


def describe(ref: list[tuple[float, float, str]], x: np.ndarray) -> dict:
    """The measures that matter for diarization: speakers, speech / overlap shares, the rarest talker, level, SNR."""
    dur = len(x) / SR
    n = int(np.ceil(dur * 100))
    cnt = np.zeros(n, dtype=int)
    talk: dict[str, float] = {}
    for a, b, s in ref:
        cnt[int(round(a * 100)) : int(round(b * 100))] += 1
        talk[s] = talk.get(s, 0.0) + b - a
    speech = cnt > 0
    hop = SR // 100
    frames = x[: (len(x) // hop) * hop].reshape(-1, hop).astype(np.float64)
    e = np.sqrt(np.mean(frames**2, axis=1)) + 1e-9
    m = min(len(e), n)
    sp, ns = e[:m][speech[:m]], e[:m][~speech[:m]]
    total_talk = sum(talk.values())
    return {
        "duration_s": round(dur, 1),
        "speakers": len(talk),
        "speech_share": round(float(speech.mean()), 3),
        "overlap_share_of_speech": round(float((cnt >= 2).sum() / max(speech.sum(), 1)), 3),
        "overlap3_share_of_speech": round(float((cnt >= 3).sum() / max(speech.sum(), 1)), 3),
        "rarest_talk_share": round(min(talk.values()) / total_talk, 3) if talk else None,
        "segment_median_s": round(float(np.median([b - a for a, b, _ in ref])), 2) if ref else None,
        "segments_under_1s": round(float(np.mean([b - a < 1.0 for a, b, _ in ref])), 3) if ref else None,
        "level_dbfs": round(float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2)) + 1e-12)), 1),
        "snr_db": round(float(20 * np.log10(np.median(sp) / np.median(ns))), 1) if len(sp) and len(ns) else None,
    }


def real_dev() -> list[tuple[str, Path, Path]]:
    """The real development excerpts (never the held-out ``ami-audio-excerpts``)."""
    folder = DATA / "pyannote-ami-excerpts"
    out = [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    return out + [("sample", DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / ".cache" / "conv" / "farfield")
    ap.add_argument("--meetings", type=int, default=10, help="half with 3, half with 4 participants")
    ap.add_argument("--seed", type=int, default=20261208)
    ap.add_argument("--describe", action="store_true", help="compare with the real development excerpts")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm

    if not (args.out / "reference.rttm").is_file():
        clips = {s: _clips(s) for s in SPEAKERS}
        rng = np.random.default_rng(args.seed)
        args.out.mkdir(parents=True, exist_ok=True)
        lines, metas = [], []
        for i in range(args.meetings):
            k = 3 if i % 2 == 0 else 4
            who = tuple(rng.choice(SPEAKERS, k, replace=False).tolist())
            n_rare = 1 if (k == 3 or rng.random() < 0.5) else 2
            rare = tuple(who[-n_rare:])
            uri = f"ff{i:02d}"
            x, ref, meta = meeting(who, rare, rng, clips, float(rng.uniform(60.0, 90.0)))
            write_wav(args.out / f"{uri}.wav", x)
            lines += [f"SPEAKER {uri} 1 {a:.2f} {b - a:.2f} <NA> <NA> {s} <NA> <NA>" for a, b, s in ref]
            metas.append(
                {"uri": uri, "speakers": list(who), "rare": list(rare), **meta, "duration_s": round(len(x) / SR, 2)}
            )
            print(uri, json.dumps(metas[-1]), flush=True)
        (args.out / "reference.rttm").write_text("\n".join(lines) + "\n")
        (args.out / "meetings.json").write_text(
            json.dumps({"seed": args.seed, "speakers": SPEAKERS, "meetings": metas}, indent=1)
        )
    if not args.describe:
        return 0
    rows = {}
    for group, todo in (
        ("farfield", [(w.stem, w, args.out / "reference.rttm") for w in sorted(args.out.glob("*.wav"))]),
        ("real-dev", real_dev()),
    ):
        per = {uri: describe(read_rttm(r)[uri], load_audio(w).mono) for uri, w, r in todo}
        keys = [k for k in next(iter(per.values())) if k != "duration_s"]
        rows[group] = {
            "files": per,
            "mean": {k: round(float(np.mean([v[k] for v in per.values() if v[k] is not None])), 3) for k in keys},
        }
        print(group, json.dumps(rows[group]["mean"]))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(
            json.dumps(
                {
                    "command": " ".join(["benchmarks/farfield_meetings.py", *sys.argv[1:]]),
                    "commit": commit,
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "data": "development only: LibriSpeech dev readers 1688 1998 2033 2414; "
                    "pyannote-ami-excerpts + pyannote-sample",
                    "seed": args.seed,
                    **rows,
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

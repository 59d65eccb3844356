"""Simulated two- and three-person conversations from real LibriSpeech voices, with exact references.

    .venv/bin/python benchmarks/librispeech_conversations.py --split dev --out .cache/conv/dev
    .venv/bin/python benchmarks/librispeech_conversations.py --split report --out .cache/conv/report
    .venv/bin/python benchmarks/librispeech_conversations.py --split test --out .cache/conv/test

Reads ``../shared/data/librispeech-voices`` (never copied into the repository) and writes
``<id>.wav`` (16 kHz mono PCM) plus one ``reference.rttm`` and ``conversations.json``
(speakers, gains, seed) to ``--out``. Speakers are split: ``dev`` conversations use
1688, 1998, 2033, 2414 (for tuning), ``report`` conversations use 2609, 3005, 3080 (only
for reporting; never tuned on); ``test`` conversations use every other reader the folder holds (none here: the
kept-back readers, when added in the same layout, are scored with ``diarization_der.py --sets libri-test``).
Each conversation:

* alternates speakers (three-person: a random other speaker) with turns cut from the
  speaker's clips (0.6–9 s; a quarter are short 0.6–1.8 s replies);
* pauses of 0.2–1.0 s between turns; about 15 % of turn changes overlap by 0.3–0.7 s;
* a fixed loudness per speaker (0 to -10 dB) and a -65 dBFS noise floor.

``--perturb 0.9 1.1``: also speed-perturbed copies of each speaker (resampled by the factor:
tempo and pitch shift together, the usual way to make new training "speakers" in speaker
recognition) as speakers of their own, e.g. ``1688sp0.9``; no conversation holds two
versions of one reader. More voice pairs for choosing count-sensitive settings (the four
development readers give only six pairs).

The reference is exact at 10 ms for the audio as placed: within each piece, speech is the
frames whose energy is above a threshold 35 % of the way from the clip's noise floor to its
speech level (:func:`speech_mask`), with pauses under 0.25 s bridged (the usual
convention of forced-alignment references); breathing pauses inside a sentence are speech,
longer silences are not. Each piece is trimmed to its first and last speech frame.
"""

from __future__ import annotations

import argparse
import json
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "librispeech-voices"
SR = 16000
SPLITS = {"dev": ("1688", "1998", "2033", "2414"), "report": ("2609", "3005", "3080")}


def speech_mask(x: np.ndarray, *, share: float = 0.35, bridge_s: float = 0.25, min_run_s: float = 0.0) -> np.ndarray:
    """Per 10 ms frame: speech, by energy above an adaptive threshold, short gaps bridged.

    The threshold lies ``share`` of the way from the clip's noise floor (10th percentile of
    frame levels) to its speech level (90th percentile): LibriSpeech test-other clips have
    noise floors from -80 to -41 dBFS, so a fixed distance below the peak marks a noisy
    clip's silences as speech.

    ``min_run_s`` > 0: a run of loud frames shorter than this (under a syllable) is speech only
    within ``bridge_s`` of a run at least this long (a plosive or an onset next to its vowel); on
    its own (a click, lip smack or breath noise in a pause) it is not, and a chain of such bursts no
    longer bridges a whole pause into speech (:func:`short_bursts`; round 19, reader 1688's pauses;
    0, the default: the reference of rounds 1-18).
    """
    hop = SR // 100
    n = len(x) // hop
    if n == 0:
        return np.zeros(0, dtype=bool)
    e = np.sqrt(np.mean(np.square(x[: n * hop].reshape(n, hop), dtype=np.float64), axis=1)) + 1e-9
    db = 20 * np.log10(e)
    noise, loud = np.percentile(db, 10), np.percentile(db, 90)
    m = db > noise + share * (loud - noise)
    gap = int(bridge_s * 100)
    if min_run_s > 0:
        m &= ~short_bursts(m, min_run=int(round(min_run_s * 100)), near=gap)
    idx = np.flatnonzero(m)
    for a, b in zip(idx[:-1], idx[1:], strict=False):
        if 1 < b - a <= gap:
            m[a:b] = True
    return m


def short_bursts(m: np.ndarray, *, min_run: int, near: int) -> np.ndarray:
    """The frames of runs of ``m`` shorter than ``min_run`` frames that lie more than ``near`` frames
    from every run at least ``min_run`` long."""
    d = np.diff(np.concatenate([[0], m.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    long_ = (ends - starts) >= min_run
    ls, le = starts[long_], ends[long_]
    out = np.zeros(len(m), dtype=bool)
    for a, b in zip(starts[~long_], ends[~long_], strict=True):
        if not np.any((ls - b <= near) & (a - le <= near)):
            out[a:b] = True
    return out


def _clips(speaker: str) -> list[np.ndarray]:
    from sessionscope.audio.decode import load_audio

    return [load_audio(p).mono.astype(np.float32) for p in sorted((DATA / speaker).glob("*.flac"))]


def perturbed(clips: list[np.ndarray], factor: float) -> list[np.ndarray]:
    """The clips played ``factor`` times faster (resampled: tempo and pitch change together)."""
    from fractions import Fraction

    from scipy.signal import resample_poly

    r = Fraction(factor).limit_denominator(20)
    return [resample_poly(c, r.denominator, r.numerator).astype(np.float32) for c in clips]


def origin(speaker: str) -> str:
    """The LibriSpeech reader of a (possibly perturbed) speaker id."""
    return speaker.split("sp")[0]


def make(speakers: tuple[str, ...], rng: np.random.Generator, clips: dict[str, list[np.ndarray]],
         length_s: float, *, min_run_s: float = 0.0,
         stems: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, list[tuple[float, float, str]], dict[str, float]]:
    """One conversation: the mix, its reference turns and the speakers' gains (dB).

    ``stems``: a dict to fill with each speaker's own track (placed, gained and scaled like the mix,
    without the noise floor; the mix is their sum plus the noise) for simulating per-side processing
    such as call audio (``benchmarks/call_conversations_r19_calls.py``); the mix is the same either way.
    """
    gains = {s: float(rng.uniform(-10.0, 0.0)) for s in speakers}
    pos = {s: (int(rng.integers(len(clips[s]))), 0) for s in speakers}
    out = np.zeros(int((length_s + 15) * SR), dtype=np.float64)
    ref: list[tuple[float, float, str]] = []
    ends: list[float] = []
    t = 0.3
    cur = speakers[int(rng.integers(len(speakers)))]
    while t < length_s:
        short = rng.random() < 0.25
        dur = rng.uniform(0.6, 1.8) if short else rng.uniform(2.0, 9.0)
        ci, off = pos[cur]
        clip = clips[cur][ci]
        piece = clip[off: off + int(dur * SR)]
        nxt_off = off + len(piece)
        pos[cur] = (ci, nxt_off) if nxt_off < len(clip) - SR else ((ci + 1) % len(clips[cur]), 0)
        m = speech_mask(piece)
        if not m.any():
            continue
        a, b = np.flatnonzero(m)[[0, -1]]
        if min_run_s > 0:  # the same audio (trimmed as before); isolated short bursts are not speech
            m = speech_mask(piece, min_run_s=min_run_s)
        piece, m = piece[a * 160:(b + 1) * 160], m[a:b + 1]
        start = int(t * SR)
        out[start:start + len(piece)] += piece * 10 ** (gains[cur] / 20)
        if stems is not None:
            stems.setdefault(cur, np.zeros(len(out)))[start:start + len(piece)] += piece * 10 ** (gains[cur] / 20)
        d = np.diff(np.concatenate([[0], m.astype(np.int8), [0]]))
        for s_, e_ in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
            ref.append((round(t + s_ * 0.01, 2), round(t + e_ * 0.01, 2), cur))
        end = t + len(piece) / SR
        ends.append(round(end, 2))
        if rng.random() < 0.15 and not short:
            t = end - rng.uniform(0.3, 0.7)
        else:
            t = end + rng.uniform(0.2, 1.0)
        others = [s for s in speakers if s != cur]
        cur = others[int(rng.integers(len(others)))]
    total = max(ends) + 0.5  # the last piece's end (its last loud frame)
    out = out[: int(total * SR)]
    out += rng.normal(0.0, 10 ** (-65 / 20), len(out))
    peak = np.abs(out).max()
    if peak > 0.99:
        out *= 0.99 / peak
    if stems is not None:
        for k in stems:
            stems[k] = (stems[k][: len(out)] * min(1.0, 0.99 / peak)).astype(np.float32)
    return out.astype(np.float32), ref, gains


def split_speakers(split: str, data: Path = DATA) -> tuple[str, ...]:
    """The readers of a split: ``dev`` and ``report`` as fixed; ``test``: every other reader folder in ``data``
    (the kept-back readers, once added in the same layout); fewer than two is an error that says so."""
    if split in SPLITS:
        return SPLITS[split]
    known = {s for v in SPLITS.values() for s in v}
    spk = tuple(sorted(p.name for p in data.iterdir() if p.is_dir() and p.name.isdigit() and p.name not in known)) \
        if data.is_dir() else ()
    if len(spk) < 2:
        raise SystemExit(f"no {split!r} readers in {data}: a kept-back set is added as one folder of FLAC clips per "
                         f"reader (<reader>/<reader>-<chapter>-<utt>.flac) beside the {len(known)} known readers")
    return spk


def conversations(split: str, *, seed: int, pairs: int = 12, triples: int = 3, length_s: float = 60.0,
                  perturb: list[float] | None = None, min_run_s: float = 0.0,
                  stems: dict[str, dict[str, np.ndarray]] | None = None,
                  ) -> Iterator[tuple[str, tuple[str, ...], np.ndarray, list[tuple[float, float, str]], dict[str, float]]]:
    """The split's conversations in order: ``(uri, speakers, mix, reference turns, gains)`` (what ``main``
    writes); ``stems``: filled per uri with the speakers' own tracks (:func:`make`)."""
    spk = split_speakers(split)
    clips = {s: _clips(s) for s in spk}
    rng = np.random.default_rng(seed + {"dev": 0, "report": 1}.get(split, 2))
    if perturb:
        for f in perturb:
            clips.update({f"{s}sp{f}": perturbed(clips[s], f) for s in spk})
        spk = tuple(clips)
    couples = [(a, b) for i, a in enumerate(spk) for b in spk[i + 1:] if origin(a) != origin(b)]
    if perturb:
        couples = [couples[i] for i in rng.permutation(len(couples))]
    plan = [couples[i % len(couples)] for i in range(pairs)]
    for _ in range(triples):
        who = tuple(rng.choice(spk, 3, replace=False).tolist())
        while len({origin(s) for s in who}) < 3:
            who = tuple(rng.choice(spk, 3, replace=False).tolist())
        plan.append(who)
    for i, who in enumerate(plan):
        uri = f"{split}{i:02d}"
        own: dict[str, np.ndarray] | None = None if stems is None else stems.setdefault(uri, {})
        x, ref, gains = make(tuple(who), rng, clips, length_s, min_run_s=min_run_s, stems=own)
        yield uri, tuple(who), x, ref, gains


def write_wav(path: Path, x: np.ndarray, sr: int = SR) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=(*sorted(SPLITS), "test"), required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pairs", type=int, default=12, help="two-person conversations")
    ap.add_argument("--triples", type=int, default=3, help="three-person conversations")
    ap.add_argument("--length", type=float, default=60.0, help="seconds per conversation (about)")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--min-run", type=float, default=0.0,
                    help="reference: loud runs shorter than this (s), away from longer ones, are not speech "
                         "(speech_mask; 0: the reference of rounds 1-18)")
    ap.add_argument("--perturb", type=float, nargs="*", default=[],
                    help="speed factors (e.g. 0.9 1.1): perturbed copies of each reader as extra speakers")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    meta, lines = [], []
    for uri, who, x, ref, gains in conversations(args.split, seed=args.seed, pairs=args.pairs, triples=args.triples,
                                                 length_s=args.length, perturb=args.perturb, min_run_s=args.min_run):
        write_wav(args.out / f"{uri}.wav", x)
        lines += [f"SPEAKER {uri} 1 {s:.2f} {e - s:.2f} <NA> <NA> {spk_} <NA> <NA>" for s, e, spk_ in ref]
        meta.append({"uri": uri, "speakers": list(who), "gains_db": gains, "duration_s": round(len(x) / SR, 2)})
    (args.out / "reference.rttm").write_text("\n".join(lines) + "\n")
    (args.out / "conversations.json").write_text(json.dumps({"split": args.split, "seed": args.seed,
                                                             "perturb": args.perturb, "min_run_s": args.min_run,
                                                             "conversations": meta}, indent=1))
    print(f"{len(meta)} conversations in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Does the telephone-band VAD threshold (round 19) make Whisper invent words on noise? (round 20, issue 11)

Round 19 lowered the transcription's Silero VAD threshold from 0.5 to 0.3 for telephone-band recordings
(``asr.vad_threshold_narrowband``), measured on simulated calls that are speech almost throughout and on one real
telephone call. Untested then: telephone audio with long stretches of line noise and no speech (hold, a muted
side, a silent line), where a lower VAD threshold can pass noise to Whisper, which invents text on noise.

Clips built here (deterministic, seed fixed), all 8 kHz through the same chain as the simulated phone calls of
``call_conversations_r19_calls.py`` (300-3400 Hz band-pass, AMR-NB 12.2 kbit/s, G.711 mu-law):

- ``hiss``: 60 s of line hiss only (white noise at -50 dBFS before the band-pass);
- ``room``: 60 s of pink room noise only (-35 dBFS);
- ``hum``: 60 s of mains hum (50 Hz and harmonics up to 450 Hz) with hiss;
- ``crackle``: 60 s of hiss with random clicks and crackle bursts (a bad line);
- ``gap_<call>``: each of the first ``--calls`` simulated development phone calls (``.cache/conv/dev_r19_calls_phone``)
  with 30 s of the same line's noise (its own quietest 0.5 s tiled, plus coded hiss) inserted at its middle pause:
  words placed in the inserted stretch are invented.

Each clip is transcribed through ``transcribe_file`` (the default config, multilingual ``base``, language detected;
diarization off: only the words are scored) twice: with the shipped narrowband threshold (0.3) and with the rule
off (``asr.vad_threshold_narrowband: null``, i.e. 0.5). Reported per clip: words kept, words in the inserted
stretch, hallucinations dropped by the filter (``quality``). Development data only (the dev readers' calls).

    nice -n 10 .venv/bin/python benchmarks/narrowband_noise_r20.py --json benchmarks/results/narrowband_noise_r20_rate.json

(``narrowband_noise_r20_lead.json``: the same before 2d280ba, when only the energy above 4 kHz decided; its
``narrowband`` column is that energy test.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
CALLS = ROOT / ".cache" / "conv" / "dev_r19_calls_phone"
SR8 = 8000


def phone_chain(x16: np.ndarray) -> np.ndarray:
    """16 kHz float → the simulated phone line's 8 kHz output (band-pass, AMR-NB, mu-law)."""
    from scipy.signal import butter, resample_poly, sosfiltfilt

    from call_conversations_r19_calls import codec_roundtrip, mulaw

    band = butter(4, [300, 3400], "bandpass", fs=16000, output="sos")
    x8 = resample_poly(sosfiltfilt(band, x16), 1, 2)
    y, _ = codec_roundtrip(x8, SR8, "libopencore_amrnb", "amr", SR8, 12200)
    return mulaw(np.clip(y, -0.99, 0.99))


def noise(kind: str, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """16 kHz noise of one kind (before the phone chain)."""
    from call_conversations_r19_calls import pink

    n = int(seconds * 16000)
    hiss = rng.normal(0, 10 ** (-50 / 20), n)
    if kind == "hiss":
        return hiss
    if kind == "room":
        p = pink(n, rng)
        return p / (np.sqrt(np.mean(p ** 2)) + 1e-12) * 10 ** (-35 / 20) + hiss
    if kind == "hum":
        t = np.arange(n) / 16000
        h = sum(10 ** (-(30 + 4 * k) / 20) * np.sin(2 * np.pi * 50 * (k + 1) * t + rng.uniform(0, 6.3)) for k in range(9))
        return h + hiss
    if kind == "crackle":
        x = hiss.copy()
        for at in rng.integers(0, n - 400, int(seconds * 3)):  # ~3 clicks a second
            x[at: at + 40] += rng.normal(0, 10 ** (-20 / 20), 40) * np.hanning(40)
        for at in rng.integers(0, n - 8000, int(seconds / 6)):  # a 0.2-0.5 s crackle burst every ~6 s
            m = int(rng.integers(3200, 8000))
            x[at: at + m] += rng.normal(0, 10 ** (-30 / 20), m) * (rng.random(m) < 0.05)
        return x
    raise ValueError(kind)


def gap_clip(wav: Path, rng: np.random.Generator, gap_s: float = 30.0) -> tuple[np.ndarray, float]:
    """A simulated phone call (8 kHz) with ``gap_s`` of its own line noise inserted at the pause nearest its middle;
    returns the audio and the insertion time."""
    from scipy.io import wavfile

    sr, raw = wavfile.read(wav)
    x = raw.astype(np.float64) / (32768.0 if raw.dtype == np.int16 else 1.0)
    assert sr == SR8, (wav, sr)
    hop = SR8 // 10  # 0.1 s frames
    e = np.array([np.mean(x[i: i + hop] ** 2) for i in range(0, len(x) - hop, hop)])
    mid = len(e) // 2
    quiet = int(np.argmin(e[mid - 50: mid + 50])) + mid - 50  # the quietest 0.1 s within ±5 s of the middle
    at = quiet * hop + hop // 2
    from call_conversations_r19_calls import mulaw

    n = int(gap_s * SR8)
    # the simulated line's own floor (-60 dBFS noise after the codec, mu-law) plus coded line hiss
    fill = mulaw(rng.normal(0, 10 ** (-60 / 20), n)) + phone_chain(noise("hiss", gap_s, rng))[:n]
    return np.concatenate([x[:at], fill, x[at:]]), at / SR8


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=4, help="simulated development phone calls with an inserted gap")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    from scipy.io import wavfile

    from sessionscope.audio.decode import high_band_db, is_narrowband, load_audio
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.config import load_config
    from sessionscope.errors import AudioError

    rng = np.random.default_rng(20261220)
    clips: list[tuple[str, np.ndarray, tuple[float, float] | None]] = []
    for kind in ("hiss", "room", "hum", "crackle"):
        clips.append((kind, phone_chain(noise(kind, args.seconds, rng)), None))
    for wav in sorted(CALLS.glob("*.wav"))[: args.calls]:
        y, at = gap_clip(wav, rng)
        clips.append((f"gap_{wav.stem}", y, (at, at + 30.0)))
    variants = {"narrowband 0.3 (shipped)": {}, "rule off (0.5)": {"asr": {"vad_threshold_narrowband": None}}}
    configs = {v: load_config(overrides={**o, "diarization": {"enabled": False}}) for v, o in variants.items()}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, y, gap in clips:
            path = Path(tmp) / f"{name}.wav"
            wavfile.write(path, SR8, (np.clip(y, -1, 1) * 32767).astype(np.int16))
            decoded = load_audio(path)
            hb = round(high_band_db(decoded.mono), 1)
            narrow = is_narrowband(decoded.mono, source_rate=decoded.source_rate)  # what the transcription decides
            for v, cfg in configs.items():
                t0 = time.process_time()
                try:
                    s = transcribe_file(path, config=cfg, session_id=name, no_cache=True)
                    words = [w for u in s.utterances if not u.flags for w in u.words]
                    flagged = sum(len(u.words) for u in s.utterances if u.flags)
                    text = " ".join(u.text for u in s.utterances if u.text and not u.flags)
                    quality = dataclasses.asdict(s.quality) if s.quality is not None else {}
                    err = None
                except AudioError as e:  # "no speech found": nothing invented
                    words, text, quality, err, flagged = [], "", {}, str(e), 0
                in_gap = [w for w in words if gap and w.start is not None and w.end is not None
                          and gap[0] <= (w.start + w.end) / 2 <= gap[1]]
                row: dict[str, Any] = {"clip": name, "variant": v, "high_band_db": hb, "narrowband": narrow, "source_rate": decoded.source_rate,
                       "words": len(words), "flagged_words": flagged, "words_in_inserted_noise": len(in_gap) if gap else None,
                       "invented_text": " ".join(w.text for w in (in_gap if gap else words))[:400],
                       "quality": quality, "error": err, "cpu_s": round(time.process_time() - t0, 1)}
                if gap is None:
                    row["text"] = text[:400]
                rows.append(row)
                print(f"{name:24s} {v:26s} hb {hb:6.1f} words {len(words):4d} in-noise "
                      f"{row['words_in_inserted_noise']} {row['invented_text'][:80]!r}", flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    summary = {v: {"noise_only_words": sum(r["words"] for r in rows if r["variant"] == v and not r["clip"].startswith("gap_")),
                   "words_in_inserted_noise": sum(r["words_in_inserted_noise"] or 0 for r in rows if r["variant"] == v),
                   "call_words": sum(r["words"] for r in rows if r["variant"] == v and r["clip"].startswith("gap_"))}
               for v in variants}
    print(json.dumps(summary, indent=1))
    args.json.write_text(json.dumps({"command": " ".join(["benchmarks/narrowband_noise_r20.py", *sys.argv[1:]]),
                                     "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                     "data": "generated noise; development phone-call simulations (dev readers)",
                                     "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

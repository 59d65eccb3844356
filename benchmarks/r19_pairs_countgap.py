"""Round 19 (pairs): frames that some chunk's segmentation marks as speech but whose mean local count (Hamming
weights over the covering chunks) rounds to 0 — reference speech or not? (development sets only)

    nice -n 10 .venv/bin/python benchmarks/r19_pairs_countgap.py --sets libri-dev farfield farfield2 pyannote-ami \\
        --json benchmarks/results/r19_pairs_countgap.json

Per set: seconds of such frames inside / outside the reference speech (and not already delivered), by the
highest P(speech) of a covering chunk; what a "count at least 1 where a chunk marks speech" rule could gain
(missed speech recovered) and cost (false alarm added), at collar 0 (every frame). ``weak_word_``: frames
no chunk's argmax marks but a Whisper word covers and some chunk gives P(speech) above p (a word-backed
lower threshold). ``hyst_``: the delivered turns extended outwards over frames where some chunk gives
P(speech) above p (an offset threshold under the argmax's).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import r19_pairs_diagnose as diag  # noqa: E402
from diarization_der import cases  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = ("libri-dev", "farfield", "farfield2", "pyannote-ami")


def extension(on: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Frames outside ``on`` reached from an ``on`` run by a contiguous stretch of ``ok`` frames."""
    out = np.zeros(len(on), dtype=bool)
    d = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
        i = a - 1
        while i >= 0 and ok[i] and not on[i]:
            out[i] = True
            i -= 1
        i = b
        while i < len(on) and ok[i] and not on[i]:
            out[i] = True
            i += 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(ALLOWED))
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks/configs/tiny_en.yaml")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if any(s not in ALLOWED for s in args.sets):
        raise SystemExit(f"development sets only: {ALLOWED}")
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config

    config = load_config(args.config)
    out = {}
    for name in args.sets:
        acc: dict[str, float] = {}
        rows = []
        for uri, wav, rttm in cases(name):
            ref = read_rttm(rttm)[uri]
            diag.analyse(wav, ref, config)
            last = diag.LAST
            gapf = last["marked"] & (last["kcount"] < 1) & ~last["run"]
            r = {"uri": uri, "ref_s": round(last["ref"].sum() / 100, 2)}
            for p in (0.5, 0.7, 0.9):
                g = gapf & (last["pmax"] > p)
                r[f"speech_s_p{p}"] = round((g & last["ref"]).sum() / 100, 2)
                r[f"nonspeech_s_p{p}"] = round((g & ~last["ref"]).sum() / 100, 2)
                r[f"words_s_p{p}"] = round((g & last["word"]).sum() / 100, 2)
                g &= ~last["near"]
                r[f"c025_speech_s_p{p}"] = round((g & last["ref"]).sum() / 100, 2)
                r[f"c025_nonspeech_s_p{p}"] = round((g & ~last["ref"]).sum() / 100, 2)
            weak = ~last["marked"] & last["word"] & ~last["run"]  # the argmax hears nobody, Whisper has a word
            for p in (0.2, 0.3, 0.4):
                g = weak & (last["pmax"] > p)
                r[f"weak_word_speech_s_p{p}"] = round((g & last["ref"]).sum() / 100, 2)
                r[f"weak_word_nonspeech_s_p{p}"] = round((g & ~last["ref"]).sum() / 100, 2)
                g &= ~last["near"]
                r[f"weak_word_c025_speech_s_p{p}"] = round((g & last["ref"]).sum() / 100, 2)
                r[f"weak_word_c025_nonspeech_s_p{p}"] = round((g & ~last["ref"]).sum() / 100, 2)
            for p in (0.3, 0.4):  # delivered speech extended outwards while P(speech) stays above p (hysteresis)
                g = extension(last["run"], last["pmax"] > p)
                r[f"hyst_speech_s_p{p}"] = round((g & last["ref"]).sum() / 100, 2)
                r[f"hyst_nonspeech_s_p{p}"] = round((g & ~last["ref"]).sum() / 100, 2)
                g &= ~last["near"]  # what the collar-0.25 DER scores
                r[f"hyst_c025_speech_s_p{p}"] = round((g & last["ref"]).sum() / 100, 2)
                r[f"hyst_c025_nonspeech_s_p{p}"] = round((g & ~last["ref"]).sum() / 100, 2)
            rows.append(r)
            for k, v in r.items():
                if k != "uri":
                    acc[k] = round(acc.get(k, 0.0) + v, 2)
            print(json.dumps(r), flush=True)
        out[name] = {"total": acc, "rows": rows}
        print(name, json.dumps(acc), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_pairs_countgap.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development", "sets": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

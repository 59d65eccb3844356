"""Round 19 (calls): where the words go on telephone audio — the transcription stage alone, VAD on and off.

    nice -n 10 .venv/bin/python benchmarks/r19_calls_asr.py --uris dev00 dev02 dev09 \\
        --json benchmarks/results/r19_calls_asr.json

For each conversation, the clean mix and the call conditions (``call_conversations_r19_calls.py``) go through
``asr.transcribe`` (tiny.en, the configuration of the DER runs) with the VAD on (at each ``--vad-thresholds``;
0.5 is the default) and off; per
run: words kept, the words the hallucination/repetition filters dropped, the VAD's speech seconds, and the WER
against the clean, VAD-on transcript of the same conversation (the change of the words: LibriSpeech's own
transcripts are not in the voices folder). Development data only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import english_normaliser, score  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--uris", nargs="+", required=True)
    ap.add_argument("--conditions", nargs="+", default=["clean", "phone", "zoom"])
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks/configs/tiny_en.yaml")
    ap.add_argument("--vad-thresholds", type=float, nargs="+", default=[0.5],
                    help="asr.vad_threshold values of the VAD-on runs (the first is the baseline for the WER)")
    ap.add_argument("--no-vad-off", action="store_true", help="skip the VAD-off runs")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import load_config

    norm, _ = english_normaliser()
    rows = []
    for uri in args.uris:
        base = ""
        for cond in args.conditions:
            x = load_audio(ROOT / f".cache/conv/dev_r19_calls_{cond}/{uri}.wav").mono
            runs = [(True, t) for t in args.vad_thresholds] + ([] if args.no_vad_off else [(False, None)])
            for vad, thr in runs:
                cfg = load_config(args.config, overrides={"asr": {"vad": vad, **({"vad_threshold": thr} if thr else {})}}).asr
                r = transcribe(x, config=cfg, language="en")
                text = norm(" ".join(s.text for s in r.segments))
                if cond == "clean" and vad and thr == args.vad_thresholds[0]:
                    base = text
                w = score(base, text) if base else {}
                row = {"uri": uri, "condition": cond, "vad": vad, "vad_threshold": thr, "words": len(text.split()),
                       "vad_speech_s": round(sum(b - a for a, b in r.speech), 2),
                       "hallucinations_dropped": r.filtered.hallucinations_dropped,
                       "repetitions_dropped": r.filtered.repetitions_dropped,
                       "wer_vs_clean": w.get("wer"), "del": w.get("deletions"), "sub": w.get("substitutions"),
                       "ins": w.get("insertions")}
                rows.append(row)
                print(json.dumps(row), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_calls_asr.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development (conv/dev_r19_calls_*)", "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How many chunks of the speed benchmark's 5-minute recording the re-decode touches, and its CPU (round 24, lead).

    .venv/bin/python benchmarks/r24_lead_speed_drift.py --json benchmarks/results/r24_lead_speed_drift.json

Builds the recording as ``benchmarks/speed_run.py --minutes 5`` does, transcribes it once with the defaults
(``asr.transcribe``), and counts the chunks ``asr.is_drift`` picks and the CPU (process time) of
``asr.redecode_drift``, the second decoding that ``asr.repunctuate`` (on by default since round 24) adds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    import speed_run
    from sessionscope.audio import asr
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import Config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    wav = Path(tempfile.mkdtemp()) / "speed5.wav"
    source = speed_run.build(5, wav)
    calls = {"batches": 0, "drift_chunks": 0, "redecode_cpu_s": 0.0}
    original = asr.redecode_drift

    def counted(model: Any, encoder_output: Any, features: Any, output: Any, tokenizer: Any, options: Any,
                **kw: Any) -> Any:
        t = time.process_time()
        calls["batches"] += 1
        calls["drift_chunks"] += sum(asr.is_drift(tokenizer.decode(o["tokens"])) for o in output)
        out = original(model, encoder_output, features, output, tokenizer, options, **kw)
        calls["redecode_cpu_s"] += time.process_time() - t
        return out

    asr.redecode_drift = counted  # type: ignore[assignment]
    t = time.process_time()
    asr.transcribe(load_audio(str(wav)).mono, config=Config().asr)
    res = {"command": " ".join(sys.argv), "source": source,
           "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                                    text=True).stdout.strip(),
           **{k: round(v, 2) if isinstance(v, float) else v for k, v in calls.items()},
           "transcription_cpu_s": round(time.process_time() - t, 2)}
    print(json.dumps(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 20 (asrgap): where the second pass's CPU goes (encoder, decoder, word alignment) on libri-dev dev00.

    nice -n 10 .venv/bin/python benchmarks/r20_asrgap_profile.py --gap 4 \\
        --json benchmarks/results/r20_asrgap_profile_dev.json

``asr.transcribe`` (model base, defaults, recovery off) on the development conversation libri-dev dev00, then
``asr.recover_gaps`` with the minimum stretch ``--gap`` under ``cProfile``: wall seconds inside CTranslate2's
``encode`` (one padded 30 s window per stretch), ``generate`` (beam search) and ``align`` (word timings), and the
process CPU seconds of the batched pass and of the recovery.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import ROOT, write_result  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gap", type=float, default=4.0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.asr import get_model, recover_gaps, transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import AsrConfig

    cfg = AsrConfig(model="base", recover_gap_s=None)
    pipe = BatchedInferencePipeline(model=get_model(cfg))
    x = load_audio(ROOT / ".cache/conv/dev/dev00.wav").mono
    c0 = time.process_time()
    r = transcribe(x, config=cfg)
    pass_cpu = time.process_time() - c0
    prof = cProfile.Profile()
    c0 = time.process_time()
    prof.enable()
    _, _, gaps = recover_gaps(pipe, x, list(r.segments), r.filtered, r.speech, language=r.language, config=cfg,
                              min_gap_s=args.gap)
    prof.disable()
    rec_cpu = time.process_time() - c0
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    wall = {fn[2].split("'")[1] if "'" in fn[2] else fn[2]: round(v[3], 3) for fn, v in stats.items()
            if "ctranslate2" in fn[2] or fn[2] in ("<built-in method ctranslate2._ext.encode>",)}
    out = {"file": "libri-dev/dev00", "gap_s": args.gap, "stretches": [[round(a, 2), round(b, 2)] for a, b in gaps],
           "batched_pass_cpu_s": round(pass_cpu, 2), "recovery_cpu_s": round(rec_cpu, 2),
           "recovery_wall_s_in_ctranslate2": wall}
    print(out)
    if args.json:
        write_result(args.json, "r20_asrgap_profile.py", "DEVELOPMENT (libri-dev dev00)", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

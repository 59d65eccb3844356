"""Whether a change leaves the diarization of every development file bit for bit as it was (issue 11, round 12, speed).

    PYTHONPATH=<before>/src nice -n 10 .venv/bin/python benchmarks/diar_identical_r12_speed.py --json BEFORE.json
    nice -n 10 .venv/bin/python benchmarks/diar_identical_r12_speed.py --json AFTER.json --compare BEFORE.json

Diarizes every file of ``--sets`` (default: the bundled examples and the development sets of
``diarization_der.py``: pyannote-ami, libri-dev, farfield, farfield2; never the held-out ``ami`` /
``libri-report``) with the settings ``run`` uses (default configuration, one intra-op thread), in this
process, and records per file a SHA-256 of the turns, the centroids (all float digits) and the assignment
similarity, plus the thread CPU seconds. ``--compare``: the files whose hash differs from an earlier JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEV_SETS = ["examples", "pyannote-ami", "libri-dev", "farfield", "farfield2"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", default=DEV_SETS)
    ap.add_argument("--json", type=Path, required=True)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    if {"ami", "libri-report"} & set(args.sets):
        raise SystemExit("held-out sets are the lead's, once at the end")
    import sessionscope
    from diarization_der import cases
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    cfg = Config()
    dc = cfg.diarization
    rows = {}
    with dz.torch_threads(1):
        for name in args.sets:
            for stem, audio_path, _ in cases(name):
                audio = load_audio(audio_path)
                c = time.thread_time()
                d = dz.diarize(audio.mono, min_speakers=dc.min_speakers,
                               max_speakers=max(dc.min_speakers, dc.max_speakers), window_s=dc.window_s,
                               step_s=dc.step_s, merge_threshold=dc.merge_threshold, vad_threshold=dc.vad_threshold,
                               segmentation=dc.segmentation, params=diarization_settings(cfg))
                cpu = time.thread_time() - c
                blob = json.dumps([[t.start, t.end, t.speaker] for t in d.turns] + [d.centroids, d.assignment_similarity])
                rows[f"{name}/{stem}"] = {"sha": hashlib.sha256(blob.encode()).hexdigest()[:16], "cpu_s": round(cpu, 3),
                                          "speakers": len(d.centroids), "turns": len(d.turns)}
                print(name, stem, rows[f"{name}/{stem}"], flush=True)
    res: dict[str, object] = {"command": " ".join(["benchmarks/diar_identical_r12_speed.py", *sys.argv[1:]]),
                              "src": str(Path(sessionscope.__file__).parent),
                              "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": rows,
                              "cpu_s_total": round(sum(r["cpu_s"] for r in rows.values()), 3)}
    if args.compare:
        before = json.loads(args.compare.read_text())["files"]
        diff = sorted(k for k in rows.keys() | before.keys() if rows.get(k, {}).get("sha") != before.get(k, {}).get("sha"))
        res.update(compared_with=str(args.compare), identical=not diff, different=diff)
        print("identical" if not diff else f"DIFFERENT: {diff}")
    args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

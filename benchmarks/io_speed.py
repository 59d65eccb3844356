"""Reading speed of the transcript readers on 2-hour transcripts built from real ones.

    .venv/bin/python benchmarks/io_speed.py            # table in Markdown (docs/formats.md)
    .venv/bin/python benchmarks/io_speed.py --hours 4
    .venv/bin/python benchmarks/io_speed.py --json benchmarks/results/io_speed.json   # + raw result

Two real transcripts from ../shared/data are repeated (with shifted times) to the
requested length: the Zoom cloud-recording transcript (102 cues in 12 min: a sparse,
Zoom-style file) and the SBCSAE SBC001 STM (1,299 intonation units in 25 min: a very
dense conversation). The dense one is also written with sessionscope's own writers as
Teams-style WebVTT (``<v Name>``), SRT, RTTM and CSV, so every reader is timed on the
same content. Times are the best of five runs of ``read_transcript`` (decode, detect,
parse, build the Session), in one process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def repeat(session, hours: float):  # noqa: ANN001, ANN201
    """The session's utterances repeated, shifted in time, to ``hours`` hours."""
    span = max(u.end for u in session.utterances) + 1.0
    out, k = [], 0
    while k * span < hours * 3600:
        for u in session.utterances:
            if u.start + k * span >= hours * 3600:
                break
            out.append(replace(u, id=f"u{len(out) + 1:06d}", start=round(u.start + k * span, 3),
                               end=round(u.end + k * span, 3)))
        k += 1
    return session.evolve(utterances=tuple(out))


def best_of(fn, n: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--json", type=Path, help="also write the raw result (command, commit, data, rows) here")
    args = ap.parse_args(argv)
    from sessionscope.io import read_transcript, write_transcript

    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    zoom = read_transcript(DATA / "zoom-vtt-class-meeting/GMT20240124-202901_Recording.transcript.vtt")
    sbc = read_transcript(DATA / "sbcsae-text-refs/SBC001.stm")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        cases = []
        z = repeat(zoom, args.hours)
        p = Path(d) / "zoom.vtt"
        p.write_text("WEBVTT\n\n" + "\n".join(
            f"{i}\n{_clock(u.start)} --> {_clock(u.end)}\n{z.participant(u.speaker).name}: {u.text}\n"
            for i, u in enumerate(z.utterances, 1)), encoding="utf-8")
        cases.append(("Zoom VTT (`Name: text`)", p, len(z.utterances)))
        dense = repeat(sbc, args.hours)
        for fmt, label in (("vtt", "Teams-style VTT (`<v Name>`)"), ("srt", "SRT with names"),
                           ("csv", "CSV"), ("rttm", "RTTM (no text)"), ("json", "session.json")):
            path = write_transcript(dense, Path(d) / f"dense.{fmt}", fmt)
            n_out = sum(1 for u in dense.utterances if u.text.strip()) if fmt in ("vtt", "srt") else len(dense.utterances)
            cases.append((label, path, n_out))
        stm = Path(d) / "dense.stm"
        stm.write_text("".join(f"SBC001 1 {dense.participant(u.speaker).name} {u.start:.3f} {u.end:.3f} {u.text}\n"
                               for u in dense.utterances), encoding="utf-8")
        cases.append(("STM", stm, len(dense.utterances)))
        txt = Path(d) / "dense.txt"
        txt.write_text("".join(f"[{_clock(u.start)}] {dense.participant(u.speaker).name}: {u.text}\n"
                               for u in dense.utterances), encoding="utf-8")
        cases.append(("plain text `[time] Name: text`", txt, len(dense.utterances)))
        for label, path, n in cases:
            s = read_transcript(path)
            assert len(s.utterances) == n, (label, len(s.utterances), n)
            rows.append((label, n, path.stat().st_size / 1e6, best_of(lambda p=path: read_transcript(p))))
    print(f"| {args.hours:g}-hour transcript | utterances | MB | read_transcript (s) |")
    print("|---|---:|---:|---:|")
    for label, n, mb, sec in rows:
        print(f"| {label} | {n:,} | {mb:.2f} | {sec:.3f} |")
    if args.json:
        _write_json(args.json, args.hours, rows)
    return 0


def _write_json(path: Path, hours: float, rows: list) -> None:
    import json
    import os
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    body = {
        "command": "python benchmarks/io_speed.py " + " ".join(sys.argv[1:]), "commit": commit,
        "data": ["zoom-vtt-class-meeting/GMT20240124-202901_Recording.transcript.vtt", "sbcsae-text-refs/SBC001.stm"],
        "split": "none (speed only; real files repeated to the length)", "hours": hours,
        "loadavg_1min": os.getloadavg()[0], "method": "best of five read_transcript calls, one process",
        "rows": [{"format": label, "utterances": n, "mb": round(mb, 3), "seconds": round(sec, 4)}
                 for label, n, mb, sec in rows],
    }
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")


def _clock(t: float) -> str:
    ms = int(round(t * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


if __name__ == "__main__":
    sys.exit(main())

"""DER and talk-share error of what `run` delivers (speakers.rttm), on real voices and real meetings.

    nice -n 10 .venv/bin/python benchmarks/diarization_der.py --sets libri-report ami examples \\
        --json benchmarks/results/diarization_der.json

Runs the configured pipeline (``transcribe_file`` with ``--config`` or the default
configuration: the same code path as ``sessionscope run``), writes the session's
``speakers.rttm`` with the project's own writer, reads it back and scores it against the
reference at collar 0 and 0.25 s (md-eval convention, overlapped speech scored, speaker
count found by the tool; no manifest, so nothing tells it the count). Also scored: the
internal diarization turns, to show what alignment adds or loses.

Sets (``../shared/data``; the simulated conversations are generated first by
``benchmarks/librispeech_conversations.py``):

* ``libri-report``: simulated conversations of the *report* LibriSpeech speakers (never tuned on);
* ``libri-dev``: ... of the development speakers (tuning set);
* ``farfield``: simulated far-field 3-4 person meetings of the development speakers
  (``benchmarks/farfield_meetings.py``; development);
* ``ami``: ``ami-audio-excerpts`` (held out: report only);
* ``pyannote-ami``: ``pyannote-ami-excerpts`` and ``pyannote-sample`` (development);
* ``examples``: the bundled TTS example sessions (EN, RU).

Talk-share error: per reference speaker, |hypothesis share − reference share| in points,
after the optimal speaker mapping; a share is a speaker's speech time over the sum of all
speakers' speech times (overlap counted for each, as the dynamics stage does).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CONV = ROOT / ".cache" / "conv"


def cases(name: str) -> list[tuple[str, Path, Path]]:
    if name in ("libri-report", "libri-dev"):
        folder = CONV / name.split("-")[1]
        if not (folder / "reference.rttm").is_file():
            raise SystemExit(f"generate first: .venv/bin/python benchmarks/librispeech_conversations.py "
                             f"--split {name.split('-')[1]} --out {folder}")
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name == "farfield":
        folder = CONV / "farfield"
        if not (folder / "reference.rttm").is_file():
            raise SystemExit(f"generate first: .venv/bin/python benchmarks/farfield_meetings.py --out {folder}")
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name == "ami":
        folder = DATA / "ami-audio-excerpts"
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name == "pyannote-ami":
        folder = DATA / "pyannote-ami-excerpts"
        out = [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
        return out + [("sample", DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm")]
    if name == "examples":
        out = []
        for rttm in sorted((ROOT / "examples").glob("*/reference.rttm")):
            audio = next(iter(sorted(rttm.parent.glob("recording.*"))), None)
            if audio:
                out.append((rttm.parent.name, audio, rttm))
        return out
    raise SystemExit(f"unknown set {name}")


def shares(segs: list[tuple[float, float, str]]) -> dict[str, float]:
    from sessionscope.analysis import intervals as iv

    talk = {s: iv.total(iv.merge((a, b) for a, b, x in segs if x == s)) for s in {x for *_, x in segs}}
    total = sum(talk.values())
    return {s: v / total for s, v in talk.items()} if total else {}


def share_errors(ref: list[tuple[float, float, str]], hyp: list[tuple[float, float, str]]) -> dict[str, float]:
    """|share error| in points per reference speaker, after the optimal (overlap-time) mapping."""
    from scipy.optimize import linear_sum_assignment

    rs, hs = shares(ref), shares(hyp)
    rl, hl = sorted(rs), sorted(hs)
    if not hl:
        return {r: 100 * rs[r] for r in rl}
    co = np.array([[sum(max(0.0, min(b, d) - max(a, c)) for a, b, x in ref if x == r for c, d, y in hyp if y == h)
                    for h in hl] for r in rl])
    ri, hi = linear_sum_assignment(-co)
    match = {rl[i]: hl[j] for i, j in zip(ri, hi, strict=True)}
    return {r: round(100 * abs(rs[r] - hs.get(match.get(r, ""), 0.0)), 2) for r in rl}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["libri-report", "ami", "examples"])
    ap.add_argument("--config", type=Path, help="configuration file (default: the built-in defaults, as `run`)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files per set (0: all)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.config import load_config
    from sessionscope.errors import AudioError
    from sessionscope.io import write_transcript

    config = load_config(args.config)
    rows = []
    load0 = os.getloadavg()[0]
    for set_name in args.sets:
        todo = cases(set_name)
        if args.limit:
            todo = todo[: args.limit]
        for uri, wav, rttm in todo:
            ref = read_rttm(rttm)[uri]
            t0, c0 = time.perf_counter(), time.process_time()
            error = None
            try:
                s = transcribe_file(wav, config=config, session_id=uri)
            except AudioError as e:  # "no speech found": scored as an empty hypothesis (what the user got)
                print(f"{uri}: {e}", file=sys.stderr)
                s, error = None, str(e)
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            if s is not None:
                with tempfile.TemporaryDirectory() as tmp:
                    out = write_transcript(s, Path(tmp) / "speakers.rttm", "rttm")
                    delivered = next(iter(read_rttm(out).values()), [])
                internal = [(a, b, lab) for a, b, lab in s.extra["audio"]["speaker_turns"]]
                dur = s.duration_s or max(e for _, e, _ in ref)
            else:
                delivered, internal, dur = [], [], load_audio(wav).duration_s
            row = {"set": set_name, "uri": uri, "ref_speakers": len({x for *_, x in ref}),
                   "hyp_speakers": len({x for *_, x in delivered}), "seconds": round(secs, 1), "cpu_s": round(cpu, 1),
                   "audio_s": round(dur, 1), "method": s.extra["audio"]["diarization"] if s is not None else None,
                   "error": error}
            for name, hyp in (("run", delivered), ("diar", internal)):
                for collar in (0.0, 0.25):
                    r = der(ref, hyp, collar=collar, uem=(0.0, dur))
                    row[f"{name}_der_c{collar}"] = round(100 * r.der, 2)
                    if name == "run":
                        row[f"run_miss_c{collar}"] = round(100 * r.missed / r.reference, 2)
                        row[f"run_fa_c{collar}"] = round(100 * r.false_alarm / r.reference, 2)
                        row[f"run_conf_c{collar}"] = round(100 * r.confusion / r.reference, 2)
                        row[f"run_ref_s_c{collar}"] = round(r.reference, 3)  # scored speaker time, for the pooled DER
                        row[f"run_err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
            errs = share_errors(ref, delivered)
            row["share_err_max"] = max(errs.values()) if errs else None
            row["share_err"] = errs
            rows.append(row)
            print(json.dumps(row), flush=True)
    summary = {}
    for set_name in args.sets:
        rs = [r for r in rows if r["set"] == set_name]
        failed = [r["uri"] for r in rows if r["set"] == set_name and r["error"]]
        if not rs:
            continue
        summary[set_name] = {
            "files": len(rs), "failed": failed,
            **{k: round(float(np.mean([r[k] for r in rs])), 2) for k in
               ("run_der_c0.0", "run_der_c0.25", "diar_der_c0.0", "diar_der_c0.25", "run_miss_c0.0", "run_fa_c0.0",
                "run_conf_c0.0")},
            # pooled: total error time over total scored speaker time (a per-file mean lets clips with
            # under a second of speech weigh as much as a whole talk)
            **{f"run_der_pooled_c{c}": round(100 * sum(r[f"run_err_s_c{c}"] for r in rs)
                                             / max(sum(r[f"run_ref_s_c{c}"] for r in rs), 1e-9), 2) for c in (0.0, 0.25)},
            "count_right": f"{sum(r['ref_speakers'] == r['hyp_speakers'] for r in rs)}/{len(rs)}",
            "share_err_mean": round(float(np.mean([v for r in rs for v in r["share_err"].values()])), 2),
            "share_err_max": max(r["share_err_max"] for r in rs),
            "share_within_5pt": f"{sum(v <= 5 for r in rs for v in r['share_err'].values())}/"
                                f"{sum(len(r['share_err']) for r in rs)}",
            "cpu_s_per_audio_s": round(sum(r["cpu_s"] for r in rs) / sum(r["audio_s"] for r in rs), 3),
        }
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/diarization_der.py", *sys.argv[1:]]), "commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "data": {s: ("held out (report only)" if s in ("ami", "libri-report") else
                         "development" if s in ("libri-dev", "pyannote-ami", "farfield") else "bundled examples") for s in args.sets},
            "config": str(args.config or "defaults"), "load_average_at_start": round(load0, 2), "cores": os.cpu_count(),
            "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

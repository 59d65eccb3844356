"""Diarization error rate of sessionscope's diarization on the real data in ../shared/data.

    .venv/bin/python benchmarks/diarization_der.py [--oracle] [--json OUT]

Scores the bundled examples (TTS sessions with RTTM), pyannote-sample (2 speakers, telephone-like) and the four pyannote AMI excerpts
(2-4 speakers, far-field, overlap) at collar 0 and 0.25 s (md-eval convention, overlap
scored), with the automatic speaker count (default) or the reference count (--oracle).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oracle", action="store_true", help="give the reference speaker count")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import diarize

    cases = [("pyannote-sample", "sample", DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm")]
    for uri in ("dev00", "dev01", "trn05", "trn08"):
        cases.append(("pyannote-ami-excerpts", uri, DATA / f"pyannote-ami-excerpts/{uri}.wav",
                      DATA / "pyannote-ami-excerpts/reference.rttm"))
    for rttm in sorted((ROOT / "examples").glob("*/reference.rttm")):
        audio_path = next(iter(sorted(rttm.parent.glob("recording.*"))), None)
        if audio_path:
            cases.insert(0, ("examples", rttm.parent.name, audio_path, rttm))
    rows = []
    tot = {0.0: [0.0, 0.0, 0.0, 0.0], 0.25: [0.0, 0.0, 0.0, 0.0]}
    for corpus, uri, wav, rttm in cases:
        ref = read_rttm(rttm)[uri]
        audio = load_audio(wav)
        n_ref = len({s for *_, s in ref})
        t0 = time.perf_counter()
        kw = {"min_speakers": n_ref, "max_speakers": n_ref} if args.oracle else {}
        d = diarize(audio.mono, **kw)
        secs = time.perf_counter() - t0
        hyp = [(t.start, t.end, t.speaker) for t in d.turns]
        row = {"corpus": corpus, "uri": uri, "ref_speakers": n_ref, "hyp_speakers": len(d.centroids),
               "seconds": round(secs, 2), "rtf": round(secs / audio.duration_s, 3)}
        for collar in (0.0, 0.25):
            r = der(ref, hyp, collar=collar, uem=(0.0, audio.duration_s))
            row[f"der_c{collar}"] = round(100 * r.der, 1)
            row[f"miss_c{collar}"] = round(100 * r.missed / r.reference, 1)
            row[f"fa_c{collar}"] = round(100 * r.false_alarm / r.reference, 1)
            row[f"conf_c{collar}"] = round(100 * r.confusion / r.reference, 1)
            if corpus == "pyannote-ami-excerpts":
                t = tot[collar]
                t[0] += r.missed
                t[1] += r.false_alarm
                t[2] += r.confusion
                t[3] += r.reference
        rows.append(row)
    print("| file | speakers ref/found | DER c0 | (miss/FA/conf) | DER c0.25 | (miss/FA/conf) | RTF |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['corpus']}/{r['uri']} | {r['ref_speakers']}/{r['hyp_speakers']} | {r['der_c0.0']} % | "
              f"{r['miss_c0.0']}/{r['fa_c0.0']}/{r['conf_c0.0']} | {r['der_c0.25']} % | "
              f"{r['miss_c0.25']}/{r['fa_c0.25']}/{r['conf_c0.25']} | {r['rtf']} |")
    for collar, (m, f, c, ref) in tot.items():
        print(f"AMI excerpts pooled, collar {collar}: DER {100 * (m + f + c) / ref:.1f} % "
              f"(miss {100 * m / ref:.1f}, FA {100 * f / ref:.1f}, confusion {100 * c / ref:.1f})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

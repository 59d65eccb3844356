"""Round 19 (pairs): what the reference frames that ``--min-run 0.1`` removes are, by the segmentation network's
P(speech) and Whisper's words, against the frames both references call speech (development data only).

    nice -n 10 .venv/bin/python benchmarks/r19_pairs_removed.py --old .cache/conv/dev --new .cache/conv/dev_r19ref \\
        --json benchmarks/results/r19_pairs_ref_removed.json

Same audio in both folders (checked); also, for files whose speaker count is wrong, the overlap (s)
of each reference speaker with each delivered speaker.
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

ROOT = Path(__file__).resolve().parents[1]


def stats(m: np.ndarray, last: dict) -> dict:
    n = int(m.sum())
    return {"s": round(n / 100, 2),
            "p_speech_median": round(float(np.median(last["pmax"][m])), 3) if n else None,
            "share_p_over_0.5": round(float((last["pmax"][m] > 0.5).mean()), 3) if n else None,
            "share_with_words": round(float(last["word"][m].mean()), 3) if n else None,
            "share_delivered": round(float(last["run"][m].mean()), 3) if n else None,
            "level_db_median": round(float(np.median(last["db"][m])), 1) if n else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--new", type=Path, required=True)
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks/configs/tiny_en.yaml")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config

    config = load_config(args.config)
    old, new = read_rttm(args.old / "reference.rttm"), read_rttm(args.new / "reference.rttm")
    rows: list[dict] = []
    pooled: dict[str, list[dict[str, np.ndarray]]] = {"removed": [], "kept": []}
    for wav in sorted(args.old.glob("*.wav")):
        uri = wav.stem
        if (args.new / wav.name).read_bytes() != wav.read_bytes():
            raise SystemExit(f"{uri}: the audio differs")
        diag.analyse(wav, old[uri], config)
        last = dict(diag.LAST)
        n = len(last["pmax"])
        mo, mn = diag.frames(old[uri], n), diag.frames(new[uri], n)
        row = {"uri": uri, "removed": {}, "kept": stats(mo & mn, last), "added_s": round((mn & ~mo).sum() / 100, 2)}
        for sp in sorted({x for *_, x in old[uri]}):
            v = diag.frames([r for r in old[uri] if r[2] == sp], n)
            row["removed"][sp] = stats(v & ~mn, last)
        pooled["removed"].append({k: last[k][mo & ~mn] for k in ("pmax", "word", "run", "db")})
        pooled["kept"].append({k: last[k][mo & mn] for k in ("pmax", "word", "run", "db")})
        hyp = sorted({x for *_, x in new[uri]})
        if row["removed"] and len({x for *_, x in old[uri]}) >= 3:
            spk_hyp = {}
            ref_sp = sorted({x for *_, x in old[uri]})
            # the delivered speakers' frames (diag.LAST has only the union): from the session again
            spk_hyp = last.get("hyp_frames", {})
            row["overlap_s"] = {r: {h: round(float((diag.frames([t for t in new[uri] if t[2] == r], n) & m).sum() / 100), 2)
                                    for h, m in spk_hyp.items()} for r in ref_sp}
        del hyp
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {}
    for k, parts in pooled.items():
        cat = {f: np.concatenate([p[f] for p in parts]) for f in ("pmax", "word", "run", "db")}
        summary[k] = stats(np.ones(len(cat["pmax"]), dtype=bool), cat)
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_pairs_removed.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development (libri-dev readers)", "summary": summary, "rows": rows},
                                        indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

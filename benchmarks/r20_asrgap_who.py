"""Round 20 (asrgap): whose speech does the batched pass skip? (libri-dev and far-field: reference speakers known)

    .venv/bin/python benchmarks/r20_asrgap_who.py --json benchmarks/results/r20_asrgap_who_dev.json

For every stretch without words of the shipped first pass (``r20_asrgap_recover_dev.json``, variant ``base``,
``asr.uncovered`` 2 s), the reference speech inside it (``reference.rttm``) is split into the speaker who talks
most in the 30 s around the stretch (15 s each side, the stretch itself left out) and everyone else.
Baseline: the same split for every 5 s window of the same files (step 5 s), skipped or not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import ROOT, write_result  # noqa: E402


def turns(path: Path) -> dict[str, list[tuple[float, float, str]]]:
    out: dict[str, list[tuple[float, float, str]]] = {}
    for line in path.read_text().splitlines():
        p = line.split()
        if p and p[0] == "SPEAKER":
            out.setdefault(p[1], []).append((float(p[3]), float(p[3]) + float(p[4]), p[7]))
    return out


def overlap(t: list[tuple[float, float, str]], a: float, b: float) -> dict[str, float]:
    d: dict[str, float] = {}
    for s, e, spk in t:
        o = min(e, b) - max(s, a)
        if o > 0:
            d[spk] = d.get(spk, 0.0) + o
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    res = json.loads((ROOT / "benchmarks/results/r20_asrgap_recover_dev.json").read_text(encoding="utf-8"))
    refs = {"libri-dev": turns(ROOT / ".cache/conv/dev/reference.rttm"),
            "farfield": turns(ROOT / ".cache/conv/farfield/reference.rttm")}
    out: dict[str, Any] = {}
    for uri, f in res["files"].items():
        s, stem = uri.split("/")
        if s not in refs:
            continue
        t = refs[s].get(stem, [])
        o = out.setdefault(s, {"stretches": 0, "ref_speech_s": 0.0, "other_speaker_s": 0.0})
        base = out.setdefault(f"{s} (every 5 s window)", {"stretches": 0, "ref_speech_s": 0.0, "other_speaker_s": 0.0})
        end = max((e for _, e, _ in t), default=0.0)
        windows = [(float(x), float(x) + 5.0) for x in range(0, int(end), 5)]
        for (a, b), acc in [*[(g, o) for g in f["base"]["uncovered"]], *[(w, base) for w in windows]]:
            around = overlap(t, a - 15, a)
            for k, v in overlap(t, b, b + 15).items():
                around[k] = around.get(k, 0.0) + v
            main_spk = max(around, key=lambda k: around[k]) if around else None
            inside = overlap(t, a, b)
            acc["stretches"] += 1
            acc["ref_speech_s"] += sum(inside.values())
            acc["other_speaker_s"] += sum(v for k, v in inside.items() if k != main_spk)
    for v in out.values():
        v["ref_speech_s"] = round(v["ref_speech_s"], 1)
        v["other_speaker_s"] = round(v["other_speaker_s"], 1)
    print(out)
    if args.json:
        write_result(args.json, "r20_asrgap_who.py", "DEVELOPMENT (libri-dev, simulated far-field)", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

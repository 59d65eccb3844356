"""Round 25 (issue 11): where the reference's pauses inside a speaker's turn go in what ``run`` delivers.

    nice -n 10 .venv/bin/python benchmarks/r25_pauses_diag.py --json benchmarks/results/r25_pauses_diag.json

For every development file (the sets of ``benchmarks/r25_pauses.py``; ``tiny.en`` configuration, the examples
with the defaults; transcription and diarization from the result cache when present, as ``run``), the reference
silences inside one speaker's turn (consecutive reference segments of that speaker with nobody else speaking in
between, as ``dynamics.pauses`` reads them) are split by length: 0.25-0.5 s, 0.5-1 s (pauses the measures
ignore, ``turn_merge_gap_s`` = 1 s, but talk time does not) and >= 1 s (the measures' pauses). For each: the share
of its time that the same speaker's diarization turns cover (bridged by the network, after the level edges), that
the same speaker's delivered utterances cover (talk time: bridged or filled with words), that another label covers;
and its level against the recording's floor and the speaker's level (the fraction of the way from the floor to
the voice's level, ``reconstruct.level_edges``' scale): what a carving threshold would need. Variants as
``r25_pauses.py`` (``--edges`` JSON, default the shipped growth). Development sets only; never a held-out set.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BINS = ((0.25, 0.5), (0.5, 1.0), (1.0, float("inf")))


def ref_pauses(ref: list[tuple[float, float, str]], min_s: float = 0.25) -> list[tuple[float, float, str]]:
    """Silences of at least ``min_s`` between consecutive segments of one speaker with no other speaker's
    segment starting in between (the reference's within-turn pauses, any length)."""
    out: list[tuple[float, float, str]] = []
    segs = sorted(ref)
    end: dict[str, float] = {}
    last = None
    for a, b, x in segs:
        if last == x and x in end and a - end[x] >= min_s and not any(
                y != x and c < a and d > end[x] for c, d, y in segs):
            out.append((end[x], a, x))
        end[x] = max(end.get(x, b), b) if last == x else b
        last = x
    return out


def covered(span: tuple[float, float], segs: list[tuple[float, float, str]], who: str | None, same: bool) -> float:
    """Share of ``span`` covered by ``segs`` of speaker ``who`` (``same``) or of anyone else."""
    from sessionscope.analysis import intervals as iv

    a, b = span
    mine = iv.merge((max(a, s), min(b, e)) for s, e, x in segs if (x == who) == same and e > a and s < b)
    return iv.total(mine) / (b - a)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=None)
    ap.add_argument("--edges", default=None, metavar="JSON", help="LevelEdges settings (default: the shipped ones)")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import r25_pauses as pa

    share = pa._module("r24_share")
    sets = args.sets or list(pa.SETS)
    bad = [s for s in sets if s in share.HELD_OUT or s.startswith("conv/report")]
    if bad:
        raise SystemExit(f"held-out sets are not for this script: {bad}")
    if args.edges is not None:
        share.use_edges(json.loads(args.edges))
    dd = share._der_module()
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.reconstruct import LevelEdges, frame_db
    from sessionscope.config import load_config

    q = LevelEdges().level_q
    rows: list[dict[str, Any]] = []
    for set_name in sets:
        config = load_config(None if set_name == "examples" else share.CONFIG)
        for uri, wav, rttm in dd.cases(set_name):
            ref = read_rttm(rttm)[uri]
            delivered, internal, dur, _ = share.run_file(wav, uri, config)
            m = share.mapping(share.frames(ref, sorted({x for *_, x in ref}), int(dur / share.STEP) + 2),
                              share.frames(delivered, sorted({x for *_, x in delivered}), int(dur / share.STEP) + 2))
            rl, hl = sorted({x for *_, x in ref}), sorted({x for *_, x in delivered})
            label = {rl[i]: hl[j] for i, j in m.items()}
            db = frame_db(load_audio(wav).mono)
            n = len(db)
            act = np.zeros(n, dtype=bool)
            for a, b, _ in internal:
                act[int(a * 100):int(b * 100)] = True
            floor = float(np.median(db[~act])) if (~act).sum() >= 200 else float("nan")
            levels = {}
            for x in rl:
                solo = np.zeros(n, dtype=bool)
                for a, b, y in ref:
                    if y == x:
                        solo[int(a * 100):int(b * 100)] = True
                for a, b, y in ref:
                    if y != x:
                        solo[int(a * 100):int(b * 100)] = False
                levels[x] = float(np.percentile(db[solo], q)) if solo.sum() >= 100 else float("nan")
            for a, b, x in ref_pauses(ref):
                h = label.get(x)
                mid = db[int(a * 100):int(b * 100)]
                way = (float(np.percentile(mid, 90)) - floor) / (levels[x] - floor) if len(mid) and levels[x] > floor else float("nan")
                rows.append({"set": set_name, "uri": uri, "start": round(a, 2), "len": round(b - a, 2), "speaker": x,
                             "diar_same": round(covered((a, b), internal, h, True), 3),
                             "run_same": round(covered((a, b), delivered, h, True), 3),
                             "run_other": round(covered((a, b), delivered, h, False), 3),
                             "level_way_p90": round(way, 3)})
    summary: dict[str, Any] = {}
    for set_name in sets:
        for lo, hi in BINS:
            rs = [r for r in rows if r["set"] == set_name and lo <= r["len"] < hi]
            if not rs:
                continue
            ways = [r["level_way_p90"] for r in rs if r["level_way_p90"] == r["level_way_p90"]]
            summary[f"{set_name} {lo}-{hi}"] = {
                "pauses": len(rs), "total_s": round(sum(r["len"] for r in rs), 1),
                **{k: round(float(np.average([r[k] for r in rs], weights=[r["len"] for r in rs])), 3)
                   for k in ("diar_same", "run_same", "run_other")},
                "level_way_p90_median": round(float(np.median(ways)), 3) if ways else None,
                "quiet_under_0.3": round(float(np.mean([w < 0.3 for w in ways])), 3) if ways else None}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "command": " ".join(["benchmarks/r25_pauses_diag.py", *sys.argv[1:]]), "commit": share.git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "config": str(share.CONFIG.relative_to(ROOT)),
        "data": "development sets only (and the bundled examples, default config); no held-out set",
        "edges": args.edges, "summary": summary, "rows": rows}, indent=1))
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

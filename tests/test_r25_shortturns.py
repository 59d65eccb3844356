"""Round 25 (issue 11): a short answer that the segmentation gives the other speaker's local label, between pauses
of 0.3-0.5 s, is embedded on its own (runs split again at ``DiarizationParams.assign_gap_s`` = 0.3 s) and assigned to
the voices found from the 0.5 s runs: it becomes its speaker's turn, and the voices do not change.
Synthetic segmentation and embeddings (no models)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np

from sessionscope.audio.diarize import DiarizationParams, assign_to_voices, diarize_local, split_finer
from sessionscope.audio.reconstruct import LocalSegmentation, split_runs

STEP = 0.02
F = int(10.0 / STEP)
# A talks, pauses 0.35 s, B answers for 0.8 s ("yes, I did"), 0.35 s, A goes on; later B talks at length
A_SPANS = [(0.0, 4.0), (5.5, 14.0), (26.0, 30.0)]
B_ANSWER = (4.35, 5.15)
B_LONG = (15.0, 25.5)


def _whole(seed: int = 3) -> tuple[LocalSegmentation, np.ndarray, np.ndarray]:
    """The segmentation as the model gives it (A and B's short answer under one local label, B's long speech under
    another), who speaks in each chunk frame, and the two voices."""
    rng = np.random.default_rng(seed)
    voices = rng.normal(size=(2, 32))
    starts = np.arange(0.0, 20.0 + 1e-9, 5.0)
    b = np.zeros((len(starts), F, 3), dtype=np.uint8)
    truth = np.full((len(starts), F), -1)
    for ci, s0 in enumerate(starts):
        t = s0 + np.arange(F) * STEP + STEP / 2
        for a, e in [*A_SPANS, B_ANSWER]:
            b[ci, (t >= a) & (t < e), 0] = 1
        b[ci, (t >= B_LONG[0]) & (t < B_LONG[1]), 1] = 1
        for a, e in A_SPANS:
            truth[ci, (t >= a) & (t < e)] = 0
        truth[ci, (t >= B_ANSWER[0]) & (t < B_ANSWER[1])] = 1
        truth[ci, (t >= B_LONG[0]) & (t < B_LONG[1])] = 1
    return LocalSegmentation(starts, b, STEP, STEP / 2, 30.0), truth, voices


def _runs_at(gap: float, seed: int = 3) -> tuple:
    """(seg, emb, usable, trainable, origin) of the runs split at ``gap``: each run's embedding is the voice of
    whoever speaks most in it, plus noise (what CAM++ gives a clean run)."""
    whole, truth, voices = _whole(seed)
    rng = np.random.default_rng(seed + 1)
    seg, origin = split_runs(whole, min_gap_s=gap)
    c_n, _, r_n = seg.binarized.shape
    emb = np.zeros((c_n, r_n, 32), dtype=np.float32)
    for ci in range(c_n):
        for r in range(r_n):
            m = seg.binarized[ci, :, r].astype(bool)
            if m.any():
                who = np.bincount(truth[ci, m][truth[ci, m] >= 0], minlength=2).argmax()
                emb[ci, r] = voices[who] + 0.15 * rng.normal(size=32)
    usable = seg.binarized.any(axis=1)
    trainable = seg.binarized.sum(axis=1) * STEP >= 1.0
    return seg, emb, usable, trainable, origin


def _diarize(params: DiarizationParams):  # noqa: ANN202
    local = _runs_at(params.split_gap_s)
    if 0 < params.assign_gap_s < params.split_gap_s:
        fseg, femb, fusable, _, forigin = _runs_at(params.assign_gap_s)
        local = (*local, (fseg, femb, fusable, forigin))
    return diarize_local(np.zeros(1, dtype=np.float32), params=params, local=local)


def _answer_turns(params: DiarizationParams) -> list:
    d = _diarize(params)
    assert len(d.centroids) == 2
    b_label = max(d.speakers, key=lambda s: sum(min(t.end, B_LONG[1]) - max(t.start, B_LONG[0])
                                                for t in d.turns if t.speaker == s))
    return [t for t in d.turns if t.speaker == b_label and t.start < B_ANSWER[1] and t.end > B_ANSWER[0]]


def test_defaults_are_the_measured_ones():
    p = DiarizationParams()
    assert (p.split_gap_s, p.assign_gap_s) == (0.5, 0.3)


def test_a_short_answer_between_short_pauses_is_its_speakers_turn():
    turns = _answer_turns(DiarizationParams())
    assert len(turns) == 1
    assert abs(turns[0].start - B_ANSWER[0]) < 0.15 and abs(turns[0].end - B_ANSWER[1]) < 0.15


def test_without_the_finer_runs_the_answer_stays_in_the_other_speakers_run():
    # split at 0.5 s pauses only (the code before round 25): the answer is one run with A's speech, embedded as A
    assert _answer_turns(dataclasses.replace(DiarizationParams(), assign_gap_s=0.0)) == []


def test_the_finer_runs_do_not_change_the_voices():
    on, off = _diarize(DiarizationParams()), _diarize(dataclasses.replace(DiarizationParams(), assign_gap_s=0.0))
    assert sorted(on.centroids.values()) == sorted(off.centroids.values())


def test_split_finer_keeps_the_embeddings_of_unchanged_runs_without_the_model():
    # no pause between 0.3 and 0.5 s: every finer run is a coarser one, nothing is embedded (no model is loaded)
    b = np.zeros((1, F, 3), dtype=np.uint8)
    b[0, 0:100, 0] = 1
    b[0, 150:200, 0] = 1  # a 1 s pause
    b[0, 20:60, 1] = 1
    whole = LocalSegmentation(np.array([0.0]), b, STEP, STEP / 2, 10.0)
    seg, origin = split_runs(whole, min_gap_s=0.5)
    emb = np.random.default_rng(0).normal(size=(1, seg.binarized.shape[2], 192)).astype(np.float32)
    usable = seg.binarized.any(axis=1)
    fseg, femb, fusable, forigin = split_finer(np.zeros(16000 * 10, dtype=np.float32), whole,
                                               (seg, emb, usable, origin), DiarizationParams())
    assert np.array_equal(fseg.binarized, seg.binarized) and np.array_equal(forigin, origin)
    assert np.array_equal(femb, emb) and np.array_equal(fusable, usable)


def test_assign_to_voices_gives_co_active_runs_distinct_voices():
    cents = np.eye(2, 4)
    emb = np.zeros((1, 3, 4))
    emb[0, 0] = [1.0, 0.1, 0, 0]
    emb[0, 1] = [0.9, 0.2, 0, 0]  # nearer voice 0 too, but active with run 0
    emb[0, 2] = [0.0, 1.0, 0, 0]
    act = np.zeros((1, 10, 3), dtype=np.uint8)
    act[0, 0:5, 0] = act[0, 3:7, 1] = act[0, 8:10, 2] = 1
    clusters, sim = assign_to_voices(emb, np.array([[True, True, True]]), act, cents)
    assert clusters.tolist() == [[0, 1, 1]]
    assert sim[0, 0] > sim[0, 1]
    empty, _ = assign_to_voices(emb, np.array([[True, True, True]]), act, np.zeros((0, 4)))
    assert (empty == -1).all()


def test_split_runs_cuts_at_the_pause_length():
    b = np.zeros((1, F, 3), dtype=np.uint8)
    b[0, 0:100, 0] = 1  # 2 s, a 0.4 s pause (20 frames), 1 s, a 0.2 s pause (10 frames), 1 s
    b[0, 120:170, 0] = 1
    b[0, 180:230, 0] = 1
    seg = LocalSegmentation(np.array([0.0]), b, STEP, STEP / 2, 10.0)
    for gap, runs in ((0.5, 1), (0.3, 2), (0.2, 3)):
        split, origin = split_runs(seg, min_gap_s=gap)
        assert int(split.binarized[0].any(axis=0).sum()) == runs
        assert set(origin[0][origin[0] >= 0].tolist()) == {0}


def test_benchmark_floor_turns_and_matching():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from r25_shortturns import bin_of, floor_turns, match_turns

    ref = [(0.0, 4.0, "A"), (4.35, 5.15, "B"), (5.5, 9.0, "A"), (9.5, 10.0, "A")]
    assert floor_turns(ref) == [(0.0, 4.0, "A"), (4.35, 5.15, "B"), (5.5, 10.0, "A")]
    hyp_missed = floor_turns([(0.0, 10.0, "x")])
    hyp_found = floor_turns([(0.0, 4.1, "x"), (4.3, 5.2, "y"), (5.4, 10.0, "x")])
    back = {"x": "A", "y": "B"}
    assert match_turns(floor_turns(ref), hyp_missed, back) == set()
    assert match_turns(floor_turns(ref), hyp_found, back) == {1, 2}
    assert bin_of(0.8) == "<1s" and bin_of(1.5) == "1-2s" and bin_of(4.0) == ">=4s"

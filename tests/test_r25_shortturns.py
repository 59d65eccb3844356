"""Round 25 (issue 11): a short answer that the segmentation gives the other speaker's local label, between pauses
of 0.3-0.5 s, is embedded on its own (runs split again at ``DiarizationParams.assign_gap_s`` = 0.3 s) and assigned to
the voices found from the 0.5 s runs: it becomes its speaker's turn, and the voices do not change.
Synthetic segmentation and embeddings (no models)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sessionscope.audio.diarize import (
    DiarizationParams,
    assign_to_voices,
    diarize_local,
    finer_embeddings,
    finer_runs,
    finer_to_embed,
)
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


def test_finer_runs_keep_the_embeddings_of_unchanged_runs_without_the_model():
    # no pause between 0.3 and 0.5 s: every finer run is a coarser one, nothing is embedded (no model is loaded)
    b = np.zeros((1, F, 3), dtype=np.uint8)
    b[0, 0:100, 0] = 1
    b[0, 150:200, 0] = 1  # a 1 s pause
    b[0, 20:60, 1] = 1
    whole = LocalSegmentation(np.array([0.0]), b, STEP, STEP / 2, 10.0)
    seg, origin = split_runs(whole, min_gap_s=0.5)
    emb = np.random.default_rng(0).normal(size=(1, seg.binarized.shape[2], 192)).astype(np.float32)
    usable = seg.binarized.any(axis=1)
    fseg, forigin, same = finer_runs(whole, seg, origin, DiarizationParams())
    assert not finer_to_embed(fseg, same).any()  # nothing to embed: no model is needed
    fseg, femb, fusable, forigin = finer_embeddings(fseg, forigin, same, emb, usable, None)
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


def _fake_campplus(monkeypatch: Any) -> list[int]:
    """CAM++ replaced by a function of each row's own frames (ONNX-like: rows computed one by one); returns the
    list that the row counts of its calls go to."""
    import sessionscope.models as models
    from sessionscope.audio import onnx_models

    model = object.__new__(onnx_models.OnnxModel)
    calls: list[int] = []

    def fake_infer(m, batch, device="cpu"):  # noqa: ANN001, ANN202
        calls.append(len(batch))
        out = np.zeros((len(batch), 192), dtype=np.float32)
        out[:, :80] = np.abs(batch).sum(axis=1)
        out[:, 80] = batch.shape[1]
        return out

    monkeypatch.setattr(models, "load_campplus", lambda device="cpu": model)
    monkeypatch.setattr(onnx_models, "infer", fake_infer)
    return calls


def test_one_pass_gives_the_finer_runs_the_embeddings_of_their_own_pass(monkeypatch):
    """Round 26 (issue 11, speed): the finer runs are embedded in the coarse runs' pass (embed_slots), each chunk's
    fbank frames computed once; the numbers are those of a separate local_embeddings call per segmentation."""
    from sessionscope.audio import diarize as dz

    _fake_campplus(monkeypatch)
    frames: list[int] = []
    fbank = dz._fbank

    def counting_fbank(x):  # noqa: ANN001, ANN202
        out = fbank(x)
        frames.append(len(out))
        return out

    monkeypatch.setattr(dz, "_fbank", counting_fbank)
    whole, _, _ = _whole()
    p = DiarizationParams()
    seg, origin = split_runs(whole, min_gap_s=p.split_gap_s)
    fseg, forigin, same = dz.finer_runs(whole, seg, origin, p)
    new = dz.finer_to_embed(fseg, same)
    assert new.any() and (same >= 0).any()  # the answer's run is new; B's long run is a coarse one
    x = np.random.default_rng(5).normal(scale=0.05, size=16000 * 31).astype(np.float32)
    kw = {"max_s": p.embed_max_s, "min_s": p.embed_min_s, "min_usable_s": p.min_usable_s, "min_train_s": p.min_train_s}
    coarse = dz.local_embeddings(x, seg, own_only=True, **kw)
    alone = sum(frames)
    fine = dz.local_embeddings(x, fseg, own_only=True, only=new, **kw)
    frames.clear()
    both = dz.embed_slots(x, [(seg, None, True), (fseg, new, True)], **kw)
    assert sum(frames) == alone  # the features of the recording once, as for the coarse runs alone
    for got, want in zip(both, (coarse, fine), strict=True):
        for g, w in zip(got, want, strict=True):
            assert np.array_equal(g, w)
    _, femb, fusable, _ = dz.finer_embeddings(fseg, forigin, same, coarse[0], coarse[1], both[1])
    ci, r = np.nonzero(same >= 0)
    assert np.array_equal(femb[ci, r], coarse[0][ci, same[ci, r]])
    assert np.array_equal(femb[new], fine[0][new]) and np.array_equal(fusable[new], fine[1][new])


def test_embed_slots_refuses_segmentations_of_other_chunks():
    from sessionscope.audio import diarize as dz

    whole, _, _ = _whole()
    other = LocalSegmentation(whole.starts + 1.0, whole.binarized, whole.frame_step, whole.frame_offset, whole.duration)
    with pytest.raises(ValueError, match="share their chunks"):
        dz.embed_slots(np.zeros(16000, dtype=np.float32), [(whole, None, False), (other, None, False)])


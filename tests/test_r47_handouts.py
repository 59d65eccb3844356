"""Round 47 (issue 10): task hand-outs in AMI's small-talk segments, the gate's training labels and measures (model-free).

The retrained gate was measured and not shipped (docs/benchmarks/topics.md, round 47); what stays is the benchmark
code: the hand-out flag of a turn, the ``handouts`` choice of the gate's training windows, the hand-out measures and
the written follow-up rows.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import r47_handout_gate as R  # noqa: E402
import topics_ami as T  # noqa: E402
from sessionscope.analysis.topics.labels import read_labels  # noqa: E402
from sessionscope.analysis.topics.taxonomy import load_taxonomy  # noqa: E402
from sessionscope.config import TopicsConfig  # noqa: E402


def _act(speaker: str, start: float, text: str, *, link: bool = False) -> dict:
    return {"speaker": speaker, "start": start, "end": start + 1.0, "text": text, "action_link": link}


def test_a_turn_is_a_hand_out_when_any_of_its_acts_is_linked():
    acts = [_act("A", 0.0, "So the designer will do the buttons."), _act("A", 1.5, "And you the casing.", link=True),
            _act("B", 3.0, "Okay."), _act("A", 10.0, "Bye.")]
    turns = T.turns(acts)
    assert [t["handout"] for t in turns] == [True, False, False]  # the two A acts 0.5 s apart join into one turn
    assert turns[0]["text"] == "So the designer will do the buttons. And you the casing."


class _Enc:
    name = "fake"

    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)

    def save(self) -> None:
        pass


def _meeting(monkeypatch) -> None:
    """One meeting: 30 work turns, then a closing of 6 turns whose third hands out a task (AMI-style)."""
    words = "we looked at the remote control buttons and the battery and the case today again"
    acts = [_act("AB"[i % 2], 2.5 * i, f"{words} {i}") for i in range(30)]
    closing = ["Okay so for next time then everyone goes back to their own room now and waits",
               "Right and the coach will send the instructions to all of you by email soon",
               "The designer will work on the casing and the buttons for the next meeting please",
               "Fine I will do that and bring some drawings of the casing along next time",
               "Good thanks everybody that was a good meeting see you all later then bye bye",
               "Bye bye everyone see you in thirty minutes for the next one then thanks"]
    acts += [_act("AB"[i % 2], 75.0 + 2.5 * i, t, link=i == 2) for i, t in enumerate(closing)]
    topics = [{"start": 0.0, "end": 74.9, "kind": "work", "label": "discussion", "planning": False},
              {"start": 75.0, "end": 200.0, "kind": "small", "label": "closing", "planning": False}]
    monkeypatch.setattr(T, "load_acts", lambda: {"M1": acts})
    monkeypatch.setattr(T, "load_topics", lambda: {"M1": topics})


@pytest.mark.parametrize("handouts", ["small", "work", "skip"])
def test_gate_windows_label_a_small_talk_window_holding_a_hand_out(monkeypatch, handouts):
    _meeting(monkeypatch)
    hand: list[bool] = []
    feats, y = T._gate_windows(["M1"], _Enc(), TopicsConfig(), 0, handouts=handouts, handout_of=hand)
    shipped_feats, shipped_y = T._gate_windows(["M1"], _Enc(), TopicsConfig(), 0)
    assert len(feats) == len(y) == len(hand)
    n_small = Counter(shipped_y)["other"]
    assert n_small >= 2  # the closing makes at least two windows
    if handouts == "small":  # AMI's label: the shipped gate's training windows
        assert y == shipped_y and not any(hand)
    elif handouts == "work":  # the window holding the hand-out becomes work, the goodbyes stay small talk
        assert sum(hand) == 1 and Counter(y)["other"] == n_small - 1 and len(y) == len(shipped_y)
        assert y[hand.index(True)] == "substantive"
    else:  # left out
        assert not any(hand) and len(y) == len(shipped_y) - 1 and Counter(y)["other"] == n_small - 1


def test_train_other_weighs_hand_out_windows_and_records_it(monkeypatch, tmp_path):
    """``handout_weight`` is each relabelled window's sample weight; the head's meta names the choice."""
    got: dict = {}

    def gate_windows(names, enc, cfg, context, planning=None, handouts="small", handout_of=None):
        planning.extend([False, False, False])
        handout_of.extend([False, True, False])
        return [np.zeros(4, dtype=np.float32)] * 3, ["substantive", "substantive", "other"]

    def fit(X, y, sw, **kw):
        got["sw"], got["meta"] = sw, kw["meta"]
        raise StopIteration

    monkeypatch.setattr(T, "selected", lambda split, limit: [])
    monkeypatch.setattr(T, "_gate_windows", gate_windows)
    monkeypatch.setattr(T, "DiskCachedEncoder", lambda enc: _Enc())
    monkeypatch.setattr("sessionscope.cli.topics_cmd.read_labels", lambda *a, **k: [])
    monkeypatch.setattr("sessionscope.language.embeddings.get_encoder", lambda *a, **k: None)
    monkeypatch.setattr(T, "fit_other_head", fit)
    with pytest.raises(StopIteration):
        T.train_other(None, 1.0, tmp_path / "h.npz", handouts="work", handout_weight=3.0)
    assert got["sw"].tolist() == [1.0, 3.0, 1.0]
    assert got["meta"]["handouts"] == "work" and got["meta"]["handout_weight"] == 3.0
    assert "ami-handout" in got["meta"]["windows"]


def _topics(areas: list[str]):
    segs = [SimpleNamespace(area=a, mode="general", utterance_ids=(f"u{i}",),
                            mode_spans=(SimpleNamespace(mode="general", utterance_ids=(f"u{i}",)),))
            for i, a in enumerate(areas)]
    return SimpleNamespace(segments=segs)


def test_hand_out_measures_count_words_of_hand_out_turns():
    utts = [{"text": "one two three four", "handout": False}, {"text": "five six", "handout": True},
            {"text": "seven eight nine ten", "handout": False}, {"text": "bye now", "handout": False}]
    kinds = ["work", "small", "small", "small"]
    segidx = [0, 1, 1, 1]
    gold = [{"planning": False}, {"planning": False}]
    row = T.score_meeting(utts, kinds, segidx, _topics(["tools", "other", "tools", "other"]), gold, other="other")
    assert row["handout_words"] == 2 and row["handout_as_other"] == 1.0
    assert row["small_recall_without_handouts"] == round(2 / 6, 4)  # "bye now" of the 6 small words outside hand-outs
    assert row["small_recall"] == round(4 / 8, 4)
    summary = T.summarise([{**row, "mode_words": {}, "area_words": {}}])
    assert summary["handout_as_other"] == 1.0 and summary["handout_words"] == 2


def test_follow_up_rows_are_paired_labelled_and_new():
    with open(R.FOLLOWUPS, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    areas = {a.id for a in load_taxonomy().areas} | {"other"}
    assert len({r["id"] for r in rows}) == len(rows) == 56
    assert all(r["area"] in areas and r["split"] in ("dev", "test") for r in rows)
    by = Counter((r["lang"], r["split"], r["area"] == "other") for r in rows)
    assert all(by["en", s, o] == by["ru", s, o] for _, s, o in by)  # each row has its translation, in the same split
    assert by["en", "test", False] == 6 and by["en", "dev", False] == 12
    assert {r["id"][3:] for r in rows if r["lang"] == "en"} == {r["id"][3:] for r in rows if r["lang"] == "ru"}
    assert not {r["text"] for r in read_labels(T.LABELS)} & {r["text"] for r in rows}


def test_rows_reads_a_row_as_other_when_half_its_windows_are(monkeypatch):
    rows = [{"id": "en-a", "lang": "en", "area": "projects", "text": "x"},
            {"id": "en-b", "lang": "en", "area": "other", "text": "y"},
            {"id": "ru-a", "lang": "ru", "area": "time", "text": "z"}]
    monkeypatch.setattr("sessionscope.analysis.topics.labels.read_labels", lambda path, split=None: rows)
    monkeypatch.setattr("r24_personal.gate_scores", lambda head, sel: {"en-a": [0.6, 0.2], "en-b": [0.9], "ru-a": [0.1]})
    res = R.rows("bundled", R.FOLLOWUPS, "test")
    assert res["en"]["work_called_other"] == "1/1" and res["en"]["other_called_other"] == "1/1"
    assert res["ru"]["work_called_other"] == "0/1" and res["ru"]["other_called_other"] == "0/0"
    assert res["all"]["mean_p_work"] == round((0.4 + 0.1) / 2, 4)


def test_an_edge_window_the_gate_calls_other_is_not_smoothed_away(monkeypatch):
    """Round 47 (shipped): a goodbye in one window, decided ``other`` at a little over one half, stays small talk; the
    same window in the middle of work is smoothed into it, and pinning stops at the first window decided work."""
    import sessionscope.analysis.topics.stage as ST

    work, bye = [0.7, 0.1, 0.2], [0.2, 0.1, 0.7]  # labels: tools, time, other (other's column = the gate's p)
    decided_of = lambda rows: [2 if r[2] >= 0.5 else 0 for r in rows]  # noqa: E731
    rows = [work] * 6 + [[0.35, 0.1, 0.55]]
    proba = np.array(rows)
    assert ST.ABSORB_KEEP_EDGE_WINDOWS
    assert ST.two_level_path(proba, decided_of(rows), 2, smoothing=0.8).tolist()[-1] == 2
    monkeypatch.setattr(ST, "ABSORB_KEEP_EDGE_WINDOWS", False)  # before round 47: the smoothing took it
    assert ST.two_level_path(proba, decided_of(rows), 2, smoothing=0.8).tolist()[-1] == 0
    monkeypatch.setattr(ST, "ABSORB_KEEP_EDGE_WINDOWS", True)
    middle = [work] * 3 + [[0.35, 0.1, 0.55]] + [work] * 3  # not at an edge: smoothed as before
    assert 2 not in ST.two_level_path(np.array(middle), decided_of(middle), 2, smoothing=0.8).tolist()
    both = [[0.4, 0.05, 0.55], [0.3, 0.1, 0.6], work, [0.45, 0.0, 0.55], *([work] * 5), bye]
    path = ST.two_level_path(np.array(both), decided_of(both), 2, smoothing=0.8).tolist()
    assert path[:2] == [2, 2] and path[2] == 0 and path[3] == 0 and path[-1] == 2  # the run stops at the work window

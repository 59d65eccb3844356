"""Round 12 (topicsaudit): the real-talk topic audit's fixed sample, its join to the topic segments and its rates.

Model-free: the functions read utterance texts and topic segments only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import topics_realtalk_r12_topicsaudit as t  # noqa: E402


def _utts(lengths: list[int]) -> list[dict]:
    return [{"id": f"u{i:04d}", "speaker": "a", "text": " ".join(["w"] * n)} for i, n in enumerate(lengths)]


def test_windows_end_at_the_first_utterance_boundary_past_the_word_count():
    wins = t.windows(_utts([60, 30, 20, 150, 5, 5]), min_words=100)
    assert wins == [[0, 1, 2], [3], [4, 5]]  # 110, 150, then the short rest
    assert t.windows([], min_words=100) == []


def test_the_sample_is_evenly_spaced_and_keeps_both_ends():
    assert t.sample_indices(50, 12)[0] == 0 and t.sample_indices(50, 12)[-1] == 49
    assert len(t.sample_indices(50, 12)) == 12
    assert t.sample_indices(5, 12) == [0, 1, 2, 3, 4]
    assert t.sample_indices(12, 12) == list(range(12))


def test_tool_view_weighs_areas_by_words_and_names_the_edge_segment():
    utts = _utts([10, 30, 60])
    session = {"utterances": utts, "topics": {"segments": [
        {"area": "other", "utterance_ids": ["u0000", "u0001"], "confidence": 0.7, "mode": "general",
         "area_scores": {"other": 0.7, "tools": 0.1}},
        {"area": "tools", "utterance_ids": ["u0002"], "confidence": 0.3, "mode": "case",
         "area_scores": {"other": 0.05, "tools": 0.3}},
        {"area": "time", "utterance_ids": [], "confidence": 0.2, "mode": "general", "area_scores": {}},
    ]}}
    v = t.tool_view(session, [0, 1, 2])
    assert v["area"] == "tools" and v["confidence"] == 0.3 and v["mode"] == "case"
    assert abs(v["other_share"] - 0.4) < 1e-9 and v["other_score"] == 0.05 and not v["edge_segment"]
    v = t.tool_view(session, [0, 1])
    assert v["area"] == "other" and v["edge_segment"] and v["other_share"] == 1.0


def _row(label: str, area: str | None, tool: str, words: int = 100, also: tuple = (), kind: str = "k") -> dict:
    return {"label": label, "area": area, "also": list(also), "tool_area": tool, "words": words, "kind": kind,
            "tool_other_share": 1.0 if tool == "other" else 0.0}


def test_rates_and_rightness():
    rows = [_row("other", None, "other"), _row("other", None, "teamwork", words=300),
            _row("substantive", "tools", "other"), _row("substantive", "tools", "projects", also=("projects",)),
            _row("substantive", "tools", "time"), _row("substantive", None, "projects")]
    s = t.summarise(rows)
    assert s["windows_small_talk"] == 2 and s["windows_substantive"] == 4
    assert s["small_talk_as_work_windows"] == 0.5 and s["small_talk_as_work_words"] == 0.75
    assert s["substantive_as_other_windows"] == 0.25
    # area agreement only where the labeller named an area and the tool gave one: tools->projects (lenient), tools->time
    assert s["area_agreement_substantive_counts"] == {"strict": 0, "lenient": 1, "of": 2}
    assert s["other_word_share_labeller"] == round(400 / 800, 3) and s["other_word_share_tool"] == round(200 / 800, 3)
    assert [t.right(r) for r in rows] == [True, False, False, True, False, True]


def test_auroc():
    assert t.auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert t.auroc([0.1], [0.9]) == 0.0
    assert t.auroc([0.5], [0.5]) == 0.5
    assert t.auroc([], [0.3]) is None


def test_the_measured_protection_keeps_a_gate_work_run_the_short_run_rule_would_make_small_talk(monkeypatch):
    import numpy as np

    import sessionscope.analysis.topics.stage as stage_mod

    original = stage_mod.absorb_runs
    monkeypatch.setattr(stage_mod, "absorb_runs", original)  # restored after the test
    p_other = np.array([0.9, 0.9, 0.9, 0.2, 0.2, 0.3, 0.9, 0.9, 0.9])
    proba = np.column_stack([1 - p_other, p_other])  # labels: 0 = an area, 1 = other
    path = np.array([1, 1, 1, 0, 0, 0, 1, 1, 1])
    shipped = stage_mod.absorb_runs(path, proba, 1, min_len=5)
    assert shipped.tolist() == [1] * 9  # mean other 0.23 > 0.15: the work run becomes small talk
    t.protect_gate_work_runs(3)
    assert stage_mod.absorb_runs(path, proba, 1, min_len=5).tolist() == path.tolist()
    stage_mod.absorb_runs = original
    t.protect_gate_work_runs(4)  # a longer minimum: the 3-window run is not protected
    assert stage_mod.absorb_runs(path, proba, 1, min_len=5).tolist() == [1] * 9

"""Interruptions as cut-offs (round 50): floor changes scored by the bundled model learned on MRDA's ``%-`` marks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sessionscope.analysis.cutoffs import (
    FUNCTION_WORDS,
    CutoffModel,
    bundled_cutoff_models,
    cutoff_features,
    feature_words,
    floor_changes,
    load_cutoff_models,
    model_for,
    never_overlap,
    threshold_for,
)
from sessionscope.analysis.dynamics import compute_metrics, find_interruptions, interruptions
from sessionscope.config import DynamicsConfig
from sessionscope.errors import ModelError
from sessionscope.model import Participant, Session, Utterance

CFG = DynamicsConfig()
ROOT = Path(__file__).resolve().parents[1]
MRDA = ROOT.parent / "shared" / "data" / "mrda-dialogue-acts"


def U(uid: str, spk: str, text: str, start: float, end: float) -> Utterance:
    return Utterance(id=uid, speaker=spk, text=text, start=start, end=end)


HANGING = [U("a1", "a", "So what I wanted to say is that the", 0.0, 3.0),
           U("b1", "b", "Sorry, can I just ask about the budget here?", 2.6, 6.0)]


def test_feature_words_drop_marks_fragments_and_punctuation() -> None:
    assert feature_words("So that's {vocalsound} uh - the th- ==") == ["so", "that's", "uh", "the"]
    assert feature_words("Ну, я думаю, что…") == ["ну", "я", "думаю", "что"]
    assert feature_words("==") == []
    assert {"the", "and", "и", "что"} <= FUNCTION_WORDS


def test_a_speaker_left_hanging_is_cut_off_and_a_finished_one_is_not() -> None:
    got = interruptions(HANGING, CFG, "en")
    assert [(i.interrupter, i.interrupted, i.utterance_id, i.interrupted_id, i.successful) for i in got] == \
        [("b", "a", "b1", "a1", True)]
    assert got[0].probability is not None and got[0].probability >= bundled_cutoff_models()["en"].threshold
    finished = [U("a1", "a", "We should move the release to next month.", 0.0, 3.0),
                U("b1", "b", "That sounds fine to me, let us do it.", 3.3, 6.0)]
    assert interruptions(finished, CFG, "en") == []
    # talk over a speaker who goes on for seconds is no cut-off (the overlap rule counted it)
    over = [U("a1", "a", "I think the plan is good and we should keep working on it for the next two weeks", 0.0, 8.0),
            U("b1", "b", "but what about the budget", 3.0, 5.0)]
    assert interruptions(over, CFG, "en") == []
    assert len(interruptions(over, DynamicsConfig(interruptions="overlap"), "en")) == 1


def test_a_backchannel_neither_cuts_off_nor_is_cut_off() -> None:
    utts = [U("a1", "a", "So what I wanted to say is that the", 0.0, 3.0), U("b1", "b", "yeah", 2.6, 3.2),
            U("b2", "b", "mm-hmm", 5.0, 5.3), U("a2", "a", "and then we could also", 5.1, 6.0)]
    assert interruptions(utts, CFG, "en") == []


def test_the_threshold_is_configurable_and_every_floor_change_is_scored() -> None:
    utts = [*HANGING, U("a2", "a", "Right, the budget is fine.", 6.4, 8.0)]
    assert len(interruptions(utts, DynamicsConfig(interruption_min_probability=0.0), "en")) == 2
    assert interruptions(utts, DynamicsConfig(interruption_min_probability=1.0), "en") == []
    # a start more than interruption_max_gap_s after the other stopped is no floor change
    late = [HANGING[0], U("b1", "b", "Sorry, can I ask?", 4.5, 6.0)]
    assert interruptions(late, DynamicsConfig(interruption_min_probability=0.0), "en") == []
    assert len(interruptions(late, DynamicsConfig(interruption_min_probability=0.0, interruption_max_gap_s=2.0),
                             "en")) == 1


def test_english_sessions_read_words_other_languages_the_timing_model() -> None:
    models = bundled_cutoff_models()
    assert model_for("en", models).lexical and model_for("en-GB", models).lexical
    assert not model_for("ru", models).lexical and not model_for(None, models).lexical
    ru = [U("a1", "a", "Я думаю, что нам надо поговорить с", 0.0, 3.0), U("b1", "b", "Подожди, а как же бюджет?", 2.7, 5.0)]
    got = interruptions(ru, CFG, "ru")
    assert [(i.interrupter, i.interrupted) for i in got] == [("b", "a")]
    assert got[0].probability >= models["timing"].threshold  # type: ignore[operator]
    done = [U("a1", "a", "Я думаю, что нам надо поговорить с клиентом.", 0.0, 3.0),
            U("b1", "b", "Согласен, давай завтра.", 3.2, 5.0)]
    assert interruptions(done, CFG, "ru") == []


def test_speech_without_words_keeps_the_overlap_rule() -> None:
    utts = [U("a", "a", "", 0.0, 10.0), U("b", "b", "", 8.0, 11.0), U("c", "a", "", 20.0, 21.0),
            U("d", "b", "", 20.8, 22.0)]
    got = interruptions(utts, CFG, "en")
    assert [(i.interrupter, i.interrupted, i.probability) for i in got] == [("b", "a", None)]  # 0.2 s: not enough


def test_floor_changes_take_the_running_utterance_else_the_last_to_end() -> None:
    utts = [U("a1", "a", "one", 0.0, 10.0), U("c1", "c", "two", 1.0, 4.0), U("b1", "b", "three", 3.0, 5.0),
            U("a2", "a", "four", 12.0, 13.0), U("c2", "c", "five", 12.5, 13.2), U("b2", "b", "six", 13.5, 14.0)]
    fcs = floor_changes(utts, [True] * len(utts), 1.0)
    assert [(f.b.id, f.a.id) for f in fcs] == [("c1", "a1"), ("b1", "a1"), ("c2", "a2"), ("b2", "c2")]
    assert [f.a_next_start for f in fcs] == [12.0, 12.0, None, None]  # a speaks again at 12 s; no one after 13 s
    # a backchannel (holds no floor) is neither a or b
    fcs = floor_changes(utts, [True, False, True, True, True, True], 1.0)
    assert [(f.b.id, f.a.id) for f in fcs] == [("b1", "a1"), ("c2", "a2"), ("b2", "c2")]


def test_features_read_timing_and_words() -> None:
    a, b = HANGING
    f = cutoff_features(a, b, a_next_start=6.5, lexical=True)
    assert f["ov"] == pytest.approx(0.4) and f["ov_pos"] == 1.0 and f["gap"] == 0.0
    assert f["last_function_word"] == 1.0 and f["last=the"] == 1.0 and f["first_b=sorry"] == 1.0
    assert f["a_resumes_1s"] == 0.0 and f["a_resumes_3s"] == 0.0
    g = cutoff_features(a, U("b", "b", "ok then", 3.5, 4.0), a_next_start=None, lexical=False)
    assert g["gap"] == pytest.approx(0.5) and g["ov_pos"] == 0.0 and not any("=" in k for k in g)


def test_the_session_measures_and_the_matrix_count_cut_offs() -> None:
    s = Session(id="s", participants=(Participant("a", "A"), Participant("b", "B")), utterances=tuple(HANGING),
                language="en")
    m = compute_metrics(s, CFG)
    assert m.session["interruptions"] == 1 and m.interruption_matrix == {"b": {"a": 1}}
    assert m.participants["b"]["interruptions_made"] == 1 and m.participants["a"]["interruptions_received"] == 1
    assert find_interruptions(HANGING, CFG, "en") == [("b", "a", True, "b1")]


def test_models_load_with_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load_cutoff_models(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(ModelError, match="holds no cut-off models"):
        load_cutoff_models(bad)
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"features_version": 0, "models": {}}))
    with pytest.raises(ModelError, match="another feature version"):
        load_cutoff_models(old)
    meta = bundled_cutoff_models()["en"].meta
    assert meta["command"] == "python benchmarks/train_cutoffs.py" and "MRDA" in meta["data"]


@pytest.mark.skipif(not MRDA.exists(), reason="../shared/data/mrda-dialogue-acts is absent")
def test_on_real_meetings_cut_offs_beat_the_overlap_rule() -> None:
    """Two held-out train meetings (the threshold was chosen on the held-out meetings): the shipped model's
    interruptions land on an act MRDA marks as cut off far more often than the overlap rule's, and find more of them
    (round 50 on all six: 54 % vs 13 %, 33 % vs 23 % found)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dialogue_acts import meetings
    from r49_interruptions import interrupted

    acts = [a for _, xs in sorted(meetings("mrda", "heldout").items())[:2] for a in xs]
    by_meeting: dict[str, list[Utterance]] = {}
    for a in acts:
        if a.start is not None and a.end is not None:
            by_meeting.setdefault(a.meeting, []).append(U(a.id, a.speaker, a.text, a.start, a.end))
    cut = {a.id for a in acts if interrupted(a)}
    res = {}
    for rule in ("cutoff", "overlap"):
        found = [i for utts in by_meeting.values() for i in interruptions(utts, DynamicsConfig(interruptions=rule), "en")]
        res[rule] = (sum(i.interrupted_id in cut for i in found) / len(found),
                     len({i.interrupted_id for i in found} & cut) / len(cut))
    assert res["cutoff"][0] > 0.45 and res["overlap"][0] < 0.2
    assert res["cutoff"][1] > res["overlap"][1]


def test_a_session_without_a_language_is_read_as_its_report_will_be() -> None:
    from sessionscope.analysis.cutoffs import utterances_language

    assert utterances_language(HANGING, None) == "en"
    assert utterances_language([U("a", "a", "Я думаю, что нам надо", 0.0, 1.0)], None) == "ru"
    assert utterances_language([U("a", "a", "", 0.0, 1.0)], None) is None
    assert utterances_language(HANGING, "ru") == "ru"
    # so an imported English transcript (no language yet while the stages run) gets the English model
    assert interruptions(HANGING, CFG, None) == interruptions(HANGING, CFG, "en")


def test_an_utterance_is_cut_off_once() -> None:
    """SBC009: Kathy's "like" followed by Nathan's "I know." and "That's what I'm talking about.": two floor changes
    after one utterance, one cut-off (the likelier)."""
    utts = [U("k1", "kathy", "and it's like", 149.9, 150.1), U("n1", "nathan", "I know.", 150.1, 150.5),
            U("n2", "nathan", "That's what I'm talking about.", 150.7, 152.0)]
    every = interruptions(utts, DynamicsConfig(interruption_min_probability=0.0), "en")
    assert len(every) == 1 and every[0].interrupted_id == "k1"
    probs = {fc.b.id: bundled_cutoff_models()["en"].probability(
        cutoff_features(fc.a, fc.b, a_next_start=fc.a_next_start, lexical=True))
        for fc in floor_changes(utts, [True] * 3, 1.0)}
    assert set(probs) == {"n1", "n2"}  # both are floor changes after k1
    assert [i.utterance_id for i in every] == [max(probs, key=lambda k: probs[k])]
    # speech without words keeps the overlap rule's counts, one per overlapping utterance
    wordless = [U("a", "a", "", 0.0, 10.0), U("b1", "b", "", 2.0, 4.0), U("b2", "b", "", 7.0, 11.0)]
    assert len(interruptions(wordless, CFG, "en")) == 2


# -- round 51: transcripts whose cues never overlap -------------------------------------------------------------------
SERIAL = [U("a1", "a", "So what I wanted to say is that the", 0.0, 3.0),
          U("b1", "b", "Sorry, can I just ask about the budget here?", 3.0, 6.0),
          U("a2", "a", "Sure.", 6.2, 6.6)]


def test_never_overlap_is_the_overlap_the_dynamics_measure() -> None:
    assert never_overlap(SERIAL)  # cues that touch do not overlap
    assert not never_overlap(HANGING)  # b starts 0.4 s before a ends
    assert not never_overlap([U("a1", "a", "Hi.", 0.0, 1.0), U("a2", "a", "Again.", 2.0, 3.0)])  # one speaker
    assert not never_overlap([Utterance(id="x", speaker="a", text="Hi."), Utterance(id="y", speaker="b", text="Yo.")])
    # one speaker's own cues may overlap each other (a caption file's re-timed lines): still serial between speakers
    assert never_overlap([U("a1", "a", "One", 0.0, 2.0), U("a2", "a", "two", 1.5, 3.0), U("b1", "b", "Three.", 3.0, 4.0)])


def test_serial_transcripts_take_the_threshold_chosen_on_serial_meetings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled models carry a second threshold, chosen on the held-out meetings made serial; a session in which
    no two speakers overlap is judged by it, any other by the first; the setting overrides both."""
    for name, m in bundled_cutoff_models().items():
        assert m.threshold_serial is not None and 0 < m.threshold_serial <= m.threshold, name
        assert threshold_for(m, SERIAL) == m.threshold_serial and threshold_for(m, HANGING) == m.threshold
    no_serial = CutoffModel(weights={}, bias=0.0, threshold=0.6, lexical=True)
    assert threshold_for(no_serial, SERIAL) == 0.6
    # every floor change at p = 0.5 (bias 0, no weights): counted at the serial threshold 0.4, not at 0.6
    import sessionscope.analysis.cutoffs as cutoffs

    flat = CutoffModel(weights={}, bias=0.0, threshold=0.6, lexical=True, threshold_serial=0.4)
    monkeypatch.setattr(cutoffs, "bundled_cutoff_models", lambda path=None: {"en": flat, "timing": flat})
    assert [(i.interrupter, i.interrupted) for i in interruptions(SERIAL, CFG, "en")] == [("b", "a")]
    assert interruptions(HANGING, CFG, "en") == []
    assert len(interruptions(SERIAL, DynamicsConfig(interruption_min_probability=0.55), "en")) == 0


def test_the_serial_threshold_is_read_and_optional(tmp_path: Path) -> None:
    raw = json.loads((ROOT / "src" / "sessionscope" / "resources" / "dialogue_acts" / "cutoff_heads.json").read_text())
    for m in raw["models"].values():
        del m["threshold_serial"]
    path = tmp_path / "older.json"
    path.write_text(json.dumps(raw))
    assert all(m.threshold_serial is None for m in load_cutoff_models(path).values())
    assert raw["meta"]["training"]["en"]["threshold_serial"] == bundled_cutoff_models()["en"].threshold_serial


@pytest.mark.skipif(not MRDA.exists(), reason="../shared/data/mrda-dialogue-acts is absent")
def test_on_real_meetings_made_serial_cut_offs_are_still_found() -> None:
    """Two held-out train meetings made serial as a Zoom transcript is (each utterance ends where the next other
    speaker's starts): the overlap rule sees nothing there; the cut-off model at its serial threshold lands on acts
    MRDA marks as cut off about half the time (round 51 on all six held-out meetings: 49 % on a cut-off, 38 % of
    them found; dev 48 % / 40 %)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dialogue_acts import meetings
    from train_cutoffs import units

    res = []
    for _, acts in sorted(meetings("mrda", "heldout").items())[:2]:
        us = units(acts, "act", serial=True)
        utts = [u for u, _ in us]
        assert never_overlap(utts)
        cut = {u.id for u, g in us if g}
        assert interruptions(utts, DynamicsConfig(interruptions="overlap"), "en") == []
        found = interruptions(utts, CFG, "en")
        res.append((sum(i.interrupted_id in cut for i in found), len(found), len({i.interrupted_id for i in found} & cut),
                    len(cut)))
    on_cut, n, hit, n_cut = (sum(x) for x in zip(*res, strict=True))
    assert on_cut / n > 0.4 and hit / n_cut > 0.25


AMI = ROOT.parent / "shared" / "data" / "ami-annotations"


@pytest.mark.skipif(not AMI.exists(), reason="../shared/data/ami-annotations is absent")
def test_on_a_second_corpus_cut_offs_land_on_fragments() -> None:
    """Round 51: AMI (never trained on) marks acts left incomplete (``fra``) but not who cut them off; a fragment at a
    floor change is the proxy. On two held-out AMI meetings the model's interruptions land on one far more often than
    the overlap rule's, which does no better than every floor change (round 51 on the 16 held-out meetings: 43 %,
    11 %, every floor change 14 %)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dialogue_acts import meetings
    from r49_interruptions import ami_cut_off_ids

    cut = ami_cut_off_ids()
    res = {}
    for rule in ("cutoff", "overlap"):
        on = n = 0
        for _, acts in sorted(meetings("ami", "heldout").items())[:2]:
            utts = [U(a.id, a.speaker, a.text, a.start, a.end) for a in acts if a.start is not None and a.end is not None]
            found = interruptions(utts, DynamicsConfig(interruptions=rule), "en")
            on, n = on + sum(i.interrupted_id in cut for i in found), n + len(found)
        res[rule] = on / n
    assert res["cutoff"] > 0.3 and res["cutoff"] > 2 * res["overlap"]


# -- round 51: each counted interruption kept in session.json -------------------------------------------------------
def test_each_counted_interruption_is_kept_with_its_probability(tmp_path: Path) -> None:
    from sessionscope.model import InterruptionEvent, read_session_json, write_session_json

    s = Session(id="s", participants=(Participant("a", "A"), Participant("b", "B")), utterances=tuple(HANGING),
                language="en")
    m = compute_metrics(s, CFG)
    (e,) = m.interruption_events
    assert (e.interrupter, e.interrupted, e.utterance_id, e.interrupted_utterance_id, e.start, e.successful) == \
        ("b", "a", "b1", "a1", 2.6, True)
    assert e.probability is not None and e.probability >= bundled_cutoff_models()["en"].threshold
    # the overlap rule decides without a probability
    over = s.evolve(utterances=(HANGING[0], U("b1", "b", "Sorry, can I just ask about the budget here?", 2.0, 6.0)))
    (o,) = compute_metrics(over, DynamicsConfig(interruptions="overlap")).interruption_events
    assert o.probability is None and o.utterance_id == "b1" and o.start == 2.0
    # none where the counts are unknown: one speaker
    one = Session(id="o", participants=(Participant("a", "A"),), utterances=(HANGING[0],), language="en")
    assert compute_metrics(one, CFG).interruption_events == ()
    # session.json keeps them, and one written before round 51 reads with none
    path = write_session_json(s.evolve(metrics=m), tmp_path / "s" / "session.json")
    assert read_session_json(path).metrics.interruption_events == (e,)  # type: ignore[union-attr]
    raw = json.loads(path.read_text(encoding="utf-8"))
    del raw["metrics"]["interruption_events"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert read_session_json(path).metrics.interruption_events == ()  # type: ignore[union-attr]
    assert isinstance(e, InterruptionEvent)


def test_the_research_tables_list_each_interruption() -> None:
    import sessionscope as ss

    s = Session(id="s", participants=(Participant("a", "A"), Participant("b", "B")), utterances=tuple(HANGING),
                language="en")
    s = s.evolve(metrics=compute_metrics(s, CFG))
    t = ss.frames(s)["interruptions"]
    assert list(t["interrupter_id"]) == ["b"] and list(t["interrupted_utterance_id"]) == ["a1"]
    assert t["successful"].dtype == bool and t["probability"].dtype == float and t["probability"].iloc[0] > 0.3


def test_the_checklist_reads_the_interruptions_the_analysis_counted() -> None:
    """A session analysed under the overlap rule keeps that rule's interruptions in its report's checklist, even
    though the report's own default is the cut-off model (before round 51 the checklist counted them again)."""
    from sessionscope.model import Role
    from sessionscope.report.checklist import session_checklist

    talk = [U("j1", "j", "So I have been thinking about the plan for the next quarter and what we do first", 0.0, 6.0),
            U("s1", "s", "Right, and I think you should start with the budget.", 4.0, 9.0),
            U("j2", "j", "Okay.", 9.5, 10.0)]
    s = Session(id="s", participants=(Participant("j", "Jo", Role.JUNIOR), Participant("s", "Sam", Role.SENIOR)),
                utterances=tuple(talk), language="en")
    overlap = compute_metrics(s, DynamicsConfig(interruptions="overlap"))
    assert [e.interrupted for e in overlap.interruption_events] == ["j"]
    assert compute_metrics(s, CFG).interruption_events == ()  # the cut-off model: the junior finished the sentence
    item = next(i for i in session_checklist(s.evolve(metrics=overlap)).items if i.item == "junior_spoke_freely")
    assert "cut off 1 time" in item.measure


def test_a_recording_without_overlap_is_not_read_as_a_caption_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A recording's speaker times can show overlap, so a session of one without any keeps the first threshold; the
    same utterances imported from a caption file take the serial one."""
    import sessionscope.analysis.cutoffs as cutoffs
    from sessionscope.model import DataQuality

    flat = CutoffModel(weights={}, bias=0.0, threshold=0.6, lexical=True, threshold_serial=0.4)
    monkeypatch.setattr(cutoffs, "bundled_cutoff_models", lambda path=None: {"en": flat, "timing": flat})
    s = Session(id="s", participants=(Participant("a", "A"), Participant("b", "B")), utterances=tuple(SERIAL),
                language="en")
    assert compute_metrics(s, CFG).session["interruptions"] == 1
    recorded = s.evolve(quality=DataQuality(asr_model="tiny.en"))
    assert compute_metrics(recorded, CFG).session["interruptions"] == 0
    assert interruptions(SERIAL, CFG, "en", serial=False) == []


def test_the_session_report_lists_each_interruption() -> None:
    """Round 51: the report says when each counted interruption happened, who took the floor, who was cut off, where
    they stopped and how likely it is a cut-off; a session without one has no such section."""
    from sessionscope.report.session_html import render_session_html
    from sessionscope.report.session_md import render_session_markdown

    long = U("a1", "a", "So what I wanted to say about the plan for the coming quarter is that the", 0.0, 3.0)
    s = Session(id="s", participants=(Participant("a", "Anna"), Participant("b", "Boris")),
                utterances=(long, HANGING[1]), language="en")
    s = s.evolve(metrics=compute_metrics(s, CFG))
    (e,) = s.metrics.interruption_events  # type: ignore[union-attr]
    md = render_session_markdown(s)
    row = next(ln for ln in md.splitlines() if ln.startswith("| 0:03 |"))  # 2.6 s
    assert "| Boris | Anna | …about the plan for the coming quarter is that the |" in row
    assert row.endswith(f"| {100 * e.probability:.0f} % |")
    assert "## Interruptions" in md and "measured on English meetings" in md
    assert 'id="interruptions"' in render_session_html(s, charts=False)
    ru = render_session_markdown(s.evolve(language="ru"))
    assert "## Перебивания" in ru and "Кого перебили" in ru
    calm = s.evolve(utterances=(U("a1", "a", "That is the plan.", 0.0, 3.0), U("b1", "b", "Good.", 3.5, 4.0)))
    calm = calm.evolve(metrics=compute_metrics(calm, CFG))
    assert "## Interruptions" not in render_session_markdown(calm)
    assert 'id="interruptions"' not in render_session_html(calm, charts=False)


def test_outside_english_a_question_asked_to_its_end_is_never_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 51: the timing model reads no words, so «…а вы как?» (a finished question ending on a function word)
    scored like a sentence left hanging; it is skipped. The English model reads the last words and is not guarded."""
    import sessionscope.analysis.cutoffs as cutoffs

    flat = CutoffModel(weights={}, bias=0.0, threshold=0.4, lexical=False)
    lexical = CutoffModel(weights={}, bias=0.0, threshold=0.4, lexical=True)
    monkeypatch.setattr(cutoffs, "bundled_cutoff_models", lambda path=None: {"en": lexical, "timing": flat})
    asked = [U("a1", "a", "Ну, у меня всё наконец-то получилось, а вы как?", 0.0, 3.0),
             U("b1", "b", "Да я тоже неплохо, спасибо.", 3.2, 5.0)]
    hanging = [U("a1", "a", "Ну, у меня всё наконец-то получилось, а вы как", 0.0, 3.0), asked[1]]
    assert interruptions(asked, CFG, "ru") == []
    assert [i.interrupted for i in interruptions(hanging, CFG, "ru")] == ["a"]
    assert [i.interrupted for i in interruptions(asked, CFG, "en")] == ["a"]  # the English model: not guarded
    monkeypatch.setattr(cutoffs, "TIMING_QUESTION_GUARD", False)
    assert [i.interrupted for i in interruptions(asked, CFG, "ru")] == ["a"]


def test_the_convokit_export_marks_who_cut_off_whom() -> None:
    from sessionscope.report.convokit import corpus_records

    s = Session(id="s", participants=(Participant("a", "A"), Participant("b", "B")), utterances=tuple(HANGING),
                language="en")
    s = s.evolve(metrics=compute_metrics(s, CFG))
    by = {u["id"]: u["meta"] for u in corpus_records([s])["utterances"]}
    assert by["s:b1"]["interrupts"] == "s:a1" and by["s:b1"]["interruption_probability"] > 0.3
    assert by["s:a1"]["is_cut_off"] and not by["s:b1"]["is_cut_off"] and by["s:a1"]["interrupts"] is None


def test_the_reports_least_likely_interruptions_are_marked_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``report.interruption_check_below`` (0.5: a third of those at 0.35–0.5 are cut-offs on MRDA dev) a listed
    interruption is marked to check; the counts keep it."""
    import sessionscope.analysis.cutoffs as cutoffs
    from sessionscope.config import ReportConfig
    from sessionscope.report.session_md import render_session_markdown

    flat = CutoffModel(weights={}, bias=-0.2, threshold=0.3, lexical=True)  # p = 0.45 for every floor change
    monkeypatch.setattr(cutoffs, "bundled_cutoff_models", lambda path=None: {"en": flat, "timing": flat})
    s = Session(id="s", participants=(Participant("a", "Anna"), Participant("b", "Boris")), utterances=tuple(HANGING),
                language="en")
    s = s.evolve(metrics=compute_metrics(s, CFG))
    assert s.metrics is not None and s.metrics.session["interruptions"] == 1
    md = render_session_markdown(s)
    row = next(ln for ln in md.splitlines() if ln.startswith("| 0:03 |"))
    assert "that the **to check** | 45 % |" in row and "Rows marked “to check” (under 50 %)" in md
    plain = render_session_markdown(s, cfg=ReportConfig(interruption_check_below=None))
    assert "**to check**" not in next(ln for ln in plain.splitlines() if ln.startswith("| 0:03 |"))


def test_a_caption_file_that_splits_sentences_between_speakers_says_so() -> None:
    """Round 51: Zoom gave part of Conor Healy's sentence to others in its class meeting ("So this is a text document"
    / "that has the basics…"): 6 of 24 speaker changes; the data quality says so. Not for a transcript written in lower
    case (every cue would look like a continuation), nor for one or two such changes."""
    from sessionscope.io._common import split_sentence_notes

    def cues(pairs: list[tuple[str, str]]) -> list[Utterance]:
        return [U(f"u{i}", spk, text, 2.0 * i, 2.0 * i + 1.5) for i, (spk, text) in enumerate(pairs)]

    zoom = cues([("a", "So this is a text document"), ("b", "that has the basics. It runs."),
                 ("c", "And then"), ("a", "this is the code. It loads."), ("b", "Because the green box"),
                 ("a", "is my experience. What now?"), ("b", "Good. I see.")])
    (note,) = split_sentence_notes(zoom)
    assert note.startswith("3 of 6 speaker changes fall inside a sentence")
    assert split_sentence_notes(cues([(spk, t.lower()) for spk, t in [(u.speaker, u.text) for u in zoom]])) == []
    assert split_sentence_notes(zoom[:4]) == []  # two such changes only
    from sessionscope.report.i18n import translate_note

    assert translate_note(note, "ru").startswith("смен говорящего внутри фразы (реплика следующего продолжается")

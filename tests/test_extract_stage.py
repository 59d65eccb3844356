"""ExtractionStage on constructed sessions: rules alone, and with an injected classifier."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from helpers import make_session
from sessionscope.analysis.extract.classifier import LinearClassifier, load_classifier
from sessionscope.analysis.extract.rules import RuleHit
from sessionscope.analysis.extract.stage import fuse
from sessionscope.analysis.questions import find_questions
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.errors import ModelError
from sessionscope.model import Topics, TopicSegment

ROWS = [
    ("anna", 0, 5, "I'm struggling with prioritisation. Everything feels urgent."),
    ("boris", 5, 12, "You should try time-blocking your mornings. What helped me was a weekly review."),
    ("anna", 12, 15, "OK, I'll try it and send you my plan by Friday."),
    ("boris", 15, 18, "Do you use Notion?"),
    ("anna", 18, 20, "Yes, every day for notes."),
    ("boris", 20, 25, "My manager once told me I should delegate more."),
]


def _session():
    s = make_session(ROWS, roles={"anna": "junior", "boris": "senior"}).evolve(date=dt.date(2026, 11, 26))
    seg = TopicSegment(area="time", mode="problem", start=0, end=25, utterance_ids=tuple(u.id for u in s.utterances),
                       initiator="anna", confidence=0.9)
    return s.evolve(topics=Topics(segments=(seg,)))


# -- pure logic ------------------------------------------------------------------------
def test_fuse_veto_rule_and_classifier_only() -> None:
    cfg = ExtractionConfig()
    rec = RuleHit("recommendation", 0.8, "you_should")
    vetoed = RuleHit("recommendation", 0.0, "reported_speech", veto=True)
    assert fuse({"recommendation": rec}, None, cfg).confidence == 0.8
    d = fuse({"recommendation": rec}, {"recommendation": 0.2}, cfg)
    assert d.method == "rule+classifier" and d.confidence == pytest.approx(0.7 * 0.8 + 0.3 * 0.2)
    assert fuse({"recommendation": vetoed}, {"recommendation": 0.99}, cfg) is None
    d = fuse({"recommendation": None, "problem": None}, {"recommendation": 0.9, "problem": 0.95}, cfg)
    assert d.kind == "problem" and d.method == "classifier"
    assert fuse({"action": None}, {"action": 0.8}, cfg) is None  # below classifier_only_threshold


def test_classifier_roundtrip(tmp_path) -> None:
    clf = LinearClassifier(labels=("recommendation",), weights=np.ones((1, 3), np.float32), bias=np.zeros(1, np.float32),
                           encoder="fake", meta={"n": 1})
    path = clf.save(tmp_path / "c.npz")
    back = load_classifier(path)
    assert back.labels == ("recommendation",) and back.encoder == "fake" and back.meta == {"n": 1}
    assert back.predict_proba(np.zeros((2, 3))).tolist() == [[0.5], [0.5]]
    with pytest.raises(ModelError, match="expects 3-d"):
        back.predict_proba(np.zeros((1, 4)))
    with pytest.raises(ModelError, match="not found"):
        load_classifier(tmp_path / "missing.npz")


# -- the stage with the real parsers -------------------------------------------------
@pytest.mark.slow
def test_stage_rules_only() -> None:
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.stage import ExtractionStage

    s = _session()
    out = ExtractionStage(ExtractionConfig(classifier=None, dialogue_act_heads=None))(s)
    assert [r.text for r in out.recommendations] == [
        "You should try time-blocking your mornings.", "What helped me was a weekly review."]
    assert all(r.giver == "boris" and r.receiver == "anna" and r.area == "time" for r in out.recommendations)
    (act,) = out.action_items
    assert (act.owner, act.task, act.due_text, act.due_date) == ("anna", "try it and send you my plan", "by Friday",
                                                                 dt.date(2026, 11, 27))
    assert [p.text for p in out.problems] == ["I'm struggling with prioritisation.", "Everything feels urgent."]
    for prob in out.problems:
        assert prob.raiser == "anna" and prob.solved and prob.solution_ids == ("rec-001", "rec-002", "act-001")
    # questions are exactly the dynamics' question events
    events = find_questions(s.utterances, language="en", backchannels=DynamicsConfig().backchannels)
    assert [(q.utterance_id, q.answered) for q in out.questions] == [(e.utterance_id, e.answered) for e in events]
    assert out.questions[0].addressee == "anna"


def test_stage_drops_advice_and_commitments_in_a_storys_quoted_words() -> None:
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.stage import ExtractionStage

    def items(rows):
        s = make_session(rows, roles={"anna": "junior", "boris": "senior"}).evolve(date=dt.date(2026, 11, 26))
        out = ExtractionStage(ExtractionConfig(classifier=None, dialogue_act_heads=None))(s)
        return [r.text for r in out.recommendations], [a.task for a in out.action_items]

    told = [("boris", 0, 4, "So my old boss walks in and I was like,"),
            ("boris", 4, 8, "You should just delegate the reports."),
            ("boris", 8, 12, "I'll send you the template tomorrow."),
            ("anna", 12, 14, "Really?"),
            ("boris", 14, 18, "You should try delegating the reports.")]
    recs, tasks = items(told)
    assert recs == ["You should try delegating the reports."]  # only the advice given after someone else spoke
    assert tasks == []  # the quoted commitment is the story's, the frame covers the speaker's next two lines
    recs, tasks = items([("boris", 0, 4, "So my old boss walks in."), *told[1:]])  # no quotative frame: all kept
    assert len(recs) == 2 and tasks


class _FakeEncoder:
    """Encodes a text as [mentions 'notes', 1, 0]: lets the injected classifier fire on one sentence."""

    def encode(self, texts):
        return np.array([[1.0 if "notes" in t else 0.0, 1.0, 0.0] for t in texts], dtype=np.float32)


@pytest.mark.slow
def test_stage_with_injected_classifier_adds_what_rules_miss() -> None:
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.stage import ExtractionStage

    clf = LinearClassifier(labels=("recommendation", "action", "problem"),
                           weights=np.array([[10, 0, 0], [0, 0, 0], [0, 0, 0]], np.float32),
                           bias=np.array([-3, -3, -3], np.float32), encoder="fake")
    out = ExtractionStage(ExtractionConfig(dialogue_act_heads=None), classifier=clf, encoder=_FakeEncoder())(_session())
    by_method = {r.text: r.method for r in out.recommendations}
    assert by_method["Yes, every day for notes."] == "classifier"
    assert by_method["You should try time-blocking your mornings."] == "rule+classifier"


@pytest.mark.parametrize(("text", "task"), [
    ("Um you're gonna look at product evaluation.", "look at product evaluation"),
    ("'Kay. And you're gonna do some product evaluation.", "do some product evaluation"),
    ("So you will have to work on the look and feel design", "work on the look and feel design"),
    ("Uh I'm gonna put these ideas in the project documents,", "put these ideas in the project documents"),
    ("I'll send it tomorrow.", "send it"),
    ("The I_D_ is going to do the look and feel design,", "The I_D_ is going to do the look and feel design"),  # the role stays
    ("Poppy and Tara will have to work together.", "Poppy and Tara will have to work together"),
    # round 17 (the demo): a second clause with its own subject is not part of the task
    ("Send me the timeline by the end of the month, and we'll go through it together.", "Send me the timeline"),
    ("I'll draft the plan, but you need to check the budget.", "draft the plan"),
    ("send me the timeline by the end of the month and we'll go through it together", "send me the timeline"),
    ("Try it for two weeks and tell me how it went.", "Try it for two weeks and tell me how it went"),
])
def test_task_phrase_without_a_rule_start_drops_fillers_and_the_person_frame(text: str, task: str) -> None:
    from types import SimpleNamespace

    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.rules import RuleHit

    assert task_phrase(SimpleNamespace(text=text, language="en"), RuleHit("action", 0.5, "classifier")) == task

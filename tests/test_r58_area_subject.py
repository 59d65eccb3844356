"""Round 58 (issue 10): an area with ``subject`` words in the taxonomy (bundled: teamwork) is given to talk that names
none of them only when the model is sure; otherwise the next substantive area takes it (blind readers' windows of real
meetings: benchmarks/r58_area_subject.py)."""

from __future__ import annotations

import numpy as np
import pytest

from sessionscope.analysis.topics.classify import subject_area
from sessionscope.analysis.topics.segment import Window
from sessionscope.analysis.topics.stage import subject_path
from sessionscope.analysis.topics.taxonomy import load_taxonomy, taxonomy_from_dict
from sessionscope.errors import ConfigError
from sessionscope.model import Utterance

LABELS = ("tools", "time", "teamwork", "projects", "clients", "development", "other")


def _proba(**p: float) -> np.ndarray:
    return np.array([p.get(a, 0.0) for a in LABELS])


def test_the_bundled_taxonomy_names_teamworks_subject_in_both_languages() -> None:
    team = load_taxonomy().area("teamwork")
    assert team.about("I think there's a conflict in the team", "en")
    assert team.about("Надо дать обратную связь коллеге", "ru")
    assert team.about("у хорошей планёрки есть повестка", "ru")
    assert not team.about("the remote control needs fewer buttons and a rubber case", "en")
    assert not team.about("кнопки пульта и корпус", "ru")
    assert team.about("the TEAM meeting", None)  # no language: every pattern is tried
    assert load_taxonomy().area("projects").about("anything at all", "en")  # no subject: always
    time = load_taxonomy().area("time")  # time management: priorities, deadlines, overload, not a meeting's clock
    assert time.about("I never have enough time, how do you prioritise?", "en")
    assert time.about("мне не хватает времени", "ru")
    assert not time.about("we've got five minutes left, so let's look at the buttons", "en")


def test_doubtful_teamwork_without_its_subject_gives_way() -> None:
    tax = load_taxonomy()
    text = "so the buttons go here and the battery goes in the back"
    p = _proba(teamwork=0.35, projects=0.30, tools=0.2, other=0.05)
    assert subject_area(tax, "teamwork", p, LABELS, text, "en") == "projects"
    # the model sure of it (beats the next by 0.5 or more): kept
    assert subject_area(tax, "teamwork", _proba(teamwork=0.8, projects=0.1), LABELS, text, "en") == "teamwork"
    # the subject named: kept; another area, small talk, or the rule off: untouched
    assert subject_area(tax, "teamwork", p, LABELS, "the team keeps arguing about the buttons", "en") == "teamwork"
    assert subject_area(tax, "projects", p, LABELS, text, "en") == "projects"  # an area without a subject
    assert subject_area(tax, "other", _proba(other=0.5, teamwork=0.4), LABELS, text, "en") == "other"
    assert subject_area(tax, "teamwork", p, LABELS, text, "en", margin=None) == "teamwork"


def test_a_long_stretch_must_name_the_subject_often_enough() -> None:
    """One "team" in 900 words of design talk is no talk about teamwork (``topics.subject_per_words``, 300)."""
    team = load_taxonomy().area("teamwork")
    long_talk = "the case should be curved and the buttons rubber " * 100 + "the team liked it"
    assert team.about(long_talk, "en")  # once is enough without a rate
    assert not team.about(long_talk, "en", per_words=300)
    assert team.about(long_talk + " the team agreed, the team said so, our team", "en", per_words=300)
    assert team.about("the team liked it", "en", per_words=300)  # a short text: once


def test_a_subject_pattern_is_validated() -> None:
    base = {"areas": [{"id": "a", "prototypes": {"en": ["x"]}, "subject": {"en": "(unclosed"}},
                      {"id": "other", "prototypes": {"en": ["hi"]}}],
            "modes": [{"id": "general", "prototypes": {"en": ["x"]}}]}
    with pytest.raises(ConfigError, match="subject pattern for 'en' is not a valid regular expression"):
        taxonomy_from_dict(base)
    base["areas"][0]["subject"] = {"en": r"\bteam\w*"}
    assert taxonomy_from_dict(base).area("a").about("Teams", "en")


def test_runs_on_the_path_give_way_and_merge() -> None:
    """A teamwork run between two tools runs whose words name no team becomes tools: one segment, not three."""
    tax = load_taxonomy()
    utts = [Utterance(id=f"u{k}", speaker="a", text=t) for k, t in enumerate(
        ["the app costs two euros", "we could use a cheaper app", "and the laptop in rubber", "fine by me",
         "let's ask the team what they think of the app", "ok"])]
    windows = [Window(0, 1, "", 10), Window(2, 3, "", 10), Window(4, 5, "", 10)]
    i = {a: k for k, a in enumerate(LABELS)}
    area_proba = np.stack([_proba(tools=0.6, teamwork=0.3), _proba(teamwork=0.4, tools=0.35), _proba(teamwork=0.4, tools=0.3)])
    path = np.array([i["tools"], i["teamwork"], i["tools"]])
    got = subject_path(path, area_proba, LABELS, windows, utts, tax, "en")
    assert [LABELS[k] for k in got] == ["tools", "tools", "tools"]
    # the run that names the team keeps teamwork
    path2 = np.array([i["tools"], i["tools"], i["teamwork"]])
    assert [LABELS[k] for k in subject_path(path2, area_proba, LABELS, windows, utts, tax, "en")] == ["tools", "tools", "teamwork"]
    assert subject_path(path, area_proba, LABELS, windows, utts, tax, "en", margin=None) is path


def test_the_stage_reads_the_subject(tmp_path) -> None:  # noqa: ANN001
    """Real models: a design discussion the head calls teamwork is given its next area; with ``subject_margin`` none
    the stage is as before round 58."""
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.config import TopicsConfig
    from sessionscope.model import Participant, Session

    lines = ["Okay so let's all agree on the shape first, then we talk about the colour.",
             "I think we should go with the curved one, everybody liked it.",
             "Yeah, let's go with that, and we can decide the buttons together afterwards.",
             "Good, so we agree, the curved shape, and then let's see what the others say about the buttons."] * 3
    utts = tuple(Utterance(id=f"u{k}", speaker="ab"[k % 2], text=t, start=5.0 * k, end=5.0 * k + 4) for k, t in enumerate(lines))
    session = Session(id="s", language="en", participants=(Participant(id="a", name="A"), Participant(id="b", name="B")),
                      utterances=utts)
    plain = TopicsStage(TopicsConfig(subject_margin=None))(session).topics
    ruled = TopicsStage()(session).topics
    # the head reads the form of the talk ("let's all agree", "we"), not its subject: teamwork, not sure of it (it beats
    # the next substantive area by less than subject_margin)
    assert [s.area for s in plain.segments] == ["teamwork"]
    scores = plain.segments[0].area_scores
    runner_up = max(p for a, p in scores.items() if a not in ("teamwork", "other"))
    assert scores["teamwork"] - runner_up < 0.5
    assert ruled.segments and all(s.area not in ("teamwork", "other") for s in ruled.segments)
    # the segment's confidence is its new area's probability (low here: the head was sure of nothing else)
    seg = ruled.segments[0]
    assert seg.confidence == seg.area_scores[seg.area] < plain.segments[0].confidence

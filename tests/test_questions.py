"""Question detection in English and Russian: the lexical rule, reported questions, the head's features, answers."""

import zlib
from dataclasses import replace

import numpy as np
import pytest

from helpers import make_session
from sessionscope.analysis.questions import (
    CUT_HASH_BITS,
    FEATURES_VERSION,
    HEAD_HASH_BITS,
    NO_CONTEXT,
    Neighbour,
    QuestionContext,
    QuestionHead,
    _hash,
    answer_features,
    bare_clauses,
    bundled_question_head,
    clause_bounds,
    context_features,
    cut_feature_ids,
    cut_features,
    cut_words,
    find_questions,
    is_backchannel,
    is_question,
    load_question_head,
    own_features,
    question_feature_ids,
    question_sentences,
    question_shape,
    question_tokens,
    reported_question,
    stream_contexts,
    transcript_punctuated,
    unmarked_inversion,
)
from sessionscope.config import DynamicsConfig
from sessionscope.errors import ModelError

EN_Q = [
    "What do you think?", "how do you usually plan the week", "Do you use Notion", "can we move it to Friday",
    "Is it worth automating", "Why did the export fail", "Shall we start", "Any ideas?",
]
EN_NOT = [
    "What I mean is that we should try it.", "I do use Notion.", "You can move it to Friday.",
    "How nice!", "When I was junior I did that too.", "Do it tomorrow!", "Ok.",
]
RU_Q = [
    "Как вы обычно планируете неделю", "Почему отчёт не выгружается", "Знаешь ли ты про Трелло",
    "Сколько времени это займёт", "Что ты думаешь об этом?", "А можно перенести на пятницу?",
]
RU_NOT = [
    "Что касается клиентов, всё хорошо.", "Как я уже говорил, это важно.", "Когда я начинал, было сложнее.",
    "Где-то так.", "Я попробую завтра.",
]


@pytest.mark.parametrize("text", EN_Q)
def test_english_questions(text):
    assert is_question(text, language="en")


@pytest.mark.parametrize("text", EN_NOT)
def test_english_non_questions(text):
    assert not is_question(text, language="en")


@pytest.mark.parametrize("text", RU_Q)
def test_russian_questions(text):
    assert is_question(text, language="ru")


@pytest.mark.parametrize("text", RU_NOT)
def test_russian_non_questions(text):
    assert not is_question(text, language="ru")


def test_question_sentences_split():
    assert question_sentences("We tried Jira. Did it help? Not really.") == ["Did it help?"]


def test_backchannels():
    bc = ["yeah", "mm-hmm", "угу", "i see", "ok"]
    assert is_backchannel("Yeah.", bc)
    assert is_backchannel("mm-hmm, yeah", bc)
    assert is_backchannel("Угу", bc)
    assert is_backchannel("I see", bc)
    assert not is_backchannel("Yeah, but the deadline is tight", bc)


@pytest.mark.parametrize("text,expected", [
    ("you know?", False), ("a long time you know?", False), ("The tool is great, right?", False),
    ("Is that right?", True), ("Right?", False), ("what was I gonna say.", False),
    ("is I kinda had a b- general idea,", False), ("Do you know?", True), ("Это удобно, правда?", False),
    ("Ты знаешь, как это сделать?", True), ("And you know what we start out with?", True),
])
def test_tags_and_trusted_punctuation(text, expected):
    assert is_question(text) is expected


# -- reported and quoted questions -------------------------------------------------------
@pytest.mark.parametrize("text", [
    "He asked whether we had the data.", 'She asked me, "Can you send it?"', "He said: can we do it tomorrow?",
    "I asked him if he could come.", "They asked, can we move it?", "Она спросила: «Ты придёшь?»",
    "Он спросил, придёшь ли ты.", "he asked whether we had the data",
])
def test_reported_and_quoted_questions_are_not_questions(text):
    assert reported_question(text)
    assert not is_question(text)


@pytest.mark.parametrize("text", [
    "Did he ask whether we had the data?", "So you asked whether it works?", "What did she ask?",
    "Can you ask him whether it works?", "What do you think?", "I wonder if it works",
])
def test_questions_about_a_report_are_not_reported(text):
    assert not reported_question(text)


# -- the head's model-free features --------------------------------------------------------
def test_question_tokens_clean_disfluencies():
    assert question_tokens("ca- - can - can we fast forward ?") == ["can", "we", "fast", "forward"]
    assert question_tokens("so we're - we're - we're off the air ?") == ["so", "we're", "off", "the", "air"]
    assert question_tokens("we are we are going") == ["we", "are", "going"]
    assert question_tokens("Ты придёшь ли?") == ["ты", "придешь", "ли"]


@pytest.mark.parametrize(("text", "shape"), [
    ("so um what do you think", "WH"), ("well can we move it", "INV"), ("the new one", "DECL"),
    ("right", "SHORT"), ("", "EMPTY"), ("и как тебе", "WH"),
])
def test_question_shape(text, shape):
    assert question_shape(question_tokens(text)) == shape


def test_own_features_word_order_and_punctuation():
    bare = own_features("yeah i know but can we do it tomorrow", punctuated=False)
    assert "inv@k" in bare and "B" in bare and "P" not in bare  # an inversion at a later clause start
    assert "inv@0" in own_features("um could it be the microphone", punctuated=False)
    assert "wh@0" in own_features("so what do we do", punctuated=False)
    assert "or_not" in own_features("is it working or not", punctuated=False)
    assert "li" in own_features("придёшь ли ты завтра", punctuated=False)
    assert "reported" in own_features("i don't know what he wants", punctuated=False)
    p = own_features("It works, right?", punctuated=True)
    assert {"P", "q_any", "end=?", "lp=right?"} <= set(p)
    assert "no_q" in own_features("It works.", punctuated=True)
    # punctuation is only read in a punctuated transcript; the words are the same
    assert [f for f in own_features("What now?", punctuated=False) if f != "B"] == \
        [f for f in own_features("what now", punctuated=False) if f != "B"]


def test_context_features_speaker_change_and_reply():
    ctx = QuestionContext(speaker="a", prev=Neighbour("we tested it.", "b"), next=Neighbour("Yes, we did.", "b"))
    f = context_features("so you tested it", ctx, punctuated=True)
    assert {"p:o", "n:o", "n:o:w1=yes", "x:DECL:n:o:w1=yes", "x:DECL:p:o"} <= set(f)
    # the asker goes on: who speaks after that
    ctx = QuestionContext(speaker="a", next=Neighbour("I mean the slides", "a"), next2=Neighbour("no", "b"))
    f = context_features("what about it", ctx, punctuated=False)
    assert {"p:none", "n:s", "n2:o", "n2:o:w1=no"} <= set(f)
    assert [g for g in context_features("x", NO_CONTEXT, punctuated=False) if not g.startswith("X:")] == ["p:none", "n:none"]
    ctxs = stream_contexts(["a?", "b", "c"], ["x", "y", "x"])
    assert ctxs[0].prev is None and ctxs[0].next == Neighbour("b", "y") and ctxs[0].next2 == Neighbour("c", "x")
    assert ctxs[2].next is None and ctxs[1].speaker == "y"


def test_answer_features_cross_the_sentence_with_the_reply():
    ctxs = stream_contexts(["so you sent the slides right", "yeah i did", "and is it ready"], ["a", "b", "a"])
    f = answer_features(question_tokens("so you sent the slides right"), "DECL", ctxs[0])
    assert {"X:f1=you:n:o:w1=yeah", "X:f2=you sent:n:o:yn=True", "X:l1=right:n:o:yn=True", "X:l2=slides right:n:o",
            "X:shape=DECL:n:o:yn=True:len=6", "X:you:n:o:yn=True", "X:tag=right:n:o:yn=True"} == set(f)
    # the last sentence: no reply; the previous speaker's shape and last word; an agreeing inversion after "and"
    f = answer_features(question_tokens("and is it ready"), "INV", ctxs[2])
    assert {"X:f1=is:n:none:w1=-", "X:p:o:shape=DECL:me=INV", "X:p:o:l1=did:f1=is", "X:invagr@0:prev=x"} <= set(f)
    assert not any(g.startswith("X:tag") for g in f)
    # a reply after a filler still counts as yes/no; the speaker going on is not a reply
    ctx = QuestionContext(speaker="a", next=Neighbour("um no", "b"))
    assert "X:f2=it works:n:o:yn=True" in answer_features(["it", "works"], "SHORT", ctx)
    ctx = QuestionContext(speaker="a", next=Neighbour("yeah and then", "a"))
    f = answer_features(["it", "works", "right"], "DECL", ctx)
    assert "X:l1=right:n:s:yn=True" in f and not any(g.startswith("X:tag") for g in f)
    assert answer_features([], "EMPTY", NO_CONTEXT) == []
    assert "X:p:s:shape=WH:me=DECL" in answer_features(["it", "is"], "DECL", QuestionContext(
        speaker="a", prev=Neighbour("what is it", "a")))


def test_transcript_punctuated():
    assert transcript_punctuated(["Hello there.", "so what do we do", "We ship it."])
    assert not transcript_punctuated(["hello there", "so what do we do", "we ship it", "ok."])
    assert not transcript_punctuated([])


def test_feature_ids_are_hashed_in_range():
    ids = question_feature_ids("um so what do we do next", NO_CONTEXT, punctuated=False)
    assert ids == sorted(set(ids)) and all(0 <= i < 1 << HEAD_HASH_BITS for i in ids)


# -- the head file and find_questions with a hand-made head ----------------------------------
def _toy_head(**kw) -> QuestionHead:
    """Fires on an interrogative word or an inversion at the start; bare text a little less sure."""
    w = np.zeros((2, 1 << HEAD_HASH_BITS), np.float32)
    for f, v in (("wh@0", 5.0), ("inv@0", 5.0), ("q_any", 5.0)):
        w[:, _hash(f)] = v
    return QuestionHead(weights=w, bias=np.array([-2.0, -2.5]), platt=np.array([[1.0, 0.0], [1.0, 0.0]]),
                        thresholds=np.array([0.5, 0.5]), **kw)


def test_question_head_roundtrip_kinds_and_errors(tmp_path):
    head = _toy_head(meta={"n": 1})
    back = load_question_head(head.save(tmp_path / "q.npz"))
    assert back.meta["n"] == 1 and back.meta["features_version"] == FEATURES_VERSION
    p = back.proba(["What do we do?", "what do we do", "It works."])
    assert p[0] > p[1] > 0.5 > p[2]  # punctuated / bare weights chosen per text
    p_bare = back.proba(["What do we do?"], punctuated=False)
    assert p_bare[0] == pytest.approx(p[1], abs=1e-3)  # a bare transcript: punctuation is not read
    yes, _ = back.is_question(["What do we do?", "He asked what we do?"])
    assert yes.tolist() == [True, False]  # the reported question is never one
    with pytest.raises(ModelError, match="not found"):
        load_question_head(tmp_path / "missing.npz")
    np.savez(tmp_path / "old.npz", weights=np.zeros((2, 4)), bias=np.zeros(2), platt=np.zeros((2, 2)),
             thresholds=np.zeros(2), meta=np.array("{}"))
    with pytest.raises(ModelError, match="feature version"):
        load_question_head(tmp_path / "old.npz")


def test_find_questions_uses_the_head_and_answers_come_from_someone_else():
    s = make_session([("a", 0, 2, "what do we do next"), ("a", 2, 3, "I mean the slides"), ("b", 3, 5, "we ship them")])
    (e,) = find_questions(s.utterances, language="en", backchannels=DynamicsConfig().backchannels, head=_toy_head())
    assert e.confidence == pytest.approx(1 / (1 + np.exp(-2.5)), abs=1e-3)  # bare transcript: bias -2.5
    assert e.answered and e.answer_utterance_id == s.utterances[2].id  # by someone else, not the asker's continuation
    (r,) = find_questions(s.utterances, language="en", backchannels=DynamicsConfig().backchannels, head=None)
    assert r.confidence is None


@pytest.mark.parametrize(("question", "reply", "answered"), [
    ("Can we ship it on Friday?", "Yes.", True),           # a plain yes answers a yes/no question
    ("What do we ship on Friday?", "Yeah.", False),        # ... not a wh-question
    ("Can we ship it on Friday?", "Huh.", False),          # a sound is no answer
    ("Can we ship it on Friday?", "So ==", False),         # nor a cut-off start
    ("Can we ship it on Friday?", "Friday works for me.", True),
    ("Can we ship it on Friday?", "{vocalsound}", False),  # a laugh or a lone "." says nothing
    ("Can we ship it on Friday?", "[laughter] .", False),
    ("Can we ship it on Friday?", ".", False),
    ("Can we ship it on Friday?", "{vocalsound} Friday works.", True),  # marks around words still answer
])
def test_what_answers_a_question(question, reply, answered):
    s = make_session([("a", 0, 2, question), ("b", 2, 3, reply)])
    (e,) = find_questions(s.utterances, language="en", backchannels=DynamicsConfig().backchannels, head=_toy_head())
    assert e.answered is answered


def test_russian_keeps_the_lexical_decision_with_the_head_confidence():
    s = make_session([("a", 0, 2, "Придёшь ли ты завтра?"), ("b", 2, 3, "Да, приду."), ("a", 3, 4, "Как я говорил, это важно.")],
                     language="ru")
    events = find_questions(s.utterances, language="ru", backchannels=DynamicsConfig().backchannels, head=_toy_head())
    assert [e.utterance_id for e in events] == [s.utterances[0].id]
    assert events[0].confidence is not None and events[0].answered


def test_russian_question_a_rule_finds_against_the_head_has_no_confidence():
    # round 46: without "?" in a punctuated transcript the rule («ли») decides, and the head's probability (it reads
    # "?") says nothing of the rule: none, not a few per cent "to check"
    s = make_session([("a", 0, 2, "Придёшь ли ты завтра"), ("b", 2, 3, "Да, приду."), ("a", 3, 4, "Как я говорил, это важно.")],
                     language="ru")
    events = find_questions(s.utterances, language="ru", backchannels=DynamicsConfig().backchannels, head=_toy_head())
    assert [e.utterance_id for e in events] == [s.utterances[0].id]
    assert events[0].confidence is None and events[0].answered


# -- cutting bare turns into clauses ------------------------------------------------------------
def test_bare_clauses_rule_cuts():
    assert bare_clauses("morning maya come in how was the trip") == ["morning maya come in", "how was the trip"]
    assert bare_clauses("i don't know what is wrong with it") == ["i don't know what is wrong with it"]  # embedded
    assert bare_clauses("ну ладно а ты придёшь ли завтра") == ["ну ладно а ты", "придёшь ли завтра"]


def test_clause_bounds_are_the_spans_of_bare_clauses():
    toks = "morning maya come in how was the trip".split()
    assert clause_bounds(toks) == [(0, 4), (4, 8)]
    assert [" ".join(toks[a:b]) for a, b in clause_bounds(toks)] == bare_clauses(" ".join(toks))
    assert clause_bounds([]) == []


def test_cut_words_and_features():
    assert cut_words(["so", "|", "What’s", "=="]) == ([0, 2], ["so", "what's"])  # marks without words are skipped
    f = cut_features(["i", "think", "so", "right"], 3)
    assert {"a1=so", "b1=right", "ab=so|right", "pos=3", "rem=1", "b2=right </s>"} <= set(f)
    assert "rep" in cut_features(["we", "we", "can"], 1) and "inv" in cut_features(["ok", "can", "you", "see"], 1)
    ids = cut_feature_ids(["ok", "can", "you", "see"], 1)
    assert ids == sorted(set(ids)) and all(0 <= i < 1 << CUT_HASH_BITS for i in ids)


def _toy_cutter(head: QuestionHead) -> QuestionHead:
    """Cuts before a closing "right" (probability 0.88 there, 0.12 elsewhere)."""
    w = np.zeros(1 << CUT_HASH_BITS, np.float32)
    w[zlib.crc32(b"b1=right") & ((1 << CUT_HASH_BITS) - 1)] = 4.0
    return replace(head, cut_weights=w, cut_bias=-2.0, cut_threshold=0.5)


def test_learned_cuts_add_to_the_rule_and_survive_saving(tmp_path):
    head = _toy_cutter(_toy_head())
    assert bare_clauses("it works right") == ["it works right"]
    assert bare_clauses("it works right", head) == ["it works", "right"]
    assert bare_clauses("it works right how was the trip", head) == ["it works", "right", "how was the trip"]
    assert bare_clauses("ну ладно а ты придёшь ли завтра right", head) == ["ну ладно а ты", "придёшь ли завтра right"]  # Russian: rule only
    back = load_question_head(head.save(tmp_path / "q.npz"))
    assert back.cut_threshold == 0.5 and back.cut_bias == -2.0 and back.meta["cut_hash_bits"] == CUT_HASH_BITS
    assert back.learned_cuts("it works right".split()) == [2]
    assert load_question_head(_toy_head().save(tmp_path / "plain.npz")).cut_weights is None  # a head without a cutter
    with np.load(tmp_path / "q.npz") as z:
        arrays = {k: z[k] for k in z.files}
    np.savez(tmp_path / "bad.npz", **{**arrays, "cut_weights": np.zeros(8, np.float16)})
    with pytest.raises(ModelError, match="clause cutter"):
        load_question_head(tmp_path / "bad.npz")


# -- the shipped head (real model, small and fast) --------------------------------------------
def test_shipped_head_loads_and_separates_clear_cases():
    head = bundled_question_head()
    assert head is not None, "the question head ships inside the package"
    assert head.meta["seed"] == 0 and head.meta["commit"] and "heldout" in head.meta
    qs = ["can we move it to friday", "so what do you think about the budget", "is it working or not"]
    nots = ["we can move it to friday", "i think the budget is fine", "thank you very much"]
    yes, p = head.is_question(qs + nots, punctuated=False)
    assert yes.tolist() == [True] * 3 + [False] * 3, p
    yes, _ = head.is_question(["Can we move it to Friday?", "We can move it to Friday.", "He asked whether we can move it?"],
                              punctuated=True)
    assert yes.tolist() == [True, False, False]
    # the learned clause cutter ships with it and cuts a bare turn before a closing tag
    assert head.cut_weights is not None and head.cut_threshold == head.meta["cut"]["threshold"]
    assert bare_clauses("you sent the slides to maria right", head) == ["you sent the slides to maria", "right"]
    assert bare_clauses("i think we should go with the rubber case", head) == ["i think we should go with the rubber case"]


def test_unmarked_inversion_in_a_punctuated_transcript():
    assert unmarked_inversion("Do you use Notion") and unmarked_inversion("so um can we move it to friday")
    assert not unmarked_inversion("Do you use Notion.")  # a mark: the head's reading stands
    assert not unmarked_inversion("Do we go for maybe a remote contro-")  # cut off
    assert not unmarked_inversion("Can you see")  # under four words: fragments in the corpora
    assert not unmarked_inversion("We use Notion every day") and not unmarked_inversion("What do you use every day")
    assert unmarked_inversion("did he ask whether we can come")  # a question about a report, not a reported one


def test_a_punctuated_transcript_keeps_an_inversion_without_its_question_mark():
    s = make_session([("a", 0, 2, "We looked at the tools."), ("a", 2, 4, "Do you use Notion"), ("b", 5, 6, "Yes, every day.")])
    w = np.zeros((2, 1 << HEAD_HASH_BITS), np.float32)
    w[:, _hash("q_any")] = 5.0  # a head that only believes question marks
    head = QuestionHead(weights=w, bias=np.array([-2.0, -2.0]), platt=np.array([[1.0, 0.0], [1.0, 0.0]]),
                        thresholds=np.array([0.5, 0.5]))
    events = find_questions(s.utterances, language="en", backchannels=DynamicsConfig().backchannels, head=head)
    assert [e.utterance_id for e in events] == [s.utterances[1].id]
    assert events[0].confidence is not None and events[0].confidence < 0.5  # the head's own probability is kept


def test_question_tokens_memo_returns_fresh_lists() -> None:
    """The memoised tokens cannot be changed through a returned list."""
    from sessionscope.analysis.questions import question_tokens

    a = question_tokens("ca- can we can we go?")
    a.append("x")
    assert question_tokens("ca- can we can we go?") == ["can", "we", "go"]


def test_is_backchannel_vocabulary_per_list() -> None:
    """The cached vocabulary follows the list passed in (a changed config list is not served stale)."""
    from sessionscope.analysis.questions import is_backchannel

    assert is_backchannel("Mm-hmm", ["mm-hmm", "yeah"])
    assert not is_backchannel("Mm-hmm", ["yeah"])
    assert is_backchannel("yeah yeah", ("yeah",))

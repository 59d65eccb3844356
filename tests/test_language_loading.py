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

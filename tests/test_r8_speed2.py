"""Round 8, speed (second pass): the memoised feature and rule helpers give what the plain code gives.

Model-free: each memoised helper is compared with the computation it replaces (written out
here as it was), on repeats, neighbours with and without question marks, the same and another
speaker, Russian, empty text; and the memo hands out fresh objects, so a caller changing them
changes nothing for the next caller.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from sessionscope.analysis import questions as Q
from sessionscope.analysis.extract import heads as H
from sessionscope.analysis.extract import problems as P
from sessionscope.analysis.extract import recommendations as R
from sessionscope.analysis.extract import rules

TEXTS = [
    "Yeah.", "Okay.", "so um what do you think?", "We should try the blue one, right?", "I'll send it by Friday.",
    "you know", "", "Ну что, вы пришлёте отчёт к пятнице?", "He asked whether we'd finish.", "Why don't you use Trello",
    "and I was like,", "then you have to round these back", "no problem", "I'm struggling with the remote.",
]


def _lexical_ids_plain(text, prev, speaker, nxt):
    return sorted({H._h(f, H.LEX_HASH_BITS) for f in H.lexical_features(text, prev, speaker, nxt)})


@pytest.mark.parametrize("text", TEXTS)
def test_lexical_feature_ids_equal_hashing_all_features(text):
    turns = [None, H.Turn("Okay.", "A"), H.Turn("Did you see it?", "B"), H.Turn("", "A"), H.Turn("Да, видел.", "C")]
    for prev in turns:
        for nxt in turns:
            for speaker in ("A", "B"):
                got = H.lexical_feature_ids(text, prev, speaker, nxt)
                assert got == _lexical_ids_plain(text, prev, speaker, nxt)
                assert got == sorted(set(got))


def test_lexical_features_keep_their_order_and_parts():
    feats = H.lexical_features("So we try it?", H.Turn("What now?", "B"), "A", None)
    assert feats[0] == "len=1" and feats[1] == "qmark"
    assert "px" in feats and "pxq" in feats and "pxf2=what now" in feats and feats[-1] == "n=none"
    same = H.lexical_features("So we try it?", H.Turn("What now?", "A"), "A", None)
    assert "ps" in same and "px" not in same and same.index("ps") < same.index("psf2=what now") < same.index("n=none")


def test_tokens_are_fresh_lists():
    a = H.tokens("Don’t stop, Ёлка")
    assert a == ["don't", "stop", "елка"]
    a.append("x")
    assert H.tokens("Don’t stop, Ёлка") == ["don't", "stop", "елка"]


def test_cue_features_fresh_and_same_as_first_call():
    first = H.cue_features("I'll send you the slides by Friday?")
    assert first.dtype == np.float32 and first.shape == (len(H.CUE_NAMES),)
    assert first[H.CUE_NAMES.index("due")] == 1 and first[H.CUE_NAMES.index("q_mark")] == 1
    first[:] = -1  # a caller may change its copy
    again = H.cue_features("I'll send you the slides by Friday?")
    assert again.flags.writeable and (again >= 0).all()
    assert again[H.CUE_NAMES.index("future_first")] == 1
    assert not H._cue_features("Yeah.").flags.writeable  # the memo's own array is read-only


def _question_ids_plain(text, ctx, punctuated):
    return sorted({Q._hash(s) for s in (*Q.own_features(text, punctuated=punctuated),
                                        *Q.context_features(text, ctx, punctuated=punctuated))})


def test_question_feature_ids_equal_hashing_all_features():
    texts = [t for t in TEXTS if t] + ["Yeah.", "do you use notion", "Okay."]
    speakers = ["A", "B", "A", "A", "C"] * 4
    ctxs = Q.stream_contexts(texts, speakers[: len(texts)])
    for punctuated in (True, False):
        for t, c in zip(texts, ctxs, strict=True):
            assert Q.question_feature_ids(t, c, punctuated=punctuated) == _question_ids_plain(t, c, punctuated)
        assert Q.question_feature_ids("", Q.NO_CONTEXT, punctuated=punctuated) == _question_ids_plain("", Q.NO_CONTEXT, punctuated)


@pytest.mark.parametrize("text", [*TEXTS, "Did he ask whether it works?", "You asked if it works?", "right?",
                                  "Do you know, right?", "Она спросила: «придёшь?»", "что ли"])
def test_memoised_question_rules_equal_plain(text):
    for language in (None, "en", "ru"):
        assert Q.is_question(text, language=language) == Q._is_question.__wrapped__(text, language)
        assert Q.is_question(text, language=language) == Q.is_question(text, language=language)
    assert Q.reported_question(text) == Q._reported_question.__wrapped__(text)


def test_rules_search_is_re_search_ignorecase():
    for pattern in (r"\bfoo\b", r"^(and |so )?then\b", r"ТЕБЕ (стоит|надо)"):
        for text in ("Foo bar", "so then", "тебе стоит", "nothing"):
            got, want = rules.search(pattern, text), re.search(pattern, text, re.IGNORECASE | re.UNICODE)
            assert (got is None) == (want is None)
            if got is not None:
                assert got.span() == want.span() and got.groups() == want.groups()


@pytest.mark.parametrize("text", TEXTS)
def test_memoised_text_rules_equal_plain(text):
    t = rules.norm(text)
    assert t == rules.norm.__wrapped__(text)
    assert rules.meeting_itself(t) == rules.meeting_itself.__wrapped__(t)
    assert rules.quotative_end(text) == rules.quotative_end.__wrapped__(text)
    assert rules.generic_you_text(text) == rules.generic_you_text.__wrapped__(text)
    for ru in (False, True):
        assert P._problem_text(t, ru) == P._problem_text.__wrapped__(t, ru)
    assert R._en_strong(t) == R._en_strong.__wrapped__(t)
    assert R._en_modal(t) == R._en_modal.__wrapped__(t)


def test_word_tokens_skip_marks_and_punctuation():
    assert [rules._word_text(x) for x in ("word", "{vocalsound}", "[laughter]", "<b>", "--", "a-", "42")] == \
        [True, False, False, False, False, True, True]


def test_analyze_start_up_without_the_manifest_models():
    """A run without a manifest or ``-p`` builds no pydantic manifest models; the id check is the same function."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import sessionscope.batch, sessionscope.inputs, sessionscope.cli.analyze\n"
        "from sessionscope.runspec import build_run_spec\n"
        "spec = build_run_spec('analyze')\n"
        "assert spec.default_entry is None and spec.manifest is None\n"
        "print(sorted(m for m in ('sessionscope.model.manifest', 'sessionscope.io.manifest') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    from sessionscope import batch
    from sessionscope.model import manifest, safe_id

    assert batch.check_safe_id is manifest.check_safe_id is safe_id.check_safe_id
    with pytest.raises(ValueError, match="not a safe name"):
        safe_id.check_safe_id("../x")

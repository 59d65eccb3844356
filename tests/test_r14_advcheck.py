"""The real-talk check retrained with the advice labelled on held-out AMI and MRDA meetings (issue 10, round 14)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import make_session
from sessionscope.analysis.extract.check import FEATURES, bundled_item_check

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import audit_real_talk as art  # noqa: E402
import realtalk_check_r14_advcheck as r14  # noqa: E402

LABELS = BENCH / "results" / "audit_real_talk_r14_advcheck_labels.json"


def test_labels_follow_the_written_rule_and_the_categories() -> None:
    doc = json.loads(LABELS.read_text(encoding="utf-8"))
    assert "proposes that someone" in doc["rule"] and "meeting_talk" in doc["rule"]
    labs = doc["labels"]
    assert len(labs) >= 500
    allowed = {"ok", *art.CATEGORIES["recommendation"]}
    for key, lab in labs.items():
        sid, kind, uid, _ = key.split("|", 3)
        assert sid in (*art.R13_AMI, *art.R14_MRDA) and kind == "recommendation" and uid.startswith("u")
        assert lab in allowed, (key, lab)
    # both right and wrong items, in every meeting
    assert {s for s in art.R13_AMI + art.R14_MRDA} == {k.split("|", 1)[0] for k in labs}
    assert 0.2 < sum(v == "ok" for v in labs.values()) / len(labs) < 0.8


def test_blind_files_stay_out() -> None:
    assert not set(r14.FILES) & set(r14.BLIND)
    assert not any(k.split("|", 1)[0] in r14.BLIND for k in r14.labels_all())
    c = bundled_item_check()
    assert c is not None and not set(c.meta["files"]) & set(r14.BLIND)


def test_corpus_groups() -> None:
    assert r14.group("ES2003b") == r14.group("IS1005c") == r14.group("TS3011d") == "ami"
    assert r14.group("Bns003") == r14.group("SBC001") == r14.group("ZOOM") == r14.group("Bed003") == "other"
    groups = {r14.group(f) for f in r14.FILES}
    assert groups == {"ami", "other"}


def test_bundled_check_is_the_retrained_one() -> None:
    c = bundled_item_check()
    assert c is not None and set(c.kinds) == {"recommendation", "action"}
    # round 15 retrained it with round 14's protocol (realtalk_check_r15_lab.py: more labels, Bed003 dropped)
    assert "realtalk_check_r14_advcheck.py train" in c.meta["trained"] or "realtalk_check_r15_lab.py train" in c.meta["trained"]
    assert set(art.R13_AMI) <= set(c.meta["files"]) and set(art.R14_MRDA) <= set(c.meta["files"])
    assert c.meta["variants"] == r14.VARIANTS and c.meta["written_weight"] == r14.WRITTEN
    assert c.meta["rows"]["recommendation"] >= 1500  # round 13: 588
    x = np.zeros((2, len(FEATURES)))
    for k in c.kinds.values():
        p = k.proba(x, np.zeros((2, 512)) if k.emb_coef is not None else None)
        assert np.all((p > 0.0) & (p < 1.0))


def test_paired_bootstrap_sees_a_better_score() -> None:
    rng = np.random.default_rng(1)
    rows = [{"right": bool(i % 2), "a": float(rng.random()), "b": 0.8 if i % 2 else 0.2} for i in range(60)]
    res = r14.paired_bootstrap(rows, "a", "b", draws=200)
    assert res["auc"][1] == 1.0 and res["brier"][1] == pytest.approx(0.04)
    assert res["auc_difference_95"][0] > 0 and res["brier_difference_95"][1] < 0
    same = r14.paired_bootstrap(rows, "b", "b", draws=50)
    assert same["auc_difference_95"] == [0.0, 0.0]


def test_mrda_sessions_are_speaker_turns() -> None:
    if not (art.DATA / "mrda-dialogue-acts" / "dialogue_acts.jsonl.gz").exists():
        pytest.skip("no MRDA data")
    text, speakers = art.mrda_turns("Bro013")
    lines = text.splitlines()
    assert len(lines) > 50 and len(speakers) >= 2
    who = [ln.split(":", 1)[0] for ln in lines]
    assert set(who) == set(speakers)
    assert all(a != b for a, b in zip(who, who[1:], strict=False))  # a speaker's consecutive acts are one turn
    assert all(s not in r14.BLIND for s in art.R14_MRDA)


def test_the_check_changes_confidence_not_the_items() -> None:
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    rows = [("ann", "So what material should the case be?"), ("bob", "I think we should make it rubber."),
            ("cat", "And maybe we could use a kinetic battery instead of solar cells."),
            ("ann", "Next slide, please."), ("bob", "I'll send you the cost sheet by Friday.")]
    s = make_session(rows)
    off = ExtractionStage(ExtractionConfig(item_check="none"))(s)
    on = ExtractionStage(ExtractionConfig())(s)
    for field in ("recommendations", "action_items"):
        a, b = getattr(off, field), getattr(on, field)
        assert [dataclasses.replace(x, confidence=None, to_check=False) for x in a] == \
            [dataclasses.replace(x, confidence=None, to_check=False) for x in b]
    assert off.recommendations and any(x.confidence != y.confidence for x, y in zip(off.recommendations, on.recommendations, strict=True))
    for y in on.recommendations:
        assert y.to_check == (y.confidence < 0.5)

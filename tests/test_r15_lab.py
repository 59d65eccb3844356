"""The real-talk check with six more ICSI meetings labelled, retrained without the MRDA dev meeting (issue 10, round 15)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from sessionscope.analysis.extract.check import FEATURES, ItemCheck, bundled_check_path, check_features

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import audit_real_talk as art  # noqa: E402
import realtalk_check_r15_lab as r15  # noqa: E402

LABELS = BENCH / "results" / "audit_real_talk_r15_lab_labels.json"


def _dev_meetings() -> set[str] | None:
    """The AMI and MRDA dialogue-act dev meetings (``None`` without the shared data)."""
    out: set[str] = set()
    for name in ("ami-annotations", "mrda-dialogue-acts"):
        p = art.DATA / name / "meetings.csv"
        if not p.exists():
            return None
        with p.open(encoding="utf-8") as fh:
            out |= {r["meeting"] for r in csv.DictReader(fh) if r["split"] == "dev"}
    return out


def test_bundled_check_lists_its_training_files_and_no_dev_meeting() -> None:
    c = ItemCheck.load(bundled_check_path())
    files = c.meta["files"]
    assert "realtalk_check_r15_lab.py train" in c.meta["trained"]
    assert set(art.R15_MRDA) <= set(files) and set(art.R14_MRDA) <= set(files) and set(art.R13_AMI) <= set(files)
    assert "Bed003" not in files and c.meta["dev_meetings_excluded"] == ["Bed003"]
    assert not set(files) & set(r15.r14.BLIND)
    dev = _dev_meetings()
    if dev is not None:
        assert "Bed003" in dev and not set(files) & dev
    assert c.meta["variants"] == r15.VARIANTS and c.meta["written_weight"] == r15.WRITTEN
    assert c.meta["rows"]["recommendation"] >= 1900 and c.meta["rows"]["action"] >= 190  # round 14: 1589 / 150


def test_bundled_check_loads_and_scores() -> None:
    c = ItemCheck.load(bundled_check_path())
    assert set(c.kinds) == {"recommendation", "action"} and c.encoder == "usem3"
    f = np.stack([
        check_features("Maybe we should run the whole meeting through it first.", confidence=0.7, method="head",
                       flag=False, owner=None, speaker="a", due=False, next_speaker="b", next_text="Yeah, good idea."),
        check_features("Uh switch off.", confidence=0.6, method="head", flag=True, owner=None, speaker="a", due=False,
                       next_speaker=None, next_text=None),
    ])
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(2, 512))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    for k in c.kinds.values():
        assert k.emb_coef is not None and k.emb_coef.shape == (512,) and k.coef.shape == (len(FEATURES),)
        p = k.proba(f, emb)
        assert p.shape == (2,) and np.all((p > 0.0) & (p < 1.0))
        with pytest.raises(ValueError):
            k.proba(f)  # the embedding is required


def test_labels_follow_the_rules_and_cover_the_new_meetings() -> None:
    doc = json.loads(LABELS.read_text(encoding="utf-8"))
    r14doc = json.loads((BENCH / "results" / "audit_real_talk_r14_advcheck_labels.json").read_text(encoding="utf-8"))
    assert doc["rule"].startswith(r14doc["rule"])  # round 14's written rule, copied
    assert "one labeller" in doc["labeller"] and "concrete task" in doc["task_rule"]
    recs = {k: v for k, v in doc["labels"].items() if k.split("|")[1] == "recommendation"}
    acts = {k: v for k, v in doc["labels"].items() if k.split("|")[1] == "action"}
    assert len(recs) >= 400 and len(acts) >= 40
    assert {k.split("|", 1)[0] for k in recs} == set(art.R15_MRDA)
    assert {k.split("|", 1)[0] for k in acts} == set(art.R15_MRDA) | set(art.R14_MRDA)
    assert set(recs.values()) <= {"ok", *art.CATEGORIES["recommendation"]}
    assert set(acts.values()) <= {"ok", *art.CATEGORIES["action"]}
    for labs in (recs, acts):
        assert 0.15 < sum(v == "ok" for v in labs.values()) / len(labs) < 0.85


def test_corpus_groups_and_folds_keep_bed003_out_of_scoring() -> None:
    assert r15.group("ES2003b") == r15.group("IS1005c") == r15.group("TS3011d") == "ami"
    assert r15.group("Bns003") == r15.group("Bmr013") == r15.group("Bed003") == "icsi"
    assert r15.group("SBC001") == r15.group("ZOOM") == "other"
    assert "Bed003" not in r15.FILES and set(art.R15_MRDA) <= set(r15.FILES)
    lofo, groups = r15._folds()
    assert "Bed003" not in lofo and "Bed003" in groups["icsi"]  # never a scored file; out of the models that score ICSI
    assert set().union(*groups.values()) == set(r15.FILES) | {"Bed003"}
    assert all(not (a & b) for ga, a in groups.items() for gb, b in groups.items() if ga != gb)


def test_table_counts_unmarked_items() -> None:
    rows = [{"kind": "recommendation", "flag": False, "label": "ok" if i < 6 else "fragment", "right": i < 6, "session": "x",
             "to_check": i >= 5, "confidence": 0.5, "s": 0.9 if i < 4 else 0.2} for i in range(10)]
    t = r15.table(rows, ["confidence", "s"])["advice"]
    assert t["confidence"]["not_to_check"] == [5, 5] and t["confidence"]["recall_not_to_check"] == round(5 / 6, 3)
    assert t["s"]["not_to_check"] == [4, 4] and t["s"]["precision_not_to_check"] == 1.0 and t["s"]["auc"] == pytest.approx(0.833, abs=1e-3)

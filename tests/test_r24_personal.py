"""Round 24 (personal): the personal-register written rows and the helpers that train and score the gate on them.

Model-free: the rows' invariants (dev only, translation pairs, the labels file and its test split
untouched) and the helpers of ``benchmarks/r24_personal.py`` and ``topics_ami.train_other``'s round-24
options (off by default: the shipped recipe).
"""

from __future__ import annotations

import csv
import inspect
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import r24_personal as P  # noqa: E402
import topics_ami as T  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "topics" / "labels.csv"


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> list[dict]:
    """labels.csv with the personal-register rows appended, as the experiment trains on it."""
    path = P.training_labels(tmp_path_factory.mktemp("r24") / "labels.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_labels_file_unchanged_and_rows_appended_as_dev(rows):
    with open(LABELS, newline="", encoding="utf-8") as fh:
        shipped = list(csv.DictReader(fh))
    assert not P.personal_rows(shipped)  # measured, not shipped: the labels file has none of them
    assert rows[:len(shipped)] == shipped
    added = rows[len(shipped):]
    assert added == P.personal_rows(rows) and all(r["split"] == "dev" for r in added)
    assert Counter(r["lang"] for r in rows if r["split"] == "test") == {"en": 67, "ru": 67}


def test_personal_rows_are_paired(rows):
    prs = P.personal_rows(rows)
    # round 12's 32 pairs and round 24's 26 pairs, every one in EN and RU
    assert len(prs) == 2 * (32 + 26)
    by_key: dict[str, list[dict]] = {}
    for r in prs:
        by_key.setdefault(P.pair_key(r["id"]), []).append(r)
    for key, pair in by_key.items():
        assert sorted(r["lang"] for r in pair) == ["en", "ru"], key
        assert len({(r["area"], r["mode"]) for r in pair}) == 1, key
    areas = Counter(r["area"] for r in prs if r["lang"] == "en")
    assert areas["other"] == 30 and sum(areas.values()) - areas["other"] == 28
    assert len({r["id"] for r in rows}) == len(rows)
    mine = [r for r in prs if r["id"].rsplit("-", 1)[-1].startswith("q") and r["lang"] == "en"]
    assert min(r["text"].count(" | ") + 1 for r in mine) >= 4  # 4-10 lines, longer than the file's other rows
    assert min(len(r["text"].split()) for r in mine) >= 80


def test_train_other_defaults_are_the_shipped_recipe():
    sig = inspect.signature(T.train_other).parameters
    assert sig["written_windows"].default is False and sig["row_weights"].default is None
    assert T._row_factor({"id": "a"}, None, 40.0) == 1.0
    assert T._row_factor({"id": "a"}, {"a": 20.0}, 40.0) == 0.5
    assert T._row_factor({"id": "b"}, {"a": 20.0}, 40.0) == 1.0


def test_train_other_written_windows_cut_each_row(monkeypatch, tmp_path):
    """With ``written_windows`` each written row is encoded as its stage windows, one call per row."""
    lab = tmp_path / "labels.csv"
    long = " | ".join(["well we went to the sea with my whole family and it was lovely"] * 6)  # 6 x 13 words
    with open(lab, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "lang", "split", "text", "area", "mode"])
        w.writeheader()
        w.writerows([{"id": "en-other-q00", "lang": "en", "split": "dev", "text": long, "area": "other", "mode": "general"},
                     {"id": "en-time-00", "lang": "en", "split": "dev", "text": "Hi. | Hello.", "area": "time",
                      "mode": "general"}])
    seen: list[list[str]] = []
    stop_after = [2]

    class Stop(Exception):
        pass

    class Enc:
        name = "usem3"

        def encode(self, texts):
            seen.append(list(texts))
            if len(seen) == stop_after[0]:
                raise Stop
            return np.zeros((len(texts), 4), dtype=np.float32)

    monkeypatch.setattr(T, "LABELS", lab)
    monkeypatch.setattr(T, "selected", lambda split, limit: [])
    monkeypatch.setattr(T, "_gate_windows", lambda names, enc, cfg, context, **kw: ([], []))
    monkeypatch.setattr(T, "DiskCachedEncoder", lambda enc: Enc())
    monkeypatch.setattr("sessionscope.language.embeddings.get_encoder", lambda *a, **k: None)
    with pytest.raises(Stop):
        T.train_other(None, 1.0, tmp_path / "h.npz", context=2, written_windows=True)
    assert len(seen[0]) == 3 and seen[1] == ["Hi. Hello."]  # two utterances (26 words) a window; a short row: one
    seen.clear()
    stop_after[0] = 1
    with pytest.raises(Stop):
        T.train_other(None, 1.0, tmp_path / "h.npz", context=2)  # the shipped recipe: a row is one window
    assert len(seen[0]) == 2


def test_pair_key_and_folds_keep_translations_together(rows):
    assert P.pair_key("en-other-p03") == P.pair_key("ru-other-p03") == "other-p03"
    prs = P.personal_rows(rows)
    fs = P.folds(prs, k=4, seed=13)
    keys = {P.pair_key(r["id"]) for r in prs}
    assert set().union(*fs) == keys and sum(len(f) for f in fs) == len(keys)  # a partition
    assert max(len(f) for f in fs) - min(len(f) for f in fs) <= 1
    for f in fs:  # every fold holds personal chat and contrast rows
        assert {k.split("-")[0] == "other" for k in f} == {True, False}
    assert P.folds(prs, k=4, seed=13) == fs  # seeded


def test_written_row_windows_cut_like_the_stage():
    text = ("So how was it? | Oh fine, um, we went to the sea and the kids played all day long in the water. | "
            "Nice. | Yes and then my mum came too, and we had a barbecue with the neighbours, very loud.")
    wins = T.written_row_windows(text, 20, 8)
    assert wins == ["So how was it? Oh fine, um, we went to the sea and the kids played all day long in the water.",
                    "Nice. Yes and then my mum came too, and we had a barbecue with the neighbours, very loud."]
    assert T.written_row_windows("Hi. | Hello.", 20, 8) == ["Hi. Hello."]  # a short row is one window
    assert len(T.written_row_windows(" | ".join(["ok"] * 9), 20, 8)) == 1  # 8 utterances close a window; tail merged


def test_row_called_other_and_auroc():
    assert P.row_called_other([0.6, 0.7, 0.2])
    assert P.row_called_other([0.5, 0.1])  # half the windows at the threshold
    assert not P.row_called_other([0.49, 0.9, 0.1])
    assert P.auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert P.auroc([0.1], [0.9]) == 0.0
    assert P.auroc([0.5], [0.5]) == 0.5
    assert P.auroc([], [0.1]) is None


def test_summarise_counts_by_language():
    rows = [{"id": "en-other-q00", "lang": "en", "area": "other"}, {"id": "ru-other-q00", "lang": "ru", "area": "other"},
            {"id": "en-time-q00", "lang": "en", "area": "time"}, {"id": "ru-time-q00", "lang": "ru", "area": "time"}]
    scores = {"en-other-q00": [0.8, 0.6], "ru-other-q00": [0.2, 0.3], "en-time-q00": [0.1], "ru-time-q00": [0.7, 0.9]}
    s = P.summarise(rows, scores)
    assert s["en"]["personal_called_other"] == "1/1" and s["en"]["contrast_called_other"] == "0/1"
    assert s["ru"]["personal_called_other"] == "0/1" and s["ru"]["contrast_called_other"] == "1/1"
    assert s["all"]["personal_called_other"] == "1/2" and s["all"]["auroc_mean_p"] == 0.5

"""Round 12 (topics3, issue 10): the gate's optional extra written rows (measured, not shipped)."""

from __future__ import annotations

import csv
import inspect
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import topics_ami  # noqa: E402
import topics_gate_r12_topics3 as G  # noqa: E402
from sessionscope.analysis.topics.labels import read_labels  # noqa: E402
from sessionscope.analysis.topics.taxonomy import load_taxonomy  # noqa: E402


def _rows() -> list[dict]:
    return json.loads(G.ROWS.read_text(encoding="utf-8"))["rows"]


def test_personal_rows_are_well_formed_and_paired():
    rows = _rows()
    areas = {a.id for a in load_taxonomy().areas} | {"other"}
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["split"] == "dev" for r in rows)  # training rows only
    assert all(r["area"] in areas and r["mode"] in {"problem", "case", "trend", "general"} for r in rows)
    by = Counter((r["lang"], r["area"]) for r in rows)
    assert {lang for lang, _ in by} == {"en", "ru"}
    assert all(by["en", a] == by["ru", a] for _, a in by)  # each row has its translation
    counts = Counter(r["area"] for r in rows)
    assert counts["other"] >= 30 and sum(n for a, n in counts.items() if a != "other") >= 20
    # longer than the labels file's `other` rows (2-4 short lines): the point of these rows
    assert min(len(r["text"].split()) for r in rows if r["lang"] == "en" and r["area"] == "other") >= 45
    assert not {r["text"] for r in read_labels(topics_ami.LABELS)} & {r["text"] for r in rows}


def test_train_other_adds_extra_rows_only_when_asked(monkeypatch, tmp_path):
    """The shipped recipe has no extra rows (default None); ``extra`` adds a CSV's dev rows to the written ones."""
    assert inspect.signature(topics_ami.train_other).parameters["extra"].default is None
    extra = tmp_path / "extra.csv"
    with open(extra, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "lang", "split", "text", "area", "mode"])
        w.writeheader()
        w.writerows(_rows())
    seen: list[int] = []

    class Stop(Exception):
        pass

    class Enc:
        name = "usem3"

        def encode(self, texts):
            seen.append(len(texts))
            raise Stop

    monkeypatch.setattr(topics_ami, "selected", lambda split, limit: [])
    monkeypatch.setattr(topics_ami, "_gate_windows", lambda names, enc, cfg, context, **kw: ([], []))
    monkeypatch.setattr(topics_ami, "DiskCachedEncoder", lambda enc: Enc())
    monkeypatch.setattr("sessionscope.language.embeddings.get_encoder", lambda *a, **k: None)
    n_main = len(read_labels(topics_ami.LABELS, split="dev"))
    for kw, want in (({"extra": extra}, n_main + len(_rows())), ({}, n_main)):
        try:
            topics_ami.train_other(None, 1.0, tmp_path / "h.npz", **kw)
        except Stop:
            pass
        assert seen[-1] == want

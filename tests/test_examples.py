"""The bundled example sessions (examples/) are consistent with their scripts and audio.

The scripts in ``examples/scripts`` are the source of truth; ``scripts/make_examples.py``
turned them into audio, RTTM, STM and gold labels. These tests catch drift: a script
edited without regenerating, a reference whose times do not match the recording, a gold
span that no longer points at its text, or an example that stopped covering the domain.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AREAS = {"tools", "time", "teamwork", "projects", "clients", "development", "other"}
MAX_BYTES = 2 * 1024 * 1024


def _make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MANIFEST = yaml.safe_load((EXAMPLES / "manifest.yaml").read_text(encoding="utf-8"))["sessions"]
IDS = [s["id"] for s in MANIFEST]


@pytest.fixture(scope="module")
def make_examples():
    return _make_examples()


@pytest.fixture(params=IDS)
def example(request, make_examples):
    sid = request.param
    entry = next(s for s in MANIFEST if s["id"] == sid)
    folder = EXAMPLES / sid
    script = make_examples.load_script(EXAMPLES / "scripts" / f"{sid}.yaml")
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return {"id": sid, "entry": entry, "folder": folder, "script": script, "gold": gold}


def test_manifest_lists_both_languages():
    assert {s["language"] for s in MANIFEST} == {"en", "ru"}
    for s in MANIFEST:
        assert set(s) >= {"id", "pair", "date", "file", "language", "participants"}
        assert (EXAMPLES / s["file"]).is_file()
        assert sorted(p["role"] for p in s["participants"]) == ["junior", "senior"]
        dt.date.fromisoformat(s["date"])


def test_manifests_load_with_sessionscope():
    """Both manifests are valid batch manifests; participant ids are the reference speaker labels."""
    from sessionscope.io.manifest import load_manifest

    for name in ("manifest.yaml", "manifest-reference.yaml"):
        manifest = load_manifest(EXAMPLES / name)
        assert [e.id for e in manifest] == IDS
        for entry in manifest:
            labels = {line.split()[7] for line in (EXAMPLES / entry.id / "reference.rttm").read_text().splitlines()}
            assert {p.participant_id for p in entry.participants} == labels
            if name == "manifest-reference.yaml":
                assert (EXAMPLES / entry.transcript).is_file()


def test_reference_stm_reads_with_gold_ids(example):
    """``read_transcript`` on the reference gives the gold utterance ids, speakers and texts."""
    from sessionscope.io import read_transcript

    session = read_transcript(example["folder"] / "reference.stm")
    got = [(u.id, u.speaker, u.text) for u in session.utterances]
    assert got == [(u["id"], u["speaker"], u["text"]) for u in example["gold"]["utterances"]]


def test_manifest_matches_script(example):
    script, entry = example["script"], example["entry"]
    assert entry["pair"] == script["pair"]
    assert entry["date"] == script["date"].isoformat()
    assert entry["language"] == script["language"]
    assert [(p["name"], p["role"]) for p in entry["participants"]] == [
        (p["name"], p["role"]) for p in script["participants"]
    ]


def test_gold_utterances_match_script(example):
    turns, utts = example["script"]["turns"], example["gold"]["utterances"]
    assert len(utts) == len(turns)
    for turn, utt in zip(turns, utts, strict=True):
        assert (utt["speaker"], utt["text"], utt["area"], utt["mode"]) == (
            turn["speaker"], turn["text"], turn["area"], turn["mode"]
        )
    starts = [u["start"] for u in utts]
    assert starts == sorted(starts), "utterances must start in script order"
    assert all(0 <= u["start"] < u["end"] <= example["gold"]["session"]["duration_s"] for u in utts)


def test_rttm_matches_gold(example):
    lines = (example["folder"] / "reference.rttm").read_text(encoding="utf-8").splitlines()
    utts = example["gold"]["utterances"]
    assert len(lines) == len(utts)
    for line, u in zip(lines, utts, strict=True):
        f = line.split()
        assert f[0] == "SPEAKER" and f[1] == example["id"] and f[7] == u["speaker"]
        assert float(f[3]) == pytest.approx(u["start"], abs=1e-3)
        assert float(f[3]) + float(f[4]) == pytest.approx(u["end"], abs=2e-3)


def test_stm_matches_gold(example):
    lines = (example["folder"] / "reference.stm").read_text(encoding="utf-8").splitlines()
    by_start = sorted(example["gold"]["utterances"], key=lambda u: u["start"])
    assert len(lines) == len(by_start)
    for line, u in zip(lines, by_start, strict=True):
        sid, channel, speaker, start, end, text = line.split(" ", 5)
        assert (sid, channel, speaker, text) == (example["id"], "1", u["speaker"], u["text"])
        assert (float(start), float(end)) == pytest.approx((u["start"], u["end"]), abs=1e-3)


def test_gold_spans_point_into_text(example):
    gold = example["gold"]
    texts = {u["id"]: u["text"] for u in gold["utterances"]}
    for kind in ("recommendations", "action_items", "questions", "problems"):
        assert gold[kind], f"no gold {kind}"
        for item in gold[kind]:
            assert texts[item["utterance_id"]][item["char_start"]: item["char_end"]] == item["text"]
            assert item["area"] in AREAS


def test_domain_coverage(example):
    """What DOMAIN.md asks of a good session is really in the example."""
    gold, script = example["gold"], example["script"]
    pids = {p["role"]: p["id"] for p in script["participants"]}
    assert {u["area"] for u in gold["utterances"]} == AREAS
    assert {u["mode"] for u in gold["utterances"]} >= {"problem", "case", "trend", "general"}
    givers = {r["giver"] for r in gold["recommendations"]}
    assert givers == set(pids.values()), "both participants must give advice"
    assert {q["asker"] for q in gold["questions"]} == set(pids.values()), "both must ask questions"
    assert 4 <= len(gold["action_items"]) <= 6
    session_date = dt.date.fromisoformat(gold["session"]["date"])
    for a in gold["action_items"]:
        assert a["owner"] in pids.values() and a["due_text"]
        assert session_date <= dt.date.fromisoformat(a["due_date"]) <= session_date + dt.timedelta(days=31)
    ids = {r["id"] for r in gold["recommendations"]}
    for p in gold["problems"]:
        assert set(p["solution_ids"]) <= ids
        assert bool(p["solution_ids"]) == p["solved"], f"{p['id']}: solved iff a recommendation solves it"
    assert any(p["solved"] for p in gold["problems"]) and not all(p["solved"] for p in gold["problems"])
    overlaps = sum(1 for prev, cur in pairwise(gold["utterances"]) if cur["start"] < prev["end"])
    assert overlaps >= 2, "the example should contain an interruption and a backchannel"
    assert 180 <= gold["session"]["duration_s"] <= 300


def test_gold_knowledge_flow_follows_from_items(example):
    """The gold flow is recommendations plus answers, per area (the analysis.flow definition)."""
    gold = example["gold"]
    flow = gold["knowledge_flow"]
    expected: dict[tuple[str, str, str], int] = {}
    for r in gold["recommendations"]:
        key = (r["area"], r["giver"], r["receiver"])
        expected[key] = expected.get(key, 0) + 1
    for q in gold["questions"]:
        if q["answered"]:
            key = (q["area"], q["addressee"], q["asker"])
            expected[key] = expected.get(key, 0) + 1
    got = {(area, g, r): n for area, givers in flow["matrix"].items() for g, rs in givers.items() for r, n in rs.items()}
    assert got == expected
    f = sorted(flow["flows"].values())
    assert flow["mutuality_index"] == pytest.approx(2 * f[0] / sum(f), abs=1e-4)
    assert flow["mutuality_index"] > 0.5, "the examples show a two-way exchange"


def test_topic_segments_cover_utterances(example):
    segs = example["gold"]["topic_segments"]
    flat = [uid for s in segs for uid in s["utterance_ids"]]
    assert flat == [u["id"] for u in example["gold"]["utterances"]]
    assert all((a["area"], a["mode"]) != (b["area"], b["mode"]) for a, b in pairwise(segs))


def test_audio_size_decodes_and_matches_rttm(example):
    audio_path = EXAMPLES / example["entry"]["file"]
    assert audio_path.stat().st_size <= MAX_BYTES
    faster_whisper = pytest.importorskip("faster_whisper")
    audio = faster_whisper.decode_audio(str(audio_path), sampling_rate=16000)
    duration = len(audio) / 16000
    assert duration == pytest.approx(example["gold"]["session"]["duration_s"], abs=0.05)
    # The references must line up with the sound: speech inside RTTM segments, near-silence outside.
    mask = np.zeros(len(audio), dtype=bool)
    for u in example["gold"]["utterances"]:
        mask[int(u["start"] * 16000): int(u["end"] * 16000)] = True
    inside = float(np.sqrt(np.mean(audio[mask] ** 2)))
    outside = float(np.sqrt(np.mean(audio[~mask] ** 2)))
    assert 20 * np.log10(inside / outside) > 30


def _norm(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower().replace("ё", "е").replace("-", " ")).split()


@pytest.mark.slow
def test_first_turns_are_recognisable(example):
    """Whisper hears the scripted words in the first ~25 s: the audio really is the script."""
    faster_whisper = pytest.importorskip("faster_whisper")
    jiwer = pytest.importorskip("jiwer")
    from sessionscope.models import load_whisper

    utts = [u for u in example["gold"]["utterances"] if u["end"] <= 25.0]
    audio = faster_whisper.decode_audio(str(EXAMPLES / example["entry"]["file"]), sampling_rate=16000)
    model = load_whisper("tiny.en" if example["script"]["language"] == "en" else "base")
    segments, _ = model.transcribe(audio[: int((utts[-1]["end"] + 0.3) * 16000)],
                                   language=example["script"]["language"], beam_size=1)
    hyp = " ".join(_norm(" ".join(s.text for s in segments)))
    ref = " ".join(_norm(" ".join(u["text"] for u in utts)))
    assert jiwer.wer(ref, hyp) < 0.25

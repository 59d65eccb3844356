"""Round 52: the headline benchmark scripts score a kept-back test set added to the data in the same layout.

Model-free: the split readers of ``benchmarks/`` on small folders written here (a meeting in a ``test`` split, two
new reader folders, a folder of recordings with one RTTM, a recording with its STM), and the clear error when the
split holds nothing (what the shared data give today: their test parts are kept back).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import dialogue_acts  # noqa: E402


def _wav(path: Path, seconds: float = 0.5) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.zeros(int(16000 * seconds), dtype="<i2").tobytes())


def _mrda_folder(root: Path) -> Path:
    folder = root / "mrda-dialogue-acts"
    folder.mkdir()
    with open(folder / "meetings.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["meeting", "split", "n_acts", "n_speakers", "duration_s"])
        w.writerow(["Tst001", "test", 2, 2, 10.0])
        w.writerow(["Dev001", "dev", 1, 1, 5.0])
    rows = [
        {"meeting": "Tst001", "id": "t1", "speaker": "a", "start": 0.0, "end": 2.0,
         "text": "could you send me the draft ?", "label": "qy^co", "responder": "b"},
        {"meeting": "Tst001", "id": "t2", "speaker": "b", "start": 2.1, "end": 3.0, "text": "i will do it tonight .",
         "label": "s^cc", "responder": None},
        {"meeting": "Dev001", "id": "d1", "speaker": "a", "start": 0.0, "end": 1.0, "text": "okay .",
         "label": "s^bk", "responder": None},
    ]
    with gzip.open(folder / "dialogue_acts.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    return folder


def test_a_test_split_added_to_the_data_is_read_like_dev(tmp_path, monkeypatch):
    monkeypatch.setattr(dialogue_acts, "MRDA", _mrda_folder(tmp_path))
    dialogue_acts.load_acts.cache_clear()
    try:
        got = dialogue_acts.split_meetings("mrda", "test")
        assert list(got) == ["Tst001"]
        acts = got["Tst001"]
        assert [a.split for a in acts] == ["test", "test"]
        assert acts[0].question and acts[0].recommendation and acts[1].action
        assert list(dialogue_acts.split_meetings("mrda", "dev")) == ["Dev001"]
        assert "test" in dialogue_acts.EVAL_SPLITS
    finally:
        dialogue_acts.load_acts.cache_clear()


def test_an_empty_split_says_what_to_add_instead_of_scoring_zeros(tmp_path, monkeypatch):
    folder = _mrda_folder(tmp_path)
    monkeypatch.setattr(dialogue_acts, "MRDA", folder)
    dialogue_acts.load_acts.cache_clear()
    try:
        assert dialogue_acts.split_meetings("mrda", "heldout", required=False) == {}
        with pytest.raises(SystemExit, match=r"no 'heldout' meetings in .*mrda-dialogue-acts.*meetings\.csv with split"):
            dialogue_acts.split_meetings("mrda", "heldout")
    finally:
        dialogue_acts.load_acts.cache_clear()


def test_the_round_51_scripts_accept_a_test_split_and_refuse_an_empty_one(tmp_path, monkeypatch):
    monkeypatch.setattr(dialogue_acts, "MRDA", _mrda_folder(tmp_path))
    monkeypatch.setattr(dialogue_acts, "AMI", tmp_path / "no-ami")
    dialogue_acts.load_acts.cache_clear()
    try:
        monkeypatch.setattr(dialogue_acts, "commit", lambda: "x", raising=False)
        args, head = dialogue_acts.split_run("doc", ["--split", "test", "--out", str(tmp_path / "o.json")], "s.py")
        assert args.split == "test" and head["split"] == "test"
        with pytest.raises(SystemExit):
            dialogue_acts.split_run("doc", ["--split", "heldout", "--out", str(tmp_path / "o.json")], "s.py")
    finally:
        dialogue_acts.load_acts.cache_clear()


def test_kept_back_readers_make_test_conversations(tmp_path):
    from librispeech_conversations import SPLITS, split_speakers

    voices = tmp_path / "voices"
    for reader in (*SPLITS["dev"], "9001", "9002"):
        (voices / reader).mkdir(parents=True)
    (voices / "notes").mkdir()
    assert split_speakers("test", voices) == ("9001", "9002")
    assert split_speakers("dev", voices) == SPLITS["dev"]
    with pytest.raises(SystemExit, match="no 'test' readers"):
        split_speakers("test", tmp_path / "voices" / "notes")


def test_a_folder_of_recordings_with_one_rttm_is_a_set(tmp_path):
    from diarization_der import cases, set_kind

    _wav(tmp_path / "m1.wav")
    _wav(tmp_path / "m2.wav")
    _wav(tmp_path / "unnamed.wav")
    (tmp_path / "reference.rttm").write_text(
        "SPEAKER m1 1 0.00 0.40 <NA> <NA> A <NA> <NA>\nSPEAKER m2 1 0.10 0.20 <NA> <NA> B <NA> <NA>\n")
    got = cases(f"dir:{tmp_path}")
    assert [(u, w.name) for u, w, _ in got] == [("m1", "m1.wav"), ("m2", "m2.wav")]
    assert set_kind(f"dir:{tmp_path}") == "kept-back test set" and set_kind("ami") == "held out (report only)"
    with pytest.raises(SystemExit, match="no reference.rttm"):
        cases(f"dir:{tmp_path / 'nowhere'}")


def test_a_folder_of_recordings_with_their_transcripts_is_scored_alone(tmp_path):
    from asr_wer import dir_cases

    _wav(tmp_path / "call.wav")
    (tmp_path / "call.stm").write_text("call 1 A 0.0 1.0 Hello there.\ncall 1 B 1.0 2.0 Hi.\n")
    _wav(tmp_path / "ru.wav")
    (tmp_path / "ru.txt").write_text("Привет, как дела?", encoding="utf-8")
    _wav(tmp_path / "alone.wav")
    got = {name: (lang, text) for name, _, lang, text, _ in dir_cases(tmp_path)}
    assert got == {f"{tmp_path.name}/call": ("en", "Hello there. Hi."), f"{tmp_path.name}/ru": ("ru", "Привет, как дела?")}


RESULTS = BENCH / "results"


def test_the_scorecard_reads_the_documented_figures_and_says_which_targets_are_met():
    from scorecard import audio_lines, table, text_lines, topic_lines, written_lines

    text = {x["target"].split(" (")[0]: x for x in text_lines(RESULTS / "dialogue_acts_eval_dev_r49.json")}
    assert text["recommendations F1, MRDA"]["figure"] == 0.507 and text["recommendations F1, MRDA"]["met"] is False
    assert text["recommendations F1, AMI"]["figure"] == 0.576 and text["recommendations F1, AMI"]["met"] is True
    assert text["questions F1, as transcribed, MRDA"]["met"] and not text["questions F1, as transcribed, AMI"]["met"]
    assert text["action items F1, MRDA"]["figure"] == 0.394 and not text["action items F1, MRDA"]["met"]
    assert text["AMI human action-item sentences found"]["figure"] == 0.333
    topics = topic_lines(RESULTS / "topics_ami_dev_r11.json")
    assert [x["figure"] for x in topics] == [2.2, 0.0962] and all(x["met"] for x in topics)
    audio = {x["target"]: x for x in audio_lines(RESULTS / "diarization_en_r47.json")}
    ami = next(x for t, x in audio.items() if t.startswith("DER c0.25, mean over real recordings (ami"))
    assert ami["figure"] == 33.77 and ami["met"] is False
    pairs = next(x for t, x in audio.items() if t.startswith("DER c0.25, two-person"))
    assert pairs["met"] is True and pairs["figure"] <= 5.0
    assert "| 10 | recommendations F1, MRDA | 0.507 | ≥ 0.55 | **no** |" in table(list(text.values()))
    written = written_lines(RESULTS / "extraction_eval_test_r44.json")
    assert [x["figure"] for x in written] == [0.946, 0.985, 0.92, 0.923, 0.87, 0.923, 0.909, 0.8]
    assert all(x["met"] for x in written)
    worse = written_lines(RESULTS / "extraction_eval_test_r17.json")  # before round 44's gains: below the baseline
    assert not all(x["met"] for x in worse)


def test_the_scorecard_says_which_parts_did_not_run(tmp_path, capsys, monkeypatch):
    import scorecard

    monkeypatch.setattr(scorecard, "ROOT", tmp_path)  # no generated .cache/conv/test there, whatever this checkout has
    assert scorecard.main(["--split", "test", "--parts", "audio", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| 11 | who spoke when: not run (no test audio: give --recordings <folder>" in out


def test_the_per_act_evaluation_stops_before_loading_models_when_no_corpus_has_the_split(tmp_path, monkeypatch):
    import dialogue_acts_eval as ev

    monkeypatch.setattr(dialogue_acts, "MRDA", _mrda_folder(tmp_path))
    monkeypatch.setattr(dialogue_acts, "AMI", tmp_path / "no-ami")
    dialogue_acts.load_acts.cache_clear()
    try:
        with pytest.raises(SystemExit):
            ev.main(["--split", "heldout", "--out", str(tmp_path / "o.json")])
        with pytest.raises(SystemExit):
            ev.main(["--split", "test", "--corpus", "ami", "--only", "questions"])
        assert not (tmp_path / "o.json").exists()
    finally:
        dialogue_acts.load_acts.cache_clear()

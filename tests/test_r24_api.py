"""Round 24 API audit: what a researcher calling the documented API got wrong (model-free; stages: dynamics)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sessionscope as ss
from sessionscope.api import BOOL_COLUMNS, FLOAT_COLUMNS
from sessionscope.engines import EngineError, worker_count
from sessionscope.errors import ConfigError, InputError, ManifestError

TXT = "Anna: How do you plan your week?\nBoris: With a paper list.\nAnna: Try Todoist, it syncs everywhere.\n"
VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Anna>How do you plan your week?\n\n"
       "00:00:03.500 --> 00:00:05.000\n<v Boris>With a paper list.\n")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(TXT, encoding="utf-8")
    (d / "b.vtt").write_text(VTT, encoding="utf-8")
    (d / "broken.vtt").write_text("WEBVTT\n\n00:00:01.000 --> garbage\nhello\n", encoding="utf-8")
    return d


def test_participants_must_be_a_mapping(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text(TXT, encoding="utf-8")
    with pytest.raises(ManifestError, match="map each speaker name to a role"):
        ss.analyze(f, participants=["Anna", "Boris"], stages=["dynamics"])  # type: ignore[arg-type]
    with pytest.raises(ManifestError, match="map each speaker name"):
        ss.process_batch(f, out=tmp_path / "o", participants=["Anna"], stages=["dynamics"])  # type: ignore[arg-type]
    with pytest.raises(ManifestError, match="as text"):
        ss.analyze(f, participants={"Anna": 1}, stages=["dynamics"])  # type: ignore[dict-item]


def test_role_enum_is_its_value(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text(TXT, encoding="utf-8")
    s = ss.analyze(f, participants={"Anna": ss.Role.JUNIOR, "Boris": ss.Role.SENIOR}, stages=["dynamics"])
    assert {p.name: p.role.value for p in s.participants} == {"Anna": "junior", "Boris": "senior"}


@pytest.mark.parametrize("bad", ["two", "0", 0, True, 1.5, "-1"])
def test_worker_count_refuses_what_is_not_a_count(bad: object) -> None:
    with pytest.raises(EngineError, match="workers must be"):
        worker_count(bad)  # type: ignore[arg-type]


def test_worker_count_accepts_counts() -> None:
    import numpy as np

    assert worker_count(" 2 ") == 2 and worker_count(np.int64(3)) == 3 and worker_count(None) is None  # type: ignore[arg-type]
    assert (worker_count("auto") or 0) >= 1


def test_batch_refuses_bad_options_before_any_input(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown kind 'analyse'"):
        ss.process_batch(folder, out=tmp_path / "o1", kind="analyse")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file"):
        ss.process_batch(folder, out=blocker, stages=["dynamics"])
    with pytest.raises(ConfigError, match="unknown stage 'metricz'"):
        ss.process_batch(folder, out=tmp_path / "o2", stages=["metricz"])
    assert not (tmp_path / "o2").exists()  # nothing was processed (it was a failed row per input)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no transcript files found"):
        ss.process_batch(tmp_path / "empty", out=tmp_path / "o3")


def test_batch_keeps_the_broken_file_and_frames_reads_the_report(folder: Path, tmp_path: Path) -> None:
    rep = ss.process_batch(folder, out=tmp_path / "out", stages=["dynamics"])
    rows = {r.item.session_id: (r.status, r.error or "") for r in rep.results}
    assert rows["a"][0] == "ok" and rows["b"][0] == "ok"
    assert rows["broken"][0] == "failed" and "cue timing" in rows["broken"][1]
    assert sorted(ss.frames(rep)["sessions"]["session_id"]) == ["a", "b"]
    again = ss.process_batch(folder, out=tmp_path / "out", stages=["dynamics"])  # resumed: sessions read back
    assert {r.status for r in again.results if r.item.session_id != "broken"} == {"resumed"}
    assert sorted(ss.frames(again)["sessions"]["session_id"]) == ["a", "b"]
    assert sorted(ss.frames(tmp_path / "out")["sessions"]["session_id"]) == ["a", "b"]
    with pytest.raises(InputError, match="frames\\(\\) takes sessions"):
        ss.frames(["a"])  # type: ignore[list-item]


def test_output_inside_the_input_folder_is_not_read_back(folder: Path) -> None:
    (folder / "broken.vtt").unlink()
    for _ in range(2):
        rep = ss.process_batch(folder, out=folder / "results", stages=["dynamics"])
    assert sorted(r.item.session_id for r in rep.results) == ["a", "b"]
    assert {r.status for r in rep.results} == {"resumed"}


def test_frames_types_when_no_session_has_the_value(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text(TXT, encoding="utf-8")
    fr = ss.frames(ss.analyze(f, stages=["dynamics"]))
    assert fr["utterances"]["confidence"].isna().all() and str(fr["utterances"]["confidence"].dtype) == "float64"
    for c in ("mean_word_confidence", "speaker_mapping_confidence", "junior_talk_share"):
        assert str(fr["sessions"][c].dtype) == "float64", c
    assert str(fr["sessions"]["speakers_guessed"].dtype) == "boolean"
    assert str(fr["sessions"]["timed"].dtype) == "bool"


def test_float_and_bool_columns_are_the_data_dictionarys() -> None:
    doc = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    want: dict[str, dict[str, list[str]]] = {"float": {}, "bool": {}}
    for sec in re.split(r"^## ", doc, flags=re.M)[1:]:
        m = re.match(r"`(\w+)`", sec)
        if not m:
            continue
        for line in sec.splitlines():
            if line.startswith("| `"):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if cells[1] in want:
                    want[cells[1]].setdefault(m.group(1), []).extend(re.findall(r"`(\w+)`", cells[0]))
    assert {t: list(c) for t, c in FLOAT_COLUMNS.items()} == want["float"]
    assert {t: list(c) for t, c in BOOL_COLUMNS.items()} == want["bool"]


def test_load_says_what_to_call_instead(folder: Path, tmp_path: Path) -> None:
    ss.process_batch(folder, out=tmp_path / "out", stages=["dynamics"])
    with pytest.raises(InputError, match=r"batch output folder with 2 sessions.*ss\.frames"):
        ss.load(tmp_path / "out")
    with pytest.raises(InputError, match="not a session.json: read a transcript with ss.read_transcript"):
        ss.load(folder / "a.txt")
    assert ss.load(tmp_path / "out" / "a").id == "a"


def test_remap_needs_a_mapping(folder: Path, tmp_path: Path) -> None:
    s = ss.analyze(folder / "a.txt", stages=["dynamics"])
    with pytest.raises(InputError, match="SPEAKER_00"):
        ss.remap(s, ["SPEAKER_00"])  # type: ignore[arg-type]


def test_workers_from_a_program_read_from_stdin_are_refused_clearly(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    import sys

    from sessionscope.engines import LocalEngine

    monkeypatch.setattr(sys.modules["__main__"], "__file__", "<stdin>", raising=False)
    with pytest.raises(EngineError, match=r"not a file \(<stdin>\).*workers=1"):
        LocalEngine(2)._pool(len, None, tmp_path)


def test_manifest_applies_to_a_session_given(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    f = tmp_path / "s.txt"
    f.write_text(TXT, encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("sessions:\n  - {id: s, pair: a-b, date: 2026-03-02, file: s.txt,\n"
                 "     participants: [{name: Anna, role: junior}, {name: Boris, role: senior}]}\n", encoding="utf-8")
    s = ss.analyze(ss.read_transcript(f), manifest=m, stages=["dynamics"])  # was silently ignored for a Session
    assert s.pair_id == "a-b" and {p.name: p.role.value for p in s.participants} == {"Anna": "junior", "Boris": "senior"}
    other = tmp_path / "other.txt"
    other.write_text(TXT, encoding="utf-8")
    ss.analyze(other, manifest=m, stages=["dynamics"])
    assert "no session of the manifest" in caplog.text

"""Round 22, lead: small validity fixes (model-free)."""

from __future__ import annotations

from pathlib import Path

from sessionscope.audio.asr import AsrResult
from sessionscope.audio.cache import asr_from_dict, asr_to_dict
from sessionscope.audio.identify import VoiceprintStore
from test_r21_pairvoice import ANNA, BORIS, _pair, _run_session, _voice, full_session


def test_cached_manifest_language_source_reads_as_given() -> None:
    r = AsrResult(segments=(), language="ru", language_probability=None, language_source="given", model="base")
    d = asr_to_dict(r)
    assert asr_from_dict(d).language_source == "given"
    d["language_source"] = "manifest"  # cached before round 22, also for --language
    assert asr_from_dict(d).language_source == "given"
    d["language_source"] = "detected"
    assert asr_from_dict(d).language_source == "detected"


def test_rerun_with_voiceprints_off_removes_the_stale_session_voices(tmp_path: Path) -> None:
    vp = tmp_path / "voiceprints"
    _run_session("s1", 0, _voice(ANNA), _voice(BORIS), vp)
    _run_session("s2", 1, _voice(ANNA), _voice(BORIS), vp)
    assert set(VoiceprintStore(vp).load_sessions("pair-a")) == {"s1", "s2"}
    _run_session("s1", 0, _voice(ANNA), _voice(BORIS), vp, save=False)  # rerun of s1 keeps no voices
    assert set(VoiceprintStore(vp).load_sessions("pair-a")) == {"s2"}  # s2 untouched
    assert VoiceprintStore(vp).drop_session("pair-a", "s1") is False  # nothing left to remove


def test_csv_bom_is_opt_in_for_session_and_programme_tables(tmp_path: Path) -> None:
    import pandas as pd

    from sessionscope.config import Config
    from sessionscope.outputs import write_outputs
    from sessionscope.report.tables import write_tables

    s = full_session(sid="s1")
    plain = write_outputs(s, tmp_path, ["csv"])[0].read_bytes()
    cfg = Config()
    cfg = cfg.model_copy(update={"report": cfg.report.model_copy(update={"csv_bom": True})})
    (tmp_path / "bom").mkdir()
    marked = write_outputs(s, tmp_path / "bom", ["csv"], config=cfg)[0].read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and marked == b"\xef\xbb\xbf" + plain
    df = pd.DataFrame({"name": ["Анна Смирнова"], "n": [1]})
    a = write_tables({"t": df}, tmp_path / "a", formats=["csv"])[0].read_bytes()
    b = write_tables({"t": df}, tmp_path / "b", formats=["csv"], bom=True)[0].read_bytes()
    assert b == b"\xef\xbb\xbf" + a
    assert pd.read_csv(tmp_path / "b" / "t.csv", encoding="utf-8-sig")["name"][0] == "Анна Смирнова"


def test_russian_role_words_agree_with_a_womans_first_name() -> None:
    import pytest

    from sessionscope.model import Role
    from sessionscope.report.i18n import Translator as T

    pytest.importorskip("pymorphy3")
    ru, en = T("ru"), T("en")
    assert ru.with_role("Анна Смирнова", Role.JUNIOR) == "Анна Смирнова (младшая)"
    assert ru.with_role("Мария Ивановна", Role.SENIOR) == "Мария Ивановна (старшая)"
    assert ru.with_role("Игорь Петрович", Role.SENIOR) == "Игорь Петрович (старший)"
    assert ru.role(Role.JUNIOR, "Саша") == "младший"  # a name for either: the guide's word
    assert ru.role(Role.JUNIOR, "Anna") == "младший" and ru.role(Role.JUNIOR) == "младший"
    assert ru.role(Role.OTHER, "Анна") == "другой участник"
    assert en.with_role("Anna", Role.JUNIOR) == "Anna (junior)"


def test_two_camps_several_swapped_sessions_do_not_hide_each_other() -> None:
    from sessionscope.audio.identify import voice_consistency

    voices = _pair(10, swapped=(1, 4, 6, 7))  # 4 of 10 mapped the wrong way round
    checks = voice_consistency(voices, set(voices))
    assert sorted(s for s, c in checks.items() if c.swapped) == ["s1", "s4", "s6", "s7"]
    assert checks["s1"].against == ("s0", "s2", "s3", "s5", "s8", "s9")  # compared with the right camp
    assert checks["s0"].against == ("s2", "s3", "s5", "s8", "s9")  # the rest of its own camp


def test_the_camp_with_evidence_is_right_even_when_smaller() -> None:
    from sessionscope.audio.identify import voice_consistency

    voices = _pair(3, swapped=(0,))  # s0 mapped by voiceprint: s1 and s2, guessed, are the wrong ones
    checks = voice_consistency(voices, {"s1", "s2"})
    assert sorted(s for s, c in checks.items() if c.swapped) == ["s1", "s2"]
    assert checks["s1"].against == ("s0",) and not checks["s0"].swapped


def test_a_tie_flags_both_camps_against_each_other() -> None:
    from sessionscope.audio.identify import voice_consistency

    voices = _pair(4, swapped=(0, 3))  # 2 against 2: which camp is wrong cannot be told from the voices
    checks = voice_consistency(voices, set(voices))
    assert all(c.swapped for c in checks.values())
    assert checks["s0"].against == ("s1", "s2") and checks["s1"].against == ("s0", "s3")


def test_orientations_beyond_sixteen_sessions_use_the_local_search() -> None:
    import numpy as np

    from sessionscope.audio.identify import _orientations

    rng = np.random.default_rng(3)
    truth = np.where(rng.random(20) < 0.3, -1.0, 1.0)
    truth[0] = 1.0
    agree = np.outer(truth, truth) * 0.5 + rng.normal(scale=0.1, size=(20, 20))
    agree = (agree + agree.T) / 2
    np.fill_diagonal(agree, 0.0)
    assert (_orientations(agree) == truth).all()
    assert (_orientations(agree[:8, :8]) == truth[:8]).all()  # exact search


def test_remap_enrols_the_confirmed_voices_so_the_next_session_is_matched_by_voice(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from sessionscope.audio.identify import Person, map_speakers
    from sessionscope.cli import cli
    from sessionscope.model import write_session_json

    out = tmp_path / "out"
    vp = out / "voiceprints"
    # order of first speech gave Boris's voice to Anna: the guess is wrong
    s = _run_session("s1", 0, _voice(BORIS), _voice(ANNA), vp).evolve(pair_id="pair-a")
    write_session_json(s, out / "s1" / "session.json", provenance={"stages": ["dynamics"], "config": {}})
    assert not (vp / "pair-a" / "anna.json").exists()  # a guess enrols nothing
    labels = {pid: lab for lab, pid in s.extra["audio"]["speaker_map"].items()}
    res = CliRunner().invoke(cli, ["remap", str(out / "s1"), "--speaker", f"{labels['anna']}=boris",
                                   "--speaker", f"{labels['boris']}=anna", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "voiceprints of Anna Smirnova, Boris Ivanov made" in res.output  # new prints (round 23: not "updated")
    assert json.loads((vp / "pair-a" / "anna.json").read_text())["sessions"] == ["s1"]
    prints = VoiceprintStore(vp).load("pair-a", ["anna", "boris"])
    # the pair's next session, Boris first again: matched by voice now, not by order
    m = map_speakers(labels=["SPEAKER_00", "SPEAKER_01"], first_speech={"SPEAKER_00": 0.0, "SPEAKER_01": 3.0},
                     texts={}, people=[Person("anna", "Anna Smirnova"), Person("boris", "Boris Ivanov")],
                     centroids={"SPEAKER_00": _voice(BORIS).tolist(), "SPEAKER_01": _voice(ANNA).tolist()},
                     prints=prints)
    assert m.method == "voiceprint" and m.speaker_map == {"SPEAKER_00": "boris", "SPEAKER_01": "anna"}
    # voiceprints off: a remap enrols nothing
    kept = json.loads((vp / "pair-a" / "sessions" / "s1.json").read_text())
    (vp / "pair-a" / "sessions" / "s2.json").write_text(json.dumps({**kept, "session": "s2"}))
    write_session_json(s.evolve(id="s2"), out / "s2" / "session.json",
                       provenance={"stages": ["dynamics"], "config": {"participants": {"save_voiceprints": False}}})
    res = CliRunner().invoke(cli, ["remap", str(out / "s2"), "--speaker", f"{labels['anna']}=boris", "--format", "json"])
    assert res.exit_code == 0 and "voiceprints" not in res.output, res.output
    assert json.loads((vp / "pair-a" / "boris.json").read_text())["sessions"] == ["s1"]


def test_tables_count_help_requests_apart_from_procedure_and_advice() -> None:
    from dataclasses import replace

    from sessionscope.report.tables import session_tables

    s = full_session(sid="s1")
    base = s.recommendations[0]
    recs = (replace(base, id="r1"), replace(base, id="r2", procedure=True), replace(base, id="r3", request=True))
    t = session_tables([s.evolve(recommendations=recs)])
    row = t["sessions"].iloc[0]
    assert (row["n_recommendations"], row["n_procedure_suggestions"], row["n_help_requests"]) == (1, 1, 1)
    assert t["recommendations"]["request"].tolist() == [False, False, True]


def test_help_requests_are_measured_per_session_and_per_asker() -> None:
    from dataclasses import replace

    from sessionscope.analysis.flow import item_measures

    s = full_session(sid="s1")
    base = s.recommendations[0]
    recs = (replace(base, id="r1"), replace(base, id="r2", request=True), replace(base, id="r3", request=True, procedure=True))
    part, sess = item_measures(s.evolve(recommendations=recs))
    assert sess["help_requests"] == 1 and sess["recommendations"] == 1 and sess["procedure_suggestions"] == 1
    assert part[base.giver]["help_requests_made"] == 1
    assert sum(p["help_requests_made"] for p in part.values()) == 1


def test_the_seam_check_follows_its_config_switch(monkeypatch) -> None:
    from sessionscope.audio import pipeline
    from sessionscope.audio.cache import ResultCache
    from sessionscope.config import Config
    from test_concurrent_audio import _asr_result, _decoded, _diarization

    seen: list[object] = []
    real = pipeline.align_words

    def spy(*a, **k):  # noqa: ANN002, ANN003, ANN202
        seen.append(k.get("seams"))
        return real(*a, **k)

    monkeypatch.setattr(pipeline, "_asr", lambda *a, **k: _asr_result())
    monkeypatch.setattr(pipeline, "_diarize", lambda *a, **k: _diarization())
    monkeypatch.setattr(pipeline, "align_words", spy)
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "0")
    for on in (True, False):
        cfg = Config.model_validate({"diarization": {"check_seams": on}})
        pipeline.recognise_step(_decoded(), config=cfg, language="en", n_people=0, cache=ResultCache(enabled=False))
    assert seen[0] is not None and seen[1] is None


def test_find_seams_windowed_search_equals_the_brute_force_one() -> None:
    import numpy as np

    from sessionscope.audio import align
    from sessionscope.audio.diarize import SpeakerTurn
    from sessionscope.audio.hallucination import AsrSegment, AsrWord

    def brute(turns, segments, p=align.SeamParams()):  # noqa: ANN001, ANN202 - round 22's first version, every pair
        words = sorted((w.start, w.end) for seg in segments for w in seg.words)
        return [(i, j) for i, a in enumerate(turns) for j, b in enumerate(turns)
                if b.speaker != a.speaker and -0.02 <= b.start - a.end <= p.gap_s
                and any(s <= b.start + p.pause_s and e >= a.end - p.pause_s for s, e in words)]

    rng = np.random.default_rng(7)
    for _ in range(40):
        t, turns = 0.0, []
        for _k in range(int(rng.integers(2, 40))):
            d = float(rng.choice([0.0, 0.0, 0.01, 0.5, 2.0]))
            length = float(rng.uniform(0.2, 6.0))
            turns.append(SpeakerTurn(round(t + d, 2), round(t + d + length, 2), f"S{int(rng.integers(0, 3))}"))
            t += d + length
        turns.sort(key=lambda x: (x.start, x.speaker))
        words, w = [], 0.0
        while w < t:
            n = float(rng.uniform(0.1, 0.9))
            words.append(AsrWord(" w", round(w, 2), round(w + n, 2), 0.9))
            w += n + float(rng.choice([0.05, 0.1, 0.4, 1.5]))
        segs = [AsrSegment(0.0, t, "x", words=tuple(words))]
        assert [(s.before, s.after) for s in align.find_seams(turns, segs)] == brute(turns, segs)

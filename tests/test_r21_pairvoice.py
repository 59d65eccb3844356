"""Round 21 (pairvoice): a pair's voices across its sessions. A batch of three sessions of one pair, all mapped by
order of first speech, put one reader under the junior in one session and under the senior in the two others;
`run` now keeps each session's voices (voiceprints on) and the programme report says which guessed session's
voices look swapped relative to the others. Model-free: synthetic embeddings and faked recognition stages."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from sessionscope.audio import identify
from sessionscope.audio.identify import SWAP_MARGIN, VoiceprintStore, voice_consistency
from sessionscope.model import Session
from sessionscope.model.serialize import write_session_json
from sessionscope.report.dashboard import render_dashboard
from sessionscope.report.programme import build_programme, pair_voice_checks, render_programme_markdown
from test_report_data import full_session

RNG = np.random.default_rng(21)
ANNA, BORIS = RNG.normal(size=192), RNG.normal(size=192)


def _voice(base: np.ndarray, noise: float = 0.6) -> np.ndarray:
    """Another session's centroid of the same voice (cosine to ``base`` about 0.7-0.9)."""
    return base + noise * RNG.normal(size=base.shape) * np.linalg.norm(base) / np.sqrt(base.size)


def _pair(n: int, swapped: tuple[int, ...] = ()) -> dict[str, dict[str, np.ndarray]]:
    out = {}
    for i in range(n):
        a, b = _voice(ANNA), _voice(BORIS)
        out[f"s{i}"] = {"anna": b, "boris": a} if i in swapped else {"anna": a, "boris": b}
    return out


def test_a_swapped_guessed_session_is_flagged_and_a_consistent_set_is_not() -> None:
    voices = _pair(4, swapped=(2,))
    checks = voice_consistency(voices, set(voices))
    assert [sid for sid, c in checks.items() if c.swapped] == ["s2"]
    assert checks["s2"].margin >= SWAP_MARGIN and checks["s2"].best == {"anna": "boris", "boris": "anna"}
    assert checks["s2"].against == ("s0", "s1", "s3")
    assert all(c.margin < 0 for sid, c in checks.items() if sid != "s2")
    clean = voice_consistency(_pair(4), {"s0", "s1", "s2", "s3"})
    assert not any(c.swapped for c in clean.values()) and all(c.margin < 0 for c in clean.values())


def test_only_guessed_sessions_are_flagged() -> None:
    voices = _pair(3, swapped=(0,))
    checks = voice_consistency(voices, {"s1", "s2"})  # s0 was mapped by voiceprint: evidence, not a guess
    assert checks["s0"].margin >= SWAP_MARGIN and not checks["s0"].swapped and not checks["s0"].guessed


def test_three_people_best_permutation() -> None:
    carl = RNG.normal(size=192)
    voices = {f"s{i}": {"anna": _voice(ANNA), "boris": _voice(BORIS), "carl": _voice(carl)} for i in range(3)}
    voices["s1"] = {"anna": voices["s1"]["boris"], "boris": voices["s1"]["carl"], "carl": voices["s1"]["anna"]}
    checks = voice_consistency(voices, set(voices))
    assert [sid for sid, c in checks.items() if c.swapped] == ["s1"]
    assert checks["s1"].best == {"anna": "boris", "boris": "carl", "carl": "anna"}  # whose voice each holds


def test_deterministic_under_reordering() -> None:
    voices = _pair(4, swapped=(1,))
    first = voice_consistency(voices, set(voices))
    for order in itertools.permutations(voices):
        again = voice_consistency({k: voices[k] for k in order}, set(order))
        assert again == first


def test_sessions_without_matching_participants_are_not_checked() -> None:
    voices = _pair(2)
    voices["s2"] = {"anna": _voice(ANNA)}  # one voice only
    checks = voice_consistency(voices, set(voices))
    assert "s2" not in checks and set(checks) == {"s0", "s1"}
    assert voice_consistency({"s0": voices["s0"]}, {"s0"}) == {}  # nothing to compare with


# --- run keeps the voices (faked recognition), the programme report reads them ---------------------------------

def _recognised(centroids: dict[str, np.ndarray]):  # noqa: ANN202
    from sessionscope.audio import align
    from sessionscope.audio.asr import AsrResult
    from sessionscope.audio.decode import Audio
    from sessionscope.audio.diarize import Diarization, SpeakerTurn
    from sessionscope.audio.pipeline import Decoded, Recognised, StageClock

    turns = (SpeakerTurn(0.0, 4.0, "SPEAKER_00"), SpeakerTurn(4.0, 9.0, "SPEAKER_01"))
    utts = tuple(align.RawUtterance(t.speaker, (), (t.start, t.end)) for t in turns)
    diar = Diarization(turns=turns, centroids={k: v.tolist() for k, v in centroids.items()}, speech_s=9.0, method="test")
    asr = AsrResult(segments=(), language="en", language_probability=1.0, language_source="given", model="tiny")
    decoded = Decoded(Path("x.wav"), "0" * 64, Audio(np.zeros((1, 16000), dtype=np.float32), "x.wav"))
    return Recognised(decoded, asr, (asr,), utts, diar, False, {}, (), (), StageClock())


def _people():  # noqa: ANN202
    from sessionscope.model import Participant, Role

    return [(Participant("anna", "Anna Smirnova", Role.JUNIOR), None), (Participant("boris", "Boris Ivanov", Role.SENIOR), None)]


def _run_session(sid: str, day: int, first: np.ndarray, second: np.ndarray, vp: Path, *, save: bool = True) -> Session:
    """One session of pair-a through identify_step (order of first speech: SPEAKER_00 -> anna) with these voices."""
    from sessionscope.audio.pipeline import identify_step
    from sessionscope.config import Config

    cfg = Config()
    cfg = cfg.model_copy(update={"participants": cfg.participants.model_copy(update={"save_voiceprints": save})})
    mapping = identify_step(_recognised({"SPEAKER_00": first, "SPEAKER_01": second}), _people(), config=cfg,
                            pair="pair-a", voiceprint_dir=vp, session_id=sid)
    assert mapping.method == "order"
    s = full_session(sid=sid, date=dt.date(2026, 3, 2) + dt.timedelta(days=day))
    label = {pid: lab for lab, pid in mapping.speaker_map.items()}
    return s.evolve(extra={"audio": {"speaker_map": mapping.speaker_map, "speaker_mapping": mapping.per_label,
                                     "utterance_labels": [label[u.speaker] for u in s.utterances]}})


def test_run_keeps_session_voices_only_with_voiceprints_on(tmp_path: Path) -> None:
    vp = tmp_path / "voiceprints"
    _run_session("s1", 0, _voice(ANNA), _voice(BORIS), vp, save=False)
    assert not vp.exists()  # biometric: nothing written when voiceprints are off
    _run_session("s1", 0, _voice(ANNA), _voice(BORIS), vp)
    body = json.loads((vp / "pair-a" / "sessions" / "s1.json").read_text())
    assert body["session"] == "s1" and sorted(body["labels"]) == ["SPEAKER_00", "SPEAKER_01"]
    assert not (vp / "pair-a" / "anna.json").exists()  # a guessed mapping still enrols no voiceprint
    assert set(VoiceprintStore(vp).load_sessions("pair-a")) == {"s1"}


def test_programme_flags_the_swapped_session(tmp_path: Path) -> None:
    vp = tmp_path / "out" / "voiceprints"
    # the senior spoke first in s2: order of first speech made him the junior there
    sessions = [_run_session("s1", 0, _voice(ANNA), _voice(BORIS), vp),
                _run_session("s2", 14, _voice(BORIS), _voice(ANNA), vp),
                _run_session("s3", 28, _voice(ANNA), _voice(BORIS), vp)]
    checks = pair_voice_checks(sessions, [vp])
    assert {k: c.swapped for k, c in checks.items()} == {"s1": False, "s2": True, "s3": False}
    prog = build_programme(sessions, encoder=None, goal_vectors=None, voice_checks=checks)
    assert prog.sessions.set_index("session_id")["voices_swapped"].to_dict() == {"s1": False, "s2": True, "s3": False}
    assert prog.sessions["voices_swap_margin"].notna().all()
    note = "Session s2: its speakers were matched to the participants by a guess, and its two voices look swapped " \
           "relative to the pair's sessions s1, s3"
    assert note in render_programme_markdown(prog)
    assert note.replace("'", "&#39;") in render_dashboard(prog) or note in render_dashboard(prog)
    assert "Встреча s2: говорящие сопоставлены" in render_programme_markdown(prog, language="ru")
    # corrected by hand (remap swaps the labels): consistent, and no longer a guess
    from sessionscope.remapping import remap_session

    fixed = remap_session(sessions[1], {"SPEAKER_00": "boris", "SPEAKER_01": "anna"})
    again = pair_voice_checks([sessions[0], fixed, sessions[2]], [vp])
    assert not any(c.swapped for c in again.values()) and again["s2"].margin < 0
    # without stored voices nothing is checked: the columns are empty, no note
    plain = build_programme(sessions, encoder=None, goal_vectors=None)
    assert plain.sessions["voices_swapped"].isna().all() and "look swapped" not in render_programme_markdown(plain)


def test_report_programme_cli_reads_the_voices(tmp_path: Path) -> None:
    from sessionscope.cli import cli

    out = tmp_path / "out"
    for s in [_run_session("s1", 0, _voice(ANNA), _voice(BORIS), out / "voiceprints"),
              _run_session("s2", 14, _voice(BORIS), _voice(ANNA), out / "voiceprints"),
              _run_session("s3", 28, _voice(ANNA), _voice(BORIS), out / "voiceprints")]:
        write_session_json(s, out / s.id / "session.json")
    r = CliRunner().invoke(cli, ["report", "programme", str(out), "--out", str(tmp_path / "dash"), "--no-workbook"])
    assert r.exit_code == 0, r.output
    md = (tmp_path / "dash" / "programme.md").read_text()
    assert "Session s2: its speakers were matched to the participants by a guess" in md, md
    r = CliRunner().invoke(cli, ["report", "programme", str(out), "--out", str(tmp_path / "red"), "--no-workbook", "--redact"])
    assert r.exit_code == 0, r.output
    red = (tmp_path / "red" / "programme.md").read_text()
    assert "look swapped" in red  # the checks are made on the real ids and shown under the redacted ones


def test_identify_module_documents_the_store() -> None:
    assert "sessions/<session>.json" in (identify.__doc__ or "")

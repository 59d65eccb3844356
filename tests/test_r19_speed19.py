"""Round 19 (speed19): `speed_run.py` compares `run` with faster-whisper alone both as users run it and with the
glibc thresholds `run` sets for itself (model-free)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import speed_run  # noqa: E402


def _r(wall: float, cpu: float) -> dict[str, float]:
    return {"wall_s": wall, "cpu_s": cpu, "sys_s": 1.0, "max_rss_mb": 100.0}


def test_summary_gives_the_like_for_like_ratio_beside_the_plain_one():
    runs = {"run": [_r(60, 80), _r(70, 90), _r(65, 85)], "asr": [_r(50, 70), _r(52, 60), _r(48, 65)],
            "asr_tuned": [_r(40, 50), _r(44, 60), _r(42, 55)]}
    res = speed_run.summary(runs, ["run"], 300.0, [{"a": 1}, {"a": 1}, {"a": 1}], [])
    assert res["ratio_wall"] == round(65 / 50, 3) and res["ratio_cpu"] == round(85 / 65, 3)
    assert res["ratio_wall_tuned"] == round(65 / 42, 3) and res["ratio_cpu_tuned"] == round(85 / 55, 3)
    assert res["identical_outputs"] and res["rtf_run"] == round(65 / 300, 3)


def test_summary_without_the_tuned_side_has_no_tuned_ratio_and_reports_differences():
    runs = {"run": [_r(60, 80)], "asr": [_r(50, 70)], "asr_tuned": []}
    res = speed_run.summary(runs, ["run"], 300.0, [{"a": 1}, {"a": 2}], [])
    assert "ratio_cpu_tuned" not in res and res["ratio_cpu"] == round(80 / 70, 3)
    assert not res["identical_outputs"] and res["differences"] == ["/a"]


def test_the_faster_whisper_alone_script_sets_the_thresholds_only_when_asked():
    script = speed_run.ASR_ALONE
    assert 'os.environ.get("SPEED_RUN_ASR_TUNED") == "1"' in script
    assert script.index("keep_freed_memory()") < script.index("WhisperModel(")  # before the model loads, as in run

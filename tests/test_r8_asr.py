"""Round 8 (asr): the WER benchmark's normalisation and scoring, and the reference-speech check (model-free)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _load(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # asr_language imports asr_wer
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


wer = _load("asr_wer")
lang = _load("asr_language")


def test_basic_norm_folds_yo_hyphens_apostrophes_and_case():
    assert wer.basic_norm("Наконец-то, Ёлка!") == "наконец то елка"
    assert wer.basic_norm("I didn't [noise] know (laughs) - well") == "i didnt know well"
    # both sides of a comparison get the same key, so hyphen and apostrophe variants match
    assert wer.basic_norm("e-mail") == wer.basic_norm("e mail")
    assert wer.basic_norm("don't") == wer.basic_norm("dont")


def test_english_normaliser_spells_numbers_and_contractions_alike():
    norm, name = wer.english_normaliser()
    if not name.startswith("whisper"):
        pytest.skip("transformers' Whisper normaliser not importable here")
    assert norm("Two hours late.") == norm("2 hours late")
    assert norm("I didn't know") == norm("I did not know")
    assert norm("Okay, um, fine") == norm("okay fine")


def test_score_counts_alignment_and_empty_hypothesis():
    s = wer.score("a b c d", "a x c d e")
    assert (s["substitutions"], s["deletions"], s["insertions"], s["hits"]) == (1, 0, 1, 3)
    assert s["wer"] == 0.5 and s["ref_words"] == 4 and s["hyp_words"] == 5
    empty = wer.score("a b c", "")
    assert empty["wer"] == 1.0 and empty["deletions"] == 3 and empty["hyp_words"] == 0
    with pytest.raises(ValueError):
        wer.score("", "a")


def test_totals_pool_errors_over_reference_words():
    rows = [
        {"ref_words": 4, "substitutions": 1, "deletions": 0, "insertions": 1},
        {"ref_words": 6, "substitutions": 0, "deletions": 3, "insertions": 0, "numeral_substitutions": [["три", "3"]]},
    ]
    assert wer.totals(rows) == {
        "clips": 2,
        "ref_words": 10,
        "errors": 5,
        "wer": 0.5,
        "numeral_substitutions": 1,
        "wer_numerals_forgiven": 0.4,
    }


def test_stm_text_skips_comments_and_short_rows(tmp_path):
    p = tmp_path / "r.stm"
    p.write_text(
        ";; comment line here x y\nu 1 a 0.0 1.0 Hello there\nu 1 b 1.0 2.0\nu 1 b 2.0 3.0 Bye.\n", encoding="utf-8"
    )
    assert wer.stm_text(p) == "Hello there Bye."


def test_outside_speech_with_collar(tmp_path):
    regions = [(20.704, 21.392)]
    assert lang.outside_speech(0.43, 1.41, regions, 0.5)
    assert not lang.outside_speech(21.5, 21.8, regions, 0.5)  # within the collar
    assert lang.outside_speech(22.0, 22.4, regions, 0.5)
    assert lang.outside_speech(1.0, 2.0, [], 0.5)
    p = tmp_path / "r.rttm"
    p.write_text("SPEAKER x 1 1.5 0.5 <NA> <NA> A <NA> <NA>\nSPEAKER y 1 3.0 1.0 <NA> <NA> B <NA> <NA>\n")
    assert lang.read_rttm(p) == {"x": [(1.5, 2.0)], "y": [(3.0, 4.0)]}


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent (a user's machine)")
def test_cases_and_clips_cover_the_real_data():
    names = {c[0] for c in wer.cases()}
    assert {"pyannote-sample", "pisets-en", "pisets-ru", "fw-stereo-left", "fw-stereo-right"} <= names
    assert any(n.startswith("golos-") for n in names)
    assert all(c[3].strip() for c in wer.cases())  # every case has a reference text
    clips = {c[0]: c for c in lang.clips()}
    assert clips["silero-ru"][2] == "ru"
    assert clips["ami-audio-excerpts/trn02"][3] == [(20.704, 20.704 + 0.688)]
    assert all(c[2] == "en" for n, c in clips.items() if "ami" in n)


def test_numeral_substitutions_are_listed_and_forgiven():
    s = wer.score("шестьдесят тысяч тенге", "60 тысяч тенгет")
    assert s["numeral_substitutions"] == [["шестьдесят", "60"]]
    assert s["substitutions"] == 2 and s["wer_numerals_forgiven"] == round(1 / 3, 4)
    assert wer.score("a b", "a c")["numeral_substitutions"] == []
    assert wer.score("ha well", "0 well")["numeral_substitutions"] == []  # "oh" → "0" is Whisper's, not a number
    assert wer.score("каждые три дня", "каждый 3 дня")["numeral_substitutions"] == [["три", "3"]]


def test_reference_regions_merge_and_vad_coverage():
    hall = _load("asr_hallucination")
    regions = [(28.474, 30.0), (28.593, 30.0), (2.977, 3.368)]
    assert hall.merged(regions, 0.0) == [(2.977, 3.368), (28.474, 30.0)]
    assert hall.merged([(1.0, 2.0), (2.2, 3.0)], 0.3) == [(1.0, 3.0)]
    assert hall.covered(regions, [[0.0, 3.0], [29.0, 31.0]]) == pytest.approx(0.023 + 1.0)
    assert hall.covered(regions, []) == 0.0

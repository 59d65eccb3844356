"""Pure logic of the audio pipeline on hand-built data (no models, milliseconds)."""

from __future__ import annotations

import numpy as np
import pytest

from sessionscope.audio.align import assign_words, group_by_stream, group_utterances
from sessionscope.audio.cache import ResultCache, asr_from_dict, asr_to_dict, cache_key
from sessionscope.audio.channels import separate_channels
from sessionscope.audio.cluster import cluster_embeddings
from sessionscope.audio.der import der
from sessionscope.audio.diarize import SpeakerTurn, turns_from_labels, windows_for
from sessionscope.audio.hallucination import AsrSegment, AsrWord, collapse_loops, filter_segments, is_hallucination
from sessionscope.audio.identify import Person, VoiceprintStore, find_introductions, map_speakers


def words(text: str, start: float = 0.0, step: float = 0.3, p: float = 0.9) -> tuple[AsrWord, ...]:
    return tuple(AsrWord(" " + w, start + i * step, start + i * step + step * 0.8, p) for i, w in enumerate(text.split()))


def seg(text: str, start: float = 0.0, **kw) -> AsrSegment:
    ws = words(text, start)
    return AsrSegment(start=ws[0].start, end=ws[-1].end, text=text, words=ws, **kw)


# -- hallucinations and loops ---------------------------------------------------------
def test_known_credit_on_doubtful_audio_is_dropped_but_real_thanks_kept():
    credit = seg("Thank you for watching!", no_speech_prob=0.7)
    real_thanks = seg("Thank you", no_speech_prob=0.05, avg_logprob=-0.2)
    silence_thanks = seg("Thank you", no_speech_prob=0.9)
    assert is_hallucination(credit)
    assert not is_hallucination(real_thanks)
    assert is_hallucination(silence_thanks)
    assert is_hallucination(seg("Продолжение следует...", no_speech_prob=0.3, avg_logprob=-1.5))


def test_repetition_loop_collapsed_and_counted():
    loop = seg("I think we should " + "go to the market " * 5 + "tomorrow")
    kept, removed = collapse_loops(loop.words)
    assert " ".join(w.text.strip() for w in kept) == "I think we should go to the market tomorrow"
    assert removed and "×4" in removed[0]
    out, report = filter_segments([loop, seg("no no no", 10)])
    assert report.repetitions_dropped == 1 and report.hallucinations_dropped == 0
    assert out[0].flags == ("repetition",)
    assert out[1].text == "no no no"  # three words is ordinary talk, not a loop


def test_duplicate_segments_across_a_loop_are_dropped():
    segs = [seg("We will meet on Monday.", i * 3.0) for i in range(4)]
    out, report = filter_segments(segs)
    assert len(out) == 2 and report.repetitions_dropped == 2


# -- clustering and turns ---------------------------------------------------------------
def blobs(centres: list[np.ndarray], n: int, noise: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for k, c in enumerate(centres):
        xs.append(c + noise * rng.standard_normal((n, c.size)))
        ys += [k] * n
    return np.vstack(xs).astype(np.float32), np.array(ys)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_cluster_count_found_automatically(k):
    rng = np.random.default_rng(k)
    centres = [rng.standard_normal(64) for _ in range(k)]
    x, y = blobs(centres, 40, 0.3)
    labels = cluster_embeddings(x, min_speakers=1, max_speakers=8)
    assert len(set(labels)) == k
    # each true cluster maps to exactly one label
    assert all(len(set(labels[y == c])) == 1 for c in range(k))


def test_one_voice_stays_one_and_forced_count_is_respected():
    x, _ = blobs([np.ones(64)], 60, 0.05)
    assert set(cluster_embeddings(x, min_speakers=1, max_speakers=6)) == {0}
    rng = np.random.default_rng(1)
    x2, _ = blobs([rng.standard_normal(64), rng.standard_normal(64)], 30, 0.3)
    assert len(set(cluster_embeddings(x2, min_speakers=2, max_speakers=2))) == 2


def test_long_input_uses_prototypes_and_still_separates():
    rng = np.random.default_rng(3)
    x, y = blobs([rng.standard_normal(32), rng.standard_normal(32)], 1200, 0.4)
    labels = cluster_embeddings(x, max_points=600)
    agreement = (labels == y).mean()  # 0 or 1 up to a swap of the two labels
    assert len(set(labels)) == 2 and abs(agreement - 0.5) > 0.49


def test_turns_from_window_labels():
    regions = [(0.0, 3.0)]
    wins = windows_for(regions, window_s=1.0, step_s=0.5)
    labels = np.array([0 if (s + e) / 2 < 1.5 else 1 for _, s, e in wins])
    turns = turns_from_labels(regions, wins, labels)
    assert [t.speaker for t in turns] == ["SPEAKER_00", "SPEAKER_01"]
    assert turns[0].start == 0.0 and turns[-1].end == 3.0
    assert abs(turns[0].end - 1.5) <= 0.26


# -- alignment ----------------------------------------------------------------------------
def test_words_follow_turns_and_changes_snap_to_sentence_ends():
    s = seg("Hello there. How are you? Fine thanks.", 0.0)  # 7 words, 0.3 s each
    turns = [SpeakerTurn(0.0, 1.0, "A"), SpeakerTurn(1.0, 2.2, "B")]
    lw = assign_words([s], turns)
    utts = group_utterances(lw)
    # the turn change at 1.0 s falls inside "How are you?"; it moves to after "there."
    assert [(u.speaker, u.text) for u in utts] == [("A", "Hello there."), ("B", "How are you? Fine thanks.")]


def test_channel_streams_keep_overlap():
    a = [seg("I was saying that the plan works", 0.0)]
    b = [seg("right", 0.6)]
    utts = group_by_stream({"A": a, "B": b})
    assert {u.speaker for u in utts} == {"A", "B"}
    ub = next(u for u in utts if u.speaker == "B")
    assert ub.words[0].overlap and ub.start < next(u for u in utts if u.speaker == "A").end


def test_der_scores_missed_false_alarm_confusion_and_collar():
    ref = [(0.0, 10.0, "a"), (10.0, 20.0, "b")]
    assert der(ref, [(0.0, 10.0, "x"), (10.0, 20.0, "y")]).der == pytest.approx(0.0, abs=1e-3)
    r = der(ref, [(0.0, 20.0, "x")])
    assert r.confusion == pytest.approx(10.0, abs=0.02) and r.der == pytest.approx(0.5, abs=1e-3)
    r = der(ref, [(0.0, 10.3, "x"), (10.3, 20.0, "y")], collar=0.25)
    assert r.confusion == pytest.approx(0.05, abs=0.02)  # 0.3 s error, 0.25 s forgiven
    r = der(ref + [(5.0, 6.0, "b")], [(0.0, 10.0, "x"), (10.0, 20.0, "y")])
    assert r.missed == pytest.approx(1.0, abs=0.02)  # overlap is scored


# -- identification ------------------------------------------------------------------------
def test_introductions_en_ru_and_case_forms():
    assert find_introductions("Hi, I'm Anna and I work in sales", ["Anna Smirnova", "Boris"]) == ["Anna Smirnova"]
    assert find_introductions("Добрый день, меня зовут Борис.", ["Anna", "Борис Иванов"]) == ["Борис Иванов"]
    assert find_introductions("This is Diane in New Jersey", ["Sheila", "Diane"]) == ["Diane"]
    assert find_introductions("I'm sure Anna will agree", ["Anna"]) == []


def test_mapping_prefers_voiceprints_then_introductions_then_order():
    people = [Person("anna", "Anna"), Person("boris", "Boris"), Person("vera", "Vera")]
    cents = {"S0": [1.0, 0.0, 0.0], "S1": [0.0, 1.0, 0.0], "S2": [0.0, 0.0, 1.0]}
    prints = {"boris": np.array([0.1, 0.9, 0.0])}
    m = map_speakers(labels=["S0", "S1", "S2"], first_speech={"S0": 5.0, "S1": 0.0, "S2": 9.0},
                     texts={"S0": "hello", "S2": "my name is Anna"}, people=people, centroids=cents, prints=prints)
    assert m.speaker_map == {"S1": "boris", "S2": "anna", "S0": "vera"}
    assert m.per_label == {"S1": "voiceprint", "S2": "introduction", "S0": "order"} and m.method == "mixed"
    assert any("guess" in n for n in m.notes)


def test_extra_speakers_stay_unmapped_and_no_people_keeps_labels():
    m = map_speakers(labels=["S0", "S1", "S2"], first_speech={"S0": 0, "S1": 1, "S2": 2}, texts={},
                     people=[Person("a", "A"), Person("b", "B")], centroids={}, prints={})
    assert m.unmapped == ("S2",) and m.speaker_map["S2"] == "S2"
    m2 = map_speakers(labels=["S0"], first_speech={}, texts={}, people=[], centroids={}, prints={})
    assert m2.speaker_map == {"S0": "S0"} and m2.method == "none"


def test_voiceprint_store_running_mean(tmp_path):
    store = VoiceprintStore(tmp_path)
    store.save("pair 1", "anna", [1.0, 0.0], session_id="s1")
    store.save("pair 1", "anna", [0.0, 1.0], session_id="s2")
    store.save("pair 1", "anna", [0.0, 1.0], session_id="s2")  # same session twice counts once
    got = store.load("pair 1", ["anna", "boris"])
    assert list(got) == ["anna"] and np.allclose(got["anna"], [0.5, 0.5])


# -- channels, cache -------------------------------------------------------------------------
def test_channel_test_tells_separate_speakers_from_a_stereo_mix():
    rng = np.random.default_rng(0)
    t = 16000 * 6
    a = (rng.standard_normal(t) * np.repeat(rng.random(60) > 0.5, t // 60)).astype(np.float32) * 0.1
    b = (rng.standard_normal(t) * np.repeat(rng.random(60) > 0.5, t // 60)).astype(np.float32) * 0.1
    assert separate_channels(np.stack([a, b]))[0]
    assert not separate_channels(np.stack([a + b, 0.8 * (a + b)]))[0]
    assert not separate_channels(a[None, :])[0]


def test_cache_roundtrip(tmp_path):
    from sessionscope.audio.asr import AsrResult

    r = AsrResult(segments=(seg("hello world", 1.0),), language="en", language_probability=0.9,
                  language_source="detected", model="tiny.en")
    cache = ResultCache(tmp_path)
    key = cache_key("abc", "asr", {"model": "tiny.en"})
    assert cache.get("asr", key) is None
    cache.put("asr", key, asr_to_dict(r))
    assert asr_from_dict(cache.get("asr", key)) == r
    assert key != cache_key("abc", "asr", {"model": "base"})


def test_segmentation_regions_hysteresis_and_min_durations():
    from sessionscope.audio.segmentation import _powerset_columns, regions

    scores = np.array([0.1] * 10 + [0.9] * 20 + [0.2] * 3 + [0.8] * 20 + [0.1] * 10 + [0.9] * 2)
    got = regions(scores, 0.02, min_on=0.1, min_off=0.1)
    assert got == [(0.2, 1.06)]  # the 60 ms gap is bridged, the 40 ms blip at the end dropped
    one, two = _powerset_columns()
    assert one == [1, 2, 3] and two == [4, 5, 6]


def test_addressing_maps_a_pair_when_no_one_introduces_themselves():
    from sessionscope.audio.identify import count_mentions

    assert count_mentions("Morning, Maya, come in. Maya said it was fine.", "Maya Chen") == 1
    assert count_mentions("Добрый день, Игорь Петрович, хорошо, спасибо.", "Игорь Петрович Волков") == 1
    assert count_mentions("Анна, садитесь.", "Анна Смирнова") == 1
    people = [Person("maya", "Maya Chen"), Person("robert", "Robert Hale")]
    texts = {"S0": "Morning, Maya, come in! How was the trip?", "S1": "Good, thanks, Robert. The train was late."}
    m = map_speakers(labels=["S0", "S1"], first_speech={"S0": 0.0, "S1": 3.0}, texts=texts, people=people,
                     centroids={}, prints={})
    assert m.speaker_map == {"S0": "robert", "S1": "maya"} and m.method == "addressing"
    # no names said: falls back to the order of first speech, flagged as a guess
    m2 = map_speakers(labels=["S0", "S1"], first_speech={"S0": 0.0, "S1": 3.0}, texts={"S0": "hi", "S1": "hello"},
                      people=people, centroids={}, prints={})
    assert m2.method == "order" and m2.speaker_map == {"S0": "maya", "S1": "robert"}


def test_diarization_without_turns_is_recorded_as_a_degraded_stage(tmp_path, monkeypatch):
    """Words but no speaker turns: one speaker, and the stage run and notes say why."""
    from pathlib import Path

    from sessionscope.audio import pipeline
    from sessionscope.audio.asr import AsrResult
    from sessionscope.audio.decode import Audio
    from sessionscope.audio.diarize import Diarization
    from sessionscope.config import Config

    seg = AsrSegment(0.0, 1.0, " hello there", words=(AsrWord(" hello", 0.0, 0.4, 0.9), AsrWord(" there", 0.5, 1.0, 0.9)))
    monkeypatch.setattr(pipeline, "_asr", lambda *a, **k: AsrResult(segments=(seg,), language="en", language_probability=1.0,
                                                                     language_source="given", model="tiny"))
    monkeypatch.setattr(pipeline, "_diarize", lambda *a, **k: Diarization(turns=()))
    decoded = pipeline.Decoded(Path("x.wav"), "0" * 64, Audio(np.zeros((1, 16000), dtype=np.float32), "x.wav"))
    rec = pipeline.recognise_step(decoded, config=Config(), language="en", n_people=0, cache=ResultCache(tmp_path))
    assert {u.speaker for u in rec.utterances} == {"SPEAKER_00"} and rec.labels == ["SPEAKER_00"]
    run = next(r for r in rec.stage_runs if r[0] == "audio.diarization")
    assert run[1] == "ok" and run[2] and "no speaker turns" in run[2]
    assert any("no speaker turns" in n for n in rec.notes)


# -- language choice ------------------------------------------------------------------
def test_language_chosen_among_the_configured_ones_with_a_note_when_another_was_likelier():
    from sessionscope.audio.asr import pick_language

    probs = [("de", 0.96), ("ru", 0.03), ("en", 0.01)]
    lang, prob, how, notes = pick_language(probs, ["en", "ru"])
    assert (lang, how) == ("ru", "detected") and prob == pytest.approx(0.75)
    assert len(notes) == 1 and "'de'" in notes[0]
    # round 41: the configured languages together at 0.4 are no other language, whatever leads
    assert pick_language([("de", 0.6), ("ru", 0.3), ("en", 0.1)], ["en", "ru"])[3] == ()
    assert pick_language([("en", 0.9), ("ru", 0.1)], ["en", "ru"])[2:] == ("detected", ())
    assert pick_language([("fr", 0.8), ("de", 0.2)], ["en", "ru"])[0] == "fr"  # none configured is known: the top one


def test_detection_inside_the_transcription_decodes_in_the_chosen_language():
    """detection_among: faster-whisper's detect_language, as the pipeline calls it, answers the configured language
    (what the pipeline then decodes in), records the choice, and the model gets its own method back afterwards."""
    from sessionscope.audio.asr import detection_among

    class Model:
        def detect_language(self, audio=None, features=None, language_detection_segments=1, **kw):
            return "de", 0.96, [("de", 0.96), ("en", 0.03), ("ru", 0.01)]

    m = Model()
    with detection_among(m, ["en", "ru"]) as found:
        assert found == {}
        lang, prob, probs = m.detect_language(features=np.zeros((80, 10)), language_detection_segments=2)
        assert lang == "en" and prob == pytest.approx(0.75) and probs[0] == ("de", 0.96)
    assert found["chosen"][0::2] == ("en", "detected") and "'de'" in found["chosen"][3][0]
    assert "detect_language" not in vars(m) and m.detect_language()[0] == "de"


def test_a_long_sentence_looped_is_collapsed():
    """Round 21: an 18-word sentence came out four times back to back from a far-field decode (units of up to 10 words
    were looked for); three back-to-back repeats of a long sentence are no ordinary talk."""
    sentence = "and then we went over to the other side of the building to find the room we had booked "
    loop = seg("So " + sentence * 4 + "okay")
    kept, removed = collapse_loops(loop.words)
    assert " ".join(w.text.strip() for w in kept) == "So " + sentence.strip() + " okay"
    assert removed and "×3" in removed[0]
    twice = seg("So " + sentence * 2 + "okay")  # said twice: kept
    assert collapse_loops(twice.words)[1] == []

"""Word stretches re-scored against the voices by their embedding (issue 11, round 17, der): model-free."""
from sessionscope.audio.align import FillParams, RescoreParams, fill_gaps, rescore_stretches
from sessionscope.audio.diarize import SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord


def _seg(*words: tuple[str, float, float]) -> AsrSegment:
    ws = tuple(AsrWord(w, s, e, 0.9) for w, s, e in words)
    return AsrSegment(ws[0].start, ws[-1].end, " ".join(w for w, _, _ in words), words=ws)


def _sims(table: dict[tuple[float, float], dict[str, float]]):  # noqa: ANN202
    calls: list[tuple[float, float]] = []

    def voice_sims(s: float, e: float) -> dict[str, float]:
        calls.append((s, e))
        for (a, b), v in table.items():
            if a <= s and e <= b:
                return v
        return {}

    return voice_sims, calls


def _batched(table: dict[tuple[float, float], dict[str, float]]):  # noqa: ANN202
    one, calls = _sims(table)
    return (lambda spans: [one(s, e) for s, e in spans]), calls


TURNS = [SpeakerTurn(0.0, 2.0, "A"), SpeakerTurn(4.0, 6.0, "B")]
# words 2.2-2.9 s: no turn touches them (0.2 s after A's end), adjacent to A (within 0.25 s)
ADJ = [_seg(("well", 2.2, 2.5), ("then", 2.55, 2.9))]


def test_adjacent_stretch_keeps_the_neighbour_unless_rescored() -> None:
    sims, calls = _sims({(2.0, 3.0): {"A": 0.30, "B": 0.55}})
    plain = fill_gaps(TURNS, ADJ, params=FillParams(), voice_sims=sims)
    assert [t.speaker for t in plain if t not in TURNS] == ["A"]
    assert calls == []  # the neighbour rule needs no embedding
    rescored = fill_gaps(TURNS, ADJ, params=FillParams(rescore_adjacent=True, rescore_margin=0.1), voice_sims=sims)
    assert [t.speaker for t in rescored if t not in TURNS] == ["B"]


def test_rescore_needs_the_margin() -> None:
    sims, _ = _sims({(2.0, 3.0): {"A": 0.50, "B": 0.55}})
    out = fill_gaps(TURNS, ADJ, params=FillParams(rescore_adjacent=True, rescore_margin=0.1), voice_sims=sims)
    assert [t.speaker for t in out if t not in TURNS] == ["A"]


def test_far_stretch_takes_the_best_voice_from_the_similarities() -> None:
    words = [_seg(("so", 2.8, 3.1), ("right", 3.15, 3.5))]  # 0.65 s stretch, over 0.25 s from every turn
    sims, calls = _sims({(2.5, 3.6): {"A": 0.2, "B": 0.6}})
    out = fill_gaps(TURNS, words, params=FillParams(), voice_sims=sims)
    assert [t.speaker for t in out if t not in TURNS] == ["B"] and len(calls) == 1


def test_second_voice_added_or_relabelled_only_beyond_the_margin() -> None:
    turns = [SpeakerTurn(0.0, 5.0, "A"), SpeakerTurn(6.0, 8.0, "B")]
    words = [_seg(("we", 1.0, 1.4), ("should", 1.45, 2.0), ("go", 2.1, 2.6)), _seg(("ok", 6.2, 6.5))]
    sims, _ = _batched({(0.9, 2.7): {"A": 0.2, "B": 0.5}})
    added = rescore_stretches(turns, words, voice_sims=sims, params=RescoreParams(min_s=1.0, margin=0.1, mode="add"))
    assert SpeakerTurn(1.0, 2.6, "B") in added and SpeakerTurn(0.0, 5.0, "A") in added
    relabelled = rescore_stretches(turns, words, voice_sims=sims, params=RescoreParams(min_s=1.0, margin=0.1, mode="relabel"))
    assert [(t.start, t.end, t.speaker) for t in relabelled] == [(0.0, 1.0, "A"), (1.0, 2.6, "B"), (2.6, 5.0, "A"), (6.0, 8.0, "B")]
    same = rescore_stretches(turns, words, voice_sims=sims, params=RescoreParams(min_s=1.0, margin=0.4))
    assert same == sorted(turns, key=lambda t: (t.start, t.speaker))
    short = rescore_stretches(turns, words, voice_sims=sims, params=RescoreParams(min_s=2.0, margin=0.1))
    assert short == sorted(turns, key=lambda t: (t.start, t.speaker))


def test_second_voice_needs_two_voices() -> None:
    turns = [SpeakerTurn(0.0, 5.0, "A")]
    sims, calls = _batched({(0.0, 5.0): {"A": 0.1}})
    assert rescore_stretches(turns, [_seg(("hello", 1.0, 2.5))], voice_sims=sims) == turns and calls == []


def test_rescore_defaults_and_the_recognition_step(monkeypatch) -> None:  # noqa: ANN001
    import numpy as np

    from sessionscope.audio import pipeline
    from sessionscope.audio.asr import AsrResult
    from sessionscope.audio.diarize import Diarization

    assert pipeline.RESCORE == RescoreParams() and RescoreParams().mode == "relabel"  # on by default
    asr = AsrResult(segments=(_seg((" we", 1.0, 1.4), (" should", 1.45, 2.0)), _seg((" ok", 6.2, 6.5))), language="en",
                    language_probability=None, language_source="assumed", model="fake")
    diar = Diarization(turns=(SpeakerTurn(0.0, 5.0, "A"), SpeakerTurn(6.0, 8.0, "B")), centroids={"A": [1.0, 0.0], "B": [0.0, 1.0]})
    seen: dict[str, list[float]] = {}

    def fake_similarities(samples, centroids, **_):  # noqa: ANN001, ANN202
        seen.update(centroids)
        return lambda spans: [{"A": 0.1, "B": 0.6} for _ in spans]

    monkeypatch.setattr(pipeline, "voice_similarities", fake_similarities)
    samples = np.zeros(16000 * 9, dtype=np.float32)
    out = pipeline.align_words(asr, diar, samples, word_fill=None, rescore=pipeline.RESCORE)
    assert [(u.speaker, u.start, u.end, u.text) for u in out] == [
        ("A", 0.0, 1.0, ""), ("B", 1.0, 2.0, "we should"), ("A", 2.0, 5.0, ""), ("B", 6.0, 8.0, "ok")]
    assert set(seen) == {"A", "B"}
    plain = pipeline.align_words(asr, diar, samples, word_fill=None, rescore=None)
    assert [(u.speaker, u.text) for u in plain] == [("A", "we should"), ("B", "ok")]

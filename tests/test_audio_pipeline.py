"""The real audio pipeline on real audio (tiny.en on 30 s clips, base on a short Russian clip).

Marked slow: they load faster-whisper and CAM++; the whole file runs in about a minute
on 2 cores. Bad inputs must each give a clear per-file error while the batch goes on.
"""

from __future__ import annotations

import json
import shutil
import struct
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sessionscope.config import load_config
from sessionscope.errors import AudioError, ModelError
from sessionscope.model.manifest import ManifestEntry, ManifestParticipant

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _isolated_cache(tmp_path_factory):
    """A fresh cache root per test module (the base model is reassembled into it)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SESSIONSCOPE_HOME", str(tmp_path_factory.mktemp("home")))
    yield
    mp.undo()


@pytest.fixture(scope="module")
def tiny():
    return load_config(overrides={"asr": {"model": "tiny.en"}})


def _wer(ref: str, hyp: str) -> float:
    import jiwer

    norm = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip(),
                          jiwer.ReduceToListOfListOfWords()])
    return jiwer.wer(ref, hyp, reference_transform=norm, hypothesis_transform=norm)


def _write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def test_pyannote_sample_end_to_end(shared_data, tiny, tmp_path):
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.pipeline import transcribe_file

    folder = shared_data / "pyannote-sample"
    entry = ManifestEntry(id="sample", pair_id="pair-1",
                          participants=(ManifestParticipant(name="Sheila", role="junior"),
                                        ManifestParticipant(name="Diane", role="senior")))
    s = transcribe_file(folder / "sample.wav", config=tiny, entry=entry, voiceprint_dir=tmp_path / "vp")
    ref_rows = [line.split(maxsplit=5) for line in (folder / "sample.stm").read_text().splitlines()]
    ref_text = " ".join(r[5] for r in ref_rows)
    assert _wer(ref_text, " ".join(u.text for u in s.utterances)) < 0.3
    # both people were found by their self-introductions ("This is Diane", "I'm Sheila")
    assert s.quality.speaker_mapping_method == "introduction"
    assert {u.speaker for u in s.utterances} == {"sheila", "diane"}
    # speaker-attributed words: most reference words land with the right person
    by_speaker = {p: " ".join(u.text for u in s.utterances if u.speaker == p) for p in ("diane", "sheila")}
    for name in ("diane", "sheila"):
        ref = " ".join(r[5] for r in ref_rows if r[2].lower() == name)
        assert _wer(ref, by_speaker[name]) < 0.45, name
    turns = [tuple(t) for t in s.extra["audio"]["speaker_turns"]]
    score = der(read_rttm(folder / "sample.rttm")["sample"], [(a, b, c) for a, b, c in turns], collar=0.25)
    assert score.der < 0.12
    assert s.quality.asr_model == "tiny.en" and s.language == "en"
    # voiceprints of the identified pair were stored for their next session, and this session's voices for the
    # programme report's consistency check (round 21)
    assert sorted(p.name for p in (tmp_path / "vp" / "pair-1").iterdir()) == ["diane.json", "sessions", "sheila.json"]
    kept = json.loads(next((tmp_path / "vp" / "pair-1" / "sessions").glob("*.json")).read_text())
    assert set(kept["labels"]) == set(s.extra["audio"]["speaker_map"])


def test_base_russian_clip_detects_language(shared_data):
    from sessionscope.audio.pipeline import transcribe_file

    cfg = load_config(overrides={"asr": {"model": "base"}, "diarization": {"enabled": False}})
    folder = shared_data / "ru-pisets-sample"
    s = transcribe_file(folder / "test_sound_ru.wav", config=cfg)
    assert s.language == "ru" and s.extra["audio"]["language_source"] == "detected"
    import jiwer

    ref = (folder / "test_sound_ru.txt").read_text(encoding="utf-8").strip().lower()
    hyp = " ".join(u.text for u in s.utterances).lower().replace(",", "").replace(".", "").replace("-", " ")
    assert jiwer.cer(ref, hyp) < 0.25


def test_english_only_model_refuses_russian(shared_data, tiny):
    from sessionscope.audio.pipeline import transcribe_file

    with pytest.raises(ModelError, match="English-only"):
        transcribe_file(shared_data / "ru-pisets-sample" / "test_sound_ru.wav", config=tiny, language="ru")


def test_stereo_channel_per_speaker(shared_data, tiny):
    from sessionscope.audio.pipeline import transcribe_file

    s = transcribe_file(shared_data / "fw-stereo-2ch" / "stereo_diarization.wav", config=tiny)
    assert s.extra["audio"]["diarization"] == "channels"
    text = {u.speaker: u.text for u in s.utterances}
    assert _wer("The horizon seems extremely distant.", text["SPEAKER_01"]) < 0.2
    assert _wer("He began a confused complaint against the wizard, who had vanished behind the curtain on the left.",
                text["SPEAKER_00"]) < 0.2
    # both spoke at once: the overlap is kept, not flattened
    assert all("overlap" in u.flags for u in s.utterances)


def _bad_inputs(folder: Path, shared: Path) -> dict[str, str]:
    """name → expected error fragment."""
    import av

    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.wav").write_text("this is a text file, not audio\n")
    (folder / "truncated.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90" + b"\x00" * 20)
    _write_wav(folder / "silence.wav", np.zeros(16000 * 5, dtype=np.float32))
    _write_wav(folder / "blip.wav", np.zeros(4000, dtype=np.float32) + 0.01)
    c = av.open(str(folder / "video.mp4"), "w")
    vs = c.add_stream("mpeg4", rate=10)
    vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
    for _ in range(5):
        for p in vs.encode(av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")):
            c.mux(p)
    for p in vs.encode():
        c.mux(p)
    c.close()
    data = b"\x00" * 32000
    hdr = (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt "
           + struct.pack("<IHHIIHH", 16, 0x3039, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", len(data)))
    (folder / "oddcodec.wav").write_bytes(hdr + data)
    return {"empty": "empty", "notes": "not a readable audio", "truncated": "not a readable audio", "silence": "silent",
            "blip": "too short", "video": "no audio track", "oddcodec": "unsupported audio codec"}


def test_bad_inputs_fail_clearly_and_the_batch_goes_on(shared_data, tmp_path):
    from sessionscope.cli import cli

    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = _bad_inputs(inputs, shared_data)
    shutil.copy(shared_data / "pyannote-sample" / "sample.wav", inputs / "good.wav")
    # a 1-second clip of real speech: short, but a valid session
    from sessionscope.audio.decode import load_audio

    speech = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono
    _write_wav(inputs / "one_second.wav", speech[int(14.5 * 16000): int(15.5 * 16000)])
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["run", str(inputs), "--model", "tiny.en", "--out", str(out), "--no-progress",
                                   "-p", "Diane=senior", "-p", "Sheila=junior"])
    assert res.exit_code == 1, res.output
    batch = json.loads((out / "batch.json").read_text())
    status = {Path(r["input"]).stem: r for r in batch["results"]}
    assert status["good"]["status"] == "ok" and (out / "good" / "session.json").is_file()
    for name, fragment in expected.items():
        assert status[name]["status"] == "failed", name
        assert fragment in status[name]["error"], (name, status[name]["error"])
        assert "internal error" not in status[name]["error"]
    assert status["one_second"]["status"] == "ok", status["one_second"]  # short, but real speech: a session

    # rerun: resumed from session.json, and the content-hash cache means no re-transcription
    res2 = CliRunner().invoke(cli, ["run", str(inputs / "good.wav"), "--model", "tiny.en", "--out", str(out), "--no-progress",
                                    "-p", "Diane=senior", "-p", "Sheila=junior"])
    assert res2.exit_code == 0, res2.output
    assert "resumed" in res2.output
    rerun = {Path(r["input"]).stem: r["status"] for r in json.loads((out / "batch.json").read_text())["results"]}
    assert rerun == {"good": "resumed"}

    # remap: swap the two people without transcribing again
    session = json.loads((out / "good" / "session.json").read_text())
    labels = session["extra"]["audio"]["speaker_map"]
    swapped = {lab: ("sheila" if pid == "diane" else "diane") for lab, pid in labels.items()}
    args = ["remap", str(out / "good")] + [a for lab, pid in swapped.items() for a in ("--speaker", f"{lab}={pid}")]
    res3 = CliRunner().invoke(cli, args)
    assert res3.exit_code == 0, res3.output
    after = json.loads((out / "good" / "session.json").read_text())
    assert [u["speaker"] for u in after["utterances"]] == [
        "sheila" if u["speaker"] == "diane" else "diane" for u in session["utterances"]]
    assert after["quality"]["speaker_mapping_method"] == "manual"
    bad = CliRunner().invoke(cli, ["remap", str(out / "good"), "--speaker", "SPEAKER_09=anna"])
    assert bad.exit_code == 1 and "unknown speaker label" in bad.output


def test_models_list_and_missing_model_error():
    from sessionscope.cli import cli
    from sessionscope.models import resolve_whisper

    res = CliRunner().invoke(cli, ["models", "list"])
    assert res.exit_code == 0 and "tiny.en" in res.output and "campplus" in res.output and "act-tagger" in res.output
    with pytest.raises(ModelError, match="downloads are off"):
        resolve_whisper("large-v3")
    with pytest.raises(ModelError, match="unknown Whisper model"):
        resolve_whisper("gigantic")


def test_base_model_reassembled_and_verified():
    from sessionscope.models import BASE_MODEL_BYTES, base_model_dir

    d = base_model_dir()
    assert (d / "model.bin").stat().st_size == BASE_MODEL_BYTES
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in d.iterdir()}
    assert not [p for p in d.iterdir() if p.name.endswith(".tmp")]


def test_silence_only_raises_audio_error(tmp_path, tiny):
    from sessionscope.audio.pipeline import transcribe_file

    with pytest.raises(AudioError, match="silent"):
        transcribe_file(_write_wav(tmp_path / "s.wav", np.zeros(16000 * 3, dtype=np.float32)), config=tiny)


def _encode(path: Path, samples: np.ndarray, codec: str, rate: int, video: str | None) -> None:
    import av

    c = av.open(str(path), "w")
    vs = None
    if video:
        vs = c.add_stream(video, rate=5)
        vs.width, vs.height, vs.pix_fmt = 32, 32, "yuv420p"
    a = c.add_stream(codec, rate=rate)
    a.layout = "mono"
    frame = av.AudioFrame.from_ndarray((samples[None, :] * 32767).astype(np.int16), format="s16", layout="mono")
    frame.sample_rate = 16000
    for f in av.AudioResampler(format=a.format.name, layout="mono", rate=rate).resample(frame):
        for pk in a.encode(f):
            c.mux(pk)
    for pk in a.encode(None):
        c.mux(pk)
    if vs is not None:
        for _ in range(5):
            for pk in vs.encode(av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")):
                c.mux(pk)
        for pk in vs.encode():
            c.mux(pk)
    c.close()


@pytest.mark.parametrize("ext,codec,rate,video", [
    ("mp4", "aac", 16000, "mpeg4"), ("webm", "libopus", 48000, "libvpx"), ("mkv", "aac", 16000, None),
    ("mov", "aac", 16000, None), ("m4a", "aac", 16000, None), ("ogg", "libopus", 48000, None),
    ("flac", "flac", 16000, None), ("mp3", "libmp3lame", 16000, None),
])
def test_common_audio_and_video_formats_decode(shared_data, tmp_path, ext, codec, rate, video):
    from sessionscope.audio.decode import load_audio

    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono[: 16000 * 5]
    path = tmp_path / f"clip.{ext}"
    _encode(path, x, codec, rate, video)
    y = load_audio(path)
    assert y.sample_rate == 16000 and abs(y.duration_s - 5.0) < 0.2
    assert np.sqrt(np.mean(y.mono ** 2)) == pytest.approx(np.sqrt(np.mean(x ** 2)), rel=0.25)


def test_voice_enrollment_then_stored_voiceprints(shared_data, tmp_path):
    """Clips of each person map them by voice (introductions off, manifest order chosen so a guess
    would be wrong); the stored voiceprints then map the same pair's next session without clips."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import transcribe_file

    wav = shared_data / "pyannote-sample" / "sample.wav"
    x = load_audio(wav).mono
    diane = _write_wav(tmp_path / "diane.wav", x[int(18.1 * 16000): int(21.4 * 16000)])
    sheila = _write_wav(tmp_path / "sheila.wav", x[int(22.0 * 16000): int(27.5 * 16000)])
    cfg = load_config(overrides={"asr": {"model": "tiny.en"}, "participants": {"use_introductions": False}})
    people = (ManifestParticipant(id="sheila", name="Sheila", role="junior", voice_sample=str(sheila)),
              ManifestParticipant(id="diane", name="Diane", role="senior", voice_sample=str(diane)))
    entry = ManifestEntry(id="s1", pair_id="pair-9", language="en", participants=people)
    s = transcribe_file(wav, config=cfg, entry=entry, voiceprint_dir=tmp_path / "vp")
    assert s.quality.speaker_mapping_method == "voiceprint"
    assert any(u.speaker == "diane" and "new jersey" in u.text.lower() and "this is" in u.text.lower() for u in s.utterances)
    assert any(u.speaker == "sheila" and "chicago" in u.text.lower() and "texas" in u.text.lower() for u in s.utterances)
    # next session of the pair: no clips, the stored voiceprints decide
    later = ManifestEntry(id="s2", pair_id="pair-9", language="en",
                          participants=tuple(p.model_copy(update={"voice_sample": None}) for p in people))
    s2 = transcribe_file(wav, config=cfg, entry=later, voiceprint_dir=tmp_path / "vp", session_id="s2")
    assert s2.quality.speaker_mapping_method == "voiceprint"
    assert [u.speaker for u in s2.utterances] == [u.speaker for u in s.utterances]


def test_english_example_session_with_its_manifest(repo_root):
    """The bundled English example (5 min, two TTS voices) through transcribe_file with tiny.en and the
    manifest entry: both people found by how they address each other, words attributed correctly."""
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.io.manifest import load_manifest

    folder = repo_root / "examples" / "en_session"
    if not (folder / "recording.ogg").is_file():
        pytest.skip("examples/en_session not built")
    manifest = load_manifest(repo_root / "examples" / "manifest.yaml")
    entry = manifest.entry_for(folder / "recording.ogg")
    cfg = load_config(overrides={"asr": {"model": "tiny.en"}})
    s = transcribe_file(folder / "recording.ogg", config=cfg, entry=entry)
    assert s.quality.speaker_mapping_method in ("addressing", "introduction", "mixed")
    rows = [line.split(maxsplit=5) for line in (folder / "reference.stm").read_text(encoding="utf-8").splitlines()]
    for pid in ("maya", "robert"):
        ref = " ".join(r[5] for r in rows if r[2] == pid)
        hyp = " ".join(u.text for u in s.utterances if u.speaker == pid)
        assert _wer(ref, hyp) < 0.15, pid
    turns = [(a, b, c) for a, b, c in s.extra["audio"]["speaker_turns"]]
    assert der(read_rttm(folder / "reference.rttm")["en_session"], turns, collar=0.25).der < 0.08


def test_decoded_samples_are_the_file_whatever_the_announced_length(shared_data, tmp_path):
    """The preallocated decode buffer grows when the header says less (a raw mp3 stream has no length)
    and is trimmed when it says more: the samples are the file's, in order."""
    from sessionscope.audio.decode import _Growing, load_audio

    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono
    y = load_audio(_write_wav(tmp_path / "long.wav", np.tile(x, 3)))
    assert y.channels.shape == (1, 3 * len(x))
    assert np.abs(y.mono - np.tile(x, 3)).max() < 1e-4
    g = _Growing(2, 16000)
    blocks = [np.full((2, 7000), i, dtype=np.float32) for i in range(10)]
    for b in blocks:
        g.append(b)
    assert np.array_equal(g.data(), np.concatenate(blocks, axis=1))


def test_speech_level_in_blocks_equals_the_whole_recording_at_once():
    from sessionscope.audio.decode import speech_level

    rng = np.random.default_rng(0)
    x = (rng.standard_normal(16000 * 1300) * 0.01).astype(np.float32)
    x[16000 * 1200: 16000 * 1201] *= 30  # the loudest 100 ms lies in the third 10-minute block
    frames = x[: len(x) // 1600 * 1600].reshape(-1, 1600).astype(np.float64)
    expected = 20 * np.log10(np.sqrt((frames ** 2).mean(axis=1)).max())
    assert speech_level(x) == pytest.approx(expected, abs=1e-6)


def test_language_detection_sees_the_same_first_minute_of_speech_on_a_prefix(shared_data):
    """speech_prefix: the VAD speech of the prefix (before its margin) is the whole recording's."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from sessionscope.audio.asr import speech_prefix
    from sessionscope.audio.decode import load_audio

    clips = sorted((shared_data / "ami-audio-excerpts").glob("*.wav"))[:8]
    x = np.concatenate([load_audio(p).mono for p in clips] * 4)
    prefix = speech_prefix(x, speech_s=60.0)
    assert len(prefix) < len(x)
    limit = len(prefix) - 5 * 16000
    whole = [(t["start"], min(t["end"], limit)) for t in get_speech_timestamps(x, VadOptions()) if t["start"] < limit]
    part = [(t["start"], min(t["end"], limit)) for t in get_speech_timestamps(prefix, VadOptions()) if t["start"] < limit]
    assert part == whole
    assert sum(e - s for s, e in part) >= 60 * 16000
    short = x[: 16000 * 50]
    assert len(speech_prefix(short)) == len(short)  # under a minute of speech: the whole recording


def test_language_detection_input_reuses_the_prefix_vad_with_the_same_probabilities(shared_data):
    """detection_speech (the prefix search's own VAD, concatenated) gives faster-whisper's detection exactly the
    input, hence the probabilities, that ``detect_language(prefix, vad_filter=True)`` gets, on a long and a short clip."""
    from sessionscope.audio.asr import detection_speech, speech_prefix
    from sessionscope.audio.decode import load_audio
    from sessionscope.models import load_whisper

    model = load_whisper("base")
    clips = sorted((shared_data / "ami-audio-excerpts").glob("*.wav"))[:8]
    x = np.concatenate([load_audio(p).mono for p in clips] * 4)
    for audio in (x, x[: 16000 * 50]):
        before = model.detect_language(audio=speech_prefix(audio), vad_filter=True, language_detection_segments=2)[2]
        after = model.detect_language(audio=detection_speech(audio), vad_filter=False, language_detection_segments=2)[2]
        assert after == before


def _music(seconds: float, rate: int = 16000) -> np.ndarray:
    """Synthetic music: a chord of harmonic notes every half second with an attack-decay envelope."""
    t = np.arange(int(0.5 * rate)) / rate
    env = np.minimum(1.0, t / 0.02) * np.exp(-3.0 * t)
    notes = []
    for i in range(int(seconds * 2)):
        root = 220.0 * 2 ** (((i * 5) % 12) / 12)
        notes.append(sum(np.sin(2 * np.pi * root * k * r * t) / k for r in (1.0, 1.26, 1.5) for k in (1, 2, 3)) * env)
    return (0.08 * np.concatenate(notes)).astype(np.float32)


@pytest.mark.parametrize("example,expected", [("en_session", "en"), ("ru_session", "ru")])
def test_language_detected_inside_the_transcription_after_silence_and_music(repo_root, example, expected, monkeypatch):
    """Detection among the configured languages happens inside the transcription, on its first VAD chunks (one Silero
    pass over the recording, as faster-whisper alone): 30 s of near-silence and 20 s of music before 25 s of speech do
    not fool it, and the words are in the detected language."""
    import faster_whisper.transcribe as fwt
    import faster_whisper.vad as fwv

    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio

    passes: list[int] = []
    for module in (fwt, fwv):
        original = module.get_speech_timestamps

        def counted(audio, *args, _original=original, **kwargs):
            passes.append(len(audio))
            return _original(audio, *args, **kwargs)

        monkeypatch.setattr(module, "get_speech_timestamps", counted)
    speech = load_audio(repo_root / "examples" / example / "recording.ogg").mono[: 16000 * 25]
    quiet = (np.random.default_rng(0).standard_normal(16000 * 30) * 1e-3).astype(np.float32)
    x = np.concatenate([quiet, _music(20), speech])
    r = transcribe(x, config=load_config(overrides={"asr": {"model": "base"}}).asr)
    assert (r.language, r.language_source) == (expected, "detected") and r.language_probability > 0.9
    assert passes == [len(x)]  # one VAD pass: the transcription's own
    assert r.segments and r.segments[0].start >= 45.0  # the words come from the speech, none from the music
    if expected == "ru":
        assert any("\u0400" <= ch <= "\u04ff" for s in r.segments for ch in s.text)


def test_chunk_features_shared_between_overlapping_chunks_equal_per_chunk_fbank(shared_data):
    """Sliding 10 s chunks every 5 s (and an off-grid last chunk): frames computed once give the same numbers.

    Bit-identical on AVX-512 machines; on an AVX2 EPYC the mel matrix product (BLAS) rounds a few values of a
    10 s chunk differently with the number of frames (at most 2e-6 on log-mel values of 0-20), so the check is
    to float rounding, far below anything the speaker model can tell apart.
    """
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import ChunkFeatures, _fbank

    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono[: 16000 * 27 + 123]
    feats = ChunkFeatures(x)
    starts = [0, 80000, 160000, 240000, len(x) - 160000, 0]  # the last start is off the 10 ms grid; then back
    for a0 in starts:
        got, ref = feats.chunk(a0, 160000), _fbank(x[a0:a0 + 160000])
        assert got.shape == ref.shape and len(ref) == 998
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-5)
    assert len(feats.chunk(len(x) - 300, 160000)) == 0  # under one 25 ms window: no frame



def test_embeddings_of_a_long_recording_keep_memory_flat(shared_data):
    """CAM++ on batches of many lengths: glibc kept the freed buffers and the RSS grew ~30 MB per minute of
    recording (2 hours would pass 4 GB). In a fresh process, 5 minutes of chunks with local speakers of
    every length must leave the RSS where the first batch left it."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from sessionscope.audio.decode import load_audio\n"
        "from sessionscope.audio.diarize import local_embeddings, torch_threads\n"
        "from sessionscope.audio.reconstruct import LocalSegmentation\n"
        "def rss():\n"
        "    return int([x for x in open('/proc/self/status') if x.startswith('VmRSS')][0].split()[1]) // 1024\n"
        "x = np.tile(load_audio(sys.argv[1]).mono, 10)[: 16000 * 300]\n"
        "starts = np.arange(0.0, 290.0, 5.0)\n"
        "b = np.zeros((len(starts), 589, 3), dtype=np.uint8)\n"
        "for c in range(len(starts)):\n"
        "    n = 20 + (37 * c) % 260\n"
        "    b[c, 294 - n // 2: 294 + n // 2, 0] = 1\n"
        "    b[c, 100: 100 + (13 * c) % 180 + 10, 1] = 1\n"
        "def seg(k):\n"
        "    return LocalSegmentation(starts[:k], b[:k], 0.016875, 0.0, 300.0)\n"
        "with torch_threads(1):\n"
        "    local_embeddings(x, seg(8), batch=4)\n"
        "    r0 = rss()\n"
        "    local_embeddings(x, seg(len(starts)), batch=4)\n"
        "print(rss() - r0)\n"
    )
    wav = shared_data / "pyannote-sample" / "sample.wav"
    out = subprocess.run([sys.executable, "-c", code, str(wav)], capture_output=True, text=True, check=True)
    grown = int(out.stdout.split()[-1])
    assert grown < 45, f"RSS grew by {grown} MB over 5 minutes of embeddings"  # 18 MB with the trim, 78 without

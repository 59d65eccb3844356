"""Round 20: a recording stored at 8 kHz or less is telephone-band whatever its energy above 4 kHz (the resampler
and mu-law line noise can leak to -50 dB there); the decoder records the file's own sample rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sessionscope.audio import asr
from sessionscope.audio.decode import NARROWBAND_DB, SAMPLE_RATE, high_band_db, is_narrowband, load_audio
from sessionscope.config import AsrConfig
from test_audio_pipeline import _write_wav


def test_the_decoder_records_the_files_own_sample_rate(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    for rate in (8000, 16000, 44100):
        audio = load_audio(_write_wav(tmp_path / f"n{rate}.wav", 0.05 * rng.normal(size=rate * 2), rate))
        assert audio.source_rate == rate and audio.sample_rate == SAMPLE_RATE


def test_a_file_stored_at_8_khz_is_narrowband_even_when_energy_leaks_above_4_khz() -> None:
    wide = (0.05 * np.random.default_rng(1).normal(size=SAMPLE_RATE * 4)).astype(np.float32)  # energy everywhere
    assert high_band_db(wide) > NARROWBAND_DB
    assert not is_narrowband(wide)
    assert not is_narrowband(wide, source_rate=16000) and not is_narrowband(wide, source_rate=11025)
    assert is_narrowband(wide, source_rate=8000) and is_narrowband(wide, source_rate=6000)
    config = AsrConfig()
    assert asr.vad_threshold_for(wide, config) == config.vad_threshold
    assert asr.vad_threshold_for(wide, config, source_rate=8000) == config.vad_threshold_narrowband
    off = AsrConfig(vad_threshold_narrowband=None)
    assert asr.vad_threshold_for(wide, off, source_rate=8000) == off.vad_threshold

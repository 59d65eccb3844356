"""Round 23 (drift): the 30 s chunks Whisper wrote without punctuation are decoded again with a punctuated prompt.

The setting, and one real-model test on a development clip (skipped when the model or the clip is missing). Since
round 24 the second decoding happens inside the batched pass, from the same encoder output; its model-free tests are
in ``test_r24_drift2.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio.asr import asr_params
from sessionscope.config import AsrConfig, Config


# -- configuration --------------------------------------------------------------------------------------------
def test_repunctuate_is_a_validated_setting_that_keys_the_cache_only_when_on() -> None:
    on = Config.model_validate({"asr": {"repunctuate": True}}).asr
    assert asr_params(on)["repunctuate"] == 2 and "repunctuate" not in asr_params(AsrConfig(repunctuate=False))
    with pytest.raises(Exception, match="repunctuate"):
        Config.model_validate({"asr": {"repunctuate": "sometimes"}})
    assert "repunctuate" in AsrConfig.model_fields and AsrConfig.model_fields["repunctuate"].description


# -- one real decoding ----------------------------------------------------------------------------------------
def _dev00(tmp: Path) -> Path:
    """libri-dev dev_r19/dev00, built here from the shared LibriSpeech voices exactly as
    `librispeech_conversations.py --split dev --perturb 0.9 1.1 --seed 20261219 --triples 4` writes it."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from librispeech_conversations import conversations, write_wav

    uri, _, mix, _, _ = next(conversations("dev", seed=20261219, perturb=[0.9, 1.1], triples=4))
    assert uri == "dev00"
    write_wav(tmp / "dev00.wav", mix)
    return tmp / "dev00.wav"


def test_a_real_drift_chunk_comes_back_punctuated_with_its_words(tmp_path: Path, shared_data: Path) -> None:
    """libri-dev dev_r19/dev00 (development): Whisper writes its third chunk without punctuation."""
    assert (shared_data / "librispeech-voices").is_dir()
    clip = _dev00(tmp_path)
    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio

    try:
        x = load_audio(clip).mono.astype(np.float32)
        r = transcribe(x, config=AsrConfig(repunctuate=True))
    except Exception as e:  # noqa: BLE001 - no embedded model in this checkout
        if "model" in str(e).lower():
            pytest.skip(f"no Whisper model: {e}")
        raise
    redone = [s for s in r.segments if "repunctuated" in s.flags]
    assert redone and all(any(m in s.text for m in ".?!") for s in redone)
    assert all(61.0 <= w.start and w.end <= 69.5 for s in redone for w in s.words)
    assert sum(len(s.words) for s in r.segments) >= 158  # the first pass's word count on this clip

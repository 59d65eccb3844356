"""Decoding audio and video files into 16 kHz float samples, with clear errors.

PyAV (shipped with faster-whisper, its own FFmpeg inside) reads wav, flac, mp3, m4a,
ogg/opus, webm, mp4, mkv, mov and more without a system ffmpeg. Channels are kept, so
recordings with one person per channel (phone and call recordings) can be diarized by
channel; the mono mix is what ASR and diarization use otherwise.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from sessionscope.errors import AudioError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".webm", ".mp4", ".mkv",
                  ".mov", ".wma", ".avi")
MIN_DURATION_S = 0.5


@dataclass(frozen=True)
class Audio:
    """Decoded audio: ``channels`` is (n_channels, n_samples) float32 at 16 kHz."""

    channels: np.ndarray
    source: str
    sample_rate: int = SAMPLE_RATE
    expected_s: float | None = None  # duration the container announced
    damaged: bool = False
    source_rate: int | None = None  # the audio stream's own sample rate, before the resampling to 16 kHz

    @property
    def truncated(self) -> bool:
        """The file ended early or had undecodable parts (a note goes into data quality)."""
        return self.damaged or (self.expected_s is not None and self.duration_s < 0.95 * self.expected_s - 0.1)

    @property
    def mono(self) -> np.ndarray:
        """The channel mix (a view when there is one channel)."""
        if self.channels.shape[0] == 1:
            return self.channels[0]
        return self.channels.mean(axis=0, dtype=np.float32)

    @property
    def duration_s(self) -> float:
        return self.channels.shape[1] / self.sample_rate

    @property
    def n_channels(self) -> int:
        return int(self.channels.shape[0])


def _wav_announced_s(path: str | Path) -> Optional[float]:
    """The length a PCM WAV header announces (its data chunk size), or ``None`` (not a readable PCM WAV header).

    A WAV cut off while it was being copied or recorded keeps the header of the whole file; FFmpeg measures
    it by the bytes present, so without this the cut goes unnoticed."""
    import wave

    try:
        with wave.open(str(path), "rb") as w:
            rate, frames, width = w.getframerate(), w.getnframes(), w.getsampwidth() * w.getnchannels()
    except (wave.Error, EOFError, OSError, ValueError):
        return None
    if rate <= 0 or frames <= 0 or frames * width >= 0xFFFFFFFF - width:
        return None  # a streamed WAV writes 0 or 0xFFFFFFFF: no announced length
    return frames / rate


def load_audio(path: str | Path, *, max_channels: int = 8) -> Audio:
    """Decode ``path`` to 16 kHz float32, every channel kept (up to ``max_channels``).

    Raises:
        AudioError: empty, truncated, corrupt or non-audio files, videos without an
            audio track, codecs this FFmpeg build cannot decode, clips too short to use.
    """
    import av

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise AudioError(f"cannot read file: {e.strerror or e}", path=path) from e
    if size == 0:
        raise AudioError("the file is empty (0 bytes)", path=path)
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as e:
        raise AudioError(f"not a readable audio or video file ({_why(e)}); supported: {', '.join(AUDIO_SUFFIXES)}",
                         path=path) from e
    with container:
        streams = container.streams.audio
        if not streams:
            kinds = ", ".join(sorted({s.type for s in container.streams})) or "nothing"
            raise AudioError(f"the file has no audio track (it contains {kinds})", path=path)
        stream = streams[0]
        ctx = stream.codec_context
        if ctx is None or not getattr(ctx, "name", None):
            tag = getattr(stream, "codec_tag", None) or "unknown"
            raise AudioError(f"unsupported audio codec (tag {tag!r}); this FFmpeg build cannot decode it; convert the "
                             "file to wav, flac, mp3, m4a or opus", path=path)
        expected = None
        if stream.duration is not None and stream.time_base is not None:
            expected = float(stream.duration * stream.time_base)
        elif container.duration:
            expected = container.duration / 1_000_000
        announced = _wav_announced_s(path)  # FFmpeg measures a WAV by its bytes, not by what its header announces
        if announced is not None and (expected is None or announced > expected):
            expected = announced
        source_rate = int(ctx.sample_rate or 0) or None
        n_ch = max(1, min(int(stream.codec_context.channels or 1), max_channels))
        layout = {1: "mono", 2: "stereo"}.get(n_ch, f"{n_ch}c")
        try:
            resampler = av.AudioResampler(format="fltp", layout=layout if n_ch <= 2 else None, rate=SAMPLE_RATE)
        except (ValueError, av.error.FFmpegError):
            resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)
        # at most ~1 GB preallocated whatever the header claims; the buffer grows if the estimate is short
        buf = _Growing(max_channels, min(int((expected or 0.0) * SAMPLE_RATE) + SAMPLE_RATE, 250_000_000 // n_ch))
        errors = 0
        try:
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    buf.append(out.to_ndarray())
            for out in resampler.resample(None):
                buf.append(out.to_ndarray())
        except av.error.DecoderNotFoundError as e:
            raise AudioError(f"unsupported audio codec {stream.codec_context.name!r}: {_why(e)}", path=path) from e
        except (av.error.InvalidDataError, av.error.EOFError) as e:
            # a truncated file: keep what decoded, unless nothing did
            errors += 1
            log.warning("%s: audio stream is damaged (%s); using the part that decoded", path, _why(e))
        except av.error.FFmpegError as e:
            raise AudioError(f"cannot decode the audio track ({_why(e)})", path=path) from e
    if not buf.n:
        raise AudioError("no audio could be decoded (corrupt or truncated file"
                         + (")" if errors else ", or an unsupported codec)"), path=path)
    audio = Audio(channels=buf.data(), source=str(path), expected_s=expected, damaged=bool(errors),
                  source_rate=source_rate)
    if audio.duration_s < MIN_DURATION_S:
        if audio.truncated:  # the container announced more: the file is cut, not a short recording
            of_announced = f" of the {audio.expected_s:.1f} s its header announces" if audio.expected_s else ""
            raise AudioError(f"the file looks truncated or damaged: only {audio.duration_s:.2f} s of audio could be "
                             f"decoded{of_announced} (at least {MIN_DURATION_S} s needed)", path=path)
        raise AudioError(f"the recording is too short to transcribe ({audio.duration_s:.2f} s; at least "
                         f"{MIN_DURATION_S} s needed)", path=path)
    return audio


class _Growing:
    """Decoded frames written into one preallocated float32 array (sized from the announced duration,
    grown by half when short): a 2-hour recording needs its 460 MB once, not once in frames and once
    concatenated."""

    def __init__(self, max_channels: int, capacity: int) -> None:
        self.max_channels, self.capacity = max_channels, max(capacity, SAMPLE_RATE)
        self.buf = np.zeros((0, 0), dtype=np.float32)
        self.n = 0

    def append(self, block: np.ndarray) -> None:
        m = block.shape[1]
        if not self.n and not self.buf.size:  # channels as the resampler delivers them
            self.buf = np.zeros((min(block.shape[0], self.max_channels), max(self.capacity, m)), dtype=np.float32)
        if self.n + m > self.buf.shape[1]:
            grown = np.zeros((self.buf.shape[0], max(self.n + m, self.buf.shape[1] * 3 // 2)), dtype=np.float32)
            grown[:, :self.n] = self.buf[:, :self.n]
            self.buf = grown
        self.buf[:, self.n:self.n + m] = block[: self.buf.shape[0]]
        self.n += m

    def data(self) -> np.ndarray:
        """The decoded samples (n_channels, n); a copy only when the estimate was far too large."""
        if self.n < self.buf.shape[1] * 0.9:
            return self.buf[:, :self.n].copy()
        return self.buf[:, :self.n]


@functools.lru_cache(maxsize=1)
def _libc() -> Optional[ctypes.CDLL]:
    try:
        lib = ctypes.CDLL("libc.so.6")
        return lib if hasattr(lib, "malloc_trim") else None
    except OSError:  # not glibc (macOS, Windows, musl): nothing to do
        return None


def trim_heap() -> None:
    """Give the heap memory freed so far back to the system (glibc ``malloc_trim``; a no-op elsewhere).

    Torch and oneDNN free many differently sized buffers (CAM++ on batches of many lengths):
    glibc kept them, and a 30-minute run's RSS grew by 0.9 GB during the embeddings (linear in
    the duration: 2 hours would pass 4 GB). Called between batches, it keeps the RSS at one
    batch's worth; it changes no number.
    """
    lib = _libc()
    if lib is not None:
        lib.malloc_trim(0)


#: glibc's malloc thresholds while a recording is transcribed (:func:`keep_freed_memory`): blocks up to this size come
#: from the heap instead of a fresh mapping each time, and freed memory stays mapped up to the trim threshold.
#: 256 MB / 1 GB saved more CPU (-7 s per 5 minutes) but the peak grew with the length (+441 MB at 30 minutes);
#: 64 MB / 128 MB kept the 30-minute peak where it was (round 18, dspeed)
MMAP_THRESHOLD = 64 << 20
TRIM_THRESHOLD = 128 << 20
MALLOC_ENV = "SESSIONSCOPE_MALLOC_TUNE"


@functools.lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Let glibc reuse freed memory instead of unmapping it and faulting it in again (a no-op elsewhere, or with
    ``SESSIONSCOPE_MALLOC_TUNE=0``). True when the thresholds were set.

    Past glibc's dynamic mmap threshold (at most 32 MB), every large buffer is mapped fresh and unmapped when freed,
    and freed memory at the top of the heap goes back at once: the transcription's and the networks' buffers of
    each batch were faulted in page by page again (≈ 3.3 million minor faults and ≈ 14 s of system CPU in one
    5-minute `run`). With the thresholds raised most stay mapped between batches (−0.4 million faults, −2 s of
    system CPU per 5 minutes); :func:`trim_heap` still hands everything back between the diarization's batches
    (docs/benchmarks/audio.md, round 18 dspeed). It changes no number. The same opt-out also stops the console
    script's start-again with huge pages for malloc (:mod:`sessionscope.cli.hugepages`, round 27).
    """
    import os

    if os.environ.get(MALLOC_ENV, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    lib = _libc()
    if lib is None or not hasattr(lib, "mallopt"):
        return False
    ok = bool(lib.mallopt(-3, MMAP_THRESHOLD)) and bool(lib.mallopt(-1, TRIM_THRESHOLD))  # M_MMAP_, M_TRIM_THRESHOLD
    log.debug("malloc thresholds %s", "raised" if ok else "left as they are")
    return ok


def _why(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def speech_level(samples: np.ndarray) -> float:
    """Peak RMS (dBFS) over 100 ms frames: below about -60 dBFS a file is silence."""
    hop = SAMPLE_RATE // 10
    n = len(samples) // hop
    if n == 0:
        return -120.0
    frames = samples[: n * hop].reshape(n, hop)
    peak = 0.0
    for a in range(0, n, 6000):  # 10-minute blocks: no float64 copy of a whole long recording
        block = frames[a:a + 6000]
        peak = max(peak, float(np.sqrt(np.einsum("ij,ij->i", block, block, dtype=np.float64) / hop).max()))
    return float(20 * np.log10(max(peak, 1e-6)))


#: :func:`high_band_db` below this = narrowband (telephone) audio. Round 19 (docs/benchmarks/audio.md, "narrowband"):
#: 8 kHz telephone recordings -56.6 to -71.8 dB (AMR-NB / mu-law simulations; the real telephone call of
#: pyannote's sample -71.5 dB), every wideband file we have -9 to -44 dB (read speech, AMI far-field, Opus,
#: laptop microphones, TTS examples)
NARROWBAND_DB = -55.0


def high_band_db(samples: np.ndarray, *, frame: int = 512, hop: int = 2048) -> float:
    """Energy of 4.3-7.8 kHz against 0.1-3.8 kHz (dB) in the loudest 30 % of ``frame``-sample frames taken
    every ``hop`` samples (0.13 s at 16 kHz: a 2-hour file costs about 0.6 CPU s).

    Audio that passed a telephone line (300-3400 Hz, sampled at 8 kHz) and was decoded to 16 kHz has no
    energy above 4 kHz: -57 dB and lower; speech recorded wideband -9 to -44 dB. 0.0 when the file is
    too short to tell.
    """
    n = len(samples)
    if n < frame * 4:
        return 0.0
    starts = np.arange(0, n - frame, hop)
    window = np.hanning(frame)
    freqs = np.fft.rfftfreq(frame, 1 / SAMPLE_RATE)
    low_bins, high_bins = (freqs >= 100) & (freqs < 3800), (freqs >= 4300) & (freqs < 7800)
    bands = np.empty((len(starts), 3))  # per frame: total, low band, high band energy
    for a in range(0, len(starts), 4096):  # blocks of 4096 frames: a few MB whatever the length
        idx = starts[a:a + 4096]
        power = np.abs(np.fft.rfft(samples[idx[:, None] + np.arange(frame)].astype(np.float64) * window, axis=1)) ** 2
        bands[a:a + len(idx)] = np.stack([power.sum(axis=1), power[:, low_bins].sum(axis=1),
                                          power[:, high_bins].sum(axis=1)], axis=1)
    loud = bands[bands[:, 0] >= np.quantile(bands[:, 0], 0.7)]
    low, high = float(loud[:, 1].sum()), float(loud[:, 2].sum())
    if low <= 0.0:
        return 0.0  # digital silence: nothing to tell
    return float(10 * np.log10(max(high / low, 1e-12)))


def is_narrowband(samples: np.ndarray, *, source_rate: int | None = None) -> bool:
    """True for telephone-band audio: stored at 8 kHz or less (``source_rate``, the file's own sample rate: nothing
    above 4 kHz by definition), or with nothing above 4 kHz (:func:`high_band_db` < :data:`NARROWBAND_DB`).

    The sample rate settles what the energy cannot always: flat line noise through mu-law, resampled from 8 to
    16 kHz, leaks to -50 dB above 4.3 kHz (round 20, ``benchmarks/narrowband_noise_r20.py``).
    """
    if source_rate is not None and 0 < source_rate <= 8000:
        return True
    return high_band_db(samples) < NARROWBAND_DB


#: RMS level (0.05 = -26 dBFS) and block length (s) of :func:`vad_level`: those of the diarization's own VAD
VAD_RMS = 0.05
VAD_LEVEL_BLOCK_S = 600.0


def level_block(chunk: np.ndarray, *, rms: float = VAD_RMS) -> Optional[np.ndarray]:
    """``chunk`` brought to ``rms`` RMS for a Silero VAD (float32, clipped to ±1); ``None`` for digital
    silence (RMS under 1e-4): nothing to find, and no noise floor to amplify.

    Silero misses quiet far-field speech (AMI's far-field mix is around -41 dBFS): both the
    transcription's VAD (:func:`vad_level`) and the diarization's own see their audio this way.
    """
    level = float(np.sqrt(np.mean(np.square(chunk, dtype=np.float64)))) if len(chunk) else 0.0
    if level < 1e-4:
        return None
    return np.clip(chunk * np.float32(rms / level), -1.0, 1.0).astype(np.float32, copy=False)


def vad_level(samples: np.ndarray, *, rms: float = VAD_RMS, block_s: float = VAD_LEVEL_BLOCK_S) -> np.ndarray:
    """A copy of ``samples`` for a Silero VAD: each ``block_s`` block through :func:`level_block`
    (digital silence left as it is). The copy is float32; ``samples`` is untouched.
    """
    out = np.array(samples, dtype=np.float32, copy=True)
    block = max(1, int(block_s * SAMPLE_RATE))
    for off in range(0, len(out), block):
        levelled = level_block(out[off: off + block], rms=rms)
        if levelled is not None:
            out[off: off + block] = levelled
    return out

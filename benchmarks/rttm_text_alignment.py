"""How often ``read_transcript(rttm, text_path=...)`` gives text to the right speaker.

    .venv/bin/python benchmarks/rttm_text_alignment.py

Combining a transcript without speakers (e.g. faster-whisper output) with a diarization
(RTTM) gives each text unit to the RTTM turn it overlaps most. Here the text units are
the lines of the human STM transcripts in ../shared/data (SBCSAE SBC001, SBC009,
SBC044: spontaneous conversation with much overlap; the pyannote sample) and the RTTM is
the reference diarization of the same recording, re-aligned separately, so the two
disagree on boundaries as real ASR and diarization do. A line counts as correct when the
turn it lands in belongs to the line's own speaker; figures are per line and per word.
Segment-level units are the hard case: with word times (faster-whisper ``word_timestamps``)
each word is placed on its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CASES = [
    ("SBC001", DATA / "sbcsae-text-refs/SBC001.rttm", DATA / "sbcsae-text-refs/SBC001.stm", {}),
    ("SBC009", DATA / "sbcsae-text-refs/SBC009.rttm", DATA / "sbcsae-text-refs/SBC009.stm", {}),
    ("SBC044", DATA / "sbcsae-text-refs/SBC044.rttm", DATA / "sbcsae-text-refs/SBC044.stm", {}),
    # the sample's RTTM uses anonymous labels; who is who was checked by listening/reading
    ("pyannote sample", DATA / "pyannote-sample/sample.rttm", DATA / "pyannote-sample/sample.stm",
     {"speaker90": "Diane", "speaker91": "Sheila"}),
]


def evaluate(rttm: Path, stm: Path, names: dict[str, str]) -> tuple[int, int, int, int]:
    """(lines, correct lines, words, correct words)."""
    from sessionscope.io._common import read_text
    from sessionscope.io.rttm import attach_words, parse_rttm
    from sessionscope.io.stm import parse_stm
    from sessionscope.model import Word

    turns = parse_rttm(read_text(rttm), path=rttm)[0].records
    lines = [r for r in parse_stm(read_text(stm), path=stm)[0].records if r.text]
    units = [(None, Word(text=str(i), start=r.start, end=r.end)) for i, r in enumerate(lines)]
    out = attach_words(turns, units)
    got: dict[int, str] = {}
    for t in out:
        for w in t.words:
            got[int(w.text)] = names.get(t.label or "", t.label or "")
    n_ok = sum(1 for i, r in enumerate(lines) if got.get(i) == r.label)
    words = [len(r.text.split()) for r in lines]
    w_ok = sum(w for i, (r, w) in enumerate(zip(lines, words, strict=True)) if got.get(i) == r.label)
    return len(lines), n_ok, sum(words), w_ok


def main() -> int:
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    print("| recording | lines | lines to the right speaker | words | words to the right speaker |")
    print("|---|---:|---:|---:|---:|")
    for label, rttm, stm, names in CASES:
        n, n_ok, w, w_ok = evaluate(rttm, stm, names)
        print(f"| {label} | {n:,} | {n_ok / n:.1%} | {w:,} | {w_ok / w:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

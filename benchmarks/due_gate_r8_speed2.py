"""A proposed faster due-date search, checked against the repository's: same answers, CPU seconds (issue 11, round 8).

Usage (from the repository root)::

    python benchmarks/due_gate_r8_speed2.py --proposed /tmp/prop/src/sessionscope/analysis/extract/dates.py \
        --out benchmarks/results/due_gate_r8_speed2.json

``--proposed`` is a copy of ``src/sessionscope/analysis/extract/dates.py`` with a change to its search
(round 8: the rules that cannot match a text without a Cyrillic letter are skipped for ASCII text). Both
modules' unmemoised ``_find_due`` run on the same texts: the sentences of the 60-minute AMI transcript of
``analyze_speed.py`` (split as the extraction stage splits them; ``sentences``), then the dialogue acts of
the first 60 AMI meetings and every line of the bundled examples (``corpus``: English and Russian). Every
answer is compared (due text, character span, resolved date against a fixed session date) and each side is
timed in alternation (CPU seconds, best of ``--reps``). Nothing is chosen here: the answers must be equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _key(due):
    return None if due is None else (due.text, due.char_start, due.char_end, due.date)


def _texts() -> dict[str, list[str]]:
    import analyze_speed as A
    import topics_ami as T
    from sessionscope.io import read_transcript
    from sessionscope.language.nlp import split_sentences

    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "meeting60.stm"
        A.build_stm(stm)
        session = read_transcript(stm)
    sents = list(dict.fromkeys(s for u in session.utterances for s, _, _ in split_sentences(u.text)))
    acts = T.load_acts()
    corpus = [a["text"] for m in sorted(acts)[:60] for a in acts[m]]
    for f in sorted((ROOT / "examples").rglob("*")):
        if f.is_file() and f.suffix in (".txt", ".vtt", ".srt", ".json", ".stm", ".md", ".yaml", ".csv"):
            corpus += f.read_text(encoding="utf-8", errors="ignore").splitlines()
    return {"sentences": sents, "corpus": list(dict.fromkeys(corpus))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--proposed", required=True, help="the changed dates.py")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "due_gate_r8_speed2.json"))
    args = ap.parse_args(argv)
    if not (ROOT.parent / "shared" / "data" / "ami-annotations").is_dir():
        print("AMI annotations not found; skipping", file=sys.stderr)
        return 0
    base = _load(ROOT / "src" / "sessionscope" / "analysis" / "extract" / "dates.py", "dates_repository")
    prop = _load(Path(args.proposed), "dates_proposed")
    day = dt.date(2026, 12, 2)
    result: dict = {"command": "python benchmarks/due_gate_r8_speed2.py " + " ".join(sys.argv[1:]),
                    "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                             text=True).stdout.strip(),
                    "proposed": args.proposed, "session_date": str(day), "sets": {}}
    for name, texts in _texts().items():
        cpu: dict[str, list[float]] = {"repository": [], "proposed": []}
        for _ in range(args.reps):  # alternating, so both meet the same load
            for side, mod in (("repository", base), ("proposed", prop)):
                t = time.process_time()
                for x in texts:
                    mod._find_due.__wrapped__(x, day, 7)
                cpu[side].append(round(time.process_time() - t, 3))
        differing = [x for x in texts if _key(base._find_due.__wrapped__(x, day, 7)) != _key(prop._find_due.__wrapped__(x, day, 7))]
        result["sets"][name] = {
            "texts": len(texts), "non_ascii": sum(not x.isascii() for x in texts),
            "with_due": sum(base._find_due.__wrapped__(x, day, 7) is not None for x in texts),
            "differing": len(differing), "differing_examples": differing[:10],
            "cpu_s": cpu, "best_cpu_s": {k: min(v) for k, v in cpu.items()},
        }
        print(name, json.dumps(result["sets"][name]), file=sys.stderr, flush=True)
    result["identical"] = all(s["differing"] == 0 for s in result["sets"].values())
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(json.dumps({k: v for k, v in result.items() if k != "sets"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

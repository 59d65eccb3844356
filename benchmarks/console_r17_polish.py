"""Round 17, helper "polish": what `sessionscope analyze` prints and names on the bundled examples, before and after.

For each console width, runs (text stages: dynamics only, model-free, in a temporary folder)::

    sessionscope analyze examples/*/reference.stm --manifest examples/manifest.yaml --stages dynamics

and counts (1) the summary's header words and session ids that are not printed whole (broken across lines), (2)
the sessions whose output folder is the manifest's session id. Run it on another checkout's code with
``PYTHONPATH=<checkout>/src`` (e.g. the round's start worktree) for the "before" figure.

    .venv/bin/python benchmarks/console_r17_polish.py --out benchmarks/results/r17_polish_console.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("session", "status", "participants", "duration", "largest", "questions", "interruptions")


def _commit() -> str:
    """The commit of the checkout whose code runs (``PYTHONPATH`` may point at another worktree than this one)."""
    import sessionscope

    where = Path(sessionscope.__file__).parent
    try:
        return subprocess.run(["git", "-C", str(where), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def one(columns: int) -> dict[str, object]:
    import sessionscope

    stms = sorted(str(p) for p in (ROOT / "examples").glob("*/reference.stm"))
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "out"
        env = {**os.environ, "COLUMNS": str(columns)}
        cmd = [sys.executable, "-c", "from sessionscope.cli import cli; cli()", "analyze", *stms, "--manifest",
               str(ROOT / "examples" / "manifest.yaml"), "--stages", "dynamics", "--out", str(out), "--no-progress"]
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=d)
        folders = sorted(p.name for p in out.iterdir() if p.is_dir()) if out.is_dir() else []
    text = r.stdout
    expected = ["en_session", "ru_session"]
    checked = [*WORDS, *folders]  # the header words and the session ids as written

    def whole(w: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text) is not None

    def cut(w: str) -> bool:  # a piece of the word that ends a cell or a line: "participa │", "ru_sessio │"
        return any(re.search(rf"(?<![\w-]){re.escape(w[:k])}[ ]*(?:│|┃|$)", text, re.M) for k in range(3, len(w)))

    return {"columns": columns, "exit_code": r.returncode, "sessionscope": str(Path(sessionscope.__file__).parent),
            "words_checked": checked, "words_broken": sorted(w for w in checked if not whole(w) and cut(w)),
            "output_folders": folders, "named_by_manifest_id": sum(f in expected for f in folders),
            "n_sessions": len(stms), "stdout": text}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--label", default="after")
    args = ap.parse_args()
    runs = [one(c) for c in (80, 120)]
    data = {"label": args.label, "commit": _commit(), "data": "examples/*/reference.stm (bundled, scripted)",
            "command": " ".join(["PYTHONPATH=" + os.environ.get("PYTHONPATH", ""), sys.executable, *sys.argv]),
            "runs": runs}
    old = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    old[args.label] = data
    args.out.write_text(json.dumps(old, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for run in runs:
        print(args.label, run["columns"], "broken:", run["words_broken"], "named:", run["named_by_manifest_id"],
              "/", run["n_sessions"])


if __name__ == "__main__":
    main()

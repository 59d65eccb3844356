"""Round 45 (issue 10): the guide's checklist items on asking, on real two-person talk, before and after questions of
courtesy and arranging the next meeting were left out of them (:func:`sessionscope.analysis.questions.social_question`).

Usage (repository root)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r45_checklist_real.py read --out <scratch dir>/ck_before.json
    python benchmarks/r45_checklist_real.py read --out <scratch dir>/ck_after.json
    python benchmarks/r45_checklist_real.py compare --before <scratch dir>/ck_before.json \\
        --after <scratch dir>/ck_after.json --out benchmarks/results/r45_checklist_real.json

``read`` analyses the real two-person transcripts of the shared data (SBCSAE SBC001, SBC009, SBC044; the pyannote
sample's reference) text-only with the default stages, the first speaker as the junior and the second as the senior
(as round 26's audit read SBC009), and records per file the two checklist items "The junior came with questions" and
"Both asked and both advised" (status, value, measure) and the questions the current code calls courtesy or
scheduling (none where the code has no such reading). No labelled calls exist: this says whether the change moves
anything on real pairs, not whether it is right.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILES = ("sbcsae-text-refs/SBC001.stm", "sbcsae-text-refs/SBC009.stm", "sbcsae-text-refs/SBC044.stm",
         "pyannote-sample/sample.stm")
ITEMS = ("junior_questions", "both_ways")


def read(out: Path) -> dict:
    import sessionscope
    from sessionscope import api
    from sessionscope.report.checklist import session_checklist

    try:
        from sessionscope.analysis.questions import social_question
    except ImportError:  # the code before round 45 has no such reading
        def social_question(text: str) -> bool:
            return False

    if not DATA.is_dir():
        sys.exit(f"no shared data at {DATA}: nothing to read")
    files: dict[str, dict] = {}
    for rel in FILES:
        s = api.analyze(DATA / rel)
        roles = dict(zip((p.name or p.id for p in s.participants), ("junior", "senior", "other", "other"), strict=False))
        s = api.analyze(s, participants=roles)
        row = {f"item:{i.item}": {"status": i.status, "value": i.value, "measure": i.measure}
               for i in session_checklist(s).items if i.item in ITEMS}
        row["social_questions"] = {"texts": [q.text for q in s.questions if social_question(q.text)]}
        row["questions"] = {"n": len(s.questions)}
        files[rel] = row
    res = {"command": f"python benchmarks/r45_checklist_real.py read --out {out.name}", "commit": commit(),
           "sessionscope": str(Path(sessionscope.__file__).resolve().relative_to(Path.cwd()))
           if Path(sessionscope.__file__).resolve().is_relative_to(Path.cwd()) else "<before tree>",
           "files": files}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(files, indent=1, ensure_ascii=False))
    return res


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r45_checklist_real.py", unit="value",
                         files="SBCSAE SBC001, SBC009, SBC044 and the pyannote sample, text-only, junior = first speaker")


if __name__ == "__main__":
    cli(__doc__, read, compare)

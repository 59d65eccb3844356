"""Round 37 (issue 10): a task accepted in a word ("Sure, I will.", «Да, подготовлю.») takes its words from the
request just before it ("Could you prepare a short guide for my team?") — what changes.

Usage (repository root; about 6 minutes on 2 cores each)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r37_accepted.py items --out <scratch dir>/r37_acc_before.json
    python benchmarks/r37_accepted.py items --out <scratch dir>/r37_acc_after.json
    python benchmarks/r37_accepted.py compare --before <scratch dir>/r37_acc_before.json \\
        --after <scratch dir>/r37_acc_after.json --out benchmarks/results/r37_accepted.json

``items`` runs the whole extraction stage (``ExtractionStage()(session)``) on every held-out train meeting of MRDA and
AMI (never the dev split) and on the real transcripts nobody here wrote (the Zoom class, SBCSAE SBC001, SBC009,
SBC044) and lists every action item (utterance, the sentence, owner, task, due expression, confidence, to check) with
the utterance before it. ``compare`` lists every item whose row differs, with both rows, and counts the items: the
change may alter task phrases and due expressions only, never which acts are items (a different count would come
from duplicate tasks merged differently).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli  # noqa: E402
from dialogue_acts import CORPORA, DATA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

REAL = {"zoom": DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording.transcript.vtt",
        **{s: DATA / "sbcsae-text-refs" / f"{s}.stm" for s in ("SBC001", "SBC009", "SBC044")}}
#: the bundled examples' reference transcripts, read beside :data:`REAL` by later rounds
EXAMPLES = {f"examples/{name}": ROOT / "examples" / name / "reference.stm" for name in ("en_session", "ru_session")}


def session_rows(stage, session) -> dict[str, list]:  # noqa: ANN001
    out = stage(session)
    utts = list(out.utterances)
    pos = {u.id: k for k, u in enumerate(utts)}
    rows = {}
    for a in out.action_items:
        k = pos[a.utterance_id]
        u = utts[k]
        said = u.text[a.char_start:a.char_end] if a.char_start is not None and a.char_end is not None else u.text
        rows[f"{a.utterance_id}:{a.char_start}"] = {
            "said": said, "before": utts[k - 1].text if k else None, "owner": a.owner, "task": a.task,
            "due_text": a.due_text, "confidence": a.confidence, "to_check": a.to_check}
    return rows


def code_commit(package: Path) -> str:
    """The commit of the code read: the checkout ``package`` lies in (a ``git worktree`` of the base commit for a
    "before" read; round 41: the repository's own HEAD was recorded instead), else this repository's."""
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(package), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return commit()


def read_real(out: Path, command: str, per_session: Callable[[Any, Any], dict],
              more: Optional[dict[str, Path]] = None) -> None:
    """Write ``{"command", "commit", "sessionscope", "files"}``: ``per_session(stage, session)`` of the extraction
    stage on every held-out train meeting of MRDA and AMI (never dev), then on :data:`REAL` and ``more`` (name ->
    transcript), in the code version on ``PYTHONPATH`` (rounds 37–40's before/after reads)."""
    import sessionscope
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.api import read_transcript

    stage = ExtractionStage()
    files: dict[str, dict] = {}
    for corpus in CORPORA:
        for m, acts in sorted(meetings(corpus, "heldout").items()):
            files[f"{corpus}/{m}"] = per_session(stage, session_of(m, acts))
    for name, path in {**REAL, **(more or {})}.items():
        files[name] = per_session(stage, read_transcript(path))
    res = {"command": command, "commit": code_commit(Path(sessionscope.__file__).resolve().parent),
           "sessionscope": str(Path(sessionscope.__file__).resolve()), "files": files}
    out.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


def items(out: Path) -> None:
    read_real(out, "python benchmarks/r37_accepted.py items", session_rows)


def compare(before: Path, after: Path, out: Path) -> dict:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    changed = []
    counts = {"files": 0, "items_before": 0, "items_after": 0, "same_acts": 0, "changed": 0}
    for f, y in a["files"].items():
        x = b["files"][f]
        counts["files"] += 1
        counts["items_before"] += len(x)
        counts["items_after"] += len(y)
        counts["same_acts"] += len(set(x) & set(y))
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                changed.append({"file": f, "item": key, "before": x.get(key), "after": y.get(key)})
    counts["changed"] = len(changed)
    res = {"command": f"python benchmarks/r37_accepted.py compare --before {before.name} --after {after.name} "
                      f"--out {out}",
           "date": dt.date.today().isoformat(), "before": {"commit": b["commit"], "sessionscope": b["sessionscope"]},
           "after": {"commit": a["commit"], "sessionscope": a["sessionscope"]},
           "files": "held-out train meetings of MRDA and AMI; the Zoom class, SBC001, SBC009, SBC044", **counts,
           "rows": changed}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def main() -> None:
    cli(__doc__, items, compare, read_cmd="items")


if __name__ == "__main__":
    main()

"""Round 37 (issue 10): a meeting tool's display name with a comma or a bar ("Ivanov, Boris: …", "Boris Ivanov |
Acme Corp: …", Teams' "Ivanov, Boris   0:03") is read as the speaker's name — what changes on real files.

Usage (repository root; seconds)::

    PYTHONPATH=<worktree of the round's base commit>/src python benchmarks/r37_display_names.py read \\
        --out <scratch dir>/r37_names_before.json
    python benchmarks/r37_display_names.py read --out <scratch dir>/r37_names_after.json
    python benchmarks/r37_display_names.py compare --before <scratch dir>/r37_names_before.json \\
        --after <scratch dir>/r37_names_after.json --out benchmarks/results/r37_display_names.json

``read`` reads every transcript file of ``../shared/data`` that ``read_transcript`` takes (the Zoom class's three
files, SBCSAE, QMSum, the pyannote sample, the AMI and Russian text files) and lists each file's utterances as
(speaker, text); ``compare`` counts the files and utterances whose speaker or text differ, and lists them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli  # noqa: E402
from dialogue_acts import DATA  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_EXT = {".vtt", ".srt", ".stm", ".txt", ".json", ".csv", ".tsv", ".docx"}


def read(out: Path) -> None:
    import sessionscope
    from sessionscope.errors import InputError
    from sessionscope.io import read_transcript

    res: dict = {"commit": commit(),
                 "sessionscope": str(Path(sessionscope.__file__).resolve()), "files": {}}
    for f in sorted(DATA.rglob("*")):
        if f.suffix.lower() not in _EXT or f.name.upper().startswith(("README", "SOURCE")) or not f.is_file():
            continue
        key = str(f.relative_to(DATA))
        try:
            s = read_transcript(f)
        except InputError as exc:
            res["files"][key] = {"error": str(exc).split(":")[-1].strip()[:120]}
            continue
        res["files"][key] = {"utterances": [[u.speaker, u.text] for u in s.utterances]}
    out.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


def compare(before: Path, after: Path, out: Path) -> dict:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    rows, utts, changed_files = [], 0, 0
    for f, y in a["files"].items():
        x = b["files"].get(f)
        utts += len(y.get("utterances", []))
        if x != y:
            changed_files += 1
            rows.append({"file": f, "before": x, "after": y})
    res = {"command": f"python benchmarks/r37_display_names.py compare --before {before.name} --after {after.name} "
                      f"--out {out}", "date": dt.date.today().isoformat(),
           "before": {"commit": b["commit"], "sessionscope": b["sessionscope"]},
           "after": {"commit": a["commit"], "sessionscope": a["sessionscope"]},
           "files": len(a["files"]), "read": sum(1 for y in a["files"].values() if "utterances" in y),
           "utterances": utts, "files_changed": changed_files, "rows": rows}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def main() -> None:
    cli(__doc__, read, compare)


if __name__ == "__main__":
    main()

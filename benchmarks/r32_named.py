"""Round 32 (issue 10): participants called or named in a group own its task and receive its advice — what changes.

Usage (from the repository root; ~6 min on 2 cores each)::

    python benchmarks/r32_named.py calls --out benchmarks/results/r32_named_calls.json \
        --session-files <scratch dir>/{ES2004d,SBC044,education_13,ES2002d}/session.json   # realtalk_gold_r13.py run
    # in a worktree of the round's base commit (before) and at the change (after):
    PYTHONPATH=<worktree>/src python benchmarks/r32_named.py items --out <scratch dir>/r32_named_before.json
    python benchmarks/r32_named.py items --out <scratch dir>/r32_named_after.json
    python benchmarks/r32_named.py compare --before <scratch dir>/r32_named_before.json \\
        --after <scratch dir>/r32_named_after.json --out benchmarks/results/r32_named.json

``items`` runs the whole extraction stage (``ExtractionStage()(session)``: heads, rules, assignment step, the
real-talk check) on

* every held-out train meeting of MRDA and AMI (``dialogue_acts.meetings(c, "heldout")``; speakers are labels, so a
  name can never be called: the change must leave every item as it was), and
* the real transcripts with named participants that no blind gold covers: the Zoom class (five named people),
  SBCSAE SBC001 (three) and SBC009 (two).

and lists every recommendation (giver, receiver) and action item (owner, owners, confidence, to_check) with its
utterance and text. ``calls`` lists every sentence of the real transcripts (those three and the blind-gold files as a
run wrote them) that calls a participant by name, with whom, for reading. ``compare`` counts the items that differ between two such runs, per file, and lists them (the
texts of the corpora's items are left out of the result; the real transcripts' are kept for reading). No dev
meeting is read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, DATA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402

REAL = {"zoom": DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording.transcript.vtt",
        "SBC001": DATA / "sbcsae-text-refs" / "SBC001.stm", "SBC009": DATA / "sbcsae-text-refs" / "SBC009.stm"}


def _commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def session_items(stage, session) -> list[list]:
    """Every recommendation and action item the stage lists on ``session``, as plain rows."""
    out = stage(session)
    text = {u.id: u.text for u in out.utterances}
    rows: list[list] = []
    for r in out.recommendations:
        rows.append(["recommendation", r.utterance_id, r.text, r.giver, r.receiver, None, r.confidence, r.to_check])
    for a in out.action_items:
        said = text[a.utterance_id][a.char_start:a.char_end] if a.char_start is not None and a.char_end is not None else a.task
        rows.append(["action", a.utterance_id, said, a.owner, list(a.owners), a.task, a.confidence, a.to_check])
    return rows


def items(out: Path) -> dict:
    import sessionscope
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.api import read_transcript

    stage = ExtractionStage()
    res: dict = {"command": "python benchmarks/r32_named.py items", "commit": _commit(),
                 "sessionscope": str(Path(sessionscope.__file__).resolve()), "files": {}}
    for corpus in CORPORA:
        for m, acts in sorted(meetings(corpus, "heldout").items()):
            res["files"][f"{corpus}/{m}"] = session_items(stage, session_of(m, acts))
            print(corpus, m, len(res["files"][f"{corpus}/{m}"]), flush=True)
    for name, path in REAL.items():
        res["files"][name] = session_items(stage, read_transcript(path))
        print(name, len(res["files"][name]), flush=True)
    out.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
    return res


def calls(out: Path, session_files: list[Path]) -> dict:
    """Every sentence of the real transcripts that calls a participant by name (``addressee.call``), with whom."""
    from sessionscope.analysis.extract.addressee import call
    from sessionscope.analysis.extract.bare import parse_utterances
    from sessionscope.api import load, read_transcript

    sessions = {name: read_transcript(path) for name, path in REAL.items()}
    sessions.update({f.parent.name: load(f) for f in session_files})
    given = ",".join(f.parent.name for f in session_files)
    res: dict = {"command": f"python benchmarks/r32_named.py calls --out {out} --session-files "
                            f"<scratch dir>/{{{given}}}/session.json  (realtalk_gold_r13.py run's output)",
                 "commit": _commit(), "date": dt.date.today().isoformat(), "files": {}}
    for name, s in sessions.items():
        rows = []
        if len(s.participants) > 2:
            parsed = parse_utterances([u.text for u in s.utterances], language=s.language or "en")
            for u, sents in zip(s.utterances, parsed, strict=True):
                for sent in sents:
                    called, after = call(sent.tokens, s, u.speaker)
                    if called:
                        rows.append({"utterance": u.id, "speaker": u.speaker, "sentence": sent.text, "called": list(called),
                                     "at_start": after > 0})
        res["files"][name] = {"participants": [[p.id, p.name] for p in s.participants], "utterances": len(s.utterances),
                              "calls": rows}
        print(name, len(s.participants), len(rows), flush=True)
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def compare(before: Path, after: Path, out: Path) -> dict:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    per_file: dict = {}
    for f in a["files"]:
        x, y = b["files"][f], a["files"][f]
        gone = [r for r in x if r not in y]
        new = [r for r in y if r not in x]
        real = f in REAL
        per_file[f] = {"items_before": len(x), "items_after": len(y), "changed_before": len(gone), "changed_after": len(new)}
        if real and (gone or new):
            per_file[f]["before"], per_file[f]["after"] = gone, new
    def total(pred) -> dict:
        fs = [v for f, v in per_file.items() if pred(f)]
        return {k: sum(v[k] for v in fs) for k in ("items_before", "items_after", "changed_before", "changed_after")} | {"files": len(fs)}
    res = {"command": f"python benchmarks/r32_named.py compare --before {before.name} --after {after.name} --out {out}",
           "date": dt.date.today().isoformat(), "before": {"commit": b["commit"], "sessionscope": b["sessionscope"]},
           "after": {"commit": a["commit"], "sessionscope": a["sessionscope"]},
           "rows": "[kind, utterance, text, giver|owner, receiver|owners, task, confidence, to_check]",
           "heldout_train_meetings": total(lambda f: "/" in f), "real_named": total(lambda f: f in REAL),
           "per_file": per_file}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=("items", "compare", "calls"))
    ap.add_argument("--session-files", type=Path, nargs="*", default=[],
                    help="calls: session.json files of other real transcripts (a run's output)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--before", type=Path)
    ap.add_argument("--after", type=Path)
    args = ap.parse_args()
    if args.cmd == "items":
        items(args.out)
    elif args.cmd == "calls":
        calls(args.out, args.session_files)
    else:
        res = compare(args.before, args.after, args.out)
        print(json.dumps({k: res[k] for k in ("heldout_train_meetings", "real_named")}, indent=1))


if __name__ == "__main__":
    main()

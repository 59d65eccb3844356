"""Round 11 (lead): the in-meeting mark's "later" guard (a habit or a venue after this meeting is a task), measured.

Compares ``actions.in_meeting`` of a given commit (default: the commit before the guard, 6252cc5) with the
working tree's on (1) the train + held-out train meetings' acts (MRDA, AMI; dev never read), with the speaker's
own frame and with anyone's, counting marked acts, gold ``^cc`` / ``off`` and acts linked to a human action
item; (2) the action items of the audited development transcripts (the actions helper's dump); (3) written
probes. Usage::

    python benchmarks/in_meeting_later_r11_lead.py --out benchmarks/results/in_meeting_later_r11_lead.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

PROBES = [
    ("en", "I'll present the results at the conference.", False),
    ("en", "I'll take notes in every meeting from now on.", False),
    ("en", "I'll make a note to call the client.", False),
    ("ru", "Я буду показывать отчёт на каждой встрече.", False),
    ("ru", "Я покажу это на совещании.", False),
    ("en", "I'll make a note of that.", True),
    ("en", "I'll share my screen.", True),
    ("en", "Let me show you the next slide.", True),
    ("ru", "Сейчас покажу экран.", True),
]


def _old_rule(commit: str):  # noqa: ANN202 - a module's function
    text = subprocess.run(["git", "show", f"{commit}:src/sessionscope/analysis/extract/actions.py"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "actions_old.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("sessionscope.analysis.extract._actions_old", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod.in_meeting


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", default="6252cc5")
    ap.add_argument("--dump", type=Path, default=None,
                    help="the audited development transcripts' action items as JSON lines (in_meeting_r11_actions.py's "
                         "dump of an audit_real_talk.py run; round 11 used /tmp/r11/actions/dump_after.jsonl); "
                         "without it part (2) is left out and the output says so")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    from dialogue_acts import load_acts
    from sessionscope.analysis.extract.actions import in_meeting

    old = _old_rule(args.before)
    out: dict = {"command": "python benchmarks/in_meeting_later_r11_lead.py " + " ".join(argv or sys.argv[1:]),
                 "before": args.before, "split": "train + held-out train meetings (acts); dev never read", "acts": {}}
    for corpus in ("ami", "mrda"):
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout")]
        for anyone in (False, True):
            o = [a for a in acts if old(a.text, anyone=anyone)]
            n = [a for a in acts if in_meeting(a.text, anyone=anyone)]
            out["acts"][f"{corpus}_{'anyone' if anyone else 'own'}"] = {
                "marked": [len(o), len(n)], "gold": [sum(bool(a.action) for a in o), sum(bool(a.action) for a in n)],
                "linked": [sum(bool(a.action_link) for a in o), sum(bool(a.action_link) for a in n)],
                "no_longer_marked": [a.text for a in o if not in_meeting(a.text, anyone=anyone)]}
    if args.dump is None or not args.dump.exists():
        out["audited_items"] = {"skipped": f"no dump given or found ({args.dump})"}
    else:
        rows = [json.loads(x) for x in args.dump.read_text(encoding="utf-8").splitlines() if x.strip()]
        out["audited_items"] = {"items": len(rows), "changed": [r["sentence"] for r in rows
                                                                if old(r["sentence"]) != in_meeting(r["sentence"])]}
    out["probes"] = [{"language": lg, "text": t, "move": want, "before": old(t, lg), "after": in_meeting(t, lg)}
                     for lg, t, want in PROBES]
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text[:3000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 35: can the real-talk check's training rows be rebuilt with today's code, and are its ``wrong_owner`` action
labels stale?

Usage (from the repository root; about a minute on 2 cores)::

    python benchmarks/r35_check_rows_probe.py --work /tmp/r35/chk --out benchmarks/results/r35_check_rows_probe.json

The 34 files the bundled check was trained on (its ``meta["files"]``) are analysed by the current code with the check
off (``extraction.item_check: null``, as the training runs were made), through ``audit_real_talk.prepare``'s manifest.
The labels of rounds 6-15 (``realtalk_check_r14_advcheck.labels_all`` and round 15's) are joined to the listed items by
the training's own key (``realtalk_check_r13_realtalk.rows``). For each action item labelled ``wrong_owner`` (the task
was right, its owner was not, when it was labelled), the current item's owner(s), the speaker and the utterance are
listed with the lead's reading of today's owner (``READING``: right / partly right / wrong, made by reading each
utterance against the meeting's roles; not a blind label).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import audit_real_talk as art  # noqa: E402
import realtalk_check_r13_realtalk as r13  # noqa: E402
import realtalk_check_r14_advcheck as r14  # noqa: E402
import realtalk_check_r15_lab as r15  # noqa: E402
from dialogue_acts import write_result  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

#: the lead's reading of each wrong_owner item's owner as today's code gives it (key prefix "session|utterance")
READING = {
    "Bro003|": "wrong (no task: travel talk; owner none, six owners)",
    "ES2003c|": "wrong (\"you're gonna look at product evaluation\": the minutes give it to the marketing expert)",
    "ES2006a|marketing-speaker": "wrong (the marketing expert's own \"I'm gonna be doing…\" given to the user interface designer)",
    "ES2006a|pm": "partly right (\"for you it's the user requirements specification\" → marketing is right; the first "
                  "clause's technical functions design is the industrial designer's)",
    "ES2010c|": "partly right (\"the I_D_ and U_I_D_, you two…\": only the industrial designer)",
    "IS1005b|": "wrong (no task: leaving for lunch)",
    "IS1005c|": "wrong (\"the Industrial Manager uh will uh will work on…\": no owner)",
    "TS3007b|": "wrong (\"you will all receive…\" given to marketing)",
    "TS3009a|": "wrong (\"our user interface you can…\" given to the industrial designer)",
    "TS3011b|": "right (\"I will put the minutes…\" → the project manager)",
}


def reading(sid: str, speaker: str) -> str:
    if sid == "ES2006a":
        return READING["ES2006a|marketing-speaker" if speaker == "marketing" else "ES2006a|pm"]
    return READING.get(f"{sid}|", "not read")


def analyse_without_check(work: Path, tag: str, *, reuse: bool = False) -> list[str]:
    """The files the bundled check was trained on (its ``meta["files"]``), analysed by the current code with the check
    off (``extraction.item_check: null``) into ``work/tag``; returns the files. ``reuse``: a run already there (every
    file's ``session.json``) is taken as it is."""
    from sessionscope.analysis.extract.check import bundled_item_check

    check = bundled_item_check()
    assert check is not None, "the bundled check is missing"
    files = list(check.meta["files"])
    if reuse and all((work / tag / f / "session.json").exists() for f in files):
        return files
    manifest = art.prepare(work)
    blocks = manifest.read_text(encoding="utf-8").split("\n- id: ")
    sub = work / f"manifest_{tag}.yaml"
    sub.write_text("\n- id: ".join([blocks[0]] + [b for b in blocks[1:] if b.split("\n", 1)[0] in files]), encoding="utf-8")
    cfg = work / "nocheck.yaml"
    cfg.write_text("extraction:\n  item_check: null\n", encoding="utf-8")
    subprocess.run([str(Path(sys.executable).with_name("sessionscope")), "analyze", "--manifest", str(sub), "--out",
                    str(work / tag), "--force", "--no-progress", "--format", "markdown", "--config", str(cfg)],
                   check=True, stdout=subprocess.DEVNULL)
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--tag", default="cur35")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.check import bundled_item_check
    from sessionscope.model.serialize import read_session_json

    files = analyse_without_check(args.work, args.tag)
    labs = {**r14.labels_all(), **r15.new_labels()}
    rows = r13.rows(args.work, args.tag, tuple(files), labs)
    meta = bundled_item_check().meta
    out: dict = {"command": f"python benchmarks/r35_check_rows_probe.py --work {args.work} --out {args.out}",
                 "commit": commit(), "files": len(files),
                 "rows": {kind: {"listed_now": sum(r["kind"] == kind for r in rows),
                                 "labelled_join_now": sum(r["kind"] == kind and r["label"] is not None for r in rows),
                                 "right_now": sum(r["kind"] == kind and r["right"] for r in rows),
                                 "trained_on": meta["rows"][kind], "right_trained": meta["right"][kind]}
                          for kind in ("recommendation", "action")},
                 "wrong_owner": []}
    for r in rows:
        if r["kind"] != "action" or labs.get(r["key"]) != "wrong_owner":
            continue
        s = read_session_json(args.work / args.tag / r["session"] / "session.json")
        uid = r["key"].split("|")[2]
        a = next(x for x in s.action_items if x.utterance_id == uid)
        u = next(x for x in s.utterances if x.id == uid)
        out["wrong_owner"].append({"session": r["session"], "utterance_id": uid, "method": a.method, "owner": a.owner,
                                   "owners": list(a.owners), "speaker": u.speaker, "heads_confidence": a.confidence,
                                   "task": a.task, "utterance": u.text[:300], "lead_reading": reading(r["session"], u.speaker)})
    write_result(out, args.out)
    print(out["rows"], len(out["wrong_owner"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

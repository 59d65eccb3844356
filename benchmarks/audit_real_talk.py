"""A new user's audit of the extraction on real talk nobody tuned on (issue 10, round 6).

Usage (from the repository root)::

    python benchmarks/audit_real_talk.py prepare --work /tmp/s6/audit      # inputs + manifest
    python benchmarks/audit_real_talk.py run --work /tmp/s6/audit --tag before
    python benchmarks/audit_real_talk.py run --work /tmp/s7/audit --tag base7 --without-informal   # round 7's "before"
    python benchmarks/audit_real_talk.py dump --work /tmp/s6/audit --tag before > review.txt
    python benchmarks/audit_real_talk.py count --work /tmp/s6/audit --tag before \\
        --labels benchmarks/results/audit_real_talk_r6_audit_labels.json

``prepare`` writes a manifest for the conversations (SBCSAE STM files, the Zoom transcript,
an AMI meeting from QMSum as ``Role: text`` lines) with a fixed session date, so that due
dates can resolve. ``run`` analyses them with the CLI exactly as a user would (all default
stages). ``dump`` lists every recommendation, action item and question with its context, for
hand labelling. ``count`` joins the hand labels (one per item: ``ok`` or an error category)
to what the run produced and counts errors by category and file.

The labels are a small hand-labelled audit (one labeller, the ``audit`` helper), not a
gold standard: an item that is new after a change and has no label is counted ``unlabelled``.
Nothing is read from the shared data beyond the transcripts; nothing is written into it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SESSION_DATE = "2026-11-24"  # a Tuesday: "by Friday" -> 2026-11-27, "next week" -> 2026-12-04

_AMI_ROLES = [("Project Manager", []), ("Marketing", []), ("User Interface", []), ("Industrial Designer", [])]
# id -> (source path or None when prepared, participants (name, aliases))
SESSIONS: dict[str, dict] = {
    "SBC001": {"src": "sbcsae-text-refs/SBC001.stm",
               "people": [("Lynne", ["0003_LYNNE"]), ("Doris", ["0002_DORIS"]), ("Lenore", ["0001_LENORE"])]},
    "SBC009": {"src": "sbcsae-text-refs/SBC009.stm",
               "people": [("Kathy", ["0025_KATHY"]), ("Nathan", ["0026_NATHAN"])]},
    # kept aside: counted only once, at the end, after the fixes
    "SBC044": {"src": "sbcsae-text-refs/SBC044.stm",
               "people": [("Lajuan", ["0152_LAJUAN"]), ("Cam", ["0151_CAM"])]},
    "ZOOM": {"src": "zoom-vtt-class-meeting/GMT20240124-202901_Recording.transcript.vtt",
             "people": [("Conor Healy", []), ("Srijani Ghosh", []), ("Shreeharsh Kelkar", []),
                        ("Dr. Melissa Ko", []), ("Ryan Sloan", [])]},
    "TS3003a": {"qmsum": "qmsum-topics-queries/TS3003a.json",
                "people": [("Project Manager", []), ("Marketing", []), ("User Interface", []),
                           ("Industrial Designer", [])]},
    # round 7 (informal): a Welsh Parliament committee hearing from QMSum nobody had audited, counted once at the end
    "education_13": {"qmsum": "qmsum-topics-queries/education_13.json",
                     "people": [("Barry Hughes", []), ("Suzy Davies AM", []), ("Sian Gwenllian AM", []),
                                ("Lynne Neagle AM", []), ("Dawn Bowden AM", []), ("Vikki Howells AM", []),
                                ("Janet Finch-Saunders AM", [])]},
    # round 8 (recs): QMSum transcripts nobody had audited. Designed on: TS3007b, ES2014b (AMI train meetings);
    # kept for one count at the end: ES2004c (AMI test partition, in no training data) and Bed003 (ICSI; an
    # MRDA dev meeting, so not used for choosing)
    **{m: {"qmsum": f"qmsum-topics-queries/{m}.json", "people": _AMI_ROLES} for m in ("TS3007b", "ES2014b", "ES2004c")},
    "Bed003": {"qmsum": "qmsum-topics-queries/Bed003.json",
               "people": [("Grad A", []), ("Grad B", []), ("Grad C", []), ("Grad D", [])]},
    # round 9 (recs): two AMI test-partition meetings from QMSum never audited, held aside and counted once at the end
    **{m: {"qmsum": f"qmsum-topics-queries/{m}.json", "people": _AMI_ROLES} for m in ("TS3011b", "ES2004b")},
    # round 10 (actions): an AMI test-partition meeting from QMSum never audited, counted once at the end
    "ES2004a": {"qmsum": "qmsum-topics-queries/ES2004a.json", "people": _AMI_ROLES},
    # round 12 (audit): an AMI test-partition meeting from QMSum never audited, counted once at the end (before / after)
    "ES2004d": {"qmsum": "qmsum-topics-queries/ES2004d.json", "people": _AMI_ROLES},
}
# round 13 (realtalk): AMI held-out train meetings (never used to train the heads; their acts only chose thresholds) as
# ``Role: text`` turns built from the AMI dialogue acts, for more labelled action items (the task check's training rows)
AMI_ACTS_ROLES = {"PM": "Project Manager", "ME": "Marketing", "UI": "User Interface", "ID": "Industrial Designer"}
R13_AMI = ("ES2003b", "ES2006a", "ES2010c", "ES2013b", "IS1003c", "IS1005b", "TS3005d", "TS3010a",
           "ES2003c", "ES2009a", "ES2012a", "ES2014d", "IS1005c", "IS1007b", "TS3009a", "TS3011d")
SESSIONS.update({m: {"ami_acts": m, "people": _AMI_ROLES} for m in R13_AMI})
# round 14 (advcheck): MRDA (ICSI) held-out train meetings (never used to train the heads; not in the dialogue-act dev
# split) as ``speaker: text`` turns built from the MRDA dialogue acts, for labelled recommendations of another kind of talk
# than the AMI scenario meetings; participants are the speaker ids found in the acts (``prepare``)
R14_MRDA = ("Bns003", "Bro013")
SESSIONS.update({m: {"mrda_acts": m, "people": []} for m in R14_MRDA})
# round 15 (lab): the other MRDA held-out train meetings (Bns001, Bro003, Bsr001, Btr002) and the two MRDA meetings in no
# split (``unassigned`` in meetings.csv: Bmr013, Bmr018); no head was trained or chosen on them (never dev), built as R14_MRDA
R15_MRDA = ("Bns001", "Bro003", "Bsr001", "Btr002", "Bmr013", "Bmr018")
SESSIONS.update({m: {"mrda_acts": m, "people": []} for m in R15_MRDA})
HELD_ASIDE = ("SBC044", "education_13", "ES2004c", "Bed003", "TS3011b", "ES2004b", "ES2004a", "ES2004d")
CATEGORIES = {  # the labels used; "ok" = a correct item
    "recommendation": {
        "not_advice_description": "describes how something is or works (often a generic 'you'), no advice to the other",
        "not_advice_story_or_quote": "part of a story or someone's quoted words",
        "not_advice_question": "a question or part of one",
        "not_advice_backchannel_or_social": "floor-handling, thinking aloud, a reply token",
        "not_advice_reading_aloud": "an agenda title or text read out",
        "fragment": "a clause cut from its sentence (a lone 'if…' condition, a continuation)",
        "self_directed": "the speaker talking themselves through their own step",
        "meeting_talk": "about running the meeting itself",
        "request_not_advice": "a favour asked ('pass me the tea')",
        "should_be_action": "a task given or agreed: should be an action item",
    },
    "action": {
        "meeting_talk": "about running the meeting itself (introductions, the pen, the agenda)",
        "immediate_move": "something done right now in the session, not a task for later",
        "not_a_commitment": "a description, a plan of the moment or a possibility",
        "story_or_quote": "inside a story or someone's quoted thought",
        "question_as_task": "a question turned into an assignment",
        "wrong_owner": "the task is right but the owner is wrong or missing",
    },
    "action_task": {"task_standalone": "the task phrase stands on its own", "task_not_standalone": "it does not"},
    "question": {
        "not_a_question": "a tag ('you know?', 'see?'), rhetorical or read-out text",
        "reported_or_quoted": "a reported or quoted question",
        "answered_wrong": "credited as answered by a sound mark, a gap or an empty line",
    },
}


def ami_turns(meeting: str) -> str:
    """One AMI meeting's dialogue acts as ``Role: text`` lines, consecutive acts of one speaker joined into a turn."""
    import gzip

    turns: list[list[str]] = []
    with gzip.open(DATA / "ami-annotations" / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as fh:
        acts = [r for r in map(json.loads, fh) if r["meeting"] == meeting and (r["text"] or "").strip()]
    for r in sorted(acts, key=lambda r: (r["start"] if r["start"] is not None else 0.0)):
        role = AMI_ACTS_ROLES.get(r.get("role") or "", r["speaker"])
        if turns and turns[-1][0] == role:
            turns[-1].append(r["text"].strip())
        else:
            turns.append([role, r["text"].strip()])
    return "".join(f"{t[0]}: {' '.join(t[1:])}\n" for t in turns)


def mrda_turns(meeting: str) -> tuple[str, list[str]]:
    """One MRDA meeting's dialogue acts as ``speaker: text`` lines (a speaker's consecutive acts joined) and its speakers."""
    import gzip

    with gzip.open(DATA / "mrda-dialogue-acts" / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as fh:
        acts = [r for r in map(json.loads, fh) if r["meeting"] == meeting and (r["text"] or "").strip()]
    turns: list[list[str]] = []
    for r in sorted(acts, key=lambda r: (r["start"] if r["start"] is not None else 0.0)):
        if turns and turns[-1][0] == r["speaker"]:
            turns[-1].append(r["text"].strip())
        else:
            turns.append([r["speaker"], r["text"].strip()])
    return "".join(f"{t[0]}: {' '.join(t[1:])}\n" for t in turns), sorted({t[0] for t in turns})


def prepare(work: Path) -> Path:
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    lines = ["sessions:"]
    for sid, spec in SESSIONS.items():
        if "ami_acts" in spec:
            path = inputs / f"{sid}.txt"
            path.write_text(ami_turns(spec["ami_acts"]), encoding="utf-8")
        elif "mrda_acts" in spec:
            path = inputs / f"{sid}.txt"
            text, speakers = mrda_turns(spec["mrda_acts"])
            path.write_text(text, encoding="utf-8")
            spec = {**spec, "people": [(spk, []) for spk in speakers]}
        elif "qmsum" in spec:
            turns = json.loads((DATA / spec["qmsum"]).read_text(encoding="utf-8"))["meeting_transcripts"]
            path = inputs / f"{sid}.txt"
            path.write_text("".join(f"{t['speaker']}: {t['content']}\n" for t in turns), encoding="utf-8")
        else:
            path = DATA / spec["src"]
        lines += [f"- id: {sid}", f"  date: '{SESSION_DATE}'", "  language: en", f"  transcript: {path}",
                  "  participants:"]
        for name, aliases in spec["people"]:
            lines.append(f"  - name: {json.dumps(name)}")
            lines.append("    role: other")
            if aliases:
                lines.append(f"    aliases: {json.dumps(aliases)}")
    manifest = work / "manifest.yaml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


# the CLI with the round-7 informal-talk drop switched off (``run --without-informal``: that change's "before")
_WITHOUT_INFORMAL = ("import sys; import sessionscope.analysis.extract.stage as st; "
                     "st.informal_context = lambda *a, **k: {}; from sessionscope.cli import main; "
                     "sys.argv[0] = 'sessionscope'; sys.exit(main())")


# the CLI with the round-8 own-side drop set to a variant of recs_error_analysis.OWN_SIDE_VARIANTS (``run --own-side V``)
_OWN_SIDE = ("import sys; sys.path.insert(0, {bench!r}); from recs_error_analysis import patch_own_side; "
             "patch_own_side({variant!r}); from sessionscope.cli import main; sys.argv[0] = 'sessionscope'; sys.exit(main())")


def run(work: Path, tag: str, sessions: list[str], *, without_informal: bool = False, own_side: str | None = None,
        config: Path | None = None) -> None:
    manifest = prepare(work)
    exe = [sys.executable, "-c", _WITHOUT_INFORMAL] if without_informal else [str(Path(sys.executable).with_name("sessionscope"))]
    if own_side is not None:
        exe = [sys.executable, "-c", _OWN_SIDE.format(bench=str(ROOT / "benchmarks"), variant=own_side)]
    out = work / tag
    # with --manifest and no paths every session's transcript is analysed; pick by writing a sub-manifest
    text = manifest.read_text(encoding="utf-8").split("\n- id: ")
    keep = [text[0]] + [b for b in text[1:] if b.split("\n", 1)[0] in sessions]
    sub = work / f"manifest_{tag}.yaml"
    sub.write_text("\n- id: ".join(keep), encoding="utf-8")
    subprocess.run([*exe, "analyze", "--manifest", str(sub), "--out", str(out), "--force", "--no-progress",
                    "--format", "markdown", *(["--config", str(config)] if config else [])], check=True)


def _context(utts: list[dict], uid: str, before: int = 2, after: int = 2, width: int = 240) -> list[str]:
    idx = {u["id"]: i for i, u in enumerate(utts)}
    i = idx.get(uid)
    if i is None:
        return []
    out = []
    for j in range(max(0, i - before), min(len(utts), i + after + 1)):
        u = utts[j]
        text = u["text"] if len(u["text"]) <= width else u["text"][:width] + " …"
        out.append(f"{'>>' if j == i else '  '} {u['id']} {u['speaker']}: {text}")
    return out


def items(session: dict) -> list[dict]:
    """Every recommendation, action item and question of one session, flattened with a stable key."""
    sid = session["id"]
    out = []
    for r in session.get("recommendations") or []:
        out.append({"key": f"{sid}|recommendation|{r['utterance_id']}|{r['text'][:60]}", "kind": "recommendation",
                    "utterance_id": r["utterance_id"], "text": r["text"], "giver": r.get("giver"),
                    "receiver": r.get("receiver"), "confidence": r.get("confidence"), "method": r.get("method")})
    for a in session.get("action_items") or []:
        out.append({"key": f"{sid}|action|{a['utterance_id']}|{a['task'][:60]}", "kind": "action",
                    "utterance_id": a["utterance_id"], "text": a.get("text"), "task": a["task"], "owner": a.get("owner"),
                    "owners": a.get("owners"), "due_text": a.get("due_text"), "due_date": a.get("due_date"),
                    "confidence": a.get("confidence"), "method": a.get("method")})
    for q in session.get("questions") or []:
        out.append({"key": f"{sid}|question|{q['utterance_id']}|{q['text'][:60]}", "kind": "question",
                    "utterance_id": q["utterance_id"], "text": q["text"], "asker": q.get("asker"),
                    "addressee": q.get("addressee"), "answered": q.get("answered"),
                    "answer_utterance_id": q.get("answer_utterance_id"), "confidence": q.get("confidence")})
    return out


def load(work: Path, tag: str, sid: str) -> dict:
    return json.loads((work / tag / sid / "session.json").read_text(encoding="utf-8"))


def dump(work: Path, tag: str, sessions: list[str], kinds: list[str]) -> None:
    for sid in sessions:
        s = load(work, tag, sid)
        utts = s["utterances"]
        by_id = {u["id"]: u for u in utts}
        print(f"##### {sid}: {len(s.get('recommendations') or [])} recs, {len(s.get('action_items') or [])} actions, "
              f"{len(s.get('questions') or [])} questions")
        for it in items(s):
            if it["kind"] not in kinds:
                continue
            print(f"\n[{it['key']}]")
            print("   " + json.dumps({k: v for k, v in it.items() if k not in ("key", "text")}, ensure_ascii=False))
            print("   TEXT: " + (it.get("text") or ""))
            for line in _context(utts, it["utterance_id"]):
                print("   " + line)
            if it["kind"] == "question" and it.get("answer_utterance_id") in by_id:
                a = by_id[it["answer_utterance_id"]]
                print(f"   ANSWER {a['id']} {a['speaker']}: {a['text']}")


def count(work: Path, tag: str, sessions: list[str], labels: dict[str, str],
          task_labels: dict[str, str] | None = None) -> dict:
    """Items per kind and label (``task_labels``: a second label per action item on its task phrase, as ``action_task``)."""
    per: dict[str, dict] = {}
    for sid in sessions:
        s = load(work, tag, sid)
        rows: dict[str, dict[str, int]] = {}
        for it in items(s):
            lab = labels.get(it["key"], "unlabelled")
            d = rows.setdefault(it["kind"], {})
            d[lab] = d.get(lab, 0) + 1
            if it["kind"] == "action" and task_labels is not None:
                d = rows.setdefault("action_task", {})
                lab = task_labels.get(it["key"], "unlabelled")
                d[lab] = d.get(lab, 0) + 1
        per[sid] = rows
    total: dict[str, dict[str, int]] = {}
    for rows in per.values():
        for kind, d in rows.items():
            t = total.setdefault(kind, {})
            for lab, n in d.items():
                t[lab] = t.get(lab, 0) + n
    precision = {k: round((d.get("ok", 0) + d.get("task_standalone", 0)) / sum(v for lab, v in d.items() if lab != "unlabelled"), 3)
                 if sum(v for lab, v in d.items() if lab != "unlabelled") else None for k, d in total.items()}
    return {"per_session": per, "total": total, "share_ok_of_labelled": precision}


def turns_report(work: Path, tags: list[str], sessions: list[str]) -> dict:
    """Per session and tag: turns (changes of floor) and backchannels per participant, and utterances without words (sound marks only, or empty)."""
    import re

    marks = re.compile(r"^\s*(\{[^{}]*\}|\[[^\[\]]*\]|<[^<>]*>|[\s.,])*\s*$")
    out: dict = {}
    for sid in sessions:
        row: dict = {}
        for tag in tags:
            s = load(work, tag, sid)
            row[tag] = {p: {"turns": v.get("turns"), "backchannels": v.get("backchannels")}
                        for p, v in s["metrics"]["participants"].items()}
            row["utterances_without_words"] = sum(1 for u in s["utterances"] if marks.match(u["text"] or ""))
        out[sid] = row
    return out


BINS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def label_files(paths: list[Path]) -> dict[str, str]:
    """Item key -> label from result JSONs (``labels`` per tag, as ``report`` writes) or label JSONs (``labels``)."""
    out: dict[str, str] = {}
    for p in paths:
        doc = json.loads(p.read_text(encoding="utf-8"))
        labs = doc.get("labels", {})
        if labs and all(isinstance(v, dict) for v in labs.values()):  # a report: {tag: {"labels": {...}}}
            for v in labs.values():
                out.update(v.get("labels", {}))
        else:
            out.update(labs)
    return out


def confidence_table(work: Path, tag: str, sessions: list[str], labels: dict[str, str]) -> dict:
    """Right rate of the labelled recommendations per confidence bin, and the right / total at and above each cut."""
    rows = []
    for sid in sessions:
        for it in items(load(work, tag, sid)):
            if it["kind"] == "recommendation" and it["key"] in labels and it["confidence"] is not None:
                rows.append((sid, it["confidence"], labels[it["key"]] == "ok"))
    bins = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        sel = [ok for _, c, ok in rows if lo <= c < hi]
        bins.append({"from": lo, "below": min(hi, 1.0), "items": len(sel), "ok": sum(sel),
                     "right_rate": round(sum(sel) / len(sel), 3) if sel else None})
    cuts = {}
    for cut in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        hi_ = [ok for _, c, ok in rows if c >= cut]
        lo_ = [ok for _, c, ok in rows if c < cut]
        cuts[str(cut)] = {"at_or_above": [sum(hi_), len(hi_)], "below": [sum(lo_), len(lo_)]}
    per_session = {sid: {"items": sum(1 for s, _, _ in rows if s == sid), "ok": sum(ok for s, _, ok in rows if s == sid)}
                   for sid in sessions}
    return {"items": len(rows), "ok": sum(ok for _, _, ok in rows), "bins": bins, "cuts": cuts, "per_session": per_session}


def emit(res: dict, out: Path | None, *, echo: bool = True) -> None:
    """Write a result JSON to ``out`` (when given) and print it (``echo``)."""
    text = json.dumps(res, indent=1, ensure_ascii=False)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    if echo:
        print(text)


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("prepare", "run", "dump", "count", "report", "confidence"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/s6/audit"))
    ap.add_argument("--tag", default="before")
    ap.add_argument("--sessions", default=",".join(s for s in SESSIONS if s not in HELD_ASIDE),
                    help="comma-separated session ids (default: all but the held-aside check)")
    ap.add_argument("--kinds", default="recommendation,action,question")
    ap.add_argument("--config", type=Path, help="run: a YAML config passed to analyze (e.g. another topic head)")
    ap.add_argument("--without-informal", action="store_true",
                    help="run: switch off the informal-talk drop (rules.informal_context), for a before/after count")
    ap.add_argument("--own-side", help="run: the own-side drop set to a variant of recs_error_analysis.OWN_SIDE_VARIANTS "
                    "(off, shipped, asked_any_length, long_run, shipped_no_habitual)")
    ap.add_argument("--labels", type=Path, help="JSON {item key: category} (count)")
    ap.add_argument("--label-files", default="", help="confidence, count: comma-separated label / report JSONs")
    ap.add_argument("--out", type=Path, help="result JSON (count, report)")
    ap.add_argument("--tags", default="before,after", help="report: the runs to compare (their labels: LABELS_DIR/labels_TAG.json)")
    ap.add_argument("--labels-dir", type=Path, help="report: folder of labels_TAG.json files")
    ap.add_argument("--aside", default=",".join(HELD_ASIDE), help="report: sessions counted apart (held aside)")
    args = ap.parse_args()
    sessions = [s for s in args.sessions.split(",") if s]
    if args.cmd == "prepare":
        print(prepare(args.work))
    elif args.cmd == "run":
        run(args.work, args.tag, sessions, without_informal=args.without_informal, own_side=args.own_side,
            config=args.config)
    elif args.cmd == "report":
        tags = args.tags.split(",")
        aside = [x for x in args.aside.split(",") if x]
        docs = {t: json.loads((args.labels_dir / f"labels_{t}.json").read_text(encoding="utf-8")) for t in tags}
        res = {"command": "python benchmarks/audit_real_talk.py " + " ".join(sys.argv[1:]), "commit": commit(),
               "date": dt.date.today().isoformat(), "session_date": SESSION_DATE,
               "labeller": docs[tags[0]].get("labeller"),
               "files": {s: SESSIONS[s].get("src") or SESSIONS[s].get("qmsum") for s in list(sessions) + aside},
               "categories": CATEGORIES, "audited": {}, "held_aside": {},
               "turns": turns_report(args.work, tags, list(sessions) + aside), "labels": {}}
        for t in tags:
            lab, task = docs[t].get("labels", {}), docs[t].get("task_not_standalone")
            res["audited"][t] = count(args.work, t, sessions, lab, task)
            if aside:
                res["held_aside"][t] = count(args.work, t, aside, lab, task)
            res["labels"][t] = {"labels": lab, "task_phrase": task}
        emit(res, args.out, echo=False)
        print(json.dumps({t: {"audited": res["audited"][t]["share_ok_of_labelled"],
                              "held_aside": res["held_aside"].get(t, {}).get("share_ok_of_labelled")} for t in tags}))
    elif args.cmd == "confidence":
        labels = label_files([Path(p) for p in args.label_files.split(",") if p])
        res = {"command": "python benchmarks/audit_real_talk.py " + " ".join(sys.argv[1:]), "commit": commit(),
               "date": dt.date.today().isoformat(), "tag": args.tag, "split": "audited real talk (design files)",
               "sessions": sessions, **confidence_table(args.work, args.tag, sessions, labels)}
        emit(res, args.out)
    elif args.cmd == "dump":
        dump(args.work, args.tag, sessions, args.kinds.split(","))
    else:
        doc = json.loads(args.labels.read_text(encoding="utf-8")) if args.labels else {}
        labels = doc.get("labels", doc)
        if args.label_files:  # several label / report JSONs (round 6, 7 and 8 labels together)
            labels = {**label_files([Path(p) for p in args.label_files.split(",") if p]), **labels}
        res = {"command": "python benchmarks/audit_real_talk.py " + " ".join(sys.argv[1:]), "commit": commit(),
               "date": dt.date.today().isoformat(), "tag": args.tag, "sessions": sessions,
               "files": {s: SESSIONS[s].get("src") or SESSIONS[s].get("qmsum") for s in sessions},
               "session_date": SESSION_DATE, "labeller": doc.get("labeller"),
               **count(args.work, args.tag, sessions, labels, doc.get("task_not_standalone"))}
        emit(res, args.out)


if __name__ == "__main__":
    main()

"""Round 59 (issue 10): discussion modes on real meeting talk against blind readers.

The checklist's "concrete cases, not general talk" item is the share of a session's work talk whose segments are in
the ``case`` or ``problem`` mode; the modes were measured on written windows and on AMI's weak mode gold only (section
0b of docs/benchmarks/topics.md). Here blind readers give the mode of real meeting windows the area readers of rounds
57 and 59 called work (``substantive``): AMI / ICSI train meetings, never dev, never round 12's audit files; the
instructions (``benchmarks/data/r59_mode_readers_instructions.md``) quote the taxonomy's mode descriptions.

Usage (repository root)::

    python benchmarks/r59_mode_readers.py sample       # .cache/r59_modes/reader_<n>.txt (the windows' ids and texts)
    # one helper per file, seeing only the instructions and its file → benchmarks/data/r59_mode_labels_<n>.jsonl
    python benchmarks/r59_mode_readers.py score --json benchmarks/results/r59_mode_readers.json
    python benchmarks/r59_mode_readers.py bias --json benchmarks/results/r59_mode_bias.json   # measured, not shipped
    # round 12's held-out audit (conversations, a class, a committee, AMI test meetings): its work windows
    python benchmarks/audit_real_talk.py run --work <scratch dir>/audit --tag r59b --sessions SBC001,…,TS3011b
    python benchmarks/r59_mode_readers.py audit-sample --work <scratch dir>/audit --tag r59b   # .cache/r59_modes_audit/
    python benchmarks/r59_mode_readers.py audit-score --work <scratch dir>/audit --tag r59b \\
        --json benchmarks/results/r59_mode_audit.json

``score``: each labelled window's meeting analysed whole by the topics stage (as shipped); a window's mode is the
majority by words of the modes over its utterances (a segment's ``mode_spans``, else its mode); strict = the readers'
mode, lenient = theirs or one they also accept; and what the checklist reads: ``case`` or ``problem`` against
``general`` or ``trend`` (agreement, and the share of windows each side calls concrete).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, write_result  # noqa: E402

WORK = ROOT / ".cache" / "r59_modes"
LABELS_DIR = ROOT / "benchmarks" / "data"
SEED = 5959
READERS = 7
CONCRETE = ("case", "problem")


def substantive_windows() -> list[dict]:
    """The area readers' work windows of rounds 57 and 59 (key rows with the reader's label), in key order."""
    import r57_area_readers as A
    import r59_area_readers2 as B

    out = []
    for key_path, labels in ((A.KEY, A.read_reader_labels()), (B.KEY, B.read_labels())):
        for r in json.loads(key_path.read_text(encoding="utf-8")):
            if labels.get(r["id"], {}).get("label") == "substantive":
                out.append(r)
    return out


def sample(args: argparse.Namespace) -> int:
    import r57_area_readers as A

    rows = substantive_windows()
    n = A.write_reader_files(rows, A.corpus_turns(), WORK, READERS, SEED)
    print(f"{len(rows)} windows → {n} reader files in {WORK}")
    return 0


def read_labels(ids: set[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(LABELS_DIR.glob("r59_mode_labels_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                if r["id"] not in ids and "m" + r["id"] in ids:  # an id copied without its first letter
                    r["id"] = "m" + r["id"]
                out[r["id"]] = r
    return out


def window_mode(session, topics, first: int, last: int, *, spans: bool = True) -> str:  # noqa: ANN001
    """The majority by words of the modes over utterances ``first..last``: a segment's mode spans (``spans``, what
    session.json and the timeline's mode changes say) or its leading mode (what the checklist counts)."""
    from sessionscope.text import spoken_tokens

    mode_of: dict[str, str] = {}
    for seg in topics.segments:
        for uid in seg.utterance_ids:
            mode_of[uid] = seg.mode
        for span in (seg.mode_spans or ()) if spans else ():
            for uid in span.utterance_ids:
                mode_of[uid] = span.mode
    words: Counter = Counter()
    for u in session.utterances[first:last + 1]:
        words[mode_of.get(u.id, "none")] += len(spoken_tokens(u.text))
    return max(words, key=lambda a: words[a]) if words else "none"


def _agreement(rows: list[dict]) -> dict:
    n = len(rows)
    strict = sum(r["got"] == r["mode"] for r in rows)
    lenient = sum(r["got"] == r["mode"] or r["got"] in r["also"] for r in rows)
    conc = sum((r["got"] in CONCRETE) == (r["mode"] in CONCRETE) for r in rows)
    return {"windows": n, "strict": round(strict / n, 4) if n else None, "lenient": round(lenient / n, 4) if n else None,
            "concrete_agreement": round(conc / n, 4) if n else None,
            "concrete_share_readers": round(sum(r["mode"] in CONCRETE for r in rows) / n, 4) if n else None,
            "concrete_share_tool": round(sum(r["got"] in CONCRETE for r in rows) / n, 4) if n else None,
            "readers": dict(Counter(r["mode"] for r in rows).most_common()),
            "tool": dict(Counter(r["got"] for r in rows).most_common()),
            "confusion": {f"{a}->{b}": c for (a, b), c in sorted(Counter((r["mode"], r["got"]) for r in rows).items())}}


def readers_agree() -> dict | None:
    """File 1 read twice (``r59_mode_labels_1.jsonl`` and ``r59_mode_second_1b.jsonl``): how far two readers agree."""
    a_path, b_path = LABELS_DIR / "r59_mode_labels_1.jsonl", LABELS_DIR / "r59_mode_second_1b.jsonl"
    if not (a_path.is_file() and b_path.is_file()):
        return None
    a, b = ({json.loads(x)["id"]: json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()}
            for p in (a_path, b_path))
    both = sorted(set(a) & set(b))
    n = len(both)
    same = sum(a[i]["mode"] == b[i]["mode"] for i in both)
    accept = sum(a[i]["mode"] == b[i]["mode"] or a[i]["mode"] in (b[i].get("also") or [])
                 or b[i]["mode"] in (a[i].get("also") or []) for i in both)
    conc = sum((a[i]["mode"] in CONCRETE) == (b[i]["mode"] in CONCRETE) for i in both)
    return {"windows": n, "same_mode": round(same / n, 4) if n else None,
            "one_accepts_the_other": round(accept / n, 4) if n else None,
            "concrete_agreement": round(conc / n, 4) if n else None}


def checklist_decisions(rows: list[dict], threshold: float = 0.2) -> dict:
    """Per meeting, over its labelled windows: is the share of concrete (case / problem) windows at least the checklist's
    ``checklist_min_case_share`` (0.2) by the readers and by the segments' modes (what the checklist reads)?"""
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["id"].split("#")[0], []).append(r)
    met = {m: (bool(np.mean([r["mode"] in CONCRETE for r in rs]) >= threshold),
               bool(np.mean([r["got"] in CONCRETE for r in rs]) >= threshold)) for m, rs in by.items()}
    return {"meetings": len(met), "threshold": threshold, "met_by_readers": sum(a for a, _ in met.values()),
            "met_by_tool": sum(b for _, b in met.values()), "same_decision": sum(a == b for a, b in met.values()),
            # how often each of the tool's decisions holds: "met" right / "not met" right
            "tool_met_readers_met": sum(a and b for a, b in met.values()),
            "tool_not_met_readers_met": sum(a and not b for a, b in met.values()),
            "tool_not_met_readers_not_met": sum(not a and not b for a, b in met.values())}


def score(args: argparse.Namespace) -> int:
    import r57_area_readers as A
    from sessionscope.analysis.topics.stage import TopicsStage
    from topics_ami import to_session
    from train_dialogue_acts import commit

    windows = substantive_windows()
    lab = read_labels({r["id"] for r in windows})
    per = A.corpus_turns()
    stage = TopicsStage()
    by_meeting: dict[tuple[str, str], list[dict]] = {}
    for r in windows:
        if r["id"] in lab:
            by_meeting.setdefault((r["corpus"], r["meeting"]), []).append(r)
    rows = []
    for (corpus, m), rs in sorted(by_meeting.items()):
        session = to_session(m, per[corpus][m])
        topics = stage(session).topics
        for r in rs:
            lr = lab[r["id"]]
            for unit, spans in (("spans", True), ("segments", False)):
                rows.append({"id": r["id"], "corpus": corpus, "unit": unit, "mode": lr["mode"], "also": lr.get("also") or [],
                             "got": window_mode(session, topics, *r["utterances"], spans=spans)})
        print(corpus, m, flush=True)
    out = {"command": "python benchmarks/r59_mode_readers.py " + " ".join(sys.argv[1:]), "commit": commit(),
           "labelled_windows": len(rows) // 2, "meetings": len(by_meeting),
           "note": "a window's mode: the majority by words of the stage's modes over it (spans: the segments' mode spans; "
                   "segments: each segment's leading mode, which the checklist counts); concrete = case or problem (what "
                   "the checklist's 'concrete cases' share counts)",
           "agreement": {unit: {c: _agreement([r for r in rows if r["corpus"] == c and r["unit"] == unit])
                                for c in ("ami", "mrda")} | {"all": _agreement([r for r in rows if r["unit"] == unit])}
                         for unit in ("spans", "segments")},
           "readers_agree": readers_agree(),
           "checklist": checklist_decisions([r for r in rows if r["unit"] == "segments"])}
    print(json.dumps(out, indent=1)[:5000])
    if args.json:
        write_result(out, args.json)
    return 0


def bias(args: argparse.Namespace) -> int:
    """Measured, not shipped: nats added to ``case`` (and taken from ``trend``) before the argmax of the mean mode
    probabilities of round 57's labelled windows (their classification windows, ``r57_area_readers.real_vectors``): does
    any shift make the head's modes agree with the readers beyond answering ``case`` for everything?"""
    import r57_area_readers as A
    from sessionscope.analysis.topics.stage import TopicsStage
    from train_dialogue_acts import commit

    v = A.real_vectors()
    pred = TopicsStage().model.predict_embeddings(v["X"])
    labels = list(pred.mode_labels)
    lab = read_labels(set(v["ids"]))
    rows = [(lab[w]["mode"], pred.mode_proba[v["offsets"][i]:v["offsets"][i + 1]].mean(axis=0))
            for i, w in enumerate(v["ids"]) if w in lab and v["offsets"][i + 1] > v["offsets"][i]]
    sweep = []
    for case_bias in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
        for trend_bias in (0.0, -1.0):
            got = []
            for _, p in rows:
                lg = np.log(np.maximum(p, 1e-9))
                lg[labels.index("case")] += case_bias
                lg[labels.index("trend")] += trend_bias
                got.append(labels[int(lg.argmax())])
            sweep.append({"case_bias": case_bias, "trend_bias": trend_bias,
                          "strict": round(float(np.mean([g == m for g, (m, _) in zip(got, rows, strict=True)])), 4),
                          "concrete_agreement": round(float(np.mean([(g in CONCRETE) == (m in CONCRETE)
                                                                     for g, (m, _) in zip(got, rows, strict=True)])), 4),
                          "predicted": dict(Counter(got).most_common())})
    out = {"command": "python benchmarks/r59_mode_readers.py " + " ".join(sys.argv[1:]), "commit": commit(),
           "windows": len(rows), "readers": dict(Counter(m for m, _ in rows).most_common()),
           "always_case": {"strict": round(sum(m == "case" for m, _ in rows) / len(rows), 4),
                           "concrete_agreement": round(sum(m in CONCRETE for m, _ in rows) / len(rows), 4)},
           "sweep": sweep}
    print(json.dumps(out, indent=1)[:4000])
    if args.json:
        write_result(out, args.json)
    return 0


AUDIT_SESSIONS = ("SBC001", "SBC009", "SBC044", "ZOOM", "education_13", "Bed003", "ES2004a", "ES2004b", "ES2004c",
                  "ES2004d", "TS3011b")
AUDIT_READERS = 3


def _audit_windows(work: Path, tag: str) -> list[tuple[str, dict, list[int]]]:
    """Round 12's audit windows its labeller called work: ``(key, session.json, utterance indices)``, from an
    ``audit_real_talk.py run --work WORK --tag TAG`` of the audit's sessions."""
    import topics_realtalk_r12_topicsaudit as T

    labels = json.loads(T.LABELS.read_text(encoding="utf-8"))["labels"]
    out = []
    for sid in AUDIT_SESSIONS:
        s = T.load(work, tag, sid)
        out += [(key, s, idx) for key, idx in T.sampled(s) if labels.get(key, {}).get("label") == "substantive"]
    return out


def audit_sample(args: argparse.Namespace) -> int:
    """The audit's work windows as reader files (speaker letters per window, as the meeting windows)."""
    rows = _audit_windows(args.work, args.tag)
    order = np.random.default_rng(SEED).permutation(len(rows))
    work = WORK.parent / "r59_modes_audit"
    work.mkdir(parents=True, exist_ok=True)
    files: dict[int, list[str]] = {}
    for k, i in enumerate(order):
        key, s, idx = rows[int(i)]
        letters: dict[str, str] = {}
        lines = [f"[{letters.setdefault(s['utterances'][j]['speaker'], chr(ord('A') + len(letters)))}] "
                 f"{s['utterances'][j]['text']}" for j in idx]
        files.setdefault(k % AUDIT_READERS + 1, []).append(f"=== W{key}\n" + "\n".join(lines) + "\n")
    for n, parts in files.items():
        (work / f"reader_{n}.txt").write_text("\n".join(parts), encoding="utf-8")
    print(f"{len(rows)} windows → {len(files)} reader files in {work}")
    return 0


def audit_score(args: argparse.Namespace) -> int:
    """The stage's modes (segment modes, as the checklist reads them, and mode spans) over the audit's work windows
    against the mode readers."""
    from train_dialogue_acts import commit

    rows = _audit_windows(args.work, args.tag)
    lab: dict[str, dict] = {}
    for path in sorted(LABELS_DIR.glob("r59_mode_audit_labels_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                lab[r["id"]] = r
    scored = []
    for key, s, idx in rows:
        if key not in lab:
            continue
        for unit in ("spans", "segments"):
            mode_of: dict[str, str] = {}
            for seg in s["topics"]["segments"]:
                for uid in seg["utterance_ids"]:
                    mode_of[uid] = seg["mode"]
                for span in seg.get("mode_spans") or () if unit == "spans" else ():
                    for uid in span["utterance_ids"]:
                        mode_of[uid] = span["mode"]
            words: Counter = Counter()
            for j in idx:
                u = s["utterances"][j]
                words[mode_of.get(u["id"], "none")] += len((u.get("text") or "").split())
            scored.append({"id": key, "corpus": "ami_test" if key.startswith(("ES", "TS")) else "other_talk", "unit": unit,
                           "mode": lab[key]["mode"], "also": lab[key].get("also") or [],
                           "got": max(words, key=lambda m: words[m]) if words else "none"})
    out = {"command": "python benchmarks/r59_mode_readers.py " + " ".join(sys.argv[1:]), "commit": commit(),
           "split": "round 12's audit: real talk the topic heads never trained or chose on (its work windows)",
           "labelled_windows": len(scored) // 2,
           "agreement": {unit: {c: _agreement([r for r in scored if r["corpus"] == c and r["unit"] == unit])
                                for c in ("ami_test", "other_talk")}
                         | {"all": _agreement([r for r in scored if r["unit"] == unit])} for unit in ("spans", "segments")},
           "checklist": checklist_decisions([r for r in scored if r["unit"] == "segments"])}
    print(json.dumps(out, indent=1)[:5000])
    if args.json:
        write_result(out, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("sample", "score", "bias", "audit-sample", "audit-score"))
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--work", type=Path, default=None, help="audit-*: the work folder of audit_real_talk.py run")
    ap.add_argument("--tag", default=None, help="audit-*: the run tag of audit_real_talk.py run")
    args = ap.parse_args(argv)
    if args.cmd.startswith("audit") and (args.work is None or args.tag is None):
        ap.error("audit-sample / audit-score need --work and --tag (an audit_real_talk.py run)")
    return {"sample": sample, "score": score, "bias": bias, "audit-sample": audit_sample,
            "audit-score": audit_score}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())

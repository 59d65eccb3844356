"""Does the knowledge flow and its mutuality index mean what they say on real meetings? (issue 10, round 49)

The session report's ``mutuality_index`` (docs/metrics.md, ``sessionscope.analysis.flow``) is built from who gave
whom advice and who answered whose questions. Until round 49 it was checked only on the example sessions' gold
flows. Here it is compared, meeting by meeting and pair by pair, with the same index computed from the corpora's
human dialogue-act labels on real meetings nobody here wrote.

Usage (from the repository root; ~6 min on 2 cores)::

    nice -n 10 python benchmarks/r49_flow_validity.py --split dev --json benchmarks/results/r49_flow_validity_dev.json
    nice -n 10 python benchmarks/r49_flow_validity.py --split heldout --json benchmarks/results/r49_flow_validity_heldout.json

Each meeting's acts become a :class:`~sessionscope.model.Session` (``dialogue_acts_eval.session_of``: the act's
speaker, times and text as transcribed) analysed by ``sessionscope.api.analyze`` with the stages ``dynamics``,
``extraction`` and ``flow``, the defaults of a user's ``analyze``: the predicted flows are the session's
``knowledge_flow`` (items marked to check left out, as the index leaves them out).

**Gold flows** (the definition of ``flow``, applied to the human labels):

* advice ``g → r``: an act tagged as advice (MRDA ``^cs``/``^co``, AMI ``sug``; ``dialogue_acts.Act.recommendation``)
  whose receiver is one person: AMI's annotated addressee when it names one participant, else the act's responder
  in the corpus's adjacency pairs (the one who took it up); advice to several addressees or with no responder is
  advice to the group, which is in no matrix (as the tool's own group advice);
* explanation ``b → a``: a question act of ``a`` (MRDA ``q*`` without ``qh``, AMI ``el.*``) whose responder ``b`` is
  someone else.

**Figures**: per meeting, the mutuality index (gold against the tool's; the flow-weighted mean over pairs,
``flow.mutuality``); per pair of participants with at least ``--min-pair-flows`` gold flows, the direction share
``F_ab / (F_ab + F_ba)`` and which of the two gives more; per ordered pair, the flow counts. Two baselines that use
no extracted items: the direction share read from the pair's talk time (``a``'s seconds over both) and a constant
(the mean gold index). Per participant: advice given, questions asked, answers given and commitments (MRDA ``^cc``,
AMI ``off``; also against every action item, moves within the meeting included) as the human labels count them and as
the session does: all listed items, those not marked to check (``counted``), and the sum of the items' measured
confidences (``expected``), as counts and as each one's share of the meeting's total (shares only where the gold holds
at least 5), against the share read from talk time. Every participant / pair / meeting row is in the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, EVAL_SPLITS, Act, split_meetings, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

Flows = dict[str, dict[str, int]]
STAGES = ["dynamics", "extraction", "flow"]


def gold_receiver(a: Act) -> Optional[str]:
    """The single person advice is for by the corpus labels; ``None`` for the group."""
    if a.addressee:
        names = [x.strip() for x in a.addressee.split(",") if x.strip()]
        if len(names) == 1 and names[0] != a.speaker:
            return names[0]
        if len(names) > 1:
            return None  # addressed to several: the group
    if a.responder and a.responder != a.speaker:
        return a.responder
    return None


def gold_flows(acts: list[Act], *, pair: bool = False) -> dict[str, Flows]:
    """``advice`` and ``explanation`` giver → receiver counts from the human labels (``pair``: two people, so advice
    is always for the other one, as the tool's definition has it)."""
    adv: Flows = defaultdict(lambda: defaultdict(int))
    exp: Flows = defaultdict(lambda: defaultdict(int))
    people = sorted({a.speaker for a in acts})
    for a in acts:
        if a.recommendation:
            r = next(p for p in people if p != a.speaker) if pair and len(people) == 2 else gold_receiver(a)
            if r is not None:
                adv[a.speaker][r] += 1
        if a.question and a.responder and a.responder != a.speaker:
            exp[a.responder][a.speaker] += 1
    return {"advice": _plain(adv), "explanation": _plain(exp)}


def _plain(f: Any) -> Flows:
    return {g: {r: int(n) for r, n in row.items() if n} for g, row in f.items() if any(row.values())}


def _overall(matrix: dict[str, dict[str, dict[str, int]]]) -> Flows:
    out: Flows = defaultdict(lambda: defaultdict(int))
    for rows in matrix.values():
        for g, row in rows.items():
            for r, n in row.items():
                out[g][r] += n
    return _plain(out)


def _sum(*fs: Flows) -> Flows:
    out: Flows = defaultdict(lambda: defaultdict(int))
    for f in fs:
        for g, row in f.items():
            for r, n in row.items():
                out[g][r] += n
    return _plain(out)


def predicted_flows(session: Any) -> dict[str, Flows]:
    kf = session.knowledge_flow
    if kf is None:
        return {"advice": {}, "explanation": {}}
    return {"advice": _overall(kf.recommendation_matrix), "explanation": _overall(kf.explanation_matrix)}


def talk_seconds(acts: list[Act]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for a in acts:
        if a.start is not None and a.end is not None and a.end > a.start:
            out[a.speaker] += a.end - a.start
    return dict(out)


def _f(f: Flows, a: str, b: str) -> int:
    return f.get(a, {}).get(b, 0)


def two_person_sessions(acts: list[Act], min_acts: int) -> dict[str, list[Act]]:
    """A meeting's real two-person talk: its stretches of at least ``min_acts`` consecutive acts by exactly two
    speakers (``r49_pair_answers.two_person_stretches``), those of the same two people joined in time order."""
    from r49_pair_answers import two_person_stretches

    out: dict[str, list[Act]] = {}
    for st in two_person_stretches(acts, min_acts):
        out.setdefault("+".join(sorted({a.speaker for a in st})), []).extend(st)
    return out


def meeting_rows(corpus: str, meeting: str, acts: list[Act], session: Any, min_pair: int, *, pair: bool = False) -> dict:
    from sessionscope.analysis.flow import mutuality

    gold = gold_flows(acts, pair=pair)
    pred = predicted_flows(session)
    g_all, p_all = _sum(gold["advice"], gold["explanation"]), _sum(pred["advice"], pred["explanation"])
    talk = talk_seconds(acts)
    people = sorted({a.speaker for a in acts})
    pairs = []
    for a, b in combinations(people, 2):
        row: dict[str, Any] = {"a": a, "b": b}
        for kind, g, p in (("all", g_all, p_all), ("advice", gold["advice"], pred["advice"]),
                           ("explanation", gold["explanation"], pred["explanation"])):
            row[kind] = {"gold": [_f(g, a, b), _f(g, b, a)], "pred": [_f(p, a, b), _f(p, b, a)]}
        ta, tb = talk.get(a, 0.0), talk.get(b, 0.0)
        row["talk_share_a"] = round(ta / (ta + tb), 4) if ta + tb > 0 else None
        row["scored"] = sum(row["all"]["gold"]) >= min_pair
        pairs.append(row)
    kf = session.knowledge_flow
    return {
        "participants": participant_rows(acts, session, talk),
        "corpus": corpus, "meeting": meeting, "acts": len(acts), "speakers": len(people),
        "gold": {"mutuality": mutuality(g_all), "flows": sum(n for r in g_all.values() for n in r.values()),
                 "advice": sum(n for r in gold["advice"].values() for n in r.values()),
                 "explanation": sum(n for r in gold["explanation"].values() for n in r.values()),
                 "advice_mutuality": mutuality(gold["advice"]), "explanation_mutuality": mutuality(gold["explanation"])},
        "pred": {"mutuality": kf.mutuality_index if kf else None, "mutuality_recomputed": mutuality(p_all),
                 "flows": sum(n for r in p_all.values() for n in r.values()),
                 "advice": sum(n for r in pred["advice"].values() for n in r.values()),
                 "explanation": sum(n for r in pred["explanation"].values() for n in r.values()),
                 "advice_mutuality": mutuality(pred["advice"]), "explanation_mutuality": mutuality(pred["explanation"])},
        "pairs": pairs,
    }


#: per participant, gold count ↔ the tool's count (``counted``: items not marked to check, as the flags and flows count)
PERSON_KINDS = ("advice_given", "questions_asked", "answers_given", "commitments", "commitments_with_moves")


def participant_rows(acts: list[Act], session: Any, talk: dict[str, float]) -> dict[str, dict]:
    """Per speaker: what the human labels count and what the session counts (all listed / counted)."""
    speakers = {u.id: u.speaker for u in session.utterances}
    out: dict[str, dict] = {}
    for p in sorted({a.speaker for a in acts}):
        gold = {
            "advice_given": sum(1 for a in acts if a.recommendation and a.speaker == p),
            "questions_asked": sum(1 for a in acts if a.question and a.speaker == p),
            "answers_given": sum(1 for a in acts if a.question and a.responder == p and a.speaker != p),
            "commitments": sum(1 for a in acts if a.action and a.speaker == p),
        }
        gold["commitments_with_moves"] = gold["commitments"]
        advice = [r for r in session.advice if r.giver == p]
        questions = [q for q in session.questions if q.asker == p]
        answers = [q for q in session.questions if q.answered and speakers.get(q.answer_utterance_id or "") == p
                   and q.asker != p]
        tasks = [t for t in session.tasks if p in (t.owners or ((t.owner,) if t.owner else ()))]
        # the corpora's offers and commitments include moves made within the meeting ("I'll draw it"), which the tool
        # lists apart from tasks: every action item, moves included, is the fairer comparison for those
        items = [t for t in session.action_items if p in (t.owners or ((t.owner,) if t.owner else ()))]
        listed = {"advice_given": len(advice), "questions_asked": len(questions), "answers_given": len(answers),
                  "commitments": len(tasks), "commitments_with_moves": len(items)}
        counted = {"advice_given": sum(not r.to_check for r in advice),
                   "questions_asked": sum(not q.to_check for q in questions),
                   "answers_given": sum(not q.to_check for q in answers),
                   "commitments": sum(not t.to_check for t in tasks),
                   "commitments_with_moves": sum(not t.to_check for t in items)}
        expected = {"advice_given": _expected(advice), "questions_asked": _expected(questions),
                    "answers_given": _expected(answers), "commitments": _expected(tasks),
                    "commitments_with_moves": _expected(items)}
        out[p] = {"gold": gold, "listed": listed, "counted": counted, "expected": expected,
                  "talk_s": round(talk.get(p, 0.0), 2)}
    return out


def _expected(items: list) -> float:
    """Σ of the items' measured confidences (an item without one counts 1, or ½ when marked to check)."""
    return round(sum(i.confidence if i.confidence is not None else (0.5 if i.to_check else 1.0) for i in items), 3)


def person_summary(rows: list[dict]) -> dict:
    """Across participants: counts correlated, and each one's share of the meeting's total (who drives)."""
    out: dict[str, Any] = {}
    for kind in PERSON_KINDS:
        res: dict[str, Any] = {}
        for system in ("listed", "counted", "expected"):
            g_all, p_all, gs, ps, ts = [], [], [], [], []
            for r in rows:
                parts = r["participants"]
                gt = sum(v["gold"][kind] for v in parts.values())
                pt = sum(v[system][kind] for v in parts.values())
                tt = sum(v["talk_s"] for v in parts.values())
                for v in parts.values():
                    g_all.append(v["gold"][kind])
                    p_all.append(v[system][kind])
                    if gt >= 5 and pt > 0 and tt > 0:  # a share of a handful says nothing
                        gs.append(v["gold"][kind] / gt)
                        ps.append(v[system][kind] / pt)
                        ts.append(v["talk_s"] / tt)
            res[system] = {
                "counts": {**_corr(g_all, p_all), "gold": sum(g_all), "pred": sum(p_all)},
                "share": _corr(gs, ps, mae=True),
            }
            if system == "listed":
                res["share_from_talk_time"] = _corr(gs, ts, mae=True)
        out[kind] = res
    return out


def _mae(x: list[float], y: Any, digits: int = 3) -> Optional[float]:
    """Mean absolute difference (``y`` a list or one number), ``None`` without values."""
    return round(float(np.mean(np.abs(np.subtract(x, y)))), digits) if len(x) else None


def _corr(x: list[float], y: list[float], *, mae: bool = False, digits: int = 3) -> dict:
    """``n``, Pearson and Spearman r (``None`` under 3 values or without spread); with ``mae``, the mean absolute
    difference rounded to ``digits`` (shared by the round-49 scripts)."""
    from scipy.stats import pearsonr, spearmanr

    out: dict[str, Any] = {"n": len(x), "pearson": None, "spearman": None}
    if len(x) >= 3 and np.std(x) > 0 and np.std(y) > 0:
        out.update(pearson=round(float(pearsonr(x, y)[0]), 3), spearman=round(float(spearmanr(x, y)[0]), 3))
    if mae:
        out["mae"] = _mae(x, y, digits)
    return out


def summarise(rows: list[dict]) -> dict:
    out: dict[str, Any] = {}
    # meetings: the index itself
    for kind in ("mutuality", "advice_mutuality", "explanation_mutuality"):
        both = [(r["gold"][kind], r["pred"][kind]) for r in rows if r["gold"][kind] is not None and r["pred"][kind] is not None]
        g = [a for a, _ in both]
        p = [b for _, b in both]
        const = float(np.mean(g)) if g else 0.0
        out[f"meetings_{kind}"] = {
            **_corr(g, p), "meetings_with_both": len(both), "meetings": len(rows),
            "gold_mean": round(float(np.mean(g)), 3) if g else None, "pred_mean": round(float(np.mean(p)), 3) if p else None,
            "mae": _mae(g, p), "mae_constant_gold_mean": _mae(g, const),
        }
    out["meetings_flows"] = {
        **_corr([r["gold"]["flows"] for r in rows], [r["pred"]["flows"] for r in rows]),
        "gold": sum(r["gold"]["flows"] for r in rows), "pred": sum(r["pred"]["flows"] for r in rows),
        "gold_advice": sum(r["gold"]["advice"] for r in rows), "pred_advice": sum(r["pred"]["advice"] for r in rows),
        "gold_explanation": sum(r["gold"]["explanation"] for r in rows),
        "pred_explanation": sum(r["pred"]["explanation"] for r in rows),
    }
    # pairs: who gives more, and the direction share
    for kind in ("all", "advice", "explanation"):
        gs, ps, ts = [], [], []
        agree = disagree = tied_pred = talk_agree = talk_n = 0
        ordered_g, ordered_p = [], []
        for r in rows:
            for pr in r["pairs"]:
                g, p = pr[kind]["gold"], pr[kind]["pred"]
                ordered_g += g
                ordered_p += p
                if not pr["scored"] or sum(g) == 0:
                    continue
                gshare = g[0] / sum(g)
                if sum(p) == 0:
                    tied_pred += 1
                    continue
                pshare = p[0] / sum(p)
                gs.append(gshare)
                ps.append(pshare)
                if pr["talk_share_a"] is not None:
                    ts.append((gshare, pr["talk_share_a"]))
                if gshare != 0.5:
                    if pshare == 0.5:
                        tied_pred += 1
                    elif (gshare > 0.5) == (pshare > 0.5):
                        agree += 1
                    else:
                        disagree += 1
                    if pr["talk_share_a"] is not None and pr["talk_share_a"] != 0.5:
                        talk_n += 1
                        talk_agree += (gshare > 0.5) == (pr["talk_share_a"] > 0.5)
        out[f"pairs_{kind}"] = {
            "direction_share": _corr(gs, ps, mae=True),
            "direction_share_from_talk_time": _corr([a for a, _ in ts], [b for _, b in ts], mae=True),
            "who_gives_more": {"agree": agree, "disagree": disagree, "pred_no_flow_or_tied": tied_pred,
                               "talk_time_agrees": talk_agree, "talk_time_scored": talk_n},
            "ordered_pair_counts": _corr(ordered_g, ordered_p),
        }
    out["participants"] = person_summary(rows)
    out["one_sided"] = one_sided_summary(rows)
    return out


def one_sided_summary(rows: list[dict]) -> dict:
    """The ``one_sided`` flag's rule (``flags.one_sided_share`` of at least ``one_sided_min_recommendations`` pieces of
    advice from one person, the defaults) on the labels' advice counts against the tool's: raised right (the same
    person), raised wrongly, missed, rightly not raised. ``counted`` is what the flag uses."""
    from sessionscope.config import FlagsConfig

    cfg = FlagsConfig()

    def top(counts: dict[str, float]) -> Optional[str]:
        total = sum(counts.values())
        if total < cfg.one_sided_min_recommendations:
            return None
        who = max(counts, key=lambda k: counts[k])
        return who if counts[who] / total >= cfg.one_sided_share else None

    out: dict[str, Any] = {"share": cfg.one_sided_share, "min_recommendations": cfg.one_sided_min_recommendations}
    for system in ("listed", "counted", "expected"):
        right = wrong = missed = quiet = 0
        for r in rows:
            parts = r["participants"]
            g = top({p: float(v["gold"]["advice_given"]) for p, v in parts.items()})
            p_ = top({p: float(v[system]["advice_given"]) for p, v in parts.items()})
            if p_ is not None and p_ == g:
                right += 1
            elif p_ is not None:
                wrong += 1
            elif g is not None:
                missed += 1
            else:
                quiet += 1
        out[system] = {"raised_right": right, "raised_wrongly": wrong, "missed": missed, "rightly_not_raised": quiet}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=EVAL_SPLITS)
    ap.add_argument("--corpus", choices=CORPORA, default=None)
    ap.add_argument("--limit", type=int, default=None, help="first N meetings per corpus (a quick look)")
    ap.add_argument("--min-pair-flows", type=int, default=3, help="gold flows a pair needs to be scored (default 3)")
    ap.add_argument("--two-person", type=int, default=None, metavar="MIN_ACTS",
                    help="score real two-person talk instead of whole meetings: each pair's stretches of at least "
                         "MIN_ACTS consecutive acts by the two alone, joined into one two-person session; advice in "
                         "the labels then goes to the other person, as the tool's pair definition has it")
    ap.add_argument("--answer-head-in-pairs", action="store_true",
                    help="the learned answer head decides who answered in two-person sessions too (measured in round 49, "
                         "not shipped: r49_pair_answers.head_in_pairs)")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.answer_head_in_pairs:
        from r49_pair_answers import head_in_pairs

        with head_in_pairs():
            return _main(args)
    return _main(args)


def _main(args: argparse.Namespace) -> int:

    from sessionscope.api import analyze

    out: dict[str, Any] = {
        "command": "python benchmarks/r49_flow_validity.py --split " + args.split
                   + (f" --corpus {args.corpus}" if args.corpus else "") + (f" --limit {args.limit}" if args.limit else "")
                   + (f" --min-pair-flows {args.min_pair_flows}" if args.min_pair_flows != 3 else "")
                   + (f" --two-person {args.two_person}" if args.two_person else "")
                   + (" --answer-head-in-pairs" if args.answer_head_in_pairs else ""),
        "commit": commit(), "date": dt.date.today().isoformat(), "split": args.split, "stages": STAGES,
        "min_pair_flows": args.min_pair_flows,
    }
    t0 = time.time()
    all_rows = []
    for corpus in (args.corpus,) if args.corpus else CORPORA:
        rows = []
        by_meeting = split_meetings(corpus, args.split)
        if args.two_person:  # each pair's two-person stretches of a meeting as one session of two
            by_meeting = {f"{m}:{who}": st for m in sorted(by_meeting)[: args.limit]
                          for who, st in two_person_sessions(by_meeting[m], args.two_person).items()}
        for m in sorted(by_meeting)[: None if args.two_person else args.limit]:
            acts = by_meeting[m]
            session = analyze(session_of(m, acts), stages=STAGES)
            rows.append(meeting_rows(corpus, m, acts, session, args.min_pair_flows, pair=bool(args.two_person)))
            r = rows[-1]
            print(f"{corpus} {m}: gold {r['gold']['mutuality']} pred {r['pred']['mutuality']} "
                  f"flows {r['gold']['flows']}/{r['pred']['flows']} {time.time() - t0:.0f}s", flush=True)
        out[corpus] = {"summary": summarise(rows), "meetings": rows}
        all_rows += rows
        print(json.dumps(out[corpus]["summary"], indent=1), flush=True)
    if not args.corpus:
        out["both"] = {"summary": summarise(all_rows)}
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.json, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 31 (issue 10): the bare-question stack (question head + act tagger) inside punctuated English transcripts.

Usage (from the repository root; ~4 min a variant on 2 cores)::

    nice -n 10 python benchmarks/r31_stack_mixed.py --variant transcript --split tune --out benchmarks/results/r31_stack_tune_transcript.json
    nice -n 10 python benchmarks/r31_stack_mixed.py --variant both --split tune --out benchmarks/results/r31_stack_tune_both.json
    python benchmarks/r31_stack_mixed.py --decide benchmarks/results/r31_stack_tune_transcript.json \\
        benchmarks/results/r31_stack_tune_both.json --out benchmarks/results/r31_stack_decision.json

Round 30 put the act tagger beside the question head in English transcripts with no punctuation at all
(``BareQuestionStack``, fitted on the held-out train meetings' bare clauses). A punctuated transcript has sentences the
head also reads with its bare weights: the unmarked lower-case utterances (``questions.MIXED_RULE``, a recogniser's
style drift) and, where "?" is unreliable, the "."-ended sentences (``questions.PERIOD_RULE``, a recogniser that writes
questions with "."). ``--variant``: ``transcript`` (what round 30 shipped), ``stretches``, ``period`` or ``both`` (the
stack decides those sentences too; the tagger reads the sentence and the one before without punctuation or capitals, as
the stack was fitted). The variants live here, as a replacement of ``questions._reread_bare`` (:func:`variant_reread`):
none shipped.

Scored as ``r28_mixed.py`` scores (``session_questions`` per dialogue act: as transcribed; 30-second chunks made bare
with probability 0.2 and 0.4, seeds 0-2; every gold "?" written "."; bare text) on ``--split``:

* ``tune`` (the rule's split): the ~10 % of train meetings ``r28_ft_data.tune_meeting`` sets apart. Neither the tagger
  nor the stack was fitted on them; rounds 28-30 chose the tagger's checkpoint and thresholds on them.
* ``heldout`` (supplementary): the held-out train meetings, on which the stack's four numbers were fitted.

The corpora's dev meetings are never read here. ``--decide`` applies the ship rule written before the first run (progress
notes, round 31; quoted in :data:`RULE`) to a ``transcript`` result and a candidate's, from the counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from r28_ft_data import split_meetings  # noqa: E402
from r28_mixed import SEEDS, STRETCH_P, STRETCH_S, score_corpus, score_turns  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SCOPES = ("transcript", "stretches", "period", "both")
RULE = ("judged on the tune train meetings, F1 from the counts, per corpus then the mean: 'stretches' passes if the "
        "stretch0.4 in-bare-stretches F1 (mean of seeds 0-2) gains >= +0.01 on the mean over corpora with no corpus "
        "below -0.01; 'period' passes if qmark1.0 F1 gains >= +0.01 on the mean with no corpus below -0.01; each also "
        "needs as transcribed no corpus lower by more than 0.002 and bare identical; 'both' ships if both pass, else "
        "the one that passes, else none")


def variant_reread(scope: str):
    """``questions._reread_bare`` with the round-30 stack deciding the bare-read sentences ``scope`` names (the same head
    steps; the stack from the head's bare probability and the tagger's question logit of the stripped sentence and the
    one before; on the "."-ended sentences it may make a question, never unmake one, as the head's bare weights do)."""
    import numpy as np

    from sessionscope.analysis import questions as q
    from sessionscope.analysis.extract.heads import strip_punctuation
    from sessionscope.analysis.extract.tagger import segment_text

    def stack(texts, speakers, ks, p_head):
        tagger = q.bare_question_tagger()
        st = tagger.file.bare_question
        ks = [k for k in ks if not q._cyrillic(texts[k])]
        rows = [(segment_text(strip_punctuation(texts[k - 1]) if k else None, bool(k) and speakers[k - 1] == speakers[k]),
                 strip_punctuation(texts[k])) for k in ks]
        p = st.proba(np.array([p_head[k] for k in ks]), tagger.logits(rows)[:, 0])
        return {k: (bool(x >= st.threshold) and not q.reported_question(texts[k]), float(x)) for k, x in zip(ks, p, strict=True)}

    def reread(head, texts, contexts, bare, decisions, probs, language):
        speakers = [c.speaker for c in contexts]
        if any(bare):
            kb = [k for k, b in enumerate(bare) if b]
            yes2, p2 = head.is_question([texts[k] for k in kb], [contexts[k] for k in kb], punctuated=False)
            for k, y, pk in zip(kb, yes2, p2, strict=True):
                decisions[k], probs[k] = y, pk
            if scope in ("stretches", "both") and language != "ru":
                for k, (y, pk) in stack(texts, speakers, kb, probs).items():
                    decisions[k], probs[k] = y, pk
        if language != "ru":
            redo = q.period_candidates(texts, decisions)
            if redo:
                yes2, p2 = head.is_question([texts[k] for k in redo], [contexts[k] for k in redo], punctuated=False)
                found = {k: (bool(y), float(pk)) for k, y, pk in zip(redo, yes2, p2, strict=True)}
                if scope in ("period", "both"):
                    found = stack(texts, speakers, redo, {k: pk for k, (_, pk) in found.items()})
                for k, (y, pk) in found.items():
                    if y:
                        decisions[k], probs[k] = True, pk

    return reread


def f1(c: dict) -> float:
    return 2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]) if c["tp"] else 0.0


def stretch_f1(res: dict, p: float = 0.4) -> float:
    """The in-bare-stretches F1 from the counts, mean over the seeds."""
    return float(np.mean([f1(res[f"stretch{p:g}_seed{s}"]["in_bare_stretches"]) for s in SEEDS]))


def decide(base: dict, cand: dict) -> dict:
    """The pre-set rule (:data:`RULE`) on a ``transcript`` result and a candidate's, unrounded."""
    out: dict = {"base": base["variant"], "candidate": cand["variant"], "split": cand["split"], "rule": RULE}
    d_str = {c: stretch_f1(cand[c]) - stretch_f1(base[c]) for c in CORPORA}
    d_q = {c: f1(cand[c]["qmark1.0"]) - f1(base[c]["qmark1.0"]) for c in CORPORA}
    d_as = {c: f1(cand[c]["as_transcribed"]) - f1(base[c]["as_transcribed"]) for c in CORPORA}
    bare_same = all(cand[c]["bare"] == base[c]["bare"] for c in CORPORA)
    common = min(d_as.values()) >= -0.002 and bare_same
    stretches = float(np.mean(list(d_str.values()))) >= 0.01 and min(d_str.values()) >= -0.01 and common
    period = float(np.mean(list(d_q.values()))) >= 0.01 and min(d_q.values()) >= -0.01 and common
    out.update({"stretch0.4_in_bare_gain": {**{c: round(v, 6) for c, v in d_str.items()},
                                            "mean": round(float(np.mean(list(d_str.values()))), 6)},
                "qmark1.0_gain": {**{c: round(v, 6) for c, v in d_q.items()}, "mean": round(float(np.mean(list(d_q.values()))), 6)},
                "as_transcribed_change": {c: round(v, 6) for c, v in d_as.items()}, "bare_identical": bare_same,
                "stretches_passes": stretches, "period_passes": period})
    scope = cand["variant"]
    ok = {"stretches": stretches, "period": period, "both": stretches and period}.get(scope, False)
    out["verdict"] = (f"{scope} passes" if ok else f"{scope} does not pass" + (
        f" as a whole; 'stretches' part {'passes' if stretches else 'fails'}, 'period' part {'passes' if period else 'fails'}"
        if scope == "both" else ""))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", default="transcript", choices=SCOPES)
    ap.add_argument("--split", default="tune", choices=("tune", "heldout"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--decide", nargs=2, type=Path, default=None, metavar=("BASE", "CANDIDATE"))
    args = ap.parse_args(argv)
    if args.decide:
        base, cand = (json.loads(p.read_text()) for p in args.decide)
        res = {"command": f"python benchmarks/r31_stack_mixed.py --decide {args.decide[0]} {args.decide[1]} --out {args.out}",
               "commit": commit(), "date": dt.date.today().isoformat(), **decide(base, cand)}
        write_result(res, args.out)
        print(json.dumps(res, indent=1))
        return 0
    from sessionscope.analysis import questions as q
    from sessionscope.config import DynamicsConfig

    if args.variant != "transcript":
        q._reread_bare = variant_reread(args.variant)
    q._SESSION_QUESTIONS.clear()
    out: dict = {"command": f"python benchmarks/r31_stack_mixed.py --variant {args.variant} --split {args.split} --out {args.out}",
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": args.split, "variant": args.variant,
                 "rules": {k: getattr(q, k) for k in ("MIXED_RULE", "MIXED_MIN_WORDS", "PERIOD_RULE")},
                 "stretch_s": STRETCH_S, "stretch_p": list(STRETCH_P), "seeds": list(SEEDS)}
    t0 = time.time()
    dyn = DynamicsConfig()
    for corpus in CORPORA:
        by_meeting = split_meetings(corpus, "tune") if args.split == "tune" else meetings(corpus, "heldout")
        out[corpus] = score_corpus(corpus, dyn, by_meeting)
        out[corpus]["turns_merged_in_bare_stretches"] = score_turns(corpus, dyn, by_meeting)
        print(corpus, json.dumps({k: out[corpus][k] for k in ("as_transcribed", "stretch0.4_mean", "qmark1.0", "bare")}), flush=True)
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""AMI questions as transcribed: what the shipped head misses and finds wrongly against ``el.*`` (round 11, "questions").

Usage (from the repository root; ~1 min)::

    nice -n 10 python benchmarks/question_ami_errors_r11_questions.py [--out PATH] [--examples N]

Runs ``session_questions`` on every AMI *train* meeting as transcribed (the acts the head was fitted on, so
the figures are in-sample: the point is which kinds of act are missed, not how many) and sorts

* the missed elicitations (``el.inf``, ``el.ass``, ``el.sug``, ``el.und`` not found) into kinds by their
  words and neighbours (:func:`miss_kind`): part of an elicitation spread over several acts, a question form
  without "?", a statement-form elicitation phrase ("any questions", "let me know", "I was wondering if"…),
  a cut-off fragment, short acts, statements;
* the false alarms by their AMI label and form (:func:`form_kind`), and how many of them an evaluator
  would still call a question (a "?"-ended interrogative, "or"-question, request to repeat, tag or cut-off
  question start);
* the transcripts' "?" per meeting: the share of ``el.*`` acts with a "?" and of complete inverted
  sentences ("Do you …", 4+ words, not cut off) that end in "?", by meeting and by scenario series (and the
  same on the MRDA train meetings, ``q*`` for ``el.*``, for comparison);
* the statement-form elicitation cues without "?" on the AMI and MRDA train meetings: how many acts carry
  each (and an interrogative word or inversion at the start), and how many of them are gold questions (the
  precision a rule on the cue would have);
* the same for acts without "?" next to the same speaker's question (:func:`propagation`): would marking
  the rest of a question spread over several acts help?

Dev meetings are never read. Writes ``benchmarks/results/question_ami_errors_train_r11_questions.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, Act, load_acts, meetings  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "question_ami_errors_train_r11_questions.json"
# statement-form elicitations: a request for input said without a question form
ELICIT_CUES = {
    "wondering": r"\b(i was|i'm|i am|just|i)\s+wonder(ing)?\b",
    "any_questions_ideas": r"\bany (questions?|ideas?|suggestions?|comments?|thoughts?|input|objections?|remarks?|"
                           r"opinions?|preferences?|feedback)\b",
    "let_me_know": r"\blet (me|us) know\b",
    "tell_me": r"\btell (me|us)\b",
    "what_how_about": r"^(\W*(um|uh|so|and|but|okay|well|then|or)\b\W*)*(what|how) about\b",
    "open_to_suggestions": r"\b(open to|welcome) (any )?(suggestions|ideas|comments)\b",
    "if_you_have": r"\bif (you|anyone|anybody|somebody) (have|has|had|got|'ve got)\b",
    "if_thats_okay": r"\bif (that's|that is|it's|thats) (ok|okay|alright|all right|fine)\b",
    "dont_know_if_you": r"\b(don't|dunno|didn't) know (if|whether) (you|we|anyone|anybody)\b",
    "give_me_imperative": r"\bgive (me|us) (an? |some |your )",
}
_ELICIT = {k: re.compile(v) for k, v in ELICIT_CUES.items()}
_REPEAT = {"what", "sorry", "pardon", "huh", "really", "eh", "hmm"}


def _end(text: str) -> str:
    t = text.rstrip()
    return t[-1] if t and t[-1] in ".?!,-=" else "none"


def elicit_cue(text: str) -> str | None:
    """The first statement-form elicitation cue in ``text`` (lower-cased), or ``None``."""
    low = text.casefold()
    return next((k for k, rx in _ELICIT.items() if rx.search(low)), None)


def form_kind(text: str) -> str:
    """The form of an act by its words: interrogative/inversion start, "or", repeat request, tag, short, statement."""
    from sessionscope.analysis.questions import confirmation_tag, question_shape, question_tokens

    toks = question_tokens(text)
    if not toks:
        return "empty"
    shape = question_shape(toks)
    if shape in ("WH", "INV") and len(toks) <= 2 and toks[-1] in _REPEAT | {"what"}:
        return "repeat_request"
    if shape == "WH":
        return "wh_start"
    if shape == "INV":
        return "inversion_start"
    if len(toks) <= 2 and toks[-1] in _REPEAT:
        return "repeat_request"
    if toks[-1] == "or" or " or " in f" {' '.join(toks)} ":
        return "or_question"
    if confirmation_tag(text):
        return "tag"
    if len(toks) <= 2:
        return "short_1_2"
    if len(toks) <= 4:
        return "short_3_4"
    return "statement_form"


#: forms an evaluator reading the words would call a question when they end in "?"
QUESTION_FORMS = frozenset({"wh_start", "inversion_start", "repeat_request", "or_question", "tag"})


def miss_kind(acts: list[Act], k: int) -> str:
    """Why a missed elicitation may be missed: its neighbours and words (first match wins)."""
    a = acts[k]
    prev = acts[k - 1] if k else None
    nxt = acts[k + 1] if k + 1 < len(acts) else None
    if "?" in a.text:
        return "has_question_mark"
    if prev is not None and prev.speaker == a.speaker and prev.question:
        return "continues_an_elicitation"
    if nxt is not None and nxt.speaker == a.speaker and ("?" in nxt.text or nxt.question):
        return "opens_an_elicitation_ended_later"
    form = form_kind(a.text)
    if form in ("wh_start", "inversion_start"):
        return f"question_form_without_?:{_end(a.text)}"
    if elicit_cue(a.text) is not None:
        return "statement_form_elicitation_phrase"
    if _end(a.text) in (",", "-", "=", "none"):
        return "cut_off_or_unended"
    if form in ("short_1_2", "repeat_request"):
        return "one_or_two_words"
    if form in ("short_3_4", "tag"):
        return "three_or_four_words"
    return "statement_5plus_words"


def punctuation_consistency(acts: list[Act]) -> dict:
    """Per meeting: the share of ``el.*`` acts with a "?" and of complete inverted sentences ending in "?"."""
    from sessionscope.analysis.questions import question_shape, question_tokens

    per: dict[str, list[int]] = {}
    for a in acts:
        c = per.setdefault(a.meeting, [0, 0, 0, 0])
        if a.question:
            c[0] += 1
            c[1] += "?" in a.text
        toks = question_tokens(a.text)
        if len(toks) >= 4 and question_shape(toks) == "INV" and _end(a.text) not in ("-", "=", ","):
            c[2] += 1
            c[3] += a.text.rstrip().endswith("?")
    el = {m: c[1] / c[0] for m, c in per.items() if c[0] >= 10}
    inv = {m: c[3] / c[2] for m, c in per.items() if c[2] >= 10}

    def spread(d: dict[str, float]) -> dict:
        v = sorted(d.values())
        q = statistics.quantiles(v, n=4) if len(v) >= 4 else v
        return {"meetings": len(v), "min": round(v[0], 3), "q1": round(q[0], 3), "median": round(statistics.median(v), 3),
                "q3": round(q[-1], 3), "max": round(v[-1], 3),
                "lowest": {m: round(x, 3) for m, x in sorted(d.items(), key=lambda kv: kv[1])[:5]}}

    series: dict[str, list[int]] = {}
    for m, c in per.items():
        s = series.setdefault(m[:2], [0, 0, 0, 0])
        for j in range(4):
            s[j] += c[j]
    return {"el_with_?": spread(el), "complete_inversion_ending_?": spread(inv),
            "by_series": {s: {"el": c[0], "el_with_?": round(c[1] / c[0], 3) if c[0] else None,
                              "complete_inversions": c[2], "ending_?": round(c[3] / c[2], 3) if c[2] else None}
                          for s, c in sorted(series.items())}}


def cue_inventory(corpus: str) -> dict:
    """Acts without "?" on the train meetings that carry each elicitation cue, and how many are gold questions."""
    out: dict = {}
    for a in load_acts(corpus):
        if a.split != "train" or "?" in a.text:
            continue
        low = a.text.casefold()
        keys = [k for k, rx in _ELICIT.items() if rx.search(low)]
        form = form_kind(a.text)
        if form in ("wh_start", "inversion_start"):
            keys.append(f"question_form:{form}")
        for k in keys:
            c = out.setdefault(k, {"acts": 0, "gold": 0})
            c["acts"] += 1
            c["gold"] += a.question
    for c in out.values():
        c["precision"] = round(c["gold"] / c["acts"], 3)
    return out


def propagation(corpus: str) -> dict:
    """Would "part of the same speaker's question" find the spread elicitations? For acts without "?" on the train
    meetings: how many follow the same speaker's gold question (directly, or when that one is left unended) or
    are left unended right before the same speaker's "?"-ended act, and how many of them are gold questions."""
    acts = [a for a in load_acts(corpus) if a.split == "train"]
    out = {k: {"acts": 0, "gold": 0} for k in ("after_own_gold_question", "after_own_unended_gold_question",
                                              "unended_before_own_?")}
    for k, a in enumerate(acts):
        if "?" in a.text:
            continue
        prev = acts[k - 1] if k and acts[k - 1].meeting == a.meeting and acts[k - 1].speaker == a.speaker else None
        nxt = acts[k + 1] if k + 1 < len(acts) and acts[k + 1].meeting == a.meeting \
            and acts[k + 1].speaker == a.speaker else None
        hits = [prev is not None and prev.question,
                prev is not None and prev.question and _end(prev.text) not in (".", "!", "?"),
                nxt is not None and nxt.text.rstrip().endswith("?") and _end(a.text) not in (".", "!")]
        for key, hit in zip(out, hits, strict=True):
            if hit:
                out[key]["acts"] += 1
                out[key]["gold"] += a.question
    for c in out.values():
        c["precision"] = round(c["gold"] / c["acts"], 3) if c["acts"] else None
    return out


def main(argv: list[str] | None = None) -> int:
    from dialogue_acts_eval import commit, prf, question_meeting
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--examples", type=int, default=12, help="example texts kept per kind")
    args = ap.parse_args(argv)
    t0 = time.time()
    dyn = DynamicsConfig()
    miss: Counter = Counter()
    miss_sub: dict[str, Counter] = {}
    fa: Counter = Counter()
    fa_form: dict[str, Counter] = {}
    fa_q_end: Counter = Counter()
    fa_evaluator = 0
    ex: dict[str, list[str]] = {}
    tp = fp = fn = 0
    all_acts: list[Act] = []
    for m, acts in meetings("ami", "train").items():
        all_acts += acts
        found = question_meeting(m, acts, dyn)["shipped"]["question"]
        for k, a in enumerate(acts):
            hit = a.id in found
            if a.question and hit:
                tp += 1
            elif a.question:
                fn += 1
                kind = miss_kind(acts, k)
                miss[kind] += 1
                miss_sub.setdefault(kind, Counter())[a.label] += 1
                ex.setdefault(f"miss/{kind}", []).append(f"{a.text}  [{a.label}]")
            elif hit:
                fp += 1
                form = form_kind(a.text)
                q_end = a.text.rstrip().endswith("?")
                fa[a.label] += 1
                fa_form.setdefault(a.label, Counter())[form] += 1
                fa_q_end[q_end] += 1
                fa_evaluator += q_end and form in QUESTION_FORMS
                ex.setdefault(f"false_alarm/{a.label}/{form}", []).append(a.text)
    out: dict = {
        "command": "python benchmarks/question_ami_errors_r11_questions.py", "commit": commit(),
        "split": "AMI train meetings (in-sample for the head: kinds, not rates); dev never read",
        "ami_train_as_transcribed": prf(tp, fp, fn),
        "misses": {"total": fn, "with_?": miss["has_question_mark"],
                   "by_kind": {k: {"n": v, "by_label": dict(miss_sub[k])} for k, v in miss.most_common()}},
        "false_alarms": {"total": fp, "ending_in_?": fa_q_end[True],
                         "ending_in_?_and_question_form": fa_evaluator,
                         "by_label": {lab: {"n": n, "by_form": dict(fa_form[lab].most_common())} for lab, n in fa.most_common()}},
        "punctuation": {"ami": punctuation_consistency(all_acts),
                        "mrda": punctuation_consistency([a for a in load_acts("mrda") if a.split == "train"])},
        "cues_without_?": {c: cue_inventory(c) for c in CORPORA},
        "propagation_without_?": {c: propagation(c) for c in CORPORA},
        "examples": {k: v[: args.examples] for k, v in sorted(ex.items())},
        "seconds": round(time.time() - t0),
    }
    print(json.dumps({k: out[k] for k in ("ami_train_as_transcribed", "misses", "false_alarms", "punctuation",
                                          "cues_without_?", "propagation_without_?")}, indent=1), flush=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

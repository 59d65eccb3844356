"""Verbless hand-outs after the same speaker's task for someone else: would they raise the AMI action-item sentences?

Usage (from the repository root; ~6 min on 2 cores)::

    nice -n 10 python benchmarks/handout_context.py --out benchmarks/results/handout_context_r5_acts2.json

A chair hands out the parts as a list: "for next meeting each of you will…", then "Marketing, the user requirement
specification", "and the industrial designer the components concept", "um Mark the user interface design". The
list items have no verb, so neither the action rule nor the assignment step makes them items. This script measures
the candidate rule of round 5 (helper acts2) **on top of** the shipped stage, without changing it: in a group, a
sentence that :func:`handout` accepts becomes an action item when the same speaker gave someone else an action item
(owner not the speaker) within :data:`WINDOW` utterances before it (a hand-out made so also counts as such an item).

Figures, before and after, at the shipped assignment threshold:

* AMI train meetings (98), the assignment column of every meeting from a head fitted without its fold
  (``assignment_threshold.py --train-cv``'s data): AMI ``off`` action F1 (in sample for the dialogue-act heads)
  and the share of the 183 AMI human action-item sentences with a linked act found as an action item;
* held-out train meetings (MRDA 6, AMI 16): MRDA ``^cc`` and AMI ``off`` action F1, the 28 AMI sentences.

The dev meetings are never read. Every hand-out item found on the train meetings is listed with its gold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assignment_threshold import fold_heads, prepare, rescore  # noqa: E402
from dialogue_acts import CORPORA, ROOT  # noqa: E402
from dialogue_acts_eval import _found, score  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

WINDOW = 6  # utterances of the meeting after the speaker's last task for someone else
_ROLE = re.compile(r"\b(marketing|user interface|interface|industrial design(er)?|designers?|expert|specialist|project manager)\b")
_ROLE_NOUNS = frozenset({"marketing", "user", "interface", "industrial", "designer", "designers", "expert", "experts",
                         "specialist", "project", "manager"})
_LEADING = frozenset({"and", "um", "uh", "so", "then", "also", "okay", "ok", "now", "for", "of", "course", "our", "the", "mm"})


def handout(sent: Any, participants: list[tuple[str, str]], speaker: str) -> Optional[tuple[Optional[str], str]]:
    """``(owner, how)`` of a part handed out as a verbless list item, or ``None`` when the sentence is not one.

    No finite verb (a gerund "trend watching" is a noun here), no subject pronoun or subordinate clause, at most 14
    words, not a question, a noun besides the role (the part handed out), and it names who gets the part: a
    participant's first name at its start, a role ("Marketing, …", "U_I_D_ the…"; owner open), "for you the…", or a
    capitalised name who is not a participant ("and Andrew of course the product evaluation"; owner open).
    """
    from sessionscope.analysis.extract.assign import _NOT_NAME, _ROLE_WORD, expand_roles

    toks = [t for t in sent.tokens if t.pos not in ("PUNCT", "X") and any(c.isalpha() for c in t.text)]
    if not toks or len(toks) > 14 or "?" in sent.text:
        return None
    if any(t.pos in ("VERB", "AUX") and t.tag not in ("VBG", "FW") for t in toks):
        return None
    if any(t.pos == "PRON" and t.tag != "PRP$" and t.text.isalpha() and t.text.casefold() != "you" for t in toks):
        return None
    if any(t.pos == "SCONJ" for t in toks) or not any(t.pos == "NOUN" and t.text.casefold() not in _ROLE_NOUNS for t in toks):
        return None
    low = expand_roles(sent.text).casefold()
    if re.search(r"\bfor you\b", low):
        return None, "addressee"
    first = {(name or pid).split()[0].casefold(): pid for pid, name in participants if (name or pid).split()}
    lead = [t for t in toks if t.text.casefold() not in _LEADING]
    if len(lead) > 1 and lead[0].pos == "PROPN" and lead[0].text.casefold() in first:
        pid = first[lead[0].text.casefold()]
        return (pid, "named") if pid != speaker else None
    if _ROLE.search(low):
        return None, "role"
    if len(lead) > 1 and lead[0].pos == "PROPN" and lead[0].text.isalpha() and lead[0].text[:1].isupper() \
            and lead[0].text not in _NOT_NAME and not _ROLE_WORD.search(lead[0].text):
        return None, "named"
    return None


def with_handouts(found: dict, items: dict, sess: Any, parsed: Any) -> tuple[dict, list[tuple[int, str]]]:
    """``found`` (:func:`_found` of the stage's items) with the hand-out items added, and the hand-outs (utterance, how)."""
    if len(sess.participants) <= 2:
        return found, []
    owner_of = {a.utterance_id: a.owner for a in items["action_items"]}
    parts = [(p.id, p.name) for p in sess.participants]
    last: dict[str, int] = {}
    added = []
    for i, (utt, sents) in enumerate(zip(sess.utterances, parsed, strict=True)):
        if utt.id in owner_of:
            if owner_of[utt.id] != utt.speaker:
                last[utt.speaker] = i
            continue
        if i - last.get(utt.speaker, -WINDOW - 1) > WINDOW:
            continue
        for sent in sents:
            if sent.language != "en":
                continue
            h = handout(sent, parts, utt.speaker)
            if h is not None:
                found["action"].setdefault(utt.id, []).append((h[0], (h[0],) if h[0] else (), None))
                found["recommendation"].pop(utt.id, None)
                found["n_actions"] += 1
                last[utt.speaker] = i
                added.append((i, h[1]))
                break
    return found, added


def run(stage: Any, corpus: str, prepared: dict) -> dict:
    """Before / after scores of one corpus and the hand-out items found."""
    from sessionscope.analysis.extract.stage import extract_items

    res: dict = {"before": {}, "after": {}}
    by_meeting = {}
    rows = []
    for m, (acts, sess, parsed, proba, logits) in prepared.items():
        items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                              task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
        before = _found(items)
        after, added = with_handouts(_found(items), items, sess, parsed)
        for f, key in ((before, "before"), (after, "after")):
            f["question_stripped"] = {}
            res[key][m] = {"shipped": f, "before": f, "answered": {}}
        by_meeting[m] = acts
        rows += [{"meeting": m, "text": acts[i].text, "how": how, "action_gold": acts[i].action,
                  "linked_to_human_action_item": acts[i].action_link} for i, how in added]
    out: dict = {"handouts": rows}
    for key in ("before", "after"):
        s = score(corpus, by_meeting, res[key])
        out[key] = {"action": s["shipped"]["action"], "action_items_total": s["shipped"]["action_items_total"]}
        if "ami_action_sentences" in s:
            out[key]["ami_action_sentences"] = s["ami_action_sentences"]["shipped"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="benchmarks/results/handout_context.json")
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    t0 = time.time()
    out: dict = {"command": " ".join(["python benchmarks/handout_context.py", *(argv or sys.argv[1:])]), "commit": commit(),
                 "date": dt.date.today().isoformat(), "assign_threshold": stage.assign_threshold, "window": WINDOW}
    out["train_cv"] = run(stage, "ami", rescore(stage, prepare(stage, "ami", "train"), fold_heads()))
    out["train_cv"]["split"] = "AMI train meetings, assignment head 5-fold out of fold by meeting (dialogue-act heads in sample)"
    out["heldout"] = {c: run(stage, c, prepare(stage, c)) for c in CORPORA}
    out["seconds"] = round(time.time() - t0)
    for part, data in (("train", {"ami": out["train_cv"]}), ("heldout", out["heldout"])):
        for c, r in data.items():
            print(part, c, "action F1", r["before"]["action"]["f1"], "->", r["after"]["action"]["f1"],
                  "sentences", r["before"].get("ami_action_sentences"), "->", r["after"].get("ami_action_sentences"),
                  "hand-outs", len(r["handouts"]))
    path = ROOT / args.out
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

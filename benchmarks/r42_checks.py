"""Round 42 (issue 10): the checks behind what round 42 measured and left alone, each with a stored raw result.

Usage (repository root)::

    python benchmarks/r42_checks.py counts --out benchmarks/results/r42_checks_counts.json        # seconds, no models
    python benchmarks/r42_checks.py pipe --out benchmarks/results/r42_checks_pipe.json            # about 2 minutes
    python benchmarks/r42_checks.py short-topics --out benchmarks/results/r42_checks_short_topics.json   # about 1 minute

* ``counts`` — on the MRDA and AMI train acts (fit, tune and held-out meetings; no dev): how many acts say "I would /
  I'd + a verb of doing" (advice in a one-to-one call, mostly an opinion in meetings?) and how many open with if /
  when / once and hold "I / we will / can" (the conditional veto of commitments), and how many of each are the
  corpus's suggestions and commitments.
* ``pipe`` — the shipped extraction stage on the held-out MRDA train meetings per act, as transcribed and with MRDA's
  segment mark " | " taken out of the text (is the mark why "so | i will send an email…" scores low?).
* ``short-topics`` — the shipped topics stage on 12 AMI train meetings (the seeded choice of ``topics_ami.py``), whole
  and cut into 5- and 3-minute sessions: the share of work words called "other" and of small-talk words called
  "other" (are short calls' closings a short-session effect?). The gate was fitted on AMI train meetings: in sample.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, load_acts, meetings, write_result  # noqa: E402
from dialogue_acts_eval import prf, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_I_WOULD = re.compile(r"\bi(?:'d| would)(?: also| probably| just| definitely| personally| really| first| still)? "
                      r"(?:send|start|talk|ask|write|call|try|use|block|put|take|go|check|make|set|get|keep|give|tell|"
                      r"look|do|focus|book|plan|schedule|review|add|bring|share|email|spend|read|prepare)\b", re.I)
_IF_START = re.compile(r"^(?:and |but |so )?(?:if|when|unless|whether|once)\b", re.I)
_WILL = re.compile(r"\b(?:i|we)(?:'ll| will| can| could| shall)\b", re.I)


def _head(out: Path, what: str) -> dict:
    return {"command": f"python benchmarks/r42_checks.py {what} --out {out}", "commit": commit(),
            "date": dt.date.today().isoformat()}


def counts(out: Path) -> None:
    res = {**_head(out, "counts"), "split": "MRDA and AMI train acts (fit, tune, held-out; no dev)"}
    for corpus in CORPORA:
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout")]
        would = [a for a in acts if _I_WOULD.search(a.text)]
        cond = [a for a in acts if _IF_START.search(a.text.strip().lower()) and _WILL.search(a.text)]
        res[corpus] = {
            "acts": len(acts),
            "i_would_verb": {"acts": len(would), "suggestions": sum(a.recommendation for a in would),
                             "commitments": sum(a.action for a in would)},
            "conditional_will": {"acts": len(cond), "commitments": sum(a.action for a in cond),
                                 "suggestions": sum(a.recommendation for a in cond)},
        }
    write_result(res, out)


def pipe(out: Path) -> None:
    from sessionscope.analysis.extract.stage import ExtractionStage

    stage = ExtractionStage()
    res = {**_head(out, "pipe"), "split": "held-out MRDA train meetings"}
    for mode in ("as_transcribed", "pipe_removed"):
        c = {"recommendation": [0, 0, 0], "action": [0, 0, 0]}
        for name, acts in sorted(meetings("mrda", "heldout").items()):
            if mode == "pipe_removed":
                acts = [dataclasses.replace(a, text=re.sub(r"\s*\|\s*", " ", a.text)) for a in acts]
            s = stage(session_of(name, acts))
            found = {"recommendation": {r.utterance_id for r in s.recommendations},
                     "action": {a.utterance_id for a in s.action_items}}
            for a in acts:
                for kind, ids in found.items():
                    gold, hit = getattr(a, kind), a.id in ids
                    c[kind][0] += gold and hit
                    c[kind][1] += hit and not gold
                    c[kind][2] += gold and not hit
        res[mode] = {k: prf(*v) for k, v in c.items()}
    res["acts_with_pipe"] = sum("|" in a.text for a in load_acts("mrda"))
    write_result(res, out)


def short_topics(out: Path) -> None:
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder
    from sessionscope.text import word_count
    from topics_ami import DiskCachedEncoder, gold_of, load_topics, selected, to_session, turns
    from topics_ami import load_acts as ami_acts

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    stage = TopicsStage(cfg, encoder=enc)
    acts, topics = ami_acts(), load_topics()
    names = selected("train", 12)
    res: dict = {**_head(out, "short-topics"), "split": "AMI train meetings (in sample for the gate)", "meetings": names}
    for cut_s in (0.0, 300.0, 180.0):
        tot = {"work": 0, "work_other": 0, "small": 0, "small_other": 0, "sessions": 0}
        for name in names:
            utts = turns(acts[name])
            kinds, _ = gold_of(utts, topics[name])
            chunks, cur, t0 = [], [], utts[0]["start"]
            for i, u in enumerate(utts):
                if cut_s and u["start"] - t0 >= cut_s and cur:
                    chunks.append(cur)
                    cur, t0 = [], u["start"]
                cur.append(i)
            chunks.append(cur)
            for ch in chunks:
                if len(ch) < 3:
                    continue
                seg = stage(to_session(f"{name}_{ch[0]}", [utts[i] for i in ch])).topics.segments
                area = {uid: x.area for x in seg for uid in x.utterance_ids}
                ids = [uid for x in seg for uid in x.utterance_ids]
                tot["sessions"] += 1
                for k, i in enumerate(ch):
                    w, other = word_count(utts[i]["text"]), area[ids[k]] == stage.taxonomy.other_area
                    if kinds[i] in ("work", "small"):
                        tot[kinds[i]] += w
                        tot[f"{kinds[i]}_other"] += w * other
            enc.save()
        res["whole" if not cut_s else f"cut_{int(cut_s)}s"] = {
            **tot, "work_words_as_other": round(tot["work_other"] / tot["work"], 4),
            "small_words_as_other": round(tot["small_other"] / max(1, tot["small"]), 4)}
    write_result(res, out)


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("counts", "pipe", "short-topics"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    {"counts": counts, "pipe": pipe, "short-topics": short_topics}[args.what](args.out)


if __name__ == "__main__":
    main()

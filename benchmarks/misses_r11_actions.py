"""Round 11 action items: what the missed tasks are on TRAIN meetings (error analysis for recall; dev never read).

Usage (from the repository root)::

    nice -n 10 python benchmarks/misses_r11_actions.py --ami 24 --mrda 6 --out benchmarks/results/misses_r11_actions_train.json

The first ``--ami`` AMI train meetings that have an act linked to a human action-item sentence and the first
``--mrda`` MRDA train meetings with a ``^cc`` act (by name; held-out and dev meetings are never read) go through
``extract_items`` with the shipped heads, as ``dialogue_acts_eval.py`` runs them. Each linked AMI act and each MRDA
``^cc`` act that no action item covers is put in the first kind that fits (:data:`KINDS`, on the lower-cased act):
a question, a list item without a verb, a team obligation ("we need to / have to / should…"), a task handed to
"you", one given to a role or a name in the third person, the speaker's own, other. The heads were trained on these
meetings (in sample), so the share found is flattering; what matters is the kinds of the misses. Texts stay in
``.cache/actions_r11/misses.jsonl``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

CACHE = ROOT / ".cache" / "actions_r11"
KINDS: tuple[tuple[str, str], ...] = (
    ("question", r"\?\s*$"),
    ("team_obligation", r"\bwe('ll| will)? (really )?(need to|have to|'ve got to|got ta|gotta|should|must|ought to)\b"),
    ("you_frame", r"\byou('ll| will| guys| two| all)?( have to| need to| should| can| could| are going to|'re going to|"
                  r"'re gonna| are gonna| must)?\b"),
    ("third_person", r"\b(designer|expert|manager|marketing|industrial|interface|he|she|they|[a-z]+ will)\b"),
    ("own", r"\b(i|i'll|i'm|we|we'll|let's|let me)\b"),
    ("verbless", r"^[^ ]+( [^ ]+){0,5}[.,]?$"),
)


def kind_of(text: str) -> str:
    low = " ".join(text.lower().split())
    return next((k for k, p in KINDS if re.search(p, low)), "other")


def run(n_ami: int, n_mrda: int) -> dict:
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.language.nlp import parse_texts

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    out: dict = {}
    rows = []
    for corpus, n, want in (("ami", n_ami, "action_link"), ("mrda", n_mrda, "action")):
        chosen = [(m, acts) for m, acts in sorted(meetings(corpus, "train").items()) if any(getattr(a, want) for a in acts)][:n]
        kinds: collections.Counter[str] = collections.Counter()
        found_kinds: collections.Counter[str] = collections.Counter()
        total = found = 0
        for m, acts in chosen:
            sess = session_of(m, acts)
            parsed = parse_texts([u.text for u in sess.utterances], language="en")
            items = extract_items(sess, parsed, stage.probabilities(parsed), stage.cfg, stage.dynamics, heads=stage._heads,
                                  head_logits=stage.head_logits(sess, parsed), task_encoder=stage._encoder,
                                  assign_threshold=stage.assign_threshold)
            as_action = {it.utterance_id for it in items["action_items"]}
            as_rec = {it.utterance_id for it in items["recommendations"]}
            for a in acts:
                if not getattr(a, want):
                    continue
                total += 1
                k = kind_of(a.text)
                if a.id in as_action:
                    found += 1
                    found_kinds[k] += 1
                    continue
                kinds[k] += 1
                rows.append({"corpus": corpus, "meeting": m, "act": a.id, "kind": k, "as_recommendation": a.id in as_rec,
                             "label": a.label, "text": a.text})
        out[corpus] = {"meetings": len(chosen), "gold": want, "acts": total, "found_as_action": found,
                       "missed_by_kind": dict(kinds.most_common()), "found_by_kind": dict(found_kinds.most_common()),
                       "missed_found_as_recommendation": sum(r["as_recommendation"] for r in rows if r["corpus"] == corpus)}
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "misses.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ami", type=int, default=24)
    ap.add_argument("--mrda", type=int, default=6)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    body = {"command": f"python benchmarks/misses_r11_actions.py {' '.join(argv if argv is not None else sys.argv[1:])}",
            "commit": commit(), "date": dt.date.today().isoformat(),
            "split": "train meetings (not held-out; in sample for the heads); dev never read", "figures": run(args.ami, args.mrda)}
    text = json.dumps(body, indent=1, ensure_ascii=False)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 32 (issue 10): are indirect questions without "?" ("I don't know if…", "I wonder whether…") questions to the corpora?

Usage (from the repository root; ~1 min, no models)::

    python benchmarks/r32_indirect_questions.py --out benchmarks/results/r32_indirect_questions.json

AMI elicitations (``el.*``) that the shipped detector misses are nearly all acts without "?"; some read as indirect
questions ("I don't know if you had this information already", "I wonder what one of these costs"). Would a rule
that counts such forms as questions gain? On the FIT train meetings (``r28_ft_data.split_meetings(c, "fit")``: no
held-out, tune or dev meeting), each act without "?" whose text matches one of :data:`PATTERNS` is counted with
its gold (MRDA ``q*``, AMI ``el.*``), and a few examples per pattern are kept. A rule is worth trying only where
most matches are gold questions in both corpora.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA  # noqa: E402
from r28_ft_data import split_meetings  # noqa: E402

_LEAD = r"^(?:\W*(?:so|and|but|um|uh|well|okay|ok|yeah|right|mm|now)\W+)*"
_WH = r"(?:if|whether|what|how|why|where|when|who|which)"
PATTERNS = {
    "i_dont_know_if": _LEAD + r"i (?:do ?n[o']?t|dunno) (?:really )?know " + _WH + r"\b",
    "i_wonder": r"\bi (?:was |am |'m )?(?:just )?wonder(?:ing)? " + _WH + r"\b",
    "im_not_sure": _LEAD + r"i(?:'m| am) not (?:really |quite |entirely )?sure " + _WH + r"\b",
    "i_dont_suppose": r"\bi don't suppose\b",
    "i_take_it": _LEAD + r"i take it\b",
    "any_questions": _LEAD + r"any (?:questions?|ideas?|comments?|thoughts?|suggestions?|objections?|other)\b",
    "tell_me": r"\b(?:tell me|let me know) (?:" + _WH[3:-1] + r"|about)\b",
    "id_like_to_know": r"\bi(?:'d| would) (?:be interested|like) to (?:know|hear)\b",
}
EXAMPLES = 4


def measure() -> dict:
    out: dict = {}
    for corpus in CORPORA:
        rows: dict = {k: {"acts": 0, "gold_questions": 0, "examples": []} for k in PATTERNS}
        acts_without_q = 0
        for acts in split_meetings(corpus, "fit").values():
            for a in acts:
                low = " ".join(a.text.lower().split())
                if "?" in low:
                    continue
                acts_without_q += 1
                for name, pat in PATTERNS.items():
                    if re.search(pat, low):
                        r = rows[name]
                        r["acts"] += 1
                        r["gold_questions"] += a.question
                        if len(r["examples"]) < EXAMPLES:
                            r["examples"].append({"label": a.label, "question": a.question, "text": a.text[:120]})
        for r in rows.values():
            r["share_gold"] = round(r["gold_questions"] / r["acts"], 3) if r["acts"] else None
        out[corpus] = {"acts_without_question_mark": acts_without_q, "patterns": rows,
                       "any_pattern": {"acts": sum(r["acts"] for r in rows.values()),
                                       "gold_questions": sum(r["gold_questions"] for r in rows.values())}}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    res = {"command": "python benchmarks/r32_indirect_questions.py" + (f" --out {args.out}" if args.out else ""),
           "date": dt.date.today().isoformat(), "split": "fit train meetings (r28_ft_data)", "gold": "MRDA q*, AMI el.*",
           **measure()}
    for c in CORPORA:
        print(c, res[c]["any_pattern"], {k: (v["acts"], v["gold_questions"]) for k, v in res[c]["patterns"].items()})
    if args.out:
        args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

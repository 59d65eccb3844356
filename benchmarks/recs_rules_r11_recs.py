"""Round 11 (recs): per-rule evidence on held-out train meetings, and a lower confidence for the imperative rule.

Usage (from the repository root; needs ``recs_error_analysis.py cache`` and ``recs_r10_recs.py rows`` first)::

    nice -n 10 python benchmarks/recs_rules_r11_recs.py --out benchmarks/results/recs_rules_heldout_r11_recs.json

``rules``: for every recommendation rule (and veto) that fires on a sentence of a held-out act, the acts it fires on,
the share that are corpus suggestions (MRDA ``^cs``/``^co``, AMI ``sug``), and how many the shipped code finds (tp / fp)
or misses. The English stacker turns a rule hit of confidence ``c`` into ``w_hit + w_conf · c`` log-odds
(``act_lexical_en.npz``: −8.48 + 13.52 c, so 0.75 adds +1.66, 0.65 +0.31), and the imperative rule, a constant 0.75,
fires on many acts that are not suggestions. ``imperative``: held-out recommendation P / R / F1 with that constant
lowered (0.75 as shipped, 0.70, 0.65), the stacker unchanged. No dev meeting is read.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recs_prior_r11_recs as rp  # noqa: E402
from dialogue_acts import CORPORA, meetings  # noqa: E402
from recs_context_r11_recs import shipped_acts  # noqa: E402
from recs_error_analysis import CACHE  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def rules() -> dict:
    from sessionscope.analysis.extract.recommendations import recommendation_rule

    with CACHE.open("rb") as fh:
        cached = pickle.load(fh)
    found = shipped_acts()
    st: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for c in CORPORA:
        for m, acts in meetings(c, "heldout").items():
            parsed = cached[(c, m)][0]
            for i, a in enumerate(acts):
                names = {f"{h.rule}{' (veto)' if h.veto else ''} {h.confidence}"
                         for h in (recommendation_rule(s) for s in parsed[i]) if h is not None}
                for n in names:
                    st[n][(c, a.recommendation, i in found[m])] += 1
    out = {}
    for n, cn in sorted(st.items(), key=lambda x: -sum(x[1].values())):
        row = {}
        for c in CORPORA:
            gold = cn[(c, True, True)] + cn[(c, True, False)]
            acts = gold + cn[(c, False, True)] + cn[(c, False, False)]
            row[c] = {"acts": acts, "suggestions": gold, "share": round(gold / acts, 3) if acts else None,
                      "tp": cn[(c, True, True)], "fp": cn[(c, False, True)], "fn": cn[(c, True, False)]}
        out[n] = row
    return out


def imperative(confs: tuple[float, ...]) -> list[dict]:
    import sessionscope.analysis.extract.recommendations as rec

    orig = rec._english
    res = []
    try:
        for conf in confs:
            def patched(sent, conf=conf):
                h = orig(sent)
                return dataclasses.replace(h, confidence=conf) if h is not None and h.rule == "imperative" and not h.veto else h

            rec._english = patched  # type: ignore[assignment]
            row = rp.sweep([{"lam": 0.0, "strength": 0, "em": 0}])["settings"][0]
            res.append({"imperative_confidence": conf, **{c: row[c] for c in CORPORA}})
    finally:
        rec._english = orig  # type: ignore[assignment]
    return res


# the CLI with the imperative rule's confidence set to CONF (``--audit-tag``: the audited real talk)
_CLI = ("import sys, dataclasses; import sessionscope.analysis.extract.recommendations as rec; _orig = rec._english\n"
        "def _patched(sent):\n"
        "    h = _orig(sent)\n"
        "    return dataclasses.replace(h, confidence={conf}) if h is not None and h.rule == 'imperative' and not h.veto else h\n"
        "rec._english = _patched\n"
        "from sessionscope.cli import main; sys.argv[0] = 'sessionscope'; sys.exit(main())")


def audit_run(work: Path, tag: str, sessions: list[str], conf: float) -> None:
    """``audit_real_talk.py run`` with the imperative rule's confidence set to ``conf``."""
    rp.run_cli(work, tag, sessions, _CLI.format(conf=conf))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--audit-work", type=Path, help="instead: run the audited real talk with --audit-conf")
    ap.add_argument("--audit-tag")
    ap.add_argument("--audit-conf", type=float, default=0.70)
    ap.add_argument("--sessions", default="SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b")
    a = ap.parse_args(argv)
    if a.audit_work:
        audit_run(a.audit_work, a.audit_tag, a.sessions.split(","), a.audit_conf)
        return 0
    res = {"command": "python benchmarks/recs_rules_r11_recs.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "split": "held-out train meetings (MRDA 6, AMI 16); dev never read",
           "rules": rules(), "imperative": imperative((0.75, 0.70, 0.65))}
    if a.out:
        a.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

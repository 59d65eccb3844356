"""Measure a proposal for the extraction stage: some rule vetoes rule their kind out instead of only voting.

The stacker sees a rule's veto as one input among others (weights: about -1.1 on a
recommendation's logit, -0.4 on an action's), so an action item about the meeting itself
("first I'll introduce myself", "I'll pass the pen to…") still comes out when the heads like
it. This script wraps ``stage.decide`` so that the vetoes named below drop the item, then runs
either the held-out pipeline eval or the CLI on the audit files, to measure the change
before anyone edits ``stage.py`` (owned elsewhere). Nothing in the package is changed.

Usage (from the repository root)::

    nice -n 10 python benchmarks/audit_hard_vetoes.py eval --kinds action \\
        --out benchmarks/results/dialogue_acts_eval_heldout_r6_audit_hardveto_action.json
    python benchmarks/audit_hard_vetoes.py analyze --kinds action,recommendation --tag hard
    nice -n 10 python benchmarks/audit_hard_vetoes.py eval --kinds "" --quoted --out …   # quotative context only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

HARD = {
    "action": ("meeting_itself", "speech_act"),
    "recommendation": ("reported_speech", "subordinate_only", "discourse", "meeting_itself"),
}


def install(kinds: list[str]) -> None:
    """Wrap ``stage.decide``: a head decision of a kind in ``kinds`` whose own rule vetoed it is dropped."""
    import sessionscope.analysis.extract.stage as st

    orig = st.decide

    def decide(sent, hits, proba, heads, logits, cfg):  # noqa: ANN001, ANN202
        d, calibrated = orig(sent, hits, proba, heads, logits, cfg)
        if d is not None and d.kind in kinds:
            h = hits.get(d.kind)
            if h is not None and h.veto and h.rule in HARD[d.kind]:
                return None, False
        return d, calibrated

    st.decide = decide


_QUOTED: set[int] = set()


def quoted_sentences(session, parsed) -> set[int]:  # noqa: ANN001
    """``id()`` of the sentences a quotative frame opens (:func:`~sessionscope.analysis.extract.rules.quoted_by_frame`)."""
    from sessionscope.analysis.extract.rules import quoted_by_frame

    pairs = quoted_by_frame([u.speaker for u in session.utterances], parsed)
    return {id(parsed[i][j]) for i, j in pairs}


def install_quoted() -> None:
    """Drop recommendations and action items in lines a quotative frame opens ("I was like, | just leave it")."""
    import sessionscope.analysis.extract.stage as st

    orig_extract, orig_decide = st.extract_items, st.decide

    def extract_items(session, parsed, *a, **k):  # noqa: ANN001, ANN202
        _QUOTED.clear()
        _QUOTED.update(quoted_sentences(session, parsed))
        return orig_extract(session, parsed, *a, **k)

    def decide(sent, hits, proba, heads, logits, cfg):  # noqa: ANN001, ANN202
        d, calibrated = orig_decide(sent, hits, proba, heads, logits, cfg)
        if d is not None and d.kind in ("recommendation", "action") and id(sent) in _QUOTED:
            return None, False
        return d, calibrated

    st.extract_items, st.decide = extract_items, decide


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("eval", "analyze"))
    ap.add_argument("--kinds", default="action")
    ap.add_argument("--out", type=Path, help="eval: result JSON")
    ap.add_argument("--tag", default="hard", help="analyze: output folder under the audit work folder")
    ap.add_argument("--work", type=Path, default=Path("/tmp/s6/audit"))
    ap.add_argument("--sessions", default=None)
    ap.add_argument("--quoted", action="store_true", help="also drop items in lines a quotative frame opens")
    args = ap.parse_args()
    install([k for k in args.kinds.split(",") if k])
    if args.quoted:
        install_quoted()
    if args.cmd == "eval":
        import dialogue_acts_eval

        argv = ["--split", "heldout"] + (["--out", str(args.out)] if args.out else [])
        return dialogue_acts_eval.main(argv)
    import audit_real_talk
    from sessionscope.cli import cli

    manifest = audit_real_talk.prepare(args.work)
    sessions = (args.sessions or ",".join(s for s in audit_real_talk.SESSIONS if s not in audit_real_talk.HELD_ASIDE)).split(",")
    text = manifest.read_text(encoding="utf-8").split("\n- id: ")
    sub = args.work / f"manifest_{args.tag}.yaml"
    sub.write_text("\n- id: ".join([text[0]] + [b for b in text[1:] if b.split("\n", 1)[0] in sessions]), encoding="utf-8")
    try:
        cli(["analyze", "--manifest", str(sub), "--out", str(args.work / args.tag), "--force", "--no-progress",
             "--format", "markdown"], standalone_mode=False)
    except SystemExit as e:  # click's exit code
        return int(e.code or 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

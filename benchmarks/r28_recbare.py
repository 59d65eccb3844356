"""Round 28: recommendations and action items on text without punctuation (issue 10, "recbare").

Usage (from the repository root; held-out TRAIN meetings only, ~15-25 min on 2 cores)::

    nice -n 10 python benchmarks/r28_recbare.py --out benchmarks/results/r28_recbare_baseline.json
    nice -n 10 python benchmarks/r28_recbare.py --variant K2I --out benchmarks/results/r28_recbare_K2I.json  # etc.
    nice -n 10 python benchmarks/r28_recbare.py --checks K2I   # written EN/RU dev rows + examples, step off and K2I

Per corpus (MRDA, AMI; the held-out train meetings of ``benchmarks/dialogue_acts.py``), the shipped extraction
(``parse_texts`` → ``ExtractionStage.probabilities`` / ``head_logits`` → ``extract_items``, as
``dialogue_acts_eval.run_meeting`` calls it) scored for recommendations and action items (and the action items' owner)
in these conditions:

- ``as_transcribed``: every act as the corpus writes it;
- ``bare``: every act without punctuation or capitals (``strip_punctuation``), one utterance per act;
- ``bare_turns``: every act bare and a speaker's consecutive acts merged into one utterance (a recogniser's turn);
- ``stretch0.4_seedS``: each 30-second chunk made bare with probability 0.4 (:func:`dialogue_acts_eval.bare_stretches`,
  seeds 0, 1, 2, the r28_mixed simulation), one utterance per act, and ``..._turns``: with a speaker's consecutive acts
  inside one bare chunk merged (:func:`merge_units`, as ``r28_mixed.merge_bare_turns``).

Scoring. One utterance per act: an item counts on the act it was found on (as ``dialogue_acts_eval``). Merged turns:
``per_unit`` (as r28_mixed scores questions on merged turns: a unit is gold for a kind when one of its acts is, found
when an item of that kind was found on the unit) and ``per_act`` (each item mapped back to the act whose character span
in the merged text holds the item's sentence start, then scored per act). Owner right: of the action items found on a
gold action act / unit, the share whose owner is the speaker (the corpus's gold owner is the act's speaker).
``--variant`` sets a candidate (:data:`VARIANTS`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, Act, meetings, write_result  # noqa: E402
from dialogue_acts_eval import bare_stretches, prf  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SEEDS = (0, 1, 2)
STRETCH_P = 0.4
STRETCH_S = 30.0
KINDS = ("recommendation", "action")
VARIANTS: dict[str, dict] = {  # the pre-set candidates (the helper's progress notes, written before scoring)
    "shipped": {}, "before": {"I_CASE": False, "CUT_RULE": "off"}, "I0": {"I_CASE": True, "CUT_RULE": "off"},
    "K1I": {"I_CASE": True, "CUT_RULE": "both"}, "K2I": {"I_CASE": True, "CUT_RULE": "advice"},
    "K3I": {"I_CASE": True, "CUT_RULE": "question"},
    "LAI": {"I_CASE": True, "CUT_RULE": "act"},  # added after K2I was scored (progress file, before training/scoring it)
    "LAI6": {"I_CASE": True, "CUT_RULE": "act", "CUT_MIN_WORDS": 6},  # added after LAI was scored (progress file)
    "LAI8": {"I_CASE": True, "CUT_RULE": "act", "CUT_MIN_WORDS": 8},
}


def set_variant(name: str) -> None:
    """Set ``extract.bare``'s constants to candidate ``name`` (``shipped``: the module's own values)."""
    from sessionscope.analysis.extract import bare

    if not _SHIPPED:
        _SHIPPED.update({k: getattr(bare, k) for k in ("I_CASE", "CUT_RULE", "CUT_MIN_WORDS")})
    for k, v in {**_SHIPPED, **VARIANTS[name]}.items():
        setattr(bare, k, v)


_SHIPPED: dict = {}

_PARSED: dict[str, list] = {}


def parse_memo(texts: list[str], language: str | None = "en") -> list:
    """``parse_texts`` with a text → sentences memo (a text's parse reads only that text: see ``nlp._parse_distinct``)."""
    from sessionscope.language.nlp import parse_texts

    todo = [t for t in dict.fromkeys(texts) if t not in _PARSED]
    if todo:
        for t, p in zip(todo, parse_texts(todo, language=language), strict=True):
            _PARSED[t] = p
    return [_PARSED[t] for t in texts]


def parse_utterances(texts: list[str]) -> list:
    """The extraction stage's parse (``extract.bare.parse_utterances``), its ``parse_texts`` memoised."""
    from sessionscope.analysis.extract import bare

    saved = bare.parse_texts
    bare.parse_texts = parse_memo
    try:
        return bare.parse_utterances(texts, language="en")
    finally:
        bare.parse_texts = saved


@dataclass
class Unit:
    """One utterance given to the extraction: the acts it covers and their character spans in its text."""

    id: str
    speaker: str
    start: float | None
    end: float | None
    text: str
    parts: list[tuple[Act, int, int]]
    bare: bool


def units_of(acts: list[Act], bare_ids: set[str], *, merge: bool, same_chunk: bool = True) -> list[Unit]:
    """One unit per act, or (``merge``) a speaker's consecutive bare acts merged into one unit (``same_chunk``: only
    inside one ``STRETCH_S`` chunk, as ``r28_mixed.merge_bare_turns``; else a whole bare turn)."""
    out: list[Unit] = []
    chunk, last_chunk = 0, None
    for a in acts:
        if a.start is not None:
            chunk = int(a.start // STRETCH_S)
        bare = a.id in bare_ids
        if (merge and out and bare and out[-1].bare and out[-1].speaker == a.speaker
                and (chunk == last_chunk or not same_chunk)):
            u = out[-1]
            if a.text:
                off = len(u.text) + 1 if u.text else 0
                u.text = f"{u.text} {a.text}" if u.text else a.text
                u.parts.append((a, off, off + len(a.text)))
            else:
                u.parts.append((a, len(u.text), len(u.text)))
            u.end = a.end if a.end is not None else u.end
        else:
            out.append(Unit(a.id, a.speaker, a.start, a.end, a.text, [(a, 0, len(a.text))], bare))
        last_chunk = chunk
    return out


def extract(meeting: str, units: list[Unit], stage) -> dict:
    """The shipped recommendations and action items of a meeting given as ``units`` (``dialogue_acts_eval``'s calls)."""
    from sessionscope.analysis.extract.stage import extract_items
    from sessionscope.model import Participant, Session, Utterance

    utts = tuple(Utterance(id=u.id, speaker=u.speaker, text=u.text, start=u.start, end=u.end) for u in units)
    sess = Session(id=meeting, participants=tuple(Participant(id=s, name=s) for s in sorted({u.speaker for u in units})),
                   utterances=utts, language="en")
    parsed = parse_utterances([u.text for u in utts])
    proba = stage.probabilities(parsed)
    logits = stage.head_logits(sess, parsed)
    return extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                         task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)


def _act_at(u: Unit, char: int | None) -> Act:
    if char is None or len(u.parts) == 1:
        return u.parts[0][0]
    for a, s, e in u.parts:
        if char < e or (s == e == char):
            return a
    return u.parts[-1][0]


def score_units(units: list[Unit], items: dict, rows: dict) -> None:
    """Add one meeting's per-unit and per-act rows to ``rows``."""
    by_unit = {u.id: u for u in units}
    found_unit: dict[str, set[str]] = {k: set() for k in KINDS}
    found_act: dict[str, set[str]] = {k: set() for k in KINDS}
    owners_unit: dict[str, list] = {}
    for r in items["recommendations"]:
        found_unit["recommendation"].add(r.utterance_id)
        found_act["recommendation"].add(_act_at(by_unit[r.utterance_id], r.char_start).id)
    for it in items["action_items"]:
        found_unit["action"].add(it.utterance_id)
        found_act["action"].add(_act_at(by_unit[it.utterance_id], it.char_start).id)
        owners_unit.setdefault(it.utterance_id, []).append(it.owner)
    for u in units:
        for k in KINDS:
            rows["unit"][k].append((any(getattr(a, k) for a, _, _ in u.parts), u.id in found_unit[k], u.bare))
            for a, _, _ in u.parts:
                rows["act"][k].append((getattr(a, k), a.id in found_act[k], u.bare))
        if any(a.action for a, _, _ in u.parts):
            rows["owner"] += [o == u.speaker for o in owners_unit.get(u.id, [])]
    rows["n_units"] += len(units)
    rows["n_recommendations"] += len(items["recommendations"])
    rows["n_actions"] += len(items["action_items"])


def _prf(rows: list[tuple[bool, bool, bool]], *, bare_only: bool = False) -> dict:
    sel = [(g, f) for g, f, b in rows if b or not bare_only]
    return prf(sum(g and f for g, f in sel), sum(f and not g for g, f in sel), sum(g and not f for g, f in sel))


def run_condition(by_meeting: dict[str, list[Act]], stage, kind: str, seed: int, merge: bool) -> dict:
    rows: dict = {"unit": {k: [] for k in KINDS}, "act": {k: [] for k in KINDS}, "owner": [], "n_units": 0,
                  "n_recommendations": 0, "n_actions": 0}
    from sessionscope.analysis.extract.heads import strip_punctuation

    for m, acts in by_meeting.items():
        ids: set[str] = set()
        if kind == "stretch":
            acts, ids, _, _ = bare_stretches(acts, STRETCH_P, seed, stretch_s=STRETCH_S, meeting=m)
        elif kind == "bare":
            acts = [dc_replace(a, text=strip_punctuation(a.text)) for a in acts]
            ids = {a.id for a in acts}
        units = units_of(acts, ids, merge=merge, same_chunk=kind == "stretch")
        score_units(units, extract(m, units, stage), rows)
    out: dict = {"units": rows["n_units"], "recommendations_found": rows["n_recommendations"],
                 "action_items_found": rows["n_actions"]}
    for k in KINDS:
        out[k] = _prf(rows["act"][k])
        if merge:
            out[k + "_per_unit"] = _prf(rows["unit"][k])
        if kind == "stretch":
            out[k + "_in_bare_stretches"] = _prf(rows["act"][k], bare_only=True)
            if merge:
                out[k + "_per_unit_in_bare_stretches"] = _prf(rows["unit"][k], bare_only=True)
    out["action_owner_right"] = round(float(np.mean(rows["owner"])), 3) if rows["owner"] else None
    out["action_owner_n"] = len(rows["owner"])
    return out


CONDITIONS = [("as_transcribed", "", 0, False), ("bare", "bare", 0, False), ("bare_turns", "bare", 0, True)]
CONDITIONS += [(f"stretch{STRETCH_P:g}_seed{s}", "stretch", s, False) for s in SEEDS]
CONDITIONS += [(f"stretch{STRETCH_P:g}_seed{s}_turns", "stretch", s, True) for s in SEEDS]


def checks(variant: str) -> int:
    """The ship rule's written rows with the step off (``before``) and as ``variant``: ``extraction_eval --split dev``
    (the written EN/RU sets, parsed as the stage parses, and the example sessions through the stage). Writes
    ``r28_recbare_extraction_dev_{before,VARIANT}.json``."""
    import extraction_eval

    res = ROOT / "benchmarks" / "results"
    for name in ("before", variant):
        set_variant(name)
        extraction_eval.main(["--split", "dev", "--out", str(res / f"r28_recbare_extraction_dev_{name}.json")])
    set_variant("shipped")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", default="shipped", choices=sorted(VARIANTS))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--checks", default=None, choices=sorted(VARIANTS), metavar="VARIANT",
                    help="the written EN/RU rows and the example sessions, step off and VARIANT (see checks())")
    ap.add_argument("--corpus", choices=CORPORA, default=None)
    ap.add_argument("--split", choices=("heldout", "dev"), default="heldout",
                    help="held-out train meetings (choosing) or the dev meetings (the lead, once, at the end)")
    ap.add_argument("--conditions", default=None, help="comma-separated condition names (default: all)")
    ap.add_argument("--action-rule-floor", default="default", metavar="F|none",
                    help="extraction.action_rule_floor for this run (round 34; default: the configuration's)")
    args = ap.parse_args(argv)
    if args.checks:
        return checks(args.checks)
    if args.out is None:
        ap.error("--out is required")
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    set_variant(args.variant)
    floor = {} if args.action_rule_floor == "default" else \
        {"action_rule_floor": None if args.action_rule_floor == "none" else float(args.action_rule_floor)}
    stage = ExtractionStage(ExtractionConfig(**floor), DynamicsConfig())
    stage._model()
    stage._act_heads()
    wanted = set(args.conditions.split(",")) if args.conditions else None
    out: dict = {"command": "python benchmarks/r28_recbare.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": "heldout (train meetings)" if args.split == "heldout" else "dev",
                 "variant": args.variant, "rule": dict(_SHIPPED, **VARIANTS[args.variant]), "system": "shipped (extract_items, as dialogue_acts_eval.run_meeting)",
                 "stretch_p": STRETCH_P, "stretch_s": STRETCH_S}
    t0 = time.time()
    for corpus in (args.corpus,) if args.corpus else CORPORA:
        by_meeting = meetings(corpus, args.split)
        res: dict = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                     "gold": {k: sum(getattr(a, k) for v in by_meeting.values() for a in v) for k in KINDS}}
        for name, kind, seed, merge in CONDITIONS:
            if wanted and name not in wanted:
                continue
            res[name] = run_condition(by_meeting, stage, kind, seed, merge)
            print(corpus, name, f"{time.time() - t0:.0f}s", json.dumps({k: res[name][k] for k in (*KINDS, "action_owner_right")}),
                  flush=True)
        for suffix in ("", "_turns"):
            runs = [res[f"stretch{STRETCH_P:g}_seed{s}{suffix}"] for s in SEEDS if f"stretch{STRETCH_P:g}_seed{s}{suffix}" in res]
            if runs:
                mean = {}
                for key in runs[0]:
                    if isinstance(runs[0][key], dict) and "f1" in runs[0][key]:
                        mean[key + "_f1"] = round(float(np.mean([r[key]["f1"] for r in runs])), 4)
                owners = [r["action_owner_right"] for r in runs if r["action_owner_right"] is not None]
                mean["action_owner_right"] = round(float(np.mean(owners)), 4) if owners else None
                res[f"stretch{STRETCH_P:g}_mean{suffix}"] = mean
        out[corpus] = res
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

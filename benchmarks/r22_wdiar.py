"""Round 22 (issue 11): which speaker each recognised word is given to (word diarization error rate).

    nice -n 10 .venv/bin/python benchmarks/r22_wdiar.py --json benchmarks/results/r22_wdiar_before.json

DER scores the delivered turns; nothing scored the delivered *words*: what the pair reads in the
transcript and what the question/advice/task detectors credit to a person. Here every development file
runs through ``recognise_step`` (the same code path as ``run`` up to the label → participant mapping,
which only renames labels; transcription and diarization come from the result cache) with the
``tiny.en`` configuration of the English DER benchmarks (``benchmarks/configs/tiny_en.yaml``), and the
delivered utterances' words are scored against the reference RTTM by time (no word-level reference
exists here):

* **WDER** (Shafey et al. 2019, scored by time): the delivered speaker labels are mapped one-to-one to
  the reference speakers by overlap time of the delivered turns (as DER maps them); a word is *right*
  when its mapped speaker is among the reference speakers active over its span widened by ``--tol``
  (0.1 s) on each side, *wrong* otherwise (an unmapped label is wrong), and *in silence* (not scored,
  counted apart) when no reference speaker is active there. WDER = wrong / scored.
* **cut sentences**: delivered speaker changes between two consecutive words (in time) that both lie in
  one reference speaker's single turn (that speaker's segments joined across pauses of up to 1 s in
  which nobody else speaks), with no other reference speaker active from the first word's start to
  the second word's end (widened by ``--tol``). ``changes`` counts all delivered word-to-word changes.
* **DER** of the delivered turns (utterances with a span), collar 0 and 0.25, for reference.

Every wrong word is put in one class (first that applies): ``extra_label`` (the delivered label maps to
no reference speaker), ``ref_overlap`` (two reference speakers active: the label is a third one),
``backchannel`` (the true speaker's reference turn is at most 1 s long), ``turn_edge`` (within 0.5 s of
the start or end of its reference turn, given to a speaker with a reference turn within 1 s), ``interior`` (inside a longer
reference turn: the diarization put another voice there). Non-exclusive flags: ``fill_turn`` (the word's
delivered turn is not one the diarization made: added by the word-backed fill, cut by the re-scoring or
moved by the seam check),
``stray`` (attached to no turn), ``spans_change`` (the word overlaps delivered turns of two labels),
``into_silence`` (a third or more of the word's span lies outside all reference speech), ``right_turn_near``
(a delivered turn of a right speaker lies within 0.25 s of the word: the word could have gone there; without
it the delivered turns themselves are wrong there and no word assignment can help).

Development sets only (never a held-out one): ``conv/dev_r19``, ``conv/dev_r19_calls_{clean,phone,zoom,laptop,opus24}``,
``farfield``, ``farfield2``, ``pyannote-ami`` (the four pyannote AMI excerpts and the pyannote sample).
Split: in each set, files at an even index (sorted by name) are the *choose* half, odd the *confirm*
half (the call sets are the dev_r19 conversations through channels: the same index is the same
conversation, so it stays in one half).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEV_SETS = ("conv/dev_r19", "conv/dev_r19_calls_clean", "conv/dev_r19_calls_phone", "conv/dev_r19_calls_zoom",
            "conv/dev_r19_calls_laptop", "conv/dev_r19_calls_opus24", "farfield", "farfield2", "pyannote-ami")
CONFIG = ROOT / "benchmarks" / "configs" / "tiny_en.yaml"

Seg = tuple[float, float, str]
HWord = tuple[float, float, str, str]  # start, end, delivered label, text


# ---------------------------------------------------------------- scoring (pure, tested model-free)

def speaker_map(ref: Sequence[Seg], hyp: Sequence[Seg], step: float = 0.01) -> dict[str, str]:
    """Delivered label → reference speaker: the one-to-one mapping with the most overlap time (DER's)."""
    from sessionscope.audio.der import _matrix
    from sessionscope.audio.hierarchy import linear_sum_assignment

    rl, hl = sorted({x for *_, x in ref}), sorted({x for *_, x in hyp})
    if not rl or not hl:
        return {}
    n = int(np.ceil(max(e for _, e, _ in [*ref, *hyp]) / step)) + 1
    co = _matrix(list(ref), n, rl).astype(np.int32) @ _matrix(list(hyp), n, hl).T.astype(np.int32)
    ri, hi = linear_sum_assignment(-co)
    return {hl[j]: rl[i] for i, j in zip(ri, hi, strict=True) if co[i, j] > 0}


def active(ref: Sequence[Seg], s: float, e: float) -> set[str]:
    """Reference speakers with speech in [s, e]."""
    return {x for a, b, x in ref if a < e and b > s}


def ref_turns(ref: Sequence[Seg], join_s: float = 1.0) -> list[Seg]:
    """Each reference speaker's segments joined across pauses of up to ``join_s`` in which nobody else speaks."""
    out: list[Seg] = []
    for spk in sorted({x for *_, x in ref}):
        for a, b, _ in sorted(s for s in ref if s[2] == spk):
            if out and out[-1][2] == spk and a - out[-1][1] <= join_s and not (active(ref, out[-1][1], a) - {spk}):
                out[-1] = (out[-1][0], max(out[-1][1], b), spk)
            else:
                out.append((a, b, spk))
    return sorted(out)


def verdict(ref: Sequence[Seg], w: HWord, mapping: dict[str, str], tol: float) -> str:
    """``right``, ``wrong`` or ``silence`` for one delivered word (see the module docstring)."""
    act = active(ref, w[0] - tol, max(w[1], w[0] + 0.01) + tol)
    if not act:
        return "silence"
    return "right" if mapping.get(w[2]) in act else "wrong"


def cuts(ref: Sequence[Seg], words: Sequence[HWord], tol: float, join_s: float = 1.0) -> tuple[int, list[dict[str, Any]]]:
    """Delivered word-to-word speaker changes, and those inside one reference speaker's single turn."""
    turns = ref_turns(ref, join_s)
    ws = sorted(words)
    n, out = 0, []
    for a, b in zip(ws, ws[1:], strict=False):
        if a[2] == b[2]:
            continue
        n += 1
        s, e = a[0] - tol, max(b[1], a[1]) + tol
        act = active(ref, s, e)
        if len(act) != 1:
            continue
        spk = next(iter(act))
        if any(t[2] == spk and t[0] <= a[1] and t[1] >= b[0] and t[0] - tol <= a[0] and b[1] <= t[1] + tol for t in turns):
            out.append({"at": round((a[1] + b[0]) / 2, 2), "before": a[3].strip(), "after": b[3].strip(), "ref": spk})
    return n, out


def classify(ref: Sequence[Seg], w: HWord, mapping: dict[str, str], *, tol: float, hyp_turns: Sequence[tuple[float, float, str, str]],
             edge_s: float = 0.5, backchannel_s: float = 1.0, near_s: float = 0.25, stray: bool = False) -> tuple[str, list[str]]:
    """The class of a wrong word and its flags (module docstring). ``hyp_turns``: (start, end, label, origin)."""
    s, e = w[0], max(w[1], w[0] + 0.01)
    act = active(ref, s - tol, e + tol)
    flags = []
    own = [t for t in hyp_turns if t[2] == w[2] and t[0] - tol <= (s + e) / 2 <= t[1] + tol]
    if any(t[3] != "diar" for t in own):
        flags.append("fill_turn")
    if stray:
        flags.append("stray")
    if len({t[2] for t in hyp_turns if t[0] < e and t[1] > s}) >= 2:
        flags.append("spans_change")
    right = active(ref, s - tol, e + tol)
    if any(mapping.get(t[2]) in right and t[0] < e + near_s and t[1] > s - near_s for t in hyp_turns):
        flags.append("right_turn_near")
    inside = sum(max(0.0, min(e, b) - max(s, a)) for a, b in merge_ref(ref))
    if inside < (2 / 3) * (e - s):
        flags.append("into_silence")
    if w[2] not in mapping:
        return "extra_label", flags
    if len(act) >= 2:
        return "ref_overlap", flags
    turns = ref_turns(ref)
    true = [t for t in turns if t[2] in act and t[0] < e + tol and t[1] > s - tol]
    if true and min(t[1] - t[0] for t in true) <= backchannel_s:
        return "backchannel", flags
    given = mapping[w[2]]
    beside = any(t[2] == given and max(0.0, t[0] - e, s - t[1]) <= 1.0 for t in turns)
    at_edge = any(min(abs(s - t[0]), abs(e - t[1])) <= edge_s for t in true)
    if beside and at_edge:
        return "turn_edge", flags
    return "interior", flags


def merge_ref(ref: Sequence[Seg]) -> list[tuple[float, float]]:
    from sessionscope.analysis import intervals as iv

    return list(iv.merge((a, b) for a, b, _ in ref))


def score(ref: Sequence[Seg], words: Sequence[HWord], hyp: Sequence[Seg], *, tol: float = 0.1,
          hyp_turns: Sequence[tuple[float, float, str, str]] = (), strays: frozenset[int] = frozenset(),
          detail: bool = False) -> dict[str, Any]:
    """WDER and its counts for one file. ``hyp``: the delivered turns (for the mapping and the classes);
    ``hyp_turns``: the same with their origin; ``strays``: indexes of words attached to no turn."""
    mapping = speaker_map(ref, hyp)
    v = [verdict(ref, w, mapping, tol) for w in words]
    scored, wrong = sum(x != "silence" for x in v), sum(x == "wrong" for x in v)
    changes, cut = cuts(ref, words, tol)
    out: dict[str, Any] = {"words": len(words), "scored": scored, "wrong": wrong, "silence": v.count("silence"),
                           "wder": round(100 * wrong / scored, 2) if scored else None,
                           "changes": changes, "cut_sentences": len(cut)}
    classes: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    examples = []
    ht = hyp_turns or [(a, b, x, "diar") for a, b, x in hyp]
    for i, (w, x) in enumerate(zip(words, v, strict=True)):
        if x != "wrong":
            continue
        c, f = classify(ref, w, mapping, tol=tol, hyp_turns=ht, stray=i in strays)
        classes[c] += 1
        flags.update(f)
        if detail:
            examples.append({"t": round(w[0], 2), "word": w[3].strip(), "class": c, "flags": f,
                             "given": mapping.get(w[2], w[2]), "ref": sorted(active(ref, w[0] - tol, w[1] + tol))})
    out["classes"], out["flags"] = dict(classes), dict(flags)
    if detail:
        out["wrong_words"], out["cut_examples"] = examples, cut
    return out


def pooled(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Sums over files: WDER of all scored words, counts, classes, and the pooled DER."""
    scored, wrong = sum(r["scored"] for r in rows), sum(r["wrong"] for r in rows)
    classes: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    for r in rows:
        classes.update(r["classes"])
        flags.update(r["flags"])
    out: dict[str, Any] = {"files": len(rows), "words": sum(r["words"] for r in rows), "scored": scored, "wrong": wrong,
                           "wder": round(100 * wrong / scored, 2) if scored else None,
                           "silence": sum(r["silence"] for r in rows), "changes": sum(r["changes"] for r in rows),
                           "cut_sentences": sum(r["cut_sentences"] for r in rows),
                           "classes": dict(classes.most_common()), "flags": dict(flags.most_common())}
    for c in ("0.0", "0.25"):
        if all(f"err_s_c{c}" in r for r in rows):
            out[f"der_pooled_c{c}"] = round(100 * sum(r[f"err_s_c{c}"] for r in rows) / max(sum(r[f"ref_s_c{c}"] for r in rows), 1e-9), 2)
    return out


# ---------------------------------------------------------------- running the pipeline

def _der_module() -> Any:
    spec = importlib.util.spec_from_file_location("diarization_der", ROOT / "benchmarks" / "diarization_der.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


#: the held-out sets, for the lead's one run at the end of a round (``--heldout``): never chosen on
HELDOUT_SETS = ("ami", "libri-report")


def files(sets: Sequence[str], *, heldout: bool = False) -> list[tuple[str, str, Path, Path, str]]:
    """(set, uri, wav, rttm, half) of the development sets, half = choose (even index) / confirm (odd); with
    ``heldout``, the held-out sets instead (half "heldout")."""
    dd = _der_module()
    out = []
    if heldout:
        for name in sets:
            if name not in HELDOUT_SETS:
                raise SystemExit(f"{name}: not a held-out set ({', '.join(HELDOUT_SETS)})")
            out += [(name, uri, wav, rttm, "heldout") for uri, wav, rttm in dd.cases(name)]
        return out
    for name in sets:
        if name not in DEV_SETS:
            raise SystemExit(f"{name}: not a development set this benchmark may run ({', '.join(DEV_SETS)})")
        for i, (uri, wav, rttm) in enumerate(dd.cases(name)):
            out.append((name, uri, wav, rttm, "choose" if i % 2 == 0 else "confirm"))
    return out


def collect(wav: Path, config: Any) -> dict[str, Any]:
    """Run ``recognise_step`` on one file; record its transcription segments, the diarization's turns, the
    turns the words were aligned to (after the fill and the re-scoring) and the delivered utterances."""
    from sessionscope.audio import align
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import decode_step, recognise_step, seed_everything

    seen: dict[str, Any] = {}
    original = align.utterances_from_turns

    def spy(segments: Any, turns: Any, **kw: Any) -> Any:
        seen["turns"] = [(t.start, t.end, t.speaker) for t in turns]
        return original(segments, turns, **kw)

    decoded = decode_step(wav)
    seed_everything(decoded.sha256)
    align.utterances_from_turns = spy  # type: ignore[assignment]
    try:
        rec = recognise_step(decoded, config=config, language=None, n_people=0, cache=ResultCache())
    finally:
        align.utterances_from_turns = original  # type: ignore[assignment]
    diar = rec.diarization
    return {"segments": list(rec.asr.segments), "diar_turns": [(t.start, t.end, t.speaker) for t in diar.turns] if diar else [],
            "turns": seen.get("turns", []), "duration": decoded.audio.duration_s,
            "utterances": [(u.start, u.end, u.speaker, [(w.word.start, w.word.end, w.word.text) for w in u.words],
                            u.span is not None) for u in rec.utterances]}


def evaluate(rec: dict[str, Any], ref: list[Seg], *, tol: float, detail: bool = False,
             utterances: list[tuple[float, float, str, list, bool]] | None = None) -> dict[str, Any]:
    """Score one file's delivered utterances (``utterances`` overrides the recorded ones: a replayed variant)."""
    from sessionscope.audio.der import der

    utts = rec["utterances"] if utterances is None else utterances
    tagged = sorted(((a, b, spk, text), not from_turn) for s, e, spk, ws, from_turn in utts for a, b, text in ws)
    words: list[HWord] = [w for w, _ in tagged]
    strays = frozenset(i for i, (_, stray) in enumerate(tagged) if stray)
    hyp = [(s, e, spk) for s, e, spk, _, _ in utts if e > s]
    diar = {(round(a, 3), round(b, 3), x) for a, b, x in rec["diar_turns"]}
    hyp_turns = [(s, e, spk, "diar" if (round(s, 3), round(e, 3), spk) in diar or not from_turn else "changed")
                 for s, e, spk, _, from_turn in utts if e > s]
    out = score(ref, words, hyp, tol=tol, hyp_turns=hyp_turns, strays=strays, detail=detail)
    for collar in (0.0, 0.25):
        r = der(ref, hyp, collar=collar, uem=(0.0, rec["duration"]))
        out[f"der_c{collar}"] = round(100 * r.der, 2)
        out[f"ref_s_c{collar}"] = round(r.reference, 3)
        out[f"err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
    return out


def replay(rec: dict[str, Any], utterances_from_turns: Callable[..., Any]) -> list[tuple[float, float, str, list, bool]]:
    """The delivered utterances again from the recorded segments and aligned turns, with another
    ``utterances_from_turns`` (a variant of the word → turn step; transcription and turns unchanged)."""
    from sessionscope.audio.diarize import SpeakerTurn

    turns = [SpeakerTurn(a, b, x) for a, b, x in rec["turns"]]
    utts = utterances_from_turns(rec["segments"], turns)
    return [(u.start, u.end, u.speaker, [(w.word.start, w.word.end, w.word.text) for w in u.words], u.span is not None)
            for u in utts]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    failed = [f"{r['set']}/{r['uri']}: {r['failed']}" for r in rows if "failed" in r]
    rows = [r for r in rows if "failed" not in r]
    out: dict[str, Any] = {"all": pooled(rows), **({"failed_files": failed} if failed else {})}
    for half in ("choose", "confirm"):
        if any(r["half"] == half for r in rows):  # a held-out run has neither
            out[half] = pooled([r for r in rows if r["half"] == half])
    for name in dict.fromkeys(r["set"] for r in rows):
        out[name] = pooled([r for r in rows if r["set"] == name])
    return out


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS))
    ap.add_argument("--half", choices=("choose", "confirm", "all"), default="all")
    ap.add_argument("--tol", type=float, default=0.1, help="seconds a word's span is widened on each side when scored")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files per set (0: all)")
    ap.add_argument("--detail", action="store_true", help="store each wrong word and cut sentence in the rows")
    ap.add_argument("--records", type=Path, help="also pickle each file's recorded run here (for replaying variants)")
    ap.add_argument("--heldout", action="store_true",
                    help="score the held-out sets given in --sets (ami, libri-report): the lead's one run at the end of a round")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config
    from sessionscope.errors import AudioError

    config = load_config(CONFIG)
    todo = [f for f in files(args.sets, heldout=args.heldout) if args.heldout or args.half in ("all", f[4])]
    if args.limit:
        todo = [f for name in args.sets for f in [g for g in todo if g[0] == name][: args.limit]]
    rows, records = [], {}
    for set_name, uri, wav, rttm, half in todo:
        ref = read_rttm(rttm)[uri]
        t0 = time.perf_counter()
        try:
            rec = collect(wav, config)
        except AudioError as e:  # held-out AMI trn01: "no speech found"; no word to score, said in the output
            rows.append({"set": set_name, "uri": uri, "half": half, "failed": str(e)})
            print(json.dumps(rows[-1]), flush=True)
            continue
        rec["ref"] = ref
        records[(set_name, uri)] = rec
        row = {"set": set_name, "uri": uri, "half": half, **evaluate(rec, ref, tol=args.tol, detail=args.detail),
               "seconds": round(time.perf_counter() - t0, 1)}
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k not in ("wrong_words", "cut_examples")}), flush=True)
    summary = summarise(rows)
    print(json.dumps(summary, indent=1))
    if args.records:
        args.records.parent.mkdir(parents=True, exist_ok=True)
        args.records.write_bytes(pickle.dumps(records))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r22_wdiar.py", *sys.argv[1:]]), "commit": git_commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "config": str(CONFIG.relative_to(ROOT)),
            "data": "development sets only; split: even index in its set = choose, odd = confirm",
            "tol_s": args.tol, "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

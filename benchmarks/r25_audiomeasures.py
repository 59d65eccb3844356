"""How far the conversation measures of an audio session are from the same measures on the exact reference (round 25).

    # 1. what `run` delivers, once per file (transcription and diarization from the result cache when there):
    PYTHONPATH=/tmp/r25/base/src nice -n 10 .venv/bin/python benchmarks/r25_audiomeasures.py deliver
    # 2. the documented measures of (a) the delivered session and (b) the reference session, compared:
    PYTHONPATH=/tmp/r25/base/src nice -n 10 .venv/bin/python benchmarks/r25_audiomeasures.py score \\
        --label "round start d1bcddb" --json benchmarks/results/r25_audiomeasures.json
    # 3. where the differences come from (overlaps lost or shortened; diarization turns vs delivered utterances):
    nice -n 10 .venv/bin/python benchmarks/r25_audiomeasures.py diagnose --json benchmarks/results/r25_audiomeasures_diagnosis.json
    # rules tried and not shipped: --variant NAME, or a dynamics setting for both sessions: --dyn KEY=VALUE

``deliver`` runs ``transcribe_file`` (the code path of ``sessionscope run``; ``benchmarks/configs/tiny_en.yaml``)
on every development file and stores the delivered session under ``.cache/r25_audiomeasures/<set>/<uri>.json``, so
that the dynamics code can be compared before and after a change on the very same delivered sessions (run it with
``PYTHONPATH`` set to a worktree of the commit whose `run` output is to be measured).

``score`` computes the measures with the package's own ``compute_metrics`` (``analysis/dynamics.py``) from

* (a) the delivered session, and
* (b) a reference session: one utterance per reference RTTM segment (the exact speaker times; the simulated
  conversations' references mark speech at 10 ms, pauses under 0.25 s bridged), with **the delivered words
  re-attributed by time** (each recognised word goes to the reference segment holding its midpoint, the one of the
  word's own, mapped, speaker when two overlap there, else the nearest): no reference text exists (the pieces are cut
  at arbitrary points of LibriSpeech clips; AMI excerpts come with an RTTM only).

Speakers are matched by the optimal overlap-time mapping (as ``diarization_der.share_errors``); a reference speaker
without a match gets 0 for counts and shares. Per measure and condition: the mean reference and delivered values,
the mean signed error (bias: + = audio says more), the mean absolute error, and the pooled relative error
Σ|audio − ref| / Σ|ref|.

Sets (development only): the simulated conversations ``conv/dev``, ``conv/dev_r19``, ``conv/dev_r19_calls_*``
(clean, laptop, opus24, phone, zoom), ``farfield``, ``farfield2`` and the development AMI excerpts ``pyannote-ami``
as ``benchmarks/diarization_der.py`` defines them. Never ``libri-report`` or the held-out ``ami`` excerpts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
STORE = ROOT / ".cache" / "r25_audiomeasures"
SETS = ("conv/dev", "conv/dev_r19", "conv/dev_r19_calls_clean", "conv/dev_r19_calls_laptop",
        "conv/dev_r19_calls_opus24", "conv/dev_r19_calls_phone", "conv/dev_r19_calls_zoom", "farfield", "farfield2",
        "pyannote-ami")
HELD_OUT = ("libri-report", "ami")

SESSION_MEASURES = (
    "turns", "speaker_switches_per_min", "turn_taking_index", "turn_count_cv", "interruptions", "overlap_time_s",
    "overlap_share", "pauses", "pause_total_s", "pause_mean_s", "backchannels", "questions", "questions_answered",
    "balance_score", "talk_time_gini", "talk_time_entropy", "balance_score_words", "response_latency_median_s",
    "dominated_window_share", "dominance_switches", "speech_time_s", "silence_share", "words",
)
PARTICIPANT_MEASURES = (
    "talk_share", "word_share", "turns", "mean_turn_s", "longest_turn_s", "pauses", "pause_total_s",
    "interruptions_made", "interruptions_received", "overlap_s", "backchannels", "questions_asked",
    "response_latency_median_s", "dominated_window_share", "words_per_minute",
)
#: a reference speaker whom the audio session lost: these are 0 for them (the rest are unknown, not compared)
ZERO_WHEN_LOST = ("talk_share", "word_share", "turns", "pauses", "pause_total_s", "interruptions_made",
                  "interruptions_received", "overlap_s", "backchannels", "questions_asked", "dominated_window_share")


def store_path(set_name: str, uri: str) -> Path:
    return STORE / set_name.replace("/", "_") / f"{uri}.json"


def deliver(sets: list[str], config_path: Path, limit: int) -> int:
    from diarization_der import cases
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.config import load_config
    from sessionscope.errors import AudioError
    from sessionscope.model.serialize import session_to_dict

    config = load_config(config_path)
    for set_name in sets:
        todo = cases(set_name)[: limit or None]
        for uri, wav, _rttm in todo:
            out = store_path(set_name, uri)
            if out.is_file():
                continue
            t0 = time.perf_counter()
            try:
                s = transcribe_file(wav, config=config, session_id=uri)
            except AudioError as e:
                print(f"{set_name} {uri}: {e}", file=sys.stderr)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(session_to_dict(s)))
            print(f"{set_name} {uri}: {len(s.utterances)} utterances, {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


def mapping(ref: list[tuple[float, float, str]], hyp: list[tuple[float, float, str]]) -> dict[str, str]:
    """Reference speaker → delivered speaker, by the optimal overlap-time assignment (unmatched: absent)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rl, hl = sorted({x for *_, x in ref}), sorted({x for *_, x in hyp})
    if not rl or not hl:
        return {}
    co = np.array([[sum(max(0.0, min(b, d) - max(a, c)) for a, b, x in ref if x == r for c, d, y in hyp if y == h)
                    for h in hl] for r in rl])
    ri, hi = linear_sum_assignment(-co)
    return {rl[i]: hl[j] for i, j in zip(ri, hi, strict=True) if co[i, j] > 0}


def reference_session(delivered: Any, ref: list[tuple[float, float, str]], match: dict[str, str]) -> Any:
    """The reference session: one utterance per reference segment, the delivered words re-attributed by time."""
    from sessionscope.model import Participant, Session, Utterance, Word

    segs = sorted(ref)
    back = {h: r for r, h in match.items()}
    bins: list[list[Word]] = [[] for _ in segs]
    for u in delivered.utterances:
        ws = u.words or ((Word(u.text, u.start, u.end),) if u.text.strip() and u.timed else ())
        for w in ws:
            ws_, we_ = w.start, w.end
            if ws_ is None or we_ is None:
                continue
            mid = (ws_ + we_) / 2
            holding = [i for i, (a, b, _) in enumerate(segs) if a <= mid <= b]
            if not holding:
                i = min(range(len(segs)), key=lambda k: min(abs(mid - segs[k][0]), abs(mid - segs[k][1])))
            elif len(holding) == 1:
                i = holding[0]
            else:
                own = [k for k in holding if segs[k][2] == back.get(u.speaker)]
                i = own[0] if own else max(holding, key=lambda k: min(we_, segs[k][1]) - max(ws_, segs[k][0]))
            bins[i].append(w)
    utts = []
    for i, ((a, b, spk), ws) in enumerate(zip(segs, bins, strict=True)):
        ws.sort(key=lambda w: w.start or 0.0)
        utts.append(Utterance(id=f"r{i:04d}", speaker=spk, text=" ".join(w.text.strip() for w in ws).strip(),
                              start=a, end=b, words=tuple(ws)))
    spk_ids = sorted({x for *_, x in segs})
    return Session(id=f"{delivered.id}_ref", participants=tuple(Participant(id=s, name=s) for s in spk_ids),
                   utterances=tuple(utts), language=delivered.language, duration_s=delivered.duration_s,
                   quality=delivered.quality)


#: rules tried on the development set and not shipped (``--variant``), applied by wrapping the package's functions
#: for this process only: ``min_floor_<s>``: an utterance shorter than <s> seconds neither takes the floor nor
#: interrupts (as a backchannel: against diarization flicker); ``word_gap_pauses``: silences of at least
#: ``turn_merge_gap_s`` between consecutive timed words inside one delivered utterance are pauses too (a pause the
#: diarization bridged); the reference keeps its exact segment times (its words carry no pause of their own)
VARIANTS = ("none", "min_floor_0.5", "min_floor_1.0", "min_floor_1.5", "word_gap_pauses", "stretch_0.3", "stretch_1.0")


def apply_variant(name: str) -> None:
    from sessionscope.analysis import dynamics as dyn

    if name.startswith("min_floor_"):
        limit, plain = float(name.rsplit("_", 1)[1]), dyn.backchannel

        def short_is_backchannel(u: Any, cfg: Any) -> bool:
            return plain(u, cfg) or (u.duration is not None and u.duration < limit)

        dyn.backchannel = short_is_backchannel  # type: ignore[assignment]
    elif name == "word_gap_pauses":
        plain_pauses = dyn.pauses

        def with_word_gaps(turns: Any, utterances: Any, cfg: Any) -> dict[str, list[float]]:
            out = plain_pauses(turns, utterances, cfg)
            by_id = {u.id: u for u in utterances}
            for t in turns:
                for uid in t.utterance_ids:
                    ws = [w for w in by_id[uid].words if w.start is not None and w.end is not None]
                    if uid.startswith("r"):  # the reference's exact segments: no word-timing pauses
                        continue
                    out.setdefault(t.speaker, []).extend(
                        b.start - a.end for a, b in zip(ws, ws[1:], strict=False) if b.start - a.end >= cfg.turn_merge_gap_s)
            return {k: v for k, v in out.items() if v}

        dyn.pauses = with_word_gaps  # type: ignore[assignment]
    elif name.startswith("stretch_"):
        gap = float(name.rsplit("_", 1)[1])
        dyn.find_interruptions = lambda utts, cfg: stretch_interruptions(utts, cfg, gap, dyn)  # type: ignore[assignment]
    elif name != "none":
        raise SystemExit(f"unknown variant {name}; one of {VARIANTS}")


def stretch_interruptions(utterances: Any, cfg: Any, gap: float, dyn: Any) -> list[tuple[str, str, bool, str]]:
    """Interruptions judged on stretches: a speaker's utterances each starting less than ``gap`` s after the
    stretch so far ends. B's stretch interrupts X when its first utterance starts strictly inside an utterance of X,
    B's and X's stretches overlap (simultaneous speech) for at least the minimum, and not all of B's are backchannels."""
    from sessionscope.analysis import intervals as iv

    timed = sorted((u for u in utterances if u.timed), key=lambda u: u.start)
    stretches: list[list[Any]] = []
    last: dict[str, list[Any]] = {}
    for u in timed:
        cur = last.get(u.speaker)
        if cur is not None and u.start - max(x.end for x in cur) < gap:
            cur.append(u)
        else:
            cur = [u]
            stretches.append(cur)
            last[u.speaker] = cur
    of = {id(u): st for st in stretches for u in st}
    out = []
    for st in stretches:
        b = st[0]
        if all(dyn.backchannel(u, cfg) for u in st):
            continue
        bspan = iv.merge((u.start, u.end) for u in st)
        best = None
        for a in timed:
            if a.start >= b.start:
                break
            if a.speaker == b.speaker or not (a.start < b.start < a.end):
                continue
            ast = of[id(a)]
            aspan = iv.merge((u.start, u.end) for u in ast)
            ov = sum(max(0.0, min(e1, e2) - max(s1, s2)) for s1, e1 in bspan for s2, e2 in aspan)
            if ov < cfg.interruption_min_overlap_s:
                continue
            aend = max(u.end for u in ast)
            if best is None or aend > best[1]:
                best = (a, aend)
        if best is not None:
            out.append((b.speaker, best[0].speaker, best[1] < max(u.end for u in st), b.id))
    return out


def floor_changes(ref_turns: Any, hyp_turns: Any, back: dict[str, str], tol: float = 1.5) -> dict[str, Any]:
    """Floor changes (turn starts after the first) matched one to one: same (mapped) speaker, starts within ``tol``
    seconds. The reference's changes missed, by the length of the turn they open, and the delivered ones found."""
    used: set[int] = set()
    hits = 0
    bins = {"<1s": (0, 1), "1-2s": (1, 2), "2-4s": (2, 4), ">=4s": (4, 1e9)}
    false = dict.fromkeys(bins, 0)  # delivered changes of floor without a reference one, by the turn they open
    for t in hyp_turns[1:]:
        spk = back.get(t.speaker, t.speaker)
        cand = [i for i, r in enumerate(ref_turns[1:]) if i not in used and r.speaker == spk
                and abs(r.start - t.start) < tol]
        if cand:
            used.add(cand[0])
            hits += 1
        else:
            false[next(k for k, (a, b) in bins.items() if a <= t.end - t.start < b)] += 1
    by_len = {k: [0, 0] for k in bins}  # [found, all]
    for i, r in enumerate(ref_turns[1:]):
        k = next(k for k, (a, b) in bins.items() if a <= r.end - r.start < b)
        by_len[k][1] += 1
        by_len[k][0] += i in used
    return {"ref": len(ref_turns) - 1, "hyp": len(hyp_turns) - 1, "matched": hits, "by_ref_turn_length": by_len,
            "false_by_turn_length": false}


def _num(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def score_file(set_name: str, uri: str, rttm: Path, cfg: Any) -> dict[str, Any]:
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.model.serialize import session_from_dict

    ref = read_rttm(rttm)[uri]
    delivered = session_from_dict(json.loads(store_path(set_name, uri).read_text()))
    hyp = [(u.start, u.end, u.speaker) for u in delivered.utterances
           if u.start is not None and u.end is not None and u.end > u.start]
    match = mapping(ref, hyp)
    refsess = reference_session(delivered, ref, match)
    mh, mr = compute_metrics(delivered, cfg), compute_metrics(refsess, cfg)
    dur = delivered.duration_s or max(e for _, e, _ in ref)
    d = der(ref, hyp, collar=0.0, uem=(0.0, dur))
    row: dict[str, Any] = {
        "set": set_name, "uri": uri, "ref_speakers": len(refsess.participants),
        "hyp_speakers": len({x for *_, x in hyp}), "der_c0": round(100 * d.der, 2), "mapping": match,
        "floor_changes": floor_changes(mr.turns, mh.turns, {h: r for r, h in match.items()}),
        "session": {k: {"ref": _num(mr.session.get(k)), "hyp": _num(mh.session.get(k))} for k in SESSION_MEASURES},
        "participants": {},
    }
    for r in sorted(mr.participants):
        h = match.get(r)
        vals = {}
        for k in PARTICIPANT_MEASURES:
            rv = _num(mr.participants[r].get(k))
            hv = _num(mh.participants[h].get(k)) if h else (0.0 if k in ZERO_WHEN_LOST else None)
            vals[k] = {"ref": rv, "hyp": hv}
        row["participants"][r] = vals
    return row


def family(set_name: str) -> str:
    """The condition a set belongs to: two- and three-person conversations as recorded (``pairs``), the same through
    call channels (``calls``), far-field meetings (``farfield``), the real AMI development excerpts (``ami-dev``)."""
    if set_name == "pyannote-ami":
        return "ami-dev"
    if set_name.startswith("farfield"):
        return "farfield"
    return "calls" if "_calls_" in set_name else "pairs"


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def stats(pairs: list[tuple[float, float]]) -> dict[str, Any]:
        if not pairs:
            return {"n": 0}
        errs = [h - r for r, h in pairs]
        sref = sum(abs(r) for r, _ in pairs)
        return {"n": len(pairs), "ref_mean": round(sum(r for r, _ in pairs) / len(pairs), 4),
                "hyp_mean": round(sum(h for _, h in pairs) / len(pairs), 4),
                "bias": round(sum(errs) / len(errs), 4), "mae": round(sum(abs(e) for e in errs) / len(errs), 4),
                "rel_err": round(sum(abs(e) for e in errs) / sref, 4) if sref else None,
                "over": sum(e > 0 for e in errs), "under": sum(e < 0 for e in errs)}

    def group(rs: list[dict[str, Any]]) -> dict[str, Any]:
        sess = {k: stats([(v["ref"], v["hyp"]) for r in rs for v in [r["session"][k]]
                          if v["ref"] is not None and v["hyp"] is not None]) for k in SESSION_MEASURES}
        part = {k: stats([(v["ref"], v["hyp"]) for r in rs for p in r["participants"].values() for v in [p[k]]
                          if v["ref"] is not None and v["hyp"] is not None]) for k in PARTICIPANT_MEASURES}
        fc = [r["floor_changes"] for r in rs]
        found = {k: sum(f["by_ref_turn_length"][k][0] for f in fc) for k in fc[0]["by_ref_turn_length"]}
        total = {k: sum(f["by_ref_turn_length"][k][1] for f in fc) for k in found}
        return {"files": len(rs), "der_c0_mean": round(sum(r["der_c0"] for r in rs) / len(rs), 2),
                "floor_change_recall": round(sum(f["matched"] for f in fc) / max(1, sum(f["ref"] for f in fc)), 3),
                "floor_change_precision": round(sum(f["matched"] for f in fc) / max(1, sum(f["hyp"] for f in fc)), 3),
                "floor_change_recall_by_turn_length": {k: f"{found[k]}/{total[k]}" for k in found},
                "false_floor_changes_by_turn_length": {k: sum(f.get("false_by_turn_length", {}).get(k, 0) for f in fc)
                                                       for k in found},
                "count_right": f"{sum(r['ref_speakers'] == r['hyp_speakers'] for r in rs)}/{len(rs)}",
                "session": sess, "participant": part}

    return {"all": group(rows),
            "by_condition": {f: group([r for r in rows if family(r["set"]) == f])
                             for f in dict.fromkeys(family(r["set"]) for r in rows)},
            "by_set": {s: group([r for r in rows if r["set"] == s]) for s in dict.fromkeys(r["set"] for r in rows)}}


def overlap_regions(segs: list[tuple[float, float, str]]) -> list[tuple[float, float]]:
    """Stretches of simultaneous speech of two or more speakers (pieces under 50 ms apart joined)."""
    from sessionscope.analysis import intervals as iv

    per: dict[str, list[tuple[float, float]]] = {}
    for a, b, x in segs:
        per.setdefault(x, []).append((a, b))
    out: list[tuple[float, float]] = []
    for a, b, act in iv.coverage_counts({k: iv.merge(v) for k, v in per.items()}):
        if len(act) > 1:
            if out and a - out[-1][1] < 0.05:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return out


def diagnose(sets: list[str], args: argparse.Namespace) -> int:
    """Where the differences come from: (1) each reference overlap of 0.2 s or more against the delivered overlap
    within 0.5 s of it (lost, or how much shorter); (2) the measures computed from the internal diarization turns
    (``extra.audio.speaker_turns``, words re-attributed as for the reference) against those of the delivered session,
    both against the reference: does building utterances from the diarization lose anything?"""
    import statistics

    from diarization_der import cases
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config
    from sessionscope.model.serialize import session_from_dict

    cfg = load_config(args.config).dynamics
    keys = ("turns", "interruptions", "pauses", "backchannels", "overlap_time_s", "turn_taking_index",
            "response_latency_median_s", "balance_score")
    shrink: dict[str, list[float]] = {}
    lost: dict[str, int] = {}
    errs: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for set_name in sets:
        fam = family(set_name)
        for uri, _wav, rttm in cases(set_name)[: args.limit or None]:
            ref = read_rttm(rttm)[uri]
            s = session_from_dict(json.loads(store_path(set_name, uri).read_text()))
            hyp = [(u.start, u.end, u.speaker) for u in s.utterances
                   if u.start is not None and u.end is not None and u.end > u.start]
            for a, b in overlap_regions(ref):
                if b - a < 0.2:
                    continue
                near = [(c, d) for c, d in overlap_regions(hyp) if d > a - 0.5 and c < b + 0.5]
                shrink.setdefault(fam, []).append(sum(d - c for c, d in near) - (b - a))
                lost[fam] = lost.get(fam, 0) + (not near)
            turns = [(float(a), float(b), str(x)) for a, b, x in s.extra["audio"]["speaker_turns"]]
            mr = compute_metrics(reference_session(s, ref, mapping(ref, hyp)), cfg)
            mh = compute_metrics(s, cfg)
            md = compute_metrics(reference_session(s, turns, {x: x for *_, x in turns}), cfg)
            for k in keys:
                r, h, d = mr.session.get(k), mh.session.get(k), md.session.get(k)
                if r is not None and h is not None and d is not None:
                    errs.setdefault(fam, {}).setdefault(k, []).append((abs(h - r), abs(d - r)))
    out = {"overlaps": {f: {"reference_overlaps": len(v), "lost": lost[f],
                            "median_delivered_minus_reference_s": round(statistics.median(v), 3),
                            "quartiles_s": [round(q, 3) for q in statistics.quantiles(v, n=4)]}
                        for f, v in shrink.items()},
           "delivered_vs_diarization_turns_mae": {
               f: {k: {"delivered": round(statistics.fmean(x for x, _ in v), 4),
                       "diarization_turns": round(statistics.fmean(y for _, y in v), 4), "n": len(v)}
                   for k, v in d.items()} for f, d in errs.items()}}
    print(json.dumps(out, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r25_audiomeasures.py", *sys.argv[1:]]), "commit": commit,
            "pythonpath": os.environ.get("PYTHONPATH", ""), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "data": "development: " + ", ".join(sets), **out}, indent=1))
    return 0


def score(sets: list[str], args: argparse.Namespace) -> int:
    from diarization_der import cases
    from sessionscope.config import load_config

    cfg = load_config(args.config).dynamics
    if args.dyn:  # dynamics settings tried (KEY=VALUE, read as YAML)
        import yaml

        cfg = cfg.model_copy(update={k: yaml.safe_load(v) for k, _, v in (x.partition("=") for x in args.dyn)})
    apply_variant(args.variant)
    rows = []
    for set_name in sets:
        for uri, _wav, rttm in cases(set_name)[: args.limit or None]:
            if not store_path(set_name, uri).is_file():
                print(f"{set_name} {uri}: not delivered yet (run `deliver`)", file=sys.stderr)
                continue
            rows.append(score_file(set_name, uri, rttm, cfg))
    summary = summarise(rows)
    a = summary["all"]
    print(f"floor changes: recall {a['floor_change_recall']}, precision {a['floor_change_precision']}, "
          f"by turn length {a['floor_change_recall_by_turn_length']}")
    for k in SESSION_MEASURES:
        print(f"session {k:28s} {json.dumps(a['session'][k])}")
    for k in PARTICIPANT_MEASURES:
        print(f"part    {k:28s} {json.dumps(a['participant'][k])}")
    if args.json:
        import sessionscope

        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r25_audiomeasures.py", *sys.argv[1:]]), "commit": commit,
            "package_src": str(Path(sessionscope.__file__).parent), "pythonpath": os.environ.get("PYTHONPATH", ""),
            "label": args.label, "variant": args.variant, "dynamics_overrides": args.dyn, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "data": "development: " + ", ".join(sets), "config": str(args.config),
            "reference_words": "delivered words re-attributed by time to the reference segments (no reference text)",
            "summary": summary, "rows": [] if args.no_rows else rows}, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("deliver", "score", "diagnose"))
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks" / "configs" / "tiny_en.yaml")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files per set (0: all)")
    ap.add_argument("--label", default="", help="a name for this scoring (e.g. before / after)")
    ap.add_argument("--variant", default="none", choices=VARIANTS, help="a rule tried and not shipped (see VARIANTS)")
    ap.add_argument("--dyn", action="append", default=[], metavar="KEY=VALUE",
                    help="a dynamics setting tried (both sessions), e.g. backchannel_max_s_without_text=1.25")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-rows", action="store_true", help="store the summary only (no per-file rows)")
    args = ap.parse_args()
    if bad := [s for s in args.sets if s in HELD_OUT or "report" in s]:
        raise SystemExit(f"held-out sets are not for this benchmark: {bad}")
    if args.step == "deliver":
        return deliver(args.sets, args.config, args.limit)
    return score(args.sets, args) if args.step == "score" else diagnose(args.sets, args)


if __name__ == "__main__":
    raise SystemExit(main())

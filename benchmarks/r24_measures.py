"""Round 24 measures audit: every documented raw measure recomputed from docs/metrics.md and compared with the tool.

Runs ``sessionscope analyze`` (sources from ``--src``: this checkout's ``src`` by default; the round's start:
``/tmp/r24/base/src``) on real transcripts from ``../shared/data`` (SBCSAE SBC001 and SBC009 as STM, SBC001's RTTM,
the Zoom class meeting's named and unnamed VTT, QMSum TS3003a / TS3007b / ES2014b / Bed003 as ``Role: text``, the
AMI train references ES2014b / TS3007b / TS3011b as RTTM) and on the bundled examples' ``reference.stm``; then
exports the tables and the ConvoKit corpus and renders every report a second time in the other language.

Each documented measure is recomputed here from the utterances in ``session.json`` by the definition written in
docs/metrics.md, with this file's own code (no sessionscope function is imported), and compared per session and per
participant. Also checked: the units of the metrics table against the docs, which measures are null and whether
``metrics.unavailable`` (or a documented rule) says why, and that the tables, the ConvoKit corpus, the Markdown and
HTML reports and the English / Russian reports show the same figures as ``session.json``.

    .venv/bin/python benchmarks/r24_measures.py --work /tmp/r24/mw/after --out benchmarks/results/r24_measures_after.json
    .venv/bin/python benchmarks/r24_measures.py --src /tmp/r24/base/src --work /tmp/r24/mw/before \\
        --out benchmarks/results/r24_measures_before.json

Development data only (SBC044, ES2002d, ES2004d and education_13 are blind-gold meetings: not used). No model
beyond the text stages' small heads; ~1 CPU minute per pass.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TOL = 1e-6

# -- inputs ------------------------------------------------------------------------------------------------------------


def build_inputs(work: Path) -> tuple[Path, Path]:
    """The transcripts: one folder analysed as it is, one for the unnamed caption file (same stem as the named one)."""
    inp, cc = work / "in", work / "in_cc"
    if inp.exists():
        return inp, cc
    inp.mkdir(parents=True)
    cc.mkdir(parents=True)
    sb, zoom = DATA / "sbcsae-text-refs", DATA / "zoom-vtt-class-meeting"
    for m in ("SBC001", "SBC009"):
        shutil.copy(sb / f"{m}.stm", inp / f"{m}.stm")
    shutil.copy(sb / "SBC001.rttm", inp / "SBC001_ref.rttm")
    shutil.copy(zoom / "GMT20240124-202901_Recording.transcript.vtt", inp / "zoom_named.vtt")
    shutil.copy(zoom / "GMT20240124-202901_Recording.cc.vtt", cc / "zoom_unnamed.vtt")
    for m in ("ES2014b", "TS3007b", "TS3011b"):
        shutil.copy(DATA / "ami-rttm-reference" / "train_subset" / f"{m}.rttm", inp / f"ami_{m}.rttm")
    for m in ("TS3003a", "TS3007b", "ES2014b", "Bed003"):
        turns = json.loads((DATA / "qmsum-topics-queries" / f"{m}.json").read_text(encoding="utf-8"))["meeting_transcripts"]
        (inp / f"qmsum_{m}.txt").write_text("".join(f"{t['speaker']}: {t['content']}\n" for t in turns), encoding="utf-8")
    return inp, cc


def cli(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    p = subprocess.run(["nice", "-n", "10", sys.executable, "-c", "from sessionscope.cli import main; main()", *args],
                       env=env, capture_output=True, text=True, timeout=1800, cwd=ROOT)
    if p.returncode not in (0,):
        print(p.stdout[-2000:], p.stderr[-2000:], file=sys.stderr)
    return p


def run_tool(src: Path, work: Path) -> Path:
    """analyze + export tables + export convokit + every report in the other language; returns the output folder."""
    inp, cc = build_inputs(work)
    out = work / "out"
    if out.exists():
        shutil.rmtree(out)
    for args in ((str(inp),), (str(cc),), ("--manifest", str(ROOT / "examples" / "manifest-reference.yaml"))):
        cli(src, "analyze", *args, "--out", str(out), "--no-progress", "--force")
    cli(src, "export", "tables", str(out), "--out", str(work / "tables"), "--format", "csv,parquet")
    cli(src, "export", "convokit", str(out), "--out", str(work / "convokit"))
    other = work / "other_lang"
    if other.exists():
        shutil.rmtree(other)
    for f in sorted(out.glob("*/session.json")):
        s = json.loads(f.read_text(encoding="utf-8"))
        s["language"] = "en" if s.get("language") == "ru" else "ru"
        (other / s["id"]).mkdir(parents=True)
        (other / s["id"] / "session.json").write_text(json.dumps(s, ensure_ascii=False), encoding="utf-8")
    cli(src, "report", "session", str(other), "--format", "html,md")
    return out


# -- the documented definitions, written here again --------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+(?:['’\-_][^\W_]+)*_?")  # "T_V_" (AMI's spelled letters): one word
_MARK = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|<[^<>]*>|\((?:inaudible|laugh|laughs|laughter|crosstalk|cough|coughs|sigh|"
                   r"sighs|pause)\)", re.IGNORECASE)


def doc_words(text: str) -> list[str]:
    """docs/metrics.md: tokens of letters/digits, apostrophes and hyphens inside words kept, marks never words."""
    return _WORD.findall(_MARK.sub(" ", text))


def load_cfg() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((ROOT / "configs" / "default.yaml").read_text(encoding="utf-8"))["dynamics"]


def is_bc(u: dict[str, Any], cfg: dict[str, Any]) -> bool:
    """docs *Turns*: backchannel words (at most backchannel_max_words), a line of non-speech alone whatever its length,
    speech without text no longer than backchannel_max_s_without_text."""
    text = u["text"] or ""
    if text.strip():
        ws = [w.casefold() for w in doc_words(text)]
        if not ws:
            return True  # marks or punctuation alone
        if len(ws) > cfg["backchannel_max_words"]:
            return False
        vocab = {b.casefold() for b in cfg["backchannels"]}
        return " ".join(ws) in vocab or all(w in vocab for w in ws)
    if "nonspeech" in (u.get("flags") or []):
        return True
    return u["start"] is not None and u["end"] is not None and u["end"] - u["start"] <= cfg["backchannel_max_s_without_text"]


def timed(utts: list[dict[str, Any]]) -> bool:
    return bool(utts) and all(u["start"] is not None and u["end"] is not None for u in utts)


def ordered(utts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(utts, key=lambda u: u["start"]) if timed(utts) else list(utts)


def my_turns(utts: list[dict[str, Any]], cfg: dict[str, Any]) -> tuple[list[dict[str, Any]], set[str]]:
    """docs *Turns*: (turns, ids of listener backchannels that took no floor)."""
    tm = timed(utts)
    bc = [is_bc(u, cfg) for u in utts]
    skip: set[str] = set()
    holder: Optional[str] = None
    for i, u in enumerate(utts):
        if not bc[i] or holder is None or u["speaker"] == holder:
            holder = u["speaker"]
            continue
        inside = tm and any(o["speaker"] != u["speaker"] and o["start"] <= u["start"] and u["end"] <= o["end"]
                            for o in utts)
        nxt = next((utts[j] for j in range(i + 1, len(utts)) if not bc[j]), None)
        if inside or nxt is None or nxt["speaker"] != u["speaker"]:
            skip.add(u["id"])
        else:
            holder = u["speaker"]
    turns: list[dict[str, Any]] = []
    for u in utts:
        if u["id"] in skip:
            continue
        if turns and turns[-1]["speaker"] == u["speaker"]:
            turns[-1]["utts"].append(u)
        else:
            turns.append({"speaker": u["speaker"], "utts": [u]})
    for t in turns:
        t["ids"] = [u["id"] for u in t["utts"]]
        t["words"] = sum(len(doc_words(u["text"] or "")) for u in t["utts"])
        t["start"] = min(u["start"] for u in t["utts"]) if tm else None
        t["end"] = max(u["end"] for u in t["utts"]) if tm else None
        pauses, end = [], None
        for u in t["utts"]:
            if tm and end is not None and u["start"] - end >= cfg["turn_merge_gap_s"]:
                pauses.append(u["start"] - end)
            end = u["end"] if end is None else max(end, u["end"]) if tm else None
        t["pauses"] = pauses
    return turns, skip


def union(ivs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted(ivs):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(a, b) for a, b in out]


def length(ivs: list[tuple[float, float]]) -> float:
    return sum(e - s for s, e in union(ivs))


def at_least_two(per: dict[str, list[tuple[float, float]]]) -> float:
    """Time with two or more speakers at once: a sweep over every speaker's own union."""
    ev = sorted([(s, 1) for ivs in per.values() for s, _ in union(ivs)] + [(e, -1) for ivs in per.values() for _, e in union(ivs)])
    tot, k, prev = 0.0, 0, None
    for t, d in ev:
        if prev is not None and k >= 2:
            tot += t - prev
        k += d
        prev = t
    return tot


def gini_doc(x: list[float]) -> Optional[float]:
    """docs: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄); null below two participants."""
    n = len(x)
    if n < 2 or sum(x) <= 0:
        return None
    return sum(abs(a - b) for a in x for b in x) / (2 * n * n * (sum(x) / n))


def entropy_doc(x: list[float]) -> Optional[float]:
    n, s = len(x), sum(x)
    if n < 2 or s <= 0:
        return None
    return -sum(v / s * math.log(v / s) for v in x if v > 0) / math.log(n)


def cut_into(utts: list[dict[str, Any]], cfg: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """docs *Interruptions*: each utterance B that is not a backchannel, with the other speakers' utterances A it
    starts strictly inside of and overlaps for at least interruption_min_overlap_s."""
    return [(b, [a for a in utts if a["speaker"] != b["speaker"] and a["start"] < b["start"] < a["end"]
                 and min(a["end"], b["end"]) - b["start"] >= cfg["interruption_min_overlap_s"]])
            for b in utts if not is_bc(b, cfg)]


_TOKEN = re.compile(r"[\w'’-]+")
_CUTOFF_MODELS: dict[str, Any] = {}


def cutoff_words(text: str) -> list[str]:
    """docs *Interruptions*: tokens of letters, digits, apostrophes and hyphens (marks removed), lower case, without
    those ending in a hyphen (word fragments) or holding no letter or digit."""
    return [t.lower() for t in _TOKEN.findall(_MARK.sub(" ", text or ""))
            if not t.endswith("-") and any(c.isalnum() for c in t)]


def cut_offs(utts: list[dict[str, Any]], cfg: dict[str, Any], language: Optional[str], *,
             recorded: bool = False) -> list[tuple]:
    """docs *Interruptions* (``interruptions: cutoff``): each floor change scored by the bundled model's weights
    (the JSON is read as data; the features are computed here as the docs define them)."""
    if not _CUTOFF_MODELS:
        _CUTOFF_MODELS.update(json.loads((ROOT / "src" / "sessionscope" / "resources" / "dialogue_acts" /
                                          "cutoff_heads.json").read_text(encoding="utf-8"))["models"])
    model = _CUTOFF_MODELS["en" if (language or "").lower().startswith("en") else "timing"]
    # round 51: a session in which no two speakers' utterances overlap takes the model's serial threshold
    reach: dict[str, float] = {}
    overlap = False
    for u in sorted(utts, key=lambda u: u["start"]):
        overlap = overlap or any(e > u["start"] for spk, e in reach.items() if spk != u["speaker"])
        reach[u["speaker"]] = max(reach.get(u["speaker"], u["end"]), u["end"])
    # ... in an imported transcript: a recording's speaker times can show overlap, and are never serial
    serial = len(reach) >= 2 and not overlap and not recorded
    default = model["threshold_serial"] if serial and model.get("threshold_serial") is not None else model["threshold"]
    thr = default if cfg.get("interruption_min_probability") is None else cfg["interruption_min_probability"]
    gap_s = cfg["interruption_max_gap_s"]
    func = set(FUNCTION_WORDS_DOC.split())
    floor = [u for u in utts if not is_bc(u, cfg)]
    out = []
    for b in floor:
        cands = [a for a in floor if a["speaker"] != b["speaker"] and a["start"] < b["start"] < a["end"] + gap_s]
        if not cands:
            continue
        running = [a for a in cands if a["end"] > b["start"]]
        # the one running that ends last (ties: started first), else the one that ended last (ties: started first)
        a = max(running or cands, key=lambda a: (a["end"], -a["start"]))
        wa, wb = cutoff_words(a["text"]), cutoff_words(b["text"])
        if not wa or not wb:
            if a["end"] > b["start"] and min(a["end"], b["end"]) - b["start"] >= cfg["interruption_min_overlap_s"]:
                out.append((b["speaker"], a["speaker"], a["end"] < b["end"], b["id"], a["id"], None))
            continue
        if not model["lexical"] and (a["text"] or "").rstrip().endswith(("?", "？")):
            continue  # round 51: outside English an utterance asked to its "?" is never cut off
        nxt = [u["start"] for u in utts if u["speaker"] == a["speaker"] and u["start"] >= a["end"] - 0.01
               and u["start"] > a["start"]]
        resume = min(nxt) - a["end"] if nxt else math.inf
        ov = a["end"] - b["start"]
        f = {"ov": max(-1.0, min(3.0, ov)), "ov_pos": float(ov > 0), "ov_after": max(0.0, min(3.0, ov)),
             "gap": max(0.0, min(1.0, -ov)), "dur_a": min(10.0, a["end"] - a["start"]),
             "dur_b": min(10.0, b["end"] - b["start"]), "log_words_a": math.log1p(len(wa)),
             "log_words_b": math.log1p(len(wb)), "b_ends_first": float(b["end"] < a["end"]),
             "a_resumes_1s": float(resume < 1.0), "a_resumes_3s": float(resume < 3.0),
             "last_function_word": float(wa[-1] in func)}
        if model["lexical"]:
            f["last=" + wa[-1]] = 1.0
            f["first_b=" + wb[0]] = 1.0
        z = model["bias"] + sum(model["weights"].get(k, 0.0) * v for k, v in f.items())
        p = 1 / (1 + math.exp(-z))
        if p >= thr:
            out.append((b["speaker"], a["speaker"], a["end"] < b["end"], b["id"], a["id"], p))
    # an utterance is cut off once: the likeliest of its floor changes (ties: the first); the overlap pairs as they are
    keep = []
    for x in out:
        rivals = [y for y in out if y[4] == x[4] and y[5] is not None]
        if x[5] is None or x is max(rivals, key=lambda y: (y[5], -out.index(y))):
            keep.append(x[:5])
    return keep


#: docs *Interruptions*: the function words
FUNCTION_WORDS_DOC = """a an the and or but so because if that which who whom whose when where while to of in on at
for with from by as than then i we you he she they it my our your his her their its this these those is are was were be
been am do does did have has had will would can could should shall may might must not just like um uh well you're i'm
it's that's we're they're there's what how why there here about into over very really kind sort lot и а но или что
чтобы если когда где пока потому поэтому как чем то в во на с со к ко по о об от из у за для до при через над под я мы
ты вы он она оно они мой моя мои наш наша наши ваш ваша ваши его её их это этот эта эти тот та те не ни бы же ли вот ну
э эм который которая которые"""


def recompute(s: dict[str, Any], cfg: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """(per participant, per session, extras) by docs/metrics.md, from the utterances of ``session.json``."""
    utts = ordered(s["utterances"])
    tm = timed(utts)
    pids = [p["id"] for p in s["participants"]]
    pids += [sp for sp in dict.fromkeys(u["speaker"] for u in utts) if sp not in pids]
    turns, skip = my_turns(utts, cfg)
    words = {p: sum(len(doc_words(u["text"] or "")) for u in utts if u["speaker"] == p) for p in pids}
    tw = sum(words.values())
    nturns = Counter(t["speaker"] for t in turns)
    bcs = Counter(u["speaker"] for u in utts if u["id"] in skip)
    qs = s.get("questions") or []
    spk = {u["id"]: u["speaker"] for u in utts}
    part: dict[str, dict[str, Any]] = {}
    for p in pids:
        pt = [t for t in turns if t["speaker"] == p]
        part[p] = {
            "word_count": words[p], "word_share": words[p] / tw if tw else None,
            "utterances": sum(1 for u in utts if u["speaker"] == p), "turns": nturns[p], "backchannels": bcs[p],
            "mean_turn_words": statistics.fmean([t["words"] for t in pt]) if pt else None,
            "longest_turn_words": max((t["words"] for t in pt), default=None),
            "questions_asked": len({q["utterance_id"] for q in qs if q["asker"] == p}),
            "questions_answered": len({q["utterance_id"] for q in qs if q["asker"] == p and q["answered"]}),
            "answers_given": sum(1 for q in qs if q.get("answer_utterance_id") and spk.get(q["answer_utterance_id"]) == p),
        }
    switches = sum(1 for a, b in zip(turns, turns[1:], strict=False) if a["speaker"] != b["speaker"])
    tc = [float(nturns[p]) for p in pids]
    n = len(pids)
    sess: dict[str, Any] = {
        "participants": n, "speakers_active": sum(1 for p in pids if any(u["speaker"] == p for u in utts)),
        "utterances": len(utts), "turns": len(turns), "words": tw, "speaker_switches": switches,
        "backchannels": len(skip), "questions": len({q["utterance_id"] for q in qs}),
        "questions_answered": len({q["utterance_id"] for q in qs if q["answered"]}),
        "word_gini": gini_doc([float(words[p]) for p in pids]), "word_entropy": entropy_doc([float(words[p]) for p in pids]),
        "turn_count_cv": (statistics.pstdev(tc) / statistics.fmean(tc)) if tc and sum(tc) else None,
        "turn_taking_index": (1 - gini_doc(tc) * n / (n - 1)) if n >= 2 and gini_doc(tc) is not None else None,
        "balance_score_words": max(words[p] / tw for p in pids) if tw else None,
    }
    extra: dict[str, Any] = {"turns": turns, "skip": skip, "pids": pids}
    if tm:
        per = {p: [(u["start"], u["end"]) for u in utts if u["speaker"] == p] for p in pids}
        talk = {p: length(per[p]) for p in pids}
        tt = sum(talk.values())
        allivs = [iv for ivs in per.values() for iv in ivs]
        speech = length(allivs)
        last_end = max(u["end"] for u in utts)
        dur = s["duration_s"] if s.get("duration_s") is not None else last_end
        extra["last_end"] = last_end
        # interruptions: the cut-off rule (round 50, cut_offs) or the overlap rule: B (not a backchannel) starts strictly
        # inside another speaker's A, overlap >= min; the A that runs longest; successful when A ends before B
        inter = []
        if cfg.get("interruptions", "overlap") == "cutoff":  # round 50: cut-offs
            inter = cut_offs(utts, cfg, s.get("language"), recorded=bool((s.get("quality") or {}).get("asr_model")))
        else:
            for b, cands in cut_into(utts, cfg):
                if cands:
                    a = max(cands, key=lambda a: a["end"])
                    inter.append((b["speaker"], a["speaker"], a["end"] < b["end"], b["id"], a["id"]))
        extra["interruptions"] = inter
        lat: dict[str, list[float]] = defaultdict(list)
        for a, b in zip(turns, turns[1:], strict=False):
            if a["speaker"] != b["speaker"]:
                lat[b["speaker"]].append(b["start"] - a["end"])
        # windowed dominance: windows of dominance_window_s every dominance_step_s; judged with >= min speech
        wins = []
        L = min(cfg["dominance_window_s"], dur)
        st = 0.0
        while L > 0:
            en = st + L
            tw_ = {p: length([(max(a, st), min(b, en)) for a, b in per[p] if min(b, en) > max(a, st)]) for p in pids}
            tot = sum(tw_.values())
            if tot >= cfg["dominance_min_speech_s"]:
                sh = {p: v / tot for p, v in tw_.items()}
                top = max(sh, key=lambda k: sh[k])
                wins.append(top if sh[top] > cfg["dominance_threshold"] else None)
            if en >= dur:
                break
            st += cfg["dominance_step_s"]
        dom = [w for w in wins if w]
        pauses = {p: [x for t in turns if t["speaker"] == p for x in t["pauses"]] for p in pids}
        allp = [x for v in pauses.values() for x in v]
        for p in pids:
            pt = [t for t in turns if t["speaker"] == p]
            d = [t["end"] - t["start"] for t in pt]
            others = [iv for q in pids if q != p for iv in per[q]]
            part[p].update({
                "talk_time_s": talk[p], "talk_share": talk[p] / tt if tt else None,
                "mean_turn_s": statistics.fmean(d) if d else None, "median_turn_s": statistics.median(d) if d else None,
                "longest_turn_s": max(d) if d else None, "pauses": len(pauses[p]), "pause_total_s": sum(pauses[p]),
                "pause_mean_s": statistics.fmean(pauses[p]) if pauses[p] else None,
                "words_per_minute": words[p] / (talk[p] / 60) if talk[p] > 0 else None,
                "overlap_s": talk[p] + length(others) - length(per[p] + others),
                "interruptions_made": sum(1 for x in inter if x[0] == p),
                "interruptions_received": sum(1 for x in inter if x[1] == p),
                "successful_interruptions_made": sum(1 for x in inter if x[0] == p and x[2]),
                "response_latency_median_s": statistics.median(lat[p]) if lat[p] else None,
                "dominated_window_share": sum(1 for w in wins if w == p) / len(wins) if wins else None,
            })
        ov = at_least_two(per)
        sess.update({
            "duration_s": dur, "speech_time_s": speech, "silence_share": 1 - speech / dur if dur else None,
            "overlap_time_s": ov, "overlap_share": ov / speech if speech else None,
            "speaker_switches_per_min": switches / (dur / 60) if dur else None,
            "pauses": len(allp), "pause_total_s": sum(allp), "pause_mean_s": statistics.fmean(allp) if allp else None,
            "balance_score": max(talk[p] / tt for p in pids) if tt else None,
            "talk_time_gini": gini_doc([talk[p] for p in pids]), "talk_time_entropy": entropy_doc([talk[p] for p in pids]),
            "response_latency_median_s": statistics.median([x for v in lat.values() for x in v]) if any(lat.values()) else None,
            "interruptions": len(inter), "dominance_windows": len(wins),
            "dominated_window_share": len(dom) / len(wins) if wins else None,
            "dominance_switches": sum(1 for a, b in zip(dom, dom[1:], strict=False) if a != b),
        })
    return part, sess, extra


def flow_recompute(s: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The flow stage's counts and the mutuality index by docs/metrics.md (requests to be shown or told: see below)."""
    recs = s.get("recommendations") or []
    advice = [r for r in recs if not r.get("procedure") and not r.get("request")]
    requests = [r for r in recs if r.get("request") and not r.get("procedure")]
    tasks = [a for a in (s.get("action_items") or []) if not a.get("in_meeting")]
    probs = s.get("problems") or []
    qs = s.get("questions") or []
    pids = [p["id"] for p in s["participants"]] or sorted({u["speaker"] for u in s["utterances"]})
    part = {p: {
        "recommendations_given": sum(1 for r in advice if r["giver"] == p),
        "recommendations_received": sum(1 for r in advice if r.get("receiver") == p),
        "action_items_owned": sum(1 for a in tasks if p in set(a.get("owners") or []) | ({a["owner"]} if a.get("owner") else set())),
        "problems_raised": sum(1 for x in probs if x["raiser"] == p),
        "help_requests_made": sum(1 for r in requests if r["giver"] == p),
    } for p in pids}
    solved = sum(1 for x in probs if x.get("solved"))
    # mutuality: F_ab = advice a gave b + answers a gave to b's questions (+ requests taken up at once), to-check out
    utt = {u["id"]: u for u in s["utterances"]}
    F: dict[tuple[str, str], int] = Counter()
    for r in advice:
        if r.get("receiver") and r["receiver"] != r["giver"] and not r.get("to_check"):
            F[(r["giver"], r["receiver"])] += 1
    for q in qs:
        a = utt.get(q.get("answer_utterance_id") or "")
        if q["answered"] and not q.get("to_check") and a and a["speaker"] != q["asker"] and doc_words(a["text"] or ""):
            F[(a["speaker"], q["asker"])] += 1
    order = [u["id"] for u in s["utterances"]]
    asked = {q["utterance_id"] for q in qs}
    for r in requests:  # the request rule's "for later" veto is not re-implemented: such requests are counted here
        if r.get("to_check") or not r.get("receiver") or r["receiver"] == r["giver"] or r["utterance_id"] in asked:
            continue
        i = order.index(r["utterance_id"])
        nxt = next((utt[x] for x in order[i + 1:] if utt[x]["speaker"] != r["giver"]), None)
        if nxt is not None and nxt["speaker"] == r["receiver"] and doc_words(nxt["text"] or ""):
            F[(r["receiver"], r["giver"])] += 1
    pairs = {tuple(sorted(k)) for k in F}
    tot = sum(F[(a, b)] + F[(b, a)] for a, b in pairs)
    mut = sum(2 * min(F[(a, b)], F[(b, a)]) for a, b in pairs) / tot if tot >= 2 else None
    sess = {
        "recommendations": len(advice), "recommendations_to_group": sum(1 for r in advice if r.get("receiver") is None),
        "procedure_suggestions": sum(1 for r in recs if r.get("procedure")), "help_requests": len(requests),
        "action_items": len(tasks), "in_meeting_moves": len(s.get("action_items") or []) - len(tasks),
        "action_items_with_due_date": sum(1 for a in tasks if a.get("due_date")),
        "problems_raised": len(probs), "problems_solved": solved,
        "problems_solved_share": solved / len(probs) if probs else None,
        "questions_unanswered": sum(1 for q in qs if not q["answered"]), "mutuality_index": mut,
    }
    return part, sess


def topic_initiation(s: dict[str, Any]) -> dict[str, Optional[float]]:
    """docs: share of the subject shifts (``topics.shifts``, every one; round 56) opened by each participant (the
    speaker of the shift's first utterance of 4+ words, else its first speaker), a shift running to the next one; none
    from fewer than three shifts."""
    utts = s["utterances"]
    pos = {u["id"]: k for k, u in enumerate(utts)}
    shifts = (s.get("topics") or {}).get("shifts", [])
    opened: Counter[str] = Counter()
    for n, x in enumerate(shifts):
        a = pos[x["utterance_id"]]
        b = pos[shifts[n + 1]["utterance_id"]] if n + 1 < len(shifts) else len(utts)
        us = utts[a:b]
        who = next((u["speaker"] for u in us if len(doc_words(u["text"] or "")) >= 4), us[0]["speaker"] if us else None)
        if who:
            opened[who] += 1
    tot = sum(opened.values())  # docs: no share from fewer than three shifts
    return {p["id"]: (opened[p["id"]] / tot if tot >= 3 else None) for p in s["participants"]}


# -- documentation ----------------------------------------------------------------------------------------------------


def doc_units(docs: Path) -> tuple[dict[str, str], dict[str, str]]:
    """key → unit from the two tables of docs/metrics.md (per participant, per session)."""
    text = docs.read_text(encoding="utf-8")
    out: list[dict[str, str]] = [{}, {}]
    which = -1
    for line in text.splitlines():
        if line.startswith("## Per participant"):
            which = 0
        elif line.startswith("## Per session"):
            which = 1
        elif line.startswith("## "):
            which = -1
        elif which >= 0 and line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            keys = re.findall(r"`([a-z_]+)`", cells[0])
            units = [u.strip() for u in cells[1].split(",")]
            for i, k in enumerate(keys):  # "`a`, `b`, `c` | count, s": read as count, s, s (the last unit repeats)
                out[which][k] = units[min(i, len(units) - 1)]
    return out[0], out[1]


#: measures that count words or need them (questions are found in words): unknown, not zero, without any text
NO_TEXT_PARTICIPANT = ("word_count", "word_share", "mean_turn_words", "longest_turn_words", "words_per_minute",
                       "questions_asked", "questions_answered", "answers_given")
NO_TEXT_SESSION = ("words", "questions", "questions_answered", "balance_score_words", "word_gini", "word_entropy")


#: nulls the docs explain by a rule of their own (besides ``metrics.unavailable``): (key, condition on the recomputation)
def documented_null(key: str, session_level: bool, mine: dict[str, Any]) -> bool:
    if key == "pause_mean_s":
        return not mine.get("pauses")
    if key in ("problems_solved_share",):
        return True  # "null without problems": checked against the recomputation
    if key == "mutuality_index":
        return True  # "null below 2 flows": checked against the recomputation
    return False


# -- reports ----------------------------------------------------------------------------------------------------------


def fmt_clock(x: Optional[float]) -> str:
    if x is None:
        return "–"
    sec = int(round(max(0.0, x)))
    h, r = divmod(sec, 3600)
    m, ss = divmod(r, 60)
    return f"{h}:{m:02d}:{ss:02d}" if h else f"{m}:{ss:02d}"


def md_tables(text: str) -> list[list[list[str]]]:
    tables, cur = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip().replace("\\", "") for c in line.strip().strip("|").split(" | ")]
            if not set(line.replace("|", "").strip()) <= set("-"):
                cur.append(cells)
        elif cur:
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return tables


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: Optional[list[str]] = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


#: the figures table's column headings (EN, RU) → the measure each column shows
COLUMNS = {
    "Participant": "name", "Участник": "name", "Role": "role", "Роль": "role",
    "Talk time": "talk_time_s", "Время речи": "talk_time_s", "Talk share": "talk_share", "Доля речи": "talk_share",
    "Words": "word_count", "Слова": "word_count", "Share of words": "word_share", "Доля слов": "word_share",
    "Turns": "turns", "Реплики": "turns", "Longest turn (pauses included)": "longest_turn_s",
    "Самая длинная реплика (с паузами)": "longest_turn_s", "Questions asked": "questions_asked",
    "Задано вопросов": "questions_asked", "Interruptions made": "interruptions_made", "Перебивания": "interruptions_made",
}


def figures(tables: list[list[list[str]]]) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
    """(the per-participant figures as measure → cell, the measures table's values) of a report: the table headed
    "Participant" ("Участник") and the one after it."""
    for i, t in enumerate(tables):
        if t and t[0] and t[0][0] in ("Participant", "Участник"):
            keys = [COLUMNS.get(h, h) for h in t[0]]
            rows = [dict(zip(keys, r, strict=False)) for r in t[1:]]
            return rows, [(r[0], r[-1]) for r in tables[i + 1][1:]] if i + 1 < len(tables) else []
    return [], []


def norm(cell: str) -> str:
    """A figure as a number string (decimal comma → point; "n/a" / "н/д" → "n/a")."""
    c = cell.replace(",", ".").replace("\u00a0", " ")
    return c if re.fullmatch(r"[-\d.: %]+", c) else "n/a" if c in ("n/a", "н/д", "нет данных") else c


# -- the checks -------------------------------------------------------------------------------------------------------


class Checks:
    def __init__(self) -> None:
        self.results: dict[str, dict[str, Any]] = {}

    def check(self, name: str, ok: bool, detail: Any) -> None:
        r = self.results.setdefault(name, {"checked": 0, "failed": 0, "examples": []})
        r["checked"] += 1
        if not ok:
            r["failed"] += 1
            if len(r["examples"]) < 6:
                r["examples"].append(detail)


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= TOL * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def pct(x: Optional[float]) -> str:
    return "n/a" if x is None else f"{100 * x:.0f} %"


def num(x: Optional[float], digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


#: the measures table's rows (English labels, by their start) → (session measure, how the report writes it)
MEASURE_ROWS = (("Balance score", "balance_score", pct), ("Balance score (largest share of words", "balance_score_words", pct),
                ("Talk-time Gini", "talk_time_gini", num), ("Talk-time entropy", "talk_time_entropy", num),
                ("Turn-taking index", "turn_taking_index", num),
                ("Speaker switches per minute", "speaker_switches_per_min", lambda x: num(x, 1)),
                ("Mutuality", "mutuality_index", num))


def report_sentences(C: Checks, sid: str, md: str, measures: list[tuple[str, str]], ms: dict[str, Any],
                     kf: dict[str, Any]) -> None:
    """The English report's measures table and balance sentences against ``session.json``."""
    for label, value in measures:
        spec = max((r for r in MEASURE_ROWS if label.startswith(r[0])), key=lambda r: len(r[0]), default=None)
        if spec is None:
            C.check("report: measures table row known", False, {"session": sid, "label": label})
            continue
        _, key, fmt = spec
        v = kf.get("mutuality_index") if key == "mutuality_index" else ms.get(key)
        C.check(f"report: measures table {key}", value == fmt(v), {"session": sid, "report": value, "json": v})
    m = re.search(r"There (?:were|was) (\d+) turns?", md)
    if m:
        C.check("report: sentence turns = session.turns", int(m.group(1)) == ms.get("turns"), {"session": sid, "report": m.group(0)})
    m = re.search(r"(\d+) questions? (?:was|were) asked \((\d+) answered", md)
    if m:
        C.check("report: sentence questions = session.questions (answered)",
                (int(m.group(1)), int(m.group(2))) == (ms.get("questions"), ms.get("questions_answered")),
                {"session": sid, "report": m.group(0), "json": [ms.get("questions"), ms.get("questions_answered")]})
    m = re.search(r"In (\d+) % of the 2\.5-minute windows", md)
    if m:
        C.check("report: sentence dominated windows = dominated_window_share", m.group(1) + " %" == pct(ms.get("dominated_window_share")),
                {"session": sid, "report": m.group(0), "json": ms.get("dominated_window_share")})


_WORD_AS_WRITTEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")  # docs/metrics.md at 81eda6b: no word about underscores


def readings(sessions: dict[str, dict[str, Any]], cfg: dict[str, Any]) -> dict[str, Any]:
    """How often the docs' wording, read the other way where it is ambiguous or silent, gives other figures than the
    tool: the evidence for each docs correction (0 = the wording makes no difference on these sessions)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for sid, s in sessions.items():
        utts = ordered(s["utterances"])
        for u in utts:  # words: "T_V_" read as the letters T and V
            t = _MARK.sub(" ", u["text"] or "")
            if len(_WORD_AS_WRITTEN.findall(t)) != len(doc_words(u["text"] or "")):
                out["words: underscores split words (AMI's T_V_ = 2 words)"]["utterances"] += 1
                out["words: underscores split words (AMI's T_V_ = 2 words)"][sid] += 1
        if not timed(utts):
            continue
        for b, cands in cut_into(utts, cfg):  # interruptions: "runs longest" read as the longest utterance
            if cands:
                late = max(cands, key=lambda a: a["end"])
                longest = max(cands, key=lambda a: a["end"] - a["start"])
                if late["speaker"] != longest["speaker"] or (late["end"] < b["end"]) != (longest["end"] < b["end"]):
                    out["interruptions: 'runs longest' read as the longest utterance"]["interruptions"] += 1
                    out["interruptions: 'runs longest' read as the longest utterance"][sid] += 1
        turns, _ = my_turns(utts, cfg)
        for t in turns:  # pauses: measured from the previous utterance's end, not the latest end so far
            for a, b in zip(t["utts"], t["utts"][1:], strict=False):
                latest = max(u["end"] for u in t["utts"][:t["utts"].index(b)])
                if (b["start"] - a["end"] >= cfg["turn_merge_gap_s"]) != (b["start"] - latest >= cfg["turn_merge_gap_s"]):
                    out["pauses: silence after the previous utterance, not after the latest end"]["pauses"] += 1
                    out["pauses: silence after the previous utterance, not after the latest end"][sid] += 1
        dur = s["duration_s"] if s.get("duration_s") is not None else max(u["end"] for u in utts)
        if min(cfg["dominance_window_s"], dur) * 0.5 < cfg["dominance_min_speech_s"]:
            out["dominance: windows under 2 x dominance_min_speech_s judged at half their length"]["sessions"] += 1
        if s.get("duration_s") is not None and s["duration_s"] < max(u["end"] for u in utts):
            out["duration_s: the input's duration, though the last utterance ends later"]["sessions"] += 1
    return {k: dict(v) for k, v in out.items()}


def check_measures(C: Checks, x: dict[str, Any]) -> None:
    """Every measure recomputed from its documented definition, per participant and per session."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    part, sess, extra, fpart, fsess, init = (x[k] for k in ("part", "sess", "extra", "fpart", "fsess", "init"))
    # 1. every measure recomputed from its definition
    for p, row in part.items():
        for k, v in row.items():
            tool = mp.get(p, {}).get(k, "absent")
            if tool is None and (k in unav or documented_null(k, False, row)) and v is not None:
                continue  # blanked on purpose; checked below
            C.check(f"participant.{k}", close(tool, v), {"session": sid, "participant": p, "tool": tool, "docs": v})
    for k, v in sess.items():
        tool = ms.get(k, "absent")
        if tool is None and f"session.{k}" in unav and v is not None:
            continue
        C.check(f"session.{k}", close(tool, v), {"session": sid, "tool": tool, "docs": v})
    if "extraction" in (s.get("extra") or {}) or s.get("recommendations") or s.get("action_items"):
        for p, row in fpart.items():
            for k, v in row.items():
                C.check(f"participant.{k}", close(mp.get(p, {}).get(k, "absent"), v),
                        {"session": sid, "participant": p, "tool": mp.get(p, {}).get(k, "absent"), "docs": v})
        for k, v in fsess.items():
            C.check(f"session.{k}", close(ms.get(k, "absent"), v), {"session": sid, "tool": ms.get(k, "absent"), "docs": v})
    if s.get("topics"):
        for p, v in init.items():
            tool = mp.get(p, {}).get("topic_initiation_share", "absent")
            C.check("participant.topic_initiation_share", close(tool, v),
                    {"session": sid, "participant": p, "tool": tool, "docs": v})


def check_turns(C: Checks, x: dict[str, Any]) -> None:
    """metrics.turns, the interruption matrix and duration_s against the documented definitions."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    extra = x["extra"]
    # the turns listed in metrics.turns are the documented turns
    mine_ids = [t["ids"] for t in extra["turns"]]
    C.check("metrics.turns", [t["utterance_ids"] for t in m["turns"]] == mine_ids,
            {"session": sid, "tool_turns": len(m["turns"]), "docs_turns": len(mine_ids),
             "first_difference": next(({"tool": a, "docs": b} for a, b in zip([t["utterance_ids"] for t in m["turns"]], mine_ids, strict=False) if a != b), None)})
    for a, b in zip(m["turns"], extra["turns"], strict=False):
        if a["utterance_ids"] == b["ids"]:
            C.check("metrics.turns words, start, end", (a["words"], a["start"], a["end"]) == (b["words"], b["start"], b["end"])
                    or not has_text and a["start"] == b["start"] and a["end"] == b["end"],
                    {"session": sid, "turn": a["index"], "tool": [a["words"], a["start"], a["end"]],
                     "docs": [b["words"], b["start"], b["end"]]})
    if tm:
        mat: dict[str, Counter[str]] = defaultdict(Counter)
        for who, whom, *_ in extra["interruptions"]:
            mat[who][whom] += 1
        C.check("metrics.interruption_matrix", ms.get("interruptions") is None or
                {k: dict(v) for k, v in mat.items()} == {k: dict(v) for k, v in (m.get("interruption_matrix") or {}).items()},
                {"session": sid, "tool": m.get("interruption_matrix"), "docs": {k: dict(v) for k, v in mat.items()}})
        # round 51: session.json keeps each interruption (interrupter, interrupted, the two utterances)
        if ms.get("interruptions") is not None:
            mine_events = sorted((x[0], x[1], x[3], x[4]) for x in extra["interruptions"])
            tool_events = sorted((e["interrupter"], e["interrupted"], e["utterance_id"], e["interrupted_utterance_id"])
                                 for e in m.get("interruption_events") or [])
            C.check("metrics.interruption_events", mine_events == tool_events,
                    {"session": sid, "tool": len(tool_events), "docs": len(mine_events)})
        if s.get("duration_s") is not None:
            C.check("session.duration_s is the input's duration_s", close(ms.get("duration_s"), s["duration_s"]),
                    {"session": sid, "input duration_s": s["duration_s"], "last utterance end": extra["last_end"],
                     "tool": ms.get("duration_s")})


def check_answers(C: Checks, x: dict[str, Any]) -> None:
    """Answered questions keep the documented limits."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    # 2. answered questions keep the documented limits (answer by someone else, within the next
    #    answer_max_utterances other-speaker utterances, starting within answer_max_latency_s when timed)
    utts = ordered(s["utterances"])
    pos = {u["id"]: i for i, u in enumerate(utts)}
    for q in s.get("questions") or []:
        if not q["answered"]:
            continue
        i, j = pos[q["utterance_id"]], pos.get(q.get("answer_utterance_id") or "")
        qa, a = utts[i], (utts[j] if j is not None else None)
        ok = a is not None and j > i and a["speaker"] != qa["speaker"]
        if ok:
            others = sum(1 for u in utts[i + 1:j + 1] if u["speaker"] != qa["speaker"])
            ok = others <= cfg["answer_max_utterances"]
            if tm:
                ok = ok and a["start"] - qa["end"] <= cfg["answer_max_latency_s"]
        C.check("questions.answer within the documented window", ok, {"session": sid, "question": q["id"]})
        # the rule (Russian, untimed, fewer than three speakers): a backchannel answers no what/why/how question
        rule = s.get("language") == "ru" or not tm or len({u["speaker"] for u in utts}) < 3
        if rule and a is not None and wh_question(q["text"]):
            C.check("questions: a backchannel answers no wh-question (rule)", not ((a["text"] or "").strip() and is_bc(a, cfg)),
                    {"session": sid, "question": q["text"][:80], "answer": a["text"][:80]})


_WH = frozenset("what why how when where who whom whose which что почему зачем как когда где кто какой какая какие "
                "сколько".split())
_FILLERS = frozenset("so and um uh well okay ok but oh now then like ну а и вот так".split())


def wh_question(text: str) -> bool:
    """A what/why/how… question: its first word after fillers is an interrogative (docs: a bare "yes" answers the
    other questions, never these)."""
    ws = [w.casefold() for w in doc_words(text)]
    first = next((w for w in ws if w not in _FILLERS), "")
    return first in _WH


def check_nulls(C: Checks, x: dict[str, Any]) -> None:
    """Every null is listed in metrics.unavailable or explained by a documented rule."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    part, sess = x["part"], x["sess"]
    # 3. nulls: every null is listed in metrics.unavailable or explained by a documented rule
    for p, row in mp.items():
        for k, v in row.items():
            if v is None:
                why = k in unav or documented_null(k, False, part.get(p, {}))
                C.check("null measures are explained (participant)", why, {"session": sid, "participant": p, "measure": k})
    for k, v in ms.items():
        if v is None:
            C.check("null measures are explained (session)", f"session.{k}" in unav or documented_null(k, True, sess),
                    {"session": sid, "measure": k})
    for k in unav:
        key = k.split(".", 1)[1] if k.startswith("session.") else k
        blank = ms.get(key) is None if k.startswith("session.") else all(r.get(key) is None for r in mp.values())
        C.check("unavailable measures are null", blank, {"session": sid, "measure": k})
    # words and questions of a transcript without any words (RTTM): the report says n/a; zeros would read as
    # "nobody said a word" in the tables
    if not has_text:
        for k in NO_TEXT_PARTICIPANT:
            C.check("no text: word-based measures null and listed", k in unav and all(r.get(k) is None for r in mp.values()),
                    {"session": sid, "measure": k, "values": [r.get(k) for r in mp.values()][:3]})
        for k in NO_TEXT_SESSION:
            C.check("no text: word-based measures null and listed", f"session.{k}" in unav and ms.get(k) is None,
                    {"session": sid, "measure": f"session.{k}", "value": ms.get(k)})


def check_units(C: Checks, x: dict[str, Any]) -> None:
    """Units and documentation: every measure documented, whole numbers whole, shares in [0, 1]."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    pu, su = x["pu"], x["su"]
    # 4. units and documentation
    for row in mp.values():
        for k in row:
            C.check("participant measure documented", k in pu, {"session": sid, "measure": k})
    for k in ms:
        C.check("session measure documented", k in su, {"session": sid, "measure": k})
    for k, v in ms.items():
        if v is not None and su.get(k) in ("count", "words"):
            C.check("whole-number measures are integers in session.json", isinstance(v, int), {"session": sid, "measure": k, "value": v})
        if v is not None and su.get(k) == "0–1":
            C.check("0–1 measures lie in [0, 1]", -TOL <= v <= 1 + TOL, {"session": sid, "measure": k, "value": v})
    for p, row in mp.items():
        for k, v in row.items():
            if v is not None and pu.get(k) == "0–1":
                C.check("0–1 measures lie in [0, 1]", -TOL <= v <= 1 + TOL, {"session": sid, "participant": p, "measure": k, "value": v})
    shares = [r.get("talk_share") for r in mp.values() if r.get("talk_share") is not None]
    if shares:
        C.check("talk shares add up to 1", abs(sum(shares) - 1) < 1e-6, {"session": sid, "sum": sum(shares)})


def check_tables(C: Checks, x: dict[str, Any]) -> None:
    """The tables (CSV, Parquet) and the ConvoKit corpus hold session.json's values."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    pu, su = x["pu"], x["su"]
    srows, mrows, urows, trows, mpq, convs = x["tables"]
    # 5. tables: the metrics table holds session.json's values with the documented units
    rows = [r for r in mrows if r["session_id"] == sid]
    for r in rows:
        pid = r["participant_id"] or None
        k = r["metric"]
        src_v = (mp.get(pid, {}) if pid else ms).get(k, "absent")
        val = float(r["value"]) if r["value"] not in ("", None) else None
        C.check("tables.metrics value = session.json", close(val, src_v if not isinstance(src_v, bool) else float(src_v)),
                {"session": sid, "participant": pid, "measure": k, "table": r["value"], "json": src_v})
        C.check("tables.metrics unit = docs", r["unit"] == (pu if pid else su).get(k, ""),
                {"session": sid, "measure": k, "table unit": r["unit"], "docs unit": (pu if pid else su).get(k)})
    pq = mpq[mpq["session_id"] == sid]
    C.check("metrics.parquet rows = metrics.csv rows", len(pq) == len(rows), {"session": sid, "parquet": len(pq), "csv": len(rows)})
    for r in pq.itertuples():
        pid = r.participant_id if isinstance(r.participant_id, str) else None
        src_v = (mp.get(pid, {}) if pid else ms).get(r.metric, "absent")
        val = None if r.value is None or (isinstance(r.value, float) and math.isnan(r.value)) else r.value
        C.check("tables.metrics.parquet value = session.json", close(val, src_v), {"session": sid, "measure": r.metric, "parquet": val, "json": src_v})
    sr = srows[sid]
    jun = next((p["id"] for p in s["participants"] if p.get("role") == "junior"), None)
    kf = s.get("knowledge_flow") or {}
    want = {"duration_s": ms.get("duration_s"), "n_words": ms.get("words"), "balance_score": ms.get("balance_score"),
            "balance_score_words": ms.get("balance_score_words"), "talk_time_gini": ms.get("talk_time_gini"),
            "turn_taking_index": ms.get("turn_taking_index"), "interruptions": ms.get("interruptions"),
            "questions": ms.get("questions"), "questions_answered": ms.get("questions_answered"),
            "mutuality_index": kf.get("mutuality_index"),
            "junior_talk_share": mp.get(jun, {}).get("talk_share") if jun else None,
            "junior_word_share": mp.get(jun, {}).get("word_share") if jun else None,
            "n_open_questions": ms.get("questions_unanswered")}
    for k, v in want.items():
        cell = sr.get(k, "")
        val = float(cell) if cell not in ("", None) else None
        C.check(f"tables.sessions.{k} = session.json metrics", close(val, v), {"session": sid, "table": cell, "json": v})
    # words per utterance and per turn in the tables are the documented words
    for r in urows[sid]:
        u = next(x for x in s["utterances"] if x["id"] == r["utterance_id"])
        C.check("tables.utterances.n_words = docs words", int(r["n_words"]) == len(doc_words(u["text"] or "")),
                {"session": sid, "utterance": u["id"], "text": u["text"][:80], "table": r["n_words"],
                 "docs": len(doc_words(u["text"] or ""))})
    C.check("tables.turns rows = metrics.session.turns", len(trows[sid]) == (ms.get("turns") or 0),
            {"session": sid, "rows": len(trows[sid]), "turns": ms.get("turns")})
    # ConvoKit conversation metadata
    cm = convs.get(sid, {}).get("meta", {})
    for k, v in (("balance_score", ms.get("balance_score")), ("talk_time_gini", ms.get("talk_time_gini")),
                 ("turn_taking_index", ms.get("turn_taking_index")), ("mutuality_index", kf.get("mutuality_index")),
                 ("duration_s", ms.get("duration_s"))):
        C.check(f"convokit.{k} = session.json metrics", close(cm.get(k, "absent"), v), {"session": sid, "convokit": cm.get(k, "absent"), "json": v})


def check_reports(C: Checks, x: dict[str, Any]) -> None:
    """Markdown = HTML = session.json as the docs format it; the other language the same numbers."""
    sid, s, m, mp, ms, unav, cfg, tm, has_text = (x[k] for k in ("sid", "s", "m", "mp", "ms", "unav", "cfg", "tm", "has_text"))
    out, work, kf = x["out"], x["work"], x["kf"]
    # 6. reports: MD = HTML = the values of session.json as the docs format them; the other language the same numbers
    md = (out / sid / "summary.md").read_text(encoding="utf-8")
    ht = _Tables()
    ht.feed((out / sid / "report.html").read_text(encoding="utf-8"))
    fm, mm = figures(md_tables(md))
    fh, mh = figures(ht.tables)
    C.check("report: Markdown figures = HTML figures", bool(fm) and
            [{k: html.unescape(v) for k, v in r.items()} for r in fm] == fh and mm == mh,
            {"session": sid, "md": fm[:2] + mm, "html": fh[:2] + mh})
    other = work / "other_lang" / sid
    om = (other / "report.md").read_text(encoding="utf-8") if (other / "report.md").exists() else ""
    fo, mo = figures(md_tables(om))
    nums = lambda rows: [{k: norm(v) for k, v in r.items() if k not in ("name", "role")} for r in rows]  # noqa: E731
    C.check("report: English figures = Russian figures", bool(fm) and nums(fm) == nums(fo)
            and [norm(x[1]) for x in mm] == [norm(x[1]) for x in mo],
            {"session": sid, "this": nums(fm)[:2] + [norm(x[1]) for x in mm], "other": nums(fo)[:2] + [norm(x[1]) for x in mo]})
    en_md = md if (s.get("language") or "en") != "ru" else om
    en_measures = mm if (s.get("language") or "en") != "ru" else mo
    report_sentences(C, sid, en_md, en_measures, ms, kf)
    en_rows = fm if (s.get("language") or "en") != "ru" else fo
    for p, r in zip(s["participants"], en_rows, strict=False):
        row = mp.get(p["id"], {})
        if "talk_time_s" in r:
            C.check("report: talk time = talk_time_s (m:ss)", r["talk_time_s"] == fmt_clock(row.get("talk_time_s")),
                    {"session": sid, "participant": p["id"], "report": r["talk_time_s"], "json": row.get("talk_time_s")})
        if "longest_turn_s" in r and r["longest_turn_s"] != "n/a":
            C.check("report: longest turn = longest_turn_s (m:ss)", r["longest_turn_s"] == fmt_clock(row.get("longest_turn_s")),
                    {"session": sid, "participant": p["id"], "report": r["longest_turn_s"], "json": row.get("longest_turn_s")})
        for k in ("talk_share", "word_share"):
            if k in r and row.get(k) is not None:
                C.check(f"report: {k} (%)", r[k] == f"{100 * row[k]:.0f} %",
                        {"session": sid, "participant": p["id"], "report": r[k], "json": row.get(k)})
        for k in ("word_count", "questions_asked", "turns", "interruptions_made"):
            if k in r:
                want = "n/a" if row.get(k) is None else str(row[k])
                unnamed_voice = [x["id"] for x in s["participants"]] == ["unknown"] and k == "turns"
                if r[k] != "n/a" or row.get(k) is None or unnamed_voice:  # docs: one unnamed voice, turns n/a
                    C.check(f"report: {k}", r[k] == want or unnamed_voice and r[k] == "n/a", {"session": sid, "participant": p["id"], "report": r[k], "json": row.get(k)})
                else:
                    C.check(f"report: {k} n/a only where the docs blank it", False,
                            {"session": sid, "participant": p["id"], "report": r[k], "json": row.get(k)})


def audit(work: Path, out: Path) -> dict[str, Any]:
    cfg = load_cfg()
    pu, su = doc_units(ROOT / "docs" / "metrics.md")
    C = Checks()
    sessions = {json.loads(f.read_text(encoding="utf-8"))["id"]: json.loads(f.read_text(encoding="utf-8"))
                for f in sorted(out.glob("*/session.json"))}
    summary: dict[str, Any] = {}
    tables = work / "tables"
    srows = {r["session_id"]: r for r in csv.DictReader((tables / "sessions.csv").open(encoding="utf-8"))}
    mrows = list(csv.DictReader((tables / "metrics.csv").open(encoding="utf-8")))
    urows = defaultdict(list)
    for r in csv.DictReader((tables / "utterances.csv").open(encoding="utf-8")):
        urows[r["session_id"]].append(r)
    trows = defaultdict(list)
    for r in csv.DictReader((tables / "turns.csv").open(encoding="utf-8")):
        trows[r["session_id"]].append(r)
    import pandas as pd

    mpq = pd.read_parquet(tables / "metrics.parquet")
    convs = json.loads((work / "convokit" / "conversations.json").read_text(encoding="utf-8"))

    for sid, s in sessions.items():
        m = s["metrics"]
        mp, ms, unav = m["participants"], m["session"], set(m.get("unavailable") or [])
        part, sess, extra = recompute(s, cfg)
        fpart, fsess = flow_recompute(s)
        init = topic_initiation(s)
        tm = timed(s["utterances"])
        has_text = any((u["text"] or "").strip() for u in s["utterances"])
        summary[sid] = {"timed": tm, "text": has_text, "participants": len(s["participants"]),
                        "utterances": len(s["utterances"]), "input": (s.get("extra") or {}).get("input_format")}
        x = {"sid": sid, "s": s, "m": m, "mp": mp, "ms": ms, "unav": unav, "cfg": cfg, "tm": tm, "has_text": has_text,
             "part": part, "sess": sess, "extra": extra, "pu": pu, "su": su, "out": out, "work": work,
             "kf": s.get("knowledge_flow") or {}, "tables": (srows, mrows, urows, trows, mpq, convs), "fpart": fpart,
             "fsess": fsess, "init": init}
        for step in (check_measures, check_turns, check_answers, check_nulls, check_units, check_tables, check_reports):
            step(C, x)
    return {"checks": C.results, "sessions": summary, "docs_readings": readings(sessions, cfg)}




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    t0 = time.time()
    out = run_tool(args.src.resolve(), args.work)
    res = audit(args.work, out)
    commit = subprocess.run(["git", "-C", str(args.src.resolve().parent), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    failing = {k: f"{v['failed']}/{v['checked']}" for k, v in sorted(res["checks"].items()) if v["failed"]}
    doc = {"benchmark": "r24_measures", "src": str(args.src), "commit": commit,
           "data": "development only: SBCSAE SBC001/SBC009 STM + SBC001 RTTM, Zoom class-meeting VTT (named, unnamed), "
                   "QMSum TS3003a/TS3007b/ES2014b/Bed003 text, AMI train RTTM ES2014b/TS3007b/TS3011b, examples' reference.stm",
           "command": " ".join(["python", *sys.argv]), "seconds": round(time.time() - t0, 1),
           "failing": failing, "n_checks": len(res["checks"]), "n_failing": len(failing), **res}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(json.dumps(failing, indent=1))


if __name__ == "__main__":
    main()

"""Topic areas on real talk nobody tuned on: a small hand-labelled audit (issue 10, round 12).

Usage (from the repository root)::

    python benchmarks/audit_real_talk.py prepare --work /tmp/r12/topicsaudit
    python benchmarks/audit_real_talk.py run --work /tmp/r12/topicsaudit --tag r12 \\
        --sessions SBC001,SBC009,SBC044,ZOOM,education_13,Bed003,ES2004a,ES2004b,ES2004c,ES2004d,TS3011b
    python benchmarks/topics_realtalk_r12_topicsaudit.py dump --work /tmp/r12/topicsaudit --tag r12 > blind.txt
    python benchmarks/topics_realtalk_r12_topicsaudit.py score --work /tmp/r12/topicsaudit --tag r12

``run`` is the CLI's ``analyze`` with every default stage, as a user runs it. The sample is fixed
by position before anything is labelled: each session's utterances are cut, in order, into
*audit windows* of at least ``WINDOW_WORDS`` words (a window ends at the first utterance boundary
at or past that count), and ``PER_FILE`` windows are taken evenly spaced from the first to the
last (``sample_indices``). ``dump`` prints the sampled windows' text only (no area, no
confidence: the labelling is blind to the tool). ``score`` joins the hand labels
(``benchmarks/results/topics_realtalk_r12_topicsaudit_labels.json``) to the tool's topic segments
and writes ``benchmarks/results/topics_realtalk_r12_topicsaudit.json``.

Label rule (from the issue and the taxonomy's own ``other`` definition: "small talk, logistics,
scheduling the next meeting, greetings, off-topic"): a window is ``other`` when it is mostly
greetings, small talk, logistics of the meeting itself (equipment, who speaks, scheduling),
closing, or off-topic personal chat with no work, study, profession or policy content; it is
*substantive* when it is mostly about work, study, a trade or profession, a product or
project, or public policy (a personal story about one's work counts), and then it gets the
taxonomy area that fits best (``area``), with any other areas a fair reader would also accept
(``also``). One labeller (the ``topicsaudit`` helper), not a gold standard.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_real_talk import SESSIONS, commit, emit, load  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "results" / "topics_realtalk_r12_topicsaudit_labels.json"
OUT = ROOT / "benchmarks" / "results" / "topics_realtalk_r12_topicsaudit.json"
AUDITED = ("SBC001", "SBC009", "SBC044", "ZOOM", "education_13", "Bed003",
           "ES2004a", "ES2004b", "ES2004c", "ES2004d", "TS3011b")
WINDOW_WORDS = 100
PER_FILE = 12
OTHER = "other"
BANDS = (0.0, 0.2, 0.25, 0.3, 0.35, 0.5, 0.6, 0.7, 1.01)


def n_words(text: str) -> int:
    return len(text.split())


def windows(utts: Sequence[dict], min_words: int = WINDOW_WORDS) -> list[list[int]]:
    """Utterance indices cut in order into runs of at least ``min_words`` words (the last run may be shorter)."""
    out: list[list[int]] = []
    cur: list[int] = []
    count = 0
    for i, u in enumerate(utts):
        cur.append(i)
        count += n_words(u.get("text") or "")
        if count >= min_words:
            out.append(cur)
            cur, count = [], 0
    if cur:
        out.append(cur)
    return out


def sample_indices(n: int, k: int = PER_FILE) -> list[int]:
    """``k`` window indices evenly spaced from the first to the last of ``n`` (all of them when ``n <= k``)."""
    if n <= k:
        return list(range(n))
    return sorted({round(j * (n - 1) / (k - 1)) for j in range(k)})


def tool_view(session: dict, idx: Sequence[int]) -> dict:
    """The tool's topic output over one window: word shares per area, the majority area, its segment's mode and confidence."""
    utts = session["utterances"]
    seg_of: dict[str, dict] = {}
    all_segs = session["topics"]["segments"]
    for seg in all_segs:
        for uid in seg["utterance_ids"]:
            seg_of[uid] = seg
    words: dict[str, int] = {}
    seg_words: dict[int, int] = {}
    segs: dict[int, dict] = {}
    for i in idx:
        u = utts[i]
        w = n_words(u.get("text") or "")
        seg = seg_of.get(u["id"])
        if seg is None:
            continue
        words[seg["area"]] = words.get(seg["area"], 0) + w
        seg_words[id(seg)] = seg_words.get(id(seg), 0) + w
        segs[id(seg)] = seg
    total = sum(words.values())
    if not total:
        return {"area": None, "words": 0, "other_share": 0.0, "confidence": None, "mode": None, "other_score": None,
                "edge_segment": False}
    area = max(words, key=lambda a: words[a])
    main = segs[max((k for k in seg_words if segs[k]["area"] == area), key=lambda k: seg_words[k])]
    return {"area": area, "words": total, "other_share": words.get(OTHER, 0) / total,
            "area_shares": {a: round(w / total, 3) for a, w in sorted(words.items())},
            "confidence": main.get("confidence"), "mode": main.get("mode"),
            "other_score": (main.get("area_scores") or {}).get(OTHER),
            "edge_segment": main is all_segs[0] or main is all_segs[-1]}


def sampled(session: dict) -> list[tuple[str, list[int]]]:
    wins = windows(session["utterances"])
    return [(f"{session['id']}#{j}", wins[j]) for j in sample_indices(len(wins))]


def dump(work: Path, tag: str, sessions: Sequence[str], width: int = 2500) -> None:
    for sid in sessions:
        s = load(work, tag, sid)
        print(f"##### {sid}: {len(windows(s['utterances']))} windows")
        for key, idx in sampled(s):
            text = " / ".join(f"{s['utterances'][i]['speaker']}: {s['utterances'][i]['text']}" for i in idx)
            print(f"\n[{key}] {sum(n_words(s['utterances'][i]['text']) for i in idx)} words")
            print("   " + (text if len(text) <= width else text[:width] + " …"))


def auroc(pos: Sequence[float], neg: Sequence[float]) -> float | None:
    """Probability that a random ``pos`` score exceeds a random ``neg`` one (ties count half); None if a side is empty."""
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return round(wins / (len(pos) * len(neg)), 3)


def _rate(num: float, den: float) -> float | None:
    return round(num / den, 3) if den else None


def summarise(rows: Sequence[dict]) -> dict:
    """Shares and rates over joined rows (one per labelled window: ``label``, ``area``, ``also`` and the tool's view)."""
    words = sum(r["words"] for r in rows)
    sub = [r for r in rows if r["label"] != OTHER]
    small = [r for r in rows if r["label"] == OTHER]
    sub_words = sum(r["words"] for r in sub)
    small_words = sum(r["words"] for r in small)
    sub_tool_area = [r for r in sub if r["tool_area"] != OTHER and r["area"] is not None]
    strict = sum(r["tool_area"] == r["area"] for r in sub_tool_area)
    lenient = sum(r["tool_area"] == r["area"] or r["tool_area"] in r["also"] for r in sub_tool_area)
    return {
        "windows": len(rows), "words": words,
        "windows_substantive": len(sub), "windows_small_talk": len(small),
        "other_word_share_tool": _rate(sum(r["words"] * r["tool_other_share"] for r in rows), words),
        "other_word_share_labeller": _rate(small_words, words),
        "substantive_as_other_windows": _rate(sum(r["tool_area"] == OTHER for r in sub), len(sub)),
        "substantive_as_other_words": _rate(sum(r["words"] * r["tool_other_share"] for r in sub), sub_words),
        "small_talk_as_work_windows": _rate(sum(r["tool_area"] != OTHER for r in small), len(small)),
        "small_talk_as_work_words": _rate(sum(r["words"] * (1 - r["tool_other_share"]) for r in small), small_words),
        "area_agreement_substantive_strict": _rate(strict, len(sub_tool_area)),
        "area_agreement_substantive_lenient": _rate(lenient, len(sub_tool_area)),
        "area_agreement_substantive_counts": {"strict": strict, "lenient": lenient, "of": len(sub_tool_area)},
        "by_kind": {k: {"windows": sum(r["kind"] == k for r in rows),
                        "tool_other": sum(r["kind"] == k and r["tool_area"] == OTHER for r in rows)}
                    for k in sorted({r["kind"] for r in rows})},
    }


def right(row: dict) -> bool:
    """The tool's window label is right: ``other`` for small talk, else the labeller's area (or an accepted one)."""
    if row["label"] == OTHER:
        return row["tool_area"] == OTHER
    if row["tool_area"] == OTHER:
        return False
    if row["area"] is None:  # substantive talk no programme area fits: any area is right, other is not
        return True
    return row["tool_area"] == row["area"] or row["tool_area"] in row["also"]


def separation(rows: Sequence[dict]) -> dict:
    """How well the confidence tells right from wrong, apart for windows the tool called ``other`` and the rest
    (the two confidences differ in kind: the gate's ``other`` probability vs the winning area's score)."""
    out = {}
    for name, sel in (("tool_other", [r for r in rows if r["tool_area"] == OTHER]),
                      ("tool_area", [r for r in rows if r["tool_area"] != OTHER])):
        ok = [r["confidence"] for r in sel if r["right"] and r["confidence"] is not None]
        bad = [r["confidence"] for r in sel if not r["right"] and r["confidence"] is not None]
        out[name] = {"windows": len(sel), "right": len(ok), "mean_confidence_right": _rate(sum(ok), len(ok)),
                     "mean_confidence_wrong": _rate(sum(bad), len(bad)), "auroc_right_vs_wrong": auroc(ok, bad),
                     "bands": bands(sel)}
    return out


def other_score_separation(rows: Sequence[dict]) -> dict:
    """AUROC of the segment's ``other`` score (the gate's probability) for the labeller's small talk vs substantive."""
    sub = [r["other_score"] for r in rows if r["label"] != OTHER and r["other_score"] is not None]
    res = {}
    for name, keep in (("all_small_talk", lambda r: True),
                       ("greeting_logistics_closing_icebreaker", lambda r: r["kind"] != "off_topic_personal"),
                       ("off_topic_personal", lambda r: r["kind"] == "off_topic_personal")):
        small = [r["other_score"] for r in rows if r["label"] == OTHER and keep(r) and r["other_score"] is not None]
        res[name] = {"small_talk_windows": len(small), "substantive_windows": len(sub), "auroc": auroc(small, sub),
                     "small_talk_other_score_range": [min(small), max(small)] if small else None}
    res["substantive_other_score_range"] = [min(sub), max(sub)] if sub else None
    return res


def bands(rows: Sequence[dict]) -> list[dict]:
    out = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        sel = [right(r) for r in rows if r["confidence"] is not None and lo <= r["confidence"] < hi]
        out.append({"from": lo, "below": min(hi, 1.0), "windows": len(sel), "right": sum(sel),
                    "precision": _rate(sum(sel), len(sel))})
    return out


def join(work: Path, tag: str, sessions: Sequence[str], labels: dict[str, dict]) -> list[dict]:
    rows = []
    for sid in sessions:
        s = load(work, tag, sid)
        for key, idx in sampled(s):
            lab = labels.get(key)
            if lab is None:
                continue
            view = tool_view(s, idx)
            label = OTHER if lab["label"] == OTHER else "substantive"
            rows.append({"key": key, "session": sid, "words": view["words"], "label": label,
                         "kind": lab.get("kind"), "area": lab.get("area"), "also": lab.get("also", []),
                         "mixed": bool(lab.get("mixed")), "note": lab.get("note", ""), "tool_area": view["area"],
                         "tool_other_share": round(view["other_share"], 3), "tool_area_shares": view.get("area_shares"),
                         "confidence": view["confidence"], "other_score": view["other_score"], "mode": view["mode"],
                         "edge_segment": view["edge_segment"]})
    return rows


def score(work: Path, tag: str, sessions: Sequence[str], labels_path: Path, out: Path | None) -> dict:
    doc = json.loads(labels_path.read_text(encoding="utf-8"))
    rows = join(work, tag, sessions, doc["labels"])
    for r in rows:
        r["right"] = right(r)
    per = {sid: summarise([r for r in rows if r["session"] == sid]) for sid in sessions}
    for sid in sessions:
        per[sid]["other_word_share_tool_whole_file"] = round(
            load(work, tag, sid)["topics"]["area_word_share"].get(OTHER, 0.0), 3)
    amis = [r for r in rows if r["session"].startswith(("ES", "TS"))]
    res = {
        "command": "python benchmarks/topics_realtalk_r12_topicsaudit.py " + " ".join(sys.argv[1:]),
        "commit": commit(), "date": dt.date.today().isoformat(), "run_tag": tag,
        "split": "real talk the topic heads never trained or chose on (SBCSAE, Zoom VTT, QMSum test-partition AMI, "
                 "ICSI Bed003, Welsh Parliament education_13)",
        "files": {s: SESSIONS[s].get("src") or SESSIONS[s].get("qmsum") for s in sessions},
        "labeller": doc.get("labeller"), "rule": doc.get("rule"),
        "window_words": WINDOW_WORDS, "per_file": PER_FILE,
        "pooled": summarise(rows),
        "pooled_ami_test": summarise(amis),
        "pooled_non_ami": summarise([r for r in rows if r not in amis]),
        "pooled_without_mixed": summarise([r for r in rows if not r["mixed"]]),
        "pooled_without_off_topic_personal": summarise([r for r in rows if r["kind"] != "off_topic_personal"]),
        "per_session": per,
        "confidence_bands": bands(rows),
        "confidence_separation": separation(rows),
        "other_score_separation": other_score_separation(rows),
        "errors": {"substantive_as_other": [r for r in rows if r["label"] != OTHER and r["tool_area"] == OTHER],
                   "small_talk_as_work": [r for r in rows if r["label"] == OTHER and r["tool_area"] != OTHER]},
        "rows": rows,
    }
    emit(res, out, echo=False)
    return res


def gate_windows(work: Path, tag: str, sessions: Sequence[str], out: Path | None) -> dict:
    """Read-only diagnostic: the shipped stage's window-level gate (``other`` probability and decision) on each
    session, and how many of the words in ``other`` segments sit in windows the gate itself called work (they
    were turned into ``other`` by smoothing or the short-run rule), and the reverse."""
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.model.serialize import session_from_dict

    stage = TopicsStage()
    res: dict = {"command": "python benchmarks/topics_realtalk_r12_topicsaudit.py " + " ".join(sys.argv[1:]),
                 "commit": commit(), "date": dt.date.today().isoformat(), "run_tag": tag, "sessions": {}}
    for sid in sessions:
        doc = load(work, tag, sid)
        s = session_from_dict(doc)
        wins = stage.windows(s)
        X, _ = stage._vectors(s, wins)
        pred = stage.model.predict_embeddings(X, context=stage.cfg.context_windows)
        o = list(pred.area_labels).index(OTHER)
        words = [n_words(u.text) for u in s.utterances]
        area = {uid: seg["area"] for seg in doc["topics"]["segments"] for uid in seg["utterance_ids"]}
        gate_other = [False] * len(words)
        rows = []
        for i, w in enumerate(wins):
            for k in range(w.first, w.last + 1):
                gate_other[k] = pred.areas[i] == OTHER
            rows.append({"first": s.utterances[w.first].id, "last": s.utterances[w.last].id,
                         "p_other": round(float(pred.area_proba[i, o]), 3), "decided": pred.areas[i]})
        total = sum(words) or 1
        seg_other = [area.get(u.id) == OTHER for u in s.utterances]
        res["sessions"][sid] = {
            "words": sum(words), "other_share": round(sum(n for n, so in zip(words, seg_other, strict=True) if so) / total, 3),
            "other_words_gate_called_work": round(sum(n for n, so, g in zip(words, seg_other, gate_other, strict=True)
                                                      if so and not g) / total, 3),
            "work_words_gate_called_other": round(sum(n for n, so, g in zip(words, seg_other, gate_other, strict=True)
                                                      if not so and g) / total, 3),
            "windows": rows}
    emit(res, out, echo=False)
    return res


def protect_gate_work_runs(min_windows: int) -> None:
    """Measured, not shipped: the stage's short-run rule, except that a run of at least ``min_windows`` windows
    that the gate itself calls work (every window's ``other`` probability below 0.5) keeps its areas when the rule
    would turn it into ``other`` (the rule's minimum grows with the session, 5 % of its windows, so on a long
    meeting a several-minute presentation between an opening and a break is "short"). Patches the stage module
    for this process only; run through ``ami`` below on the AMI choosing meetings.
    """
    import numpy as np

    import sessionscope.analysis.topics.stage as stage_mod

    original = stage_mod.absorb_runs

    def patched(path: np.ndarray, proba: np.ndarray, catch_all: int | None, *, min_len: int) -> np.ndarray:
        out = original(path, proba, catch_all, min_len=min_len)
        if catch_all is None:
            return out
        before = np.asarray(path)
        work = proba[:, catch_all] < 0.5
        i = 0
        while i < len(before):
            j = i
            while j + 1 < len(before) and (before[j + 1] != catch_all) == (before[i] != catch_all):
                j += 1
            if before[i] != catch_all and j - i + 1 >= min_windows and work[i:j + 1].all() \
                    and (out[i:j + 1] == catch_all).all():
                out[i:j + 1] = before[i:j + 1]
            i = j + 1
        return out

    stage_mod.absorb_runs = patched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("dump", "score", "ami", "gate"))
    ap.add_argument("--protect-windows", type=int, default=3, help="ami: the shortest gate-work run protected")
    ap.add_argument("--work", type=Path, default=Path("/tmp/r12/topicsaudit"))
    ap.add_argument("--tag", default="r12")
    ap.add_argument("--sessions", default=",".join(AUDITED))
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--out", type=Path, default=None, help=f"score: result JSON (default {OUT.relative_to(ROOT)}); "
                    "ami: passed on to topics_ami.py")
    args, rest = ap.parse_known_args()  # ami: the rest goes to benchmarks/topics_ami.py
    if rest and args.cmd != "ami":
        ap.error(f"unrecognized arguments: {' '.join(rest)}")
    sessions = [s for s in args.sessions.split(",") if s]
    if args.cmd == "ami":  # the AMI benchmark (choosing meetings) with the protection above; passes its own args on
        protect_gate_work_runs(args.protect_windows)
        import topics_ami

        sys.exit(topics_ami.main([a for a in rest if a != "--"] + (["--out", str(args.out)] if args.out else [])))
    if args.cmd == "gate":
        res = gate_windows(args.work, args.tag, sessions, args.out or OUT.with_name(OUT.stem + "_gate.json"))
        print(json.dumps({sid: {k: v for k, v in d.items() if k != "windows"} for sid, d in res["sessions"].items()},
                         indent=1))
        return
    if args.cmd == "dump":
        dump(args.work, args.tag, sessions)
    else:
        res = score(args.work, args.tag, sessions, args.labels, args.out or OUT)
        print(json.dumps({k: res[k] for k in ("pooled", "confidence_separation", "other_score_separation")}, indent=1))


if __name__ == "__main__":
    main()

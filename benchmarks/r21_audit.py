"""Round 21 (audit): what `run` hands a mentoring pair and an evaluator, read back and checked against references.

Usage (from the repository root)::

    python benchmarks/r21_audit.py run --work /tmp/r21/audit_before --src /tmp/r21/base/src   # the round's start
    python benchmarks/r21_audit.py run --work /tmp/r21/audit_after --src /tmp/r21/audit_wt/src  # these fixes
    python benchmarks/r21_audit.py check --work /tmp/r21/audit_before --src /tmp/r21/base/src --out benchmarks/results/r21_audit_before.json
    python benchmarks/r21_audit.py check --work /tmp/r21/audit_after --src /tmp/r21/audit_wt/src --out benchmarks/results/r21_audit_after.json

``run`` writes one output folder per development file (DEVELOPMENT audio only: the pyannote sample, two
pyannote AMI dev excerpts, two development call simulations, one development LibriSpeech conversation) and
a 4-recording batch with a manifest (two pairs) plus ``report programme``. ``check`` reads every output back
(session.json, summary.md, speakers.rttm, utterances.csv, the programme tables) and reports, per file, the
figures against the reference (DER of ``speakers.rttm`` at collar 0 and 0.25, speaker count, talk-share error
per reference speaker, WER where a transcript exists) and the consistency checks an evaluator would make:
the RTTM's per-speaker time = the JSON talk time; the CSV = the JSON utterances; the summary's shares = the
JSON's; words repeated across an utterance boundary; questions "answered" by speech without words; a
participant whose talk time carries few words without the report saying so; a speaker count estimated from
the audio shown without saying so; confidences that are one constant; a pair whose sessions put one voice
under different participants (order-of-speech guesses).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CONV = ROOT / ".cache" / "conv"
CONFIG = ROOT / "benchmarks" / "configs" / "tiny_en.yaml"
FORMATS = ("markdown", "html", "rttm", "csv", "vtt")

#: name -> (audio, reference RTTM, uri, transcript STM or None, extra CLI arguments)
CASES: dict[str, tuple[Path, Path, str, Path | None, list[str]]] = {
    "sample": (DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm", "sample",
               DATA / "pyannote-sample/sample.stm", ["-p", "Diane=junior", "-p", "Sheila=senior", "--language", "en"]),
    "ami_dev00": (DATA / "pyannote-ami-excerpts/dev00.wav", DATA / "pyannote-ami-excerpts/reference.rttm", "dev00",
                  None, ["--language", "en"]),
    "ami_dev01": (DATA / "pyannote-ami-excerpts/dev01.wav", DATA / "pyannote-ami-excerpts/reference.rttm", "dev01",
                  None, ["-p", "Alex=junior", "-p", "Sam=senior"]),
    "phone_dev00": (CONV / "dev_r19_calls_phone/dev00.wav", CONV / "dev_r19_calls_phone/reference.rttm", "dev00",
                    None, ["-p", "Ann=junior", "-p", "Bob=senior"]),
    "zoom_dev01": (CONV / "dev_r19_calls_zoom/dev01.wav", CONV / "dev_r19_calls_zoom/reference.rttm", "dev01",
                   None, ["-p", "Ann=junior", "-p", "Bob=senior"]),
    "libri_dev02": (CONV / "dev_r19/dev02.wav", CONV / "dev_r19/reference.rttm", "dev02", None, []),
}
#: the batch: session id -> (case whose audio and reference it takes)
BATCH = {"pr_2026-11-10": "phone_dev00", "pr_2026-11-24": "libri_dev02", "pr_2026-12-01": "zoom_dev01",
         "ds_2026-11-20": "sample"}
MANIFEST = """pairs:
  park-reed:
    language: en
    participants:
    - {name: Lena Park, role: junior, id: lena}
    - {name: Tom Reed, role: senior, id: tom}
  diane-sheila:
    language: en
    participants:
    - {name: Diane, role: junior, id: diane}
    - {name: Sheila, role: senior, id: sheila}
sessions:
- {id: pr_2026-11-10, pair: park-reed, date: '2026-11-10', file: rec/pr_2026-11-10.wav}
- {id: pr_2026-11-24, pair: park-reed, date: '2026-11-24', file: rec/pr_2026-11-24.wav}
- {id: pr_2026-12-01, pair: park-reed, date: '2026-12-01', file: rec/pr_2026-12-01.wav}
- {id: ds_2026-11-20, pair: diane-sheila, date: '2026-11-20', file: rec/ds_2026-11-20.wav}
"""


SRC: Path | None = None  # --src: run this source tree (a worktree of another commit) instead of the installed one


def _cli() -> list[str]:
    if SRC is None:
        return ["nice", "-n", "10", str(ROOT / ".venv/bin/sessionscope")]
    return ["env", f"PYTHONPATH={SRC}", "nice", "-n", "10", str(ROOT / ".venv/bin/python"), "-c",
            "from sessionscope.cli import main; main()"]


def run(work: Path, force: bool) -> None:
    """Every case alone, then the batch and its programme report (one process at a time)."""
    fmt = [a for f in FORMATS for a in ("--format", f)]
    for name, (wav, *_, args) in CASES.items():
        cmd = [*_cli(), "run", str(wav), "--config", str(CONFIG), "--out", str(work / name), "--no-progress",
               *fmt, *args, *(["--force"] if force else [])]
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    batch = work / "batch"
    (batch / "rec").mkdir(parents=True, exist_ok=True)
    for sid, case in BATCH.items():
        link = batch / "rec" / f"{sid}.wav"
        if not link.exists():
            link.symlink_to(CASES[case][0])
    (batch / "manifest.yaml").write_text(MANIFEST)
    subprocess.run([*_cli(), "run", str(batch / "rec"), "--manifest", str(batch / "manifest.yaml"), "--config",
                    str(CONFIG), "--out", str(batch / "out"), "--no-progress", *fmt, *(["--force"] if force else [])],
                   check=False, stdout=subprocess.DEVNULL)
    subprocess.run([*_cli(), "report", "programme", str(batch / "out"), "--out", str(batch / "dash")], check=False,
                   stdout=subprocess.DEVNULL)


# -- reading the outputs back ------------------------------------------------------------------------------
def rttm_segments(path: Path, uri: str | None = None) -> list[tuple[float, float, str]]:
    out = []
    for line in path.read_text().splitlines():
        f = line.split()
        if len(f) >= 8 and f[0] == "SPEAKER" and (uri is None or f[1] == uri):
            s, d = float(f[3]), float(f[4])
            out.append((s, s + d, f[7]))
    return out


def union_s(segs: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for s, e in sorted(segs):
        if e > end:
            total += e - max(s, end)
            end = e
    return total


def stm_text(path: Path) -> str:
    return " ".join(" ".join(line.split()[5:]) for line in path.read_text().splitlines() if line.strip())


def talk_share_errors(ref: list, hyp: list) -> tuple[dict[str, float], dict[str, str]]:
    """Per reference speaker: |reference share - matched hypothesis share| in points, and the match."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rl, hl = sorted({x for *_, x in ref}), sorted({x for *_, x in hyp})
    rs = {r: union_s([(a, b) for a, b, x in ref if x == r]) for r in rl}
    hs = {h: union_s([(a, b) for a, b, x in hyp if x == h]) for h in hl}
    rt, ht = sum(rs.values()) or 1.0, sum(hs.values()) or 1.0
    co = np.array([[sum(max(0.0, min(b, d) - max(a, c)) for a, b, x in ref if x == r for c, d, y in hyp if y == h)
                    for h in hl] for r in rl])
    ri, hi = linear_sum_assignment(-co)
    match = {rl[i]: hl[j] for i, j in zip(ri, hi, strict=True)}
    return ({r: round(100 * abs(rs[r] / rt - hs.get(match.get(r, ""), 0.0) / ht), 1) for r in rl}, match)


def origin(speaker: str) -> str:
    """The reader behind a speed-perturbed copy ("1688sp0.9" -> "1688")."""
    return re.sub(r"sp\d+(\.\d+)?$", "", speaker)


def _summary_shares(md: str) -> dict[str, int]:
    m = re.search(r"\*\*Participants:\*\* (.+)", md)
    if not m:
        return {}
    return {name.replace("\\_", "_").strip(): int(pct) for name, pct in re.findall(r"([^,(]+) \([^,]+, (\d+) %\)", m.group(1))}


def check_session(folder: Path, ref_rttm: Path | None, uri: str | None, stm: Path | None) -> dict[str, Any]:
    d = json.loads((folder / "session.json").read_text())
    md = (folder / "summary.md").read_text() if (folder / "summary.md").exists() else ""
    row: dict[str, Any] = {"folder": str(folder), "duration_s": d["duration_s"], "defects": []}

    def defect(what: str, where: str, evidence: Any) -> None:
        row["defects"].append({"what": what, "where": where, "evidence": evidence})

    hyp = rttm_segments(folder / "speakers.rttm")
    _against_reference(row, d, hyp, ref_rttm, uri, stm, defect)
    _consistency(row, d, md, hyp, folder, defect)
    _caveats(row, d, md, defect)
    row["speaker_mapping"] = (d["quality"] or {}).get("speaker_mapping_method")
    return row


def _against_reference(row: dict, d: dict, hyp: list, ref_rttm: Path | None, uri: str | None, stm: Path | None,
                       defect: Any) -> None:
    """DER, speaker count, talk-share error per reference speaker, WER (where a transcript exists)."""
    from sessionscope.audio.der import der

    utts = d["utterances"]
    if ref_rttm is not None:
        ref = rttm_segments(ref_rttm, uri)
        uem = (0.0, float(d["duration_s"]))
        for c in (0.0, 0.25):
            r = der(ref, hyp, collar=c, uem=uem)
            row[f"der_c{c}"] = round(100 * r.der, 2)
        row["ref_speakers"], row["hyp_speakers"] = len({x for *_, x in ref}), len({x for *_, x in hyp})
        errs, match = talk_share_errors(ref, hyp)
        row["share_err_pts"], row["ref_to_participant"] = errs, match
        if row["ref_speakers"] != row["hyp_speakers"]:
            defect("speaker count differs from the reference", "speakers.rttm",
                   f"{row['hyp_speakers']} found, {row['ref_speakers']} in the reference")
        if max(errs.values()) > 10:
            defect("talk share off by more than 10 points", "summary.md / session.json", errs)
    if stm is not None:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from asr_wer import english_normaliser, score

        norm, _ = english_normaliser()
        hyp_text = " ".join(u["text"] for u in sorted(utts, key=lambda u: u["start"] or 0.0))
        row["wer"] = score(norm(stm_text(stm)), norm(hyp_text)).get("wer")


def _consistency(row: dict, d: dict, md: str, hyp: list, folder: Path, defect: Any) -> None:
    """The outputs agree with each other: RTTM and JSON talk time, CSV and JSON utterances, summary and JSON shares,
    no words repeated across an utterance boundary."""
    utts, mp = d["utterances"], d["metrics"]["participants"]
    names = {p["id"]: p["name"] for p in d["participants"]}
    # the RTTM's per-speaker time = the JSON talk time (same speech counted in both)
    rttm_t = {x: union_s([(a, b) for a, b, y in hyp if y == x]) for x in {y for *_, y in hyp}}
    diffs = {pid: round(abs(rttm_t.get(pid, 0.0) - (m.get("talk_time_s") or 0.0)), 2) for pid, m in mp.items()}
    row["rttm_vs_json_talk_s"] = diffs
    if max(diffs.values(), default=0.0) > 0.05:
        defect("speakers.rttm and the JSON talk time disagree", "speakers.rttm", diffs)
    # the CSV = the JSON utterances
    if (folder / "utterances.csv").exists():
        with open(folder / "utterances.csv", newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        same = len(rows) == len(utts) and all(r["text"] == u["text"] and r["id"] == u["id"] for r, u in zip(rows, utts, strict=False))
        row["csv_matches_json"] = same
        if not same:
            defect("utterances.csv differs from session.json", "utterances.csv", f"{len(rows)} rows, {len(utts)} utterances")
    # the VTT = the utterances with words, same times (ms)
    if (folder / "transcript.vtt").exists():
        cues = re.findall(r"^(u\d+)\n(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})",
                          (folder / "transcript.vtt").read_text(), re.M)
        got = {c[0]: (round(int(c[1]) * 3600 + int(c[2]) * 60 + float(c[3]), 3),
                      round(int(c[4]) * 3600 + int(c[5]) * 60 + float(c[6]), 3)) for c in cues}
        want = {u["id"]: (round(u["start"], 3), round(u["end"], 3)) for u in utts if (u["text"] or "").strip()}
        row["vtt_matches_json"] = got == want
        if got != want:
            defect("transcript.vtt cues differ from the utterances with words", "transcript.vtt",
                   {"missing": sorted(set(want) - set(got))[:5], "extra": sorted(set(got) - set(want))[:5],
                    "times": [k for k in set(got) & set(want) if got[k] != want[k]][:5]})
    # the summary's shares = the JSON's
    shown = _summary_shares(md)
    want = {names[pid]: round(100 * (m.get("talk_share") or 0.0)) for pid, m in mp.items()}
    bad = {n: (shown.get(n), v) for n, v in want.items() if shown and shown.get(n) != v}
    if bad:
        defect("summary talk share differs from session.json", "summary.md", bad)
    # words repeated across an utterance boundary ("... And he's Ed." | "And he's Ed. ...")
    dup = []
    texts = [(u["id"], re.findall(r"[\w']+", (u["text"] or "").lower())) for u in utts]
    for (ia, a), (ib, b) in zip(texts, texts[1:], strict=False):
        for k in range(min(len(a), len(b)), 1, -1):
            if a[-k:] == b[:k]:
                dup.append(f"{ia}|{ib}: {' '.join(b[:k])}")
                break
    row["boundary_repeats"] = dup
    if dup:
        defect("words repeated across an utterance boundary", "utterances", dup)


def _caveats(row: dict, d: dict, md: str, defect: Any) -> None:
    """What did not work is said: speech without words, few words per minute, an estimated count; no constant
    confidences."""
    utts, mp = d["utterances"], d["metrics"]["participants"]
    names = {p["id"]: p["name"] for p in d["participants"]}
    # speech without words
    nw = [u for u in utts if "no_words" in (u.get("flags") or [])]
    row["no_words_turns"], row["no_words_s"] = len(nw), round(sum(u["end"] - u["start"] for u in nw), 2)
    nw_ids = {u["id"] for u in nw}
    answered_by_nothing = [q["id"] for q in d["questions"] if q.get("answer_utterance_id") in nw_ids]
    row["questions_answered_by_no_words"] = answered_by_nothing
    if answered_by_nothing:
        flow = d.get("knowledge_flow") or {}
        defect("question counted as answered by speech without recognised words (feeds answers and mutuality)",
               "session.json questions / knowledge_flow",
               {"questions": answered_by_nothing, "mutuality": flow.get("mutuality_index")})
    # talk time that carries few words, per participant
    rates = {pid: (m.get("word_count") or 0) / (m["talk_time_s"] / 60) for pid, m in mp.items() if (m.get("talk_time_s") or 0) >= 10}
    row["words_per_min"] = {pid: round(v, 1) for pid, v in rates.items()}
    if len(rates) >= 2:
        top = max(rates.values())
        low = [pid for pid, v in rates.items() if v < 0.5 * top]
        said = bool(re.search(r"recognised words? \(\d+ a minute|распознанных слов лишь \d+", md))
        if low and not said:
            defect("a participant's talk time carries few words and the report does not say so", "summary.md",
                   {names[p]: round(rates[p], 1) for p in rates})
    # a speaker count estimated from the audio, shown as a fact
    cfg = d["provenance"]["config"]["diarization"]
    estimated = cfg.get("min_speakers") != cfg.get("max_speakers") and not (d["quality"] or {}).get("speaker_mapping_method")
    row["count_estimated"] = estimated
    if estimated and "estimated" not in md:
        defect("speaker count estimated from the audio shown without saying so", "summary.md",
               f"{len(d['participants'])} speakers, diarization min/max {cfg.get('min_speakers')}/{cfg.get('max_speakers')}")
    # a guessed mapping said where the junior/senior figures are read (not only under Data quality at the end)
    audio = (d.get("extra") or {}).get("audio") or {}
    roles = {p["role"] for p in d["participants"]}
    if "order" in (audio.get("speaker_mapping") or {}).values() and roles & {"junior", "senior"}:
        drove = md.split("## Who drove the conversation")[-1].split("\n## ")[0]
        row["guess_said_in_balance"] = "guessed from the order of first speech" in drove
        if not row["guess_said_in_balance"]:
            defect("roles guessed by order of first speech not said where the junior/senior figures are read",
                   "summary.md 'Who drove the conversation'", audio.get("speaker_mapping"))
    # confidences that are one constant
    for kind in ("recommendations", "action_items", "questions"):
        confs = [x.get("confidence") for x in d.get(kind) or []]
        if len(confs) >= 3 and len(set(confs)) == 1:
            defect(f"{kind}: one constant confidence", "session.json", confs[0])
    seg = [s.get("confidence") for s in (d.get("topics") or {}).get("segments") or []]
    if len(seg) >= 3 and len(set(seg)) == 1:
        defect("topic segments: one constant confidence", "session.json", seg[0])


def check_batch(batch: Path, work: Path) -> dict[str, Any]:
    out = batch / "out"
    rows = {}
    for sid, case in BATCH.items():
        _, ref, uri, stm, _ = CASES[case]
        if (out / sid / "session.json").exists():
            rows[sid] = check_session(out / sid, ref, uri, stm)
    # one voice under one participant across a pair's sessions (order guesses may swap them)
    pairs: dict[str, dict[str, Counter]] = {}
    for sid, r in rows.items():
        pair = sid.split("_")[0]
        for spk, pid in (r.get("ref_to_participant") or {}).items():
            pairs.setdefault(pair, {}).setdefault(origin(spk), Counter())[pid] += 1
    swapped = {p: {v: dict(c) for v, c in voices.items() if len(c) > 1} for p, voices in pairs.items()}
    res: dict[str, Any] = {"sessions": rows, "voice_to_participant": {p: {v: dict(c) for v, c in vs.items()}
                                                                     for p, vs in pairs.items()},
                           "defects": []}
    if any(swapped.values()):
        res["defects"].append({"what": "one voice shown as different participants across a pair's sessions",
                               "where": "programme / dashboard", "evidence": swapped})
    dash = batch / "dash"
    if (dash / "programme_sessions.csv").exists():
        with open(dash / "programme_sessions.csv", newline="", encoding="utf-8") as fh:
            prog = {r["session_id"]: r for r in csv.DictReader(fh)}
        res["programme_has_mapping_column"] = "speakers_guessed" in next(iter(prog.values()), {})
        guessed = [sid for sid, r in rows.items() if r.get("speaker_mapping") == "order"]
        html = (dash / "dashboard.html").read_text() if (dash / "dashboard.html").exists() else ""
        res["guessed_sessions"] = guessed
        if guessed and not res["programme_has_mapping_column"]:
            res["defects"].append({"what": "programme tables do not say which sessions' speakers were guessed",
                                   "where": "programme_sessions.csv", "evidence": guessed})
        if guessed and "guess" not in html:
            res["defects"].append({"what": "dashboard shows junior talk shares of guessed speaker mappings as facts",
                                   "where": "dashboard.html", "evidence": guessed})
        data = re.search(r'<script type="application/json" id="ss-data">(.*?)</script>', html, re.S)
        if data:  # the dashboard's own figures = the sessions'
            for s in json.loads(data.group(1).replace("<\\/", "</"))["sessions"]:
                js = json.loads((out / s["id"] / "session.json").read_text())
                junior = next((p["id"] for p in js["participants"] if p["role"] == "junior"), None)
                want = js["metrics"]["participants"][junior]["talk_share"] if junior else None
                if want is not None and (s["js"] is None or abs(s["js"] - want) > 1e-6):
                    res["defects"].append({"what": "dashboard junior talk share differs from the session",
                                           "where": s["id"], "evidence": [s["js"], want]})
        for sid, r in prog.items():
            js = json.loads((out / sid / "session.json").read_text())
            jshare = js["metrics"]["participants"][r["junior_id"]]["talk_share"]
            if abs(float(r["junior_talk_share"]) - jshare) > 1e-6:
                res["defects"].append({"what": "programme junior talk share differs from the session", "where": sid,
                                       "evidence": [r["junior_talk_share"], jshare]})
    return res


def git_commit(where: Path = ROOT) -> str:
    return subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()


def check(work: Path) -> dict[str, Any]:
    files = {}
    for name, (_, ref, uri, stm, _) in CASES.items():
        folder = work / name
        sub = [p.parent for p in folder.glob("*/session.json")]
        if sub:
            files[name] = check_session(sub[0], ref, uri, stm)
    batch = check_batch(work / "batch", work) if (work / "batch").exists() else None
    n = sum(len(r["defects"]) for r in files.values()) + (len(batch["defects"]) if batch else 0)
    return {"files": files, "batch": batch, "n_defects": n,
            "defect_counts": Counter(x["what"] for r in files.values() for x in r["defects"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["run", "check"])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--force", action="store_true", help="run: redo the analysis (transcriptions stay cached)")
    ap.add_argument("--src", type=Path, help="run: the src/ folder of another checkout (e.g. the round's base worktree); "
                    "check: the one that made the outputs (its commit is recorded)")
    args = ap.parse_args()
    global SRC
    SRC = args.src
    if args.what == "run":
        run(args.work, args.force)
        return 0
    res = check(args.work)
    payload = {"script": "benchmarks/r21_audit.py", "commit": git_commit(),
               "outputs_made_by": git_commit(args.src) if args.src else git_commit(), "split": "development files only",
               "command": " ".join(sys.argv), "config": str(CONFIG.relative_to(ROOT)), **res}
    text = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    if args.out:
        args.out.write_text(text + "\n")
    print(json.dumps({"n_defects": res["n_defects"], "defect_counts": res["defect_counts"]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

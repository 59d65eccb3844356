"""New-user check (round 9): what an evaluator reads in the outputs of a folder of real inputs, counted.

Runs the CLI as the README says on one folder: the three SBCSAE conversations (STM), the Zoom VTT with
names and the caption file without them, three QMSum meetings written as ``Name: text`` files (ES2004a,
TS3003a, education_13; untimed), the AMI RTTM of ES2014b (speaker turns, no words), a VTT cut out of the
middle of the Zoom file, a VTT with a broken cue timing, an empty file and a Russian ``Name: text`` file;
then the bundled examples' reference transcripts with their manifest (text only), and ``report programme``
over the folder's outputs. A batch killed (SIGKILL) while rewriting ``batch.json`` is rerun into the same
folder.

Each session report (``summary.md``), the CLI's table, ``programme.md`` and the CLI line of ``report
programme`` are searched for round 9's misleading statements (:data:`SESSION_CHECKS`, :func:`_cli_checks`,
:func:`_programme_checks`) and round 8's (``newuser_r8.R8_MISLEADING`` / ``PROGRAMME_MISLEADING``, as a
regression check). Nothing is chosen here: no threshold or parameter is tuned; the outputs are read.

    python benchmarks/newuser_r9.py [--commit HEAD] [--out benchmarks/results/newuser_r9_newuser.json]

The code measured is a ``git archive`` of ``--commit`` first on ``PYTHONPATH`` (the working tree is shared
with other helpers' unfinished edits). "Before": ``--commit 7f116a8`` (round 9's start),
``--out benchmarks/results/newuser_r9_newuser_before.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newuser_r8 import PROGRAMME_MISLEADING, R8_MISLEADING  # noqa: E402  (round 8's patterns, as regressions)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLI = str(Path(sys.executable).with_name("sessionscope"))
ZOOM = DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording"
UNKNOWN = "unknown"
#: a temporary file named as fileio.atomic_write_bytes names it (with or without the writer's PID)
TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def _cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    extra = ["--no-progress"] if args[0] in ("analyze", "run") else []
    p = subprocess.run([CLI, *args, *extra], capture_output=True, text=True, cwd=ROOT, env=env)
    return p.returncode, p.stdout, p.stderr


def _inputs(folder: Path) -> None:
    folder.mkdir()
    for n in ("SBC001", "SBC009", "SBC044"):
        shutil.copy(DATA / "sbcsae-text-refs" / f"{n}.stm", folder / f"{n}.stm")
    shutil.copy(f"{ZOOM}.transcript.vtt", folder / "zoom_named.vtt")
    shutil.copy(f"{ZOOM}.cc.vtt", folder / "zoom_captions.vtt")
    shutil.copy(DATA / "ami-rttm-reference" / "train_subset" / "ES2014b.rttm", folder / "ES2014b.rttm")
    for n in ("ES2004a", "TS3003a", "education_13"):
        d = json.loads((DATA / "qmsum-topics-queries" / f"{n}.json").read_text(encoding="utf-8"))
        (folder / f"qmsum_{n}.txt").write_text(
            "".join(f"{t['speaker']}: {t['content']}\n" for t in d["meeting_transcripts"]), encoding="utf-8"
        )
    names = {"igor": "Игорь Петрович", "anna": "Анна"}
    lines = (ROOT / "examples" / "ru_session" / "reference.stm").read_text(encoding="utf-8").splitlines()
    (folder / "russian.txt").write_text(
        "".join(f"{names.get(p[2], p[2])}: {p[5]}\n" for p in (ln.split(maxsplit=5) for ln in lines if ln.strip())),
        encoding="utf-8",
    )
    (folder / "cut.vtt").write_bytes(Path(f"{ZOOM}.transcript.vtt").read_bytes()[2000:3000])  # no header
    (folder / "broken_timing.vtt").write_text("WEBVTT\n\n00:00:01.000 --> garbage\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")


def _figure_rows(md: str) -> list[list[str]]:
    part = md.split("## Figures")[1].split("\n\n")[1] if "## Figures" in md else ""
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in part.splitlines()[2:] if ln.startswith("|")]


def _no_header(d: dict[str, Any]) -> bool:
    source = Path(str((d.get("provenance") or {}).get("input", "")))
    return source.is_file() and not source.read_text(encoding="utf-8", errors="replace").lstrip().startswith("WEBVTT")


def _session_checks(folder: Path) -> dict[str, bool]:
    """Round 9's misleading statements in one session report (English reports; Russian by their keys)."""
    d = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    md = (folder / "summary.md").read_text(encoding="utf-8")
    pids = [p["id"] for p in d["participants"]]
    one_voice = len(pids) < 2
    has_words = any((u.get("text") or "").strip() for u in d["utterances"])
    timed = all(u.get("start") is not None and u.get("end") is not None for u in d["utterances"])
    rows = _figure_rows(md)
    serial = len(pids) > 1 and (d.get("extra") or {}).get("input_format") in ("vtt", "srt") and not (
        (d.get("metrics") or {}).get("session") or {}).get("overlap_time_s")
    flags = md.split("## Flags")[-1].split("\n## ")[0] if "## Flags" in md else ""
    questions = md.split("## Open questions")[-1].split("\n## ")[0] if "## Open questions" in md else ""
    return {
        # "Balance 100 %" beside "who drove the conversation cannot be measured"
        "balance_of_one_voice": one_voice and bool(re.search(r"Balance score \([^|]*\) \| \d+ % \|", md)),
        "switches_of_one_voice": one_voice and "Speaker switches per minute | 0.0 |" in md,
        "interruptions_of_one_voice": one_voice and any(r[-1] == "0" for r in rows),
        # "Unknown speaker gave 8 of 8 recommendations": one side of what?
        "one_sided_without_sides": len(set(pids) - {UNKNOWN}) < 2 and "Recommendations came from one side" in flags,
        # an RTTM: "0 words" per person
        "zero_words_without_words": not has_words and any(len(r) > 4 and r[4] == "0" for r in rows),
        # a caption file naming nobody: every question listed as open, no word that answers cannot be told
        "open_questions_of_unnamed_speaker": pids == [UNKNOWN] and "| Unknown speaker |" in questions
        and "cannot be told" not in questions,
        "untimed_timeline_dash_times": bool(re.search(r"^- –: ", md, re.M)),
        # "No flags: nothing crossed a threshold" of a transcript whose length could not be checked
        "untimed_no_flags_without_length_note": not timed
        and bool(re.search(r"No flags: nothing|Сигналов нет", flags))
        and not re.search(r"length was not checked|Длительность встречи не проверялась", flags),
        # a Russian reader got the readers' notes in English ("no timestamps: time-based measures are unavailable")
        "english_note_in_russian_report": md.startswith("# Отчёт") and bool(re.search(
            r"^- (no timestamps|only \d+ of|the \w+ file names no speakers|\w+ captions without|\d+ cue\(s\)|QMSum "
            r"meeting|RTTM without words|start times only)", md, re.M)),
        # a .vtt file cut out of the middle (no WEBVTT header) read as a whole session without a word
        "cut_vtt_read_silently": str((d.get("provenance") or {}).get("input", "")).endswith(".vtt")
        and "WEBVTT" not in md and _no_header(d),
        # Zoom's transcript (one cue after another, no overlap anywhere): "0 interruptions" the format cannot show
        "zero_interruptions_of_serial_cues": serial and any(r[-1] == "0" for r in rows),
        # "Knowledge flowed both ways: each side gave …" of a meeting of 3-5 people
        "each_side_said_of_a_group": len(pids) > 2 and "each side gave" in md,
        # a caption file's one voice: "Turns 1, Longest turn 11:11" (every cue one turn)
        "turns_of_unnamed_speaker": pids == [UNKNOWN] and any(len(r) > 7 and r[6] != "n/a" for r in rows),
        # "86 % / 80 %" under a column called "Value": the second figure (the threshold) unexplained
        "flag_threshold_unlabelled": "| Flag | Details | Value |" in flags and bool(re.search(r"\| [\d.]+ %? ?/ [\d.]+", flags)),
        # round 8's patterns (regressions)
        **{f"r8_{k}": bool(re.search(rx, md)) for k, rx in R8_MISLEADING.items() if k != "talk_share_said_of_words"},
    }


def _cli_checks(stdout: str, outs: Path) -> dict[str, Any]:
    """The CLI table's rows (``│``-separated; COLUMNS is set wide so a row is one line)."""
    found = {"balance_column_unexplained": bool(re.search(r"┃ balance ┃", stdout)), "rows": {}}
    for ln in stdout.splitlines():
        cells = [c.strip() for c in ln.strip().strip("│").split("│")]
        if len(cells) != 7 or not (outs / cells[0] / "session.json").is_file():
            continue
        d = json.loads((outs / cells[0] / "session.json").read_text(encoding="utf-8"))
        pids = [p["id"] for p in d["participants"]]
        has_words = any((u.get("text") or "").strip() for u in d["utterances"])
        timed = all(u.get("start") is not None and u.get("end") is not None for u in d["utterances"])
        found["rows"][cells[0]] = {
            "cells": cells,
            "questions_zero_without_words": not has_words and cells[5].startswith("0 ("),
            "answered_count_of_unnamed_speaker": pids == [UNKNOWN] and bool(re.search(r"\(\d+ answered\)", cells[5])),
            "share_100_of_one_voice": len(pids) < 2 and cells[4] == "100%",
            "interruptions_of_one_voice": len(pids) < 2 and cells[6] == "0",
            "zero_interruptions_of_serial_cues": len(pids) > 1 and cells[6] == "0"
            and (d.get("extra") or {}).get("input_format") in ("vtt", "srt")
            and not (d["metrics"]["session"].get("overlap_time_s") or 0),
            "word_share_shown_as_talk_share": not timed and bool(re.search(r"\d%", cells[2]))
            and "of words" not in cells[2],
        }
    return found


def _programme_checks(env: dict[str, str], outs: Path, dash: Path) -> dict[str, Any]:
    rc, out, err = _cli(env, "report", "programme", str(outs), "--out", str(dash))
    res: dict[str, Any] = {"rc": rc, "cli_line": out.strip().splitlines()[-1:] if out.strip() else err[-400:]}
    if rc != 0:
        return res
    md = (dash / "programme.md").read_text(encoding="utf-8")
    minutes = []
    for f in outs.glob("*/session.json"):
        d = json.loads(f.read_text(encoding="utf-8"))
        minutes.append(all(u.get("end") is not None for u in d["utterances"]) or d.get("duration_s") is not None)
    partly_timed = any(minutes) and not all(minutes)
    res["programme_md_head"] = md.split("## ")[0].strip().splitlines()[:16]
    res["misleading"] = {
        # "Hours of mentoring 2.4" over 7 of 11 sessions, not said
        "hours_over_some_sessions_unsaid": partly_timed and bool(re.search(r"Hours of mentoring \| [\d.]+ \|", md)),
        "cli_hours_in_all_over_some_sessions": partly_timed and "h in all" in out,
        # "11 sessions of 11 pairs" of a folder without a manifest (each session its own "pair", meetings of 4-7)
        "pairs_counted_without_manifest": bool(re.search(r"sessions of \d+ pairs(?! \(no pairs named)", md)),
        "cli_pairs_counted_without_manifest": bool(re.search(r"sessions of \d+ pairs(?! \(no pairs named)", out)),
        # a 2.8-minute session: "0.0" hours in the per-pair table
        "zero_hours_of_a_short_session": bool(re.search(r"^\| [^|]+ \| \d+ \| 0\.0 \|", md, re.M)),
        **{f"r8_{k}": bool(re.search(rx, md + "\n" + out, re.M)) for k, rx in PROGRAMME_MISLEADING.items()
           if "untimed" not in k},
    }
    return res


_KILLED_WRITER = """
import os, sys, time
from sessionscope.fileio import atomic_write_text
os.replace = lambda a, b: (print("written", flush=True), time.sleep(600))  # stopped between write and rename
atomic_write_text(sys.argv[1], "{}")
"""


def _killed_during_batch_json(env: dict[str, str], folder: Path, out: Path) -> dict[str, Any]:
    """A batch SIGKILLed while rewriting ``batch.json`` (the process is stopped between the write of the
    temporary file and its rename, then killed), then the same command again."""
    rc0, _, _ = _cli(env, "analyze", str(folder), "--out", str(out))
    p = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(out / "batch.json")], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    line = p.stdout.readline().strip()
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    left = sorted(x.name for x in out.iterdir() if TEMP.match(x.name))
    t0 = time.monotonic()
    rc, _, _ = _cli(env, "analyze", str(folder), "--out", str(out))
    b = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    return {
        "first_rc": rc0, "killed_while_writing": line == "written", "temporary_files_after_kill": left,
        "rerun_rc": rc, "rerun_s": round(time.monotonic() - t0, 1),
        "temporary_files_after_rerun": sorted(x.relative_to(out).as_posix() for x in out.rglob("*")
                                              if TEMP.match(x.name)),
        "rerun_statuses": {Path(r["input"]).name: r["status"] for r in b["results"]},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "newuser_r9_newuser.json"))
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"needs the shared real data at {DATA}")
    work = Path(tempfile.mkdtemp(prefix="newuser_r9_"))
    commit = subprocess.run(["git", "rev-parse", args.commit], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    snap = work / "code"
    snap.mkdir()
    archive = subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(snap)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(snap / "src"), "COLUMNS": "400"}
    result: dict[str, Any] = {
        "command": "python benchmarks/newuser_r9.py " + " ".join(sys.argv[1:]),
        "commit": commit,
        "split": "real third-party inputs from ../shared/data and the bundled examples' reference transcripts, "
        "read only (no choosing); the QMSum/AMI meetings are train material used as inputs to read, not to tune",
    }
    try:
        inp = work / "in"
        _inputs(inp)
        rc, out, err = _cli(env, "analyze", str(inp), "--out", str(work / "out"))
        b = json.loads((work / "out" / "batch.json").read_text(encoding="utf-8"))
        result["batch"] = {"rc": rc, "statuses": {Path(r["input"]).name: r["status"] for r in b["results"]},
                           "errors": {Path(r["input"]).name: r["error"] for r in b["results"] if r["error"]}}
        result["sessions"] = {f.parent.name: _session_checks(f.parent) for f in sorted((work / "out").glob("*/session.json"))}
        result["cli_table"] = _cli_checks(out, work / "out")
        rc, out, _ = _cli(env, "analyze", "--manifest", str(ROOT / "examples" / "manifest-reference.yaml"),
                          "--out", str(work / "examples"))
        result["batch"]["examples_rc"] = rc
        result["sessions"].update({f"examples/{f.parent.name}": _session_checks(f.parent)
                                   for f in sorted((work / "examples").glob("*/session.json"))})
        result["programme"] = _programme_checks(env, work / "out", work / "dash")
        small = work / "small"
        small.mkdir()
        for n in ("SBC009.stm", "russian.txt", "zoom_named.vtt"):
            shutil.copy(inp / n, small / n)
        result["killed_during_batch_json"] = _killed_during_batch_json(env, small, work / "small_out")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counts = {
        "session_statements": sum(v for s in result["sessions"].values() for k, v in s.items() if not k.startswith("r8_")),
        "session_r8_regressions": sum(v for s in result["sessions"].values() for k, v in s.items() if k.startswith("r8_")),
        "cli_table": int(result["cli_table"]["balance_column_unexplained"]) + sum(
            v for r in result["cli_table"]["rows"].values() for k, v in r.items() if k != "cells"),
        "programme": sum(result["programme"].get("misleading", {}).values()),
        "temporary_files_left_after_rerun": len(result["killed_during_batch_json"]["temporary_files_after_rerun"]),
    }
    counts["misleading_total"] = counts["session_statements"] + counts["cli_table"] + counts["programme"]
    result["counts"] = counts
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(json.dumps(counts), "wrote", args.out, hashlib.sha256(text.encode()).hexdigest()[:8])


if __name__ == "__main__":
    main()

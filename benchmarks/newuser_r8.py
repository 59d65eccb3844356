"""New-user check (round 8): what an evaluator, a pair and a researcher get from real inputs r7 did not try.

Runs the CLI as documented on the shared real material: the QMSum meetings ES2004a–d as a four-session
programme of one group (a manifest with roles and dates) and ICSI Bed003, AMI ES2002d's dialogue acts
turned into a ``speaker,start,end,text`` CSV, SBCSAE SBC044 (STM), the Zoom VTT with ``-p`` names,
the short Russian recordings (golos, pisets) and the stereo two-channel file through ``run`` (default
``base`` model), a batch folder mixing good and broken transcripts (empty, wrong type, a one-line
transcript, a JSON that is no transcript, a manifest whose names do not match the speakers, two
participants with the same first name), a ``run`` batch with broken recordings (empty, truncated WAV, a
text file named .wav), a batch killed after its first session and rerun (resume), and the programme
report over the ES2004 group and over every output (the same transcript analysed twice).

For each input it records the facts a reader checks (:func:`newuser_r7._facts`: language shown, talk
shares, counts against listed items, flags, misleading sentences) plus round 8's: ``language`` in
``session.json`` and where it came from, flag messages naming participants by id, share flags shown as
fractions (``0 / 0.2``), "1 questions", the checklist calling a word share a talk share, the
programme's "0.0 h" and "0 %" of hour-long sessions for untimed transcripts, "1 pairs", the
Russian role "другое", "a transcript without speaker names needs them" said of a named speaker
alone or of a recording ``run`` made, a file of the wrong type vanishing without a word, ``batch.json`` saying
``ok`` for a batch killed after 1 of 4 inputs, and a conversation counted twice without a warning.

Nothing is chosen here: no threshold or parameter is tuned; the outputs are read.

    python benchmarks/newuser_r8.py [--commit HEAD] [--no-audio] [--out benchmarks/results/newuser_r8_newuser.json]

The code measured is a ``git archive`` of ``--commit`` put first on ``PYTHONPATH`` (the working tree is
shared with other helpers' unfinished edits, and the resume check needs code that does not change
between the killed batch and its rerun). "Before": ``--commit 89c7cb8`` (round 8's start),
``--out benchmarks/results/newuser_r8_newuser_before.json``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newuser_r7 import _facts  # noqa: E402  (the facts round 7 reads, reused)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLI = str(Path(sys.executable).with_name("sessionscope"))
ZOOM = DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording"
QMSUM = DATA / "qmsum-topics-queries"

R8_MISLEADING = {
    "one_questions": r"\b1 questions were asked",
    "one_turns": r"There were 1 turns",
    "share_flag_as_fraction": r"\| \d+(\.\d+)? / 0\.\d+ \|",  # "| 0 / 0.2 |" beside "holds 0% of …"
    "talk_share_said_of_words": r"junior talk share: \d+ %",  # checklist on an untimed transcript
    "russian_role_neuter": r"\(другое,|\| другое \|",
}
PROGRAMME_MISLEADING = {
    "zero_hours_untimed": r"Hours of mentoring \| 0\.0 \|",
    "zero_share_60min_untimed": r"Sessions of 60 min or more \| 0 % \|",
    "one_pairs": r"\b1 pairs\b",
    "blank_flag_prefix": r"^-   ",
}
TWO_ANNAS = """WEBVTT

00:00:01.000 --> 00:00:03.000
Anna Smirnova: Hi Anna, I am Anna too.

00:00:03.500 --> 00:00:06.000
Anna Petrova: Nice. Could you show me how you plan your week?

00:00:06.500 --> 00:00:12.000
Anna Smirnova: Sure. I would recommend blocking two mornings for deep work. You should try it next week.

00:00:12.500 --> 00:00:15.000
Anna Petrova: I will try it by Friday.
"""
BATCH_MANIFEST = """sessions:
  - id: zoom-class
    file: zoom.vtt
    participants:
      - {name: Melissa Koh, role: senior}
      - {name: Ryan Sloane, role: junior}
  - id: annas
    file: twoannas.vtt
    participants:
      - {name: Anna Smirnova, role: junior}
      - {name: Anna Petrova, role: senior}
"""
ES2004_MANIFEST = """pairs:
  es2004-team:
    language: en
    participants:
      - {name: Project Manager, role: senior}
      - {name: Marketing, role: junior}
      - {name: Industrial Designer, role: other}
      - {name: User Interface, role: other}
sessions:
""" + "".join(
    f"  - {{id: es2004{x}, pair: es2004-team, date: 2026-01-{5 + 7 * i:02d}, transcript: ES2004{x}.json}}\n"
    for i, x in enumerate("abcd")
)


def _cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    p = subprocess.run(
        [CLI, *args, "--no-progress"] if args[0] in ("analyze", "run") else [CLI, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    return p.returncode, p.stdout + p.stderr


def _r8_facts(folder: Path) -> dict[str, Any]:
    d = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    md = (folder / "summary.md").read_text(encoding="utf-8")
    ids = {p["id"] for p in d["participants"] if p["id"] != p["name"]}
    timed = any(u.get("start") is not None and u.get("end") is not None for u in d["utterances"])
    misleading = {k: bool(re.search(rx, md)) for k, rx in R8_MISLEADING.items()}
    misleading["talk_share_said_of_words"] &= not timed  # right for a timed transcript
    # "a transcript without speaker names needs them (… or `sessionscope run` on the recording)": right for a
    # caption file's unknown speaker, wrong for a named speaker alone or for what `run` itself made
    misleading["one_speaker_told_to_add_names"] = bool(
        re.search(r"without speaker names needs them|расшифровке без имён говорящих нужны имена", md)
    ) and not any(p["id"] == "unknown" for p in d["participants"])
    flags_md = md.split("## Flags")[-1].split("\n## ")[0] if "## Flags" in md else ""
    return {
        "language_source": (d.get("extra") or {}).get("language_source"),
        "flag_messages": [f["message"] for f in d.get("flags") or []],
        "flag_rows_in_report": [line for line in flags_md.splitlines() if line.startswith("| ") and "---" not in line][
            1:
        ],
        "report_flag_details_with_ids": sum(
            1 for line in flags_md.splitlines() for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", line)
        ),
        "checklist_rows": [
            line
            for line in md.split("## The guide's checklist")[-1].split("\n## ")[0].splitlines()
            if line.startswith("| ") and "---" not in line
        ][1:]
        if "## The guide's checklist" in md
        else [],
        "r8_misleading": misleading,
    }


def _session(out: Path, sid: str | None = None) -> dict[str, Any]:
    folder = out / sid if sid else next(p.parent for p in out.glob("*/session.json"))
    facts = _facts(folder.parent) if sid is None else _facts_of(folder)
    return {**facts, **_r8_facts(folder)}


def _facts_of(folder: Path) -> dict[str, Any]:
    """``_facts`` of one session folder among several (``_facts`` takes the first one under its argument)."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(folder, Path(tmp) / folder.name)
        return _facts(Path(tmp))


def _batch(out: Path) -> dict[str, Any]:
    b = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    return {
        "ok": b.get("ok"),
        "complete": b.get("complete"),
        "total": b.get("total"),
        "done": b.get("done"),
        "statuses": {Path(r["input"]).name: r["status"] for r in b["results"]},
        "errors": {Path(r["input"]).name: r["error"] for r in b["results"] if r["error"]},
    }


#: a participant id (a slug: "ryan-sloan", "0152_lajuan") in a flag message meant for people
SLUG = re.compile(r"(?<![\w-])[a-z0-9]+(?:[-_][a-z0-9]+)+(?![\w-])")


def _programme(
    env: dict[str, str], inputs: list[Path], out: Path, *extra: str, untimed: bool = False
) -> dict[str, Any]:
    """The programme report's CLI line, Markdown head, misleading lines (the untimed ones only for
    ``untimed`` inputs: for timed sessions "0 % of an hour or more" is a finding), flag messages."""
    rc, log = _cli(env, "report", "programme", *map(str, inputs), "--out", str(out), *extra)
    res: dict[str, Any] = {"rc": rc, "cli_lines": [ln for ln in log.splitlines() if ln.strip()][-12:]}
    if rc == 0:
        md = (out / "programme.md").read_text(encoding="utf-8")
        res["programme_md_head"] = md.split("## ")[0].strip().splitlines()[:16]
        res["misleading"] = {
            k: bool(re.search(rx, md + "\n" + log, re.M))
            for k, rx in PROGRAMME_MISLEADING.items()
            if untimed or "untimed" not in k
        }
        with open(out / "programme_flags.csv", encoding="utf-8") as f:
            res["flag_messages"] = sorted({r["message"] for r in csv.DictReader(f)})
        res["flag_messages_naming_ids"] = sum(1 for m in res["flag_messages"] if SLUG.search(m))
        res["duplicate_warnings"] = sum(1 for ln in log.splitlines() if "counted" in ln and ln.startswith("warning"))
    return res


def _ami_csv(path: Path) -> None:
    acts = json.loads((DATA / "ami-dialogue-acts" / "AMI_ES2002d_dialogue_acts.json").read_text(encoding="utf-8"))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["speaker", "start", "end", "text"])
        for a in sorted(acts, key=lambda a: float(a["starttime"])):
            w.writerow([a["attributes"].get("role") or a["speaker"], a["starttime"], a["endtime"], a["text"]])


def _killed_then_resumed(env: dict[str, str], folder: Path, out: Path) -> dict[str, Any]:
    p = subprocess.Popen(
        [CLI, "analyze", str(folder), "--out", str(out), "--no-progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def first_done() -> bool:  # batch.json, rewritten atomically after every input, lists one input
        try:
            return json.loads((out / "batch.json").read_text(encoding="utf-8"))["done"] >= 1
        except (OSError, ValueError, KeyError):
            return False

    deadline = time.monotonic() + 600
    while p.poll() is None and not first_done() and time.monotonic() < deadline:
        time.sleep(0.05)
    p.kill()  # SIGKILL: a crash or an out-of-memory kill, no clean-up
    p.wait()
    killed = _batch(out) if (out / "batch.json").is_file() else None
    leftovers = sorted(x.relative_to(out).as_posix() for x in out.rglob("*") if x.is_file() and ".tmp" in x.name)
    rc, _log = _cli(env, "analyze", str(folder), "--out", str(out))
    return {"after_kill": killed, "temporary_files_left": leftovers, "rerun_rc": rc, "rerun": _batch(out)}


def main() -> None:  # noqa: C901 - one linear script: each block is one finding's input
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--no-audio", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "newuser_r8_newuser.json"))
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"needs the shared real data at {DATA}")
    work = Path(tempfile.mkdtemp(prefix="newuser_r8_"))
    commit = subprocess.run(
        ["git", "rev-parse", args.commit], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    snap = work / "code"
    snap.mkdir()
    archive = subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(snap)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(snap / "src")}
    result: dict[str, Any] = {
        "command": "python benchmarks/newuser_r8.py " + " ".join(sys.argv[1:]),
        "commit": commit,
        "split": "real third-party inputs from ../shared/data, read only (no choosing); QMSum ES2004a-d, Bed003 "
        "and AMI ES2002d are meetings of the corpora's train/dev material used as inputs to read, not to tune",
        "inputs": {},
        "batches": {},
        "programmes": {},
    }
    inp = work / "in"
    inp.mkdir()
    try:
        # -- single transcripts ------------------------------------------------------------------------------
        _ami_csv(inp / "ES2002d.csv")
        singles: dict[str, list[str]] = {
            "qmsum_Bed003": [str(QMSUM / "Bed003.json")],
            "ami_ES2002d_acts_csv": [str(inp / "ES2002d.csv")],
            "sbcsae_SBC044_stm": [str(DATA / "sbcsae-text-refs" / "SBC044.stm")],
            "zoom_vtt_with_p_names": [
                f"{ZOOM}.transcript.vtt",
                "-p",
                "Dr. Melissa Ko=senior",
                "-p",
                "Ryan Sloan=junior",
            ],
        }
        for name, a in singles.items():
            rc, log = _cli(env, "analyze", *a, "--out", str(work / name))
            result["inputs"][name] = {
                "kind": "analyze",
                "rc": rc,
                **(_session(work / name) if rc == 0 else {"log": log[-800:]}),
            }
            print(name, rc, flush=True)
        # -- a four-session programme of one group (QMSum ES2004a-d, manifest with roles and dates) -----------
        es = inp / "es2004"
        es.mkdir()
        for x in "abcd":
            shutil.copy(QMSUM / f"ES2004{x}.json", es / f"ES2004{x}.json")
        (es / "manifest.yaml").write_text(ES2004_MANIFEST, encoding="utf-8")
        rc, log = _cli(env, "analyze", "--manifest", str(es / "manifest.yaml"), "--out", str(work / "es2004"))
        result["inputs"]["qmsum_ES2004a_in_programme"] = {
            "kind": "analyze",
            "rc": rc,
            **(_session(work / "es2004", "es2004a") if rc == 0 else {}),
        }
        result["programmes"]["es2004_group"] = _programme(env, [work / "es2004"], work / "dash_es2004", untimed=True)
        print("es2004", rc, flush=True)
        # -- recordings (default base model; Russian and stereo) -----------------------------------------------
        if not args.no_audio:
            audio = {
                "ru_golos_4s": DATA / "ru-golos-sample" / "001ce26c07c20eaa0d666b824c6c6924.wav",
                "ru_pisets_ru_3s": DATA / "ru-pisets-sample" / "test_sound_ru.wav",
                "ru_pisets_en_1s": DATA / "ru-pisets-sample" / "test_sound_en.wav",
                "stereo_2ch_5s": DATA / "fw-stereo-2ch" / "stereo_diarization.wav",
            }
            for name, path in audio.items():
                rc, log = _cli(env, "run", str(path), "--out", str(work / name))
                facts = _session(work / name) if rc == 0 else {"log": log[-800:]}
                result["inputs"][name] = {"kind": "run", "rc": rc, **facts}
                print(name, rc, flush=True)
            result["programmes"]["russian_recordings"] = _programme(
                env, [work / n for n in ("ru_golos_4s", "ru_pisets_ru_3s")], work / "dash_ru"
            )
        # -- a folder mixing good and broken transcripts, run twice -------------------------------------------
        b = inp / "batch"
        b.mkdir()
        shutil.copy(f"{ZOOM}.transcript.vtt", b / "zoom.vtt")
        shutil.copy(DATA / "sbcsae-text-refs" / "SBC044.stm", b / "sbc044.stm")
        (b / "oneline.txt").write_text("Anna: Hello, shall we start?\n", encoding="utf-8")
        (b / "empty.srt").write_bytes(b"")
        (b / "notes.pdf").write_bytes(b"%PDF-1.4 not a transcript")
        (b / "other.json").write_text('{"foo": 1}\n', encoding="utf-8")
        (b / "twoannas.vtt").write_text(TWO_ANNAS, encoding="utf-8")
        (b / "manifest.yaml").write_text(BATCH_MANIFEST, encoding="utf-8")
        runs = []
        for _ in range(2):
            rc, log = _cli(
                env, "analyze", str(b), "--manifest", str(b / "manifest.yaml"), "--out", str(work / "batch_out")
            )
            runs.append(
                {
                    "rc": rc,
                    **_batch(work / "batch_out"),
                    "notes_pdf_named": "notes.pdf" in log,
                    "unmatched_names_warned": bool(re.search(r"did\s+you\s+mean\s+'Ryan\s+Sloane'", log)),
                }
            )
        result["batches"]["mixed_transcripts"] = runs
        result["inputs"]["two_annas"] = {"kind": "analyze (batch)", **_session(work / "batch_out", "annas")}
        result["inputs"]["one_line_transcript"] = {"kind": "analyze (batch)", **_session(work / "batch_out", "oneline")}
        result["inputs"]["zoom_manifest_names_wrong"] = {
            "kind": "analyze (batch)",
            **_session(work / "batch_out", "zoom-class"),
        }
        print("batch", runs[0]["rc"], runs[1]["rc"], flush=True)
        # -- recordings: good and broken --------------------------------------------------------------------
        if not args.no_audio:
            ab = inp / "audiobatch"
            ab.mkdir()
            shutil.copy(DATA / "ru-pisets-sample" / "test_sound_en.wav", ab / "good.wav")
            (ab / "truncated.wav").write_bytes((DATA / "pyannote-sample" / "sample.wav").read_bytes()[:20000])
            (ab / "empty.mp3").write_bytes(b"")
            (ab / "text.wav").write_text("Anna: hello\n", encoding="utf-8")
            shutil.copy(DATA / "pyannote-sample" / "sample.stm", ab / "sample.stm")  # a transcript beside: not warned
            rc, log = _cli(env, "run", str(ab), "--out", str(work / "audiobatch_out"))
            result["batches"]["recordings_good_and_broken"] = {
                "rc": rc,
                **_batch(work / "audiobatch_out"),
                "sample_stm_warned": "sample.stm" in log,
            }
        # -- a batch killed after its first session, then rerun ----------------------------------------------
        r = inp / "resume"
        r.mkdir()
        for n in ("ES2004a", "ES2004b", "Bed003"):
            shutil.copy(QMSUM / f"{n}.json", r / f"{n}.json")
        result["batches"]["killed_then_resumed"] = _killed_then_resumed(env, r, work / "resume_out")
        print("resume done", flush=True)
        # -- the programme over every output (the same transcripts analysed twice) ---------------------------
        outs = [
            p for p in work.iterdir() if p.is_dir() and p.name not in ("in", "code") and not p.name.startswith("dash")
        ]
        result["programmes"]["everything"] = _programme(env, outs, work / "dash_all")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print("wrote", args.out, hashlib.sha256(text.encode()).hexdigest()[:8])


if __name__ == "__main__":
    main()

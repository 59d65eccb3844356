"""New-user check (round 7): what a pair or an evaluator gets from real third-party inputs.

Runs the CLI as documented (``sessionscope analyze`` / ``run``) on the shared real material,
reads back each ``session.json`` and ``summary.md``, and records, per input, the facts a reader
checks: the language shown, the speakers, whether the talk shares add up, the counts the summary
states against the items it lists, the flags, the notes, and the sentences known to mislead
(``"They took N turns"``, ``"– – –"``, ``"5:16––"``, ``"has no timestamps"`` on a file with start
times, English checklist reasons in a Russian report). Then a batch over a folder with broken files
(an empty VTT, a truncated VTT, a recording given to ``analyze``) is run twice, to record the exit
codes, the per-file statuses and that the rerun resumes.

Nothing is chosen here: there is no threshold or parameter to tune, only the outputs to read.
The QMSum meeting used is ES2002d (a train meeting of the topic benchmark). Audio runs use
``benchmarks/configs/tiny_en.yaml`` for the English sample, and both that config (the mistake of an
English-only model on Russian speech) and the default one for the Russian 60 s sample.

    python benchmarks/newuser_r7.py [--no-audio] [--out benchmarks/results/newuser_r7_newuser.json]

The "before" figures: the same script with ``PYTHONPATH=<git archive of 08221e2>/src`` (the commit before this
round's new-user fixes) and ``--out benchmarks/results/newuser_r7_newuser_before.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLI = str(Path(sys.executable).with_name("sessionscope"))
TINY = str(ROOT / "benchmarks" / "configs" / "tiny_en.yaml")
ZOOM = DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording"

TEXT_INPUTS = {
    "zoom_named_vtt": f"{ZOOM}.transcript.vtt",
    "zoom_captions_no_names": f"{ZOOM}.cc.vtt",
    "zoom_chat": f"{ZOOM}newChat.txt",
    "sbcsae_SBC001_stm": str(DATA / "sbcsae-text-refs" / "SBC001.stm"),
    "sbcsae_SBC009_rttm": str(DATA / "sbcsae-text-refs" / "SBC009.rttm"),
    "qmsum_ES2002d_train": str(DATA / "qmsum-topics-queries" / "ES2002d.json"),
    "example_ru_stm_no_language": str(ROOT / "examples" / "ru_session" / "reference.stm"),
}
AUDIO_INPUTS = {
    "pyannote_sample_tiny_en": (str(DATA / "pyannote-sample" / "sample.wav"), TINY),
    "ru_silero_60s_tiny_en": (str(DATA / "ru-silero-unlabeled" / "ru.wav"), TINY),
    "ru_silero_60s_default": (str(DATA / "ru-silero-unlabeled" / "ru.wav"), None),
}
MISLEADING = {
    "they_took_turns": r"They took \d+ turns",
    "dangling_date_range": r"– – –",
    "dangling_time_range": r"\d:\d\d––",
    "no_timestamps_claim": r"has no timestamps",
    "english_reason_in_russian": r"no participant has the",
    "escaped_figure": r"\| \d+\\\.\d",
    "spoke_most_100": r"spoke most, with 100 %",
    "one_window_share": r"In \d+ % of the 2\.5-minute windows",
}


def _cli(*args: str) -> tuple[int, str]:
    p = subprocess.run([CLI, *args, "--no-progress"], capture_output=True, text=True, cwd=ROOT)
    return p.returncode, p.stdout + p.stderr


def _facts(out: Path) -> dict[str, Any]:
    folder = next(p.parent for p in out.glob("*/session.json"))
    d = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    md = (folder / "summary.md").read_text(encoding="utf-8")
    m = d.get("metrics") or {}
    sm = m.get("session") or {}
    shares = [pm.get("talk_share") for pm in (m.get("participants") or {}).values()]
    words = [pm.get("word_share") for pm in (m.get("participants") or {}).values()]
    head_rows = [line for line in md.split("\n## ")[0].splitlines() if line.startswith("|")]
    lang_shown = head_rows[2].strip("| ").split(" | ")[-1] if len(head_rows) > 2 else None
    qs = d.get("questions") or []
    heading = next((h for h in ("## Open questions", "## Открытые вопросы") if h in md), None)
    section = md.split(heading)[-1].split("\n## ")[0] if heading else ""
    listed_open = max(0, sum(1 for line in section.splitlines() if line.startswith("| ")) - 1) if heading else None
    russian = "# Отчёт" in md
    misleading = {k: bool(re.search(rx, md)) for k, rx in MISLEADING.items()}
    misleading["english_reason_in_russian"] &= russian  # the English wording is right in an English report
    misleading["one_window_share"] &= (sm.get("dominance_windows") or 0) < 2  # a share over one window
    misleading["no_timestamps_claim"] &= any(u.get("start") is not None for u in d["utterances"])  # true without
    return {
        "language_json": d.get("language"),
        "language_shown": lang_shown,
        "report_language": "ru" if russian else "en",
        "participants": [p["name"] for p in d["participants"]],
        "utterances": len(d["utterances"]),
        "timed_utterances": sum(1 for u in d["utterances"] if u.get("start") is not None and u.get("end") is not None),
        "talk_share_sum": round(sum(s for s in shares if s is not None), 4) if any(s is not None for s in shares)
        else None,
        "word_share_sum": round(sum(s for s in words if s is not None), 4) if any(s is not None for s in words) else None,
        "talk_time_gini": sm.get("talk_time_gini"),
        "questions_counted": sm.get("questions"), "questions_answered": sm.get("questions_answered"),
        "questions_items": len(qs), "questions_to_check": sum(1 for q in qs if q.get("to_check")),
        "open_questions_listed_in_report": listed_open,
        "recommendations": len(d.get("recommendations") or []),
        "recommendations_to_check": sum(1 for r in d.get("recommendations") or [] if r.get("to_check")),
        "recommendations_with_confidence": sum(1 for r in d.get("recommendations") or [] if r.get("confidence")
                                               is not None),
        "action_items": len(d.get("action_items") or []),
        "flags": [f["code"] for f in d.get("flags") or []],
        "notes": (d.get("quality") or {}).get("notes", []),
        "stage_runs": [(r["name"], r["status"]) for r in d["provenance"]["stage_runs"]],
        "misleading_sentences": misleading,
        "nan_or_none_in_report": bool(re.search(r"\b(nan|None|null)\b", md)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-audio", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "newuser_r7_newuser.json"))
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"needs the shared real data at {DATA}")
    work = Path(tempfile.mkdtemp(prefix="newuser_r7_"))
    result: dict[str, Any] = {
        "command": "python benchmarks/newuser_r7.py " + " ".join(sys.argv[1:]),
        "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
        "pythonpath": os.environ.get("PYTHONPATH"),  # set: the code measured is that folder's (a "before" run)
        "split": "real third-party inputs from ../shared/data, read only (no choosing); QMSum ES2002d is a train meeting",
        "inputs": {},
    }
    try:
        for name, path in TEXT_INPUTS.items():
            rc, log = _cli("analyze", path, "--out", str(work / name))
            result["inputs"][name] = {"kind": "analyze", "rc": rc, **(_facts(work / name) if rc == 0 else {"log": log[-800:]})}
            print(name, rc, flush=True)
        if not args.no_audio:
            for name, (path, config) in AUDIO_INPUTS.items():
                rc, log = _cli("run", path, "--out", str(work / name), *(["--config", config] if config else []))
                facts = _facts(work / name) if rc == 0 else {"log": log[-800:]}
                if rc == 0:
                    q = json.loads(next((work / name).glob("*/session.json")).read_text(encoding="utf-8"))["quality"]
                    facts.update(asr_model=q.get("asr_model"), mean_word_confidence=q.get("mean_word_confidence"),
                                 low_confidence_word_share=q.get("low_confidence_word_share"))
                result["inputs"][name] = {"kind": "run", "config": config, "rc": rc, **facts}
                print(name, rc, flush=True)
        # a folder mixing good and broken inputs, run twice (the rerun resumes)
        folder = work / "batch_in"
        folder.mkdir()
        shutil.copy(f"{ZOOM}.transcript.vtt", folder / "zoom.vtt")
        shutil.copy(DATA / "sbcsae-text-refs" / "SBC009.stm", folder / "sbc009.stm")
        shutil.copy(DATA / "qmsum-topics-queries" / "ES2002d.json", folder / "qmsum.json")
        (folder / "empty.vtt").write_bytes(b"")
        (folder / "truncated.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:0", encoding="utf-8")
        (folder / "call.wav.txt").write_bytes((DATA / "pyannote-sample" / "sample.wav").read_bytes()[:4000])
        runs = []
        for _ in range(2):
            rc, _log = _cli("analyze", str(folder), "--out", str(work / "batch_out"))
            b = json.loads((work / "batch_out" / "batch.json").read_text(encoding="utf-8"))
            runs.append({"rc": rc, "statuses": {Path(r["input"]).name: r["status"] for r in b["results"]},
                         "errors": {Path(r["input"]).name: r["error"] for r in b["results"] if r["error"]}})
        result["batch"] = runs
    finally:
        shutil.rmtree(work, ignore_errors=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", args.out)


if __name__ == "__main__":
    main()

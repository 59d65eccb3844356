"""Round 23 new-user pass: re-check each defect found by an evaluator and a researcher on real recordings.

Builds a folder of real development recordings in mixed shapes and with the usual accidents (from
``../shared/data``: pyannote-ami-excerpts dev00/dev01/trn05, pyannote-sample, ru-golos-sample, ru-pisets-sample,
ru-silero-unlabeled, fw-stereo-2ch; converted with PyAV to mp3, m4a/aac, ogg/opus, 8 kHz mu-law WAV; a zero-byte
file, a WAV cut to 0.47 s and one cut at half its length, a text file named .wav, file names with spaces and
Cyrillic, a manifest with pairs, dates and roles for some files and none for others, and one session whose
recording does not exist), then runs the README's commands with the sources in ``--src`` (default: this
checkout's ``src``; the round's start: ``/tmp/r23/base/src``) and checks each finding on the outputs.

    python benchmarks/r23_newuser.py --work /tmp/r23/nu_after --out benchmarks/results/r23_newuser_after.json
    python benchmarks/r23_newuser.py --src /tmp/r23/base/src --work /tmp/r23/nu_before \\
        --out benchmarks/results/r23_newuser_before.json

Development data only (no held-out, dev-split, test or blind set). Default model (``base``); ~2-4 CPU minutes
per pass on 2 cores when the transcription cache is warm.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

MANIFEST = """\
pairs:
  anna-igor:
    language: ru
    participants:
      - {name: Анна Смирнова, role: junior}
      - {name: Игорь Петрович Волков, role: senior}
sessions:
  - {id: ami-2026-03-02, pair: lee-stone, date: 2026-03-02, file: ami_dev00.wav, language: en,
     participants: [{name: Ann Lee, role: junior}, {name: Bob Stone, role: senior}]}
  - {id: ami-2026-03-09, pair: lee-stone, date: 2026-03-09, file: ami_dev01.mp3, language: en,
     participants: [{name: Ann Lee, role: junior}, {name: Bob Stone, role: senior}]}
  - {id: anna-igor-2026-03-05, pair: anna-igor, date: 2026-03-05, file: "Встреча Анна и Игорь 2026-03.ogg"}
  - {id: anna-igor-phone, pair: anna-igor, date: 2026-03-12, file: phone_ru.wav}
  - {id: broken-one, pair: anna-igor, date: 2026-03-19, file: truncated.wav}
  - {id: missing-one, pair: anna-igor, date: 2026-03-26, file: recordings/2026-03-26.m4a}
"""


def build_folder(rec: Path) -> None:
    """The evaluator's folder (made once per work folder)."""
    import av
    import numpy as np

    def load(p: Path) -> Any:
        c = av.open(str(p))
        rs = av.AudioResampler(format="s16", layout="mono", rate=16000)
        out = [g.to_ndarray().reshape(-1) for f in c.decode(c.streams.audio[0]) for g in rs.resample(f)]
        c.close()
        return np.concatenate(out)

    def write(x: Any, path: Path, codec: str, rate: int = 16000) -> None:
        c = av.open(str(path), "w")
        s = c.add_stream(codec, rate=rate, layout="mono")
        fr = av.AudioFrame.from_ndarray(x.reshape(1, -1).astype(np.int16), format="s16", layout="mono")
        fr.sample_rate = 16000
        rs = av.AudioResampler(format=s.format.name, layout="mono", rate=rate)
        for g in [*rs.resample(fr), *(rs.resample(None) or [])]:
            for pkt in s.encode(g):
                c.mux(pkt)
        for pkt in s.encode(None):
            c.mux(pkt)
        c.close()

    rec.mkdir(parents=True, exist_ok=True)
    ami = DATA / "pyannote-ami-excerpts"
    shutil.copy(ami / "dev00.wav", rec / "ami_dev00.wav")
    write(load(ami / "dev01.wav"), rec / "ami_dev01.mp3", "mp3")
    write(load(DATA / "pyannote-sample" / "sample.wav"), rec / "sample.m4a", "aac")
    write(load(DATA / "ru-silero-unlabeled" / "ru.wav"), rec / "Встреча Анна и Игорь 2026-03.ogg", "libopus", 48000)
    shutil.copy(rec / "Встреча Анна и Игорь 2026-03.ogg", rec / "Звонок с Борисом 12.03.ogg")
    write(load(DATA / "ru-pisets-sample" / "test_sound_ru.wav"), rec / "phone_ru.wav", "pcm_mulaw", 8000)
    shutil.copy(DATA / "fw-stereo-2ch" / "stereo_diarization.wav", rec / "stereo.wav")
    shutil.copy(DATA / "ru-golos-sample" / "001ce26c07c20eaa0d666b824c6c6924.wav", rec / "golos.wav")
    (rec / "empty.wav").write_bytes(b"")
    trn = (ami / "trn05.wav").read_bytes()
    (rec / "truncated.wav").write_bytes(trn[:30000])
    (rec / "half_trn05.wav").write_bytes(trn[:960000])
    (rec / "notes.wav").write_text("Meeting notes: Anna and Igor discussed time management.\n", encoding="utf-8")
    for f in rec.iterdir():
        f.chmod(0o644)
    (rec / "sessions.yaml").write_text(MANIFEST, encoding="utf-8")


def cli(src: Path, cwd: Path, *args: str, timeout: int = 1800) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.time()
    p = subprocess.run(["nice", "-n", "10", sys.executable, "-c", "from sessionscope.cli import main; main()", *args],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return {"args": list(args), "rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr,
            "wall_s": round(time.time() - t0, 1)}


def flat(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    work, src = a.work.resolve(), a.src.resolve()
    if not (work / "rec" / "sessions.yaml").is_file():
        build_folder(work / "rec")
    for d in ("out", "outc", "red", "one", "stop", "dash", "dashc", "tables", "corpus"):
        shutil.rmtree(work / d, ignore_errors=True)
    (work / "m_above.yaml").write_text(re.sub(r"file: (\"?)", r"file: \1rec/", MANIFEST).replace(
        "file: rec/recordings/", "file: recordings/"), encoding="utf-8")
    runs: dict[str, dict[str, Any]] = {}
    runs["run"] = cli(src, work, "run", "rec/", "--manifest", "rec/sessions.yaml", "--out", "out", "--no-progress")
    # the same manifest written from the folder above: the same sessions (its `file:` spelled rec/…)
    runs["rerun_other_manifest_folder"] = cli(src, work, "run", "rec/", "--manifest", "m_above.yaml", "--out", "out",
                                              "--no-progress")
    (work / "m_date.yaml").write_text((work / "m_above.yaml").read_text(encoding="utf-8").replace(
        "date: 2026-03-09", "date: 2026-03-10"), encoding="utf-8")
    runs["rerun_corrected_date"] = cli(src, work, "run", "rec/", "--manifest", "m_date.yaml", "--out", "out",
                                       "--no-progress")
    # voices named by hand, then a rerun with another config processes the session again
    runs["remap_sample"] = cli(src, work, "remap", "out/sample", "--speaker", "SPEAKER_00=Ann:junior",
                               "--speaker", "SPEAKER_01=Bob:senior")
    (work / "bom.yaml").write_text("report:\n  csv_bom: true\n", encoding="utf-8")
    runs["rerun_new_config"] = cli(src, work, "run", "rec/", "--manifest", "rec/sessions.yaml", "--out", "out",
                                   "--config", "bom.yaml", "--no-progress")
    ru_notes = "\n".join((work / "out" / sid / "summary.md").read_text(encoding="utf-8")
                         for sid in ("anna-igor-phone", "Звонок-с-Борисом-12.03")
                         if (work / "out" / sid / "summary.md").is_file())
    runs["manifest_as_input"] = cli(src, work, "run", "rec/", "rec/sessions.yaml", "--out", "out", "--no-progress")
    runs["workers_two"] = cli(src, work, "run", "rec/", "--out", "out", "--workers", "two")
    runs["one_voice"] = cli(src, work, "run", "rec/phone_ru.wav", "--manifest", "rec/sessions.yaml", "--out", "one",
                            "--no-progress")
    runs["programme"] = cli(src, work, "report", "programme", "out", "--out", "dash")
    shutil.copytree(work / "out", work / "outc")
    golos = work / "outc" / "golos" / "session.json"
    golos.write_text(golos.read_text(encoding="utf-8")[:500], encoding="utf-8")
    runs["programme_broken_file"] = cli(src, work, "report", "programme", "outc", "--out", "dashc")
    runs["export_tables"] = cli(src, work, "export", "tables", "out", "--out", "tables")
    runs["redact"] = cli(src, work, "report", "session", "out/anna-igor-2026-03-05", "--redact", "--out", "red")
    runs["remap_results_folder"] = cli(src, work, "remap", "out", "--speaker", "SPEAKER_00=Ann:junior")
    # the manifest as a Russian Excel saves "CSV": ';'-separated, cp1251, dates 05.03.2026
    (work / "rec" / "m_excel.csv").write_bytes(
        ("id;pair;date;file;language;junior;senior\n"
         "anna-igor-2026-03-05;anna-igor;05.03.2026;Встреча Анна и Игорь 2026-03.ogg;ru;Анна Смирнова;Игорь Волков\n"
         ).encode("cp1251"))
    excel = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom sessionscope.io.manifest import load_manifest\n"
         "try:\n e = load_manifest(sys.argv[1]).entries[0]; print('read', e.id, e.date, [p.name for p in e.participants])\n"
         "except Exception as x: print('error', x)", str(work / "rec" / "m_excel.csv")],
        env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True, timeout=120)
    stop = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "r23_newuser_stop.py"), str(work / "stop"), "TERM"],
                          env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True, timeout=120)
    time.sleep(9)  # an orphaned worker of the old code ends by itself

    md = (work / "dash" / "programme.md").read_text(encoding="utf-8") if (work / "dash" / "programme.md").is_file() else ""
    page = (work / "dash" / "dashboard.html").read_text(encoding="utf-8") if (work / "dash" / "dashboard.html").is_file() else ""
    red = next(iter(sorted((work / "red").rglob("*.md"))), None)
    red_md = red.read_text(encoding="utf-8") if red else ""
    stop_res = json.loads(stop.stdout.strip().splitlines()[-1]) if stop.stdout.strip() else None
    r1, r2, r3 = runs["run"], runs["rerun_other_manifest_folder"], runs["rerun_corrected_date"]

    checks: dict[str, Callable[[], tuple[bool, str]]] = {
        "stop_signal": lambda: (
            stop_res is not None and stop_res["exit_code"] == 143 and not stop_res["worker_alive_after_stop"]
            and bool(stop_res["batch"]) and stop_res["batch"].get("interrupted") is True,
            f"driver exit {stop.returncode}; result {json.dumps(stop_res, ensure_ascii=False)[:300] if stop_res else None}"),
        "missing_manifest_recording": lambda: (
            "missing-one" in r1["stderr"] and "does not exist" in flat(r1["stderr"]),
            next((ln for ln in r1["stderr"].splitlines() if "missing-one" in ln), "(nothing names missing-one)")),
        "log_on_stdout": lambda: (
            "WARNING" not in r1["stdout"] and "no session of the manifest" not in flat(r1["stdout"]),
            f"stdout lines with WARNING: {sum('WARNING' in ln for ln in r1['stdout'].splitlines())}"),
        "truncated_on_console": lambda: (
            "truncated or damaged in half_trn05" in flat(r1["stderr"]),
            next((ln for ln in r1["stderr"].splitlines() if "half_trn05 (" in ln), "(no console line names half_trn05)")),
        "programme_wrong_reason": lambda: (
            "transcripts without times" not in md and bool(md),
            next((ln for ln in md.splitlines() if "Mean junior talk share" in ln), "")),
        "rerun_says_why": lambda: (
            "processed again, since its manifest entry changed: ami-2026-03-09" in flat(r3["stderr"])
            and "processed again" not in flat(r2["stderr"]),
            f"same manifest from another folder: {flat(r2['stdout']).count('resumed')} resumed; "
            f"corrected date: {next((ln for ln in r3['stderr'].splitlines() if 'processed again' in ln), '(no note)')}"),
        "redact_latin_ids": lambda: (
            bool(red_md) and "anna-igor" not in red_md,
            f"redacted report {red.name if red else None}: 'anna-igor' {'kept' if 'anna-igor' in red_md else 'hashed'}"),
        "dashboard_nan": lambda: (
            bool(page) and "<td>nan</td>" not in page,
            f"'<td>nan</td>' in dashboard.html: {page.count('<td>nan</td>')}"),
        "remap_hint_one_session": lambda: (
            "remap one/SESSION" not in flat(runs["one_voice"]["stderr"]) and "remap one/anna-igor-phone"
            in flat(runs["one_voice"]["stderr"]),
            next((ln for ln in runs["one_voice"]["stderr"].splitlines() if "remap" in ln), "")),
        "manifest_as_input": lambda: (
            runs["manifest_as_input"]["rc"] == 2 and "--manifest" in flat(runs["manifest_as_input"]["stderr"]),
            f"rc {runs['manifest_as_input']['rc']}: " + (flat(runs["manifest_as_input"]["stderr"])[-200:])),
        "workers_not_a_number": lambda: (
            "invalid literal" not in runs["workers_two"]["stderr"] and runs["workers_two"]["rc"] == 2,
            f"rc {runs['workers_two']['rc']}: " + flat(runs["workers_two"]["stderr"])[-160:]),
        "hand_mapping_lost": lambda: (
            "were not carried over" in flat(runs["rerun_new_config"]["stderr"])
            and "sessionscope remap out/sample --speaker SPEAKER_00=Ann:junior" in flat(runs["rerun_new_config"]["stderr"]),
            next((ln for ln in runs["rerun_new_config"]["stderr"].splitlines() if "by hand" in ln),
                 "(nothing said; out/sample now: " + ", ".join(
                     p["name"] for p in json.loads((work / "out" / "sample" / "session.json").read_text(
                         encoding="utf-8"))["participants"]) + ")")),
        "ru_notes_in_english": lambda: (
            bool(ru_notes) and "no session of the manifest matches" not in ru_notes
            and "telephone-band audio" not in ru_notes,
            "; ".join(ln.strip() for ln in ru_notes.splitlines()
                      if "no session of the manifest" in ln or "telephone-band" in ln or "телефонный" in ln
                      or "ни одна встреча манифеста" in ln)[:300]),
        "remap_results_folder": lambda: (
            "Errno" not in runs["remap_results_folder"]["stderr"]
            and "give one session's folder" in flat(runs["remap_results_folder"]["stderr"]),
            flat(runs["remap_results_folder"]["stderr"])[-200:]),
        "excel_csv_manifest": lambda: (
            excel.stdout.startswith("read anna-igor-2026-03-05 2026-03-05"), flat(excel.stdout + excel.stderr)[-250:]),
        "closing_line_left_out": lambda: (
            "could not be read and is left out" in flat(runs["programme_broken_file"]["stdout"])
            and "without a pair in the manifest" in flat(runs["programme"]["stdout"]),
            flat(runs["programme_broken_file"]["stdout"])[-260:]),
    }
    results = {}
    for name, check in checks.items():
        try:
            fixed, evidence = check()
        except Exception as e:  # noqa: BLE001 - a check that cannot run is a finding to look at, not a crash
            fixed, evidence = False, f"check failed: {type(e).__name__}: {e}"
        results[name] = {"fixed": bool(fixed), "evidence": evidence}
    commit = subprocess.run(["git", "-C", str(src.parent), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    body = {"script": "benchmarks/r23_newuser.py", "src": str(src), "commit_of_src_tree": commit,
            "data": "development recordings from ../shared/data (see the docstring); no held-out, dev-split, test or "
                    "blind data", "checks": results,
            "runs": {k: {"args": v["args"], "rc": v["rc"], "wall_s": v["wall_s"],
                         "stdout_tail": v["stdout"][-1500:], "stderr_tail": v["stderr"][-2500:]}
                     for k, v in runs.items()}}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, r in results.items():
        print(f"{'fixed' if r['fixed'] else 'DEFECT':6s} {name}: {r['evidence'][:150]}")


if __name__ == "__main__":
    main()

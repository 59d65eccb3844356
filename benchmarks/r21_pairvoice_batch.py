"""Round 21 (pairvoice): `run` end to end on three development pairs, then `report programme`: which sessions'
guessed mappings are wrong (against the reference) and which ones the programme report calls swapped.
Development data only (``.cache/conv/dev_r19``: LibriSpeech dev readers, no self-introductions).

    nice -n 10 .venv/bin/python benchmarks/r21_pairvoice_batch.py --work /tmp/r21/pv_batch \\
        --json benchmarks/results/r21_pairvoice_batch.json

Each pair's sessions are the conversations of the same two readers (reader 1688 named first, as the junior, so
order of first speech maps whoever speaks first to them); a session is mapped right when the speech attributed to
each participant (its utterances in session.json) overlaps that reader's reference speech most.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / ".cache/conv/dev_r19"
PAIRS = {"p2414": ("1688", "2414", ["dev01", "dev03", "dev05", "dev11"]),
         "p2033": ("1688", "2033", ["dev00", "dev02", "dev08"]),
         "p1998": ("1688", "1998", ["dev06", "dev07", "dev09"])}


def _turns(path: Path, uri: str) -> list[tuple[float, float, str]]:
    out = []
    for line in path.read_text().splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER" and f[1] == uri:
            out.append((float(f[3]), float(f[3]) + float(f[4]), f[7]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    rec = args.work / "rec"
    rec.mkdir(parents=True, exist_ok=True)
    lines = ["pairs:"]
    sessions = []
    for pair, (a, b, uris) in PAIRS.items():
        lines += [f"  {pair}:", "    language: en", "    participants:",
                  f"    - {{name: Reader {a}, role: junior, id: r{a}}}", f"    - {{name: Reader {b}, role: senior, id: r{b}}}"]
        for k, uri in enumerate(uris):
            sid = f"{pair}_{uri}"
            link = rec / f"{sid}.wav"
            if not link.exists():
                link.symlink_to(SRC / f"{uri}.wav")
            sessions.append(f"- {{id: {sid}, pair: {pair}, date: '2026-11-{3 + 7 * k:02d}', file: rec/{sid}.wav}}")
    (args.work / "manifest.yaml").write_text("\n".join([*lines, "sessions:", *sessions]) + "\n")
    cli = ["nice", "-n", "10", str(ROOT / ".venv/bin/sessionscope")]
    subprocess.run([*cli, "run", str(rec), "--manifest", str(args.work / "manifest.yaml"), "--config",
                    str(ROOT / "benchmarks/configs/tiny_en.yaml"), "--out", str(args.work / "out"), "--no-progress"],
                   check=True)
    subprocess.run([*cli, "report", "programme", str(args.work / "out"), "--out", str(args.work / "dash"),
                    "--no-workbook"], check=True)
    prog = pd.read_csv(args.work / "dash" / "programme_sessions.csv").set_index("session_id")
    rows = []
    for pair, (_a, _b, uris) in PAIRS.items():
        for uri in uris:
            sid = f"{pair}_{uri}"
            s = json.loads((args.work / "out" / sid / "session.json").read_text())
            audio = s["extra"]["audio"]
            ov: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
            for s1, e1, pid in [(u["start"], u["end"], u["speaker"]) for u in s["utterances"]]:  # as mapped
                for s2, e2, spk in _turns(SRC / "reference.rttm", uri):
                    ov[pid][spk.split("sp")[0]] += max(0.0, min(e1, e2) - max(s1, s2))
            truth = {pid: max(v, key=lambda r: v[r]) for pid, v in ov.items()}
            right = all(reader == pid[1:] for pid, reader in truth.items() if pid.startswith("r"))
            rows.append({"session": sid, "pair": pair, "uri": uri, "speaker_map": audio["speaker_map"],
                         "methods": audio["speaker_mapping"], "participant_reader": truth, "mapped_right": right,
                         "voices_swapped": None if pd.isna(prog.loc[sid, "voices_swapped"]) else bool(prog.loc[sid, "voices_swapped"]),
                         "voices_swap_margin": None if pd.isna(prog.loc[sid, "voices_swap_margin"])
                         else float(prog.loc[sid, "voices_swap_margin"])})
            print(rows[-1]["session"], "right" if right else "WRONG", rows[-1]["voices_swapped"], rows[-1]["voices_swap_margin"])
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    md = (args.work / "dash" / "programme.md").read_text()
    args.json.write_text(json.dumps({
        "commit": commit, "split": "dev (dev_r19 LibriSpeech dev conversations)", "config": "benchmarks/configs/tiny_en.yaml",
        "command": " ".join(["benchmarks/r21_pairvoice_batch.py", *sys.argv[1:]]), "sessions": rows,
        "programme_md_notes": [ln for ln in md.splitlines() if "look swapped" in ln or "(a guess)" in ln]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every accuracy target of issues 10 and 11 in one run, on the dev split or on a kept-back test set (round 52).

    nice -n 10 .venv/bin/python benchmarks/scorecard.py --split dev --json benchmarks/results/scorecard_dev_r52.json
    nice -n 10 .venv/bin/python benchmarks/scorecard.py --split test --recordings <folder> --json <file>
    nice -n 10 .venv/bin/python benchmarks/scorecard.py --split heldout     # the choosing data, to try a change on

``--split heldout`` is for choosing, never for reporting: the held-out train meetings (``topics_ami.py``: its 40
choosing train meetings) and the development audio sets ``conv/dev_r19``, ``farfield`` and ``pyannote-ami``
(generated first as ``diarization_der.py`` says); the written sets are left out there (their dev rows have no
documented baseline).

Runs the headline scripts, each as its own process with its own raw result under ``--work`` (default
``.cache/scorecard/<split>``), then reads those results and prints one line per target: the figure, the target and
whether it is met. Nothing is fitted or chosen here; the scripts are those of docs/benchmarks.md:

* ``dialogue_acts_eval.py --split S``: questions (as transcribed, bare), recommendations, action items and their
  owners per act, MRDA and AMI; AMI human action-item sentences found (issue 10);
* ``topics_ami.py --split S``: the "other" share against AMI's small-talk share, work segments called other (issue 10);
* ``extraction_eval.py --split test``: the written EN / RU sets' test rows and the bundled examples' items must not
  get worse than their stored figures (:data:`WRITTEN_BASELINE`; issue 10; these sets are in the repository, so they are the same for any split);
* ``diarization_der.py`` with ``benchmarks/configs/tiny_en.yaml`` (the documented configuration; ``--audio-config
  default`` for `run`'s own defaults): on ``dev``, the
  held-out sets ``libri-report`` and ``ami`` (the documented figures) and the bundled ``examples`` with the default
  configuration; on ``test``, ``libri-test`` (when ``librispeech_conversations.py --split test`` found kept-back
  readers) and ``dir:<--recordings>`` (issue 11). Two-person conversations are the files with two reference speakers.

Speed targets (``run`` within 1.3x of faster-whisper alone, ``analyze`` of 60 minutes within 5 s) are machine-bound and
left to ``speed_run.py`` and ``analyze_speed.py``. ``--parts`` runs a subset (``text``, ``topics``, ``written``,
``audio``).
About 2 minutes on 2 cores for ``dev`` (103 s in round 52, models and transcriptions already cached; a fresh
checkout transcribes the audio sets first).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
TINY = BENCH / "configs" / "tiny_en.yaml"
#: the written sets' last documented figures, which a change must not lower (docs/benchmarks.md, "written EN / RU sets")
WRITTEN_BASELINE = BENCH / "results" / "extraction_eval_test_r44.json"


class PartFailed(Exception):
    """A headline script stopped (its reason is on the console above, e.g. a split with no meetings)."""


def run(args: list) -> None:
    """One headline script in its own process (its own output on this console)."""
    cmd = [sys.executable, *args]
    print("$ " + " ".join(str(a) for a in cmd[1:]), flush=True)
    if subprocess.run(cmd, cwd=ROOT).returncode:
        raise PartFailed(" ".join(str(a) for a in cmd[1:]))


def line(issue: int, target: str, figure: float | None, goal: float, *, higher: bool = True, unit: str = "",
         source: str, note: str = "") -> dict:
    """One target: its figure, the goal and whether the figure meets it (None when the part gave no figure)."""
    met = None if figure is None else (figure >= goal if higher else figure <= goal)
    return {"issue": issue, "target": target, "figure": figure, "goal": f"{'≥' if higher else '≤'} {goal}{unit}",
            "met": met, "source": source, **({"note": note} if note else {})}


def text_lines(path: Path) -> list[dict]:
    """The per-act targets of issue 10 from a ``dialogue_acts_eval.py`` result."""
    d = json.loads(path.read_text())
    out: list[dict] = []
    for corpus, name in (("mrda", "MRDA"), ("ami", "AMI")):
        if corpus not in d:
            continue
        s = d[corpus]["shipped"]
        n = f"{d[corpus]['meetings']} meetings"
        out += [line(10, f"questions F1, as transcribed, {name} ({n})", s["question"]["f1"], 0.80, source=path.name),
                line(10, f"questions F1, no punctuation or capitals, {name}", s["question_stripped"]["f1"], 0.70,
                     source=path.name),
                line(10, f"recommendations F1, {name}", s["recommendation"]["f1"], 0.55, source=path.name),
                line(10, f"action items F1, {name}", s["action"]["f1"], 0.45, source=path.name),
                line(10, f"action-item owner right, {name} ({s['action_owner_n']} found on gold acts)",
                     s["action_owner_right"], 0.90, source=path.name)]
        sent = d[corpus].get("ami_action_sentences", {}).get("shipped")
        if sent:
            out.append(line(10, f"AMI human action-item sentences found ({sent['n_sentences']})",
                            sent["found_as_action"], 0.50, source=path.name))
    return out


def topic_lines(path: Path) -> list[dict]:
    """The topic-area targets of issue 10 from a ``topics_ami.py`` result."""
    s = json.loads(path.read_text())["summary"]
    gap = round(100 * abs(s["other_share"] - s["gold_small_share"]), 1)
    return [line(10, f"'other' share of words vs AMI small talk ({s['meetings']} meetings: "
                     f"{100 * s['other_share']:.1f} % vs {100 * s['gold_small_share']:.1f} %), points apart", gap, 10.0,
                 higher=False, source=path.name),
            line(10, "work segments labelled 'other'", s["work_segments_as_other"], 0.15, higher=False, source=path.name)]


def written_lines(path: Path, baseline: Path = WRITTEN_BASELINE) -> list[dict]:
    """The written sets' recommendation and action-item F1 (shipped system) against their documented figures."""
    d, base = json.loads(path.read_text()), json.loads(baseline.read_text())
    rows = [line(10, f"written {lang.upper()} test rows, {kind} F1 not below {baseline.name}",
                 d[lang]["shipped"][kind]["f1"], base[lang]["shipped"][kind]["f1"], source=path.name)
            for lang in ("en", "ru") for kind in ("recommendation", "action")]
    return rows + [line(10, f"bundled example {ex}, {kind.replace('_', ' ')} F1 not below {baseline.name}",
                        d["examples"][ex][kind]["f1"], base["examples"][ex][kind]["f1"], source=path.name)
                   for ex in sorted(base.get("examples", {})) if ex in d.get("examples", {})
                   for kind in ("recommendations", "action_items")]


def audio_lines(path: Path) -> list[dict]:
    """The who-spoke-when targets of issue 11 from a ``diarization_der.py`` result."""
    d = json.loads(path.read_text())
    out: list[dict] = []
    for set_name in d["summary"]:
        rows = [r for r in d["rows"] if r["set"] == set_name]
        pairs = [r for r in rows if r["ref_speakers"] == 2]
        shares = [v for r in rows for v in r["share_err"].values()]
        within = round(float(np.mean([v <= 5 for v in shares])), 3) if shares else None
        if set_name.startswith(("libri", "conv/")):  # conversations of read voices, simulated
            if pairs:
                der = round(float(np.mean([r["run_der_c0.25"] for r in pairs])), 2)
                right = round(sum(r["hyp_speakers"] == 2 for r in pairs) / len(pairs), 3)
                out += [line(11, f"DER c0.25, two-person conversations of real voices ({set_name}, {len(pairs)})", der,
                             5.0, higher=False, unit=" %", source=path.name),
                        line(11, f"speaker count right, two-person conversations ({set_name})", right, 0.90,
                             source=path.name)]
        elif set_name == "examples":
            for r in rows:
                goal = 10.0 if r["uri"].startswith("ru") else 5.0
                out.append(line(11, f"DER c0.25, bundled example {r['uri']} (TTS voices, default model)",
                                r["run_der_c0.25"], goal, higher=False, unit=" %", source=path.name))
            continue
        else:
            what = "simulated far-field meetings" if set_name.startswith("farfield") else "real recordings"
            out.append(line(11, f"DER c0.25, mean over {what} ({set_name}, {len(rows)})",
                            d["summary"][set_name]["run_der_c0.25"], 25.0, higher=False, unit=" %", source=path.name,
                            note=f"pooled {d['summary'][set_name]['run_der_pooled_c0.25']} %"))
        out.append(line(11, f"speakers whose talk share is within ±5 points ({set_name}, {len(shares)})", within, 1.0,
                        source=path.name, note="the issue asks every share within ±5 points"))
    return out


def table(lines: list[dict]) -> str:
    rows = ["| issue | target | figure | goal | met |", "|---|---|---|---|---|"]
    for x in lines:
        met = "–" if x["met"] is None else ("yes" if x["met"] else "**no**")
        target = x["target"] + (f" ({x['note']})" if x["figure"] is None and x.get("note") else "")
        rows.append(f"| {x['issue']} | {target} | {'–' if x['figure'] is None else x['figure']} | {x['goal']} | {met} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "test", "heldout"), default="dev")
    ap.add_argument("--recordings", type=Path, default=None,
                    help="test: a folder of real recordings with one reference.rttm (diarization_der.py dir:<folder>)")
    ap.add_argument("--audio-config", default=str(TINY),
                    help="configuration of the audio sets (default: tiny_en.yaml, as the documented figures; "
                         "'default' for the built-in defaults, the base model `run` uses)")
    ap.add_argument("--parts", nargs="+", choices=("text", "topics", "written", "audio"),
                    default=["text", "topics", "written", "audio"])
    ap.add_argument("--work", type=Path, default=None, help="where each script's raw result goes")
    ap.add_argument("--reuse", action="store_true", help="read the raw results already in --work instead of running")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or ROOT / ".cache" / "scorecard" / args.split
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    parts = []
    if "text" in args.parts:
        parts.append((10, "per-act extraction", work / "dialogue_acts_eval.json", text_lines,
                      [BENCH / "dialogue_acts_eval.py", "--split", args.split, "--out", work / "dialogue_acts_eval.json"]))
    if "topics" in args.parts:
        chosen = ["--split", "train", "--limit", "40"] if args.split == "heldout" else ["--split", args.split]
        parts.append((10, "topic areas", work / "topics_ami.json", topic_lines,
                      [BENCH / "topics_ami.py", *chosen, "--out", work / "topics_ami.json"]))
    if "written" in args.parts and args.split != "heldout":
        parts.append((10, "written EN / RU sets", work / "extraction_eval.json", written_lines,
                      [BENCH / "extraction_eval.py", "--split", "test", "--out", work / "extraction_eval.json"]))
    if "audio" in args.parts:
        sets = {"dev": ["libri-report", "ami"], "heldout": ["conv/dev_r19", "farfield", "pyannote-ami"]}.get(args.split) or [
            *(["libri-test"] if (ROOT / ".cache" / "conv" / "test" / "reference.rttm").is_file() else []),
            *([f"dir:{args.recordings}"] if args.recordings else [])]
        config = [] if args.audio_config == "default" else ["--config", args.audio_config]
        parts.append((11, "who spoke when", work / "diarization_der.json", audio_lines,
                      [BENCH / "diarization_der.py", "--sets", *sets, *config, "--json",
                       work / "diarization_der.json"] if sets else None))
        if args.split == "dev":
            parts.append((11, "who spoke when, bundled examples", work / "diarization_der_examples.json", audio_lines,
                          [BENCH / "diarization_der.py", "--sets", "examples", "--json",
                           work / "diarization_der_examples.json"]))
    lines: list[dict] = []
    for issue, name, out, read, cmd in parts:
        try:
            if cmd is None:
                raise PartFailed("no test audio: give --recordings <folder> and/or generate the kept-back readers' "
                                 "conversations (librispeech_conversations.py --split test --out .cache/conv/test)")
            if not args.reuse:
                out.unlink(missing_ok=True)
                run(cmd)
            lines += read(out)
        except (PartFailed, FileNotFoundError) as e:  # a part that did not run says so; the others still run
            lines.append({"issue": issue, "target": f"{name}: not run", "figure": None, "goal": "–", "met": None,
                          "source": None, "note": str(e)})
    print(table(lines))
    if args.json:
        from train_dialogue_acts import commit

        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": "python benchmarks/scorecard.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "commit": commit(), "date": time.strftime("%Y-%m-%d", time.gmtime()), "split": args.split,
            "seconds": round(time.time() - t0), "lines": lines,
            "raw": {p.name: json.loads(p.read_text()) for _, _, p, _, _ in parts if p.is_file()}}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    raise SystemExit(main())

"""Round 27 (issue 10): greetings, summons and channel checks ("Hello?", "Can you hear me?") on real talk, before and
after they stopped counting as questions.

Usage (repository root; ``--src`` names the ``src`` folder of the code to run, e.g. the start commit's unpacked by
``git archive e95f192 src | tar -x -C /tmp/r27/phatic_base``)::

    python benchmarks/r27_phatic_real.py run --tag before --src /tmp/r27/phatic_base/src --work /tmp/r27/phatic/real
    python benchmarks/r27_phatic_real.py run --tag after --src src --work /tmp/r27/phatic/real
    python benchmarks/r27_phatic_real.py compare --work /tmp/r27/phatic/real --out benchmarks/results/r27_phatic_real.json

``run`` analyses, with the code under ``--src`` and the default config: the round-26 audit's texts
(``benchmarks/r26_audit.py run``: SBCSAE SBC009 and SBC044, the pyannote sample's transcript, the Zoom class meeting,
the bundled examples' reference transcripts), the pyannote sample's audio through ``sessionscope run`` (Diane junior,
Sheila senior), and ``benchmarks/extraction_eval.py --split dev`` (the written EN/RU sets and the example sessions).
``compare`` writes, per session: questions (asked per person, open, answered), the knowledge flows and the mutuality
index before and after, every question that disappeared or appeared, the summary's knowledge-flow sentence, the
round-26 findings present (``r26_audit.py count``), and whether the extraction_eval figures are identical.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLI = "import sys; from sessionscope.cli import main; sys.exit(main())"


def run(work: Path, tag: str, src: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    subprocess.run([py, str(ROOT / "benchmarks" / "r26_audit.py"), "run", "--work", str(work), "--tag", tag],
                   env=env, check=True)
    subprocess.run([py, "-c", CLI, "run", str(DATA / "pyannote-sample" / "sample.wav"), "-p", "Diane=junior",
                    "-p", "Sheila=senior", "--out", str(work / f"pyannote_audio_{tag}"), "--no-progress", "--force"],
                   env=env, check=True)
    subprocess.run([py, str(ROOT / "benchmarks" / "extraction_eval.py"), "--split", "dev", "--out",
                    str(work / f"extraction_eval_dev_{tag}.json")], env=env, check=True, stdout=subprocess.DEVNULL)


def _flows(kf: dict | None) -> int:
    if not kf:
        return 0
    return sum(n for rows in (kf.get("matrix") or {}).values() for row in rows.values() for n in row.values())


def session_facts(path: Path) -> dict:
    d = json.loads((path / "session.json").read_text(encoding="utf-8"))
    names = {p["id"]: p.get("name") or p["id"] for p in d.get("participants", [])}
    texts = {u["id"]: u["text"] for u in d.get("utterances", [])}
    qs = d.get("questions") or []
    metrics = (d.get("metrics") or {}).get("participants") or {}
    summary = (path / "summary.md").read_text(encoding="utf-8") if (path / "summary.md").exists() else ""
    flow_lines = [ln.strip() for ln in summary.splitlines() if "nowledge flow" in ln or "mutuality" in ln.lower()]
    return {
        "questions": len(qs), "open": sum(1 for q in qs if not q["answered"]),
        "asked_by": {names.get(p, p): m.get("questions_asked") for p, m in metrics.items()},
        "flows": _flows(d.get("knowledge_flow")),
        "mutuality_index": (d.get("knowledge_flow") or {}).get("mutuality_index"),
        "question_items": {q["utterance_id"]: {"asker": names.get(q["asker"], q["asker"]), "text": q["text"],
                                               "utterance": texts.get(q["utterance_id"]), "answered": q["answered"],
                                               "answer": texts.get(q.get("answer_utterance_id") or "")} for q in qs},
        "summary_flow_lines": flow_lines,
    }


def compare(work: Path) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from r26_audit import FINDINGS, count

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    out: dict = {"command": "python benchmarks/r27_phatic_real.py compare --work " + str(work),
                 "runs": {"before": "run --tag before --src <git archive e95f192 src> (round 27's start commit)",
                          "after": "run --tag after --src src"},
                 "commit": head, "sessions": {}}
    sessions = sorted(p.name for p in (work / "before").iterdir() if (p / "session.json").exists())
    sets = [(s, work / "before" / s, work / "after" / s) for s in sessions]
    sets.append(("pyannote_audio (sessionscope run)", work / "pyannote_audio_before" / "sample",
                 work / "pyannote_audio_after" / "sample"))
    for name, b, a in sets:
        fb, fa = session_facts(b), session_facts(a)
        gone = {k: v for k, v in fb["question_items"].items() if k not in fa["question_items"]}
        new = {k: v for k, v in fa["question_items"].items() if k not in fb["question_items"]}
        changed = {k: {"before": fb["question_items"][k], "after": v} for k, v in fa["question_items"].items()
                   if k in fb["question_items"] and v != fb["question_items"][k]}
        out["sessions"][name] = {
            **{k: {"before": fb[k], "after": fa[k]} for k in ("questions", "open", "asked_by", "flows", "mutuality_index",
                                                               "summary_flow_lines")},
            "questions_gone": gone, "questions_new": new, "questions_changed": changed,
        }
    out["r26_findings"] = {}
    for tag in ("before", "after"):
        res = count(work, tag, FINDINGS)
        out["r26_findings"][tag] = {"defects_present": res["defects_present"], "by_file": res["by_file"],
                                    "present": [r["id"] for r in res["rows"] if r["present"]]}
    eb, ea = (json.loads((work / f"extraction_eval_dev_{t}.json").read_text(encoding="utf-8")) for t in ("before", "after"))
    skip = {"seconds", "command"}
    same = {k: eb.get(k) == ea.get(k) for k in sorted(set(eb) | set(ea)) if k not in skip}
    out["extraction_eval_dev"] = {"identical_apart_from_seconds": all(same.values()), "per_key": same,
                                  "en_question": {"before": eb["en"]["question"], "after": ea["en"]["question"]},
                                  "ru_question": {"before": eb["ru"]["question"], "after": ea["ru"]["question"]},
                                  "examples": {"before": eb["examples"], "after": ea["examples"]}}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("run", "compare"))
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--tag")
    ap.add_argument("--src", type=Path)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.what == "run":
        run(a.work, a.tag, a.src)
        return 0
    res = compare(a.work)
    text = json.dumps(res, indent=1, ensure_ascii=False)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")
    print(text[:4000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

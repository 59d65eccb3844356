"""Round 26 (audit): what a mentoring pair's summary says about real two-person talk (issue 10).

Usage (from the repository root)::

    python benchmarks/r26_audit.py run --work /tmp/r26/audit_work --tag before      # the pair's outputs, current code
    python benchmarks/r26_audit.py count --work /tmp/r26/audit_work --tag before \\
        --out benchmarks/results/r26_audit_before_audit.json

``run`` writes a manifest that names the two speakers of each real two-person transcript as junior and senior
(SBC009: Kathy explains algebra to Nathan, so Nathan is the junior and Kathy the senior; SBC044: Lajuan and Cam
talk as equals, so the first speaker is the junior and the second the senior; the pyannote sample: Diane junior,
Sheila senior), plus the real Zoom class meeting (multi-party, a check only) and the bundled examples' reference
transcripts, with a fixed session date so that due dates can resolve, and analyses them with the CLI exactly as a
user would (all default stages, no audio). ``count`` reads the hand-written findings
(``benchmarks/results/r26_audit_findings_audit.json``: one per defect a pair or an evaluator would count in
``summary.md``, with the file, the kind, the quote, what is wrong, what it should be and a ``present`` test on the
summary's text) and counts the defects still present in a run per kind and file.

A finding's ``present`` is ``{"contains": [...]}`` (the defect is there while every string is in the summary),
``{"missing": [...]}`` (there while one of the strings is not), both, or ``{"any": [test, ...]}`` (there while one of
the tests says so: a defect whose words a fix extended — an item still listed — keeps its "before" test and gets one
for its new words, noted in ``present_note``). It checks the summary's text only: a fix
that removes a defect's words removes the finding, so every ``after`` run is also read again by hand for new
defects (added to the findings file with ``"round": "after"``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
FINDINGS = RESULTS / "r26_audit_findings_audit.json"
SESSION_DATE = "2026-11-24"  # a Tuesday

# id -> (path under the shared data, [(name, role, aliases)])
SESSIONS: dict[str, tuple[str, list[tuple[str, str, list[str]]]]] = {
    "SBC009": ("sbcsae-text-refs/SBC009.stm",
               [("Nathan", "junior", ["0026_NATHAN"]), ("Kathy", "senior", ["0025_KATHY"])]),
    "SBC044": ("sbcsae-text-refs/SBC044.stm",
               [("Lajuan", "junior", ["0152_LAJUAN"]), ("Cam", "senior", ["0151_CAM"])]),
    "pyannote": ("pyannote-sample/sample.stm", [("Diane", "junior", []), ("Sheila", "senior", [])]),
    "ZOOM": ("zoom-vtt-class-meeting/GMT20240124-202901_Recording.transcript.vtt",
             [("Conor Healy", "junior", []), ("Shreeharsh Kelkar", "senior", []), ("Srijani Ghosh", "other", []),
              ("Dr. Melissa Ko", "other", []), ("Ryan Sloan", "other", [])]),
}
EXAMPLES = ("en_session", "ru_session")


def manifest(work: Path) -> Path:
    """The manifest of the real sessions (YAML), written under ``work``."""
    import yaml

    rows = []
    for sid, (src, people) in SESSIONS.items():
        rows.append({"id": sid, "pair": sid.lower(), "date": SESSION_DATE, "file": str(DATA / src), "language": "en",
                     "participants": [{"name": n, "role": r, **({"aliases": a} if a else {})} for n, r, a in people]})
    path = work / "manifest.yaml"
    path.write_text(yaml.safe_dump({"sessions": rows}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run(work: Path, tag: str) -> None:
    work.mkdir(parents=True, exist_ok=True)
    out = work / tag
    cli = [sys.executable, "-c", "import sys; from sessionscope.cli import main; sys.exit(main())", "analyze"]
    env_note = "PYTHONPATH must name this checkout's src"
    files = [str(DATA / src) for src, _ in SESSIONS.values()]
    subprocess.run([*cli, *files, "--manifest", str(manifest(work)), "--out", str(out), "--force"], check=False)
    ex = ROOT / "examples"
    subprocess.run([*cli, *(str(ex / e / "reference.stm") for e in EXAMPLES), "--manifest",
                    str(ex / "manifest-reference.yaml"), "--out", str(out), "--force"], check=False)
    print(f"wrote {out} ({env_note})")


def present(finding: dict, text: str) -> bool:
    test = finding["present"]
    if "any" in test:  # alternatives: the words before a fix, and the same defect in the words after it
        return any(present({"present": t}, text) for t in test["any"])
    ok = all(s in text for s in test.get("contains", []))
    if test.get("missing"):
        ok = ok and any(s not in text for s in test["missing"])
    return ok


def _summary_text(run_dir: Path, name: str) -> str:
    return (run_dir / name / "summary.md").read_text(encoding="utf-8")


def count(work: Path, tag: str, findings: Path, text_of: Callable[[Path, str], str] = _summary_text) -> dict:
    """Which findings are present in the outputs of ``work/tag``; ``text_of(run dir, finding's file)``: the text a
    finding is tested on (here the session's summary.md; round 27's evaluator audit reads programme outputs)."""
    rows = json.loads(findings.read_text(encoding="utf-8"))["findings"]
    texts: dict[str, str] = {}
    out_rows = []
    for f in rows:
        sid = f["file"]
        if sid not in texts:
            texts[sid] = text_of(work / tag, sid)
        out_rows.append({"id": f["id"], "file": sid, "kind": f["kind"], "present": present(f, texts[sid])})
    kinds = Counter(r["kind"] for r in out_rows if r["present"])
    per_file = Counter(r["file"] for r in out_rows if r["present"])
    return {"tag": tag, "findings_file": str(findings.resolve().relative_to(ROOT)), "n_findings": len(rows),
            "defects_present": sum(kinds.values()), "by_kind": dict(sorted(kinds.items())),
            "by_file": dict(sorted(per_file.items())), "rows": out_rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("run", "count"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/r26/audit_work"))
    ap.add_argument("--tag", required=True)
    ap.add_argument("--findings", type=Path, default=FINDINGS)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.what == "run":
        run(a.work, a.tag)
        return
    res = count(a.work, a.tag, a.findings)
    text = json.dumps(res, indent=1, ensure_ascii=False)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: res[k] for k in ("tag", "n_findings", "defects_present", "by_kind", "by_file")}, indent=1))


if __name__ == "__main__":
    main()

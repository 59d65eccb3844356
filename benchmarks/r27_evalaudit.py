"""Round 27 (evalaudit): what a programme evaluator reads about a folder of real sessions (issues 10 and 11).

Usage (from the repository root, PYTHONPATH naming this checkout's src)::

    python benchmarks/r27_evalaudit.py run --work work --tag before        # build every evaluator output
    python benchmarks/r27_evalaudit.py count --work work --tag before \\
        --out benchmarks/results/r27_evalaudit_before.json

``run`` processes a small programme of real development material nobody here wrote, exactly as an evaluator would:

- ``analyze`` (one manifest): the SBCSAE two-person transcripts SBC009 and SBC044 (roles as in
  ``benchmarks/r26_audit.py``), the pyannote sample's transcript (Diane junior, Sheila senior), the real Zoom class
  meeting (multi-party) and one AMI meeting of the TRAIN split, QMSum's ``TS3003a`` (untimed; the project manager
  as the senior, marketing as the junior, the other two as ``other``: a rule set before reading any output);
- ``run`` (a second manifest, so that the sample's STM is not matched to its audio): the pyannote sample's audio,
  the same pair a week later, ``--model tiny.en``;
- then ``report programme --session-reports`` (dashboard.html, programme.md, programme_*.csv/.parquet,
  programme.xlsx, tables/) and ``export tables`` into ``OUT/<tag>/``.

``count`` reads the hand-written findings (``benchmarks/results/r27_evalaudit_findings.json``: one per defect an
evaluator would count, with the output file, the quote, what is wrong, what it should be and a ``present`` test on
that file's text, as in round 26: ``contains`` / ``missing`` / ``any``) and counts those still present.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from r26_audit import DATA, ROOT, SESSIONS, count  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FINDINGS = RESULTS / "r27_evalaudit_findings.json"

# id -> (path under the shared data, date, pair, [(name, role, aliases)])
TEXT: dict[str, tuple[str, str, str, list[tuple[str, str, list[str]]]]] = {
    "SBC009": (SESSIONS["SBC009"][0], "2026-11-24", "kathy-nathan", SESSIONS["SBC009"][1]),
    "SBC044": (SESSIONS["SBC044"][0], "2026-11-25", "cam-lajuan", SESSIONS["SBC044"][1]),
    "pyannote": (SESSIONS["pyannote"][0], "2026-11-24", "diane-sheila", SESSIONS["pyannote"][1]),
    "ZOOM": (SESSIONS["ZOOM"][0], "2026-11-26", "conor-shreeharsh", SESSIONS["ZOOM"][1]),
    "TS3003a": ("qmsum-topics-queries/TS3003a.json", "2026-11-27", "ts3003-team",
                [("Marketing", "junior", []), ("Project Manager", "senior", []),
                 ("User Interface", "other", []), ("Industrial Designer", "other", [])]),
}
AUDIO: dict[str, tuple[str, str, str, list[tuple[str, str, list[str]]]]] = {
    "pyannote_audio": ("pyannote-sample/sample.wav", "2026-12-01", "diane-sheila", SESSIONS["pyannote"][1]),
}


def _manifest(path: Path, sessions: dict) -> Path:
    import yaml

    rows = []
    for sid, (src, date, pair, people) in sessions.items():
        rows.append({"id": sid, "pair": pair, "date": date, "file": str(DATA / src), "language": "en",
                     "participants": [{"name": n, "role": r, **({"aliases": a} if a else {})} for n, r, a in people]})
    path.write_text(yaml.safe_dump({"sessions": rows}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run(work: Path, tag: str, audio: bool = True) -> None:
    out = work / tag
    out.mkdir(parents=True, exist_ok=True)
    res = out / "sessions"
    cli = [sys.executable, "-c", "import sys; from sessionscope.cli import main; sys.exit(main())"]
    log = open(out / "console.txt", "w", encoding="utf-8")

    def call(*args: str) -> None:
        log.write("$ sessionscope " + " ".join(args) + "\n")
        log.flush()
        p = subprocess.run([*cli, *args], check=False, capture_output=True, text=True)
        log.write(p.stdout + p.stderr + f"[exit {p.returncode}]\n")
        log.flush()

    call("analyze", *(str(DATA / s[0]) for s in TEXT.values()), "--manifest",
         str(_manifest(out / "manifest_text.yaml", TEXT)), "--out", str(res), "--force", "--no-progress")
    if audio:
        call("run", *(str(DATA / s[0]) for s in AUDIO.values()), "--manifest",
             str(_manifest(out / "manifest_audio.yaml", AUDIO)), "--out", str(res), "--model", "tiny.en",
             "--no-progress", "--force")
    call("report", "programme", str(res), "--out", str(out / "dashboard"), "--session-reports")
    call("export", "tables", str(res), "--out", str(out / "tables"), "--format", "csv")
    log.close()
    dashboard_text(out / "dashboard" / "dashboard.html", out / "dashboard_text.txt")
    print(f"wrote {out}")


def _html_text(s: str) -> str:
    import html
    import re

    s = re.sub(r"<script.*?</script>|<style.*?</style>", "", s, flags=re.S)
    s = re.sub(r"<svg.*?</svg>", "[svg]", s, flags=re.S)
    s = re.sub(r"</(tr|p|h\d|li|div|caption)>", "\n", s)
    s = re.sub(r"</t[dh]>", " | ", s)
    s = html.unescape(re.sub(r"<[^>]+>", "", s))
    return re.sub(r"[ \t]*\n\s*", "\n", s)


def dashboard_text(page: Path, dest: Path) -> None:
    """The dashboard as an evaluator sees it in a browser (its script run: headless Chromium), as text."""
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        dest.write_text("(no headless browser: the page's script did not run)\n" + _html_text(page.read_text("utf-8")),
                        encoding="utf-8")
        return
    p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.resolve().as_uri()],
                       capture_output=True, text=True, timeout=120, check=False)
    dest.write_text(_html_text(p.stdout), encoding="utf-8")


def _output_text(run_dir: Path, name: str) -> str:
    """An evaluator output's text (empty when the run did not write it)."""
    p = run_dir / name
    return p.read_text(encoding="utf-8") if p.exists() else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("run", "count"))
    ap.add_argument("--work", type=Path, default=ROOT / "work")
    ap.add_argument("--tag", required=True)
    ap.add_argument("--findings", type=Path, default=FINDINGS)
    ap.add_argument("--no-audio", action="store_true", help="skip the `run` of the sample's audio")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.what == "run":
        run(a.work, a.tag, audio=not a.no_audio)
        return
    res = count(a.work, a.tag, a.findings, _output_text)
    text = json.dumps(res, indent=1, ensure_ascii=False)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: res[k] for k in ("tag", "n_findings", "defects_present", "by_kind", "by_file")}, indent=1))


if __name__ == "__main__":
    main()

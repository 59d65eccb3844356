"""Whether a speed change leaves ``sessionscope analyze``'s outputs as they were (issue 11).

Usage (from the repository root)::

    git archive HEAD src | tar -x -C /tmp/before          # the code before the change
    python benchmarks/outputs_identical.py --before /tmp/before/src \
        --out benchmarks/results/outputs_identical_r7_speed.json
    # on a shared tree: both sides as copies taken at the same moment
    python benchmarks/outputs_identical.py --before /tmp/before_wt/src --after /tmp/after_wt/src --out …

Runs the text-only ``analyze`` (default config, all text stages) twice, once with ``--before``
first on ``PYTHONPATH`` and once with this checkout's ``src``, on

* the 60-minute AMI transcript of ``benchmarks/analyze_speed.py`` (built at run time from AMI dev
  meetings, never stored), and
* every bundled example with its reference transcript (``examples/manifest-reference.yaml``:
  English and Russian),

and compares every output file byte for byte. In ``session.json`` only what legitimately changes
from run to run is left out of the comparison: the ``provenance`` block's timing and run
fields (``stage_runs[*].seconds``, and in ``batch.json`` each session's ``seconds`` and output folder, ``created``/``started``/``finished``-like timestamps,
``duration`` fields, and the source hash ``resume_key.code``). Every other file (summary, report, CSV…) must be identical as bytes, except
lines naming the run's output folder or its time of creation (the HTML and Markdown
reports print them). The result lists each file as ``identical`` or ``DIFFERENT``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

#: provenance keys whose values are times, durations or run-specific (compared as absent); ``code``: the
#: hash of the source in ``resume_key``, which changes with any change of the code by design
VOLATILE = re.compile(
    r"(seconds|created|started|finished|timestamp|duration_s|elapsed|wall|cpu|host|pid|date_run"
    r"|generated|run_at|version|commit|python|platform|^code$)",
    re.I,
)


def _scrub(obj: object, in_provenance: bool = False, out_dir: str = "") -> object:
    """``obj`` without volatile provenance fields (``batch.json``'s per-session ``seconds`` among them)."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            prov = in_provenance or k in ("provenance", "results")
            if prov and VOLATILE.search(str(k)):
                continue
            out[k] = _scrub(v, prov, out_dir)
        return out
    if isinstance(obj, list):
        return [_scrub(v, in_provenance, out_dir) for v in obj]
    if isinstance(obj, str) and out_dir:
        return obj.replace(out_dir, "<OUT>")
    return obj


def _text_scrub(text: str, out_dir: Path) -> str:
    text = text.replace(str(out_dir), "<OUT>")
    # report lines with the time the report was made
    return re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", "<TIME>", text)


def analyze(src: Path, args: list[str], out: Path, env: dict[str, str]) -> None:
    env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")])))
    exe = Path(sys.executable).with_name("sessionscope")
    cmd = [str(exe) if exe.exists() else "sessionscope", "analyze", *args, "--out", str(out), "--force"]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if res.returncode != 0:
        raise SystemExit(f"analyze failed ({res.returncode}) with {src}:\n{res.stdout}\n{res.stderr}")


def compare(a: Path, b: Path) -> dict[str, str]:
    files = sorted(
        {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
        | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    )
    result = {}
    for rel in files:
        pa, pb = a / rel, b / rel
        if not (pa.exists() and pb.exists()):
            result[str(rel)] = "DIFFERENT (missing on one side)"
            continue
        if pa.name.endswith(".json"):
            try:
                ja, jb = json.loads(pa.read_text(encoding="utf-8")), json.loads(pb.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                same = pa.read_bytes() == pb.read_bytes()
            else:
                same = _scrub(ja, out_dir=str(a)) == _scrub(jb, out_dir=str(b))
        else:
            ba, bb = pa.read_bytes(), pb.read_bytes()
            if ba == bb:
                same = True
            else:
                try:
                    same = _text_scrub(ba.decode("utf-8"), a) == _text_scrub(bb.decode("utf-8"), b)
                except UnicodeDecodeError:
                    same = False
        result[str(rel)] = "identical" if same else "DIFFERENT"
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the src folder of the code before the change")
    ap.add_argument(
        "--after",
        default=str(ROOT / "src"),
        help="the src folder of the code after the change (default: this checkout's; a copy taken "
        "with --before's keeps other people's edits of a shared tree out of the comparison)",
    )
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "outputs_identical.json"))
    ap.add_argument("--no-ami", action="store_true", help="only the bundled examples")
    ap.add_argument("--keep", metavar="DIR", help="write the outputs here (kept) instead of a temporary folder")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cases: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(args.keep or tmp)
        t.mkdir(parents=True, exist_ok=True)
        env["PYTHONPYCACHEPREFIX"] = str(t / "pycache")
        inputs = [("examples", ["--manifest", str(ROOT / "examples" / "manifest-reference.yaml")])]
        if not args.no_ami:
            import analyze_speed as A

            if A.AMI.is_dir():
                stm = t / "meeting60.stm"
                info = A.build_stm(stm)
                inputs.insert(0, ("ami60", [str(stm)]))
                cases["ami60_transcript"] = info
        for name, a in inputs:
            before, after = t / f"{name}_before", t / f"{name}_after"
            analyze(Path(args.before).resolve(), a, before, env)
            analyze(Path(args.after).resolve(), a, after, env)
            files = compare(before, after)
            cases[name] = {"files": files, "identical": all(v == "identical" for v in files.values())}
            print(
                f"{name}: {sum(v == 'identical' for v in files.values())}/{len(files)} files identical",
                file=sys.stderr,
                flush=True,
            )
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    result = {
        "command": "python benchmarks/outputs_identical.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "commit": commit,
        "before": args.before,
        "after": args.after,
        "cases": cases,
        "all_identical": all(c.get("identical", True) for c in cases.values()),
    }
    print(json.dumps(result, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0 if result["all_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())

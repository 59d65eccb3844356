"""Nothing may try to reach the network (issue 9, reliability item 8).

Two independent checks, both on real inputs:

* the CLI runs inside a network namespace with no network at all (``unshare -n``: only a
  loopback interface, which is down), so anything that *needs* the network fails the run (on a
  machine that cannot make a namespace, the audit hook below still runs);
* inside that namespace, a Python audit hook records every ``socket.getaddrinfo`` and every
  ``socket.connect`` to a non-loopback address, so an *attempt* that would fail silently
  (telemetry, a hub lookup with a quiet fallback) is caught too.

Native code that opens sockets without going through Python (e.g. onnxruntime's telemetry) is
not seen by the audit hook; for that the environment must carry ``ORT_DISABLE_TELEMETRY`` before
onnxruntime loads, which the ``run`` check asserts from inside the process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Runs the sessionscope CLI with an audit hook that records network attempts to a JSON file.
_RUNNER = r"""
import atexit, json, os, socket, sys
attempts = []
LOCAL = ("127.", "::1", "localhost", "0.0.0.0")

def _hook(event, args):
    if event == "socket.getaddrinfo":
        host = args[0]
        host = host.decode() if isinstance(host, bytes) else str(host)
        if host and not host.startswith(LOCAL):
            attempts.append([event, host])
    elif event in ("socket.connect", "socket.sendto"):
        address = args[1] if event == "socket.connect" else args[-1]
        if isinstance(address, tuple) and address and not str(address[0]).startswith(LOCAL):
            attempts.append([event, str(address[0])])

sys.addaudithook(_hook)

def _dump():
    with open(os.environ["SESSIONSCOPE_NET_LOG"], "w") as f:
        json.dump({"attempts": attempts, "ort_telemetry_off": os.environ.get("ORT_DISABLE_TELEMETRY")}, f)

atexit.register(_dump)
from sessionscope.cli import main
sys.argv = ["sessionscope"] + sys.argv[1:]
main()
"""


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def _prefix() -> list[str]:
    """``unshare -n`` where a namespace can be made; elsewhere the audit hook alone still checks attempts."""
    return ["unshare", "-n"] if _unshare_works() else []


def _offline(args: list[str], tmp_path: Path, name: str) -> dict:
    """Run ``sessionscope ARGS`` with no network; returns the attempt log. Fails on a non-zero exit."""
    log = tmp_path / f"{name}.net.json"
    env = {**os.environ, "SESSIONSCOPE_NET_LOG": str(log), "HF_HUB_OFFLINE": "", "TRANSFORMERS_OFFLINE": ""}
    # No offline switches are set on purpose: the defaults alone must not reach out.
    env = {k: v for k, v in env.items() if v != ""}
    res = subprocess.run([*_prefix(), sys.executable, "-c", _RUNNER, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, f"exit {res.returncode}\nstdout:\n{res.stdout[-3000:]}\nstderr:\n{res.stderr[-3000:]}"
    return json.loads(log.read_text())


def test_audit_hook_sees_an_attempt(tmp_path):
    """The check itself can fail: a lookup of a public host name is recorded."""
    log = tmp_path / "probe.json"
    code = _RUNNER.split("from sessionscope.cli import main")[0] + (
        "\ntry:\n    socket.getaddrinfo('pypi.org', 443)\nexcept OSError:\n    pass\n"
    )
    res = subprocess.run([*_prefix(), sys.executable, "-c", code], env={**os.environ, "SESSIONSCOPE_NET_LOG": str(log)},
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert json.loads(log.read_text())["attempts"] == [["socket.getaddrinfo", "pypi.org"]]


@pytest.mark.slow
def test_analyze_and_programme_report_need_no_network(tmp_path):
    out = tmp_path / "out"
    got = _offline(["analyze", "--manifest", str(ROOT / "examples" / "manifest-reference.yaml"), "--out", str(out),
                    "--no-progress"], tmp_path, "analyze")
    assert got["attempts"] == []
    assert (out / "en_session" / "report.html").is_file() and (out / "ru_session" / "session.json").is_file()
    dash = tmp_path / "dash"
    got = _offline(["report", "programme", str(out), "--out", str(dash)], tmp_path, "programme")
    assert got["attempts"] == []
    assert any(dash.iterdir())


@pytest.mark.slow
def test_run_on_real_audio_needs_no_network(shared_data, tmp_path):
    out = tmp_path / "out"
    got = _offline(["run", str(shared_data / "pyannote-sample" / "sample.wav"), "--model", "tiny.en", "--out", str(out),
                    "--no-progress"], tmp_path, "run")
    assert got["attempts"] == []
    assert got["ort_telemetry_off"] == "1"
    session = json.loads((out / "sample" / "session.json").read_text())
    assert session["utterances"], "the offline run produced no utterances"

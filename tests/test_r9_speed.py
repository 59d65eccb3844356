"""Round-9 speed benchmark options (benchmarks/analyze_speed.py): the AVX2 emulation's environment, model-free."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import analyze_speed as A  # noqa: E402


def test_avx2_env_names_only_targets_above_avx2():
    from numpy._core._multiarray_umath import __cpu_dispatch__

    env = A.avx2_env()
    disabled = env["NPY_DISABLE_CPU_FEATURES"].split()
    assert set(disabled) <= set(__cpu_dispatch__)
    assert all("512" in t or t == "X86_V4" for t in disabled)
    assert not any(t in disabled for t in ("AVX2", "FMA3", "X86_V3"))
    assert env["OPENBLAS_CORETYPE"] == "Haswell"
    assert "glibc.cpu.hwcaps=-AVX512F" in env["GLIBC_TUNABLES"]


def test_emulated_child_runs_no_avx512_code():
    """A child started with the emulation's environment dispatches nothing above AVX2 and uses Haswell BLAS kernels."""
    code = ("import json, numpy as np; from numpy._core._multiarray_umath import __cpu_features__ as f,"
            " __cpu_dispatch__ as d; from threadpoolctl import threadpool_info;"
            "print(json.dumps({'on': [k for k in d if f.get(k) and ('512' in k or k == 'X86_V4')],"
            "'blas': [x.get('architecture') for x in threadpool_info() if x.get('user_api') == 'blas']}))")
    env = dict(os.environ, **A.avx2_env())
    got = json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                    check=True).stdout)
    assert got["on"] == []
    assert all(str(a).lower() == "haswell" for a in got["blas"])


def test_child_env_and_compare_env(tmp_path):
    plain = A.child_env(tmp_path, True)
    emulated = A.child_env(tmp_path, True, emulate_avx2=True)
    assert "OPENBLAS_CORETYPE" not in plain or plain["OPENBLAS_CORETYPE"] == os.environ.get("OPENBLAS_CORETYPE")
    assert emulated["OPENBLAS_CORETYPE"] == "Haswell"
    args = argparse.Namespace(compare=None, compare_native=True, no_bytecode=False, emulate_avx2=True)
    native = A.compare_env(args, emulated, tmp_path)
    assert native is not None and native.get("NPY_DISABLE_CPU_FEATURES") == os.environ.get("NPY_DISABLE_CPU_FEATURES")
    args = argparse.Namespace(compare=str(tmp_path), compare_native=False, no_bytecode=False, emulate_avx2=True)
    other = A.compare_env(args, emulated, tmp_path)
    assert other is not None and other["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path.resolve())
    assert other["OPENBLAS_CORETYPE"] == "Haswell"  # the other build is emulated too
    none = argparse.Namespace(compare=None, compare_native=False, no_bytecode=False, emulate_avx2=True)
    assert A.compare_env(none, emulated, tmp_path) is None
    with pytest.raises(SystemExit):  # native against native says nothing
        A.compare_env(argparse.Namespace(compare=None, compare_native=True, no_bytecode=False, emulate_avx2=False),
                      plain, tmp_path)


def test_cpu_model_says_the_instruction_set():
    got = A.cpu_model()
    assert got is None or got.endswith(("(AVX-512)", "(AVX2)", "(no AVX2)"))


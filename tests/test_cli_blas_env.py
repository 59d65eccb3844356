"""The console script lets NumPy's OpenBLAS workers sleep soon after a product (``OPENBLAS_THREAD_TIMEOUT``).

The setting only counts if it is in the environment before NumPy loads OpenBLAS: importing the CLI must set it
without importing NumPy, and a value the user set is kept.
"""

from __future__ import annotations

import os
import subprocess
import sys

from sessionscope.cli import BLAS_THREAD_TIMEOUT

_PROBE = "import os, sys, sessionscope.cli; print(os.environ.get('OPENBLAS_THREAD_TIMEOUT'), 'numpy' in sys.modules)"


def _probe(**extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"} | extra
    res = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout.split()


def test_the_cli_sets_the_timeout_before_numpy_loads():
    assert _probe() == [BLAS_THREAD_TIMEOUT, "False"]


def test_a_timeout_in_the_environment_is_kept():
    assert _probe(OPENBLAS_THREAD_TIMEOUT="9") == ["9", "False"]


def test_the_timeout_is_a_valid_openblas_value():
    assert 4 <= int(BLAS_THREAD_TIMEOUT) <= 30  # OpenBLAS clamps to this range (2**N cycles)

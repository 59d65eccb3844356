"""Per-set comparison of two ``diarization_der.py`` JSON files against the round-11 acceptance rule (diar2).

    .venv/bin/python benchmarks/der_compare_r11_diar2.py BEFORE.json AFTER.json

Rule: mean DER at collar 0 and 0.25 and the right speaker count no worse on examples, libri-dev and
pyannote-ami; no worse than 0.3 point (DER) on the far-field sets (count no worse there either).
Prints one line per set and ``verdict: pass|fail``; exit status 0 on pass, 1 on fail.
"""
from __future__ import annotations

import json
import sys

STRICT = ("examples", "pyannote-ami", "libri-dev")
LOOSE = {"farfield": 0.3, "farfield2": 0.3}


def _right(s: dict) -> int:
    return int(str(s["count_right"]).split("/")[0])


def main() -> int:
    before, after = (json.load(open(p))["summary"] for p in sys.argv[1:3])
    ok = True
    for name in (*STRICT, *LOOSE):
        if name not in before or name not in after:
            continue
        b, a = before[name], after[name]
        slack = LOOSE.get(name, 0.0)
        worse = [k for k in ("run_der_c0.0", "run_der_c0.25") if a[k] > b[k] + slack + 1e-9]
        if _right(a) < _right(b):
            worse.append("count_right")
        ok &= not worse
        print(f"{name}: c0 {b['run_der_c0.0']} -> {a['run_der_c0.0']}, c0.25 {b['run_der_c0.25']} -> {a['run_der_c0.25']}, "
              f"count {b['count_right']} -> {a['count_right']}, share {b['share_err_mean']} -> {a['share_err_mean']}"
              + (f"  WORSE: {', '.join(worse)}" if worse else ""))
    print("verdict:", "pass" if ok else "fail")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

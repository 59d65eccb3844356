"""Call-like conversations against the clean version of the same conversations (round 19, issue 11).

    .venv/bin/python benchmarks/r19_calls_compare.py benchmarks/results/diarization_der_dev_r19_calls_before.json \
        --json benchmarks/results/r19_calls_compare_before.json

Reads a ``diarization_der.py --keep-text`` result over ``conv/dev_r19_calls_clean`` and the call conditions
(``call_conversations_r19_calls.py``) and reports, per condition: DER (both collars) and its parts, the count,
the talk-share errors, each beside the same files' clean figures, the files whose count changed, and how much
Whisper's words moved: the WER of the call transcript against the clean transcript of the same conversation
(Whisper's normaliser; LibriSpeech's own transcripts are not in the voices folder, so this is the change of the
words, not their error against the truth).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import english_normaliser, score  # noqa: E402

KEYS = ("run_der_c0.0", "run_der_c0.25", "run_miss_c0.25", "run_fa_c0.25", "run_conf_c0.25", "run_miss_c0.0",
        "run_fa_c0.0", "run_conf_c0.0")


def compare(rows: list[dict], clean_set: str) -> dict[str, dict]:
    norm, _ = english_normaliser()
    clean = {r["uri"]: r for r in rows if r["set"] == clean_set}
    out: dict[str, dict] = {}
    for set_name in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == set_name and r["uri"] in clean]
        if not rs:
            continue
        cs = [clean[r["uri"]] for r in rs]
        d: dict = {"files": len(rs)}
        for k in KEYS:
            d[k] = round(float(np.mean([r[k] for r in rs])), 2)
            d[f"{k}_clean"] = round(float(np.mean([c[k] for c in cs])), 2)
        d["count_right"] = f"{sum(r['ref_speakers'] == r['hyp_speakers'] for r in rs)}/{len(rs)}"
        d["count_right_clean"] = f"{sum(c['ref_speakers'] == c['hyp_speakers'] for c in cs)}/{len(cs)}"
        d["found"] = {r["uri"]: r["hyp_speakers"] for r in rs if r["hyp_speakers"] != r["ref_speakers"]}
        errs = [v for r in rs for v in r["share_err"].values()]
        cerrs = [v for c in cs for v in c["share_err"].values()]
        d["share_err_mean"], d["share_err_mean_clean"] = round(float(np.mean(errs)), 2), round(float(np.mean(cerrs)), 2)
        d["share_err_max"], d["share_err_max_clean"] = max(errs), max(cerrs)
        d["der_c0.25_per_file"] = {r["uri"]: [clean[r["uri"]]["run_der_c0.25"], r["run_der_c0.25"]] for r in rs}
        if all("text" in r for r in rs + cs) and set_name != clean_set:
            ws = [score(norm(c["text"]), norm(r["text"])) for r, c in zip(rs, cs, strict=True) if norm(c["text"])]
            n = sum(w["ref_words"] for w in ws)
            d["words_changed_vs_clean"] = round(sum(w["substitutions"] + w["deletions"] + w["insertions"] for w in ws)
                                                / max(n, 1), 4)
            d["words_clean"], d["words_call"] = n, sum(w["hyp_words"] for w in ws)
        out[set_name] = d
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("result", type=Path, help="diarization_der.py --keep-text JSON")
    ap.add_argument("--clean", default="conv/dev_r19_calls_clean")
    ap.add_argument("--clean-from", type=Path,
                    help="take the clean set's rows from this result instead (a run of the call sets alone)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    res = json.loads(args.result.read_text())
    rows = res["rows"]
    if args.clean_from:
        rows = [r for r in json.loads(args.clean_from.read_text())["rows"] if r["set"] == args.clean] + rows
    out = compare(rows, args.clean)
    print(json.dumps({k: {x: y for x, y in v.items() if x != "der_c0.25_per_file"} for k, v in out.items()}, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_calls_compare.py", *sys.argv[1:]]),
                                         "source": {"file": str(args.result), "commit": res["commit"],
                                                    "command": res["command"], "clean_from": str(args.clean_from or "")},
                                         "data": "development (conv/dev_r19_calls_*)", "conditions": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

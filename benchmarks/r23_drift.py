"""Round 23 (drift): decode again, with a punctuated prompt, only the 30 s chunks Whisper left without punctuation.

Runs at commit 3621e7f (round 23), whose results it stored: round 24 replaced ``asr.repunctuate`` (the function this
script records) by a decoding inside the batched pass; measure that code with ``benchmarks/r24_drift2.py``.

    nice -n 10 .venv/bin/python benchmarks/r23_drift.py --stages dev --json benchmarks/results/r23_drift_dev.json
    nice -n 10 .venv/bin/python benchmarks/r23_drift.py --stages noise --json benchmarks/results/r23_drift_noise.json
    nice -n 10 .venv/bin/python benchmarks/r23_drift.py --stages cpu --repeats 3 --json benchmarks/results/r23_drift_cpu.json

``asr.transcribe`` with the defaults (``base``, VAD on, batched, beam 5) and ``asr.repunctuate`` on; the call to
``asr.repunctuate`` is recorded (:func:`recorded`): the first pass's segments going in (what ``repunctuate: false``
delivers: it runs before anything else changes them, and ``recover_gap_s`` is off by default), the segments coming
out, the drift chunks found, each one's verdict, and the process time of the call.

Stages (DEVELOPMENT audio only: round 23 prompt helper's lists, ``r23_prompt.punct_files`` and ``ru_joins``; the
bundled examples reported apart, not chosen on; no held-out audio):

* ``dev``: per file words, "?" count, 8+-word segments without a sentence mark, before/after; WER against the
  reference where one exists (``asr_wer``'s normalisers; these are ``asr_wer.py``'s development clips), reference
  questions (STM rows with "?") answered by a word ending in "?" within the row's time ±1 s; whether the output is
  byte-identical to the round's ``none`` run stored in ``r23_prompt_punct.json`` / ``r23_prompt_noise.json``
  (``rujoin``); the CPU share of the second decoding.
* ``noise``: ``r20_asrgap_guard``'s noise and babble clips and ``r23_prompt``'s babble clips that reach the
  decoder (``leak_clips``): words before/after, invented words, prompt word pairs in the output.
* ``cpu``: ``--repeats`` alternating transcriptions, off and on, of the development files with a drift chunk and
  two without (process time of the whole transcription).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import ROOT, basic_norm, normaliser, score, write_result  # noqa: E402
from r23_prompt import punct_files, ref_questions, ru_joins  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


@contextmanager
def recorded() -> Iterator[list[dict[str, Any]]]:
    """Each ``asr.repunctuate`` call: segments in and out, the stretches replaced, its process time."""
    from sessionscope.audio import asr

    calls: list[dict[str, Any]] = []
    original = asr.repunctuate

    def wrapper(pipe: Any, samples: Any, segments: Any, report: Any, speech: Any, **kw: Any) -> Any:
        c0 = time.process_time()
        chunks = asr.pack_chunks([(round(a * 16000), round(b * 16000)) for a, b in speech]) if speech else []
        groups = asr.drift_groups(segments, chunks, offset_s=kw.get("offset_s", 0.0)) if chunks else {}
        t_groups = time.process_time() - c0
        c0 = time.process_time()
        out = original(pipe, samples, segments, report, speech, **kw)
        calls.append({"before": list(segments), "after": list(out[0]), "replaced": out[2],
                      "drift": [{"chunk": c, "text": " ".join(segments[i].text for i in idx),
                                 "words": sum(len(segments[i].words) for i in idx)} for c, idx in groups.items()],
                      "cpu_s": time.process_time() - c0 + t_groups})
        return out

    asr.repunctuate = wrapper  # type: ignore[assignment]
    try:
        yield calls
    finally:
        asr.repunctuate = original  # type: ignore[assignment]


def run(x: np.ndarray, on: bool = True) -> dict[str, Any]:
    from sessionscope.audio.asr import transcribe
    from sessionscope.config import AsrConfig
    from sessionscope.errors import AudioError

    c0 = time.process_time()
    with recorded() as calls:
        try:
            r = transcribe(x, config=AsrConfig(repunctuate=on))
            segs, lang = list(r.segments), r.language
        except AudioError:
            segs, lang = [], None
    call = calls[0] if calls else {"before": segs, "after": segs, "replaced": [], "drift": [], "cpu_s": 0.0}
    return {**call, "out": segs, "language": lang, "cpu_s_total": time.process_time() - c0}


def figures(segs: list[Any]) -> dict[str, Any]:
    from sessionscope.audio.asr import SENTENCE_MARK

    return {"words": sum(len(s.words) for s in segs), "questions": sum(s.text.count("?") for s in segs),
            "segments_8w_no_mark": sum(1 for s in segs if len(s.words) >= 8 and not SENTENCE_MARK.search(s.text))}


def stored_none() -> dict[str, str]:
    """The round's ``none`` texts (the code before this change) of ``r23_prompt``'s runs."""
    out: dict[str, str] = {}
    for name, stage in (("punct", "punct"), ("noise", "rujoin")):
        p = RESULTS / f"r23_prompt_{name}.json"
        if p.exists():
            d = json.loads(p.read_text(encoding="utf-8"))
            d = d.get("payload", d)
            for f, r in d.get(stage, {}).get("files", {}).items():
                if "none" in r:
                    out[f] = r["none"]["text"]
    return out


def run_dev(only: set[str]) -> dict[str, Any]:
    prior = stored_none()
    rows: dict[str, Any] = {}
    for name, x, lang, ref in [*punct_files(), *ru_joins()]:
        if only and name not in only:
            continue
        o = run(x)
        text_before = " ".join(s.text for s in o["before"]).strip()
        text_after = " ".join(s.text for s in o["out"]).strip()
        row: dict[str, Any] = {"language_ref": lang, "language": o["language"], "duration_s": round(len(x) / 16000, 2),
                               "before": figures(o["before"]), "after": figures(o["out"]),
                               "drift_chunks": o["drift"], "replaced": [[round(a, 2), round(b, 2)] for a, b in o["replaced"]],
                               "replaced_text": [" ".join(s.text for s in o["out"] if a <= (s.start + s.end) / 2 <= b)
                                                 for a, b in o["replaced"]],
                               "cpu_s_repunctuate": round(o["cpu_s"], 3), "cpu_s_total": round(o["cpu_s_total"], 2),
                               "text_before": text_before, "text_after": text_after}
        if name in prior:
            row["after_identical_to_stored_none"] = text_after == prior[name]
            row["before_identical_to_stored_none"] = text_before == prior[name]
        if ref is not None:
            norm = normaliser(lang)[0]
            text = ref if isinstance(ref, str) else " ".join(r[2] for r in ref)
            for k, segs in (("before", o["before"]), ("after", o["out"])):
                sc = score(norm(text), norm(" ".join(s.text for s in segs)))
                row[k]["wer"] = {q: sc[q] for q in ("ref_words", "wer", "substitutions", "deletions", "insertions")}
                if not isinstance(ref, str):
                    row[k].update(ref_questions(ref, segs))
        rows[name] = row
        print(name, row["before"]["words"], "->", row["after"]["words"], "drift", len(o["drift"]), "kept",
              len(o["replaced"]), row.get("after_identical_to_stored_none"), row["cpu_s_repunctuate"],
              row["cpu_s_total"], flush=True)
    return {"files": rows, "pooled": pooled(rows)}


def pooled(rows: dict[str, Any]) -> dict[str, Any]:
    groups = {"dev_en": lambda n, r: not n.startswith("examples/") and r["language_ref"] == "en",
              "dev_ru": lambda n, r: not n.startswith("examples/") and r["language_ref"] == "ru",
              "examples (not chosen on)": lambda n, r: n.startswith("examples/")}
    out: dict[str, Any] = {}
    for g, keep in groups.items():
        sel = {n: r for n, r in rows.items() if keep(n, r)}
        if not sel:
            continue
        t: dict[str, Any] = {"files": len(sel)}
        for k in ("before", "after"):
            t[k] = {q: sum(r[k][q] for r in sel.values()) for q in ("words", "questions", "segments_8w_no_mark")}
            w = [r[k]["wer"] for r in sel.values() if "wer" in r[k]]
            if w:
                t[k]["wer_errors"] = sum(x["substitutions"] + x["deletions"] + x["insertions"] for x in w)
                t[k]["wer_ref_words"] = sum(x["ref_words"] for x in w)
            q = [r[k] for r in sel.values() if "ref_question_rows" in r[k]]
            if q:
                t[k]["ref_questions_with_qmark"] = f"{sum(x['ref_questions_with_qmark'] for x in q)}/" \
                                                   f"{sum(x['ref_question_rows'] for x in q)}"
        t["drift_chunks"] = sum(len(r["drift_chunks"]) for r in sel.values())
        t["chunks_replaced"] = sum(len(r["replaced"]) for r in sel.values())
        t["files_losing_words"] = sorted(n for n, r in sel.items() if r["after"]["words"] < r["before"]["words"])
        t["files_changed"] = sorted(n for n, r in sel.items() if r["text_after"] != r["text_before"])
        t["files_without_drift_not_identical_to_stored_none"] = sorted(
            n for n, r in sel.items() if not r["drift_chunks"] and r.get("after_identical_to_stored_none") is False)
        t["files_compared_to_stored_none"] = sum(1 for r in sel.values() if "after_identical_to_stored_none" in r)
        t["cpu_s_repunctuate"] = round(sum(r["cpu_s_repunctuate"] for r in sel.values()), 2)
        t["cpu_s_total"] = round(sum(r["cpu_s_total"] for r in sel.values()), 2)
        t["cpu_share_repunctuate"] = round(t["cpu_s_repunctuate"] / max(1e-9, t["cpu_s_total"] - t["cpu_s_repunctuate"]), 4)
        out[g] = t
    return out


def run_noise() -> dict[str, Any]:
    import r20_asrgap_guard as g
    from r23_prompt import leak_clips
    from sessionscope.audio.asr import REPUNCT_PROMPTS, word_pairs

    pairs = set().union(*(word_pairs(t) for t in REPUNCT_PROMPTS.values()))
    clips = [(f"noise/{n}", x, span) for n, x, span in g.noise_clips()] + \
            [(f"babble/{n}", x, span) for n, x, span in g.babble_clips()] + \
            [(f"leak/{n}", x, None) for n, x, _ in leak_clips()]
    rows: dict[str, Any] = {}
    for name, x, span in clips:
        o = run(x)
        r: dict[str, Any] = {"language": o["language"]}
        for k, segs in (("before", o["before"]), ("after", o["out"])):
            words = [w for s in segs for w in s.words]
            inv = [w for w in words if span is not None and span[0] <= (w.start + w.end) / 2 <= span[1]] \
                if not name.startswith("leak/") else []
            text = " ".join(s.text for s in segs)
            normed = basic_norm(text).split()
            r[k] = {"words": len(words), "invented_in_span": len(inv) if span is not None or name.startswith("noise/")
                    else None, "prompt_word_pairs": sorted({" ".join(p) for p in zip(normed, normed[1:], strict=False)
                                                           if p in pairs}), "text": text}
        r["drift_chunks"] = o["drift"]
        r["replaced"] = o["replaced"]
        rows[name] = r
        print(name, r["before"]["words"], "->", r["after"]["words"], "drift", len(o["drift"]), "kept", len(o["replaced"]),
              r["after"]["prompt_word_pairs"], flush=True)
    return {"clips": rows,
            "clips_changed": sorted(n for n, r in rows.items() if r["before"]["text"] != r["after"]["text"]),
            "clips_with_new_prompt_pairs": sorted(n for n, r in rows.items()
                                                  if set(r["after"]["prompt_word_pairs"]) - set(r["before"]["prompt_word_pairs"])),
            "words": {k: sum(r[k]["words"] for r in rows.values()) for k in ("before", "after")}}


def run_cpu(repeats: int, names: list[str]) -> dict[str, Any]:
    files = [f for f in [*punct_files(), *ru_joins()] if f[0] in names]
    rows: dict[str, Any] = {}
    for name, x, _lang, _ in files:
        rows[name] = {"off": [], "on": []}
        for _ in range(repeats):
            for k in ("off", "on"):  # alternating: the machine's load falls on both alike
                rows[name][k].append(round(run(x, on=(k == "on"))["cpu_s_total"], 2))
        print(name, rows[name], flush=True)
    med = {k: round(sum(float(np.median(r[k])) for r in rows.values()), 2) for k in ("off", "on")}
    return {"files": rows, "sum_of_medians_cpu_s": med, "change": round(med["on"] / med["off"] - 1, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stages", default="dev")
    ap.add_argument("--only", default="")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cpu-files", default="dev_r19/dev00,ru-join-r21,dev_r19/dev02,pyannote-sample")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.asr import DRIFT_MIN_WORDS, REPUNCT_PROMPTS

    payload: dict[str, Any] = {"prompts": REPUNCT_PROMPTS, "drift_min_words": DRIFT_MIN_WORDS}
    if "dev" in args.stages:
        payload["dev"] = run_dev({s for s in args.only.split(",") if s})
    if "noise" in args.stages:
        payload["noise"] = run_noise()
    if "cpu" in args.stages:
        payload["cpu"] = run_cpu(args.repeats, args.cpu_files.split(","))
    if args.json:
        write_result(args.json, "r23_drift.py", "DEVELOPMENT audio only (shared/data development clips, .cache/conv "
                     "dev_r19 / farfield / farfield2, generated noise and babble, r21's Russian join and r23's Russian "
                     "joins) plus the bundled examples (reported apart, not chosen on); no held-out audio", payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 25 (redecode, issue 11): what a refused re-decode of a drift chunk costs, and a length cap on it.

    nice -n 10 .venv/bin/python benchmarks/r25_redecode.py --stage capture --json benchmarks/results/r25_redecode_capture.json
    nice -n 10 .venv/bin/python benchmarks/r25_redecode.py --stage replay --json benchmarks/results/r25_redecode_replay.json
    nice -n 10 .venv/bin/python benchmarks/r25_redecode.py --stage inpass --json benchmarks/results/r25_redecode_inpass.json
    nice -n 10 .venv/bin/python benchmarks/r25_redecode.py --stage speed --json benchmarks/results/r25_redecode_speed.json

``capture``: every development file of round 24's ``drift2`` list (``r24_drift2.file_sets``: round 23's list without
the examples, the simulated calls, ``.cache/conv/dev``, the two real-talk joins; byte-identical WAVs left out) is
transcribed with the defaults (``base``, ``asr.repunctuate`` on). Each batch's ``asr.redecode_drift`` with a drift
chunk is intercepted: its drift chunks' encoder rows, first-pass tokens and the decoding options are saved under
``--cache`` (for the ``replay`` stage), and the step runs as the round started (no length cap) with its process
time; per file the delivered text and the transcription's process time.

``replay``: model-only, on the saved chunks. Per drift chunk, the second decoding is run again from the saved encoder
rows: as shipped at the round's start (``max_length`` 448), with ``num_hypotheses`` = beam to see how many steps
the beam search ran (its longest finished hypothesis), with one step only (the fixed cost of a decoding), and with
the length cap of :func:`sessionscope.audio.asr.redecode_max_length`; tokens, verdicts, process times.

``inpass``: the files where ``capture`` found a drift chunk, transcribed again; in each batch with a drift chunk
the step runs twice on the same first pass, without the cap and with it (alternating order per file), and the capped
one goes on: per chunk tokens and verdict of both, process time of both, and the delivered text of the file (to
compare with ``capture``'s).

``speed``: ``benchmarks/speed_run.py --minutes 5``'s recording (report speakers: a SPEED file), transcribed with the
step run without and with the cap, as ``inpass`` does, for the process time only (``r24_lead_speed_drift.py``);
its texts are not stored.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import ROOT, write_result  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CACHE = Path(tempfile.gettempdir()) / "r25_redecode_capture"
SETS = "r23,calls,conv_dev,realjoin"
SPLIT = ("DEVELOPMENT audio only (round 24 drift2's list: round 23's list without the examples, .cache/conv dev_r19 / "
         "farfield / farfield2 / dev / dev_r19_calls_{laptop,opus24,phone,zoom}, Russian samples and joins, joins of "
         "the pyannote AMI development excerpts and pyannote-sample; byte-identical WAVs left out); no held-out audio "
         "(no ami-audio-excerpts, no report conversations), no examples. Stage speed: the speed recording (report "
         "speakers), process time only, no text stored")


def dev_files() -> list[tuple[str, Any]]:
    from r24_drift2 import duplicates, file_sets

    files = file_sets(SETS.split(","))
    dup = duplicates([f[0] for _, f in files])
    return [(s, f) for s, f in files if f[0] not in dup]


def cpu() -> float:
    return time.process_time()


@contextmanager
def intercepted(mode: str, flip: int, capture_to: Optional[Path] = None) -> Iterator[list[dict[str, Any]]]:
    """Each batch's ``asr.redecode_drift`` with a drift chunk: ``mode`` "before" runs it without the length cap;
    "both" runs it without and with the cap on the same first pass (order by ``flip``), the capped one going on.
    With ``capture_to``, the drift chunks' encoder rows, tokens and options are pickled there (one file per batch)."""
    from sessionscope.audio import asr

    calls: list[dict[str, Any]] = []
    original = asr.redecode_drift

    def wrapper(model: Any, encoder_output: Any, features: Any, output: Any, tokenizer: Any, options: Any, *,
                kept: set[tuple[int, ...]], beam_size: Any = None, length_cap: bool = True) -> Any:
        texts = [tokenizer.decode(o["tokens"]) for o in output]
        idx = [i for i, t in enumerate(texts) if asr.is_drift(t)]
        prompt = asr.REPUNCT_PROMPTS.get(tokenizer.language_code)
        if not idx or prompt is None or options.multilingual:
            return original(model, encoder_output, features, output, tokenizer, options, kept=kept, beam_size=beam_size)
        rec: dict[str, Any] = {"chunks_in_batch": len(output), "drift_rows": idx,
                               "first_tokens": [len(output[i]["tokens"]) for i in idx], "variants": {}}
        if capture_to is not None:
            capture_to.mkdir(parents=True, exist_ok=True)
            path = capture_to / f"batch{len(list(capture_to.glob('batch*.pkl'))):03d}.pkl"
            with path.open("wb") as fh:
                pickle.dump({"encoded": np.asarray(encoder_output)[idx], "first": [list(output[i]["tokens"])
                                                                                  for i in idx],
                             "language": tokenizer.language_code, "options": options}, fh)
            rec["capture"] = str(path)
        variants = ["before"] if mode == "before" else (["before", "after"] if flip == 0 else ["after", "before"])
        final = output
        for v in variants:
            got: list[Any] = []

            def generate(*a: Any, got: list[Any] = got, **kw: Any) -> Any:
                res = model.model.generate(*a, **kw)
                got.append(kw["max_length"])
                got.extend(res)
                return res

            proxy = SimpleNamespace(model=SimpleNamespace(generate=generate), get_prompt=model.get_prompt,
                                    max_length=model.max_length, encode=model.encode)
            mine: set[tuple[int, ...]] = set()
            c0 = cpu()
            out = original(proxy, encoder_output, features, output, tokenizer, options, kept=mine,
                           beam_size=beam_size, **({} if v == "after" else {"length_cap": False}))
            spent = cpu() - c0
            seqs = [r.sequences_ids[0] for r in got[1:]]
            rec["variants"][v] = {
                "cpu_s": round(spent, 3), "max_length": got[0], "second_tokens": [len(q) for q in seqs],
                "kept": [out[i] is not output[i] for i in idx],
                "verdicts": [asr.accept_redecode(texts[i], tokenizer.decode(q), prompt) or "kept"
                             for i, q in zip(idx, seqs, strict=True)],
                "tokens_out": [list(out[i]["tokens"]) for i in idx], "second": [list(q) for q in seqs]}
            if v == "after" or mode == "before":  # the capped one goes on ("both")
                final = out
                kept.update(mine)
        calls.append(rec)
        return final

    asr.redecode_drift = wrapper  # type: ignore[assignment]
    try:
        yield calls
    finally:
        asr.redecode_drift = original  # type: ignore[assignment]


def transcribe(x: np.ndarray, mode: str, flip: int, capture_to: Optional[Path] = None,
               model: str = "base") -> dict[str, Any]:
    from r24_drift2 import config_for
    from sessionscope.audio import asr
    from sessionscope.errors import AudioError

    c0 = cpu()
    text, lang = "", None
    with intercepted(mode, flip, capture_to) as calls:
        try:
            r = asr.transcribe(x, config=config_for(model))
            text, lang = " ".join(s.text for s in r.segments).strip(), r.language
        except AudioError:
            pass
    total = cpu() - c0
    step = {v: round(sum(c["variants"][v]["cpu_s"] for c in calls if v in c["variants"]), 3)
            for v in ("before", "after")}
    return {"language": lang, "text": text, "batches_with_drift": calls, "cpu_s_step": step,
            "cpu_s_first_pass": round(total - sum(step.values()), 3)}


def stage_capture(out: Optional[Path], cache: Path, only: set[str], model: str) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for i, (s, (name, x, lang, _ref)) in enumerate(dev_files()):
        if (only and name not in only) or (model.endswith(".en") and lang != "en"):
            continue
        o = transcribe(x, "before", i % 2, cache / name.replace("/", "__"), model)
        rows[name] = {"set": s, "duration_s": round(len(x) / 16000, 2), **o}
        print(name, len(o["text"].split()), "drift batches", len(o["batches_with_drift"]), o["cpu_s_step"],
              o["cpu_s_first_pass"], flush=True)
        if out is not None:
            write_result(out, "r25_redecode.py", SPLIT, {"model": model, "files": rows})
    return {"model": model, "files": rows}


def stage_inpass(capture: Path, out: Optional[Path], only: set[str]) -> dict[str, Any]:
    captured = json.loads(capture.read_text(encoding="utf-8"))
    before, model = captured["files"], captured.get("model", "base")
    names = {n for n, r in before.items() if r["batches_with_drift"]}
    rows: dict[str, Any] = {}
    for i, (s, (name, x, _lang, _ref)) in enumerate(dev_files()):
        if name not in names or (only and name not in only):
            continue
        o = transcribe(x, "both", i % 2, model=model)
        same = [c["variants"]["before"]["tokens_out"] == c["variants"]["after"]["tokens_out"]
                and c["variants"]["before"]["second"] == c["variants"]["after"]["second"]
                for c in o["batches_with_drift"]]
        rows[name] = {"set": s, "duration_s": round(len(x) / 16000, 2), **o, "same_tokens_per_batch": same,
                      "text_same_as_capture": o["text"] == before[name]["text"]}
        print(name, o["cpu_s_step"], o["cpu_s_first_pass"], same, rows[name]["text_same_as_capture"], flush=True)
        if out is not None:
            write_result(out, "r25_redecode.py", SPLIT, {"model": model, "files": rows})
    return {"model": model, "files": rows}


def reason(why: str) -> str:
    """A verdict without the speed recording's words (its kind and counts only)."""
    if not why or why.startswith(("words", "still")):
        return why or "kept"
    return why.split(" ")[0]


def stage_speed(out: Optional[Path], rounds: int) -> dict[str, Any]:
    import speed_run
    from sessionscope.audio.decode import load_audio

    wav = Path(tempfile.mkdtemp()) / "speed5.wav"
    source = speed_run.build(5, wav)
    x = load_audio(str(wav)).mono
    runs = []
    for k in range(rounds):
        o = transcribe(x, "both", k % 2)
        runs.append({"cpu_s_step": o["cpu_s_step"], "cpu_s_first_pass": o["cpu_s_first_pass"],
                     "batches_with_drift": [
                         {"chunks_in_batch": c["chunks_in_batch"], "first_tokens": c["first_tokens"],
                          **{v: {"cpu_s": d["cpu_s"], "max_length": d["max_length"], "kept": d["kept"],
                                 "verdicts": [reason(w) for w in d["verdicts"]], "second_tokens": d["second_tokens"]}
                             for v, d in c["variants"].items()},
                          "same_tokens": c["variants"]["before"]["tokens_out"] == c["variants"]["after"]["tokens_out"]
                          and c["variants"]["before"]["second"] == c["variants"]["after"]["second"]}
                         for c in o["batches_with_drift"]]})
        print(json.dumps(runs[-1]), flush=True)
    return {"source": source, "note": "speed recording: process time and token counts only, no text", "runs": runs}


def generate(model: Any, encoded: np.ndarray, prompt_tokens: list[int], options: Any, max_length: int,
             num_hypotheses: int = 1) -> tuple[list[Any], float]:
    import ctranslate2

    sv = ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded))
    c0 = cpu()
    res = model.model.generate(
        sv, [list(prompt_tokens) for _ in range(len(encoded))], beam_size=options.beam_size,
        patience=options.patience, num_hypotheses=num_hypotheses, length_penalty=options.length_penalty,
        max_length=max_length, suppress_blank=options.suppress_blank, suppress_tokens=options.suppress_tokens,
        return_scores=True, return_no_speech_prob=True, sampling_temperature=options.temperatures[0],
        repetition_penalty=options.repetition_penalty, no_repeat_ngram_size=options.no_repeat_ngram_size)
    return res, cpu() - c0


def stage_replay(capture: Path, out: Optional[Path], loops: bool) -> dict[str, Any]:
    from faster_whisper.tokenizer import Tokenizer

    from r24_drift2 import config_for
    from sessionscope.audio import asr

    captured = json.loads(capture.read_text(encoding="utf-8"))
    model = asr.get_model(config_for(captured.get("model", "base")))
    files = captured["files"]
    rows = []
    for name, r in files.items():
        for b in r["batches_with_drift"]:
            with open(b["capture"], "rb") as fh:
                cap = pickle.load(fh)
            tok = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=cap["language"])
            prompt = asr.REPUNCT_PROMPTS[cap["language"]]
            opts = cap["options"]
            ptoks = model.get_prompt(tok, previous_tokens=tok.encode(" " + prompt),
                                     without_timestamps=opts.without_timestamps, hotwords=opts.hotwords)
            for k, first in enumerate(cap["first"]):
                enc = cap["encoded"][k:k + 1]
                old = tok.decode(first)
                full, t_full = generate(model, enc, ptoks, opts, model.max_length)
                hyps, _ = generate(model, enc, ptoks, opts, model.max_length, num_hypotheses=opts.beam_size)
                _, t_one = generate(model, enc, ptoks, opts, len(ptoks) + 1)
                room = asr.redecode_room(len(first))
                cap_len = asr.redecode_max_length(room, len(ptoks), model.max_length)
                capped, t_cap = generate(model, enc, ptoks, opts, cap_len, num_hypotheses=opts.beam_size)
                seq, cseq = full[0].sequences_ids[0], capped[0].sequences_ids[0]
                longest = max(len(h) for h in capped[0].sequences_ids)
                why = asr.accept_redecode(old, tok.decode(seq), prompt)
                cwhy = "ran to the length cap" if longest >= min(room, asr.generated_room(cap_len, len(ptoks))) \
                    else asr.accept_redecode(old, tok.decode(cseq), prompt)
                row = {"file": name, "language": cap["language"], "prompt_tokens": len(ptoks),
                       "first_tokens": len(first), "second_tokens": len(seq),
                       "ratio": round(len(seq) / len(first), 3),
                       "hypothesis_tokens": [len(h) for h in hyps[0].sequences_ids],
                       "top_hypothesis_same": hyps[0].sequences_ids[0] == seq,
                       "ran_to_max_length": len(seq) >= asr.generated_room(model.max_length, len(ptoks)),
                       "verdict": why or "kept", "cpu_s": round(t_full, 3), "cpu_s_one_step": round(t_one, 3),
                       "room": room, "cap_max_length": cap_len, "capped_tokens": len(cseq),
                       "capped_longest_hypothesis": longest, "capped_same": cseq == seq,
                       "capped_verdict": cwhy or "kept", "cpu_s_capped": round(t_cap, 3)}
                if loops:  # the worst case: a decoding that never ends (end of text suppressed), without and with the cap
                    nostop = replace(opts, suppress_tokens=[*opts.suppress_tokens, tok.eot])
                    lfull, lt = generate(model, enc, ptoks, nostop, model.max_length)
                    lcap, lct = generate(model, enc, ptoks, nostop, cap_len)
                    row["no_end"] = {"tokens": len(lfull[0].sequences_ids[0]), "cpu_s": round(lt, 3),
                                     "capped_tokens": len(lcap[0].sequences_ids[0]), "cpu_s_capped": round(lct, 3)}
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "hypothesis_tokens"}), flush=True)
    payload = {"capture": str(capture), "chunks": rows}
    if out is not None:
        write_result(out, "r25_redecode.py", SPLIT, payload)
    return payload


def stage_summary() -> dict[str, Any]:
    """The figures of the other stages' JSONs, per model: drift chunks, decisions and texts before vs after, CPU."""
    out: dict[str, Any] = {}
    for tag in ("", "_tiny"):
        cap = json.loads((RESULTS / f"r25_redecode_capture{tag}.json").read_text(encoding="utf-8"))
        rep = json.loads((RESULTS / f"r25_redecode_replay{tag}.json").read_text(encoding="utf-8"))["chunks"]
        inp = json.loads((RESULTS / f"r25_redecode_inpass{tag}.json").read_text(encoding="utf-8"))["files"]
        files = cap["files"]
        drift = sorted(n for n, r in files.items() if r["batches_with_drift"])
        first = sum(r["cpu_s_first_pass"] for r in files.values())
        step_cap = sum(r["cpu_s_step"]["before"] for r in files.values())
        variants = {v: [c["variants"][v] for r in inp.values() for c in r["batches_with_drift"]]
                    for v in ("before", "after")}
        step = {v: round(sum(d["cpu_s"] for d in ds), 3) for v, ds in variants.items()}
        first_drift = sum(inp[n]["cpu_s_first_pass"] for n in inp)
        out[cap.get("model", "base")] = {
            "files": len(files), "audio_s": round(sum(r["duration_s"] for r in files.values()), 1),
            "files_with_drift": len(drift), "drift_chunks": len(rep),
            "kept_before": sum(c["verdict"] == "kept" for c in rep),
            "kept_after_replay": sum(c["capped_verdict"] == "kept" for c in rep),
            "replay_decisions_identical": sum((c["verdict"] == "kept") == (c["capped_verdict"] == "kept") for c in rep),
            "replay_tokens_identical": sum(c["capped_same"] for c in rep),
            "inpass_batches": len(variants["before"]),
            "inpass_batches_outputs_identical": sum(b["tokens_out"] == a["tokens_out"] and b["kept"] == a["kept"]
                                                    for b, a in zip(variants["before"], variants["after"],
                                                                    strict=True)),
            "inpass_batches_second_decodings_identical": sum(
                b["second"] == a["second"] for b, a in zip(variants["before"], variants["after"], strict=True)),
            "inpass_texts_same_as_capture": sum(r["text_same_as_capture"] for r in inp.values()),
            "inpass_files": len(inp),
            "refused_chunks": [{k: c[k] for k in ("file", "first_tokens", "second_tokens", "hypothesis_tokens",
                                                  "verdict", "cpu_s", "cpu_s_one_step", "capped_verdict",
                                                  "cpu_s_capped")} for c in rep if c["verdict"] != "kept"],
            "cpu_s_refused_replay": {"before": round(sum(c["cpu_s"] for c in rep if c["verdict"] != "kept"), 3),
                                     "after": round(sum(c["cpu_s_capped"] for c in rep if c["verdict"] != "kept"), 3)},
            "cpu_s_kept_replay": round(sum(c["cpu_s"] for c in rep if c["verdict"] == "kept"), 3),
            "capture_cpu_s": {"first_pass_all_files": round(first, 2), "step_all_files": round(step_cap, 2)},
            "inpass_cpu_s_drift_files": {"first_pass": round(first_drift, 2), "step": step,
                                         "transcription_before": round(first_drift + step["before"], 2),
                                         "transcription_after": round(first_drift + step["after"], 2)},
            "no_end_worst_case": [{"file": c["file"], "first_tokens": c["first_tokens"], **c["no_end"]}
                                  for c in rep if "no_end" in c]}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stage", default="capture", choices=("capture", "replay", "inpass", "speed", "summary"))
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--capture", type=Path, default=RESULTS / "r25_redecode_capture.json")
    ap.add_argument("--only", default="")
    ap.add_argument("--loops", action="store_true", help="stage replay: also time a decoding whose end is suppressed")
    ap.add_argument("--model", default="base", choices=("base", "tiny.en"), help="stage capture")
    ap.add_argument("--rounds", type=int, default=2, help="stage speed: transcriptions (alternating order)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    only = {s for s in args.only.split(",") if s}
    if args.stage == "capture":
        payload = stage_capture(args.json, args.cache, only, args.model)
    elif args.stage == "replay":
        payload = stage_replay(args.capture, args.json, args.loops)
    elif args.stage == "inpass":
        payload = stage_inpass(args.capture, args.json, only)
    elif args.stage == "speed":
        payload = stage_speed(args.json, args.rounds)
    else:
        payload = stage_summary()
    if args.json:
        write_result(args.json, "r25_redecode.py", SPLIT, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

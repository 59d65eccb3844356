"""Round 24 (drift2): can ``asr.repunctuate`` (round 23, opt-in) be on by default?

    nice -n 10 .venv/bin/python benchmarks/r24_drift2.py --stages dev --json benchmarks/results/r24_drift2_base.json
    nice -n 10 .venv/bin/python benchmarks/r24_drift2.py --stages dev --model tiny.en \\
        --json benchmarks/results/r24_drift2_tiny.json
    nice -n 10 .venv/bin/python benchmarks/r24_drift2.py --stages noise --json benchmarks/results/r24_drift2_noise.json
    .venv/bin/python benchmarks/r24_drift2.py --stages rules --json benchmarks/results/r24_drift2_rules.json

(The runs were made in parts: ``--sets realjoin,r23,calls,conv_dev`` -> ``r24_drift2_base.json``, ``--sets
conv_dev,calls_phone,calls_zoom`` -> ``r24_drift2_base2.json``, ``--sets realjoin,r23 --model tiny.en`` ->
``r24_drift2_tiny.json``, ``--sets calls_laptop,calls_opus24,calls_phone,calls_zoom,conv_dev --model tiny.en`` ->
``r24_drift2_tiny2.json``; ``rules`` reads every ``r24_drift2_{base,tiny,noise}*.json``. ``r24_drift2_r23mech.json``
came from this script's first version, which timed round 23's re-encoding ``asr.repunctuate`` at beam 5 and 1 on 18
files: that code is gone, the file is kept for the record and for its first-pass texts.)

``asr.transcribe`` with ``asr.repunctuate`` on. The call to ``asr.repunctuate`` is intercepted: the first pass's
segments going in (what the default delivers), the drift chunks, and the step run twice on them, with the second
decoding at beam 5 (round 23) and at beam 1 (greedy), in alternating order per file; per variant its process time
and, per drift chunk, the second decoding's words with their times (recorded from ``asr.accept_redecode``). The
acceptance rules are then evaluated from the stored words, model-free (stage ``rules``): round 23's (at least as
many words less one), strict (no word fewer) and round 24's merge rule (``asr.merged_words``: a word fewer only where
the second decoding wrote two first-pass words as one).

Files (DEVELOPMENT audio only; no held-out audio: not ``ami-audio-excerpts``, which ``diarization_der.py`` keeps
as the held-out ``ami`` set, not ``.cache/conv/report``, not the examples):

* ``r23``: round 23's development list (``r23_prompt.punct_files`` without the examples, and ``ru_joins``);
* ``calls``: the simulated development calls ``.cache/conv/dev_r19_calls_{clean,laptop,opus24,phone,zoom}``
  (``calls_phone``: one condition; ``clean`` is byte-identical to ``dev_r19``, as is ``dev_r19_minrun``, which is not
  read: the ``rules`` stage leaves byte-identical files out, :func:`duplicates`);
* ``conv_dev``: ``.cache/conv/dev`` (libri-dev conversations);
* ``realjoin``: real talk made longer: the four pyannote AMI development excerpts and pyannote-sample end to end,
  in two orders (2.5 min each), so that 30 s chunks straddle the clips at new places.

``noise``: round 23's noise and babble clips (``r20_asrgap_guard`` and ``r23_prompt.leak_clips``) with both beams:
words, invented words inside the noise or babble stretch, prompt word pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import DATA, ROOT, write_result  # noqa: E402
from r23_prompt import File, join, punct_files, ru_joins  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
BEAMS = (5, 1)


@contextmanager
def recorded(apply_beam: int, flip: int) -> Iterator[list[dict[str, Any]]]:
    """Each batch's ``asr.redecode_drift`` with a drift chunk, run once per beam of :data:`BEAMS` (in alternating
    order per file) on the same first pass; the variant of ``apply_beam`` goes on into the output."""
    from sessionscope.audio import asr

    calls: list[dict[str, Any]] = []
    original, accept = asr.redecode_drift, asr.accept_redecode
    verdicts: list[dict[str, Any]] = []

    def accept_rec(old: str, new: str, prompt: str) -> str:
        why = accept(old, new, prompt)
        verdicts.append({"old_text": old.strip(), "new_text": new.strip(), "verdict": why})
        return why

    def wrapper(model: Any, encoder_output: Any, features: Any, output: Any, tokenizer: Any, options: Any, *,
                kept: set[tuple[int, ...]], beam_size: Any = None) -> Any:
        texts = [tokenizer.decode(o["tokens"]) for o in output]
        if not any(asr.is_drift(t) for t in texts):
            return original(model, encoder_output, features, output, tokenizer, options, kept=kept, beam_size=beam_size)
        rec: dict[str, Any] = {"chunks_in_batch": len(output), "variants": {}}
        final = output
        for b in (BEAMS if flip == 0 else BEAMS[::-1]):
            verdicts.clear()
            mine: set[tuple[int, ...]] = set()
            c0 = time.process_time()
            out = original(model, encoder_output, features, output, tokenizer, options, kept=mine, beam_size=b)
            rec["variants"][f"beam{b}"] = {"cpu_s": round(time.process_time() - c0, 3), "chunks": list(verdicts)}
            if b == apply_beam:
                final = out
                kept.update(mine)
        calls.append(rec)
        return final

    asr.redecode_drift, asr.accept_redecode = wrapper, accept_rec  # type: ignore[assignment]
    try:
        yield calls
    finally:
        asr.redecode_drift, asr.accept_redecode = original, accept  # type: ignore[assignment]


def run(x: np.ndarray, cfg: Any, flip: int, apply_beam: int = 5) -> dict[str, Any]:
    from sessionscope.audio import asr
    from sessionscope.errors import AudioError

    c0 = time.process_time()
    segs: list[Any] = []
    lang: Optional[str] = None
    with recorded(apply_beam, flip) as calls:
        try:
            r = asr.transcribe(x, config=cfg)
            segs, lang = list(r.segments), r.language
        except AudioError:
            pass
    total = time.process_time() - c0
    step = {b: round(sum(c["variants"][f"beam{b}"]["cpu_s"] for c in calls), 3) for b in BEAMS}
    return {"segments": segs, "language": lang, "batches_with_drift": calls, "cpu_s_step": step,
            "cpu_s_first_pass": round(total - sum(step.values()), 3)}


def real_joins() -> list[File]:
    from sessionscope.audio.decode import load_audio

    mono = lambda p: load_audio(p).mono.astype(np.float32)  # noqa: E731
    parts = [mono(w) for w in sorted((DATA / "pyannote-ami-excerpts").glob("*.wav"))]
    parts.append(mono(DATA / "pyannote-sample/sample.wav"))
    return [("realjoin/ami4+sample", join(parts), "en", None),
            ("realjoin/sample+ami4_reversed", join(parts[::-1]), "en", None)]


def conv_files(folders: list[str]) -> list[File]:
    from sessionscope.audio.decode import load_audio

    return [(f"{f}/{w.stem}", load_audio(w).mono.astype(np.float32), "en", None)
            for f in folders for w in sorted((ROOT / ".cache/conv" / f).glob("*.wav"))]


def file_sets(sets: list[str]) -> list[tuple[str, File]]:
    out: list[tuple[str, File]] = []
    for s in sets:
        if s == "r23":
            out += [(s, f) for f in [*punct_files(), *ru_joins()] if not f[0].startswith("examples/")]
        elif s.startswith("calls"):  # calls: all five conditions; calls_phone: one
            conds = [s.split("_", 1)[1]] if "_" in s else ["clean", "laptop", "opus24", "phone", "zoom"]
            out += [("calls", f) for f in conv_files([f"dev_r19_calls_{c}" for c in conds])]
        elif s == "conv_dev":
            out += [(s, f) for f in conv_files(["dev"])]
        elif s == "realjoin":
            out += [(s, f) for f in real_joins()]
        else:
            raise SystemExit(f"unknown set {s}")
    return out


def config_for(model: str) -> Any:
    from sessionscope.config import AsrConfig, load_config

    if model == "tiny.en":
        return load_config(ROOT / "benchmarks" / "configs" / "tiny_en.yaml").asr.model_copy(update={"repunctuate": True})
    return AsrConfig(model=model, repunctuate=True)


def row_of(s: str, lang: str, x: np.ndarray, o: dict[str, Any]) -> dict[str, Any]:
    segs = o["segments"]
    return {"set": s, "language_ref": lang, "language": o["language"], "duration_s": round(len(x) / 16000, 2),
            "words_out": sum(len(g.words) for g in segs), "questions_out": sum(g.text.count("?") for g in segs),
            "repunctuated_segments": sum(1 for g in segs if "repunctuated" in g.flags),
            "text_out": " ".join(g.text for g in segs).strip(), "batches_with_drift": o["batches_with_drift"],
            "cpu_s_step": o["cpu_s_step"], "cpu_s_first_pass": o["cpu_s_first_pass"]}


def run_dev(sets: list[str], model: str, out: Optional[Path], only: set[str], apply_beam: int) -> dict[str, Any]:
    cfg = config_for(model)
    rows: dict[str, Any] = {}
    for i, (s, (name, x, lang, _ref)) in enumerate(file_sets(sets)):
        if (only and name not in only) or (model.endswith(".en") and lang != "en"):
            continue
        o = run(x, cfg, flip=i % 2, apply_beam=apply_beam)
        rows[name] = row_of(s, lang, x, o)
        print(name, rows[name]["words_out"], "drift", sum(len(c["variants"]["beam5"]["chunks"])
                                                          for c in o["batches_with_drift"]),
              o["cpu_s_step"], o["cpu_s_first_pass"], flush=True)
        if out is not None:  # after every file: a partial run keeps what it did
            write_result(out, "r24_drift2.py", SPLIT, {"model": model, "apply_beam": apply_beam, "files": rows})
    return {"model": model, "apply_beam": apply_beam, "files": rows}


def run_noise(out: Optional[Path]) -> dict[str, Any]:
    import r20_asrgap_guard as g
    from r23_prompt import leak_clips
    from sessionscope.audio.asr import REPUNCT_PROMPTS, word_pairs

    pairs = set().union(*(word_pairs(t) for t in REPUNCT_PROMPTS.values()))
    clips = [(f"noise/{n}", x, span) for n, x, span in g.noise_clips()] + \
            [(f"babble/{n}", x, span) for n, x, span in g.babble_clips()] + \
            [(f"leak/{n}", x, None) for n, x, _ in leak_clips()]
    cfg = config_for("base")
    rows: dict[str, Any] = {}
    for i, (name, x, span) in enumerate(clips):
        o = run(x, cfg, flip=i % 2)
        words = [w for s in o["segments"] for w in s.words]
        for c in o["batches_with_drift"]:
            for v in c["variants"].values():
                for ch in v["chunks"]:
                    ch["new_prompt_word_pairs"] = sorted(" ".join(p) for p in (word_pairs(ch["new_text"]) & pairs)
                                                         - word_pairs(ch["old_text"]))
        rows[name] = {"language": o["language"], "span": span, "words_out": len(words),
                      "words_out_in_span": None if span is None else sum(
                          1 for w in words if span[0] <= (w.start + w.end) / 2 <= span[1]),
                      "repunctuated_words_in_span": None if span is None else sum(
                          len([w for w in s.words if span[0] <= (w.start + w.end) / 2 <= span[1]])
                          for s in o["segments"] if "repunctuated" in s.flags),
                      "text_out": " ".join(s.text for s in o["segments"]),
                      "batches_with_drift": o["batches_with_drift"], "cpu_s_step": o["cpu_s_step"],
                      "cpu_s_first_pass": o["cpu_s_first_pass"]}
        print(name, len(words), "drift batches", len(o["batches_with_drift"]), flush=True)
        if out is not None:
            write_result(out, "r24_drift2.py", SPLIT, {"files": rows})
    return {"files": rows}


def stored_first_pass() -> dict[str, str]:
    """Texts of the code before this round: round 23's ``none`` runs (``r23_prompt_punct.json``,
    ``r23_prompt_noise.json``), its noise stage's first passes (``r23_drift_noise.json``) and this round's first run
    with the round-23 mechanism (``r24_drift2_r23mech.json``, its first-pass texts)."""
    out: dict[str, str] = {}
    for name, stage in (("r23_prompt_punct", "punct"), ("r23_prompt_noise", "rujoin")):
        p = RESULTS / f"{name}.json"
        if p.exists():
            for f, r in json.loads(p.read_text(encoding="utf-8")).get(stage, {}).get("files", {}).items():
                if "none" in r:
                    out[f] = r["none"]["text"]
    p = RESULTS / "r23_drift_noise.json"  # round 23's noise stage: the first pass of each clip
    if p.exists():
        for f, r in json.loads(p.read_text(encoding="utf-8"))["noise"]["clips"].items():
            out.setdefault(f, r["before"]["text"])
    p = RESULTS / "r24_drift2_r23mech.json"
    if p.exists():
        for f, r in json.loads(p.read_text(encoding="utf-8"))["files"].items():
            out.setdefault(f, r["text_before"])
    return out


#: the word conditions compared (the sentence-mark and prompt conditions are the same for all)
RULES = ("r23: words >= n-1", "strict: words >= n", "r24 merge: words >= n - merges")


def language_of(text: str) -> str:
    return "ru" if any("а" <= ch <= "я" for ch in text.lower()) else "en"


def verdict(rule: str, old: str, new: str) -> str:
    """Why ``new`` is not kept instead of ``old`` under ``rule``'s word condition ("" when kept)."""
    from sessionscope.audio.asr import (
        REPUNCT_PROMPTS,
        SENTENCE_MARK,
        accept_redecode,
        delivered_text,
        merged_words,
        norm_words,
        repeated_sentences,
        word_pairs,
    )

    o, n = norm_words(delivered_text(old)), norm_words(delivered_text(new))
    prompt = REPUNCT_PROMPTS[language_of(old + new)]
    ok = {RULES[0]: len(n) >= len(o) - 1, RULES[1]: len(n) >= len(o),
          RULES[2]: len(n) >= len(o) or len(o) - len(n) <= merged_words(o, n)}[rule]
    why = "" if ok else f"words {len(o)} -> {len(n)}"
    if ok and not SENTENCE_MARK.search(new):
        why = "still no sentence mark"
    elif ok and (word_pairs(new) & word_pairs(prompt)) - word_pairs(old):
        why = "prompt words"
    elif ok and any(sum(tuple(norm_words(old)[i:i + len(w)]) == w for i in range(len(norm_words(old)))) < 2
                    for w in repeated_sentences(new)):
        why = "repeats a sentence"
    if rule == RULES[2]:
        assert (why == "") == (accept_redecode(old, new, prompt) == ""), (old, new)
    return why


def chunk_rows(files: dict[str, Any]) -> list[dict[str, Any]]:
    """Every drift chunk of ``files`` with each beam's second decoding and each rule's verdict. A chunk recorded by a
    run before the loop collapse (:func:`asr.delivered_text`) that is no drift chunk once its loops are collapsed is
    marked ``"loop_only": true`` and counted nowhere else (its process time stays in the step's)."""
    from sessionscope.audio.asr import delivered_text, is_drift, merged_words, norm_words

    rows = []
    for f, r in files.items():
        for b in r["batches_with_drift"]:
            for beam, v in b["variants"].items():
                for ch in v["chunks"]:
                    o, n = norm_words(delivered_text(ch["old_text"])), norm_words(delivered_text(ch["new_text"]))
                    if not is_drift(ch["old_text"]):
                        rows.append({"file": f, "beam": beam, "loop_only": True, "old_text": ch["old_text"],
                                     "new_text": ch["new_text"]})
                        continue
                    rows.append({"file": f, "set": r.get("set", f.split("/")[0]), "beam": beam,
                                 "language": language_of(ch["old_text"]), "words_old": len(o), "words_new": len(n),
                                 "merges": merged_words(o, n) if len(n) < len(o) else 0,
                                 "q_old": ch["old_text"].count("?"), "q_new": ch["new_text"].count("?"),
                                 "verdicts": {k: verdict(k, ch["old_text"], ch["new_text"]) for k in RULES},
                                 "old_text": ch["old_text"], "new_text": ch["new_text"]})
    return rows


def summarise(files: dict[str, Any], stored: dict[str, str]) -> dict[str, Any]:
    rows = chunk_rows(files)
    chunks = [c for c in rows if not c.get("loop_only")]
    groups: dict[str, list[str]] = {}
    for f, r in files.items():
        groups.setdefault(f"{r.get('set', f.split('/')[0])}/{r.get('language_ref', r.get('language'))}", []).append(f)
    groups["all"] = list(files)
    out: dict[str, Any] = {}
    for g, names in groups.items():
        sel = [c for c in chunks if c["file"] in names]
        first = sum(files[f]["cpu_s_first_pass"] for f in names)
        t: dict[str, Any] = {"files": len(names), "audio_s": round(sum(files[f].get("duration_s", 0) for f in names), 1),
                             "files_with_drift": len({c["file"] for c in sel}),
                             "drift_chunks": sum(1 for c in sel if c["beam"] == "beam5"),
                             "cpu_s_first_pass": round(first, 2)}
        for beam in (f"beam{b}" for b in BEAMS):
            mine = [c for c in sel if c["beam"] == beam]
            step = sum(files[f]["cpu_s_step"][beam[4:]] for f in names)
            shares = {f: files[f]["cpu_s_step"][beam[4:]] / max(1e-9, files[f]["cpu_s_first_pass"]) for f in names}
            worst = max(shares, key=lambda f: shares[f]) if shares else None
            t[beam] = {"cpu_s_step": round(step, 2), "cpu_share": round(step / max(1e-9, first), 4),
                       "worst_file": worst, "worst_file_share": round(shares[worst], 4) if worst else None}
            for rule in RULES:
                kept = [c for c in mine if not c["verdicts"][rule]]
                t[beam][rule] = {"kept": len(kept), "words_change": sum(c["words_new"] - c["words_old"] for c in kept),
                                 "qmarks_change": sum(c["q_new"] - c["q_old"] for c in kept),
                                 "kept_with_fewer_words": [f"{c['file']}: {c['words_old']} -> {c['words_new']} "
                                                           f"({c['merges']} merged)" for c in kept
                                                           if c["words_new"] < c["words_old"]]}
        compared = [f for f in names if not files[f]["batches_with_drift"] and f in stored]
        t["files_without_drift_compared_to_stored_first_pass"] = len(compared)
        t["files_without_drift_not_identical"] = sorted(f for f in compared if files[f]["text_out"] != stored[f])
        out[g] = t
    return {"groups": out, "chunks": chunks, "loop_only_chunks": [c for c in rows if c.get("loop_only")]}


def duplicates(names: list[str]) -> dict[str, str]:
    """The files of ``names`` (``<folder>/<stem>`` under ``.cache/conv``) whose WAV is byte-identical to an earlier
    one's (``dev_r19_calls_clean`` and ``dev_r19_minrun`` repeat ``dev_r19``): name -> the earlier name."""
    import hashlib

    seen: dict[str, str] = {}
    out: dict[str, str] = {}
    for n in names:
        wav = ROOT / ".cache/conv" / f"{n}.wav"
        if "/" not in n or not wav.is_file():
            continue
        h = hashlib.md5(wav.read_bytes()).hexdigest()
        if h in seen:
            out[n] = seen[h]
        else:
            seen[h] = n
    return out


def rules() -> dict[str, Any]:
    stored = stored_first_pass()
    out: dict[str, Any] = {"rules": list(RULES)}
    for tag in ("base", "tiny", "noise"):
        files = {}
        for p in sorted(RESULTS.glob(f"r24_drift2_{tag}*.json")):  # a run in parts: r24_drift2_base.json, _base2.json
            files.update(json.loads(p.read_text(encoding="utf-8"))["files"])
        if files:
            dup = duplicates(list(files))
            # the stored first passes are the base model's: no comparison for tiny.en
            out[tag] = {"duplicates_left_out": dup,
                        **summarise({f: r for f, r in files.items() if f not in dup}, {} if tag == "tiny" else stored)}
    return out


SPLIT = ("DEVELOPMENT audio only (shared/data development clips, .cache/conv dev / dev_r19 / dev_r19_minrun / "
         "dev_r19_calls_* / farfield / farfield2, r21's and r23's Russian joins, joins of the pyannote AMI development "
         "excerpts and pyannote-sample, generated noise and babble); no held-out audio (no ami-audio-excerpts, no "
         "report conversations), no examples")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stages", default="dev")
    ap.add_argument("--sets", default="r23,calls,conv_dev,realjoin")
    ap.add_argument("--model", default="base")
    ap.add_argument("--only", default="")
    ap.add_argument("--apply-beam", type=int, default=5, choices=BEAMS)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if "dev" in args.stages:
        payload = run_dev(args.sets.split(","), args.model, args.json, {s for s in args.only.split(",") if s},
                          args.apply_beam)
    elif "noise" in args.stages:
        payload = run_noise(args.json)
    else:
        payload = rules()
    if args.json:
        write_result(args.json, "r24_drift2.py", SPLIT, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

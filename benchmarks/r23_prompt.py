"""Round 23 (prompt): does a short punctuated ``initial_prompt`` keep Whisper's punctuation and capitals?

    nice -n 10 .venv/bin/python benchmarks/r23_prompt.py --variants none,auto,alt --stages punct \\
        --json benchmarks/results/r23_prompt_punct.json
    nice -n 10 .venv/bin/python benchmarks/r23_prompt.py --variants none,auto,alt --stages rujoin,noise,babble \\
        --json benchmarks/results/r23_prompt_noise.json
    nice -n 10 .venv/bin/python benchmarks/r23_prompt.py --variants mid --stages punct,rujoin --only <dev_r19, farfield2,
        Russian and referenced files> --json benchmarks/results/r23_prompt_mid.json
    nice -n 10 .venv/bin/python benchmarks/r23_prompt.py --variants none,auto,alt,mid --stages leak \\
        --json benchmarks/results/r23_prompt_leak.json
    nice -n 10 .venv/bin/python benchmarks/r23_prompt.py --variants none,auto --stages cpu --repeats 3 \\
        --json benchmarks/results/r23_prompt_cpu.json
    .venv/bin/python benchmarks/r23_prompt.py --stages summary --json benchmarks/results/r23_prompt_summary.json

Variants (``asr.transcribe`` with the default ``base`` model, VAD on, batched, everything else the defaults; the
prompt given to every 30 s chunk, in the language detected inside the call, by :func:`prompted`):

* ``none``: no prompt (the round's start);
* ``auto``: the candidate built-in prompts (:data:`AUTO`, a short punctuated exchange per language);
* ``alt``: a longer, mentoring-style prompt of four sentences (:data:`ALT`);
* ``mid``: two sentences from the middle of a conversation, no greeting or thanks (:data:`MID`).

The stored results (``benchmarks/results/r23_prompt_*.json``) were made through a candidate ``asr.initial_prompt``
setting that did what :func:`prompted` does (not shipped: it cost words and leaked the prompt); it gave ``alt`` and
``mid`` the file's known language where this script takes the detected one (the same on these files).

Stages:

* ``punct``: DEVELOPMENT audio only: pyannote-ami-excerpts (dev00, dev01, trn05, trn08), pyannote-sample,
  ru-golos, ru-pisets (en, ru), ru-silero, fw-stereo (each channel), the simulated libri-dev conversations
  (``.cache/conv/dev_r19``), the simulated far-field meetings (``.cache/conv/farfield``, ``farfield2``), longer joins
  (the first four dev_r19 conversations end to end, the first four far-field ones end to end, round 21's Russian
  join of ``r21_ruaudit.make_conv``) and the bundled examples (reported apart, not chosen on). Per file: Whisper
  segments ending with . ? ! … and starting with a capital, "?" count, the 30 s batch chunks (recorded from the
  pipeline's ``forward``) of 8+ words with no sentence punctuation at all; where a reference exists, WER with
  ``asr_wer``'s normalisers, and the reference questions (STM rows with "?") answered by a recognised word ending
  in "?" within the row's time ±1 s; where none exists, the word change against ``none`` (WER of the variant's
  words against ``none``'s). CPU: ``time.process_time`` of each transcription.
* ``rujoin``: the ``punct`` figures on five more Russian joins of the development clips (:func:`ru_joins`).
* ``noise`` / ``babble``: ``r20_asrgap_guard``'s clips where every word (or every word inside the inserted stretch)
  is invented; per variant the invented words and whether any of them repeat the prompt's words (leakage).
* ``leak``: babble that reaches the decoder (:func:`leak_clips`): Russian babble inside the Silero recording and
  30 s of Russian or English babble alone; per variant the chunks (and output segments) that repeat the prompt.
* ``summary``: the headline figures from the stored punct / noise / mid / leak results (:func:`summary`).
* ``cpu``: ``--repeats`` alternating transcriptions of a few files per variant (process time).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import DATA, ROOT, basic_norm, normaliser, score, write_result  # noqa: E402

#: the ``auto`` variant: the candidate ``asr.initial_prompt: auto`` texts (a short punctuated exchange per language)
AUTO = {
    "en": "Hello, how are you? Fine, thanks. Let's start.",
    "ru": "Здравствуйте, как дела? Хорошо, спасибо. Давайте начнём.",
}
#: the ``alt`` variant: four sentences, mentoring style, per language
ALT = {
    "en": "Hi. So, how did your week go? Well, I finished the report, but I have a question. Okay, let's talk about it.",
    "ru": "Привет. Ну, как прошла неделя? Я закончил отчёт, но у меня есть вопрос. Хорошо, давайте обсудим.",
}
#: the ``mid`` variant: two sentences from the middle of a conversation, no greeting, no thanks, no "let's start"
MID = {
    "en": "So, what do you think? I think it's fine, but we should check it.",
    "ru": "Ну, что ты думаешь? Я думаю, всё нормально, но надо проверить.",
}
END = re.compile(r"[.?!…][\"'»”)]*$")
PUNCT = re.compile(r"[.?!…]")

#: (name, 16 kHz mono samples, known language, reference (STM rows (start, end, text)) or plain text, or None)
File = tuple[str, np.ndarray, str, Any]


def stm_rows(path: Path) -> list[tuple[float, float, str]]:
    rows = [r.split(maxsplit=5) for r in path.read_text(encoding="utf-8").splitlines()]
    return [(float(r[3]), float(r[4]), r[5]) for r in rows if len(r) == 6 and not r[0].startswith(";;")]


def join(parts: list[np.ndarray], gap_s: float = 0.8) -> np.ndarray:
    gap = np.zeros(int(gap_s * 16000), np.float32)
    out: list[np.ndarray] = []
    for i, p in enumerate(parts):
        out += [p.astype(np.float32)] + ([gap] if i < len(parts) - 1 else [])
    return np.concatenate(out)


def ru_joins() -> list[File]:
    """More Russian joins (round 21's drift came from a short lower-case utterance opening a 30 s chunk): Golos or
    Pisets before each half of the Silero recording, and the three end to end in both orders."""
    from sessionscope.audio.decode import load_audio

    g = load_audio(DATA / "ru-golos-sample/001ce26c07c20eaa0d666b824c6c6924.wav").mono.astype(np.float32)
    p = load_audio(DATA / "ru-pisets-sample/test_sound_ru.wav").mono.astype(np.float32)
    s = load_audio(DATA / "ru-silero-unlabeled/ru.wav").mono.astype(np.float32)
    h = len(s) // 2
    return [("rujoin/golos+silero_a", join([g, s[:h]]), "ru", None),
            ("rujoin/pisets+silero_b", join([p, s[h:]]), "ru", None),
            ("rujoin/golos+pisets+silero", join([g, p, s]), "ru", None),
            ("rujoin/silero+golos+pisets", join([s, g, p]), "ru", None),
            ("rujoin/pisets+golos+silero_b+golos", join([p, g, s[h:], g]), "ru", None)]


def punct_files() -> list[File]:
    """The development files (examples last, named ``examples/...``)."""
    import r21_ruaudit as ru
    from sessionscope.audio.decode import load_audio

    mono = lambda p: load_audio(p).mono.astype(np.float32)  # noqa: E731
    out: list[File] = []
    for wav in sorted((DATA / "pyannote-ami-excerpts").glob("*.wav")):
        out.append((f"ami-excerpt-{wav.stem}", mono(wav), "en", None))
    out.append(("pyannote-sample", mono(DATA / "pyannote-sample/sample.wav"), "en",
                stm_rows(DATA / "pyannote-sample/sample.stm")))
    for lang in ("en", "ru"):
        p = DATA / f"ru-pisets-sample/test_sound_{lang}.wav"
        out.append((f"pisets-{lang}", mono(p), lang, p.with_suffix(".txt").read_text(encoding="utf-8")))
    for txt in sorted((DATA / "ru-golos-sample").glob("*.txt")):
        out.append((f"golos-{txt.stem[:6]}", mono(txt.with_suffix(".wav")), "ru", txt.read_text(encoding="utf-8")))
    out.append(("ru-silero", mono(DATA / "ru-silero-unlabeled/ru.wav"), "ru", None))
    joined = Path("/tmp/r23_prompt_ru_join.wav")
    ru.make_conv(joined)
    out.append(("ru-join-r21", mono(joined), "ru", None))
    fw = load_audio(DATA / "fw-stereo-2ch/stereo_diarization.wav")
    out.append(("fw-stereo-left", fw.channels[0].astype(np.float32), "en",
                "He began a confused complaint against the wizard, who had vanished behind the curtain on the left."))
    out.append(("fw-stereo-right", fw.channels[1].astype(np.float32), "en", "The horizon seems extremely distant."))
    for folder in ("dev_r19", "farfield", "farfield2"):
        wavs = sorted((ROOT / ".cache/conv" / folder).glob("*.wav"))
        for wav in wavs:
            out.append((f"{folder}/{wav.stem}", mono(wav), "en", None))
        if folder != "farfield2":
            out.append((f"{folder}/join0-3", join([mono(w) for w in wavs[:4]]), "en", None))
    for stm in sorted((ROOT / "examples").glob("*/reference.stm")):
        audio = next(iter(sorted(stm.parent.glob("recording.*"))))
        rows = stm_rows(stm)
        lang = "ru" if re.search("[а-яё]", " ".join(r[2] for r in rows).lower()) else "en"
        out.append((f"examples/{stm.parent.name}", mono(audio), lang, rows))
    return out


@contextmanager
def recorded_chunks() -> Iterator[list[str]]:
    """The text of each 30 s chunk the batched pipeline decodes (``BatchedInferencePipeline.forward``'s output)."""
    from faster_whisper import BatchedInferencePipeline

    chunks: list[str] = []
    original = BatchedInferencePipeline.forward

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        out = original(self, *args, **kwargs)
        chunks.extend("".join(sub["text"] for sub in chunk).strip() for chunk in out)
        return out

    BatchedInferencePipeline.forward = wrapper  # type: ignore[method-assign]
    try:
        yield chunks
    finally:
        BatchedInferencePipeline.forward = original  # type: ignore[method-assign]


#: variant -> prompt text per language (``none``: no prompt)
PROMPTS: dict[str, dict[str, str]] = {"auto": AUTO, "alt": ALT, "mid": MID}


@contextmanager
def prompted(texts: Optional[dict[str, str]]) -> Iterator[None]:
    """Decode with ``texts``' prompt in the language the batched pipeline decodes (None: unchanged).

    What the round-23 candidate ``asr.initial_prompt`` setting did inside ``asr.transcribe`` (not shipped): the
    language is detected inside ``BatchedInferencePipeline.transcribe`` and known only when it returns; the call
    decodes nothing yet (its segments are a generator) and the generator decodes with the very
    ``TranscriptionOptions`` object returned in ``info``, so the prompt is set there, with the leading space Whisper's
    sequential decoding puts before a prompt. A language without a text gets no prompt.
    """
    from faster_whisper import BatchedInferencePipeline

    if texts is None:
        yield
        return
    original = BatchedInferencePipeline.transcribe

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        segments, info = original(self, *args, **kwargs)
        text = texts.get(info.language)
        if text is not None:
            info.transcription_options.initial_prompt = " " + text
        return segments, info

    BatchedInferencePipeline.transcribe = wrapper  # type: ignore[method-assign]
    try:
        yield
    finally:
        BatchedInferencePipeline.transcribe = original  # type: ignore[method-assign]


def transcribe_one(x: np.ndarray, variant: str, model: str = "base") -> dict[str, Any]:
    """``asr.transcribe`` with the defaults (``model``) and the ``variant``'s prompt; the chunk texts recorded."""
    from sessionscope.audio.asr import transcribe
    from sessionscope.config import AsrConfig
    from sessionscope.errors import AudioError

    c0, t0 = time.process_time(), time.perf_counter()
    with recorded_chunks() as chunks, prompted(PROMPTS.get(variant)):
        try:
            r = transcribe(x, config=AsrConfig(model=model))
            segs, lang = list(r.segments), r.language
        except AudioError:
            segs, lang = [], None
    return {"segments": segs, "language": lang, "chunks": chunks, "cpu_s": time.process_time() - c0,
            "wall_s": time.perf_counter() - t0}


def punct_figures(segs: list[Any], chunks: list[str]) -> dict[str, Any]:
    texts = [s.text.strip() for s in segs if s.text.strip()]
    long_chunks = [c for c in chunks if len(c.split()) >= 8]
    return {
        "segments": len(texts),
        "end_punct": sum(1 for t in texts if END.search(t)),
        "start_capital": sum(1 for t in texts if next((ch for ch in t if ch.isalpha()), "").isupper()),
        "questions": sum(t.count("?") for t in texts),
        "sentence_marks": sum(len(PUNCT.findall(t)) for t in texts),
        "commas": sum(t.count(",") for t in texts),
        "words": sum(len(t.split()) for t in texts),
        "chunks": len(chunks),
        "chunks_8w": len(long_chunks),
        "chunks_8w_unpunctuated": sum(1 for c in long_chunks if not PUNCT.search(c)),
        "chunks_8w_no_capital": sum(1 for c in long_chunks if not any(ch.isupper() for ch in c)),
    }


def ref_questions(rows: list[tuple[float, float, str]], segs: list[Any]) -> dict[str, int]:
    """Reference rows with a "?" and how many of them got a recognised word ending in "?" within their time ±1 s."""
    words = [w for s in segs for w in s.words]
    qs = [(a, b) for a, b, t in rows if "?" in t]
    hit = sum(1 for a, b in qs if any(a - 1 <= (w.start + w.end) / 2 <= b + 1 and w.text.strip().endswith("?")
                                      for w in words))
    return {"ref_question_rows": len(qs), "ref_questions_with_qmark": hit,
            "ref_qmarks": sum(t.count("?") for _, _, t in rows)}


def run_punct(variants: list[str], model: str, only: set[str], files: Optional[list[File]] = None) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for name, x, lang, ref in punct_files() if files is None else files:
        if (only and name not in only and not any(o.endswith("/") and name.startswith(o) for o in only)) or (
                model.endswith(".en") and lang != "en"):
            continue
        rows[name] = {"language_ref": lang, "duration_s": round(len(x) / 16000, 2)}
        base_hyp: Optional[str] = None
        for v in variants:
            out = transcribe_one(x, v, model)
            segs = out["segments"]
            hyp = " ".join(s.text for s in segs).strip()
            row: dict[str, Any] = {"language": out["language"], "cpu_s": round(out["cpu_s"], 2),
                                   "wall_s": round(out["wall_s"], 2), **punct_figures(segs, out["chunks"])}
            norm = normaliser(lang)[0]
            if ref is not None:
                text = ref if isinstance(ref, str) else " ".join(r[2] for r in ref)
                sc = score(norm(text), norm(hyp))
                row["wer"] = {k: sc[k] for k in ("ref_words", "wer", "substitutions", "deletions", "insertions")}
                if not isinstance(ref, str):
                    row.update(ref_questions(ref, segs))
            if v == variants[0]:
                base_hyp = hyp
            elif base_hyp:
                row["change_vs_first"] = score(norm(base_hyp), norm(hyp))["wer"] if hyp else 1.0
            row["text"] = hyp
            row["chunk_texts"] = out["chunks"]
            rows[name][v] = row
        print(name, {v: (rows[name][v]["end_punct"], rows[name][v]["segments"], rows[name][v]["questions"],
                         rows[name][v]["chunks_8w_unpunctuated"], rows[name][v].get("wer", {}).get("wer"),
                         rows[name][v]["cpu_s"]) for v in variants}, flush=True)
    return {"files": rows, "pooled": pooled(rows, variants)}


def pooled(rows: dict[str, Any], variants: list[str]) -> dict[str, Any]:
    """Sums per variant over the development files and over the examples, and per language."""
    groups = {"dev_all": lambda n, r: not n.startswith("examples/"),
              "dev_en": lambda n, r: not n.startswith("examples/") and r["language_ref"] == "en",
              "dev_ru": lambda n, r: not n.startswith("examples/") and r["language_ref"] == "ru",
              "dev_with_reference": lambda n, r: not n.startswith("examples/") and "wer" in next(
                  v for k, v in r.items() if isinstance(v, dict)),
              "examples": lambda n, r: n.startswith("examples/")}
    out: dict[str, Any] = {}
    for g, keep in groups.items():
        sel = {n: r for n, r in rows.items() if keep(n, r)}
        if not sel:
            continue
        out[g] = {}
        for v in variants:
            rs = [r[v] for r in sel.values()]
            tot = {k: sum(r[k] for r in rs) for k in ("segments", "end_punct", "start_capital", "questions",
                                                         "sentence_marks", "commas", "words",
                                                         "chunks", "chunks_8w", "chunks_8w_unpunctuated",
                                                         "chunks_8w_no_capital")}
            tot["end_punct_share"] = round(tot["end_punct"] / max(1, tot["segments"]), 4)
            tot["start_capital_share"] = round(tot["start_capital"] / max(1, tot["segments"]), 4)
            tot["words_per_sentence_mark"] = round(tot["words"] / max(1, tot["sentence_marks"]), 2)
            tot["unpunctuated_chunk_rate"] = round(tot["chunks_8w_unpunctuated"] / max(1, tot["chunks_8w"]), 4)
            tot["cpu_s"] = round(sum(r["cpu_s"] for r in rs), 2)
            tot["files"] = len(rs)
            w = [r["wer"] for r in rs if "wer" in r]
            if w:
                n = sum(x["ref_words"] for x in w)
                e = sum(x["substitutions"] + x["deletions"] + x["insertions"] for x in w)
                tot["wer"] = {"ref_words": n, "errors": e, "wer": round(e / n, 4)}
            q = [r for r in rs if "ref_question_rows" in r]
            if q:
                tot["ref_question_rows"] = sum(r["ref_question_rows"] for r in q)
                tot["ref_questions_with_qmark"] = sum(r["ref_questions_with_qmark"] for r in q)
            out[g][v] = tot
    return out


def prompt_ngrams(lang_texts: dict[str, str]) -> set[tuple[str, ...]]:
    """Word pairs of every prompt text (leakage: a pair of them in the output on noise)."""
    grams: set[tuple[str, ...]] = set()
    for text in lang_texts.values():
        w = basic_norm(text).split()
        grams |= set(zip(w, w[1:], strict=False))
    return grams


def run_noise(variants: list[str], *, babble: bool) -> dict[str, Any]:
    import r20_asrgap_guard as g
    grams = prompt_ngrams({**{f"auto_{k}": v for k, v in AUTO.items()}, **{f"alt_{k}": v for k, v in ALT.items()}})
    prompt_words = {w for t in [*AUTO.values(), *ALT.values()] for w in basic_norm(t).split()}
    rows: dict[str, Any] = {}
    for clip, x, span in (g.babble_clips() if babble else g.noise_clips()):
        rows[clip] = {}
        for v in variants:
            out = transcribe_one(x, v)
            words = [w for s in out["segments"] for w in s.words]
            inv = [w for w in words if span is None or span[0] <= (w.start + w.end) / 2 <= span[1]]
            text = " ".join(w.text.strip() for w in inv)
            normed = basic_norm(text).split()
            leak_pairs = sorted({" ".join(p) for p in zip(normed, normed[1:], strict=False) if p in grams})
            rows[clip][v] = {"language": out["language"], "words": len(words), "invented": len(inv),
                             "invented_text": text, "prompt_word_pairs": leak_pairs,
                             "prompt_words": sorted({w for w in normed if w in prompt_words}),
                             "chunk_texts": out["chunks"], "cpu_s": round(out["cpu_s"], 2)}
        print(clip, {v: (r["invented"], r["invented_text"][:50], r["prompt_word_pairs"]) for v, r in rows[clip].items()},
              flush=True)
    return {"clips": rows,
            "total_invented": {v: sum(r[v]["invented"] for r in rows.values()) for v in variants},
            "clips_with_prompt_pairs": {v: sum(1 for r in rows.values() if r[v]["prompt_word_pairs"]) for v in variants}}


def leak_clips() -> list[tuple[str, np.ndarray, str]]:
    """Babble that reaches the decoder: (name, samples, language of the speech around it).

    Russian: the Silero recording with 12 s of Russian babble (five reversed excerpts of the Silero, Golos and Pisets
    recordings summed) inserted at 15, 30 and 45 s, 6 and 15 dB under the recording's RMS; and 30 s of that babble
    alone at the speech's level, Russian and English (reversed libri-dev conversations), two seeds each.
    """
    from sessionscope.audio.decode import load_audio

    rng = np.random.default_rng(20261223)
    s = load_audio(DATA / "ru-silero-unlabeled/ru.wav").mono.astype(np.float32)
    ru_pool = [s, load_audio(DATA / "ru-golos-sample/001ce26c07c20eaa0d666b824c6c6924.wav").mono.astype(np.float32),
               load_audio(DATA / "ru-pisets-sample/test_sound_ru.wav").mono.astype(np.float32)]
    en_pool = [load_audio(w).mono.astype(np.float32) for w in sorted((ROOT / ".cache/conv/dev").glob("*.wav"))[4:]]

    def babble(pool: list[np.ndarray], n: int, rms: float) -> np.ndarray:
        out = np.zeros(n, np.float32)
        for _ in range(5):
            src = pool[int(rng.integers(0, len(pool)))]
            src = np.tile(src, n // len(src) + 2)
            at = int(rng.integers(0, len(src) - n))
            out += src[at: at + n][::-1]
        return out * rms / (float(np.sqrt(np.mean(out ** 2))) + 1e-12)

    rms = float(np.sqrt(np.mean(s ** 2)))
    clips: list[tuple[str, np.ndarray, str]] = []
    for at in (15, 30, 45):
        bab = babble(ru_pool, 12 * 16000, rms)
        for db in (6, 15):
            clips.append((f"ru_babble{db}_at{at}", np.concatenate([s[: at * 16000], bab * 10 ** (-db / 20),
                                                                  s[at * 16000:]]), "ru"))
    for k in range(2):
        clips.append((f"ru_babble_only{k}", babble(ru_pool, 30 * 16000, rms), "ru"))
        clips.append((f"en_babble_only{k}", babble(en_pool, 30 * 16000, rms), "en"))
    return clips


def prompt_copies(chunks: list[str]) -> list[str]:
    """Chunks that repeat two or more word pairs of a prompt (the prompt regurgitated)."""
    grams = prompt_ngrams({**AUTO, **{f"alt_{k}": v for k, v in ALT.items()},
                           **{f"mid_{k}": v for k, v in MID.items()}})
    out = []
    for c in chunks:
        w = basic_norm(c).split()
        if sum(1 for p in zip(w, w[1:], strict=False) if p in grams) >= 2:
            out.append(c)
    return out


def run_leak(variants: list[str]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for clip, x, _lang in leak_clips():
        rows[clip] = {}
        for v in variants:
            out = transcribe_one(x, v)
            text = " ".join(s.text for s in out["segments"])
            rows[clip][v] = {"language": out["language"], "words": len(text.split()), "text": text,
                             "chunk_texts": out["chunks"], "prompt_copy_chunks": prompt_copies(out["chunks"]),
                             "prompt_copy_in_output": prompt_copies([s.text for s in out["segments"]]),
                             "cpu_s": round(out["cpu_s"], 2)}
        print(clip, {v: (r["words"], r["prompt_copy_chunks"], r["text"][:80]) for v, r in rows[clip].items()}, flush=True)
    return {"clips": rows,
            "clips_with_prompt_copy_chunk": {v: sum(1 for r in rows.values() if r[v]["prompt_copy_chunks"])
                                             for v in variants},
            "clips_with_prompt_copy_in_output": {v: sum(1 for r in rows.values() if r[v]["prompt_copy_in_output"])
                                                 for v in variants}}


def run_cpu(variants: list[str], repeats: int, model: str) -> dict[str, Any]:
    files = [f for f in punct_files() if f[0] in ("examples/en_session", "examples/ru_session", "farfield/join0-3")]
    rows: dict[str, Any] = {}
    for name, x, _lang, _ in files:
        rows[name] = {v: [] for v in variants}
        for _ in range(repeats):
            for v in variants:  # alternating: the machine's load falls on every variant alike
                rows[name][v].append(round(transcribe_one(x, v, model)["cpu_s"], 2))
        print(name, rows[name], flush=True)
    med = {v: round(sum(float(np.median(r[v])) for r in rows.values()), 2) for v in variants}
    return {"files": rows, "sum_of_medians_cpu_s": med}


def summary(results: Path) -> dict[str, Any]:
    """The headline figures from the stored ``r23_prompt_{punct,noise,mid,leak}.json`` of ``results``: per group of
    files and variant, words delivered, "?" count, capitalised segments, 8+-word chunks with no sentence punctuation,
    WER where a reference exists, CPU; and the prompt copies on babble."""
    import json

    load = lambda name: json.loads((results / f"r23_prompt_{name}.json").read_text(encoding="utf-8"))  # noqa: E731
    punct, noise, mid, leak = load("punct"), load("noise"), load("mid"), load("leak")
    base = {**punct["punct"]["files"], **noise["rujoin"]["files"]}
    extra = {**mid["punct"]["files"], **mid["rujoin"]["files"]}
    groups = {
        "dev_en (46 files)": lambda n: not n.startswith(("examples/", "rujoin/")) and base[n]["language_ref"] == "en",
        "dev_r19 singles (16)": lambda n: n.startswith("dev_r19/dev"),
        "farfield2 (10)": lambda n: n.startswith("farfield2/"),
        "ami excerpts (4)": lambda n: n.startswith("ami-excerpt"),
        "dev_ru incl. joins (9)": lambda n: not n.startswith("examples/") and base[n]["language_ref"] == "ru",
        "with reference, dev (6)": lambda n: not n.startswith("examples/") and "wer" in base[n]["none"],
        "examples (2, not chosen on)": lambda n: n.startswith("examples/"),
    }
    out: dict[str, Any] = {}
    for g, keep in groups.items():
        names = [n for n in base if keep(n)]
        out[g] = {}
        for v in ("none", "auto", "alt", "mid"):
            src = extra if v == "mid" else base
            if not all(v in src.get(n, {}) for n in names):
                continue
            rs = [src[n][v] for n in names]
            wer = [r["wer"] for r in rs if "wer" in r]
            out[g][v] = {
                "files": len(rs), "words": sum(r["words"] for r in rs), "questions": sum(r["questions"] for r in rs),
                "segments_capitalised": f"{sum(r['start_capital'] for r in rs)}/{sum(r['segments'] for r in rs)}",
                "chunks_8w_unpunctuated": f"{sum(r['chunks_8w_unpunctuated'] for r in rs)}/{sum(r['chunks_8w'] for r in rs)}",
                "wer_errors": (f"{sum(x['substitutions'] + x['deletions'] + x['insertions'] for x in wer)}/"
                               f"{sum(x['ref_words'] for x in wer)}") if wer else None,
                "ref_questions_with_qmark": (f"{sum(r['ref_questions_with_qmark'] for r in rs if 'ref_question_rows' in r)}/"
                                             f"{sum(r['ref_question_rows'] for r in rs if 'ref_question_rows' in r)}")
                if any("ref_question_rows" in r for r in rs) else None,
                "cpu_s": round(sum(r["cpu_s"] for r in rs), 1)}
    lost = {v: sorted((n, base[n]["none"]["words"], (extra if v == "mid" else base)[n][v]["words"]) for n in base
                      if v in (extra if v == "mid" else base).get(n, {}) and not n.startswith("examples/")
                      and (extra if v == "mid" else base)[n][v]["words"] < 0.8 * base[n]["none"]["words"])
            for v in ("auto", "alt", "mid")}
    leak_rows = leak["leak"]["clips"]
    babble_copies = {v: [n for n, r in noise["babble"]["clips"].items() if prompt_copies(r[v]["chunk_texts"])]
                     for v in ("none", "auto", "alt")}
    # the drift chunks alone: each 8+-word chunk that ``none`` left without sentence punctuation, as the prompted run
    # decoded the same VAD chunk (the chunks do not depend on the prompt): would re-decoding only those help?
    replay = []
    for n, r in base.items():
        for i, c in enumerate(r["none"]["chunk_texts"]):
            if len(c.split()) >= 8 and not PUNCT.search(c):
                for v in ("auto", "alt", "mid"):
                    src = extra if v == "mid" else base
                    if v in src.get(n, {}):
                        t = src[n][v]["chunk_texts"][i] if i < len(src[n][v]["chunk_texts"]) else ""
                        replay.append({"file": n, "chunk": i, "variant": v, "words_none": len(c.split()),
                                       "words_prompted": len(t.split()), "punctuated": bool(PUNCT.search(t)),
                                       "prompt_copy": bool(prompt_copies([t])), "text_none": c, "text_prompted": t})
    return {"groups": out, "files_losing_over_20pct_of_words": lost, "drift_chunk_replay": replay,
            "leak_prompt_copy_in_output": leak["leak"]["clips_with_prompt_copy_in_output"],
            "leak_prompt_copy_chunks": leak["leak"]["clips_with_prompt_copy_chunk"],
            "leak_words": {v: {n: r[v]["words"] for n, r in leak_rows.items()} for v in ("none", "auto", "alt", "mid")},
            "babble_clips_with_prompt_copy_chunk": babble_copies,
            "noise_invented_words": noise["noise"]["total_invented"], "babble_invented_words": noise["babble"]["total_invented"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="none,auto,alt")
    ap.add_argument("--stages", default="punct")
    ap.add_argument("--model", default="base")
    ap.add_argument("--only", default="", help="comma-separated file names, or prefixes ending in '/' (dev_r19/)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    variants = args.variants.split(",")
    payload: dict[str, Any] = {"model": args.model, "variants": variants, "prompts": PROMPTS}
    if "punct" in args.stages:
        payload["punct"] = run_punct(variants, args.model, {s for s in args.only.split(",") if s})
    if "rujoin" in args.stages:
        payload["rujoin"] = run_punct(variants, args.model, set(), ru_joins())
    if "noise" in args.stages:
        payload["noise"] = run_noise(variants, babble=False)
    if "babble" in args.stages:
        payload["babble"] = run_noise(variants, babble=True)
    if "leak" in args.stages:
        payload["leak"] = run_leak(variants)
    if "summary" in args.stages:
        payload["summary"] = summary(ROOT / "benchmarks" / "results")
    if "cpu" in args.stages:
        payload["cpu"] = run_cpu(variants, args.repeats, args.model)
    if args.json:
        write_result(args.json, "r23_prompt.py", "DEVELOPMENT audio only (shared/data development clips, .cache/conv "
                     "dev_r19 / farfield / farfield2, generated noise, r21's Russian join) plus the bundled examples "
                     "(reported apart); no held-out audio", payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Word and character error rates of the embedded Whisper models on real references.

    .venv/bin/python benchmarks/asr_wer.py [--models base,tiny.en] [--json benchmarks/results/asr_wer_r8_asr.json]

Data (../shared/data, read in place): pyannote-sample (30 s English conversation, STM
reference), ru-pisets-sample (English and Russian read sentences), ru-golos-sample
(Russian), fw-stereo-2ch (one read English sentence per channel, each channel transcribed
alone as the pipeline's channel mode does), and the bundled examples/ when they carry a
reference transcript (examples/*/reference.stm). An English-only model is not run on Russian.

Transcription: ``sessionscope.audio.asr.transcribe`` with the configured defaults (VAD on,
beam 5, batched, word timestamps), language auto (detected among en, ru by a multilingual
model, assumed English by an English-only one), hallucination filter on.

Scoring (jiwer 4; substitutions/deletions/insertions are word counts of the alignment):

* ``whisper`` normalisation (the headline): English text through Whisper's own
  ``EnglishTextNormalizer`` (the copy in the installed ``transformers``; it spells numbers as
  digits on both sides, expands contractions, standardises "mr"/"okay" style variants, drops
  fillers "um"/"uh" and bracketed text, lower-cases, removes punctuation and hyphens). Its
  British→American spelling table (``english.json``) ships with Whisper tokenizers, not with
  ``transformers``, so it runs without it. Russian (and English when ``transformers`` is
  missing) through :func:`basic_norm`: lower case, ё→е, hyphens and punctuation to spaces,
  apostrophes removed; numbers are not converted (no Russian number speller is installed), so a
  number said right but written in digits is a substitution: ``numeral_substitutions`` lists those
  pairs and ``wer_numerals_forgiven`` is the WER without them.
* ``simple`` normalisation: :func:`simple_norm`, the script's earlier key (lower case, ё→е,
  punctuation but apostrophes to spaces), kept to show what the normaliser changes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def simple_norm(text: str) -> str:
    """The earlier key: lower case, ё→е, every character but letters, digits, ``_`` and ``'`` to a space."""
    text = text.lower().replace("ё", "е")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text)).strip()


def basic_norm(text: str) -> str:
    """Lower case, ё→е, hyphens/dashes and punctuation to spaces, apostrophes dropped (``don't`` → ``dont``
    on both sides), bracketed and parenthesised text removed (Whisper's basic normaliser, with ё folded)."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[<\[][^>\]]*[>\]]|\([^)]*\)", " ", text)
    text = re.sub(r"['’ʼ]", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def english_normaliser() -> tuple[Callable[[str], str], str]:
    """Whisper's English normaliser from the installed ``transformers`` (no spelling table), or :func:`basic_norm`."""
    try:
        from transformers.models.whisper.english_normalizer import EnglishTextNormalizer
    except Exception:  # noqa: BLE001 - transformers absent or moved: the basic key
        return basic_norm, "basic (transformers' Whisper EnglishTextNormalizer not importable)"
    n = EnglishTextNormalizer({})
    return (
        lambda t: re.sub(r"\s+", " ", n(t)).strip()
    ), "whisper EnglishTextNormalizer (transformers, no spelling table)"


def normaliser(lang: str) -> tuple[Callable[[str], str], str]:
    """The headline normaliser for a reference language (see the module docstring)."""
    if lang == "en":
        return english_normaliser()
    return basic_norm, "basic (lower, ё→е, hyphens/punctuation to spaces, apostrophes dropped)"


def score(ref: str, hyp: str) -> dict[str, Any]:
    """WER/CER with the word alignment's counts (jiwer); an empty hypothesis deletes every reference word."""
    import jiwer

    n_ref, n_hyp = len(ref.split()), len(hyp.split())
    if not ref:
        raise ValueError("empty reference")
    if not hyp:
        return {
            "ref_words": n_ref,
            "hyp_words": 0,
            "wer": 1.0,
            "cer": 1.0,
            "hits": 0,
            "substitutions": 0,
            "deletions": n_ref,
            "insertions": 0,
            "numeral_substitutions": [],
            "wer_numerals_forgiven": 1.0,
        }
    w = jiwer.process_words(ref, hyp)
    c = jiwer.process_characters(ref, hyp)
    numerals = numeral_substitutions(w)
    return {
        "ref_words": n_ref,
        "hyp_words": n_hyp,
        "wer": round(w.wer, 4),
        "cer": round(c.cer, 4),
        "hits": w.hits,
        "substitutions": w.substitutions,
        "deletions": w.deletions,
        "insertions": w.insertions,
        "numeral_substitutions": numerals,
        "wer_numerals_forgiven": round((w.substitutions + w.deletions + w.insertions - len(numerals)) / n_ref, 4),
    }


#: the stems of Russian number words (any case form): "шестьдесят", "трёх", "тысячи", "пятнадцать" ...
RU_NUMBER_WORD = re.compile(
    r"^(ноль|нол|один|одн|дв|тр[иеёо]|четыр|пят|шест|сем|восем|девят|десят|одиннадцат|сорок|девяност|сто|ст[аео]|"
    r"тысяч|миллион)"
)


def numeral_substitutions(out: Any) -> list[list[str]]:
    """Substituted word pairs of a digits-only word and a Russian number word ("шестьдесят" → "60"): a number
    said right but written otherwise, which the normaliser could not equate (no Russian number speller).
    English number words need no such list: Whisper's English normaliser writes both sides in digits."""
    ref, hyp = out.references[0], out.hypotheses[0]
    pairs = []
    for ch in out.alignments[0]:
        if ch.type == "substitute":
            for r, h in zip(
                ref[ch.ref_start_idx : ch.ref_end_idx], hyp[ch.hyp_start_idx : ch.hyp_end_idx], strict=True
            ):
                if (r.isdigit() and RU_NUMBER_WORD.match(h)) or (h.isdigit() and RU_NUMBER_WORD.match(r)):
                    pairs.append([r, h])
    return pairs


def stm_text(path: Path) -> str:
    """The words of an STM file (``uri channel speaker start end words``), in file order."""
    rows = [r.split(maxsplit=5) for r in path.read_text(encoding="utf-8").splitlines()]
    return " ".join(r[5] for r in rows if len(r) == 6 and not r[0].startswith(";;"))


#: (name, audio path, reference language, reference text, channel or None for the mono mix)
Case = tuple[str, Path, str, str, Optional[int]]


def cases() -> list[Case]:
    """Every real clip with a reference transcript, and the bundled examples with one."""
    out: list[Case] = []
    out.append(
        (
            "pyannote-sample",
            DATA / "pyannote-sample/sample.wav",
            "en",
            stm_text(DATA / "pyannote-sample/sample.stm"),
            None,
        )
    )
    for lang in ("en", "ru"):
        out.append(
            (
                f"pisets-{lang}",
                DATA / f"ru-pisets-sample/test_sound_{lang}.wav",
                lang,
                (DATA / f"ru-pisets-sample/test_sound_{lang}.txt").read_text(encoding="utf-8"),
                None,
            )
        )
    for txt in sorted((DATA / "ru-golos-sample").glob("*.txt")):
        out.append((f"golos-{txt.stem[:6]}", txt.with_suffix(".wav"), "ru", txt.read_text(encoding="utf-8"), None))
    fw = DATA / "fw-stereo-2ch/stereo_diarization.wav"
    if fw.exists():  # the expected strings of fw-stereo-2ch/SOURCE.md, one read sentence per channel
        out.append(
            (
                "fw-stereo-left",
                fw,
                "en",
                "He began a confused complaint against the wizard, who had vanished behind the curtain on the left.",
                0,
            )
        )
        out.append(("fw-stereo-right", fw, "en", "The horizon seems extremely distant.", 1))
    for stm_path in sorted((ROOT / "examples").glob("*/reference.stm")):
        audio = next(iter(sorted(stm_path.parent.glob("recording.*"))), None)
        if audio:
            text = stm_text(stm_path)
            lang = "ru" if re.search("[а-яё]", text.lower()) else "en"
            out.append((f"examples/{stm_path.parent.name}", audio, lang, text, None))
    return out


def dir_cases(folder: Path) -> list[Case]:
    """A folder of recordings, each with its reference beside it (``<name>.stm`` or ``<name>.txt``, same stem): a
    kept-back set scored with ``--dir``. The reference language is Russian when it holds Cyrillic, else English."""
    out: list[Case] = []
    for audio in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".flac", ".ogg", ".mp3", ".m4a")):
        ref = next((audio.with_suffix(s) for s in (".stm", ".txt") if audio.with_suffix(s).is_file()), None)
        if ref is None:
            print(f"{audio.name}: no {audio.stem}.stm or {audio.stem}.txt beside it; skipped", file=sys.stderr)
            continue
        text = stm_text(ref) if ref.suffix == ".stm" else ref.read_text(encoding="utf-8")
        out.append((f"{folder.name}/{audio.stem}", audio, "ru" if re.search("[а-яё]", text.lower()) else "en", text, None))
    if not out:
        raise SystemExit(f"no recording with a reference (<name>.stm or <name>.txt beside <name>.wav) in {folder}")
    return out


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def write_result(path: Path, script: str, split: str, payload: dict[str, Any]) -> None:
    """The raw result: the command, the commit, the split, then ``payload`` (UTF-8 JSON)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    head = {
        "command": " ".join([".venv/bin/python", f"benchmarks/{script}", *sys.argv[1:]]),
        "commit": git_commit(),
        "split": split,
    }
    path.write_text(json.dumps({**head, **payload}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def run_case(case: Case, cfg: Any) -> dict[str, Any]:
    """Transcribe one case as the pipeline does and score it."""
    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio

    name, wav, lang, ref, channel = case
    audio = load_audio(wav)
    samples = audio.mono if channel is None else audio.channels[channel]
    t0 = time.perf_counter()
    r = transcribe(samples, config=cfg)
    secs = time.perf_counter() - t0
    duration = len(samples) / 16000
    raw_hyp = " ".join(s.text for s in r.segments).strip()
    norm, norm_name = normaliser(lang)
    return {
        "clip": name,
        "audio": str(wav.relative_to(ROOT.parent) if wav.is_relative_to(ROOT.parent) else wav),
        "channel": channel,
        "language_ref": lang,
        "duration_s": round(duration, 3),
        "language_detected": r.language,
        "language_source": r.language_source,
        "language_probability": None if r.language_probability is None else round(r.language_probability, 4),
        "language_probability_raw": None if r.language_probability_raw is None else round(r.language_probability_raw, 4),
        "language_notes": list(r.notes),
        "rtf": round(secs / duration, 3),
        "seconds": round(secs, 2),
        "hallucinations_dropped": r.filtered.hallucinations_dropped,
        "repetitions_dropped": r.filtered.repetitions_dropped,
        "dropped_texts": list(r.filtered.dropped_texts),
        "normaliser": norm_name,
        **score(norm(ref), norm(raw_hyp)),
        "simple": score(simple_norm(ref), simple_norm(raw_hyp)),
        "reference": ref,
        "hypothesis": raw_hyp,
        "reference_normalised": norm(ref),
        "hypothesis_normalised": norm(raw_hyp),
    }


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Pooled WER over rows: (S + D + I) / reference words."""
    n = sum(r["ref_words"] for r in rows)
    errs = sum(r["substitutions"] + r["deletions"] + r["insertions"] for r in rows)
    nums = sum(len(r.get("numeral_substitutions", ())) for r in rows)
    return {
        "clips": len(rows),
        "ref_words": n,
        "errors": errs,
        "wer": round(errs / n, 4) if n else None,
        "numeral_substitutions": nums,
        "wer_numerals_forgiven": round((errs - nums) / n, 4) if n else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="base,tiny.en")
    ap.add_argument("--only", default="", help="comma-separated clip names (default: all)")
    ap.add_argument("--json", type=Path, help="write the raw result here")
    ap.add_argument("--dir", type=Path, default=None,
                    help="score only the recordings of this folder, each with <name>.stm or <name>.txt beside it "
                         "(a kept-back test set; the shared clips and the examples are left out)")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.asr import asr_params, get_model
    from sessionscope.config import AsrConfig

    only = {s for s in args.only.split(",") if s}
    results: dict[str, Any] = {}
    print("| model | clip | lang (detected p) | words ref/hyp | WER | CER | S/D/I | WER simple | RTF |")
    print("|---|---|---|---|---|---|---|---|---|")
    for model in args.models.split(","):
        cfg = AsrConfig(model=model)
        t0 = time.perf_counter()
        get_model(cfg)
        load_s = time.perf_counter() - t0
        rows = []
        for case in dir_cases(args.dir) if args.dir else cases():
            if (only and case[0] not in only) or (model.endswith(".en") and case[2] != "en"):
                continue
            row = run_case(case, cfg)
            rows.append(row)
            p = "" if row["language_probability"] is None else f" {row['language_probability']:.2f}"
            print(
                f"| {model} | {row['clip']} | {row['language_ref']} ({row['language_detected']}{p}) | "
                f"{row['ref_words']}/{row['hyp_words']} | {100 * row['wer']:.1f} % | {100 * row['cer']:.1f} % | "
                f"{row['substitutions']}/{row['deletions']}/{row['insertions']} | {100 * row['simple']['wer']:.1f} % | "
                f"{row['rtf']:.2f} |",
                flush=True,
            )
        settings = {k: v for k, v in asr_params(cfg).items() if k != "model_path"}
        results[model] = {
            "settings": settings,
            "load_s": round(load_s, 2),
            "clips": rows,
            "total": {
                lang: totals([r for r in rows if r["language_ref"] == lang])
                for lang in ("en", "ru")
                if any(r["language_ref"] == lang for r in rows)
            },
            # the real recordings only (not the bundled examples, which are synthetic speech)
            "total_real": {
                lang: totals([r for r in rows if r["language_ref"] == lang and not r["clip"].startswith("examples/")])
                for lang in ("en", "ru")
                if any(r["language_ref"] == lang and not r["clip"].startswith("examples/") for r in rows)
            },
        }
    if args.json:
        import platform

        write_result(
            args.json,
            "asr_wer.py",
            f"the recordings of {args.dir} (a kept-back set)" if args.dir else
            "real clips of ../shared/data with a reference (DEV/sample material; no kept-back data) "
            "and the bundled examples (synthetic speech)",
            {"machine": f"{platform.machine()} {platform.processor()} ({platform.node()})", "models": results},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

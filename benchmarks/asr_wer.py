"""Word and character error rates of the embedded Whisper models on real references.

    .venv/bin/python benchmarks/asr_wer.py [--models tiny.en,base]

Data (../shared/data, read in place): pyannote-sample (30 s English conversation, STM
reference), ru-pisets-sample (English and Russian read sentences), ru-golos-sample
(Russian), and the bundled examples/ when they carry a reference transcript. Text is
lower-cased, punctuation removed, ё→е before scoring (jiwer). Hallucination filter on.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def norm(text: str) -> str:
    text = text.lower().replace("ё", "е")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text)).strip()


def cases() -> list[tuple[str, Path, str, str]]:
    out = []
    stm = (DATA / "pyannote-sample/sample.stm").read_text().splitlines()
    out.append(("pyannote-sample", DATA / "pyannote-sample/sample.wav", "en", " ".join(r.split(maxsplit=5)[5] for r in stm)))
    out.append(("pisets-en", DATA / "ru-pisets-sample/test_sound_en.wav", "en",
                (DATA / "ru-pisets-sample/test_sound_en.txt").read_text(encoding="utf-8")))
    out.append(("pisets-ru", DATA / "ru-pisets-sample/test_sound_ru.wav", "ru",
                (DATA / "ru-pisets-sample/test_sound_ru.txt").read_text(encoding="utf-8")))
    for txt in sorted((DATA / "ru-golos-sample").glob("*.txt")):
        out.append((f"golos-{txt.stem[:6]}", txt.with_suffix(".wav"), "ru", txt.read_text(encoding="utf-8")))
    for stm_path in sorted((ROOT / "examples").glob("*/reference.stm")):
        audio = next((p for p in sorted(stm_path.parent.glob("recording.*"))), None)
        if audio:
            text = " ".join(r.split(maxsplit=5)[5] for r in stm_path.read_text(encoding="utf-8").splitlines()
                            if len(r.split(maxsplit=5)) == 6)
            lang = "ru" if re.search("[а-яё]", text.lower()) else "en"
            out.append((f"examples/{stm_path.parent.name}", audio, lang, text))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="tiny.en,base")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    import jiwer

    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import AsrConfig

    print("| model | file | lang (detected) | WER | CER | RTF | dropped |")
    print("|---|---|---|---|---|---|---|")
    for model in args.models.split(","):
        cfg = AsrConfig(model=model)
        get_model(cfg)
        for name, wav, lang, ref in cases():
            if model.endswith(".en") and lang != "en":
                continue
            audio = load_audio(wav)
            t0 = time.perf_counter()
            r = transcribe(audio.mono, config=cfg)
            secs = time.perf_counter() - t0
            hyp = norm(" ".join(s.text for s in r.segments))
            w = jiwer.wer(norm(ref), hyp) if hyp else 1.0
            c = jiwer.cer(norm(ref), hyp) if hyp else 1.0
            print(f"| {model} | {name} | {lang} ({r.language}) | {100 * w:.1f} % | {100 * c:.1f} % | "
                  f"{secs / audio.duration_s:.2f} | {r.filtered.hallucinations_dropped + r.filtered.repetitions_dropped} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

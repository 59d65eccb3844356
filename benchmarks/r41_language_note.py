"""When may a recording's report say "not English or Russian"? Whisper's language probabilities on real English
and Russian speech (whole clips and their first seconds) against speech in other languages.

    .venv/bin/python benchmarks/r41_language_note.py --json benchmarks/results/r41_language_note.json

The detection is the pipeline's own (``sessionscope.audio.asr.transcribe``, language auto, the default
``AsrConfig``: faster-whisper detects on the features of its first VAD chunks); the run stops once the language is
chosen (no decoding). Per recording it keeps Whisper's probabilities of every language, the VAD speech it found, and
whether each candidate rule would write the note "most probable language overall was …":

* ``top_other`` (the rule up to round 40): Whisper's most probable language overall is not a configured one;
* ``allowed_below_T``: the configured languages (en, ru) together have a probability below T, and the most probable
  language overall is not one of them.

Recordings (../shared/data read in place; the expected language first):

* real English and Russian: the clips of ``asr_language.py`` (pyannote sample, pisets EN/RU, golos, the 60 s Silero
  Russian clip and six 10 s windows of it, the stereo mix, the AMI excerpts of both folders) and every LibriSpeech
  utterance (10 per reader), each whole and cut to its first 1, 2, 3 and 5 s (recordings that short);
* other languages: no real recording in another language is in ../shared/data, so two sentences per language were
  spoken by ``espeak-ng`` (synthetic; ``apt install espeak-ng``), with English and Russian spoken by it too as a
  control for the synthetic voice itself; each whole and cut to 1, 2, 3 s.

Split: **choose** on the development recordings (LibriSpeech development readers 1688 1998 2033 2414, the
pyannote AMI excerpts and sample, every Russian clip: there are too few to hold any back, the first synthetic
sentence); **report** on held-out ones (ami-audio-excerpts trn00–trn07, LibriSpeech report readers 2609 3005 3080, the
second synthetic sentence).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_language import clips as real_clips  # noqa: E402
from asr_wer import DATA, write_result  # noqa: E402

SR = 16000
DEV_READERS = {"1688", "1998", "2033", "2414"}
CUTS_S = (1.0, 2.0, 3.0, 5.0)
THRESHOLDS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02)
MIN_SPEECH_S = (0.0, 1.0, 2.0, 3.0, 5.0)

#: two sentences per language, spoken by espeak-ng; the first is development, the second held out
SENTENCES: dict[str, tuple[str, str]] = {
    "en-us": ("Let's go through the plan for the next two weeks and decide who takes which task.",
              "I will send you the notes after the meeting, and we can talk again on Friday."),
    "ru": ("Давайте пройдёмся по плану на ближайшие две недели и решим, кто за что отвечает.",
           "Я пришлю тебе заметки после встречи, и мы созвонимся ещё раз в пятницу."),
    "de": ("Lass uns den Plan für die nächsten zwei Wochen durchgehen und entscheiden, wer welche Aufgabe übernimmt.",
           "Ich schicke dir die Notizen nach dem Treffen, und wir sprechen am Freitag noch einmal."),
    "fr-fr": ("Passons en revue le plan des deux prochaines semaines et décidons qui prend quelle tâche.",
              "Je t'envoie les notes après la réunion, et on en reparle vendredi."),
    "es": ("Repasemos el plan para las próximas dos semanas y decidamos quién se encarga de cada tarea.",
           "Te mando las notas después de la reunión y volvemos a hablar el viernes."),
    "it": ("Rivediamo il piano per le prossime due settimane e decidiamo chi si occupa di quale compito.",
           "Ti mando gli appunti dopo la riunione e ne riparliamo venerdì."),
    "pt": ("Vamos rever o plano para as próximas duas semanas e decidir quem fica com cada tarefa.",
           "Eu te mando as notas depois da reunião e conversamos de novo na sexta-feira."),
    "nl": ("Laten we het plan voor de komende twee weken doorlopen en beslissen wie welke taak oppakt.",
           "Ik stuur je de aantekeningen na de vergadering, en we spreken vrijdag weer."),
    "pl": ("Przejdźmy przez plan na najbliższe dwa tygodnie i zdecydujmy, kto bierze które zadanie.",
           "Wyślę ci notatki po spotkaniu i porozmawiamy jeszcze raz w piątek."),
    "uk": ("Давайте пройдемося планом на найближчі два тижні і вирішимо, хто яке завдання бере.",
           "Я надішлю тобі нотатки після зустрічі, і ми поговоримо ще раз у пʼятницю."),
    "tr": ("Önümüzdeki iki haftanın planını gözden geçirelim ve kimin hangi görevi alacağına karar verelim.",
           "Toplantıdan sonra notları sana gönderirim, cuma günü tekrar konuşuruz."),
    "sv": ("Låt oss gå igenom planen för de kommande två veckorna och bestämma vem som tar vilken uppgift.",
           "Jag skickar anteckningarna till dig efter mötet, så pratar vi igen på fredag."),
    "cs": ("Projděme si plán na příští dva týdny a rozhodněme, kdo si vezme který úkol.",
           "Pošlu ti poznámky po schůzce a v pátek si znovu promluvíme."),
    "fi": ("Käydään läpi seuraavan kahden viikon suunnitelma ja päätetään, kuka ottaa minkäkin tehtävän.",
           "Lähetän sinulle muistiinpanot kokouksen jälkeen, ja puhutaan taas perjantaina."),
    "cy": ("Gadewch i ni fynd trwy'r cynllun ar gyfer y pythefnos nesaf a phenderfynu pwy sy'n gwneud pob tasg.",
           "Byddaf yn anfon y nodiadau atoch chi ar ôl y cyfarfod, a gallwn siarad eto ddydd Gwener."),
    "hu": ("Nézzük át a következő két hét tervét, és döntsük el, ki melyik feladatot vállalja.",
           "Elküldöm neked a jegyzeteket a megbeszélés után, és pénteken újra beszélünk."),
}


def speak(voice: str, text: str, folder: Path) -> np.ndarray:
    """``text`` spoken by espeak-ng's ``voice``, as 16 kHz mono float32."""
    from sessionscope.audio.decode import load_audio

    wav = folder / f"{voice}-{abs(hash(text)) % 10**8}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True, capture_output=True)
    return load_audio(wav).mono


def recordings(folder: Path) -> list[dict[str, Any]]:
    """Every recording: name, group, split, expected language ("other" for another), samples."""
    from sessionscope.audio.decode import load_audio

    out: list[dict[str, Any]] = []

    def add(name: str, group: str, split: str, expected: str, samples: np.ndarray, cuts: tuple[float, ...]) -> None:
        out.append(dict(name=name, group=group, split=split, expected=expected, cut_s=None, samples=samples))
        for c in cuts:
            if len(samples) > c * SR:
                out.append(dict(name=f"{name}@{c:g}s", group=group, split=split, expected=expected, cut_s=c,
                                samples=samples[: int(c * SR)]))

    for name, wav, expected, _ in real_clips():
        if name.startswith("librispeech/"):
            continue
        split = "heldout" if name.startswith("ami-audio-excerpts/") else "dev"
        group = name.split("/")[0] if "/" in name else ("real-ru" if expected == "ru" else "real-en")
        samples = load_audio(wav).mono
        add(name, group, split, expected, samples, CUTS_S)
        if name == "silero-ru":
            for k in range(6):
                add(f"{name}[{10 * k}-{10 * k + 10}s]", group, split, expected, samples[k * 10 * SR:(k + 1) * 10 * SR], ())
    for spk in sorted(p for p in (DATA / "librispeech-voices").iterdir() if p.is_dir()):
        split = "dev" if spk.name in DEV_READERS else "heldout"
        for flac in sorted(spk.glob("*.flac")):
            add(f"librispeech/{flac.stem}", "librispeech", split, "en", load_audio(flac).mono, CUTS_S)
    for voice, texts in SENTENCES.items():
        lang = voice.split("-")[0]
        expected = lang if lang in ("en", "ru") else "other"
        for k, text in enumerate(texts):
            add(f"espeak/{voice}/{k}", "espeak-" + ("control" if expected != "other" else "other"),
                "dev" if k == 0 else "heldout", expected, speak(voice, text, folder), CUTS_S[:3])
    return out


class _Chosen(Exception):
    """Raised once the language is chosen: the benchmark needs no decoding."""


def detect(samples: np.ndarray, cfg: Any) -> dict[str, Any]:
    """Whisper's probabilities of every language as the pipeline's detection sees them, and the VAD speech."""
    import sessionscope.audio.asr as asr_mod
    from sessionscope.errors import AudioError

    seen: dict[str, Any] = {}
    original = asr_mod.pick_language
    original_vad = asr_mod.recorded_vad

    def picking(probs: list[tuple[str, float]], languages: list[str], **kw: Any) -> Any:
        seen["probs"] = {code: float(p) for code, p in probs}
        seen["chosen"] = original(probs, languages, **kw)
        return seen["chosen"]

    @contextmanager
    def recording(**kw: Any) -> Iterator[list[tuple[float, float]]]:
        with original_vad(**kw) as speech:
            seen["speech"] = speech
            yield speech

    def stop(_: str) -> None:
        raise _Chosen

    asr_mod.pick_language = picking
    asr_mod.recorded_vad = recording
    try:
        asr_mod.transcribe(samples, config=cfg, on_language=stop)
    except _Chosen:
        pass
    except AudioError as e:
        seen["error"] = str(e)
    finally:
        asr_mod.pick_language = original
        asr_mod.recorded_vad = original_vad
    return seen


def rule_names() -> list[str]:
    return ["top_other", *[f"allowed_below_{t:g}_speech_{s:g}" for t in THRESHOLDS for s in MIN_SPEECH_S]]


def notes(probs: dict[str, float], allowed: list[str], speech_s: float) -> dict[str, bool]:
    """Which candidate rule writes the note for these probabilities and this much VAD speech."""
    top = max(probs, key=probs.__getitem__)
    other = top not in allowed
    mass = sum(probs.get(a, 0.0) for a in allowed)
    return {"top_other": other, **{f"allowed_below_{t:g}_speech_{s:g}": other and mass < t and speech_s >= s
                                   for t in THRESHOLDS for s in MIN_SPEECH_S}}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per split, per rule: notes on English/Russian recordings (false) and on other languages (found), whole
    recordings and cut ones apart."""
    rules = [*rule_names(), "shipped"]
    out: dict[str, Any] = {}
    for split in ("dev", "heldout"):
        part = [r for r in rows if r["split"] == split and "rules" in r]
        table: dict[str, Any] = {}
        for rule in rules:
            cell: dict[str, Any] = {}
            for kind, pick in (("en_ru_real", lambda r: r["expected"] != "other" and not r["group"].startswith("espeak")),
                               ("en_ru_synthetic", lambda r: r["group"] == "espeak-control"),
                               ("other_synthetic", lambda r: r["expected"] == "other")):
                for span, cut in (("whole", lambda r: r["cut_s"] is None), ("cut", lambda r: r["cut_s"] is not None)):
                    sel = [r for r in part if pick(r) and cut(r)]
                    hit = [r["name"] for r in sel if (r["rules"][rule] if rule != "shipped" else r["noted"])]
                    cell[f"{kind}/{span}"] = {"n": len(sel), "noted": len(hit),
                                              "names": hit if kind != "other_synthetic" else None}
            table[rule] = cell
        out[split] = table
    return out


def choose(summary: dict[str, Any]) -> str:
    """The rule chosen on the development recordings, by a criterion set before the run: no note on a whole real
    English or Russian recording, notes on at most 1 % of the cut ones; of those, the most notes on the other
    languages (whole and cut); ties go to the smaller speech minimum, then the higher threshold."""
    dev = summary["dev"]

    def ok(rule: str) -> bool:
        cell = dev[rule]
        return cell["en_ru_real/whole"]["noted"] == 0 and cell["en_ru_real/cut"]["noted"] <= 0.01 * cell["en_ru_real/cut"]["n"]

    def key(rule: str) -> tuple[float, ...]:
        cell = dev[rule]
        found = cell["other_synthetic/whole"]["noted"] + cell["other_synthetic/cut"]["noted"]
        t, s = (float(x) for x in rule.removeprefix("allowed_below_").split("_speech_"))
        return (found, -s, t)

    return max((r for r in rule_names() if r != "top_other" and ok(r)), key=key)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.asr import get_model
    from sessionscope.config import AsrConfig

    cfg = AsrConfig()
    get_model(cfg)
    allowed = list(cfg.languages)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        recs = recordings(Path(tmp))
    for rec in recs:
        seen = detect(rec.pop("samples"), cfg)
        row = {**rec}
        if "probs" in seen:
            probs = seen["probs"]
            top = sorted(probs.items(), key=lambda kv: -kv[1])
            speech_s = sum(b - a for a, b in seen.get("speech", ()))
            row.update(chosen=seen["chosen"][0], top=[[c, round(p, 4)] for c, p in top[:3]],
                       allowed_mass=round(sum(probs.get(a, 0.0) for a in allowed), 4), speech_s=round(speech_s, 2),
                       rules=notes(probs, allowed, speech_s), noted=bool(seen["chosen"][3]))
        else:
            row["error"] = seen.get("error")
        rows.append(row)
        print(row["split"], row["name"], row.get("top"), row.get("allowed_mass"), row.get("speech_s"),
              row.get("error") or "", flush=True)
    summary = summarise(rows)
    for split, table in summary.items():
        for rule, cell in table.items():
            print(split, rule, {k: f"{v['noted']}/{v['n']}" for k, v in cell.items()})
    chosen = choose(summary)
    print("chosen on dev:", chosen)
    if args.json:
        write_result(args.json, "r41_language_note.py",
                     "choose: dev (LibriSpeech readers 1688 1998 2033 2414, pyannote AMI excerpts and sample, every "
                     "Russian clip, first synthetic sentence); report: heldout (ami-audio-excerpts, readers 2609 3005 "
                     "3080, second synthetic sentence)",
                     {"model": cfg.model, "languages": allowed, "thresholds": list(THRESHOLDS), "min_speech_s": list(MIN_SPEECH_S),
                      "chosen_on_dev": chosen, "summary": summary,
                      # each candidate rule's verdict follows from top, allowed_mass and speech_s (notes())
                      "recordings": [{k: v for k, v in r.items() if k != "rules"} for r in rows]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

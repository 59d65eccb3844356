"""Round 21 (ruaudit): what `run` hands a RUSSIAN mentoring pair and evaluator, read back.

Usage (from the repository root)::

    python benchmarks/r21_ruaudit.py run --work /tmp/r21/ruaudit_before --src /tmp/r21/base/src   # the round's start
    python benchmarks/r21_ruaudit.py run --work /tmp/r21/ruaudit_after                            # this checkout
    python benchmarks/r21_ruaudit.py check --before /tmp/r21/ruaudit_before --after /tmp/r21/ruaudit_after \
        --out benchmarks/results/r21_ruaudit_audit.json

``run`` writes, with the default (multilingual ``base``) model: the 60 s Silero Russian recording (no transcript,
language detected, two Russian participants given), a two-voice "conversation" joined from the Golos and Pisets
Russian utterances around 30 s of the Silero recording (reference text for the Golos and Pisets parts), the two
short utterances alone (``--language ru``, no participants), and a 3-session batch of one Russian pair with a
manifest (the Silero file, the joined file and the bundled Russian example recording, sanity only) plus
``report programme``. Development material only: no held-out audio.

``check`` reads every output back with :func:`r21_audit.check_session` (the outputs agree with each other) and the
Russian reader's checks: Markdown code shown as escaped backticks, backticks left as text in the HTML, a phrase
said twice in a row ("обратная связь — обратная связь …"), a count and a decimal run together ("1, 0,1 с"),
decimal points in Russian text, the "(а)" fallback in the round-21 notes, English month names or decimal points
in the Russian dashboard; WER of the parts with a reference (the repo's Russian normaliser, ``basic_norm``).
Every defect found before is marked fixed or not by the same check after.
"""

from __future__ import annotations

import argparse
import html as htmllib
import json
import re
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import r21_audit  # noqa: E402  (the English audit: its consistency checks and CLI wrapper are reused)

DATA = ROOT.parent / "shared" / "data"
GOLOS = DATA / "ru-golos-sample" / "001ce26c07c20eaa0d666b824c6c6924.wav"
PISETS = DATA / "ru-pisets-sample" / "test_sound_ru.wav"
SILERO = DATA / "ru-silero-unlabeled" / "ru.wav"
EXAMPLE = ROOT / "examples" / "ru_session" / "recording.ogg"
REF = {"golos": (GOLOS.with_suffix(".txt")).read_text(encoding="utf-8").strip(),
       "pisets": PISETS.with_suffix(".txt").read_text(encoding="utf-8").strip()}
FORMATS = ("markdown", "html", "rttm", "csv", "vtt")
PEOPLE = ["-p", "Анна=junior", "-p", "Игорь Петрович=senior"]
GAP_S = 0.8
#: the joined file: (part, seconds of it) in order; None = the whole part
CONV_PARTS: list[tuple[str, float | None]] = [("golos", None), ("pisets", None), ("silero", 30.0), ("golos", None),
                                               ("pisets", None)]
MANIFEST = """pairs:
  smirnova-volkov:
    language: ru
    participants:
    - {name: Анна Смирнова, role: junior, id: anna}
    - {name: Игорь Петрович Волков, role: senior, id: igor}
sessions:
- {id: av_2026-11-10, pair: smirnova-volkov, date: '2026-11-10', file: rec/av_2026-11-10.wav}
- {id: av_2026-11-17, pair: smirnova-volkov, date: '2026-11-17', file: rec/av_2026-11-17.wav}
- {id: av_2026-11-24, pair: smirnova-volkov, date: '2026-11-24', file: rec/av_2026-11-24.ogg}
"""


def _pcm(path: Path) -> bytes:
    with wave.open(str(path)) as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2
        return w.readframes(w.getnframes())


def conv_windows() -> list[tuple[str, float, float]]:
    """(part, start s, end s) of each part of the joined file."""
    out, t = [], 0.0
    for name, secs in CONV_PARTS:
        n = len(_pcm({"golos": GOLOS, "pisets": PISETS, "silero": SILERO}[name])) / 32000
        d = min(n, secs) if secs else n
        out.append((name, t, t + d))
        t += d + GAP_S
    return out


def make_conv(path: Path) -> None:
    """Golos, Pisets, 30 s of Silero, Golos, Pisets, 0.8 s of silence between (16 kHz mono)."""
    frames = []
    for i, (name, secs) in enumerate(CONV_PARTS):
        pcm = _pcm({"golos": GOLOS, "pisets": PISETS, "silero": SILERO}[name])
        frames.append(pcm[: int(secs * 32000)] if secs else pcm)
        if i < len(CONV_PARTS) - 1:
            frames.append(b"\0\0" * int(GAP_S * 16000))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(frames))


def run(work: Path) -> None:
    cli = r21_audit._cli()
    fmt = [a for f in FORMATS for a in ("--format", f)]
    conv = work / "data" / "ru_conv.wav"
    make_conv(conv)
    jobs = [(SILERO, "silero", PEOPLE), (conv, "conv", [*PEOPLE, "--language", "ru"]),
            (GOLOS, "short", ["--language", "ru"]), (PISETS, "short", ["--language", "ru"])]
    for wav, out, extra in jobs:
        subprocess.run([*cli, "run", str(wav), "--out", str(work / out), "--no-progress", "--force", *fmt, *extra],
                       check=False, stdout=subprocess.DEVNULL)
    batch = work / "batch"
    (batch / "rec").mkdir(parents=True, exist_ok=True)
    for name, src in (("av_2026-11-10.wav", SILERO), ("av_2026-11-17.wav", conv), ("av_2026-11-24.ogg", EXAMPLE)):
        if not (batch / "rec" / name).exists():
            (batch / "rec" / name).symlink_to(src)
    (batch / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    subprocess.run([*cli, "run", str(batch / "rec"), "--manifest", str(batch / "manifest.yaml"), "--out",
                    str(batch / "out"), "--no-progress", "--force", *fmt], check=False, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "report", "programme", str(batch / "out"), "--out", str(batch / "dash")], check=False,
                   stdout=subprocess.DEVNULL)


# -- the Russian reader's checks ---------------------------------------------------------------------------
def html_text(path: Path) -> str:
    """The visible text of an HTML page (scripts and styles removed), one element's text a line."""
    t = re.sub(r"<script.*?</script>|<style.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    t = htmllib.unescape(re.sub(r"<[^>]+>", "\n", t))
    return "\n".join(line.strip() for line in t.splitlines() if line.strip())


#: (what, pattern, where it is looked for: md, html or both)
RU_CHECKS: list[tuple[str, re.Pattern[str], str]] = [
    ("Markdown code shown as escaped backticks (\\`sessionscope remap\\`)", re.compile(r"\\`[^`\n]*\\`"), "md"),
    ("backticks left as text in the HTML", re.compile(r"`[^`\n]+`"), "html"),
    ("a phrase said twice in a row (label — the same label …)", re.compile(r"(?<!\w)(\w+(?: \w+)?) — \1(?!\w)"), "both"),
    ("a count and a decimal run together ('1, 0,1 с')", re.compile(r"\d+, \d+,\d+ с"), "both"),
    ("decimal point in Russian text (the report writes 0,47)", re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])"), "both"),
    ("'(а)' fallback in a round-21 data-quality note", re.compile(r"почти не говорил\(а\)"), "both"),
    ("awkward Russian: 'двух-с-половиной-минутных окон'", re.compile(r"двух-с-половиной-минутных"), "both"),
    ("'из N вопросов проверить: M' (clumsy; 'из 21 вопросов' is the wrong case)", re.compile(r"из \d+ вопросов проверить"),
     "both"),
]


def russian_checks(folder: Path) -> list[dict[str, Any]]:
    md = (folder / "summary.md").read_text(encoding="utf-8") if (folder / "summary.md").exists() else ""
    page = html_text(folder / "report.html") if (folder / "report.html").exists() else ""
    found = []
    for what, rx, where in RU_CHECKS:
        for kind, text in (("summary.md", md), ("report.html", page)):
            if where not in ("both", "md" if kind == "summary.md" else "html"):
                continue
            hits = sorted({m.group(0) for m in rx.finditer(text)})
            if hits:
                line = next(x for x in text.splitlines() if hits[0] in x)
                found.append({"what": what, "where": kind, "evidence": {"hits": hits[:5], "line": line[:300]}})
    return found


def wer_parts(folder: Path, windows: list[tuple[str, float, float]] | None) -> dict[str, Any] | None:
    """WER (the repo's Russian key, asr_wer.basic_norm) of the parts with a reference: the utterances whose middle
    lies in a part's window (the joined file), or the whole file (a short utterance alone)."""
    from asr_wer import basic_norm, score

    d = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    utts = [u for u in d["utterances"] if (u["text"] or "").strip()]
    if windows is None:
        part = "golos" if folder.name.startswith("001ce") else "pisets"
        pairs = [(part, REF[part], " ".join(u["text"] for u in utts))]
    else:
        pairs = [(f"{p}@{a:.1f}", REF[p], " ".join(u["text"] for u in utts if a <= (u["start"] + u["end"]) / 2 <= b))
                 for p, a, b in windows if p in REF]
    rows = {k: {**score(basic_norm(r), basic_norm(h)), "hyp": h} for k, r, h in pairs}
    for v in rows.values():
        v.pop("numeral_substitutions", None)
    return rows


def dashboard_checks(dash: Path) -> list[dict[str, Any]]:
    page = dash / "dashboard.html"
    if not page.exists():
        return []
    text = html_text(page)
    found = []
    months = sorted(set(re.findall(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", text)))
    if months:
        found.append({"what": "English month names on the Russian dashboard's date axes", "where": "dashboard.html (charts.py _date_ticks via dashboard.py)",
                      "evidence": {"hits": months, "line": next(x for x in text.splitlines() if months[0] in x)}})
    dots = sorted({m.group(0) for m in re.finditer(r"(?<![\w.])\d+\.\d+(?![\w.])", text)})
    if dots:
        found.append({"what": "decimal points on the Russian dashboard (axes, chart descriptions)", "where": "dashboard.html",
                      "evidence": {"hits": dots[:8], "line": next(x for x in text.splitlines() if dots[0] in x)[:300]}})
    return found


def sessions(work: Path) -> dict[str, Path]:
    out = {}
    for sub in ("silero", "conv", "short", "batch/out"):
        for j in sorted((work / sub).glob("*/session.json")):
            out[f"{sub}/{j.parent.name}"] = j.parent
    return out


#: r21_audit's checks that read the English wording: (its defect, the Russian report's section, the Russian words)
RU_SAID = {"roles guessed by order of first speech not said where the junior/senior figures are read":
           ("## Кто вёл разговор", "угадано по порядку первой реплики"),
           "speaker count estimated from the audio shown without saying so": ("", "определено по записи, а не задано")}


def said_in_russian(row: dict[str, Any], folder: Path) -> None:
    """Drop r21_audit's defects whose English words a Russian report says in Russian (kept in ``ru_said``)."""
    md = (folder / "summary.md").read_text(encoding="utf-8") if (folder / "summary.md").exists() else ""
    keep = []
    for x in row["defects"]:
        head, words = RU_SAID.get(x["what"], (None, None))
        part = md.split(head)[-1].split("\n## ")[0] if head else md
        if words is not None and words in part:
            row.setdefault("ru_said", []).append(x["what"])
        else:
            keep.append(x)
    row["defects"] = keep


def check_one(work: Path) -> dict[str, Any]:
    win = conv_windows()
    files: dict[str, Any] = {}
    for key, folder in sessions(work).items():
        row = r21_audit.check_session(folder, None, None, None)
        said_in_russian(row, folder)
        row["defects"] += russian_checks(folder)
        if key.startswith("short/"):
            row["wer"] = wer_parts(folder, None)
        elif key.startswith("conv/") or key.endswith("av_2026-11-17"):
            row["wer"] = wer_parts(folder, win)
        files[key] = row
    return {"files": files, "dashboard": {"defects": dashboard_checks(work / "batch" / "dash")}}


#: what the JSON keeps of each file's read-back (the consistency figures and the WER)
COMPACT = ("duration_s", "wer", "words_per_min", "rttm_vs_json_talk_s", "csv_matches_json", "vtt_matches_json",
           "boundary_repeats", "no_words_turns", "questions_answered_by_no_words", "speaker_mapping", "ru_said")


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Every defect found before, per file, marked fixed when the same check finds nothing after."""
    out = []
    groups = [(k, r["defects"], (after["files"].get(k) or {}).get("defects", [])) for k, r in before["files"].items()]
    groups.append(("batch/dash", before["dashboard"]["defects"], after["dashboard"]["defects"]))
    for key, b, a in groups:
        still = {(x["what"], x["where"]) for x in a}
        for x in b:
            out.append({"file": key, **x, "fixed": (x["what"], x["where"]) not in still})
        seen = {(x["what"], x["where"]) for x in b}
        out.extend({"file": key, **x, "fixed": False, "new_after": True} for x in a if (x["what"], x["where"]) not in seen)
    return out


#: read by hand in the same outputs, outside this helper's files or out of scope (not checked by code above)
BY_HAND = [
    {"what": "dashboard.py does not pass the language to line_chart_svg: English months ('2026 Nov 8', 'Dec 1') and "
             "decimal points ('0.79', '4.37') on the Russian dashboard", "where": "report/dashboard.py (pairvoice's file)",
     "evidence": "dashboard.html axis '2026 Nov 8 … 26'; <title>smirnova-volkov 2026-11-17: 0.79</title>",
     "fixed": True, "commit": "162a5d9 (the lead: dashboard.py passes lang=t.lang to charts.py's new lang, a3bb245)"},
    {"what": "a non-question listed under open questions", "where": "analysis/questions.py (detector, out of scope)",
     "evidence": "av_2026-11-17: 'что мы все-таки не зимой векути и так что ну' (marked 'проверить')", "fixed": False},
    {"what": "a request by the senior listed as a recommendation / key point", "where": "analysis/recommendations (detector)",
     "evidence": "example av_2026-11-24: 'попробую, покажите, как это настроить.' (Игорь Петрович → Анна, 67 %)",
     "fixed": False},
    {"what": "a senior's request to the junior given to the junior as her task", "where": "analysis/actions (detector)",
     "evidence": "example av_2026-11-24: 'Анна Смирнова | Договорились, пришли тем не ссылку на доску | 2026-11-30'",
     "fixed": False},
    {"what": "the same Silero audio is transcribed lower-case without punctuation after the Golos/Pisets utterances "
             "(first-window conditioning) and with punctuation alone", "where": "asr (out of scope)",
     "evidence": "silero/ru u0003 'можем дальше давно жить на Константу Больсмана, и даже …' vs conv 'можем дальше давно "
                 "жить на константу бульсмана и даже …'", "fixed": False},
    {"what": "gendered fallbacks '(а)' remain in flag and balance texts", "where": "report/i18n.py FLAGS_RU, bal_* "
     "(a deliberate style of earlier rounds; not changed)", "evidence": "'Разговор почти полностью вёл(а) Анна (младший)'",
     "fixed": False},
    {"what": "role words are masculine beside women's names", "where": "report/i18n.py roles",
     "evidence": "'Анна Смирнова (младший, 50 %)'", "fixed": False, "note": "needs the guide's own Russian role terms"},
    {"what": "CSV exports are UTF-8 without a BOM: Excel on a Russian Windows opens utterances.csv / programme_*.csv "
             "as mojibake (programme.xlsx is fine)", "where": "outputs.py, report/tables.py (documented as UTF-8)",
     "evidence": "head -c 3 utterances.csv = 'ses'", "fixed": False},
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["run", "check"])
    ap.add_argument("--work", type=Path)
    ap.add_argument("--before", type=Path)
    ap.add_argument("--after", type=Path)
    ap.add_argument("--src", type=Path, help="run: the src/ folder of another checkout (the round's start)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--fixed-in", default="", help="check: the commit that fixed what is fixed, "
                    "COMMIT or COMMIT,WORDS=COMMIT2 (defects whose text contains WORDS were fixed in COMMIT2)")
    ap.add_argument("--made-by", nargs=2, metavar=("BEFORE_SRC", "AFTER_SRC"), type=Path,
                    help="check: the src/ folders that made the before and after outputs (their commits are recorded)")
    args = ap.parse_args()
    r21_audit.SRC = args.src
    if args.what == "run":
        run(args.work)
        return 0
    before, after = check_one(args.before), check_one(args.after)
    fixed_in = dict(kv.split("=", 1) if "=" in kv else ("", kv) for kv in args.fixed_in.split(",") if kv)
    defects = [{**x, "commit": next((c for k, c in fixed_in.items() if k and k in x["what"]), fixed_in.get(""))}
               if x["fixed"] else x for x in compare(before, after)]
    payload = {"script": "benchmarks/r21_ruaudit.py", "commit": r21_audit.git_commit(),
               "split": "development material only (ru-silero-unlabeled, ru-golos-sample, ru-pisets-sample, the bundled "
                        "Russian example recording); no held-out audio", "command": " ".join(sys.argv),
               "outputs_made_by": [r21_audit.git_commit(p) for p in args.made_by] if args.made_by else None,
               "model": "base (default config)", "conv_windows_s": conv_windows(),
               "n_before": sum(not x.get("new_after") for x in defects),
               "n_fixed": sum(x["fixed"] for x in defects),
               "n_new_after": sum(bool(x.get("new_after")) for x in defects), "defects": defects,
               "by_hand": BY_HAND, "files_after": {k: {f: r.get(f) for f in COMPACT} for k, r in after["files"].items()}}
    text = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: payload[k] for k in ("n_before", "n_fixed", "n_new_after")}, indent=1))
    for x in defects:
        print(("FIXED " if x["fixed"] else "open  ") + f"{x['file']}: {x['what']} [{x['where']}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

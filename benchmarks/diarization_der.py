"""DER and talk-share error of what `run` delivers (speakers.rttm), on real voices and real meetings.

    nice -n 10 .venv/bin/python benchmarks/diarization_der.py --sets libri-report ami examples \\
        --json benchmarks/results/diarization_der.json

Runs the configured pipeline (``transcribe_file`` with ``--config`` or the default
configuration: the same code path as ``sessionscope run``), writes the session's
``speakers.rttm`` with the project's own writer, reads it back and scores it against the
reference at collar 0 and 0.25 s (md-eval convention, overlapped speech scored, speaker
count found by the tool; no manifest, so nothing tells it the count). Also scored: the
internal diarization turns, to show what alignment adds or loses.

Sets (``../shared/data``; the simulated conversations are generated first by
``benchmarks/librispeech_conversations.py``):

* ``libri-report``: simulated conversations of the *report* LibriSpeech speakers (never tuned on);
* ``libri-test``: ... of kept-back readers added to the folder (``librispeech_conversations.py --split test``);
* a folder path (``dir:<path>``): every ``*.wav`` (or ``.flac``, ``.ogg``, ``.mp3``) there with the ``reference.rttm`` beside them, its
  file ids the file names without extension: a kept-back set of recordings in the layout of ``ami-audio-excerpts``;
* ``libri-dev``: ... of the development speakers (tuning set);
* ``farfield``: simulated far-field 3-4 person meetings of the development speakers
  (``benchmarks/farfield_meetings.py``; development); ``farfield2``: the second seed
  (``--seed 20261209 --out .cache/conv/farfield2``; development);
* ``ami``: ``ami-audio-excerpts`` (held out: report only);
* ``pyannote-ami``: ``pyannote-ami-excerpts`` and ``pyannote-sample`` (development);
* ``examples``: the bundled TTS example sessions (EN, RU);
* ``conv/<folder>``: any generated folder under ``.cache/conv`` (e.g. ``conv/dev_r19``: development
  readers only; never a folder of the report readers).

Talk-share error: per reference speaker, |hypothesis share − reference share| in points,
after the optimal speaker mapping; a share is a speaker's speech time over the sum of all
speakers' speech times (overlap counted for each, as the dynamics stage does).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CONV = ROOT / ".cache" / "conv"


def folder_cases(folder: Path) -> list[tuple[str, Path, Path]]:
    """A set given as ``dir:<path>``: its recordings named in the ``reference.rttm`` beside them (the others are
    skipped with a line on stderr)."""
    if not (folder / "reference.rttm").is_file():
        raise SystemExit(f"no reference.rttm in {folder} (a set given as dir:<path> needs its recordings and "
                         f"one reference.rttm naming them by file name without extension)")
    audio = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".flac", ".ogg", ".mp3"))
    from sessionscope.audio.der import read_rttm

    named = set(read_rttm(folder / "reference.rttm"))
    for a in audio:
        if a.stem not in named:  # a recording the reference does not name
            print(f"{a.name}: not in {folder / 'reference.rttm'}; skipped", file=sys.stderr)
    audio = [a for a in audio if a.stem in named]
    if not audio:
        raise SystemExit(f"no recordings (.wav, .flac, .ogg, .mp3) named in {folder / 'reference.rttm'}")
    return [(a.stem, a, folder / "reference.rttm") for a in audio]


def cases(name: str) -> list[tuple[str, Path, Path]]:
    if name.startswith("dir:"):
        return folder_cases(Path(name[4:]).expanduser())
    if name in ("libri-report", "libri-dev", "libri-test"):
        folder = CONV / name.split("-")[1]
        if not (folder / "reference.rttm").is_file():
            raise SystemExit(f"generate first: .venv/bin/python benchmarks/librispeech_conversations.py "
                             f"--split {name.split('-')[1]} --out {folder}")
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name.startswith("conv/"):  # any generated development folder under .cache/conv, e.g. conv/dev_r19
        folder = CONV / name.split("/", 1)[1]
        if not (folder / "reference.rttm").is_file():
            raise SystemExit(f"no reference.rttm in {folder}")
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name in ("farfield", "farfield2"):
        folder = CONV / name
        if not (folder / "reference.rttm").is_file():
            raise SystemExit(f"generate first: .venv/bin/python benchmarks/farfield_meetings.py --out {folder}")
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name == "ami":
        folder = DATA / "ami-audio-excerpts"
        return [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
    if name == "pyannote-ami":
        folder = DATA / "pyannote-ami-excerpts"
        out = [(w.stem, w, folder / "reference.rttm") for w in sorted(folder.glob("*.wav"))]
        return out + [("sample", DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm")]
    if name == "examples":
        out = []
        for rttm in sorted((ROOT / "examples").glob("*/reference.rttm")):
            audio = next(iter(sorted(rttm.parent.glob("recording.*"))), None)
            if audio:
                out.append((rttm.parent.name, audio, rttm))
        return out
    raise SystemExit(f"unknown set {name}")


def set_kind(name: str) -> str:
    """What a set is for: held out, a kept-back test set, development or the bundled examples."""
    if name in ("ami", "libri-report"):
        return "held out (report only)"
    if name == "libri-test" or name.startswith("dir:"):
        return "kept-back test set"
    if name in ("libri-dev", "pyannote-ami", "farfield", "farfield2") or name.startswith("conv/dev"):
        return "development"
    return "bundled examples"


def shares(segs: list[tuple[float, float, str]]) -> dict[str, float]:
    from sessionscope.analysis import intervals as iv

    talk = {s: iv.total(iv.merge((a, b) for a, b, x in segs if x == s)) for s in {x for *_, x in segs}}
    total = sum(talk.values())
    return {s: v / total for s, v in talk.items()} if total else {}


def share_errors(ref: list[tuple[float, float, str]], hyp: list[tuple[float, float, str]]) -> dict[str, float]:
    """|share error| in points per reference speaker, after the optimal (overlap-time) mapping."""
    from scipy.optimize import linear_sum_assignment

    rs, hs = shares(ref), shares(hyp)
    rl, hl = sorted(rs), sorted(hs)
    if not hl:
        return {r: 100 * rs[r] for r in rl}
    co = np.array([[sum(max(0.0, min(b, d) - max(a, c)) for a, b, x in ref if x == r for c, d, y in hyp if y == h)
                    for h in hl] for r in rl])
    ri, hi = linear_sum_assignment(-co)
    match = {rl[i]: hl[j] for i, j in zip(ri, hi, strict=True)}
    return {r: round(100 * abs(rs[r] - hs.get(match.get(r, ""), 0.0)), 2) for r in rl}


def without_fill(wav: Path, config: object, ref: list, dur: float) -> dict[str, object]:
    """The delivered utterances without the word-backed fill (same transcription and diarization): DER,
    its parts, the speaker count and the talk-share errors, keys prefixed ``nofill_``."""
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import decode_step, recognise_step, seed_everything

    decoded = decode_step(wav)
    seed_everything(decoded.sha256)
    rec = recognise_step(decoded, config=config, language=None, n_people=0, cache=ResultCache(), word_fill=None)  # type: ignore[arg-type]
    hyp = [(u.start, u.end, u.speaker) for u in rec.utterances if u.end > u.start]
    return {"nofill_hyp_speakers": len({x for *_, x in hyp}), **der_parts(ref, hyp, dur, prefix="nofill_"),
            "nofill_share_err": share_errors(ref, hyp)}


def delivered_text(session: object) -> dict[str, str]:
    """``{"text": ...}``: the delivered utterances' texts in time order ("" when no speech was found)."""
    utts = getattr(session, "utterances", ())
    return {"text": " ".join(u.text.strip() for u in sorted(utts, key=lambda u: u.start or 0.0))}


def der_parts(ref: list, hyp: list, dur: float, *, prefix: str = "") -> dict[str, float]:
    """DER and its parts in % of the scored speaker time, the scored time and the error time (s), at collar 0 and 0.25."""
    from sessionscope.audio.der import der

    out: dict[str, float] = {}
    for collar in (0.0, 0.25):
        r = der(ref, hyp, collar=collar, uem=(0.0, dur))
        out[f"{prefix}der_c{collar}"] = round(100 * r.der, 2)
        out[f"{prefix}miss_c{collar}"] = round(100 * r.missed / r.reference, 2)
        out[f"{prefix}fa_c{collar}"] = round(100 * r.false_alarm / r.reference, 2)
        out[f"{prefix}conf_c{collar}"] = round(100 * r.confusion / r.reference, 2)
        out[f"{prefix}ref_s_c{collar}"] = round(r.reference, 3)
        out[f"{prefix}err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
    return out


def nofill_summary(rs: list[dict]) -> dict[str, object]:
    """The set's summary of the ``nofill_`` columns (:func:`without_fill`)."""
    errs = [v for r in rs for v in r["nofill_share_err"].values()]
    return {
        **{k: round(float(np.mean([r[f"nofill_{k}"] for r in rs])), 2) for k in
           ("der_c0.0", "der_c0.25", "miss_c0.0", "fa_c0.0", "conf_c0.0", "miss_c0.25", "fa_c0.25", "conf_c0.25")},
        **{f"der_pooled_c{c}": round(100 * sum(r[f"nofill_err_s_c{c}"] for r in rs)
                                     / max(sum(r[f"run_ref_s_c{c}"] for r in rs), 1e-9), 2) for c in (0.0, 0.25)},
        "count_right": f"{sum(r['ref_speakers'] == r['nofill_hyp_speakers'] for r in rs)}/{len(rs)}",
        "share_err_mean": round(float(np.mean(errs)), 2), "share_err_max": max(errs),
        "share_within_5pt": f"{sum(v <= 5 for v in errs)}/{len(errs)}"}


def parse_overrides(items: list[str]) -> dict:
    """``SECTION.KEY=VALUE`` strings (``--set``) as a configuration override mapping (values read as YAML)."""
    import yaml

    overrides: dict = {}
    for item in items:
        key, _, value = item.partition("=")
        section, _, name = key.partition(".")
        if not name:
            raise SystemExit(f"--set needs SECTION.KEY=VALUE, got {item!r}")
        overrides.setdefault(section, {})[name] = yaml.safe_load(value)
    return overrides


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["libri-report", "ami", "examples"])
    ap.add_argument("--config", type=Path, help="configuration file (default: the built-in defaults, as `run`)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="override one configuration value after --config (YAML value), e.g. diarization.chunk_step_s=7.5")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files per set (0: all)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--without-fill", action="store_true",
                    help="also score, in the same pass, the delivered output without the word-backed fill "
                         "(``recognise_step(word_fill=None)``, transcription and diarization from the cache)")
    ap.add_argument("--keep-text", action="store_true",
                    help="store each file's delivered transcript (utterance texts in time order) in its row, for "
                         "comparing the words between versions of the same audio (call_conversations_r19_calls.py)")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.config import load_config
    from sessionscope.errors import AudioError
    from sessionscope.io import write_transcript

    overrides = parse_overrides(args.overrides)
    config = load_config(args.config, overrides=overrides or None)
    rows = []
    load0 = os.getloadavg()[0]
    for set_name in args.sets:
        todo = cases(set_name)
        if args.limit:
            todo = todo[: args.limit]
        for uri, wav, rttm in todo:
            ref = read_rttm(rttm)[uri]
            t0, c0 = time.perf_counter(), time.process_time()
            error = None
            try:
                s = transcribe_file(wav, config=config, session_id=uri)
            except AudioError as e:  # "no speech found": scored as an empty hypothesis (what the user got)
                print(f"{uri}: {e}", file=sys.stderr)
                s, error = None, str(e)
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            if s is not None:
                with tempfile.TemporaryDirectory() as tmp:
                    out = write_transcript(s, Path(tmp) / "speakers.rttm", "rttm")
                    delivered = next(iter(read_rttm(out).values()), [])
                internal = [(a, b, lab) for a, b, lab in s.extra["audio"]["speaker_turns"]]
                dur = s.duration_s or max(e for _, e, _ in ref)
            else:
                delivered, internal, dur = [], [], load_audio(wav).duration_s
            row = {"set": set_name, "uri": uri, "ref_speakers": len({x for *_, x in ref}),
                   "hyp_speakers": len({x for *_, x in delivered}), "seconds": round(secs, 1), "cpu_s": round(cpu, 1),
                   "audio_s": round(dur, 1), "method": s.extra["audio"]["diarization"] if s is not None else None,
                   "error": error}
            for name, hyp in (("run", delivered), ("diar", internal)):
                for collar in (0.0, 0.25):
                    r = der(ref, hyp, collar=collar, uem=(0.0, dur))
                    row[f"{name}_der_c{collar}"] = round(100 * r.der, 2)
                    if name == "run":
                        row[f"run_miss_c{collar}"] = round(100 * r.missed / r.reference, 2)
                        row[f"run_fa_c{collar}"] = round(100 * r.false_alarm / r.reference, 2)
                        row[f"run_conf_c{collar}"] = round(100 * r.confusion / r.reference, 2)
                        row[f"run_ref_s_c{collar}"] = round(r.reference, 3)  # scored speaker time, for the pooled DER
                        row[f"run_err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
            errs = share_errors(ref, delivered)
            if args.without_fill:
                row.update(without_fill(wav, config, ref, dur) if s is not None else
                           {**{f"nofill_{k[4:]}": v for k, v in row.items() if k.startswith("run_")},  # no speech found
                            "nofill_hyp_speakers": 0, "nofill_share_err": errs})
            row.update(delivered_text(s) if args.keep_text else {})
            row["share_err_max"] = max(errs.values()) if errs else None
            row["share_err"] = errs
            rows.append(row)
            print(json.dumps(row), flush=True)
    summary = {}
    for set_name in args.sets:
        rs = [r for r in rows if r["set"] == set_name]
        failed = [r["uri"] for r in rows if r["set"] == set_name and r["error"]]
        if not rs:
            continue
        summary[set_name] = {
            "files": len(rs), "failed": failed,
            **{k: round(float(np.mean([r[k] for r in rs])), 2) for k in
               ("run_der_c0.0", "run_der_c0.25", "diar_der_c0.0", "diar_der_c0.25", "run_miss_c0.0", "run_fa_c0.0",
                "run_conf_c0.0", "run_miss_c0.25", "run_fa_c0.25", "run_conf_c0.25")},
            # pooled: total error time over total scored speaker time (a per-file mean lets clips with
            # under a second of speech weigh as much as a whole talk)
            **{f"run_der_pooled_c{c}": round(100 * sum(r[f"run_err_s_c{c}"] for r in rs)
                                             / max(sum(r[f"run_ref_s_c{c}"] for r in rs), 1e-9), 2) for c in (0.0, 0.25)},
            "count_right": f"{sum(r['ref_speakers'] == r['hyp_speakers'] for r in rs)}/{len(rs)}",
            "share_err_mean": round(float(np.mean([v for r in rs for v in r["share_err"].values()])), 2),
            "share_err_max": max(r["share_err_max"] for r in rs),
            "share_within_5pt": f"{sum(v <= 5 for r in rs for v in r['share_err'].values())}/"
                                f"{sum(len(r['share_err']) for r in rs)}",
            "cpu_s_per_audio_s": round(sum(r["cpu_s"] for r in rs) / sum(r["audio_s"] for r in rs), 3),
        }
        if args.without_fill and all("nofill_der_c0.0" in r for r in rs):
            summary[set_name]["without_fill"] = nofill_summary(rs)
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/diarization_der.py", *sys.argv[1:]]), "commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "data": {s: set_kind(s) for s in args.sets},
            "config": str(args.config or "defaults"), "overrides": overrides, "load_average_at_start": round(load0, 2), "cores": os.cpu_count(),
            "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""End-to-end `sessionscope run` against faster-whisper alone, side by side, in fresh processes.

    nice -n 10 .venv/bin/python benchmarks/speed_run.py --minutes 5 --repeats 2 --json benchmarks/results/speed_5min.json

Children run as an installed package runs (``pip install`` compiles the bytecode): both sides cache
their bytecode in a temporary ``PYTHONPYCACHEPREFIX``, even where the environment sets
``PYTHONDONTWRITEBYTECODE``, after one untimed warm-up of each command (round 14; ``--no-bytecode``
keeps the environment's setting, as every run before round 14 did: a checkout recompiles its ~70
modules in every `run`, about 0.4 CPU s, while faster-whisper's site-packages are compiled).

The recording is built from real speech in ../shared/data (simulated LibriSpeech
conversations of the report speakers when generated, else the pyannote sample and AMI
excerpts), repeated to ``--minutes`` and written to a temporary wav. Then, alternating
``--repeats`` times, each in a fresh process:

* **run**: ``sessionscope run FILE --no-cache --no-progress`` with the configured
  pipeline (``--config`` or defaults): model load, decoding, transcription,
  diarization, alignment, every text stage, all default outputs;
* **asr**: faster-whisper alone with the same model folder and settings as ``asr``
  in the configuration (``BatchedInferencePipeline``, int8 on CPU, beam 5, word
  timestamps, VAD, same batch size), segments consumed. The VAD gets the configured
  ``vad_parameters`` (``asr.vad_threshold`` / ``vad_min_silence_ms`` / ``vad_speech_pad_ms``) and, with
  ``asr.vad_normalise``, the same levelled copy of the audio (``decode.vad_level``) that ``run``'s VAD sees.

Both are timed in each language variant of ``--variants`` (default both), like against like:

* ``detect``: neither is told the language. ``run`` detects it among the configured
  languages (its default); faster-whisper alone detects it its own way (its default when no
  language is given: one detection pass on the features it has already computed). Since issue 11's
  fifth round ``run`` detects the same way inside its transcription (up to 2 windows, the second
  only when the first is not confident), restricted to the configured languages;
* ``en``: both are told English (``run --language en``, ``language="en"``).

``--modes`` (default ``default``: what ``run`` does by itself) times ``run`` in several audio
orders, alternating inside each repeat, which is the like-with-like A/B on a shared machine:
``concurrent`` (``SESSIONSCOPE_AUDIO_CONCURRENT=1``: diarization in a second thread during the
transcription) and ``sequential`` (``=0``: one after the other). Every ``session.json`` of a variant is
compared with the first one, timing fields left out (``extra.audio.wall_s`` / ``cpu_s``, stage seconds,
dates, ``extra.audio.concurrent_recognition``): ``identical_outputs`` says whether all are the same, ``differences`` lists the paths that are not.

(Before issue 11's second speed round, only ``run`` detecting against faster-whisper told
``en`` was timed: a mixed comparison, kept in the JSON files of that time.)

Reported: wall and CPU seconds (user + system of the child) of each, their ratios
(medians), the peak memory (max RSS) of each, and the per-stage wall and CPU seconds
that ``run`` recorded in ``session.json`` (``extra.audio.cpu_s`` and ``provenance``), with the CPU
seconds outside the audio stages (``outside_audio_cpu_s``: start-up, model loading, text stages, outputs).
CPU-seconds ratios are less sensitive to other load on the machine than wall ratios; the
load average is recorded at the start and end.

``--asr-tuned`` (round 19) also times faster-whisper alone with the glibc thresholds that ``run`` sets for itself
once the recording is decoded (``decode.keep_freed_memory``: ``mallopt`` in process, before the model loads), right
after the plain one in every repeat: ``ratio_wall_tuned`` / ``ratio_cpu_tuned`` compare ``run`` with it (like for
like: the same allocator on both sides), ``ratio_wall`` / ``ratio_cpu`` stay the comparison with the library as users
run it (glibc's defaults). Since round 27 the tuned one also starts with the ``GLIBC_TUNABLES`` that the console
script gives an audio command (``sessionscope.cli.hugepages``: transparent huge pages for malloc's memory, where the
kernel's THP mode is ``madvise`` and glibc is 2.35 or later; ``asr_tuned_env`` in the JSON says what it got).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analyze_speed import child_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PY = sys.executable

ASR_ALONE = r"""
import os, sys, time
if os.environ.get("SPEED_RUN_ASR_TUNED") == "1":  # --asr-tuned: the glibc thresholds `run` sets for itself
    from sessionscope.audio.decode import keep_freed_memory
    assert keep_freed_memory()
from sessionscope.config import load_config
from sessionscope.models import resolve_whisper, pick_device
from faster_whisper import WhisperModel, BatchedInferencePipeline
cfg = load_config(sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None).asr
device, compute = pick_device(cfg.device, cfg.compute_type)
model = WhisperModel(resolve_whisper(cfg.model), device=device, compute_type=compute, cpu_threads=cfg.cpu_threads,
                     local_files_only=True)
pipe = BatchedInferencePipeline(model=model)
lang = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
if cfg.vad_normalise:  # the same VAD input as run's: each 10 min block at -26 dBFS RMS, the audio transcribed as it is
    import faster_whisper.transcribe as fwt
    from sessionscope.audio.decode import vad_level
    _vad = fwt.get_speech_timestamps
    fwt.get_speech_timestamps = lambda audio, *a, **k: _vad(vad_level(audio), *a, **k)
vad = {"threshold": cfg.vad_threshold, "min_silence_duration_ms": cfg.vad_min_silence_ms,
       "speech_pad_ms": cfg.vad_speech_pad_ms}
segs, info = pipe.transcribe(sys.argv[1], language=lang, beam_size=cfg.beam_size, vad_filter=True,
                             vad_parameters=vad, word_timestamps=cfg.word_timestamps, batch_size=cfg.batch_size)
n = sum(len(s.words or ()) for s in segs)
print(f"words {n} language {info.language}")
"""


def build(minutes: float, path: Path, conversations: Path | None = None) -> str:
    """Write the recording; ``conversations``: a folder of conversations to build it from instead of
    ``.cache/conv/report`` (round 26: ``.cache/conv/dev_r19``, development speakers only)."""
    from sessionscope.audio.decode import load_audio

    folder = conversations or ROOT / ".cache" / "conv" / "report"
    conv = sorted(folder.glob("*.wav"))
    if conv:
        who = "report speakers" if conversations is None else f"{folder.name}"
        parts, source = [load_audio(p).mono for p in conv], f"simulated LibriSpeech conversations ({who})"
    else:
        parts = [load_audio(DATA / "pyannote-sample/sample.wav").mono]
        parts += [load_audio(DATA / f"pyannote-ami-excerpts/{u}.wav").mono * 4 for u in ("dev00", "dev01", "trn05", "trn08")]
        source = "pyannote sample + AMI excerpts"
    unit = np.concatenate(parts)
    n = int(minutes * 60 * 16000)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        written = 0
        while written < n:
            chunk = unit[: n - written]
            w.writeframes((np.clip(chunk, -1, 1) * 32767).astype("<i2").tobytes())
            written += len(chunk)
    return source


WRAP = (
    "import json, resource, subprocess, sys, time\n"
    "t0 = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "wall = time.perf_counter() - t0\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'rc': p.returncode, 'wall_s': wall, 'cpu_s': r.ru_utime + r.ru_stime, 'sys_s': r.ru_stime,"
    " 'max_rss_mb': r.ru_maxrss / 1024, 'stderr': p.stderr[-3000:]}))\n"
)


MODES = {"default": None, "concurrent": "1", "sequential": "0"}
TIMING_KEYS = {"wall_s", "cpu_s", "seconds", "created", "created_at", "started_at", "finished_at", "generated_at",
               "elapsed_s", "date_utc", "concurrent_recognition"}  # how long, when, and in which order it ran


def _strip_timings(x: object) -> object:
    if isinstance(x, dict):
        return {k: _strip_timings(v) for k, v in x.items() if k not in TIMING_KEYS}
    if isinstance(x, list):
        return [_strip_timings(v) for v in x]
    return x


def differences(a: object, b: object, path: str = "") -> list[str]:
    """Paths where two JSON values differ (timing fields already stripped)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}/{k}" for k in sorted(set(a) ^ set(b))]
        for k in sorted(set(a) & set(b)):
            out += differences(a[k], b[k], f"{path}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [path or "/"]


def outside_audio(total_cpu: float, audio_cpu: dict[str, float] | None) -> float | None:
    """CPU seconds of ``run`` outside its audio stages: start-up, imports, model loading, text stages, outputs
    (the process's total less decode, transcription, diarization, text models loaded beside them, alignment
    and identification)."""
    if not audio_cpu:
        return None
    parts = ["decode", "alignment", "identification"]
    parts += ["recognition"] if "recognition" in audio_cpu else ["transcription", "diarization"]
    return round(total_cpu - sum(audio_cpu.get(k, 0.0) for k in parts), 3)


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
          base: dict[str, str] | None = None) -> dict[str, float]:
    """Wall, CPU (user+sys) and peak RSS of one fresh child process (measured by a tiny wrapper process,
    so the peak memory is that child's own, not the largest of all children so far); ``base``: the
    children's environment (default: this process's), ``env``: added to it."""
    p = subprocess.run([PY, "-c", WRAP, *cmd], cwd=cwd, capture_output=True, text=True,
                       env={**(os.environ if base is None else base), "PYTHONWARNINGS": "ignore", **(env or {})})
    out = json.loads(p.stdout.strip().splitlines()[-1])
    if out["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out['rc']}):\n{out['stderr']}")
    return {"wall_s": round(out["wall_s"], 2), "cpu_s": round(out["cpu_s"], 2), "sys_s": round(out["sys_s"], 2),
            "max_rss_mb": round(out["max_rss_mb"])}


def tuned_env() -> dict[str, str]:
    """What faster-whisper alone gets in ``--asr-tuned`` besides the thresholds: the ``GLIBC_TUNABLES`` that
    ``sessionscope run`` starts itself again with on this machine (none where it does not)."""
    import importlib.util
    import platform

    # this checkout's module, by its file: the same tunable when --json times another checkout's src (PYTHONPATH)
    spec = importlib.util.spec_from_file_location("_hugepages", ROOT / "src" / "sessionscope" / "cli" / "hugepages.py")
    assert spec is not None and spec.loader is not None
    hugepages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hugepages)
    plan = hugepages.reexec_plan(argv=["sessionscope", "run"], orig_argv=[PY, "sessionscope", "run"], executable=PY,
                                 env={k: v for k, v in os.environ.items() if k != hugepages.MARKER},
                                 platform=sys.platform, libc=platform.libc_ver(),
                                 thp=hugepages._read(hugepages.THP_ENABLED))
    return {"SPEED_RUN_ASR_TUNED": "1", **({"GLIBC_TUNABLES": plan[1]["GLIBC_TUNABLES"]} if plan else {})}


def warm_up(tmp: Path, wav: Path, script: Path, cfg: list[str], config: Path | None, base: dict[str, str], *,
            asr: bool) -> None:
    """One untimed `run` (and faster-whisper alone): compiles and caches the bytecode both sides import."""
    timed([str(Path(PY).parent / "sessionscope"), "run", str(wav), "--out", str(tmp / "warmup"),
           "--no-cache", "--no-progress", "--force", *cfg], ROOT, base=base)
    if asr:
        timed([PY, str(script), str(wav), str(config or ""), ""], ROOT, base=base)


def summary(runs: dict[str, list[dict[str, float]]], kinds: list[str], dur: float, outputs: list[object],
            stages: list[dict]) -> dict:
    """One language variant's medians, ratios (against faster-whisper alone, plain and, with ``--asr-tuned``,
    tuned) and output check."""
    med = {k: {m: statistics.median(r[m] for r in rs) for m in ("wall_s", "cpu_s", "sys_s", "max_rss_mb")}
           for k, rs in runs.items() if rs}
    res: dict = {"median": med}
    for kind in kinds:
        tag = kind[3:]  # "" or "_concurrent" / "_sequential"
        res[f"rtf_run{tag}"] = round(med[kind]["wall_s"] / dur, 3)
        res[f"cpu_per_audio_s_run{tag}"] = round(med[kind]["cpu_s"] / dur, 3)
        for alone, suffix in (("asr", ""), ("asr_tuned", "_tuned")):
            if alone in med:
                res[f"ratio_wall{tag}{suffix}"] = round(med[kind]["wall_s"] / med[alone]["wall_s"], 3)
                res[f"ratio_cpu{tag}{suffix}"] = round(med[kind]["cpu_s"] / med[alone]["cpu_s"], 3)
    diffs = sorted({d for o in outputs[1:] for d in differences(outputs[0], o)})
    res.update(identical_outputs=not diffs, differences=diffs[:50], runs=runs, run_stages=stages)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--config", type=Path)
    ap.add_argument("--run-only", action="store_true", help="time `run` only (e.g. the 2-hour memory check)")
    ap.add_argument("--variants", default="detect,en",
                    help="language variants, comma-separated: detect (neither told the language), en (both told English)")
    ap.add_argument("--modes", default="default",
                    help="audio orders of `run`, comma-separated: default (as configured), concurrent, sequential")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="children keep PYTHONDONTWRITEBYTECODE (a checkout that recompiles its modules in every process); "
                         "by default they cache bytecode in a temporary PYTHONPYCACHEPREFIX, as an installed package "
                         "runs, after one untimed warm-up of each command")
    ap.add_argument("--asr-tuned", action="store_true",
                    help="also time faster-whisper alone with the glibc thresholds run sets for itself (like for like)")
    ap.add_argument("--conversations", type=Path,
                    help="build the recording from this folder's conversations (default: .cache/conv/report)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if not variants or set(variants) - {"detect", "en"}:
        print(f"--variants: a comma-separated list of detect, en (got {args.variants!r})", file=sys.stderr)
        return 2
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - set(MODES):
        print(f"--modes: a comma-separated list of {', '.join(MODES)} (got {args.modes!r})", file=sys.stderr)
        return 2
    load_start = os.getloadavg()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    kinds = [("run" if m == "default" else f"run_{m}") for m in modes]
    runs: dict[str, dict[str, list[dict[str, float]]]] = {v: {**{k: [] for k in kinds}, "asr": [], "asr_tuned": []}
                                                          for v in variants}
    stages: dict[str, list[dict]] = {v: [] for v in variants}
    outputs: dict[str, list[object]] = {v: [] for v in variants}
    asr_tuned_env = tuned_env() if args.asr_tuned else {}
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "recording.wav"
        source = build(args.minutes, wav, args.conversations)
        script = Path(tmp) / "asr_alone.py"
        script.write_text(ASR_ALONE)
        cfg = [] if args.config is None else ["--config", str(args.config)]
        base = child_env(Path(tmp), bytecode=not args.no_bytecode)
        if not args.no_bytecode:
            warm_up(Path(tmp), wav, script, cfg, args.config, base, asr=not args.run_only)
        for i in range(args.repeats):
            for v in variants:
                for mode, kind in zip(modes, kinds, strict=True):
                    out = Path(tmp) / f"out{i}{v}{mode}"
                    lang = ["--language", "en"] if v == "en" else []
                    env = {} if MODES[mode] is None else {"SESSIONSCOPE_AUDIO_CONCURRENT": str(MODES[mode])}
                    runs[v][kind].append(timed([str(Path(PY).parent / "sessionscope"), "run", str(wav), "--out", str(out),
                                                "--no-cache", "--no-progress", "--force", *lang, *cfg], ROOT, env, base))
                    sj = next(out.rglob("session.json"))
                    data = json.loads(sj.read_text())
                    extra = data.get("extra", {}).get("audio", {})
                    stages[v].append({"mode": mode, "concurrent_recognition": extra.get("concurrent_recognition"),
                                      "audio_cpu_s": extra.get("cpu_s"), "audio_wall_s": extra.get("wall_s"),
                                      "outside_audio_cpu_s": outside_audio(runs[v][kind][-1]["cpu_s"], extra.get("cpu_s")),
                                      "stage_runs": (data.get("provenance") or {}).get("stage_runs")})
                    outputs[v].append(_strip_timings(data))
                    print(v, kind, runs[v][kind][-1], flush=True)
                if not args.run_only:
                    runs[v]["asr"].append(timed([PY, str(script), str(wav), str(args.config or ""),
                                                 "en" if v == "en" else ""], ROOT, base=base))
                    print(v, "asr", runs[v]["asr"][-1], flush=True)
                if args.asr_tuned and not args.run_only:
                    runs[v]["asr_tuned"].append(timed([PY, str(script), str(wav), str(args.config or ""),
                                                       "en" if v == "en" else ""], ROOT, asr_tuned_env, base))
                    print(v, "asr_tuned", runs[v]["asr_tuned"][-1], flush=True)
    dur = args.minutes * 60
    result: dict = {"recording_min": args.minutes, "source": source, "bytecode": not args.no_bytecode,
                    "asr_tuned_env": asr_tuned_env or None, "variants": {}}
    for v in variants:
        result["variants"][v] = summary(runs[v], kinds, dur, outputs[v], stages[v])
    result.update(load_average_start=[round(x, 2) for x in load_start], load_average_end=[round(x, 2) for x in os.getloadavg()],
                  cores=os.cpu_count())
    for v, res in result["variants"].items():
        print(v, json.dumps({k: x for k, x in res.items() if k not in ("runs", "run_stages", "differences")}, indent=1))
        if res["differences"]:
            print(v, "outputs differ at:", ", ".join(res["differences"][:20]))
        print(v, "per-stage (last run):", json.dumps(res["run_stages"][-1]["audio_cpu_s"]),
              json.dumps(res["run_stages"][-1]["stage_runs"])[:2000])
    print("load average", result["load_average_start"], "->", result["load_average_end"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        pythonpath = os.environ.get("PYTHONPATH", "")
        dirty = not pythonpath and subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True,
                                                  text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/speed_run.py", *sys.argv[1:]]),
                                         "commit": commit + (" (src with uncommitted changes)" if dirty else ""),
                                         "pythonpath": pythonpath or None,
                                         "date_utc": started,
                                         "config": str(args.config or "defaults"), **result}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Build the bundled example sessions from their scripts (``examples/scripts/*.yaml``).

Each script is a two-person reverse-mentoring dialogue with gold labels on every turn.
This script speaks every turn with a Debian TTS voice, lays the turns out on a timeline
with natural, seeded pauses (and the scripted overlaps, mixed), and writes, from the
*actual* synthesised timings:

- ``examples/<id>/recording.ogg``: the mixed mono recording, Opus, 16 kHz;
- ``examples/<id>/reference.rttm`` and ``reference.stm``: who spoke when, and what;
- ``examples/<id>/gold.json``: utterances with times, areas and modes, topic segments,
  recommendations, action items, questions and problems (with character offsets);
- ``examples/manifest.yaml``: the sessions, in the batch manifest format.

Generation needs Debian packages (``rhvoice rhvoice-english rhvoice-russian sox ffmpeg``;
see ``examples/README.md``); it is not part of CI. The committed outputs are checked by
``tests/test_examples.py``. Run ``--compare-voices`` to reproduce the voice comparison.

Usage::

    .venv/bin/python scripts/make_examples.py                 # all scripts
    .venv/bin/python scripts/make_examples.py --only en_session
    .venv/bin/python scripts/make_examples.py --compare-voices
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave
import zlib
from pathlib import Path

import numpy as np
import yaml

log = logging.getLogger("make_examples")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SR = 16000
AREAS = ("tools", "time", "teamwork", "projects", "clients", "development", "other")
MODES = ("problem", "case", "trend", "general")
DEBIAN_PACKAGES = ("rhvoice", "rhvoice-english", "rhvoice-russian", "sox", "ffmpeg", "libopus0")
OPUS_BITRATE = "32k"
LEAD_IN_S = 0.5
TAIL_S = 1.0
NOISE_DBFS = -66.0
SPEECH_RMS_DBFS = {"junior": -21.0, "senior": -20.0}


# -- script validation -------------------------------------------------------------------
class ScriptError(ValueError):
    """A script file that is inconsistent (unknown speaker, span not in the text, ...)."""


def _find(text: str, span: str, where: str) -> tuple[int, int]:
    start = text.find(span)
    if start < 0:
        raise ScriptError(f"{where}: span {span!r} is not a substring of the turn text {text!r}")
    return start, start + len(span)


def _check_turn(turn: dict, where: str, pids: list[str], keys: dict[str, str]) -> None:
    """Validate one turn; record its items' keys (key → kind) for the cross-references."""
    if turn["speaker"] not in pids:
        raise ScriptError(f"{where}: speaker {turn['speaker']!r} not in {pids}")
    if turn["area"] not in AREAS or turn["mode"] not in MODES:
        raise ScriptError(f"{where}: area/mode {turn['area']!r}/{turn['mode']!r}; valid {AREAS} / {MODES}")
    for kind in ("recommendations", "action_items", "questions", "problems"):
        for item in turn.get(kind, []):
            _find(turn["text"], item["text"], where)
            if "key" in item:
                if item["key"] in keys:
                    raise ScriptError(f"{where}: duplicate key {item['key']!r}")
                keys[item["key"]] = kind
            if item.get("area", turn["area"]) not in AREAS:
                raise ScriptError(f"{where}: area {item['area']!r} not in {AREAS}")
    for item in turn.get("action_items", []):
        if item["owner"] not in pids or not isinstance(item["due_date"], dt.date):
            raise ScriptError(f"{where}: action item needs owner in {pids} and due_date YYYY-MM-DD")
    for item in turn.get("recommendations", []):
        if item["receiver"] not in pids or item["receiver"] == turn["speaker"]:
            raise ScriptError(f"{where}: receiver {item['receiver']!r} must be the other participant")


def load_script(path: Path) -> dict:
    """Read and validate one script; returns the parsed dict.

    Raises:
        ScriptError: naming the file, the turn and the bad value.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pids = [p["id"] for p in data["participants"]]
    if len(pids) != 2 or len(set(pids)) != 2:
        raise ScriptError(f"{path}: expected two participants with distinct ids, got {pids}")
    if not isinstance(data["date"], dt.date):
        raise ScriptError(f"{path}: date must be YYYY-MM-DD, got {data['date']!r}")
    keys: dict[str, str] = {}
    for i, turn in enumerate(data["turns"], 1):
        _check_turn(turn, f"{path.name} turn {i}", pids, keys)
    for turn in data["turns"]:
        for ref in [k for r in turn.get("recommendations", []) for k in r.get("solves", [])]:
            if keys.get(ref) != "problems":
                raise ScriptError(f"{path.name}: 'solves: {ref}' does not name a problem key")
        for ref in turn.get("mentions", []):
            if keys.get(ref) != "action_items":
                raise ScriptError(f"{path.name}: 'mentions: {ref}' does not name an action item key")
    return data


# -- synthesis ---------------------------------------------------------------------------
def _tts_command(engine: str, voice: str, rate: int, txt: Path, out: Path) -> list[str]:
    if engine == "rhvoice":
        return ["RHVoice-test", "-p", voice, "-r", str(rate), "-i", str(txt), "-o", str(out)]
    if engine == "espeak-ng":
        return ["espeak-ng", "-v", voice, "-s", str(int(1.6 * rate)), "-f", str(txt), "-w", str(out)]
    if engine == "flite":
        return ["flite", "-voice", voice, "-f", str(txt), "-o", str(out)]
    if engine == "festival":
        return ["text2wave", "-eval", f"({voice})", str(txt), "-o", str(out)]
    raise ScriptError(f"unknown TTS engine {engine!r}; valid: rhvoice, espeak-ng, flite, festival")


def read_wav(path: Path) -> np.ndarray:
    """16-bit mono WAV → float32 in [-1, 1]."""
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getframerate() != SR:
            raise ValueError(f"{path}: expected 16 kHz mono 16-bit")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0


def write_wav(path: Path, audio: np.ndarray) -> None:
    """float32 → 16-bit mono WAV at :data:`SR`."""
    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def synthesize(text: str, *, engine: str, voice: str, rate: int, workdir: Path) -> np.ndarray:
    """Speak ``text`` with one voice; returns 16 kHz float32 audio, silence trimmed."""
    txt, raw, res = workdir / "t.txt", workdir / "raw.wav", workdir / "r16.wav"
    txt.write_text(text + "\n", encoding="utf-8")
    subprocess.run(_tts_command(engine, voice, rate, txt, raw), check=True, capture_output=True)
    subprocess.run(["sox", "-R", "-D", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(res)], check=True,
                   capture_output=True)
    return trim_silence(read_wav(res))


def trim_silence(audio: np.ndarray, *, threshold_db: float = -45.0, margin_s: float = 0.03) -> np.ndarray:
    """Cut leading/trailing silence so that turn boundaries (and the RTTM) are tight."""
    hop = SR // 100
    frames = len(audio) // hop
    if frames == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(20 * np.log10(rms / (rms.max() + 1e-12)) > threshold_db)
    if loud.size == 0:
        return audio[:0]
    margin = int(margin_s * SR)
    return audio[max(0, loud[0] * hop - margin): min(len(audio), (loud[-1] + 1) * hop + margin)]


def _normalise(audio: np.ndarray, dbfs: float) -> np.ndarray:
    rms = float(np.sqrt(np.mean(audio**2))) or 1.0
    return audio * (10 ** (dbfs / 20) / rms)


# -- layout and outputs ------------------------------------------------------------------
def layout(script: dict, clips: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Place the turns on one timeline; returns the mix and each turn's (start, end).

    Pauses are seeded by the session id, so regeneration is reproducible: 0.2–0.6 s
    between turns, a little longer after a question, a scripted ``pause`` overrides, and
    ``overlap`` starts a turn that many seconds *before* the previous one ends.
    """
    rng = random.Random(zlib.crc32(script["id"].encode()))
    roles = {p["id"]: p["role"] for p in script["participants"]}
    times, cursor = [], LEAD_IN_S
    for i, (turn, clip) in enumerate(zip(script["turns"], clips, strict=True)):
        if i == 0:
            start = cursor
        elif "overlap" in turn:
            start = times[-1][1] - float(turn["overlap"])
        else:
            gap = float(turn.get("pause", rng.uniform(0.2, 0.6)))
            if "pause" not in turn and script["turns"][i - 1].get("questions"):
                gap += 0.2
            start = cursor + gap
        start = round(start * SR) / SR
        end = start + len(clip) / SR
        times.append((start, end))
        cursor = max(cursor, end)
    total = int(round((cursor + TAIL_S) * SR))
    mix = np.random.default_rng(rng.randrange(2**32)).normal(0, 10 ** (NOISE_DBFS / 20), total).astype(np.float32)
    for turn, clip, (start, _) in zip(script["turns"], clips, times, strict=True):
        s = int(round(start * SR))
        mix[s: s + len(clip)] += _normalise(clip, SPEECH_RMS_DBFS[roles[turn["speaker"]]])
    peak = float(np.abs(mix).max())
    if peak > 0.95:
        mix *= 0.95 / peak
    return mix, [(round(a, 3), round(b, 3)) for a, b in times]


def topic_segments(utts: list[dict]) -> list[dict]:
    """Maximal runs of consecutive utterances with the same area and mode."""
    segs: list[dict] = []
    for u in utts:
        if segs and (segs[-1]["area"], segs[-1]["mode"]) == (u["area"], u["mode"]):
            segs[-1]["utterance_ids"].append(u["id"])
            segs[-1]["end"] = max(segs[-1]["end"], u["end"])
        else:
            segs.append({"area": u["area"], "mode": u["mode"], "start": u["start"], "end": u["end"],
                         "utterance_ids": [u["id"]], "initiator": u["speaker"]})
    return segs


def build_gold(script: dict, times: list[tuple[float, float]], duration: float, audio_name: str) -> dict:
    """All gold labels, keyed by utterance id, with times and character offsets."""
    pids = [p["id"] for p in script["participants"]]
    other = {pids[0]: pids[1], pids[1]: pids[0]}
    utts, recs, acts, qs, probs = [], [], [], [], []
    key_to_id: dict[str, str] = {}
    turns = script["turns"]
    for i, (turn, (start, end)) in enumerate(zip(turns, times, strict=True)):
        uid, spk, text = f"u{i + 1:04d}", turn["speaker"], turn["text"]
        utts.append({"id": uid, "speaker": spk, "start": start, "end": end, "text": text,
                     "area": turn["area"], "mode": turn["mode"]})
        base = {"utterance_id": uid, "start": start}
        for r in turn.get("recommendations", []):
            cs, ce = _find(text, r["text"], uid)
            recs.append({"id": f"r{len(recs) + 1}", **base, "giver": spk, "receiver": r["receiver"],
                         "text": r["text"], "area": r.get("area", turn["area"]), "char_start": cs,
                         "char_end": ce, "_solves": r.get("solves", [])})
            key_to_id[r.get("key", recs[-1]["id"])] = recs[-1]["id"]
        for a in turn.get("action_items", []):
            cs, ce = _find(text, a["text"], uid)
            acts.append({"id": f"a{len(acts) + 1}", **base, "owner": a["owner"], "task": a["task"],
                         "text": a["text"], "due_text": a["due_text"], "due_date": a["due_date"].isoformat(), "owners": [a["owner"]],
                         "area": a.get("area", turn["area"]), "char_start": cs, "char_end": ce,
                         "mentioned_in": []})
            key_to_id[a.get("key", acts[-1]["id"])] = acts[-1]["id"]
        for q in turn.get("questions", []):
            cs, ce = _find(text, q["text"], uid)
            answer = next((f"u{j + 1:04d}" for j in range(i + 1, len(turns)) if turns[j]["speaker"] != spk),
                          None) if q["answered"] else None
            qs.append({"id": f"q{len(qs) + 1}", **base, "asker": spk, "addressee": other[spk], "text": q["text"],
                       "answered": bool(q["answered"]), "answer_utterance_id": answer,
                       "area": q.get("area", turn["area"]), "char_start": cs, "char_end": ce})
        for p in turn.get("problems", []):
            cs, ce = _find(text, p["text"], uid)
            probs.append({"id": f"p{len(probs) + 1}", **base, "raiser": spk, "text": p["text"],
                          "solved": bool(p["solved"]), "solution_ids": [], "area": p.get("area", turn["area"]),
                          "char_start": cs, "char_end": ce})
            key_to_id[p.get("key", probs[-1]["id"])] = probs[-1]["id"]
        for ref in turn.get("mentions", []):
            next(a for a in acts if a["id"] == key_to_id[ref])["mentioned_in"].append(uid)
    by_id = {p["id"]: p for p in probs}
    for r in recs:
        for ref in r.pop("_solves"):
            by_id[key_to_id[ref]]["solution_ids"].append(r["id"])
    participants = [{k: p[k] for k in ("id", "name", "role", "description")} for p in script["participants"]]
    flow = knowledge_flow(recs, qs, pids)
    return {
        "format": "sessionscope-example-gold/1",
        "session": {"id": script["id"], "pair": script["pair"], "date": script["date"].isoformat(),
                    "language": script["language"], "title": script["title"], "audio": audio_name,
                    "duration_s": round(duration, 3), "participants": participants},
        "utterances": utts, "topic_segments": topic_segments(utts), "recommendations": recs,
        "action_items": acts, "questions": qs, "problems": probs, "knowledge_flow": flow,
        "generator": {"script": "scripts/make_examples.py", "voices": {p["id"]: p["voice"] for p in
                                                                       script["participants"]},
                      "debian_packages": debian_versions(), "opus_bitrate": OPUS_BITRATE},
    }


def knowledge_flow(recs: list[dict], qs: list[dict], pids: list[str]) -> dict:
    """Gold knowledge flow, by the definition in ``sessionscope.analysis.flow``.

    ``matrix[area][giver][receiver]`` = recommendations giver→receiver in the area plus
    answers the giver gave to the receiver's questions (the question's area);
    mutuality = 2·min(F_ab, F_ba) / (F_ab + F_ba) over the whole session.
    """
    rec_m: dict = {}
    exp_m: dict = {}
    for r in recs:
        cell = rec_m.setdefault(r["area"], {}).setdefault(r["giver"], {})
        cell[r["receiver"]] = cell.get(r["receiver"], 0) + 1
    for q in qs:
        if q["answered"]:
            cell = exp_m.setdefault(q["area"], {}).setdefault(q["addressee"], {})
            cell[q["asker"]] = cell.get(q["asker"], 0) + 1
    total: dict = {}
    for m in (rec_m, exp_m):
        for area, givers in m.items():
            for giver, receivers in givers.items():
                for receiver, n in receivers.items():
                    cell = total.setdefault(area, {}).setdefault(giver, {})
                    cell[receiver] = cell.get(receiver, 0) + n
    a, b = pids
    f_ab = sum(v.get(a, {}).get(b, 0) for v in total.values())
    f_ba = sum(v.get(b, {}).get(a, 0) for v in total.values())
    return {"matrix": total, "recommendation_matrix": rec_m, "explanation_matrix": exp_m,
            "flows": {f"{a}->{b}": f_ab, f"{b}->{a}": f_ba},
            "mutuality_index": round(2 * min(f_ab, f_ba) / (f_ab + f_ba), 4) if f_ab + f_ba >= 2 else None}


def debian_versions() -> dict[str, str]:
    """Installed versions of the Debian packages used, for the record."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", *DEBIAN_PACKAGES],
                         capture_output=True, text=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def write_session(script: dict, outdir: Path) -> dict:
    """Synthesise one script and write its recording, references and gold labels."""
    outdir.mkdir(parents=True, exist_ok=True)
    voices = {p["id"]: p["voice"] for p in script["participants"]}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clips = []
        for i, turn in enumerate(script["turns"], 1):
            v = voices[turn["speaker"]]
            clips.append(synthesize(turn["text"], engine=v["engine"], voice=v["name"], rate=v.get("rate", 100),
                                    workdir=work))
            log.info("%s turn %d/%d: %.2f s", script["id"], i, len(script["turns"]), len(clips[-1]) / SR)
        mix, times = layout(script, clips)
        write_wav(work / "mix.wav", mix)
        audio = outdir / "recording.ogg"
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(work / "mix.wav"), "-c:a", "libopus",
                        "-b:a", OPUS_BITRATE, "-application", "voip", "-map_metadata", "-1", "-fflags", "+bitexact",
                        "-flags:a", "+bitexact", str(audio)], check=True)
    duration = len(mix) / SR
    gold = build_gold(script, times, duration, audio.name)
    (outdir / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sid = script["id"]
    rttm = [f"SPEAKER {sid} 1 {u['start']:.3f} {u['end'] - u['start']:.3f} <NA> <NA> {u['speaker']} <NA> <NA>"
            for u in gold["utterances"]]
    (outdir / "reference.rttm").write_text("\n".join(rttm) + "\n", encoding="utf-8")
    stm = [f"{sid} 1 {u['speaker']} {u['start']:.3f} {u['end']:.3f} {u['text']}"
           for u in sorted(gold["utterances"], key=lambda u: u["start"])]
    (outdir / "reference.stm").write_text("\n".join(stm) + "\n", encoding="utf-8")
    log.info("%s: %.1f s, %d bytes", sid, duration, audio.stat().st_size)
    return gold


def write_manifest() -> None:
    """The batch manifests (``sessionscope.io.manifest`` format) from every generated gold.json.

    ``manifest.yaml`` lists the recordings (the demo: transcription and all); in
    ``manifest-reference.yaml`` every session also names its reference transcript, for
    evaluating the text stages on perfect transcripts. Participant ids are the RTTM/STM
    speaker labels, so references map onto participants by id.
    """
    sessions = []
    for gold_path in sorted(EXAMPLES.glob("*/gold.json")):
        s = json.loads(gold_path.read_text(encoding="utf-8"))["session"]
        sessions.append({"id": s["id"], "pair": s["pair"], "date": s["date"],
                         "file": f"{gold_path.parent.name}/{s['audio']}", "language": s["language"],
                         "participants": [{"name": p["name"], "role": p["role"], "id": p["id"]}
                                          for p in s["participants"]]})
    header = ("# The bundled example sessions (generated by scripts/make_examples.py; paths relative to this file).\n"
              "# {}\n")
    text = yaml.safe_dump({"sessions": sessions}, allow_unicode=True, sort_keys=False)
    (EXAMPLES / "manifest.yaml").write_text(header.format("The recordings: run the whole pipeline.") + text,
                                            encoding="utf-8")
    for s in sessions:
        s["transcript"] = str(Path(s["file"]).with_name("reference.stm"))
    text = yaml.safe_dump({"sessions": sessions}, allow_unicode=True, sort_keys=False)
    (EXAMPLES / "manifest-reference.yaml").write_text(
        header.format("With the reference transcripts: evaluate the text stages without ASR errors.") + text,
        encoding="utf-8")


# -- voice comparison --------------------------------------------------------------------
PASSAGES = {
    "en": "So, about the quarterly report. I tried the new dashboard in the CRM, and honestly it saved me about two "
          "hours. Could you walk me through how you usually prepare for a difficult client call? Let's agree that "
          "you send me the draft by Friday, the fourth of December.",
    "ru": "Итак, по поводу квартального отчёта. Я попробовала новую панель в CRM-системе, и честно говоря, она "
          "сэкономила мне около двух часов. Расскажите, пожалуйста, как вы обычно готовитесь к сложному разговору с "
          "клиентом? Давайте договоримся, что вы пришлёте мне черновик до пятницы, четвёртого декабря.",
}
CANDIDATES = {
    "en": [("rhvoice", v) for v in ("slt", "clb", "lyubov", "bdl", "alan", "evgeniy-eng")]
    + [("flite", v) for v in ("slt", "rms", "awb")]
    + [("festival", "voice_kal_diphone"), ("festival", "voice_cmu_us_slt_arctic_hts")]
    + [("espeak-ng", v) for v in ("mb-us1", "mb-us3", "mb-en1", "en-us")],
    "ru": [("rhvoice", v) for v in ("anna", "arina", "elena", "irina", "tatiana", "victoria", "aleksandr",
                                    "aleksandr-hq", "artemiy", "evgeniy-rus", "mikhail", "pavel", "vitaliy",
                                    "yuriy")]
    + [("festival", "voice_msu_ru_nsh_clunits"), ("espeak-ng", "ru")],
}


def compare_voices() -> None:
    """Speak one passage per candidate voice and transcribe it with Whisper base.

    Intelligibility (WER) and Whisper's mean log-probability are proxies, not a listening
    test; they rule out the robotic voices and were read alongside listening notes.
    """
    import jiwer

    from sessionscope.models import load_whisper

    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    model = load_whisper("base")

    with tempfile.TemporaryDirectory() as tmp:
        for lang, cands in CANDIDATES.items():
            for engine, voice in cands:
                try:
                    audio = synthesize(PASSAGES[lang], engine=engine, voice=voice, rate=100, workdir=Path(tmp))
                except (subprocess.CalledProcessError, FileNotFoundError) as e:
                    print(f"{lang} {engine:9s} {voice:28s} unavailable ({e})")
                    continue
                segs = list(model.transcribe(audio, language=lang, beam_size=5)[0])
                hyp = " ".join(s.text for s in segs)
                lp = float(np.mean([s.avg_logprob for s in segs])) if segs else float("nan")
                wpm = len(PASSAGES[lang].split()) / (len(audio) / SR / 60)
                wer = jiwer.wer(_norm_words(PASSAGES[lang]), _norm_words(hyp)) if hyp.strip() else 1.0
                print(f"{lang} {engine:9s} {voice:28s} WER {wer:5.3f}  logprob {lp:6.3f}  {wpm:4.0f} wpm")


def check_asr(ids: list[str] | None) -> None:
    """Transcribe each generated recording with Whisper base and print the WER against its script.

    A sanity figure for the README: the audio is intelligible and says what the gold says.
    """
    import jiwer
    from faster_whisper import decode_audio

    from sessionscope.models import load_whisper

    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    model = load_whisper("base")
    for gold_path in sorted(EXAMPLES.glob("*/gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        sess = gold["session"]
        if ids and sess["id"] not in ids:
            continue
        audio = decode_audio(str(gold_path.parent / sess["audio"]), sampling_rate=SR)
        segs, _ = model.transcribe(audio, language=sess["language"], beam_size=5, vad_filter=True)
        hyp = _norm_words(" ".join(s.text for s in segs))
        ref = _norm_words(" ".join(u["text"] for u in gold["utterances"]))
        print(f"{sess['id']}: decoded {len(audio) / SR:.1f} s (gold {sess['duration_s']} s), "
              f"Whisper base WER {jiwer.wer(ref, hyp):.3f} on {len(ref.split())} words")


def _norm_words(text: str) -> str:
    text = text.lower().replace("ё", "е").replace("-", " ")
    return " ".join(re.sub(r"[^\w\s']", " ", text).split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="script id(s) to build (default: all)")
    parser.add_argument("--compare-voices", action="store_true", help="print the TTS voice comparison and exit")
    parser.add_argument("--check-asr", action="store_true", help="print Whisper WER on the recordings and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.compare_voices:
        compare_voices()
        return 0
    if args.check_asr:
        check_asr(args.only)
        return 0
    for tool in ("RHVoice-test", "sox", "ffmpeg"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y {' '.join(DEBIAN_PACKAGES)} (see examples/README.md)")
    for path in sorted((EXAMPLES / "scripts").glob("*.yaml")):
        script = load_script(path)
        if args.only and script["id"] not in args.only:
            continue
        write_session(script, EXAMPLES / script["id"])
    write_manifest()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

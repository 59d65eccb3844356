"""Round 19 (pairs): where the missed reference speech of the simulated conversations is lost, frame by frame.

    nice -n 10 .venv/bin/python benchmarks/r19_pairs_diagnose.py --folder .cache/conv/dev \\
        --uris dev00 dev01 dev02 dev15 --json benchmarks/results/r19_pairs_diagnose.json

For every 10 ms reference speech frame that the delivered speakers.rttm misses, the first stage that
loses it (development data only):

* ``network``: no chunk's segmentation argmax marks anyone there (with the chunk's P(speech) kept);
* ``count``: some chunk marks it, but the Hamming-weighted mean local count over the covering chunks
  rounds to 0 (the reconstruction's per-frame speaker count);
* ``dropped``: the count is >= 1 but no clustered local speaker is active there (local speakers without an
  embedding, ``min_usable_s``, or a cluster that never wins);
* ``alignment``: the diarization turns cover it but the delivered turns do not.

Also per missed frame: whether a Whisper word lies on it, its level in the mix (dBFS) and the
reference speaker's level. Seconds at collar 0 (every reference frame) and excluding frames within
0.25 s of a reference boundary (what the c0.25 DER scores).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("network", "count", "dropped", "alignment")
LAST: dict[str, Any] = {}  # the last file's frame arrays (for interactive looks)


def frames(segs: Sequence[tuple[Any, ...]], n: int) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    for a, b, *_ in segs:
        m[int(round(a * 100)):int(round(b * 100))] = True
    return m


def analyse(wav: Path, ref: list[tuple[float, float, str]], config: Any) -> dict[str, Any]:
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import segmentation as sg
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.pipeline import _asr, decode_step, diarization_settings, seed_everything, transcribe_file
    from sessionscope.io import write_transcript

    s = transcribe_file(wav, config=config, session_id=wav.stem)
    with tempfile.TemporaryDirectory() as tmp:
        delivered = next(iter(read_rttm(write_transcript(s, Path(tmp) / "speakers.rttm", "rttm")).values()), [])
    internal = [(a, b, lab) for a, b, lab in s.extra["audio"]["speaker_turns"]]
    decoded = decode_step(wav)
    seed_everything(decoded.sha256)
    asr = _asr(decoded, config, None, ResultCache(), None)
    x = decoded.audio.mono
    # capture the network's log-probabilities and the reconstruction's inputs
    cap: dict[str, Any] = {"logp": []}
    orig_bin, orig_rec = sg.binarize, dz.reconstruct

    def bin_(logp: np.ndarray, multi: np.ndarray, **kw: Any) -> np.ndarray:
        cap["logp"].append(np.array(logp))
        return orig_bin(logp, multi, **kw)

    def rec_(seg: Any, clusters: np.ndarray, k: int, **kw: Any) -> Any:
        cap.update(seg=seg, clusters=clusters, k=k, kw=kw)
        return orig_rec(seg, clusters, k, **kw)

    sg.binarize, dz.reconstruct = bin_, rec_  # type: ignore[assignment]
    try:
        params = diarization_settings(config)
        d = dz.diarize_local(x, params=params, min_speakers=config.diarization.min_speakers,
                             max_speakers=config.diarization.max_speakers)
    finally:
        sg.binarize, dz.reconstruct = orig_bin, orig_rec
    same = sorted((t.start, t.end, t.speaker) for t in d.turns) == sorted(internal)
    seg, clusters = cap["seg"], cap["clusters"]
    logp = np.concatenate(cap["logp"])
    c_n, f_n, s_n = seg.binarized.shape
    n = int(np.ceil(len(x) / 160))
    t10 = (np.arange(n) + 0.5) / 100
    pmax = np.zeros(n)  # max over covering chunks of P(speech)
    marked = np.zeros(n, dtype=bool)
    w = np.hamming(f_n + 2)[1:-1]
    count = np.zeros(n)
    cover = np.zeros(n)
    kept = np.zeros(n)  # weighted activity of clustered local speakers
    for ci in range(c_n):
        rel = t10 - seg.starts[ci]
        inside = (rel >= 0) & (rel < sg.CHUNK_S)
        j = np.clip(np.round((rel[inside] - seg.frame_offset) / seg.frame_step).astype(int), 0, f_n - 1)
        p = 1.0 - np.exp(logp[ci, j, 0])
        pmax[inside] = np.maximum(pmax[inside], p)
        b = seg.binarized[ci][j].astype(bool)
        marked[inside] |= b.any(axis=1)
        count[inside] += b.sum(axis=1) * w[j]
        cover[inside] += w[j]
        kept[inside] += (b & (clusters[ci] >= 0)[None, :]).any(axis=1) * w[j]
    kcount = np.floor(np.where(cover > 0, count / np.maximum(cover, 1e-9), 0) + 0.5)
    ref_m = frames(ref, n)
    spk_m = {sp: frames([r for r in ref if r[2] == sp], n) for sp in sorted({r[2] for r in ref})}
    diar_m, run_m = frames(internal, n), frames(delivered, n)
    words = [(wd.start, wd.end) for sgm in asr.segments for wd in sgm.words]
    word_m = frames(words, n)
    e = np.sqrt(np.mean(np.square(x[: (len(x) // 160) * 160].reshape(-1, 160), dtype=np.float64), axis=1)) + 1e-9
    db = np.full(n, -120.0)
    db[: len(e)] = 20 * np.log10(e)
    bounds = [t for a, b, _ in ref for t in (a, b)]
    near = frames([(t - 0.25, t + 0.25) for t in bounds], n)
    miss = ref_m & ~run_m
    stage = np.full(n, "", dtype=object)
    stage[miss & ~marked] = "network"
    stage[miss & marked & (kcount < 1)] = "count"
    stage[miss & marked & (kcount >= 1) & ~diar_m] = "dropped"
    stage[miss & diar_m] = "alignment"
    out: dict[str, Any] = {"uri": wav.stem, "diar_reproduced": same, "ref_s": round(ref_m.sum() / 100, 2),
                           "missed_s_c0": round(miss.sum() / 100, 2), "missed_s_c025": round((miss & ~near).sum() / 100, 2),
                           "stages": {}}
    for st in STAGES:
        m = stage == st
        mm = m & ~near
        out["stages"][st] = {
            "s_c0": round(m.sum() / 100, 2), "s_c025": round(mm.sum() / 100, 2),
            "with_words_s_c025": round((mm & word_m).sum() / 100, 2),
            "p_speech_median": round(float(np.median(pmax[mm])), 3) if mm.any() else None,
            "p_speech_over_0.2_s_c025": round((mm & (pmax > 0.2)).sum() / 100, 2),
            "level_db_median": round(float(np.median(db[mm])), 1) if mm.any() else None,
            "by_speaker_s_c025": {sp: round((mm & v).sum() / 100, 2) for sp, v in spk_m.items()}}
    out["speakers"] = {sp: {"ref_s": round(v.sum() / 100, 2), "missed_s_c025": round((v & miss & ~near).sum() / 100, 2),
                            "level_db_median": round(float(np.median(db[v & ~near])), 1),
                            "p_speech_median": round(float(np.median(pmax[v & ~near])), 3),
                            "words_on_missed_s_c025": round((v & miss & ~near & word_m).sum() / 100, 2)}
                       for sp, v in spk_m.items()}
    out["nonspeech_level_db_median"] = round(float(np.median(db[~ref_m & ~near])), 1)
    out["nonspeech_p_speech_median"] = round(float(np.median(pmax[~ref_m & ~near])), 3)
    # the missed c0.25 stretches (≥ 0.3 s) with what is there
    runs = []
    mm = miss & ~near
    d_ = np.diff(np.concatenate([[0], mm.astype(np.int8), [0]]))
    for a, b in zip(np.flatnonzero(d_ == 1), np.flatnonzero(d_ == -1), strict=True):
        if b - a >= 30:
            txt = " ".join(wd.text.strip() for sgm in asr.segments for wd in sgm.words if wd.end > a / 100 and wd.start < b / 100)
            runs.append({"start": a / 100, "end": b / 100, "stage": str(stage[a]), "speaker": next((sp for sp, v in spk_m.items() if v[a]), None),
                         "p_speech_max": round(float(pmax[a:b].max()), 3), "p_speech_median": round(float(np.median(pmax[a:b])), 3),
                         "level_db": round(float(np.median(db[a:b])), 1), "words": txt})
    out["missed_runs"] = runs
    LAST.update(near=near, hyp_frames={h: frames([t for t in delivered if t[2] == h], n) for h in sorted({t[2] for t in delivered})},
                pmax=pmax, db=db, ref=ref_m, run=run_m, diar=diar_m, word=word_m, kcount=kcount, marked=marked,
                spk=spk_m, x=x, words=[(wd.start, wd.end, wd.text) for sgm in asr.segments for wd in sgm.words])
    out["hyp_speakers"] = len({lab for *_, lab in delivered})
    out["clusters"] = int(cap["k"])
    out["usable_local"] = int((clusters >= 0).sum())
    out["active_local"] = int(seg.binarized.any(axis=1).sum())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, default=ROOT / ".cache/conv/dev")
    ap.add_argument("--uris", nargs="+", required=True)
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks/configs/tiny_en.yaml")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.der import read_rttm
    from sessionscope.config import load_config

    config = load_config(args.config)
    refs = read_rttm(args.folder / "reference.rttm")
    rows = []
    for uri in args.uris:
        r = analyse(args.folder / f"{uri}.wav", refs[uri], config)
        rows.append(r)
        print(json.dumps({k: v for k, v in r.items() if k != "missed_runs"}), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_pairs_diagnose.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development (libri-dev)", "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

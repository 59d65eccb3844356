"""Word stretches re-scored against the voices, and the wordless-voice fold under forced counts (issue 11, round 17, der).

    nice -n 10 .venv/bin/python benchmarks/diarization_cache_r17_der.py     # first: transcription + local results
    nice -n 10 .venv/bin/python benchmarks/diarization_voices_r17_der.py --sets pyannote-ami farfield farfield2 libri-dev examples \\
        --counts free forced --json benchmarks/results/diarization_voices_r17_der.json

Per development file, the cached transcription and local diarization results
(``diarization_cache_r17_der.py``) are clustered by ``diarize.diarize_local`` with the speaker count free
(as ``run`` without a manifest) or forced to the reference count (``forced``: as ``run`` with a manifest
naming the participants, ``min = max = n``), and each variant of the alignment step builds the delivered
utterances, scored like ``speakers.rttm`` (DER at collar 0 and 0.25, parts, count, talk-share error).

* ``nofold``: the word-backed fill only (before round 16's ``align.fold_wordless_voices``);
* ``current``: fold + fill, what ``pipeline.align_words`` does at the round's start;
* ``adj-m<M>``: the fill also embeds stretches next to a turn (``FillParams.rescore_adjacent``), another voice
  takes one when it is more similar by more than M;
* ``emb<S>``: stretches away from turns embedded from S s (default 0.5);
* ``sv-<mode>-<L>-m<M>``: :func:`align.rescore_stretches` after the fill: word stretches of at least L s inside
  one talker's turn whose embedding matches another voice better by more than M get that voice too
  (``add``: overlap) or instead (``relabel``).

A stretch's similarity to the voices is that of ``diarize.nearest_voice`` (mean CAM++ embedding of 1.5 s windows,
cosine to each voice's centroid); the stretch embeddings are kept under ``--emb-cache`` between runs.
Development sets only (``pyannote-ami`` + sample, far-field seeds 1 and 2, libri-dev, the TTS examples).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from diarization_der import ROOT, cases
from diarization_fill_r9_diar import _inside, score, summarise

DEV_SETS = ("pyannote-ami", "farfield", "farfield2", "libri-dev", "examples")


def variants() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {"nofold": {"fold": False}, "current": {}}
    for m in (0.0, 0.05, 0.1, 0.2):
        out[f"adj-m{m}"] = {"fill": {"rescore_adjacent": True, "rescore_margin": m}}
    for s in (0.3, 1.0):
        out[f"emb{s}"] = {"fill": {"embed_min_s": s}}
    for mode in ("add", "relabel"):
        for length in (1.0, 2.0):
            for m in (0.05, 0.1, 0.2):
                out[f"sv-{mode}-{length}-m{m}"] = {"second": {"mode": mode, "min_s": length, "margin": m}}
    for length in (0.75, 1.0, 1.5):  # sweep 2: the neighbourhood of relabel 1.0 s / 0.1
        for m in (0.1, 0.15):
            out.setdefault(f"sv-relabel-{length}-m{m}", {"second": {"mode": "relabel", "min_s": length, "margin": m}})
    # sweep 3: the trend's end, and cheaper stretch embeddings (one window of up to 3 s around the middle;
    # 1.5 s windows without overlap)
    out["sv-relabel-0.5-m0.1"] = {"second": {"mode": "relabel", "min_s": 0.5, "margin": 0.1}}
    for emb in ("single", "step"):
        out[f"sv-relabel-0.75-m0.1-{emb}"] = {"second": {"mode": "relabel", "min_s": 0.75, "margin": 0.1}, "embed": emb}
    return out


VARIANTS = variants()


def stretch_embedder(samples: np.ndarray, memo: dict):  # noqa: ANN201
    """The mean CAM++ embedding of a stretch, memoised: 1.5 s windows 0.75 s apart (``diarize.nearest_voice``),
    ``step``: 1.5 s apart, ``single``: one window of up to 3 s around the middle."""
    from sessionscope.audio.diarize import embed_windows, windows_for

    def stretch_emb(s: float, e: float, how: str = "windows") -> np.ndarray:
        key = (round(s, 3), round(e, 3)) if how == "windows" else (round(s, 3), round(e, 3), how)
        if key not in memo:
            if how == "single":
                mid = (s + e) / 2
                wins = [(0, max(s, mid - 1.5), min(e, mid + 1.5))]
            else:
                wins = windows_for([(s, e)], window_s=1.5, step_s=1.5 if how == "step" else 0.75)
            memo[key] = embed_windows(samples, [(s, e)], wins).mean(axis=0)
        return memo[key]

    return stretch_emb


def main() -> int:  # noqa: C901
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS), choices=DEV_SETS)
    ap.add_argument("--counts", nargs="+", default=["free", "forced"], choices=["free", "forced"])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--local", type=Path, default=Path("/tmp/r17/der/local"))
    ap.add_argument("--emb-cache", type=Path, default=Path("/tmp/r17/der/emb"))
    ap.add_argument("--verify", action="store_true", help="check `current` against pipeline.align_words (free count)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_cache_r17_der import config_for
    from sessionscope.analysis import intervals as iv
    from sessionscope.audio import align
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import diarize_local
    from sessionscope.audio.pipeline import align_words, diarization_settings

    args.emb_cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for set_name in args.sets:
        config = config_for(set_name)
        params = diarization_settings(config)
        dc = config.diarization
        for uri, wav, rttm in cases(set_name):
            path = args.local / f"{set_name}__{uri}.pkl"
            if not path.is_file():
                print(f"missing {path}: run diarization_cache_r17_der.py first", file=sys.stderr)
                return 2
            blob = pickle.loads(path.read_bytes())
            asr, local, dur = blob["asr"], blob["local"], blob["duration_s"]
            samples = load_audio(wav).mono
            ref = read_rttm(rttm)[uri]
            ref_union = iv.merge([(a, b) for a, b, _ in ref])
            n_ref = len({x for *_, x in ref})
            emb_path = args.emb_cache / f"{set_name}__{uri}.pkl"
            memo: dict[tuple[float, float], np.ndarray] = pickle.loads(emb_path.read_bytes()) if emb_path.is_file() else {}
            n_memo = len(memo)

            stretch_emb = stretch_embedder(samples, memo)

            for count in args.counts:
                lo, hi = (n_ref, n_ref) if count == "forced" else (dc.min_speakers, max(dc.min_speakers, dc.max_speakers))
                diar = diarize_local(samples, min_speakers=lo, max_speakers=hi, params=params, local=local)
                for variant in args.variants:
                    spec = VARIANTS[variant]
                    turns = list(diar.turns)
                    if spec.get("fold", True):
                        turns = align.fold_wordless_voices(turns, asr.segments)
                    labels = sorted({t.speaker for t in turns})
                    cents = np.asarray([diar.centroids[k] for k in labels], dtype=np.float32).reshape(len(labels), -1)
                    cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)

                    def voice_sims(s: float, e: float, labels=labels, cents=cents, how="windows", stretch_emb=stretch_emb) -> dict[str, float]:  # noqa: ANN001
                        if not labels:
                            return {}
                        emb = stretch_emb(s, e, how)
                        sims = cents @ (emb / max(float(np.linalg.norm(emb)), 1e-9))
                        return {k: float(v) for k, v in zip(labels, sims, strict=True)}

                    if turns:
                        fill = replace(align.FillParams(), **spec.get("fill", {}))  # type: ignore[arg-type]
                        turns = align.fill_gaps(turns, asr.segments, params=fill, voice_sims=voice_sims)
                        if "second" in spec:
                            sv = align.RescoreParams(**spec["second"])  # type: ignore[arg-type]
                            how = str(spec.get("embed", "windows"))
                            turns = align.rescore_stretches(turns, asr.segments, params=sv,
                                                        voice_sims=lambda spans, how=how: [voice_sims(s, e, how=how) for s, e in spans])
                    utts = align.utterances_from_turns(asr.segments, turns)
                    if args.verify and variant == "current" and count == "free":
                        ref_utts = align_words(asr, diar, samples, word_fill=align.FillParams())
                        same = [(u.start, u.end, u.speaker, u.text) for u in utts] == [(u.start, u.end, u.speaker, u.text) for u in ref_utts]
                        print(f"verify {set_name}/{uri}: {same}", flush=True)
                        if not same:
                            return 1
                    hyp = [(u.start, u.end, u.speaker) for u in utts if u.end > u.start]
                    added = [(t.start, t.end) for t in set(turns) - set(diar.turns)]
                    row = {"set": set_name, "uri": uri, "count": count, "variant": variant, "ref_speakers": n_ref,
                           **score(ref, hyp, dur), "filled_s": round(sum(e - s for s, e in iv.merge(added)), 2),
                           "filled_in_ref_s": round(_inside(iv.merge(added), ref_union), 2)}
                    rows.append(row)
            if len(memo) > n_memo:
                emb_path.write_bytes(pickle.dumps(memo))
            print(f"{set_name}/{uri} done", flush=True)
    summary: dict[str, dict[str, dict[str, object]]] = {}
    for count in args.counts:
        crows = [{**r, "set": f"{r['set']}/{count}", "variant": r["variant"]} for r in rows if r["count"] == count]
        groups = list(dict.fromkeys(r["set"] for r in crows))
        if any(r["set"] == f"libri-dev/{count}" for r in crows):
            pairs = [{**r, "set": f"libri-dev-pairs/{count}"} for r in crows if r["set"] == f"libri-dev/{count}" and r["ref_speakers"] == 2]
            crows += pairs
            groups.append(f"libri-dev-pairs/{count}")
        for g in groups:
            summary[g] = {v: summarise(crows, g, v) for v in args.variants}
    print(json.dumps({g: {v: {k: s[k] for k in ("der_c0.0", "der_c0.25", "count_right", "share_err_mean", "filled_s")}
                          for v, s in d.items()} for g, d in summary.items()}, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/diarization_voices_r17_der.py", *sys.argv[1:]]), "commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "data": "development",
            "variants": {v: VARIANTS[v] for v in args.variants}, "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

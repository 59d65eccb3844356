"""Choose the clustering threshold (and chunk step) of the overlap-aware diarization on the DEVELOPMENT set.

    nice -n 10 .venv/bin/python benchmarks/diarization_tune.py [--steps 2.5 5] [--json benchmarks/results/diarization_tune.json]

Development set: the simulated LibriSpeech conversations of the ``dev`` speakers
(``benchmarks/librispeech_conversations.py --split dev --out .cache/conv/dev``) and the
four ``pyannote-ami-excerpts`` plus ``pyannote-sample``. The held-out sets (``report``
conversations, ``ami-audio-excerpts``) are never read here. Local segmentation and
embeddings are cached under ``.cache/diar_tune/`` (they do not depend on the swept
settings), so a sweep costs seconds. Selection rule: among settings that find the right
speaker count in at least 90 % of the development conversations, the lowest mean of the
conversation DER and the development AMI DER (collar 0).
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from librispeech_conversations import write_wav  # 16 kHz mono 16-bit PCM (a sibling script)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / ".cache" / "diar_tune"


AMI_DEV = ("dev00", "dev01", "trn05", "trn08")
PERTURBED_COMMAND = (".venv/bin/python benchmarks/librispeech_conversations.py --split dev --out .cache/conv/devsp "
                     "--pairs 24 --triples 8 --perturb 0.9 1.1 --seed 20261202")
FARFIELD_COMMAND = ".venv/bin/python benchmarks/farfield_meetings.py --out .cache/conv/farfield"


def dev_cases(quiet: tuple[int, ...] = (), perturbed: bool = False, farfield: bool = False,
              farfield_dir: Path | None = None) -> list[tuple[str, str, Path, Path]]:
    """Development cases (group, uri, audio, reference); ``quiet``: also the AMI excerpts and their sparse
    versions with the speech attenuated by these many dB against the room tone (:func:`quiet_ami`);
    ``perturbed``: also the conversations of speed-perturbed development readers (``.cache/conv/devsp``,
    made by :data:`PERTURBED_COMMAND`); ``farfield``: also the simulated far-field meetings of the development
    readers (``.cache/conv/farfield``, made by :data:`FARFIELD_COMMAND`, or ``farfield_dir``)."""
    cases = [("pyannote-sample", "sample", DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm")]
    for uri in AMI_DEV:
        cases.append(("pyannote-ami", uri, DATA / f"pyannote-ami-excerpts/{uri}.wav", DATA / "pyannote-ami-excerpts/reference.rttm"))
    sparse = sparse_ami()
    cases += [("ami-sparse", uri, sparse / f"{uri}.wav", sparse / "reference.rttm") for uri in AMI_DEV]
    for db in quiet:
        for kind in ("dense", "sparse"):
            folder = quiet_ami(db, kind)
            cases += [(f"quiet-{kind}{db}", uri, folder / f"{uri}.wav", folder / "reference.rttm") for uri in AMI_DEV]
    conv = ROOT / ".cache" / "conv" / "dev"
    for wav in sorted(conv.glob("*.wav")):
        cases.append(("libri-dev", wav.stem, wav, conv / "reference.rttm"))
    if perturbed:
        sp = ROOT / ".cache" / "conv" / "devsp"
        if not (sp / "reference.rttm").is_file():
            raise SystemExit(f"generate first: {PERTURBED_COMMAND}")
        cases += [("libri-sp", wav.stem, wav, sp / "reference.rttm") for wav in sorted(sp.glob("*.wav"))]
    if farfield:
        ff = farfield_dir or ROOT / ".cache" / "conv" / "farfield"
        if not (ff / "reference.rttm").is_file():
            raise SystemExit(f"generate first: {FARFIELD_COMMAND}")
        cases += [("farfield", wav.stem, wav, ff / "reference.rttm") for wav in sorted(ff.glob("*.wav"))]
    return cases


def sparse_ami(max_s: float = 1.5) -> Path:
    """Sparse versions of the development AMI excerpts in ``.cache/sparse``: the excerpt's own room tone
    (its stretches without reference speech, tiled) with only its short utterances (reference segments
    under ``max_s``) put back at their times; the reference is the reference clipped to those spans.
    A development stand-in for a meeting stretch with a few short, overlapped, far-field utterances."""
    from sessionscope.audio.decode import SAMPLE_RATE, load_audio
    from sessionscope.audio.der import read_rttm

    out = ROOT / ".cache" / "sparse"
    if (out / "reference.rttm").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    refs = read_rttm(DATA / "pyannote-ami-excerpts" / "reference.rttm")
    lines = []
    for uri in AMI_DEV:
        x = load_audio(DATA / "pyannote-ami-excerpts" / f"{uri}.wav").mono
        speech = np.zeros(len(x), dtype=bool)
        for s, e, _ in refs[uri]:
            speech[max(0, int((s - 0.1) * SAMPLE_RATE)): int((e + 0.1) * SAMPLE_RATE)] = True
        tone = x[~speech]
        y = np.resize(tone, len(x)).astype(np.float32)  # the room tone, tiled
        keep = sorted((s, e) for s, e, _ in refs[uri] if e - s < max_s)
        fade = int(0.02 * SAMPLE_RATE)
        for s, e in keep:
            a, b = int(s * SAMPLE_RATE), min(len(x), int(e * SAMPLE_RATE))
            w = np.ones(b - a, dtype=np.float32)
            w[:fade], w[-fade:] = np.linspace(0, 1, fade), np.linspace(1, 0, fade)
            y[a:b] = y[a:b] * (1 - w) + x[a:b] * w
        write_wav(out / f"{uri}.wav", y)
        for s, e, spk in refs[uri]:
            for a, b in keep:
                lo, hi = max(s, a), min(e, b)
                if hi - lo > 0.005:
                    lines.append(f"SPEAKER {uri} 1 {lo:.3f} {hi - lo:.3f} <NA> <NA> {spk} <NA> <NA>")
    (out / "reference.rttm").write_text("\n".join(lines) + "\n")
    return out


def quiet_ami(db: int, kind: str = "dense") -> Path:
    """The development AMI excerpts (``dense``) or their sparse versions (``sparse``) with the speech made
    ``db`` dB quieter against an unchanged noise floor, in ``.cache/quiet/<kind><db>``: the clip scaled by
    g = 10^(-db/20) plus the excerpt's own room tone (its stretches without reference speech, tiled, shifted
    by a third of the clip) scaled by sqrt(1 - g²). A development stand-in for quieter far-field talkers
    (the held-out excerpts' levels are not used to build it; the network itself is gain-invariant, so a
    plain attenuation would change nothing)."""
    from sessionscope.audio.decode import SAMPLE_RATE, load_audio
    from sessionscope.audio.der import read_rttm

    out = ROOT / ".cache" / "quiet" / f"{kind}{db}"
    if (out / "reference.rttm").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    g = 10 ** (-db / 20)
    src = DATA / "pyannote-ami-excerpts" if kind == "dense" else sparse_ami()
    refs, full = read_rttm(src / "reference.rttm"), read_rttm(DATA / "pyannote-ami-excerpts" / "reference.rttm")
    lines = []
    for uri in AMI_DEV:
        x = load_audio(src / f"{uri}.wav").mono
        orig = load_audio(DATA / "pyannote-ami-excerpts" / f"{uri}.wav").mono
        speech = np.zeros(len(orig), dtype=bool)
        for s, e, _ in full[uri]:
            speech[max(0, int((s - 0.1) * SAMPLE_RATE)): int((e + 0.1) * SAMPLE_RATE)] = True
        tone = np.roll(np.resize(orig[~speech], len(x)), len(x) // 3).astype(np.float32)
        y = g * x + np.sqrt(1 - g * g) * tone
        write_wav(out / f"{uri}.wav", y)
        lines += [f"SPEAKER {uri} 1 {s:.3f} {e - s:.3f} <NA> <NA> {k} <NA> <NA>" for s, e, k in refs[uri]]
    (out / "reference.rttm").write_text("\n".join(lines) + "\n")
    return out


def local_for(wav: Path, step: float, params):  # noqa: ANN001, ANN201
    """(segmentation split into runs, embeddings, usable, trainable, origin), cached; the segmentation
    itself is cached apart (it depends only on the audio and the step)."""
    from sessionscope.audio import segmentation
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import default_threads, local_embeddings, torch_threads
    from sessionscope.audio.reconstruct import split_runs, unsplit_origin

    stem = f"{wav.parent.name}_{wav.stem}_s{step}"
    key = CACHE / (f"{stem}_e{params.embed_max_s}_{params.embed_min_s}_{params.min_train_s}_g{params.split_gap_s}"
                   f"{'' if params.min_usable_s == 0.3 else f'_u{params.min_usable_s}'}.pkl")
    if key.is_file():
        return pickle.loads(key.read_bytes())
    audio = load_audio(wav)
    seg_key = CACHE / f"{stem}.seg.pkl"
    with torch_threads(default_threads()):
        if seg_key.is_file():
            seg = pickle.loads(seg_key.read_bytes())
        else:
            seg = segmentation.local_segmentation(audio.mono, step_s=step)
            seg_key.parent.mkdir(parents=True, exist_ok=True)
            seg_key.write_bytes(pickle.dumps(seg))
        if params.split_gap_s > 0:
            seg, origin = split_runs(seg, min_gap_s=params.split_gap_s)
        else:
            origin = unsplit_origin(seg)
        emb, usable, trainable = local_embeddings(audio.mono, seg, max_s=params.embed_max_s, min_s=params.embed_min_s,
                                                  min_usable_s=params.min_usable_s, min_train_s=params.min_train_s,
                                                  own_only=params.split_gap_s > 0)
    out = (seg, emb, usable, trainable, origin)
    key.write_bytes(pickle.dumps(out))
    return out


def miss_breakdown(seg, ref, hyp) -> dict[str, float]:  # noqa: ANN001
    """Where the missed speaker time (collar 0, 10 ms frames) is: ``unseen`` (no chunk's segmentation marks the
    frame as speech), ``seg_fewer`` (the most local speakers any covering chunk marks are fewer than the
    reference's, and the output is not above that), ``later`` (the rest: the segmentation saw enough speakers,
    clustering or reconstruction output fewer); seconds."""
    n = int(np.ceil(seg.duration * 100)) + 1
    r, h, local = np.zeros(n), np.zeros(n), np.zeros(n)
    for a, b, _ in ref:
        r[int(round(a * 100)):int(round(b * 100))] += 1
    for a, b, _ in hyp:
        h[int(round(a * 100)):int(round(b * 100))] += 1
    f_n = seg.binarized.shape[1]
    for ci in range(len(seg.starts)):
        idx = np.round((seg.starts[ci] + np.arange(f_n) * seg.frame_step + seg.frame_offset) * 100).astype(int)
        ok = idx < n
        np.maximum.at(local, idx[ok], seg.binarized[ci].sum(axis=1)[ok])
    miss = np.maximum(0.0, r - h)
    fewer = np.minimum(miss, np.maximum(0.0, r - np.maximum(local, h)))
    out = {"miss_s": miss.sum() / 100, "unseen_s": miss[local == 0].sum() / 100,
           "seg_fewer_s": fewer[local > 0].sum() / 100}
    out["later_s"] = out["miss_s"] - out["unseen_s"] - out["seg_fewer_s"]
    return out


def main() -> int:
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=float, nargs="+", default=[2.5])
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1])
    ap.add_argument("--min-cluster-sizes", type=int, nargs="+", default=[1, 3, 6])
    ap.add_argument("--split-gap", type=float, default=0.5, help="0: one embedding per local speaker and chunk")
    ap.add_argument("--min-usable", type=float, default=DiarizationParams.min_usable_s,
                    help="seconds of speech a local speaker needs for an embedding")
    ap.add_argument("--count-min-s", type=float, nargs="+", default=[DiarizationParams.count_min_s],
                    help="lower bound on the count from distinct local speakers of this many seconds (0: off)")
    ap.add_argument("--count-distance", type=float, default=DiarizationParams.count_distance,
                    help="two local speakers with embeddings closer than this may be one voice (not counted apart)")
    ap.add_argument("--libri", type=int, default=0, help="use only the first N development conversations (0: all)")
    ap.add_argument("--perturbed", action="store_true",
                    help="also the perturbed-voice conversations (group libri_sp; its count enters the rule)")
    ap.add_argument("--embed-max", type=float, default=DiarizationParams.embed_max_s,
                    help="seconds of clean speech per local-speaker embedding (at most)")
    ap.add_argument("--keep-far", type=float, nargs="+", default=[DiarizationParams.keep_far],
                    help="a small cluster farther than this from every large one stays a voice (0: off)")
    ap.add_argument("--min-on", type=float, nargs="+", default=[DiarizationParams.min_on],
                    help="turns shorter than this are dropped")
    ap.add_argument("--min-off", type=float, nargs="+", default=[DiarizationParams.min_off],
                    help="gaps shorter than this within one speaker are filled")
    ap.add_argument("--min-train", type=float, default=DiarizationParams.min_train_s,
                    help="seconds of clean speech a local speaker needs to take part in the clustering")
    ap.add_argument("--farfield", action="store_true",
                    help="also the simulated far-field meetings (group farfield; farfield_* columns)")
    ap.add_argument("--farfield-dir", type=Path, help="the far-field meetings from another folder (another seed)")
    ap.add_argument("--breakdown", action="store_true",
                    help="also where the missed speech is (seconds per group: unseen / seg_fewer / later, FA, confusion)")
    ap.add_argument("--short-voices", type=int, nargs="+", default=[int(DiarizationParams.short_voices)],
                    help="1: with fewer trainable local speakers than the count, all usable ones are clustered")
    ap.add_argument("--quiet", type=int, nargs="*", default=[],
                    help="also the development AMI excerpts and their sparse versions with the speech this many dB "
                         "quieter against the room tone (groups quiet_dense<dB>, quiet_sparse<dB>)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from dataclasses import replace

    from sessionscope.audio.der import der, read_rttm

    cases = dev_cases(quiet=tuple(args.quiet), perturbed=args.perturbed, farfield=args.farfield,
                      farfield_dir=args.farfield_dir)
    if args.libri:
        keep = {u for c, u, _, _ in cases if c == "libri-dev"}
        keep = set(sorted(keep)[: args.libri])
        cases = [x for x in cases if x[0] != "libri-dev" or x[1] in keep]
    refs = {(c, u): read_rttm(r)[u] for c, u, _, r in cases}
    rows = []
    for step in args.steps:
        base = replace(DiarizationParams(), step_s=step, split_gap_s=args.split_gap, min_usable_s=args.min_usable,
                       count_distance=args.count_distance, embed_max_s=args.embed_max, min_train_s=args.min_train,
                       embed_min_s=min(DiarizationParams.embed_min_s, args.embed_max))
        locals_ = {(c, u): local_for(w, step, base) for c, u, w, _ in cases}
        for th, mcs, cms, sv, mon, moff, kf in itertools.product(
                args.thresholds, args.min_cluster_sizes, args.count_min_s, args.short_voices, args.min_on, args.min_off,
                args.keep_far):
            p = replace(base, threshold=th, min_cluster_size=mcs, count_min_s=cms, short_voices=bool(sv),
                        min_on=mon, min_off=moff, keep_far=kf)
            per = {}
            for (c, u), loc in locals_.items():
                d = diarize_local(np.zeros(1, dtype=np.float32), params=p, local=loc)
                ref = refs[(c, u)]
                hyp = [(t.start, t.end, t.speaker) for t in d.turns]
                r = der(ref, hyp, collar=0.0, uem=(0.0, loc[0].duration))
                r25 = der(ref, hyp, collar=0.25, uem=(0.0, loc[0].duration))
                per[f"{c}/{u}"] = (r.der, r25.der, len({s for *_, s in ref}) == len(d.centroids), not d.turns,
                                   {"ref_s": r.reference, "fa_s": r.false_alarm, "conf_s": r.confusion,
                                    **miss_breakdown(loc[0], ref, hyp)} if args.breakdown else {},
                                   len(d.centroids) - len({s for *_, s in ref}))
            groups = {"ami": [v for k, v in per.items() if k.startswith("pyannote")],
                      "sparse": [v for k, v in per.items() if k.startswith("ami-sparse")],
                      "libri": [v for k, v in per.items() if k.startswith("libri-dev")]}
            for db in args.quiet:
                for kind in ("dense", "sparse"):
                    groups[f"quiet_{kind}{db}"] = [v for k, v in per.items() if k.startswith(f"quiet-{kind}{db}/")]
            if args.farfield:
                groups["farfield"] = [v for k, v in per.items() if k.startswith("farfield/")]
            if args.perturbed:
                groups["libri_sp"] = [v for k, v in per.items() if k.startswith("libri-sp")]
            row = {"step": step, "threshold": th, "min_cluster_size": mcs, "count_min_s": cms,
                   "min_usable_s": args.min_usable, "count_distance": args.count_distance, "short_voices": bool(sv),
                   "embed_max_s": args.embed_max, "min_train_s": args.min_train, "min_on": mon,
                   "min_off": moff, "keep_far": kf}
            for g, vals in groups.items():
                row[f"{g}_der_c0"] = round(100 * float(np.mean([v[0] for v in vals])), 2)
                row[f"{g}_der_c25"] = round(100 * float(np.mean([v[1] for v in vals])), 2)
                row[f"{g}_count_ok"] = round(float(np.mean([v[2] for v in vals])), 3)
                row[f"{g}_no_output"] = int(sum(v[3] for v in vals))
                row[f"{g}_count_diff"] = [int(v[5]) for v in vals]  # found minus reference speakers, per file
                if args.breakdown:
                    row[f"{g}_seconds"] = {k: round(float(sum(v[4][k] for v in vals)), 2) for k in vals[0][4]}
            row["objective"] = round((row["ami_der_c0"] + row["libri_der_c0"]) / 2, 2)
            rows.append(row)
            print(json.dumps(row))
    # selection rule: pairs first (what mentoring sessions are): among settings that find the right
    # count in >= 90 % of the development conversations, the lowest mean of conversation and AMI DER (collar 0)
    # (with --perturbed, also in >= 90 % of the perturbed-voice conversations: a wider check of the count)
    ok = [r for r in rows if r["libri_count_ok"] >= 0.9 and r.get("libri_sp_count_ok", 1.0) >= 0.9] or rows
    best = min(ok, key=lambda r: (r["objective"], -r["threshold"]))
    print("best:", json.dumps(best))
    if args.json:
        import subprocess

        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit,
                                         "data": "dev: libri-dev (speakers 1688 1998 2033 2414) + pyannote-ami-excerpts + pyannote-sample + their sparse versions"
                                                 + (" + perturbed-voice conversations (.cache/conv/devsp)" if args.perturbed else ""),
                                         "rule": "libri_count_ok (and libri_sp_count_ok) >= 0.9, then min (libri_der_c0 + ami_der_c0) / 2",
                                         "best": best, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

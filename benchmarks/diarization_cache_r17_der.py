"""Cache the expensive parts of `run` per development file (issue 11, round 17, der).

    nice -n 10 .venv/bin/python benchmarks/diarization_cache_r17_der.py --sets pyannote-ami farfield farfield2 libri-dev examples \\
        --out /tmp/r17/der/local

Per file: the transcription (``pipeline._asr``, the result cache of ``run``; ``benchmarks/configs/tiny_en.yaml``
for the English development sets, the defaults for ``examples``, as ``diarization_der.py``) and the
diarization's local results (segmentation split into runs, CAM++ embeddings, usable, trainable, origin) computed
exactly as ``diarize.diarize_local`` does with the default settings. ``diarize_local(local=...)`` then
clusters them with any speaker-count bounds in a fraction of a second, so the experiments of
``diarization_voices_r17_der.py`` do not redo recognition or segmentation. ``--check``: for the first file,
compare with ``recognise_step`` (the code path of ``run``) and stop when the turns differ.
Development sets only (never ``ami`` or ``libri-report``).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

from diarization_der import ROOT, cases

DEV_SETS = ("pyannote-ami", "farfield", "farfield2", "libri-dev", "examples")


def config_for(set_name: str):  # noqa: ANN201
    from sessionscope.config import load_config

    return load_config(None if set_name == "examples" else ROOT / "benchmarks" / "configs" / "tiny_en.yaml")


def compute_local(samples, params):  # noqa: ANN001, ANN201
    """(seg, emb, usable, trainable, origin) as ``diarize_local`` computes them."""
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.diarize import default_threads, local_embeddings, torch_threads
    from sessionscope.audio.reconstruct import split_runs, unsplit_origin

    with torch_threads(params.threads if params.threads > 0 else default_threads()):
        seg = seg_mod.local_segmentation(samples, step_s=params.step_s, regions=None, fallback=params.chunk_fallback)
        if params.split_gap_s > 0:
            seg, origin = split_runs(seg, min_gap_s=params.split_gap_s)
        else:
            origin = unsplit_origin(seg)
        emb, usable, trainable = local_embeddings(samples, seg, max_s=params.embed_max_s, min_s=params.embed_min_s,
                                                  min_usable_s=params.min_usable_s, min_train_s=params.min_train_s,
                                                  own_only=params.split_gap_s > 0)
    return seg, emb, usable, trainable, origin


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(DEV_SETS), choices=DEV_SETS)
    ap.add_argument("--out", type=Path, default=Path("/tmp/r17/der/local"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import _asr, decode_step, diarization_settings, recognise_step, seed_everything

    cache = ResultCache()
    args.out.mkdir(parents=True, exist_ok=True)
    for set_name in args.sets:
        config = config_for(set_name)
        params = diarization_settings(config)
        for uri, wav, _rttm in cases(set_name):
            path = args.out / f"{set_name}__{uri}.pkl"
            if path.is_file() and not args.check:
                continue
            t0 = time.time()
            decoded = decode_step(wav)
            seed_everything(decoded.sha256)
            asr = _asr(decoded, config, None, cache, None)
            local = compute_local(decoded.audio.mono, params)
            if args.check:
                from sessionscope.audio.diarize import diarize_local

                mine = diarize_local(decoded.audio.mono, params=params, local=local,
                                     min_speakers=config.diarization.min_speakers, max_speakers=config.diarization.max_speakers)
                rec = recognise_step(decoded, config=config, language=None, n_people=0, cache=cache)
                assert rec.diarization is not None
                same = mine.turns == rec.diarization.turns and mine.centroids == rec.diarization.centroids
                print(f"check {set_name}/{uri}: turns {len(mine.turns)} vs {len(rec.diarization.turns)}, identical={same}")
                if not same:
                    return 1
                args.check = False
            path.write_bytes(pickle.dumps({"set": set_name, "uri": uri, "wav": str(wav), "asr": asr, "local": local,
                                           "duration_s": decoded.audio.duration_s}))
            print(f"{set_name}/{uri}: {time.time() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Does a Whisper (CTranslate2) model built in a thread that then ends transcribe at another CPU cost? (issue 11, round 12, speed)

    nice -n 10 .venv/bin/python benchmarks/ct2_thread_r12_speed.py main|thread [WAV]

Loads the configured Whisper model in this (main) thread or in a short-lived thread, then transcribes WAV
(default ``/tmp/r12/speed/clip40.wav``: the first 40 s of ``speed_run.build(5, …)``) in the main thread as
``run`` does (batched, told English, VAD, word timestamps) and prints the words and CPU / wall seconds.
Checks one suspect for the background-load failure (docs/benchmarks/audio.md, round 12): alone, it is not it.
"""
from __future__ import annotations

import os
import sys
import threading
import time


def main() -> int:
    from faster_whisper import BatchedInferencePipeline

    from sessionscope.audio.decode import load_audio
    from sessionscope.config import Config
    from sessionscope.models import load_whisper

    cfg = Config().asr
    where = sys.argv[1]
    wav = sys.argv[2] if len(sys.argv) > 2 else "/tmp/r12/speed/clip40.wav"
    box = {}

    def load() -> None:
        box["m"] = load_whisper(cfg.model, device=cfg.device, compute_type=cfg.compute_type, cpu_threads=cfg.cpu_threads)

    if where == "thread":
        t = threading.Thread(target=load)
        t.start()
        t.join()
    else:
        load()
    x = load_audio(wav).mono
    pipe = BatchedInferencePipeline(model=box["m"])
    c, w = time.process_time(), time.perf_counter()
    segs, _ = pipe.transcribe(x, language="en", beam_size=cfg.beam_size, vad_filter=True, word_timestamps=True,
                              batch_size=cfg.batch_size)
    n = sum(len(s.words or ()) for s in segs)
    print(where, "words", n, "cpu", round(time.process_time() - c, 2), "wall", round(time.perf_counter() - w, 2),
          "os threads", len(os.listdir("/proc/self/task")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

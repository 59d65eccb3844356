"""Round 22 (lead): a pair's guessed speaker mappings checked in two camps — several swapped sessions at once.

Round 21's check (`identify.voice_consistency`) compared each session with ALL the pair's other sessions. With
several sessions mapped the wrong way round they hide each other: a right session compared with many wrong ones
looks wrong, a wrong one compared with others like it looks right. Round 22 first splits a two-person pair's
sessions into two camps that agree within (exact search up to 16 sessions), takes the camp with evidence
(a voiceprint or introduction mapping) or else the larger one as right, and compares each session with it.

Development data only: the CAM++ centroids of the LibriSpeech development readers in the development
conversations (clean, telephone, video call, Opus, laptop; `r21_pairvoice_centroids.json`). A simulated pair
has n sessions; each session takes reader A's voice from one conversation and reader B's from another, never a
conversation (in any condition) used by another session of the same reader, so no two sessions share speech.
k of the n sessions are swapped. The check only compares voices across sessions, so recombining a session's two
voices from different recordings does not help it.

    .venv/bin/python benchmarks/r22_pairvoice_camps.py --centroids benchmarks/results/r21_pairvoice_centroids.json \\
        --json benchmarks/results/r22_pairvoice_camps.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-9))


def round21(sessions: dict[str, dict[str, np.ndarray]], guessed: set[str], threshold: float) -> dict[str, bool]:
    """Round 21's check (commit 6b3263b), kept for the comparison: every session against all the others."""
    out = {}
    for sid in sorted(sessions):
        pids = sorted(sessions[sid])
        others = [o for o in sorted(sessions) if o != sid]
        sim = {(a, b): float(np.mean([_cos(sessions[sid][a], sessions[o][b]) for o in others])) for a in pids for b in pids}
        scores = {p: float(np.mean([sim[(a, b)] for a, b in zip(pids, p, strict=True)])) for p in permutations(pids)}
        best = max((p for p in scores if list(p) != pids), key=lambda p: (scores[p], p))
        out[sid] = sid in guessed and round(scores[best] - scores[tuple(pids)], 4) >= threshold
    return out


def load_pool(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, list[np.ndarray]]]]:
    """The centroids file and its voices by reader, then by conversation (reader -> uri -> voices)."""
    data = json.loads(path.read_text())
    pool: dict[str, dict[str, list[np.ndarray]]] = defaultdict(lambda: defaultdict(list))
    for r in data["rows"]:
        pool[r["reader"]][r["uri"]].append(np.asarray(r["centroid"], dtype=float))
    return data, pool


def _draw(pool: dict[str, dict[str, list[np.ndarray]]], ra: str, rb: str, n: int,
          rng: np.random.Generator) -> dict[str, dict[str, np.ndarray]] | None:
    """n sessions of readers ra and rb, no conversation used twice; None when the draw runs out of them."""
    used: set[str] = set()
    sessions = {}
    for i in range(n):
        voices = {}
        for key, reader in (("a", ra), ("b", rb)):
            free = [u for u in sorted(pool[reader]) if u not in used]
            if not free:
                return None
            u = free[rng.integers(len(free))]
            used.add(u)
            voices[key] = pool[reader][u][rng.integers(len(pool[reader][u]))]
        sessions[f"s{i:02d}"] = voices
    return sessions


def pair_draws(pool: dict[str, dict[str, list[np.ndarray]]], n: int, draws: int,
               rng: np.random.Generator) -> Iterator[tuple[str, str, dict[str, dict[str, np.ndarray]]]]:
    """For each pair of readers, up to ``draws`` sets of n sessions (:func:`_draw`; a draw can run out of unused
    conversations: draw again, up to 20 tries per set): ``(reader a, reader b, sessions)``. Lazy, so a caller that
    uses ``rng`` between sets keeps the same sequence as the loops it replaced."""
    readers = sorted(pool)
    for ra, rb in [(a, b) for i, a in enumerate(readers) for b in readers[i + 1:]]:
        done = 0
        for _ in range(draws * 20):
            if done == draws:
                break
            sessions = _draw(pool, ra, rb, n, rng)
            if sessions is None:
                continue
            done += 1
            yield ra, rb, sessions


def map_later(voices: dict[str, np.ndarray], prints: dict[str, np.ndarray], rng: np.random.Generator, *,
              threshold: float) -> tuple[Any, bool, dict[str, str]]:
    """One later session of a pair (voices of participants "a" and "b") mapped by
    :func:`sessionscope.audio.identify.map_speakers`, who speaks first drawn at random: (mapping, right, label ->
    participant)."""
    from sessionscope.audio.identify import Person, map_speakers

    first = ["a", "b"] if rng.random() < 0.5 else ["b", "a"]  # who speaks first
    labels = {f"SPEAKER_0{i}": who for i, who in enumerate(first)}
    m = map_speakers(labels=list(labels), first_speech={lab: float(i) for i, lab in enumerate(labels)}, texts={},
                     people=[Person("a", "A"), Person("b", "B")],
                     centroids={lab: voices[who].tolist() for lab, who in labels.items()}, prints=prints,
                     threshold=threshold)
    return m, all(m.speaker_map[lab] == who for lab, who in labels.items()), labels


def _trial(sessions: dict[str, dict[str, np.ndarray]], scenario: str, n: int, k: int, rng: np.random.Generator,
           results: dict[str, dict[str, list[float]]]) -> None:
    """Swap k sessions, run both checks, add what they flag to ``results``."""
    from sessionscope.audio.identify import SWAP_MARGIN, voice_consistency

    ids = sorted(sessions)
    first = 1 if scenario == "one_evidence" else 0  # s00 is mapped by evidence, and right
    wrong = set(rng.choice(ids[first:], size=k, replace=False).tolist()) if k else set()
    for s in wrong:
        sessions[s] = {"a": sessions[s]["b"], "b": sessions[s]["a"]}
    guessed = set(ids[first:])
    new = {s: c.swapped for s, c in voice_consistency(sessions, guessed, threshold=SWAP_MARGIN).items()}
    old = round21(sessions, guessed, SWAP_MARGIN)
    tie = scenario == "all_guessed" and 2 * k == n
    key = f"{scenario}/n{n}/k{k}" + ("/tie" if tie else "")
    for name, flags in (("round21", old), ("round22", new)):
        if tie:  # which camp is wrong cannot be told: both may be flagged, and are told apart
            results[key][f"{name}_flagged_share"].append(float(np.mean([flags[s] for s in ids])))
            continue
        if wrong:
            results[key][f"{name}_found"].append(float(np.mean([flags[s] for s in wrong])))
        right = [s for s in guessed if s not in wrong]
        if right:
            results[key][f"{name}_false_flag"].append(float(np.mean([flags[s] for s in right])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--centroids", type=Path, required=True)
    ap.add_argument("--json", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=150)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    from sessionscope.audio.identify import SWAP_MARGIN

    data, pool = load_pool(args.centroids)
    rng = np.random.default_rng(args.seed)
    readers = sorted(pool)
    results: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for ra, rb in [(a, b) for i, a in enumerate(readers) for b in readers[i + 1:]]:
        # conversations holding both readers cannot give one reader's voice to one session and the other's to another
        ua, ub = sorted(pool[ra]), sorted(pool[rb])
        most = min(len(ua), len(ub), 10)
        for n in (4, 6, 8, 10):
            if n > most:
                continue
            for scenario in ("all_guessed", "one_evidence"):
                for k in range(0, (n // 2 if scenario == "all_guessed" else n - 1) + 1):
                    done = 0
                    for _ in range(args.draws * 20):  # a draw can run out of unused conversations: draw again
                        if done == args.draws:
                            break
                        sessions = _draw(pool, ra, rb, n, rng)
                        if sessions is None:
                            continue
                        done += 1
                        _trial(sessions, scenario, n, k, rng, results)
    summary = {key: {m: round(float(np.mean(v)), 4) for m, v in sorted(ms.items())} | {"draws": len(next(iter(ms.values())))}
               for key, ms in sorted(results.items(), key=lambda kv: (kv[0].split("/")[0], int(kv[0].split("/")[1][1:]),
                                                                     int(kv[0].split("/")[2][1:])))}
    pooled: dict[str, dict[str, float]] = {}
    for scenario in ("all_guessed", "one_evidence"):
        for name in ("round21", "round22"):
            for m in ("found", "false_flag"):
                vals = [x for key, ms in results.items() if key.startswith(scenario) and "tie" not in key
                        for x in ms.get(f"{name}_{m}", [])]
                pooled.setdefault(scenario, {})[f"{name}_{m}"] = round(float(np.mean(vals)), 4)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    out = {"commit": commit, "split": "dev (LibriSpeech development readers; centroids of dev_r19 and dev_r19_calls_*)",
           "command": " ".join(["benchmarks/r22_pairvoice_camps.py", *sys.argv[1:]]), "threshold": SWAP_MARGIN,
           "centroids_commit": data["commit"], "pooled": pooled, "per_setting": summary}
    args.json.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(pooled, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast are the reports? A 100-session programme dashboard, and session reports of real conversations.

Part 1 (SYNTHETIC data, clearly labelled): generates a programme of N sessions (default
100: 20 pairs × 5 sessions, 45–95 minutes each, ~12 utterances per minute, with topics,
recommendations, action items, questions and flags), writes them as session.json, then
times each step of ``sessionscope report programme``: reading, aggregating, drawing the
charts and writing the dashboard, writing the tables, and (optionally) opening the page in
headless Chromium until its filter script has run. The aggregation runs twice: first with an
empty goal-vector folder (every utterance encoded for the goal follow-up), then again reading the
vectors the first run kept there; the two goals tables must be equal.

Part 2 (REAL data): the session report of each Santa Barbara Corpus conversation in
``../shared/data/sbcsae-text-refs`` (25–29 min, real transcripts), with and without
redaction (spaCy NER on every utterance).

    .venv/bin/python benchmarks/dashboard_speed.py              # 100 sessions + real data
    .venv/bin/python benchmarks/dashboard_speed.py --sessions 300 --no-browser

Results go to stdout as a Markdown table (copied into docs/benchmarks/reports.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.model import (
    ActionItem,
    DataQuality,
    Flag,
    KnowledgeFlow,
    Participant,
    Question,
    Recommendation,
    Role,
    Session,
    Topics,
    TopicSegment,
    Utterance,
    write_session_json,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
AREAS = ["tools", "time", "teamwork", "projects", "clients", "development", "other"]
WORDS = ("we should try the new planning tool with the team and review the client pipeline every week "
         "maybe set up a short call to discuss the project risks and the training plan").split()


def synthetic_session(rng: random.Random, *, pair: int, k: int, start: dt.date) -> Session:
    """One SYNTHETIC session (random talk, realistic sizes); never used as evidence."""
    junior, senior = f"j{pair}", f"s{pair}"
    parts = (Participant(junior, f"Junior {pair}", Role.JUNIOR), Participant(senior, f"Senior {pair}", Role.SENIOR))
    minutes = rng.uniform(45, 95)
    jshare = min(0.8, max(0.15, rng.gauss(0.4 + 0.02 * k, 0.1)))
    utts, t, i = [], 0.0, 0
    while t < minutes * 60:
        spk = junior if rng.random() < jshare else senior
        dur = rng.uniform(1.5, 9.0)
        text = " ".join(rng.choice(WORDS) for _ in range(max(2, int(dur * 2.5))))
        utts.append(Utterance(f"u{i:05d}", spk, text, round(t, 2), round(t + dur, 2), confidence=0.9))
        t += dur + rng.uniform(0.1, 1.0)
        i += 1
    s = Session(id=f"pair{pair:02d}-{k}", participants=parts, utterances=tuple(utts), pair_id=f"pair-{pair:02d}",
                date=start + dt.timedelta(days=14 * k + pair % 7), language="ru" if pair % 4 == 0 else "en",
                duration_s=t)
    bounds = sorted(rng.sample(range(1, len(utts) - 1), 5))
    segs, prev = [], 0
    for b in [*bounds, len(utts)]:
        chunk = utts[prev:b]
        segs.append(TopicSegment(rng.choice(AREAS), rng.choice(["problem", "case", "trend", "general"]),
                                 chunk[0].start, chunk[-1].end, tuple(u.id for u in chunk), chunk[0].speaker, 0.7))
        prev = b
    share: dict[str, float] = {}
    for g in segs:
        share[g.area] = share.get(g.area, 0.0) + (g.end - g.start) / t
    recs = tuple(Recommendation(f"r{n}", u.id, u.start, u.speaker, senior if u.speaker == junior else junior,
                                u.text, area=rng.choice(AREAS), confidence=0.8)
                 for n, u in enumerate(rng.sample(utts, rng.randint(2, 12))))
    acts = tuple(ActionItem(f"a{n}", u.id, u.start, u.speaker, " ".join(u.text.split()[:6]),
                            due_date=s.date + dt.timedelta(days=7), confidence=0.8)
                 for n, u in enumerate(rng.sample(utts, rng.randint(1, 4))))
    qs = tuple(Question(f"q{n}", u.id, u.start, u.speaker, None, u.text + "?", rng.random() < 0.8)
               for n, u in enumerate(rng.sample(utts, 10)))
    flags = (Flag("short_session", "Shorter than 60 minutes.", "warning", minutes, 60.0),) if minutes < 60 else ()
    return s.evolve(metrics=compute_metrics(s, DynamicsConfig()), topics=Topics(segments=tuple(segs),
                    area_time_share=share), recommendations=recs, action_items=acts, questions=qs, flags=flags,
                    knowledge_flow=KnowledgeFlow(mutuality_index=rng.uniform(0.2, 1.0)),
                    quality=DataQuality(mean_word_confidence=0.85), extra={"topics_planned": rng.sample(AREAS[:6], 3)})


def read_stm(path: Path) -> Session:
    """A session from an STM file (real, speaker-attributed, timed transcript)."""
    utts, speakers = [], {}
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or line.startswith(";;"):
            continue
        _f, _ch, spk, start, end, text = parts
        speakers.setdefault(spk, spk.split("_", 1)[-1].title())
        utts.append(Utterance(f"u{n:05d}", spk, text, float(start), float(end)))
    roles = [Role.JUNIOR, Role.SENIOR] + [Role.OTHER] * 20
    parts_ = tuple(Participant(pid, name, roles[i]) for i, (pid, name) in enumerate(speakers.items()))
    s = Session(id=path.stem, participants=parts_, utterances=tuple(utts), language="en")
    return s.evolve(metrics=compute_metrics(s, DynamicsConfig()))


def timed(label: str, results: list[tuple[str, float, str]], fn, note: str = ""):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    out = fn()
    results.append((label, time.perf_counter() - t0, note))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=100)
    ap.add_argument("--per-pair", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from sessionscope.report.dashboard import render_dashboard
    from sessionscope.report.programme import build_programme
    from sessionscope.report.redact import redact_session
    from sessionscope.report.session_html import render_session_html
    from sessionscope.report.session_md import render_session_markdown
    from sessionscope.report.tables import load_sessions, session_tables, write_tables

    rng = random.Random(args.seed)
    results: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pairs = max(1, args.sessions // args.per_pair)
        sessions = [synthetic_session(rng, pair=p, k=k, start=dt.date(2026, 1, 12))
                    for p in range(pairs) for k in range(args.per_pair)][: args.sessions]
        n_utts = sum(len(s.utterances) for s in sessions)
        hours = sum(s.span_s for s in sessions) / 3600
        for s in sessions:
            write_session_json(s, root / "results" / s.id / "session.json")
        loaded = timed("read session.json files", results, lambda: load_sessions(root / "results"))
        vectors = root / "goal-vectors"  # not the user's cache: this run's goal vectors only
        prog = timed("aggregate (pandas) + follow-up", results, lambda: build_programme(loaded, goal_vectors=vectors))
        html = timed("charts + dashboard HTML", results, lambda: render_dashboard(prog))
        page = root / "dashboard.html"
        page.write_text(html, encoding="utf-8")
        timed("write programme + research tables (CSV + Parquet)", results,
              lambda: (write_tables(prog.tables(), root / "out"),
                       write_tables(session_tables(loaded), root / "out" / "tables")))
        total = sum(r[1] for r in results)
        results.append(("**total: dashboard + tables from disk**", total, ""))
        again = timed("aggregate + follow-up again (goal vectors kept on disk by the first run)", results,
                      lambda: build_programme(loaded, goal_vectors=vectors))
        assert again.goals.equals(prog.goals), "goals from stored vectors differ from freshly encoded ones"
        timed(f"session HTML reports, all {len(loaded)}", results,
              lambda: [render_session_html(s) for s in loaded])
        if not args.no_browser:
            sys.path.insert(0, str(ROOT / "tests"))
            from test_browser_reports import chromium_binary, run_chromium

            binary = chromium_binary()
            if binary:
                dom, console = timed("headless Chromium: start, load, run filter script", results,
                                     lambda: run_chromium(binary, page.as_uri()))
                assert 'data-ready="1"' in dom and not console, console
        size_kb = len(html.encode()) / 1024

        real = []
        stm_dir = SHARED / "sbcsae-text-refs"
        for stm in sorted(stm_dir.glob("*.stm")) if stm_dir.is_dir() else []:
            s = read_stm(stm)
            t0 = time.perf_counter()
            render_session_html(s)
            render_session_markdown(s)
            t_plain = time.perf_counter() - t0
            t0 = time.perf_counter()
            r = redact_session(s)
            render_session_html(r, redacted=True)
            t_red = time.perf_counter() - t0
            real.append((s.id, len(s.utterances), s.span_s / 60, t_plain, t_red))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f} at the end, "
          f"Python {platform.python_version()}; `{' '.join(sys.argv)}`\n")
    print(f"SYNTHETIC programme: {len(sessions)} sessions, {pairs} pairs, {hours:.0f} h, {n_utts} utterances; "
          f"dashboard.html {size_kb:.0f} KiB\n")
    print("| step | seconds |\n|---|---|")
    for label, secs, _note in results:
        print(f"| {label} | {secs:.2f} |")
    if real:
        print("\nREAL conversations (SBCSAE, ../shared/data/sbcsae-text-refs):\n")
        print("| transcript | utterances | minutes | HTML + Markdown report (s) | redacted HTML incl. NER (s) |")
        print("|---|---|---|---|---|")
        for sid, n, mins, a, b in real:
            print(f"| {sid} | {n} | {mins:.1f} | {a:.2f} | {b:.2f} |")


if __name__ == "__main__":
    main()

"""The short Markdown summary of a session's dynamics that ``analyze`` and ``run`` write.

Plain words first (who talked how much, whether the exchange looks mutual), then the
table of figures. The full, localised session report lives in ``report/session_md.py``
and ``report/session_html.py``.
"""

from __future__ import annotations

from typing import Optional

from sessionscope.model import Session


def _fmt_time(seconds: Optional[float]) -> str:
    if seconds is None:
        return "n/a"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _pct(x: Optional[float]) -> str:
    return "n/a" if x is None else f"{100 * x:.0f} %"


def _num(x: Optional[float], digits: int = 1) -> str:
    if x is None:
        return "n/a"
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def balance_sentence(session: Session) -> str:
    """One plain-language sentence about balance (time-based, or word-based without times)."""
    m = session.metrics
    if m is None or not session.participants:
        return "No dynamics were computed."
    key = "talk_share" if session.timed else "word_share"
    shares = {p: (m.participants.get(p.id, {}).get(key) or 0.0) for p in session.participants}
    if not any(shares.values()):
        return "Nobody's speech could be measured."
    top = max(shares, key=lambda p: shares[p])
    unit = "talk time" if session.timed else "words"
    share = shares[top]
    n = len(shares)
    if n == 2:
        if share <= 0.6:
            verdict = "The conversation was balanced"
        elif share <= 0.75:
            verdict = f"{top.name} ({top.role.value}) led the conversation"
        else:
            verdict = f"{top.name} ({top.role.value}) dominated the conversation"
    else:
        verdict = f"{top.name} ({top.role.value}) spoke most"
    return f"{verdict}: {top.name} had {_pct(share)} of the {unit}."


def render_summary(session: Session) -> str:
    """Markdown: header, plain-words balance, per-participant and session figures."""
    m = session.metrics
    lines = [f"# Session {session.id}", ""]
    meta = []
    if session.pair_id:
        meta.append(f"pair **{session.pair_id}**")
    if session.date:
        meta.append(f"date {session.date.isoformat()}")
    if session.language:
        meta.append(f"language {session.language}")
    meta.append(f"duration {_fmt_time(session.span_s)}")
    lines += [", ".join(meta), ""]
    if session.participants:
        lines.append("Participants: " + ", ".join(f"{p.name} ({p.role.value})" for p in session.participants))
        lines.append("")
    lines += ["## Who drove the conversation", "", balance_sentence(session), ""]
    if m is None:
        return "\n".join(lines) + "\n"
    if not session.timed:
        lines += ["_The transcript has no timestamps: time-based measures are unavailable; shares are word-based._", ""]
    lines += [
        "| participant | role | talk time | talk share | words | word share | turns | longest turn | questions asked (answered) | interruptions made |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in session.participants:
        pm = m.participants.get(p.id, {})
        lines.append(
            f"| {p.name} | {p.role.value} | {_fmt_time(pm.get('talk_time_s'))} | {_pct(pm.get('talk_share'))} | "
            f"{pm.get('word_count', 0)} | {_pct(pm.get('word_share'))} | {pm.get('turns', 0)} | "
            f"{_fmt_time(pm.get('longest_turn_s'))} | {pm.get('questions_asked', 0)} ({pm.get('questions_answered', 0)}) | "
            f"{_num(pm.get('interruptions_made'), 0)} |"
        )
    s = m.session
    lines += [
        "",
        "| session measure | value |",
        "|---|---|",
        f"| balance score (largest talk share) | {_pct(s.get('balance_score'))} |",
        f"| talk-time Gini (0 = equal) | {_num(s.get('talk_time_gini'), 2)} |",
        f"| talk-time entropy (1 = equal) | {_num(s.get('talk_time_entropy'), 2)} |",
        f"| turn-taking index (1 = equal turns) | {_num(s.get('turn_taking_index'), 2)} |",
        f"| speaker switches per minute | {_num(s.get('speaker_switches_per_min'))} |",
        f"| overlapping speech | {_fmt_time(s.get('overlap_time_s'))} |",
        f"| windows dominated by one speaker | {_pct(s.get('dominated_window_share'))} |",
        "",
        "Definitions: docs/metrics.md.",
    ]
    if session.topics and session.topics.area_time_share:
        lines += ["", "## Topics", ""]
        shares = session.topics.area_time_share
        for area, share in sorted(shares.items(), key=lambda kv: -kv[1]):
            lines.append(f"- {area}: {_pct(share)}")
    if session.quality and session.quality.unmapped_speaker_labels:
        lines += ["", f"_Speaker labels not matched to a participant: {', '.join(session.quality.unmapped_speaker_labels)}._"]
    return "\n".join(lines) + "\n"

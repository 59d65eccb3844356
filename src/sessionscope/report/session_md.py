"""The full session report as Markdown, in the session's language.

Same content as the HTML report (both come from :func:`~sessionscope.report.view.build_view`)
minus the charts: the timeline becomes a list of topic segments with their times. Markdown
is what pairs paste into a wiki or an e-mail, so cells are escaped and kept on one line.
"""

from __future__ import annotations

from typing import Optional

from sessionscope.config import ReportConfig
from sessionscope.model import Session
from sessionscope.report.view import ReportView, Section, build_view


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _section(sec: Section, view: ReportView) -> list[str]:
    t = view.t
    lines = [f"## {sec.title}", ""]
    if sec.key == "figures":
        if sec.empty:
            return []  # the balance section already says that dynamics are missing
        lines += _table(sec.columns, sec.rows)
        lines += _table([t("measure"), t("value")], [list(m) for m in sec.extra.get("measures", [])])
        return lines
    if sec.key == "topics" and not sec.empty:
        lines += _table(sec.columns, sec.rows)
        segs = sec.extra.get("segments", [])
        if segs:
            lines += [f"**{t('sec_timeline')}**", ""]
            lines += [f"- {s['start']}–{s['end']}: {s['area']} ({s['mode']}), {t('led_by').lower()}: {s['initiator']}"
                      for s in segs]
            lines.append("")
        return lines
    if sec.key == "summary":
        if not sec.groups:
            return lines + [sec.empty or t("none_summary"), ""]
        return lines + [f"- **{g['area']}** — {g['speaker']}: {g['text']}" for g in sec.groups] + [""]
    if sec.key == "recommendations" and sec.groups:
        for g in sec.groups:
            lines += [f"### {g['title']}", ""]
            for it in g["items"]:
                meta = ", ".join(x for x in (it["at"], it["area"]) if x and x != "–")
                lines.append(f"- {it['text']}" + (f" _({meta})_" if meta else ""))
            lines.append("")
        return lines
    if sec.key == "quality":
        lines += _table(sec.columns, sec.rows)
        if sec.empty:
            lines += [sec.empty, ""]
        dropped = sec.extra.get("dropped_texts") or []
        if dropped:
            lines += [f"**{t('q_dropped_texts')}:**", ""] + [f"- “{_cell(d)}”" for d in dropped] + [""]
        notes = sec.extra.get("notes") or []
        if notes:
            lines += [f"**{t('q_notes')}:**", ""] + [f"- {_cell(n)}" for n in notes] + [""]
        return lines
    if sec.sentences:
        lines += [" ".join(sec.sentences), ""]
    if sec.rows:
        lines += _table(sec.columns, sec.rows)
    elif sec.empty:
        lines += [sec.empty, ""]
    return lines


def render_view_markdown(view: ReportView) -> str:
    """Markdown text of an already built view."""
    t = view.t
    lines = [f"# {view.title}", ""]
    if view.redacted:
        lines += [f"> {t('redacted_note')}", ""]
    lines += _table([k for k, _ in view.header], [[v for _, v in view.header]])
    if view.participants:
        lines += [f"**{t('participants')}:** " + ", ".join(
            f"{p['name']} ({p['role']}{', ' + p['share'] if p['share'] else ''})" for p in view.participants), ""]
    for sec in view.sections:
        if sec.key == "problems" and not sec.rows:
            continue  # an optional section: only shown when the stage found problems
        lines += _section(sec, view)
    lines += ["---", "", f"_{view.footer}_", ""]
    return "\n".join(lines)


def render_session_markdown(session: Session, *, redacted: bool = False, cfg: Optional[ReportConfig] = None) -> str:
    """The full session report as Markdown (UI language from ``session.language``; ``cfg``: ``report`` config)."""
    return render_view_markdown(build_view(session, redacted=redacted, cfg=cfg))

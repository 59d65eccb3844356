"""The full session report as Markdown, in the session's language.

Same content as the HTML report (both come from :func:`~sessionscope.report.view.build_view`)
minus the charts: the timeline becomes a list of topic segments with their times. Markdown
is what pairs paste into a wiki or an e-mail, so every text from the session (names,
speech, stage messages) goes through :func:`~sessionscope.escape.md_text`: raw HTML, links
and emphasis in a name or a sentence stay literal text, on one line. The report's own words
(:class:`~sessionscope.report.i18n.Trusted`) keep their Markdown; only the data in them is escaped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from sessionscope.config import ReportConfig
from sessionscope.escape import md_text
from sessionscope.model import Session
from sessionscope.report.i18n import Trusted
from sessionscope.report.view import ReportView, Section, build_view

if TYPE_CHECKING:
    from sessionscope.analysis.topics.taxonomy import Taxonomy


def _span(start: str, end: str) -> str:
    """A segment's times: ``start–end``, or only the one that is known ("5:16", not "5:16––")."""
    known = [_cell(x) for x in (start, end) if x and x != "–"]
    return "–".join(known) if known else "–"


def _cell(text: object) -> str:
    if isinstance(text, Trusted):  # the report's own words: its template as written, only the data escaped
        filled = text.template.format(**{k: md_text(v) for k, v in text.values.items()}) if text.values \
            else text.template
        return " ".join(filled.split())
    return md_text(text).strip()


#: a block marker escaped by md_text ("0\\.86", "\\-3"): a table cell holds inline content only, where no list or
#: heading can start, so the backslash is only noise in the figures a reader sees in the raw file
_ESCAPED_BLOCK = re.compile(r"^(\d*)\\([.)#>+\-=])")


def _tcell(text: object) -> str:
    """A table cell: :func:`_cell` without the (needless) escape of a leading block marker."""
    return _ESCAPED_BLOCK.sub(r"\1\2", _cell(text), count=1)


def _table(columns: list[str], rows: list[list[str]], *, marks: Optional[dict[int, str]] = None,
           mark_column: int = 0) -> list[str]:
    """A Markdown table; ``marks`` maps a row index to a marker appended (in bold) to its ``mark_column`` cell."""
    out = ["| " + " | ".join(_tcell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    for i, row in enumerate(rows):
        cells = [_tcell(c) for c in row]
        if marks and i in marks:
            cells[mark_column] += f" **{_cell(marks[i])}**"
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def _section(sec: Section, view: ReportView) -> list[str]:
    t = view.t
    lines = [f"## {_cell(sec.title)}", ""]
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
            lines += [f"**{_cell(t('sec_timeline'))}**", ""]
            # an untimed transcript's segments have no times: numbered in transcript order, not "- –: …"
            timed = any(_span(s["start"], s["end"]) != "–" for s in segs)
            lines += [(f"- {_span(s['start'], s['end'])}: " if timed else f"{i}. ") + _cell(s['area'])
                      + (f" ({_cell(s['mode'])})" if s["mode"] else "")  # small talk: no mode (view._topics)
                      + f", {_cell(t('opened_by'))}: {_cell(s['initiator'])}"
                      for i, s in enumerate(segs, 1)]
            lines.append("")
            if any(s["mode"] for s in segs):  # round 59: modes on real talk agree with blind readers for ~a quarter
                lines += [f"_{_cell(t('modes_note'))}_", ""]
        return lines
    if sec.key == "summary":
        if not sec.groups:
            return lines + [_cell(sec.empty or t("none_summary")), ""]
        return lines + [f"- **{_cell(g['area'])}** — {_cell(g['speaker'])}: {_cell(g['text'])}"
                        for g in sec.groups] + [""]
    if sec.key == "recommendations" and sec.groups:
        for g in sec.groups:
            lines += [f"### {_cell(g['title'])}", ""]
            for it in g["items"]:
                meta = ", ".join(_cell(x) for x in (it["at"], it["area"], it["confidence"]) if x and x != "–")
                mark = f" **{_cell(t('to_check'))}**" if it["to_check"] else ""
                lines.append(f"- {_cell(it['text'])}" + (f" _({meta})_" if meta else "") + mark)
            if g.get("folded"):  # the least likely ones, listed in the HTML and session.json
                lines.append(f"- _{_cell(g['folded_md'])}_")
            lines.append("")
        if sec.sentences:
            lines += [" ".join(_cell(x) for x in sec.sentences), ""]
        return lines
    if sec.key == "quality":
        lines += _table(sec.columns, sec.rows)
        if sec.empty:
            lines += [_cell(sec.empty), ""]
        dropped = sec.extra.get("dropped_texts") or []
        if dropped:
            lines += [f"**{_cell(t('q_dropped_texts'))}:**", ""] + [f"- “{_cell(d)}”" for d in dropped] + [""]
        notes = sec.extra.get("notes") or []
        if notes:
            lines += [f"**{_cell(t('q_notes'))}:**", ""] + [f"- {_cell(n)}" for n in notes] + [""]
        if sec.extra.get("steps"):
            lines += [f"**{_cell(t('q_steps'))}:**", ""] + _table(sec.extra["steps_columns"], sec.extra["steps"])
        elif sec.extra.get("steps_all_ok"):
            lines += [_cell(t("q_steps_all_ok")), ""]
        return lines
    if sec.sentences:
        lines += [" ".join(_cell(x) for x in sec.sentences), ""]
    if sec.rows:
        marks = dict.fromkeys(sec.extra.get("to_check", []), t("to_check"))
        lines += _table(sec.columns, sec.rows, marks=marks, mark_column=sec.extra.get("mark_column", 0))
    elif sec.empty:
        lines += [_cell(sec.empty), ""]
    aside = sec.extra.get("aside")
    if aside:  # items listed apart, not counted (moves within the meeting)
        lines += [f"**{_cell(aside['title'])}:**", ""] + [f"- {_cell(x)}" for x in aside["items"]] + [""]
    return lines


def render_view_markdown(view: ReportView) -> str:
    """Markdown text of an already built view."""
    t = view.t
    lines = [f"# {_cell(view.title)}", ""]
    if view.redacted:
        lines += [f"> {_cell(t('redacted_note'))}", ""]
    lines += _table([k for k, _ in view.header], [[v for _, v in view.header]])
    if view.participants:
        lines += [f"**{_cell(t('participants'))}:** " + ", ".join(
            _cell(p["name"] + (f" ({', '.join(x for x in (p['role'], p['share']) if x)})" if p["role"] or p["share"]
                               else "")) for p in view.participants),
            ""]
    for sec in view.sections:
        if sec.key in ("problems", "interruptions") and not sec.rows:
            continue  # optional sections: only shown when the stage found problems, or counted interruptions
        lines += _section(sec, view)
    lines += ["---", "", f"_{_cell(view.footer)}_", ""]
    return "\n".join(lines)


def render_session_markdown(session: Session, *, redacted: bool = False, cfg: Optional[ReportConfig] = None,
                            taxonomy: Optional[Taxonomy] = None) -> str:
    """The full session report as Markdown (UI language from ``session.language``; ``cfg``: ``report`` config;
    ``taxonomy``: the topic taxonomy used, for a programme's own area names)."""
    return render_view_markdown(build_view(session, redacted=redacted, cfg=cfg, taxonomy=taxonomy))

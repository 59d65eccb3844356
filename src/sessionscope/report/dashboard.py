"""The programme dashboard: one self-contained HTML page over the programme tables.

Charts are static matplotlib SVGs inlined in the page; each session's point carries an
SVG id with the session's index, and each topic bar its pair's index, so the page's
small inline script (``resources/templates/dashboard.js``) can hide what falls outside
the pair / date filter and recompute the key figures and the per-pair table from the
embedded JSON. Nothing is fetched: the page works from disk and offline.
"""

from __future__ import annotations

import datetime as _dt
import json
from importlib import resources
from typing import Any

from sessionscope import __version__
from sessionscope.report.i18n import AREAS, Translator, fmt_clock


def _val(v: Any) -> Any:
    """None for NaN/NaT, ISO date strings for timestamps, plain numbers otherwise."""
    if v is None:
        return None
    if hasattr(v, "isoformat"):
        return None if v != v else v.isoformat()[:10]
    if isinstance(v, float):
        return None if v != v else v
    if hasattr(v, "item"):  # numpy scalar
        return _val(v.item())
    return v


def _to_date(iso: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(iso) if iso else None


def dashboard_data(prog: Any, t: Translator) -> dict[str, Any]:
    """The JSON the page script filters (sessions, follow-up, pairs, planned topics, strings)."""
    df = prog.sessions
    pairs = sorted(df["pair_id"].dropna().unique().tolist()) if len(df) else []
    pair_index = {p: i for i, p in enumerate(pairs)}
    sessions = []
    for i, r in enumerate(df.to_dict(orient="records")):
        areas = [a for a in str(r.get("areas_covered") or "").split(";") if a]
        sessions.append({
            "i": i, "id": r["session_id"], "pair": r["pair_id"], "p": pair_index.get(r["pair_id"], -1),
            "date": _val(r.get("date")), "minutes": _val(r.get("minutes")), "js": _val(r.get("junior_talk_share")),
            "mu": _val(r.get("mutuality_index")), "rj": int(r.get("recs_by_junior") or 0),
            "rs": int(r.get("recs_by_senior") or 0), "ai": int(r.get("n_action_items") or 0),
            "fl": int(r.get("n_flags") or 0), "areas": areas, "report": r.get("report"),
            "pc": _val(r.get("planned_topics_covered_so_far")),
        })
    index_of = {s["id"]: s["i"] for s in sessions}
    followup = [{"i": index_of.get(r["session_id"], -1), "status": r["status"]}
                for r in prog.followup.to_dict(orient="records")]
    planned: list[list[str]] = [[] for _ in pairs]
    for r in df.to_dict(orient="records"):
        p = pair_index.get(r["pair_id"])
        if p is not None:
            for a in str(r.get("topics_planned") or "").split(";"):
                if a and a not in planned[p]:
                    planned[p].append(a)
    dates = [s["date"] for s in sessions if s["date"]]
    return {
        "lang": t.lang, "sessions": sessions, "followup": followup, "pairs": pairs, "planned": planned,
        "first": min(dates) if dates else None, "last": max(dates) if dates else None,
        "t": {"showing": t("dash_showing", n="{n}", total="{total}"), "missing": t("col_missing"), "pp": t("dash_pp"),
              "areas": {a: t.area(a) for a in AREAS}},
    }


def _charts(data: dict[str, Any], prog: Any, t: Translator) -> tuple[list[str], str | None]:
    from sessionscope.report.charts import line_chart_svg, stacked_bar_svg

    by_pair: dict[int, list[dict[str, Any]]] = {}
    for s in data["sessions"]:
        if s["date"]:
            by_pair.setdefault(s["p"], []).append(s)

    def series(key: str) -> list[dict[str, Any]]:
        return [{"label": data["pairs"][p], "points": [(_to_date(s["date"]), s[key], s["i"]) for s in ss]}
                for p, ss in sorted(by_pair.items()) if any(s[key] is not None for s in ss)]

    charts = []
    js = series("js")
    if js:
        charts.append(line_chart_svg(series=js, title=t("chart_jshare_title"), ylabel=t("col_jshare"),
                                     gid_prefix="trend-js", xlabel=t("chart_date_axis"), ylim=(0, 1), percent=True,
                                     reference=(0.5, t("chart_even"))))
    mins = series("minutes")
    if mins:
        top = max(v for s in mins for _d, v, _i in s["points"] if v is not None)
        charts.append(line_chart_svg(series=mins, title=t("chart_minutes_title"), ylabel=t("chart_minutes_axis"),
                                     gid_prefix="trend-min", xlabel=t("chart_date_axis"), ylim=(0, max(70.0, top * 1.1)),
                                     reference=(60.0, t("chart_guide_60"))))
    mu = series("mu")
    if mu:
        charts.append(line_chart_svg(series=mu, title=t("chart_mutuality_title"), ylabel=t("col_mutuality"),
                                     gid_prefix="trend-mu", xlabel=t("chart_date_axis"), ylim=(0, 1.05)))
    planned = series("pc")
    if planned:
        charts.append(line_chart_svg(series=planned, title=t("chart_planned_title"), ylabel=t("col_planned"),
                                     gid_prefix="trend-pc", xlabel=t("chart_date_axis"), ylim=(0, 1.05), percent=True))
    coverage = None
    topics = prog.topics
    if len(topics):
        shares, groups, ids = [], [], []
        for p, name in enumerate(data["pairs"]):
            g = topics[topics["pair_id"] == name]
            if len(g):
                groups.append(name)
                ids.append(str(p))
                shares.append(g.groupby("area")["seconds"].sum().to_dict())
        if groups:
            coverage = stacked_bar_svg(groups=groups, shares=shares, t=t, title=t("chart_coverage_title"),
                                       gid_prefix="cov", ids=ids)
    return charts, coverage


def render_dashboard(prog: Any, *, language: str = "en", redacted: bool = False) -> str:
    """The dashboard HTML for a :class:`~sessionscope.report.programme.Programme`."""
    from sessionscope.report.session_html import stylesheet, template_env

    t = Translator(language)
    data = dashboard_data(prog, t)
    charts, coverage = _charts(data, prog, t)
    sessions_view = []
    for s, r in zip(data["sessions"], prog.sessions.to_dict(orient="records"), strict=True):
        sessions_view.append({
            **s, "duration": fmt_clock(s["minutes"] * 60) if s["minutes"] is not None else "–",
            "jshare_text": t.pct(s["js"]), "mu_text": t.num(s["mu"]), "recs": int(r.get("n_recommendations") or 0),
        })
    index_of = {s["id"]: s["i"] for s in data["sessions"]}
    date_of = {s["id"]: s["date"] for s in data["sessions"]}
    followup = [{
        "i": index_of.get(r["session_id"], -1), "pair": r["pair_id"], "date": date_of.get(r["session_id"]) or "",
        "owner": _val(r.get("owner_name")) or _val(r["owner"]) or "–", "task": r["task"],
        "due": _val(r["due_date"]) or "–", "status": r["status"], "followed_in": _val(r["followed_in_session"]) or "",
    } for r in prog.followup.to_dict(orient="records")]
    flags = [{
        "i": index_of.get(r["session_id"], -1), "pair": r["pair_id"], "date": date_of.get(r["session_id"]) or "",
        "session": r["session_id"], "severity": r["severity"],
        "severity_label": t(f"severity_{r['severity']}") if t.has(f"severity_{r['severity']}") else r["severity"],
        "message": r["message"],
    } for r in prog.flags.to_dict(orient="records")]
    subtitle = t("dash_subtitle", sessions=len(data["sessions"]), pairs=len(data["pairs"]),
                 first=data["first"] or "–", last=data["last"] or "–")
    js = (resources.files("sessionscope") / "resources" / "templates" / "dashboard.js").read_text(encoding="utf-8")
    data_json = json.dumps(data, ensure_ascii=False, default=str).replace("</", "<\\/")
    return template_env().get_template("dashboard.html.j2").render(
        lang=t.lang, t=t, css=stylesheet(), subtitle=subtitle, pairs=data["pairs"], first=data["first"] or "",
        last=data["last"] or "", trend_charts=charts, coverage_chart=coverage, followup=followup, flags=flags,
        sessions=sessions_view, data_json=data_json, js=js, version=__version__, redacted=redacted,
    )

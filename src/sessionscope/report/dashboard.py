"""The programme dashboard: one self-contained HTML page over the programme tables.

Charts are static SVGs (``report/charts.py``) inlined in the page; each session's point carries an
SVG id with the session's index, and each topic bar its pair's index, so the page's
small inline script (``resources/templates/dashboard.js``) can hide what falls outside
the pair / date filter and recompute the key figures and the per-pair table from the
embedded JSON. Nothing is fetched: the page works from disk and offline.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

from sessionscope import __version__
from sessionscope.escape import json_for_script
from sessionscope.fileio import bundled_resource
from sessionscope.report.i18n import AREAS, Translator, translate_flag
from sessionscope.report.programme_i18n import pt, stages_note
from sessionscope.text import fmt_clock


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


def _count(v: Any) -> Optional[int]:
    """A count as an int; ``None`` for a missing one (NaN, pandas NA)."""
    import pandas as pd

    v = _val(v)
    return None if v is None or v is pd.NA else int(v)


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
            "jw": _val(r.get("junior_word_share")),  # apart from js: a transcript without times has only this
            # counts are null (shown "–") when the items were not extracted: not "0 found"
            "mu": _val(r.get("mutuality_index")), "rj": _count(r.get("recs_by_junior")),
            "rs": _count(r.get("recs_by_senior")), "ai": _count(r.get("n_action_items")),
            "rc": _count(r.get("n_recommendations_to_check")), "ac": _count(r.get("n_action_items_to_check")),
            # the recommendations by the junior / senior that are marked to check (in rj / rs, shown apart)
            "rjc": _count(r.get("recs_by_junior_to_check")), "rsc": _count(r.get("recs_by_senior_to_check")),
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
        "t": {"showing": t("dash_showing", n="{n}", total="{total}"),
              "of_timed": t("kpi_of_timed_note", n="{n}", total="{total}"), "missing": t("col_missing"), "pp": t("dash_pp"),
              "of_words": pt(t, "of_words"), "talk_note": pt(t, "kpi_talk_note", n="{n}", total="{total}"),
              "mutuality_note": pt(t, "kpi_mutuality_note", n="{n}", total="{total}"),
              "to_check": pt(t, "n_to_check", n="{n}"), "share_of": pt(t, "share_of", k="{k}", n="{n}"),
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
                                     gid_prefix="trend-js", xlabel=t("chart_date_axis"), lang=t.lang, ylim=(0, 1), percent=True,
                                     reference=(0.5, t("chart_even"))))
    mins = series("minutes")
    if mins:
        top = max(v for s in mins for _d, v, _i in s["points"] if v is not None)
        charts.append(line_chart_svg(series=mins, title=t("chart_minutes_title"), ylabel=t("chart_minutes_axis"),
                                     gid_prefix="trend-min", xlabel=t("chart_date_axis"), lang=t.lang, ylim=(0, max(70.0, top * 1.1)),
                                     reference=(60.0, t("chart_guide_60"))))
    mu = series("mu")
    if mu:
        charts.append(line_chart_svg(series=mu, title=t("chart_mutuality_title"), ylabel=t("col_mutuality"),
                                     gid_prefix="trend-mu", xlabel=t("chart_date_axis"), lang=t.lang, ylim=(0, 1.05)))
    planned = series("pc")
    if planned:
        charts.append(line_chart_svg(series=planned, title=t("chart_planned_title"), ylabel=t("col_planned"),
                                     gid_prefix="trend-pc", xlabel=t("chart_date_axis"), lang=t.lang, ylim=(0, 1.05), percent=True))
    coverage = None
    topics = prog.topics
    if len(topics):
        shares, groups, ids = [], [], []
        for p, name in enumerate(data["pairs"]):
            g = topics[topics["pair_id"] == name]
            if len(g):
                groups.append(name)
                ids.append(str(p))
                # each session's shares (of time, or of words without times) add up to 1: no seconds beside shares
                shares.append(g.groupby("area")["share"].sum().to_dict())
        if groups:
            coverage = stacked_bar_svg(groups=groups, shares=shares, t=t, title=pt(t, "chart_coverage_title"),
                                       gid_prefix="cov", ids=ids)
    return charts, coverage


def _fmt(t: Translator, v: Any, digits: int = 1) -> str:
    v = _val(v)
    if v is None:
        return "–"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return t.num(float(v), digits) if not float(v).is_integer() or digits == 0 else str(int(v))
    return str(v)


def _checklist_view(prog: Any, t: Translator, index_of: dict[str, int], pair_index: dict[str, int],
                    ) -> dict[str, Any]:
    from sessionscope.report.checklist import ITEMS, never_met

    table = prog.checklist
    out: dict[str, Any] = {"pairs": [], "never": []}
    if table is None or not len(table):
        return out
    marks = {"met": "✓", "not_met": "✗", "cant_tell": "?"}
    for pair, g in table.groupby("pair_id", sort=True):
        sessions = list(dict.fromkeys(g["session_id"]))
        dates = {r["session_id"]: _val(r["date"]) for r in g.to_dict(orient="records")}
        rows = []
        for item in ITEMS:
            cells = []
            for sid in sessions:
                hit = g[(g["session_id"] == sid) & (g["item"] == item)]
                if not len(hit):
                    cells.append({"status": "cant_tell", "mark": "", "title": ""})
                    continue
                r = hit.iloc[0]
                title = f"{pt(t, 'check_' + r['status'])}: {r['measure']}"
                if _val(r["threshold"]) is not None:
                    title += f" (threshold {_fmt(t, r['threshold'], 2)})"
                if _val(r["reason"]):
                    title += f" — {r['reason']}"
                if _val(r["evidence"]):
                    title += f" — «{str(r['evidence'])[:300]}»"
                cells.append({"status": r["status"], "mark": marks.get(r["status"], "?"), "title": title})
            rows.append({"label": pt(t, "item_" + item), "cells": cells})
        out["pairs"].append({"pair": pair, "p": pair_index.get(pair, -1), "sessions": [{"id": sid, "date": dates.get(sid) or sid,
                                                         "i": index_of.get(sid, -1)} for sid in sessions],
                             "rows": rows})
    never = never_met(table)
    for item in ITEMS:
        if never.get(item):
            key = "never_item_" + item
            label = pt(t, key) if key in ("never_item_concrete_cases", "never_item_junior_questions") else \
                f"{pt(t, 'never_met')}: {pt(t, 'item_' + item)}"
            out["never"].append({"label": label, "pairs": never[item]})
    return out


def _feedback_view(prog: Any, t: Translator, index_of: dict[str, int]) -> Optional[dict[str, Any]]:
    a = prog.surveys
    if a is None:
        return None
    numeric = a[a["scale"] != "text"]
    rows = []
    for (pair, date, kind, question), g in numeric.groupby(["pair_id", "date", "kind", "question"], sort=True,
                                                           dropna=False):
        by_role = {r: "; ".join(_fmt(t, v, 1) for v in g[g["role"] == r]["value"]) or "–" for r in ("junior", "senior")}
        sid = g["session_id"].dropna()
        qid = g["question_id"].dropna()
        rows.append({"pair": pair, "date": _val(date) or "", "kind": pt(t, "fb_" + str(kind)),
                     "question": pt(t, "q_" + qid.iloc[0]) if len(qid) else question,
                     "scale": g["scale"].iloc[0], "junior": by_role["junior"], "senior": by_role["senior"],
                     "i": index_of.get(sid.iloc[0], -1) if len(sid) else None})
    means = []
    for (qid, scale), g in numeric.dropna(subset=["question_id"]).groupby(["question_id", "scale"], sort=True):
        cells = {}
        for r in ("junior", "senior"):
            v = g[g["role"] == r]["value"].dropna()
            cells[r] = f"{_fmt(t, v.mean(), 2)} ({len(v)})" if len(v) else "–"
        means.append({"question": pt(t, "q_" + str(qid)), "scale": scale, **cells})
    comments = [{"pair": r["pair_id"], "date": _val(r["date"]) or "", "role": t.role(r["role"]) if r["role"] else "–",
                 "question": r["question"], "text": r["value_text"],
                 "i": index_of.get(r["session_id"], -1) if _val(r["session_id"]) else None}
                for r in a[a["scale"] == "text"].to_dict(orient="records")]
    return {"rows": rows, "means": means, "comments": comments}


def _feedback_charts(prog: Any, t: Translator, data: dict[str, Any]) -> list[str]:
    """Per standard question: the mean answer of each session (both sides, 0–1 of the scale) over time, per pair."""
    a = prog.surveys
    if a is None or not len(a):
        return []
    from sessionscope.report.charts import line_chart_svg

    by_id = {s["id"]: s for s in data["sessions"]}
    charts = []
    numeric = a.dropna(subset=["session_id", "value_share", "question_id"])
    for qid in ("satisfaction", "usefulness", "psychological_safety", "self_assessment"):
        q = numeric[numeric["question_id"] == qid]
        if not len(q):
            continue
        means = q.groupby("session_id")["value_share"].mean()
        per_pair: dict[int, list[tuple[Any, float, int]]] = {}
        for sid, v in means.items():
            s = by_id.get(sid)
            if s and s["date"]:
                per_pair.setdefault(s["p"], []).append((_to_date(s["date"]), float(v), s["i"]))
        series = [{"label": data["pairs"][p], "points": sorted(pts)} for p, pts in sorted(per_pair.items())]
        if series:
            charts.append(line_chart_svg(series=series, title=pt(t, "q_" + qid), ylabel=pt(t, "fb_share_axis"),
                                         gid_prefix=f"fb-{qid.replace('_', '')}", xlabel=t("chart_date_axis"), lang=t.lang,
                                         ylim=(0, 1.05)))
    return charts


def _baseline_view(prog: Any, t: Translator) -> Optional[list[dict[str, Any]]]:
    b = prog.baseline
    if b is None:
        return None
    out = []
    for r in b.to_dict(orient="records"):
        share = str(_val(r["measure_id"]) or "").endswith("share")
        show = (lambda v: t.pct(_val(v)) if _val(v) is not None else "–") if share else (lambda v: _fmt(t, v, 2))
        unit = f" {r['unit']}" if _val(r["unit"]) and not share else ""  # "35 min → 4.65" read as two measures
        out.append({"scope": _val(r["pair_id"]) or pt(t, "bl_programme"), "measure": r["measure"],
                    "before": show(r["before"]) + unit,
                    "now": show(r["now"]) + unit if _val(r["now"]) is not None else pt(t, "bl_not_measured"),
                    "direction": _val(r["direction"]) or "",
                    "direction_label": pt(t, "bl_" + r["direction"]) if _val(r["direction"]) else "",
                    "n": pt(t, "bl_n", n=int(r["n_now"])) if _val(r["n_now"]) is not None else r["now_source"]})
    return out


def _goals_view(prog: Any, t: Translator, pair_index: dict[str, int]) -> dict[str, Any]:
    g = prog.goals
    method = str(g["method"].iloc[0]) if len(g) else "–"
    rates = []
    for pair, pg in (g.groupby("pair_id", sort=True) if len(g) else []):
        judged = pg[pg["status"] != "pending"]
        rates.append({"pair": pair, "p": pair_index.get(pair, -1), "set": len(pg),
                      "done": t.pct(float((judged["status"] == "done").mean())) if len(judged) else "–",
                      "dropped": t.pct(float((judged["status"] == "dropped").mean())) if len(judged) else "–",
                      "open": int(pg["open"].sum()),
                      "open_list": [{"task": r["task"], "date": _val(r["date"]) or "",
                                     "status": pt(t, "status_" + r["status"]),
                                     "owner": _val(r.get("owner_name")) or _val(r["owner"]) or "–"}
                                    for r in pg[pg["open"]].to_dict(orient="records")]})
    return {"method": method, "rates": rates}


def _flows_view(prog: Any, t: Translator, pair_index: dict[str, int]) -> Optional[list[dict[str, Any]]]:
    """``programme_flows`` as rows per pair and area, the largest first within a pair (the pair filter hides rows);
    ``None`` when the table was not built."""
    f = prog.flows
    if f is None:
        return None
    rows = f.to_dict(orient="records")
    rows.sort(key=lambda r: (str(r["pair_id"]), -(r["junior_to_senior"] + r["senior_to_junior"]), str(r["area"])))
    return [{"pair": r["pair_id"], "p": pair_index.get(r["pair_id"], -1), "area": t.area(r["area"]),
             "j2s": int(r["junior_to_senior"]), "s2j": int(r["senior_to_junior"]), "n": int(r["n_sessions"])}
            for r in rows]


def _correlation_view(prog: Any, t: Translator) -> Optional[list[dict[str, Any]]]:
    c = prog.correlations
    if c is None:
        return None
    return [{"measure": pt(t, "m_" + r["measure"]), "outcome": pt(t, "q_" + r["outcome"]), "n": r["n"],
             "r": _fmt(t, r["pearson_r"], 2),
             "ci": (f"{_fmt(t, r['ci_low'], 2)} … {_fmt(t, r['ci_high'], 2)}" if _val(r["ci_low"]) is not None
                    else "–"),
             "rho": _fmt(t, r["spearman_rho"], 2), "warning": _val(r["warning"])} for r in c.to_dict(orient="records")]


def _issues_view(prog: Any, t: Translator) -> Optional[list[dict[str, Any]]]:
    i = prog.survey_issues
    if i is None:
        return None
    return [{"file": r["file"], "row": "" if _val(r["row"]) is None else int(r["row"]),
             "column": _val(r["column"]) or "", "kind": pt(t, "kind_" + r["kind"]), "message": r["message"]}
            for r in i.to_dict(orient="records")]


def _with_check(t: Translator, n: Optional[int], to_check: Optional[int]) -> str:
    """"3 (+18 to check)": the counted items, then those marked to check (``n`` counts both); "–" when the items
    were not extracted."""
    if n is None:
        return "–"
    return f"{n - to_check} ({pt(t, 'n_to_check', n=to_check)})" if to_check else str(n)


def render_dashboard(prog: Any, *, language: str = "en", redacted: bool = False) -> str:
    """The dashboard HTML for a :class:`~sessionscope.report.programme.Programme`."""
    from sessionscope.report.programme import (
        audio_sessions,
        data_note_lines,
        few_flow_sessions,
        flows_note,
        guessed_sessions,
        is_true,
        left_out_notes,
        not_analysed,
        programme_subtitle,
        voice_swap_notes,
    )
    from sessionscope.report.session_html import stylesheet, template_env

    t = Translator(language)
    data = dashboard_data(prog, t)
    charts, coverage = _charts(data, prog, t)
    sessions_view = []
    for s, r in zip(data["sessions"], prog.sessions.to_dict(orient="records"), strict=True):
        jshare = (t.pct(s["js"]) if s["js"] is not None else
                  f"{t.pct(s['jw'])} {pt(t, 'of_words')}" if s["jw"] is not None else "–")
        sessions_view.append({
            **s, "duration": fmt_clock(s["minutes"] * 60) if s["minutes"] is not None else "–",
            # a share of a guessed speaker mapping may be the senior's: marked where it is shown
            "jshare_text": f"{jshare} ({pt(t, 'guess_mark')})" if is_true(r.get("speakers_guessed")) and jshare != "–"
            else jshare, "mu_text": t.num(s["mu"]),
            "recs": _with_check(t, _count(r.get("n_recommendations")), s["rc"]), "ai_text": _with_check(t, s["ai"], s["ac"]),
        })
    index_of = {s["id"]: s["i"] for s in data["sessions"]}
    pair_index = {p: i for i, p in enumerate(data["pairs"])}
    date_of = {s["id"]: s["date"] for s in data["sessions"]}
    followup = [{
        "i": index_of.get(r["session_id"], -1), "pair": _val(r["pair_id"]) or "",
        "date": date_of.get(r["session_id"]) or "", "owner": _val(r.get("owner_name")) or _val(r["owner"]) or "–", "task": r["task"],
        "due": _val(r["due_date"]) or "–", "status": r["status"], "status_label": pt(t, "status_" + r["status"]),
        "followed_in": _val(r["followed_in_session"]) or "",
    } for r in prog.followup.to_dict(orient="records")]
    flags = [{  # a session without a pair: an empty cell (pandas reads the missing pair as NaN: it showed "nan")
        "i": index_of.get(r["session_id"], -1), "pair": _val(r["pair_id"]) or "",
        "date": date_of.get(r["session_id"]) or "",
        "session": r["session_id"], "severity": r["severity"],
        "severity_label": t(f"severity_{r['severity']}") if t.has(f"severity_{r['severity']}") else r["severity"],
        "message": translate_flag(r["message"], t.lang) or r["message"],  # the table's only text of the flag
    } for r in prog.flags.to_dict(orient="records")]
    subtitle = programme_subtitle(t, prog, len(data["sessions"]), len(data["pairs"]), data["first"] or None,
                                  data["last"] or None)
    partial = not_analysed(prog.sessions)
    partial_note = (stages_note(t, n=len(partial), total=len(data["sessions"]), listed="; ".join(partial))
                    if partial else None)
    guessed = guessed_sessions(prog.sessions)
    if guessed:  # shown where the unanalysed sessions are: above the figures that count them
        note = stages_note(t, n=len(guessed), total=len(data["sessions"]), listed=", ".join(guessed), key="guessed_note")
        partial_note = f"{partial_note} {note}" if partial_note else note
    for note in voice_swap_notes(prog, t):  # guessed mappings that disagree with the pair's other sessions
        partial_note = f"{partial_note} {note}" if partial_note else note
    for note in data_note_lines(prog, t):  # the session pages' data notes that bear on these figures (round 27)
        partial_note = f"{partial_note} {note}" if partial_note else note
    audio = audio_sessions(prog.sessions)
    if audio:  # turns, interruptions and pauses of recordings are what the diarization heard: trends
        note = stages_note(t, n=len(audio), total=len(data["sessions"]), listed="", key="audio_events_note")
        partial_note = f"{partial_note} {note}" if partial_note else note
    few = few_flow_sessions(prog.sessions)
    if few:  # the mean mutuality averages them: say what their reports say (round 27)
        note = stages_note(t, n=len(few), total=len(data["sessions"]), listed=", ".join(few), key="few_flows_note")
        partial_note = f"{partial_note} {note}" if partial_note else note
    js = bundled_resource("templates", "dashboard.js").read_text(encoding="utf-8")
    data_json = json_for_script(data, default=str)
    return template_env().get_template("dashboard.html.j2").render(
        lang=t.lang, t=t, pt=lambda key, **kw: pt(t, key, **kw), css=stylesheet(), subtitle=subtitle,
        pairs=data["pairs"], first=data["first"] or "", last=data["last"] or "", trend_charts=charts,
        coverage_chart=coverage, followup=followup, flags=flags, sessions=sessions_view, data_json=data_json, js=js,
        version=__version__, redacted=redacted, stages_note=partial_note, checklist=_checklist_view(prog, t, index_of, pair_index),
        feedback=_feedback_view(prog, t, index_of), feedback_charts=_feedback_charts(prog, t, data), baseline=_baseline_view(prog, t), goals=_goals_view(prog, t, pair_index),
        correlations=_correlation_view(prog, t), issues=_issues_view(prog, t), flows=_flows_view(prog, t, pair_index),
        flows_note=flows_note(prog, t), flows_measured=bool(prog.flow_sessions),
        left_out=left_out_notes(prog, t),  # above the other notes: inputs no figure counts (round 40)
    )

"""The before/after comparison: figures from before the programme beside the programme's own.

The guide evaluates a programme against "the methods used before" and monitors the
dynamics "compared with the figures from before the programme started". A baseline file
(CSV or XLSX) gives those figures, per pair or for the whole programme, in either shape:

* **long**: a ``measure`` column (also ``kpi``, ``metric``, ``показатель``), a ``value`` /
  ``before`` column (``значение``, ``до``), optionally ``pair``, ``unit`` and ``now`` (a
  current figure measured elsewhere, e.g. by HR);
* **wide**: one row per pair (a ``pair`` column) or a single programme row, one column
  per measure.

Measures sessionscope can compute itself are recognised by name (EN/RU aliases) and get
their current value from the sessions, goals and surveys: share of problems solved,
days to resolve (a goal reported done), session minutes, junior talk share, mutuality,
goals done share, and the survey questions (satisfaction, usefulness, self-assessment,
psychological safety; mean answer on the survey's scale). Any other measure is shown
with the file's ``now`` value, or "not measured" — never a made-up figure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sessionscope.errors import InputError
from sessionscope.report.surveys import SurveyIssue, _key, read_table_file

#: measure id → (aliases, direction: +1 higher is better, -1 lower is better)
KNOWN: dict[str, tuple[tuple[str, ...], int]] = {
    "problems_solved_share": (("problems solved share", "share of problems solved", "problems solved",
                               "solved problems share", "доля решенных проблем", "доля решенных задач",
                               "решено проблем"), +1),
    "days_to_resolve": (("time to resolve", "time to resolve days", "days to resolve", "resolution time days",
                         "срок решения", "время решения", "дней до решения", "срок решения дни"), -1),
    "mean_minutes": (("session minutes", "mean session minutes", "meeting length", "minutes per session",
                      "длительность встречи", "минут на встречу"), +1),
    "junior_talk_share": (("junior talk share", "доля речи младшего"), +1),
    "mutuality": (("mutuality", "mutuality index", "взаимность"), +1),
    "goals_done_share": (("goals done share", "goals completed share", "tasks completed share",
                          "доля выполненных задач", "доля выполненных целей"), +1),
    "satisfaction": (("satisfaction", "удовлетворенность"), +1),
    "usefulness": (("usefulness", "полезность"), +1),
    "self_assessment": (("self assessment", "self-assessment", "самооценка"), +1),
    "psychological_safety": (("psychological safety", "speak freely", "психологическая безопасность"), +1),
}
#: measures that are shares (0-1): "45" or "140%" for one is a mistake to list, not a figure to compare
SHARES = frozenset(m for m in KNOWN if m.endswith("_share"))
_MEASURE_COLS = ("measure", "kpi", "metric", "indicator", "показатель", "метрика")
_VALUE_COLS = ("value", "before", "baseline", "значение", "до", "до программы", "база")
_NOW_COLS = ("now", "current", "after", "сейчас", "после", "текущее")
_PAIR_COLS = ("pair", "pair id", "pair_id", "пара")
_UNIT_COLS = ("unit", "units", "единица", "ед")


def measure_id(name: str) -> Optional[str]:
    """The known measure a baseline name refers to (EN/RU aliases), or None."""
    k = _key(name.replace("_", " "))
    for mid, (aliases, _d) in KNOWN.items():
        if k == _key(mid.replace("_", " ")) or k in {_key(a) for a in aliases}:
            return mid
    return None


def _num(text: str) -> Optional[float]:
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    pct = s.endswith("%")
    m = re.match(r"^-?\d+(\.\d+)?", s.rstrip("%"))
    if not m or m.group(0) != s.rstrip("%"):
        return None
    v = float(m.group(0))
    return v / 100 if pct else v


@dataclass(frozen=True)
class BaselineRow:
    """One figure from before the programme."""

    pair_id: Optional[str]  # None: the whole programme
    measure: str
    before: float
    now: Optional[float] = None
    unit: Optional[str] = None
    row: Optional[int] = None


def read_baseline(path: str | Path, *, pairs: Optional[set[str]] = None) -> tuple[list[BaselineRow], list[SurveyIssue]]:
    """Baseline figures and the issues found (unreadable file, unknown pair, text where a number is expected)."""
    name = Path(path).name
    issues: list[SurveyIssue] = []
    try:
        header, rows = read_table_file(path)
    except InputError as e:
        return [], [SurveyIssue(name, None, None, "unreadable", str(e))]
    keys = [_key(h) for h in header]

    def col(aliases: tuple[str, ...]) -> Optional[int]:
        return next((i for i, k in enumerate(keys) if k in aliases), None)

    c_measure, c_value, c_now, c_pair, c_unit = (col(_MEASURE_COLS), col(_VALUE_COLS), col(_NOW_COLS),
                                                 col(_PAIR_COLS), col(_UNIT_COLS))
    pair_of = {_key(p): p for p in pairs or ()}
    out: list[BaselineRow] = []
    for n, row in enumerate(rows, start=2):
        pair: Optional[str] = None
        if c_pair is not None and row[c_pair].strip() and _key(row[c_pair]) not in ("programme", "program", "all",
                                                                                    "все", "программа"):
            pair = pair_of.get(_key(row[c_pair]))
            if pair is None:
                issues.append(SurveyIssue(name, n, header[c_pair], "unmatched",
                                          f"no pair {row[c_pair]!r} in the results; row not used"))
                continue
        if c_measure is not None:
            if c_value is None:
                issues.append(SurveyIssue(name, None, None, "mapping", "a `measure` column needs a `value` column"))
                break
            cells = [(row[c_measure].strip(), row[c_value], header[c_value])]
        else:
            skip = {c for c in (c_pair, c_unit, c_now) if c is not None}
            cells = [(header[i], row[i], header[i]) for i in range(len(header)) if i not in skip]
        for measure, text, column in cells:
            if not measure or not text.strip():
                continue
            value = _num(text)
            if value is None:
                issues.append(SurveyIssue(name, n, column, "bad_value",
                                          f"text {text!r} where a number is expected for {measure!r}"))
                continue
            now = _num(row[c_now]) if c_measure is not None and c_now is not None and row[c_now].strip() else None
            if measure_id(measure) in SHARES and any(v is not None and not 0 <= v <= 1 for v in (value, now)):
                bad = text if not 0 <= value <= 1 else row[c_now] if c_now is not None else text
                issues.append(SurveyIssue(name, n, column, "out_of_range",
                                          f"{bad.strip()!r} is not a share for {measure!r}: write 0.45 or 45 %; row not used"))
                continue
            unit = row[c_unit].strip() or None if c_unit is not None else None
            out.append(BaselineRow(pair, measure, value, now, unit, n))
    return out, issues


def current_figures(prog: Any, survey_answers: Any) -> dict[Optional[str], dict[str, tuple[Optional[float], int]]]:
    """Scope (pair id, or None for the programme) → measure id → (current value, n behind it)."""
    import pandas as pd

    out: dict[Optional[str], dict[str, tuple[Optional[float], int]]] = {}
    sess = prog.sessions
    scopes: list[Optional[str]] = [None, *sorted(sess["pair_id"].dropna().unique().tolist())] if len(sess) else [None]
    for scope in scopes:
        s = sess if scope is None else sess[sess["pair_id"] == scope]
        g = prog.goals if scope is None else prog.goals[prog.goals["pair_id"] == scope]
        figs: dict[str, tuple[Optional[float], int]] = {}
        n_problems = int(s["n_problems"].sum()) if "n_problems" in s else 0
        solved = int(s["n_problems_solved"].sum()) if "n_problems_solved" in s else 0
        figs["problems_solved_share"] = (solved / n_problems if n_problems else None, n_problems)
        days = g["days_to_done"].dropna() if len(g) else pd.Series(dtype=float)
        figs["days_to_resolve"] = (float(days.median()) if len(days) else None, len(days))
        figs["mean_minutes"] = (_mean(s["minutes"]), int(s["minutes"].notna().sum()))
        figs["junior_talk_share"] = (_mean(s["junior_talk_share"]), int(s["junior_talk_share"].notna().sum()))
        figs["mutuality"] = (_mean(s["mutuality_index"]), int(s["mutuality_index"].notna().sum()))
        judged = g[g["status"] != "pending"] if len(g) else g
        figs["goals_done_share"] = (float((judged["status"] == "done").mean()) if len(judged) else None, len(judged))
        if survey_answers is not None and len(survey_answers):
            a = survey_answers if scope is None else survey_answers[survey_answers["pair_id"] == scope]
            for qid in ("satisfaction", "usefulness", "self_assessment", "psychological_safety"):
                v = a[a["question_id"] == qid]["value"].dropna()
                figs[qid] = (float(v.mean()) if len(v) else None, len(v))
        out[scope] = figs
    return out


def _mean(series: Any) -> Optional[float]:
    v = series.dropna()
    return float(v.mean()) if len(v) else None


BASELINE_COLUMNS = ("scope", "pair_id", "measure", "measure_id", "before", "now", "change", "direction", "unit",
                    "now_source", "n_now")


def baseline_table(rows: list[BaselineRow], current: Mapping[Optional[str], Mapping[str, tuple[Optional[float], int]]]) -> Any:
    """The ``programme_baseline`` table: before, now, change, and whether the change is an improvement."""
    import pandas as pd

    recs = []
    for r in rows:
        mid = measure_id(r.measure)
        now, n, source = r.now, None, "baseline file" if r.now is not None else None
        if mid is not None and now is None:
            now, n = current.get(r.pair_id, {}).get(mid, (None, 0))
            source = "sessionscope" if now is not None else None
        change = None if now is None else now - r.before
        direction = None
        if change is not None and mid is not None and change != 0:
            direction = "better" if change * KNOWN[mid][1] > 0 else "worse"
        elif change == 0:
            direction = "same"
        recs.append({"scope": r.pair_id or "programme", "pair_id": r.pair_id, "measure": r.measure,
                     "measure_id": mid, "before": r.before, "now": now, "change": change, "direction": direction,
                     "unit": r.unit, "now_source": source or "not measured", "n_now": n})
    return pd.DataFrame(recs, columns=list(BASELINE_COLUMNS))

"""Correlations a researcher asks of a programme: conversation measures against the survey answers.

Per session, each recorded measure (junior talk share, mutuality, questions asked by the
junior, the checklist items met) is paired with the mean survey answer for that session
(satisfaction, usefulness, psychological safety, self-assessment; rescaled to 0–1 so that
forms with different scales can be pooled). For each pair of variables: n (sessions with
both), Pearson's r with a 95 % confidence interval (Fisher's z), and Spearman's rho. With
fewer than ``min_n`` sessions the row carries a warning: such correlations are noise more
often than not, and sessions of the same pair are not independent observations.
"""

from __future__ import annotations

import math
from typing import Any, Optional

MEASURES = {"junior_talk_share": "junior talk share", "mutuality_index": "mutuality",
            "questions_by_junior": "questions asked by the junior", "checklist_met": "checklist items met"}
OUTCOMES = ("satisfaction", "usefulness", "psychological_safety", "self_assessment")
CORR_COLUMNS = ("measure", "outcome", "n", "pearson_r", "ci_low", "ci_high", "spearman_rho", "warning")


def _pearson(x: Any, y: Any) -> Optional[float]:
    import numpy as np

    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def correlations(sessions: Any, answers: Any, *, min_n: int = 10) -> Any:
    """The ``programme_correlations`` table (one row per measure × survey question)."""
    import pandas as pd

    rows = []
    if len(sessions) and len(answers):
        outcome = (answers.dropna(subset=["session_id", "value_share"])
                   .groupby(["session_id", "question_id"])["value_share"].mean().unstack())
        for col, _label in MEASURES.items():
            if col not in sessions:
                continue
            for q in OUTCOMES:
                if q not in outcome:
                    continue
                joined = pd.DataFrame({"x": sessions.set_index("session_id")[col]}).join(outcome[q].rename("y"))
                joined = joined.dropna().astype(float)
                n = len(joined)
                r = _pearson(joined["x"].to_numpy(), joined["y"].to_numpy())
                rho = _pearson(joined["x"].rank().to_numpy(), joined["y"].rank().to_numpy()) if n >= 3 else None
                lo = hi = None
                if r is not None and n > 3 and abs(r) < 1:
                    z, se = math.atanh(r), 1 / math.sqrt(n - 3)
                    lo, hi = math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se)
                warning = None
                if r is None:
                    warning = "not computable (fewer than 3 sessions, or no variation)"
                elif n < min_n:
                    warning = f"only {n} sessions (fewer than {min_n}): do not read much into it"
                rows.append({"measure": col, "outcome": q, "n": n, "pearson_r": r, "ci_low": lo, "ci_high": hi,
                             "spearman_rho": rho, "warning": warning})
    return pd.DataFrame(rows, columns=list(CORR_COLUMNS))

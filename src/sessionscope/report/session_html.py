"""The session report as one self-contained HTML file, in the session's language.

Everything is inline (CSS, SVG charts), nothing is fetched: the file opens from disk,
from an e-mail attachment or on an air-gapped machine. Content comes from
:func:`~sessionscope.report.view.build_view`, shared with the Markdown report.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Optional

from sessionscope.config import ReportConfig
from sessionscope.errors import ModelError
from sessionscope.model import Session
from sessionscope.report.view import build_view

if TYPE_CHECKING:
    from sessionscope.analysis.topics.taxonomy import Taxonomy


@lru_cache(maxsize=1)
def template_env() -> Any:
    """The jinja2 environment over ``sessionscope/resources/templates`` (autoescaping on)."""
    try:
        import jinja2
    except ImportError as e:  # pragma: no cover - depends on the installed extras
        raise ModelError("HTML reports need jinja2: pip install 'sessionscope[report]'") from e
    root = resources.files("sessionscope") / "resources" / "templates"
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (root / name).read_text(encoding="utf-8")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def stylesheet() -> str:
    """The shared report CSS (inlined into every page)."""
    return (resources.files("sessionscope") / "resources" / "templates" / "_style.css").read_text(encoding="utf-8")


def render_session_html(
    session: Session, *, redacted: bool = False, charts: Optional[bool] = None, cfg: Optional[ReportConfig] = None,
    taxonomy: Optional[Taxonomy] = None,
) -> str:
    """The full session report as a self-contained HTML page.

    Args:
        session: the analysed session.
        redacted: mark the page as a redacted copy (redact the session first with
            :func:`sessionscope.report.redact.redact_session`).
        charts: draw the SVG charts (off gives a text-only page); default ``cfg.charts``.
        cfg: the ``report`` section of the config (wording thresholds); defaults when ``None``.
        taxonomy: the topic taxonomy the session was classified with: a programme's own
            area names, order and colours (default: the programme guide's areas).
    """
    from sessionscope.report.charts import session_timeline_svg, talk_share_svg

    cfg = cfg or ReportConfig()
    charts = cfg.charts if charts is None else charts
    view = build_view(session, redacted=redacted, cfg=cfg, taxonomy=taxonomy)
    timeline = share = None
    if charts:
        timeline = session_timeline_svg(session, view.t)
        share = talk_share_svg(session, view.t)
    return template_env().get_template("session.html.j2").render(
        view=view, t=view.t, css=stylesheet(), session_id=session.id, timeline_svg=timeline, share_svg=share,
        has_topics=bool(session.topics and session.topics.segments),
    )

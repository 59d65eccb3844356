"""The session report as one self-contained HTML file, in the session's language.

Everything is inline (CSS, SVG charts), nothing is fetched: the file opens from disk,
from an e-mail attachment or on an air-gapped machine. Content comes from
:func:`~sessionscope.report.view.build_view`, shared with the Markdown report.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from sessionscope.config import ReportConfig
from sessionscope.errors import ModelError
from sessionscope.fileio import bundled_resource
from sessionscope.model import Session
from sessionscope.report.i18n import Trusted
from sessionscope.report.view import build_view

if TYPE_CHECKING:
    from sessionscope.analysis.topics.taxonomy import Taxonomy

log = logging.getLogger(__name__)


#: the environment's options: the compiled templates depend on them, so they key the bytecode cache too
_ENV_OPTIONS: dict[str, Any] = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}


@lru_cache(maxsize=1)
def template_env() -> Any:
    """The jinja2 environment over ``sessionscope/resources/templates`` (autoescaping on).

    Compiling ``session.html.j2`` takes ≈ 0.05–0.1 CPU s, once per process (every ``run`` and ``analyze``);
    the compiled code is kept in the cache folder (:func:`_bytecode_cache`), so later processes load it in
    ≈ 0.005 s. The page is the same either way: jinja2 reuses the code only for the same template source.
    """
    try:
        import jinja2
    except ImportError as e:  # pragma: no cover - depends on the installed extras
        raise ModelError("HTML reports need jinja2: pip install 'sessionscope[report]'") from e
    root = bundled_resource("templates")
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (root / name).read_text(encoding="utf-8")),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(jinja2),
        **_ENV_OPTIONS,
    )
    return env


def _bytecode_cache(jinja2: Any) -> Any:
    """jinja2's file bytecode cache in ``<cache>/templates``; None where that folder cannot be made.

    A file is named for the template and for what its code depends on besides the source (jinja2's
    version, the environment's options); jinja2 itself checks the source's checksum and the Python
    version, and writes through a temporary file and a rename. A cache that cannot be read or written
    (read-only, full) is ignored: the template is compiled as without one. Files of other jinja2
    versions or options nobody used for a week are removed (:func:`sessionscope.models.prune_stale`).
    """
    from sessionscope.models import cache_dir, mark_used, prune_stale

    tag = hashlib.sha256(repr((jinja2.__version__, sorted(_ENV_OPTIONS.items()))).encode()).hexdigest()[:12]

    def kind(name: str) -> Optional[str]:  # the template a cache file holds (its key), whatever its tag
        return name.partition("-")[0] if name.endswith(".jinja") else None

    class _Cache(jinja2.FileSystemBytecodeCache):  # type: ignore[misc, name-defined]
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError as e:
                log.debug("template cache not read: %s", e)
                return
            if bucket.code is not None:
                mark_used(Path(self._get_cache_filename(bucket)))

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError as e:
                log.debug("template cache not written: %s", e)
                return
            prune_stale(Path(self._get_cache_filename(bucket)), kind, what="template cache")

    try:
        return _Cache(str(cache_dir("templates")), f"%s-{tag}.jinja")
    except OSError as e:
        log.debug("no template cache: %s", e)
        return None


_CODE_SPAN = re.compile(r"(`[^`]+`)")


def _html_trusted(value: Any) -> Any:
    """``value`` with every :class:`~sessionscope.report.i18n.Trusted` text (in lists and dicts too) as HTML: the
    template escaped, its Markdown code spans as ``<code>``, the data filled in escaped (names stay text)."""
    from markupsafe import Markup, escape

    if isinstance(value, Trusted):
        out = Markup("")
        for part in _CODE_SPAN.split(value.template):
            code = len(part) > 1 and part.startswith("`") and part.endswith("`")
            piece = escape(part[1:-1] if code else part).format(**value.values) if value.values \
                else escape(part[1:-1] if code else part)
            out += Markup("<code>") + piece + Markup("</code>") if code else piece
        return out
    if isinstance(value, list):
        return [_html_trusted(v) for v in value]
    if isinstance(value, dict):
        return {k: _html_trusted(v) for k, v in value.items()}
    return value


def stylesheet() -> str:
    """The shared report CSS (inlined into every page)."""
    return bundled_resource("templates", "_style.css").read_text(encoding="utf-8")


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
    for sec in view.sections:  # the report's own code spans as <code>, not "`--speakers 2`" with its backticks
        sec.sentences, sec.empty = _html_trusted(sec.sentences), _html_trusted(sec.empty)
        sec.extra = _html_trusted(sec.extra)
    timeline = share = None
    if charts:
        timeline = session_timeline_svg(session, view.t)
        share = talk_share_svg(session, view.t)
    return template_env().get_template("session.html.j2").render(
        view=view, t=view.t, css=stylesheet(), session_id=session.id, timeline_svg=timeline, share_svg=share,
        has_topics=bool(session.topics and session.topics.segments),
    )

"""Names and spoken text are data in every output: Markdown, HTML, charts, CSV, JSON in a script."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionscope.escape import CSV_TRIGGERS, csv_cell, csv_frame, csv_uncell, json_for_script, md_text
from sessionscope.model import Flag, Participant
from sessionscope.report.charts import session_timeline_svg, talk_share_svg
from sessionscope.report.i18n import Translator
from sessionscope.report.session_html import render_session_html
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.tables import session_tables, write_tables
from test_report_data import full_session

HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> <!-- [click](javascript:alert(3)) **b** `c`'


def _renamed(name: str, *, text: str | None = None):
    s = full_session()
    people = tuple(Participant(p.id, name if p.id == "boris" else p.name, p.role) for p in s.participants)
    s = s.evolve(participants=people)
    if text is not None:  # spoken text reaches the report as recommendations, questions, key points
        s = s.evolve(recommendations=tuple(replace(r, text=text) for r in s.recommendations),
                     questions=tuple(replace(q, text=text) for q in s.questions),
                     utterances=tuple(replace(u, text=text) for u in s.utterances))
    return s


def test_backslash_name_keeps_the_session() -> None:
    # a Teams name like CORP\jsmith used to raise "bad escape \j" while naming ids in flag messages
    s = _renamed("CORP\\jsmith")
    md = render_session_markdown(s)
    assert "CORP\\\\jsmith gave 2 of 3 recommendations" in md  # backslash escaped once for Markdown
    html = render_session_html(s, charts=False)
    assert "CORP\\jsmith gave 2 of 3 recommendations" in html


def test_dollar_name_is_not_chart_math() -> None:
    s = _renamed("$x^2$ Bob")
    t = Translator("en")
    share = talk_share_svg(s, t)
    # the name is one <text> element, never a typeset formula
    assert re.search(r"<text[^>]*>\$x\^2\$ Bob \(senior\)</text>", share)
    assert re.search(r"<text[^>]*>\$x\^2\$ Bob", session_timeline_svg(s, t))


def test_markdown_escapes_raw_html_and_markdown_in_names_and_speech() -> None:
    md = render_session_markdown(_renamed(HOSTILE, text=HOSTILE))
    for raw in ("<script>", "<img", "<!--", "**b**", "`c`"):
        assert raw not in md, raw
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no unescaped link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\\[click\\](javascript:alert(3))" in md


def test_md_text_unit() -> None:
    assert md_text("a|b\nc") == "a\\|b c"
    assert md_text("# heading") == "\\# heading"
    assert md_text("1. first") == "1\\. first"
    assert md_text("Q&A <b>") == "Q&amp;A &lt;b&gt;"
    assert md_text("plain words, 42 %") == "plain words, 42 %"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_csv_cell_neutralises_formulas(value: str) -> None:
    safe = csv_cell(value)
    assert safe[0] == "'" and csv_uncell(safe) == value


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.lists(st.sampled_from(["'", *CSV_TRIGGERS, "a", " "]),
                                                  max_size=6).map("".join)))
def test_csv_cell_round_trips(value: str) -> None:
    safe = csv_cell(value)
    assert csv_uncell(safe) == value
    assert not safe or safe[0] not in CSV_TRIGGERS


def test_csv_cell_keeps_numbers() -> None:
    assert csv_cell(-3.5) == -3.5 and csv_cell(None) is None and csv_cell("") == ""


def test_research_tables_neutralise_formulas(tmp_path) -> None:
    s = _renamed("=HYPERLINK(\"http://evil\",\"x\")", text="-1+2 is what I said")
    paths = write_tables(session_tables([s]), tmp_path, formats=("csv",))
    cells = [cell for p in paths for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8"))) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not _number(c))]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells and "'-1+2 is what I said" in cells


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_frame_leaves_numeric_columns() -> None:
    import pandas as pd

    df = csv_frame(pd.DataFrame({"a": [-1.5, 2.0], "b": ["=x", "y"]}))
    assert df["a"].tolist() == [-1.5, 2.0] and df["b"].tolist() == ["'=x", "y"]


def test_json_for_script() -> None:
    data = {"name": "</script><script>alert(1)</script> <!--", "x": "a\u2028b & c"}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_flag_messages_are_data_too() -> None:
    s = full_session()
    s = s.evolve(flags=(Flag("custom_check", "<b>boris</b> $1 \\g<0> [x](y)", "warning"),))
    md = render_session_markdown(s)
    assert "&lt;b&gt;Boris Ivanov&lt;/b&gt; $1 \\\\g&lt;0&gt; \\[x\\](y)" in md


_MD_PIECES = st.sampled_from(list("ab <>&*_[]()!`#-+=|~\\/:.1'\"{}$@\t\n") + [
    "http://x.y", "www.x.y", "&amp;", "&#65;", "<!--", "-->", "<script>", "1.", "- ", "> ", "    code", "##", "---"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_MD_PIECES, max_size=20).map("".join))
def test_md_text_renders_as_the_literal_text(text: str) -> None:
    """Through a CommonMark renderer (with GFM tables and strikethrough), md_text gives back exactly the text."""
    import html

    markdown_it = pytest.importorskip("markdown_it")  # installed with rich (a core dependency)
    md = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    norm = " ".join(text.split())
    want = f"<p>{html.escape(norm, quote=False)}</p>\n" if norm else ""
    assert md.render(md_text(text)).replace("&quot;", '"') == want

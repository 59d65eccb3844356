"""Names and spoken text are data: helpers that keep them data in every output format.

Participant names come from meeting tools (``CORP\\jsmith``, ``Anna <she/her>``, ``$5 Bob``)
and speech from whoever spoke; neither may ever be read as markup, a formula or code.
One place for each output format:

* :func:`md_text`: Markdown (and the HTML Markdown renderers allow inside it);
* :func:`csv_cell` / :func:`csv_frame`: spreadsheet cells (CSV formula injection, OWASP);
  :func:`csv_uncell` undoes :func:`csv_cell` when sessionscope reads its own CSV back;
* :func:`json_for_script`: JSON embedded in an HTML ``<script>`` element;
* :func:`xml_text`: XML character data and attribute values (the SVG charts, ``report/svg.py``).

Regex replacements with data are done with a function (``pattern.sub(lambda m: name, …)``),
never a replacement string.
This module imports nothing from the package, so readers, writers and reports can all use it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: characters XML 1.0 does not allow (C0 controls but tab, newline, CR; surrogates; U+FFFE/FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Markdown: inline syntax characters (links, images, emphasis, code, HTML) and a leading block marker.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_BLOCK = re.compile(r"^(\s*)([#>+\-=]|\d+)([.)]?)")


def md_text(text: object) -> str:
    """``text`` as literal Markdown: no raw HTML, no links, emphasis or code spans, one line.

    ``<``/``>``/``&`` become entities (so ``<script>`` or ``<!--`` stay visible text in
    every Markdown renderer), Markdown syntax characters are backslash-escaped, a
    leading block marker (``#``, ``>``, ``-``, ``1.``) is escaped, and line breaks become spaces.
    """
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_INLINE.sub(lambda m: "\\" + m.group(1), s)
    return _MD_BLOCK.sub(_block, s, count=1)


def _block(m: re.Match[str]) -> str:
    # a leading "#", ">", "-", "+", "=" is escaped whatever follows ("##", "---", "-x" are all safe then);
    # "1." / "1)": the delimiter is escaped ("1" alone is no marker)
    if m.group(2)[0].isdigit():
        return m.group(1) + m.group(2) + ("\\" + m.group(3) if m.group(3) else "")
    return m.group(1) + "\\" + m.group(2) + m.group(3)


def csv_cell(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: text starting with ``= + - @``, tab or CR gets a ``'``.

    Non-text values (numbers, dates, ``None``) are returned unchanged, so numeric columns
    stay numeric. Text already starting with quote(s) before a trigger gets one more
    quote, so that :func:`csv_uncell` restores every value exactly.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in CSV_TRIGGERS or (value[0] == "'" and value.lstrip("'")[:1] in CSV_TRIGGERS):
        return "'" + value
    return value


def csv_uncell(value: str) -> str:
    """The original text of a cell written by :func:`csv_cell` (other text unchanged)."""
    if value.startswith("'"):
        rest = value.lstrip("'")
        if rest and rest[0] in CSV_TRIGGERS:
            return value[1:]
    return value


def csv_frame(df: Any) -> Any:
    """A copy of a pandas DataFrame with every text cell passed through :func:`csv_cell`."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            out[col] = out[col].map(csv_cell)
    return out


def json_for_script(obj: Any, **kwargs: Any) -> str:
    """JSON text safe inside an HTML ``<script>`` element (``type="application/json"`` or JS).

    ``<``, ``>``, ``&`` and the JavaScript line separators U+2028/U+2029 are written as
    ``\\uXXXX`` escapes, so that ``</script>`` or ``<!--`` in a name can neither close the
    element nor switch the HTML parser into its "script data escaped" state. The result
    is still valid JSON that parses to the same value.
    """
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def xml_text(text: object) -> str:
    """``text`` as XML character data or an attribute value (``<>&"'`` escaped; characters XML forbids → U+FFFD)."""
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)

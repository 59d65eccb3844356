"""Participant surveys (feedback after a session, periodic questionnaires) joined to the sessions.

:func:`read_table_file` reads a CSV or XLSX export (Google Forms, Microsoft Forms, a plain
spreadsheet) into a header and rows of strings; :func:`match_surveys` turns it into a
tidy table — one row per answer: session, pair, participant, role, question, value,
scale — and a list of :class:`SurveyIssue` for everything it could not use.

Rules (documented in docs/reports.md, "Participant surveys"):

* **Which row is which.** A ``session`` column names the session (its id); else ``pair``
  plus ``date`` find the pair's session on that date, and a pair and date with no session
  that day make a *periodic* answer (the pair's questionnaire, not one session's) — unless
  the date is only the form's submission time (no date column), which matches the pair's
  latest session in the 7 days before;
  without a pair, a name plus a date find the one session that day with that participant.
* **Who answered.** A ``participant`` column (a name, a participant id, or a role word:
  junior / senior / младший / старший), or a ``role`` column. Names match a participant
  of the session (or of the pair) by the full name, the id, or a single unambiguous
  first or last name.
* **Scales.** A mapping file declares a column's scale (``likert5``, ``0-10``, ``yes_no``,
  ``text``, ``number``); otherwise it is inferred: a header saying "0–10" / "от 0 до 10"
  or "1–5"; numbers within 1–5 → ``likert5``, within 0–10 → ``0-10``; yes/no words (also
  да/нет) → ``yes_no`` (1/0); agreement and satisfaction words ("Strongly agree",
  "Полностью согласен", "Доволен") → ``likert5``; anything else → free text.
* **Standard questions** (satisfaction, usefulness, self-assessment, psychological
  safety — "I could speak freely") are named by the mapping file or recognised by
  keywords in the column name, in English and Russian.
* **Bad input never stops the rest**: a row that cannot be matched is listed with its
  reason; a text in a numeric column, a value outside its scale, a second answer by the
  same person to the same question of the same session (the later row is kept) each
  become one issue naming the row and the column.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, cast

from sessionscope.errors import InputError
from sessionscope.io._common import decode_text
from sessionscope.model import Role, Session

log = logging.getLogger(__name__)

#: the standard questions the guide's evaluation asks for, and keywords recognising them (EN/RU)
STANDARD_QUESTIONS: dict[str, re.Pattern[str]] = {
    "psychological_safety": re.compile(r"speak freely|freely|safe to (speak|say)|without fear|свободно|без страха|"
                                       r"не боял|безопасн", re.I),
    "satisfaction": re.compile(r"satisf|how happy|доволь|удовлетвор", re.I),
    "usefulness": re.compile(r"useful|helpful|usefulness|полез", re.I),
    "self_assessment": re.compile(r"self[- ]?assess|confiden|rate your (own )?(skills|knowledge)|самооцен|уверен|"
                                  r"оцените сво", re.I),
}
SCALES: dict[str, Optional[tuple[float, float]]] = {
    "likert5": (1.0, 5.0), "0-10": (0.0, 10.0), "yes_no": (0.0, 1.0), "number": None, "text": None,
}
#: without a date column, a form's submission time matches the pair's latest session up to this many days before
TIMESTAMP_WINDOW_DAYS = 7
#: header aliases of the identifying columns (compared case-folded, punctuation removed)
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "session": ("session", "session id", "session_id", "встреча", "id встречи", "сессия", "номер встречи"),
    "pair": ("pair", "pair id", "pair_id", "пара", "id пары", "код пары"),
    "date": ("date", "session date", "date of the session", "дата", "дата встречи"),
    "participant": ("participant", "participant id", "participant_id", "name", "your name", "full name",
                    "respondent", "участник", "имя", "ваше имя", "фио", "id участника"),
    "role": ("role", "your role", "роль", "ваша роль"),
    "timestamp": ("timestamp", "отметка времени", "completion time", "время завершения"),
}
#: form-tool bookkeeping columns that are neither answers nor identifiers
IGNORED_COLUMNS = frozenset({
    "id", "ид", "start time", "last modified time", "email", "email address", "адрес электронной почты",
    "электронная почта", "время начала", "время последнего изменения",
})
_ROLE_WORDS = {
    "junior": Role.JUNIOR, "младший": Role.JUNIOR, "младшая": Role.JUNIOR, "молодой специалист": Role.JUNIOR,
    "senior": Role.SENIOR, "старший": Role.SENIOR, "старшая": Role.SENIOR, "руководитель": Role.SENIOR,
}
_YES = {"yes", "y", "true", "да", "д", "ага"}
_NO = {"no", "n", "false", "нет", "н"}
_LIKERT_WORDS = {
    "strongly disagree": 1, "disagree": 2, "somewhat disagree": 2, "neither agree nor disagree": 3, "neutral": 3,
    "somewhat agree": 4, "agree": 4, "strongly agree": 5, "very dissatisfied": 1, "dissatisfied": 2,
    "satisfied": 4, "very satisfied": 5, "not at all useful": 1, "slightly useful": 2, "moderately useful": 3,
    "very useful": 4, "extremely useful": 5,
    "полностью не согласен": 1, "совершенно не согласен": 1, "категорически не согласен": 1, "не согласен": 2,
    "скорее не согласен": 2, "затрудняюсь ответить": 3, "нейтрально": 3, "ни да ни нет": 3, "скорее согласен": 4,
    "согласен": 4, "полностью согласен": 5, "совершенно согласен": 5, "абсолютно согласен": 5,
    "совсем не доволен": 1, "очень недоволен": 1, "недоволен": 2, "не доволен": 2, "скорее доволен": 4,
    "доволен": 4, "очень доволен": 5, "совсем не полезно": 1, "мало полезно": 2, "скорее полезно": 4,
    "полезно": 4, "очень полезно": 5,
}
_HEADER_SCALE = (
    (re.compile(r"0\s*[-–—]\s*10|0\s*(to|до)\s*10|из 10|out of 10", re.I), "0-10"),
    (re.compile(r"1\s*[-–—]\s*5|1\s*(to|до)\s*5|из 5|out of 5", re.I), "likert5"),
)


def _key(text: Any) -> str:
    """Case-folded, punctuation-free, single-spaced form of a header or an answer."""
    s = str(text).replace("ё", "е").replace("Ё", "Е").casefold()
    s = re.sub(r"\(а\)|\(ы\)", "", s)
    s = s.replace("согласна", "согласен").replace("довольна", "доволен").replace("недовольна", "недоволен")
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


@dataclass(frozen=True)
class SurveyIssue:
    """One problem with the survey input: a row not matched, a bad value, a duplicate, an unreadable file."""

    file: str
    row: Optional[int]
    column: Optional[str]
    kind: str  # unreadable | unmatched | bad_value | out_of_range | duplicate | mapping
    message: str


@dataclass
class SurveyData:
    """The tidy answers and the issues found while reading and matching them."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    issues: list[SurveyIssue] = field(default_factory=list)
    n_rows: int = 0
    files: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------
def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_table_file(path: str | Path, *, max_bytes: int = 50_000_000) -> tuple[list[str], list[list[str]]]:
    """Header and rows (strings; dates as ISO) of a CSV (any delimiter, UTF-8 or legacy encodings) or XLSX file.

    Raises:
        InputError: missing, too large, unreadable or empty file.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("survey/baseline file does not exist", path=p)
    if p.stat().st_size > max_bytes:
        raise InputError(f"file is larger than {max_bytes // 1_000_000} MB", path=p)
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError as e:
            raise InputError("reading XLSX needs openpyxl: pip install 'sessionscope[report]'", path=p) from e
        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
            ws = wb.worksheets[0]
            raw = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            wb.close()
        except Exception as e:  # openpyxl raises zipfile, KeyError, ValueError… on a damaged file
            raise InputError(f"cannot read the workbook ({type(e).__name__}: {e})", path=p) from e
    elif suffix in (".csv", ".tsv", ".txt"):
        data = p.read_bytes()
        text, note = decode_text(data, path=p)  # BOM-aware UTF-8/16, a guessed legacy encoding, or a clear error
        if note:
            log.warning("%s: %s", p, note)
        try:
            dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = "\t" if suffix == ".tsv" else ","
        try:
            raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
        except csv.Error as e:
            raise InputError(f"cannot parse CSV: {e}", path=p) from e
    else:
        raise InputError(f"unsupported file type {suffix or '(none)'}; use .csv or .xlsx", path=p)
    raw = [r for r in raw if any(c for c in r)]
    if not raw:
        raise InputError("the file has no rows", path=p)
    header = [h or f"column {i + 1}" for i, h in enumerate(raw[0])]
    width = len(header)
    rows = [(r + [""] * width)[:width] for r in raw[1:]]
    return header, rows


def parse_date(text: str) -> Optional[_dt.date]:
    """A date from ISO (``2026-03-02``, with or without time), ``02.03.2026`` (day first) or ``3/2/2026``
    (month first, as Google Forms exports in English locales; day first when the first number is over 12)."""
    s = text.strip()
    if not s:
        return None
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", s)
    try:
        if m:
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{2,4})", s)
        if m:
            y = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return _dt.date(y, int(m[2]), int(m[1]))
        m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})", s)
        if m:
            a, b, y = int(m[1]), int(m[2]), int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return _dt.date(y, b, a) if a > 12 else _dt.date(y, a, b)
    except ValueError:
        return None
    return None


# -- mapping ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SurveyMapping:
    """Optional mapping file: which columns identify rows, which are the standard questions, and scales.

    YAML shape::

        columns: {session: "Встреча", pair: "Pair", date: "Session date", participant: "Your name", role: "Role"}
        questions:
          satisfaction: {column: "How satisfied were you?", scale: likert5}
          psychological_safety: {column: ["I could speak freely", "Я мог(ла) говорить свободно"], scale: likert5}
        scales: {"Any other column": 0-10}
        ignore: ["Comments for HR"]
    """

    columns: dict[str, str] = field(default_factory=dict)
    questions: dict[str, tuple[tuple[str, ...], Optional[str]]] = field(default_factory=dict)
    scales: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()


def safe_yaml(text: str) -> Any:
    """``yaml.safe_load`` without anchors/aliases (no alias bombs); raises ValueError on bad YAML."""
    import yaml

    class _NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("YAML aliases (*name) are not allowed here")
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        raise ValueError(str(e)) from e


def load_mapping(path: str | Path) -> SurveyMapping:
    """Read and validate a survey mapping YAML (see :class:`SurveyMapping`)."""
    p = Path(path)
    try:
        if p.stat().st_size > 1_000_000:
            raise InputError("the survey mapping is larger than 1 MB", path=p)
        data = safe_yaml(p.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the survey mapping: {e}", path=p) from e
    except ValueError as e:
        raise InputError(f"invalid YAML: {e}", path=p) from e
    if not isinstance(data, dict):
        raise InputError("the survey mapping must be a YAML mapping", path=p)
    unknown = set(data) - {"columns", "questions", "scales", "ignore"}
    if unknown:
        raise InputError(f"unknown keys {sorted(unknown)}; valid: columns, questions, scales, ignore", path=p)
    cols = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    bad = set(cols) - set(ID_COLUMNS)
    if bad:
        raise InputError(f"unknown column roles {sorted(bad)}; valid: {', '.join(ID_COLUMNS)}", path=p)
    questions: dict[str, tuple[tuple[str, ...], Optional[str]]] = {}
    for qid, spec in (data.get("questions") or {}).items():
        if isinstance(spec, str):
            spec = {"column": spec}
        if not isinstance(spec, dict) or "column" not in spec:
            raise InputError(f"question {qid!r}: give at least `column`", path=p)
        names = spec["column"] if isinstance(spec["column"], list) else [spec["column"]]
        scale = spec.get("scale")
        if scale is not None and scale not in SCALES:
            raise InputError(f"question {qid!r}: unknown scale {scale!r}; valid: {', '.join(SCALES)}", path=p)
        questions[str(qid)] = (tuple(str(n) for n in names), scale)
    scales = {str(k): str(v) for k, v in (data.get("scales") or {}).items()}
    for col, scale in scales.items():
        if scale not in SCALES:
            raise InputError(f"column {col!r}: unknown scale {scale!r}; valid: {', '.join(SCALES)}", path=p)
    return SurveyMapping(columns=cols, questions=questions, scales=scales,
                         ignore=tuple(str(x) for x in data.get("ignore") or ()))


# -- values ----------------------------------------------------------------------------
def _number(text: str) -> Optional[float]:
    s = text.strip().replace(",", ".")
    m = re.match(r"^(-?\d+(?:\.\d+)?)(?:\s*(?:[-–—:(]|/\s*(?:5|10)\b).*)?$", s)  # "4", "4 - agree", "8/10"
    return float(m[1]) if m else None


def _word_value(text: str) -> Optional[tuple[str, float]]:
    k = _key(text)
    if k in _YES:
        return "yes_no", 1.0
    if k in _NO:
        return "yes_no", 0.0
    if k in _LIKERT_WORDS:
        return "likert5", float(_LIKERT_WORDS[k])
    return None


def infer_scale(header: str, values: Sequence[str]) -> str:
    """The scale of a column from its header and its answers (see the module docstring)."""
    filled = [v for v in values if v.strip()]
    if not filled:
        return "text"
    words = [_word_value(v) for v in filled]
    if all(w is not None for w in words):
        kinds = {w[0] for w in words if w}
        return "yes_no" if kinds == {"yes_no"} else "likert5"
    numbers = [_number(v) for v in filled]
    nums = [n for n in numbers if n is not None]
    if len(nums) * 2 < len(filled):
        return "text"
    for pattern, scale in _HEADER_SCALE:
        if pattern.search(header):
            return scale
    if all(float(n).is_integer() and 1 <= n <= 5 for n in nums):
        return "likert5"
    if all(float(n).is_integer() and 0 <= n <= 10 for n in nums):
        return "0-10"
    return "number"


def standard_question(header: str) -> Optional[str]:
    """The standard question a column header asks, recognised by keywords (EN/RU), or None."""
    for qid, pattern in STANDARD_QUESTIONS.items():
        if pattern.search(header):
            return qid
    return None


# -- matching --------------------------------------------------------------------------
def _find_columns(header: Sequence[str], mapping: SurveyMapping) -> dict[str, int]:
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for role, name in mapping.columns.items():
        if _key(name) in keys:
            found[role] = keys.index(_key(name))
    for role, aliases in ID_COLUMNS.items():
        if role in found:
            continue
        for i, k in enumerate(keys):
            if k in aliases and i not in found.values():
                found[role] = i
                break
    return found


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def translit(text: str) -> str:
    """Cyrillic to Latin letters (a simple passport-style scheme), so "Анна Смирнова" meets "Anna Smirnova"."""
    return "".join(_TRANSLIT.get(c, c) for c in text.casefold())


class _People:
    """Participants of one session or of a whole pair, found by id, full name, unique name part or role."""

    def __init__(self, sessions: Sequence[Session]) -> None:
        self.by_id: dict[str, tuple[str, Role]] = {}
        self.by_name: dict[str, set[str]] = {}
        for s in sessions:
            for p in s.participants:
                self.by_id[p.id] = (p.id, p.role)
                for key in {_key(p.name), _key(p.id), translit(_key(p.name))}:
                    self.by_name.setdefault(key, set()).add(p.id)
                for part in {*_key(p.name).split(), *translit(_key(p.name)).split()}:
                    if len(part) >= 3:
                        self.by_name.setdefault("#" + part, set()).add(p.id)

    def find(self, text: str, role_text: str = "") -> tuple[Optional[str], Optional[Role], str]:
        """(participant id, role, reason if not found)."""
        k = translit(_key(text)) if _key(text) not in self.by_name else _key(text)
        if k:
            if k in self.by_id:
                return k, self.by_id[k][1], ""
            ids = self.by_name.get(k) or set()
            if not ids:
                parts = [self.by_name.get("#" + w, set()) for w in k.split() if len(w) >= 3]
                ids = set.intersection(*parts) if parts and all(parts) else set()
                if not ids:
                    ids = set().union(*parts) if parts else set()
            if len(ids) == 1:
                pid = next(iter(ids))
                return pid, self.by_id[pid][1], ""
            if len(ids) > 1:
                return None, None, f"the name {text!r} fits several participants"
        role = _ROLE_WORDS.get(_key(role_text)) or (_ROLE_WORDS.get(k) if k else None)
        if role is not None:
            ids = {pid for pid, (_p, r) in self.by_id.items() if r == role}
            return (next(iter(ids)) if len(ids) == 1 else None), role, ""
        if k:
            return None, None, f"no participant called {text!r}"
        return None, None, "no participant (name, id or role) given"


def match_surveys(
    sessions: Sequence[Session], files: Sequence[str | Path], *, mapping: Optional[SurveyMapping] = None,
) -> SurveyData:
    """Read every survey file and match its rows to ``sessions`` (see the module docstring)."""
    mapping = mapping or SurveyMapping()
    out = SurveyData()
    by_id = {s.id: s for s in sessions}
    by_id_key = {_key(s.id): s for s in sessions}
    by_pair: dict[str, list[Session]] = {}
    for s in sessions:
        by_pair.setdefault(s.pair_id or s.id, []).append(s)
    pair_key = {_key(p): p for p in by_pair}
    seen: dict[tuple[Any, ...], int] = {}
    mapped_found: set[str] = set()
    for f in files:
        name = Path(f).name
        out.files.append(name)
        try:
            header, rows = read_table_file(f)
        except InputError as e:
            out.issues.append(SurveyIssue(name, None, None, "unreadable", str(e)))
            continue
        cols = _find_columns(header, mapping)
        questions, scale_of, qid_of = _questions(header, rows, cols, mapping, mapped_found)
        if "session" not in cols and not ("pair" in cols and "date" in cols) and \
                not ("participant" in cols and "date" in cols):
            out.issues.append(SurveyIssue(name, None, None, "unmatched",
                                          "no column names the session (session, or pair + date, or name + date): "
                                          f"found {', '.join(header)}"))
        for n, row in enumerate(rows, start=2):  # spreadsheet row numbers (header is row 1)
            out.n_rows += 1

            def get(role: str, row: list[str] = row, cols: dict[str, int] = cols) -> str:
                return row[cols[role]].strip() if role in cols else ""

            session, pair, date, reason = _which(get, by_id, by_id_key, by_pair, pair_key)
            if reason:
                out.issues.append(SurveyIssue(name, n, None, "unmatched", reason))
                continue
            people = _People([session] if session else by_pair[pair or ""])
            pid, role, why = people.find(get("participant"), get("role"))
            if why:
                who_col = header[cols["participant"]] if "participant" in cols else None
                out.issues.append(SurveyIssue(name, n, who_col, "unmatched", why))
                continue
            for i in questions:
                text = row[i].strip()
                if not text:
                    continue
                value, problem = _value(text, scale_of[i])
                if problem:
                    kind = "out_of_range" if "outside" in problem else "bad_value"
                    out.issues.append(SurveyIssue(name, n, header[i], kind, problem))
                    continue
                key = (session.id if session else None, pair, date if not session else None, pid or role,
                       qid_of[i] or _key(header[i]))
                if key in seen:
                    out.issues.append(SurveyIssue(
                        name, n, header[i], "duplicate",
                        f"a second answer by the same participant for the same {'session' if session else 'date'} "
                        f"(first in {_where(out.answers[seen[key]], name)}); the later one is kept"))
                    out.answers[seen[key]]["superseded"] = True
                seen[key] = len(out.answers)
                out.answers.append({
                    "file": name, "row": n, "kind": "session" if session else "periodic",
                    "session_id": session.id if session else None, "pair_id": pair,
                    "date": session.date if session and session.date else date,
                    "participant_id": pid, "role": role.value if role else None, "question": header[i],
                    "question_id": qid_of[i], "scale": scale_of[i],
                    "value": value if scale_of[i] != "text" else None,
                    "value_text": text, "value_share": _share(value, scale_of[i]), "superseded": False,
                })
    out.answers = [a for a in out.answers if not a.pop("superseded")]
    read = [f for f in out.files if not any(i.kind == "unreadable" and i.file == f for i in out.issues)]
    for qid, (names, _scale) in mapping.questions.items():
        if read and qid not in mapped_found:  # a mapping may cover several forms: missing from all of them
            out.issues.append(SurveyIssue(", ".join(read), None, None, "mapping", f"mapped question {qid!r}: no "
                                          "column called " + " / ".join(repr(n) for n in names)))
    return out


def _questions(header: Sequence[str], rows: Sequence[list[str]], cols: Mapping[str, int], mapping: SurveyMapping,
               found: set[str]) -> tuple[list[int], dict[int, str], dict[int, Optional[str]]]:
    """The question columns of a file, with each one's scale and standard question id; mapped questions
    present in this file are added to ``found``."""
    used = set(cols.values())
    ignore = {_key(c) for c in mapping.ignore} | IGNORED_COLUMNS
    questions = [i for i, h in enumerate(header) if i not in used and _key(h) not in ignore]
    declared: dict[int, tuple[str, Optional[str]]] = {}
    for qid, (names, scale) in mapping.questions.items():
        for i in [i for i, h in enumerate(header) if _key(h) in {_key(n) for n in names}]:
            declared[i] = (qid, scale)
            found.add(qid)
    scale_of: dict[int, str] = {}
    qid_of: dict[int, Optional[str]] = {}
    for i in questions:
        col_qid, col_scale = declared.get(i, (None, None))
        scale_of[i] = col_scale or mapping.scales.get(header[i]) or infer_scale(header[i], [r[i] for r in rows])
        qid_of[i] = col_qid or standard_question(header[i])
    return questions, scale_of, qid_of


def _where(answer: Mapping[str, Any], current_file: str) -> str:
    row = f"row {answer['row']}"
    return row if answer["file"] == current_file else f"{answer['file']} {row}"


def _which(get: Any, by_id: Mapping[str, Session], by_id_key: Mapping[str, Session],
           by_pair: Mapping[str, list[Session]], pair_key: Mapping[str, str],
           ) -> tuple[Optional[Session], Optional[str], Optional[_dt.date], str]:
    """(session, pair, date, reason when unmatched) of one survey row."""
    sid = get("session")
    if sid:
        s = by_id.get(sid) or by_id_key.get(_key(sid))
        if s is None:
            return None, None, None, f"no session with id {sid!r} in the results"
        return s, s.pair_id or s.id, s.date, ""
    from_timestamp = not get("date") and bool(get("timestamp"))
    date_text = get("date") or get("timestamp")
    date = parse_date(date_text) if date_text else None
    if date_text and date is None:
        return None, None, None, f"cannot read the date {date_text!r}"
    pair_text = get("pair")
    if pair_text:
        pair = pair_key.get(_key(pair_text))
        if pair is None:
            return None, None, None, f"no pair {pair_text!r} in the results"
        if date is None:
            return None, pair, None, "no date: cannot tell which session or period the answers belong to"
        same_day = [s for s in by_pair[pair] if s.date == date]
        if len(same_day) > 1:
            return None, pair, date, f"pair {pair} has {len(same_day)} sessions on {date}; give the session id"
        if same_day:
            return same_day[0], pair, date, ""
        if from_timestamp:  # a form filled in after the session: the pair's latest session in the week before
            before = [s for s in by_pair[pair] if s.date and date - _dt.timedelta(days=TIMESTAMP_WINDOW_DAYS)
                      <= s.date < date]
            if before:
                return max(before, key=lambda s: cast(_dt.date, s.date)), pair, date, ""  # dates filtered above
        return None, pair, date, ""  # a periodic questionnaire of the pair
    who = get("participant")
    if who and date is not None:
        hits = [s for ss in by_pair.values() for s in ss if s.date == date and _People([s]).find(who)[0]]
        if len(hits) == 1:
            return hits[0], hits[0].pair_id or hits[0].id, date, ""
        if len(hits) > 1:
            return None, None, date, f"{len(hits)} sessions on {date} include {who!r}; give the pair or session id"
        return None, None, date, f"no session on {date} with a participant called {who!r}"
    return None, None, None, "neither a session id nor a pair and date"


def _value(text: str, scale: str) -> tuple[Optional[float], str]:
    """(numeric value, problem) of one answer on its scale."""
    if scale == "text":
        return None, ""
    word = _word_value(text)
    value = word[1] if word else _number(text)
    if word and scale not in (word[0], "number"):
        return None, f"{text!r} is not an answer on the {scale} scale"
    if value is None:
        return None, f"text {text!r} where a number on the {scale} scale is expected"
    bounds = SCALES.get(scale)
    if bounds and not bounds[0] <= value <= bounds[1]:
        return None, f"{text} is outside the {scale} scale ({bounds[0]:g}–{bounds[1]:g})"
    return value, ""


def _share(value: Optional[float], scale: str) -> Optional[float]:
    """The value rescaled to 0–1 (scales differ between forms; 'number' has no known range)."""
    bounds = SCALES.get(scale)
    if value is None or not bounds:
        return None
    lo, hi = bounds
    return (value - lo) / (hi - lo)


SURVEY_COLUMNS = ("file", "row", "kind", "session_id", "pair_id", "date", "participant_id", "role", "question",
                  "question_id", "scale", "value", "value_text", "value_share")
ISSUE_COLUMNS = ("file", "row", "column", "kind", "message")


def survey_tables(data: SurveyData) -> tuple[Any, Any]:
    """(``programme_surveys``, ``programme_survey_issues``) as pandas DataFrames."""
    import pandas as pd

    answers = pd.DataFrame(data.answers, columns=list(SURVEY_COLUMNS))
    answers["date"] = pd.to_datetime(answers["date"], errors="coerce")
    issues = pd.DataFrame([vars(i) for i in data.issues], columns=list(ISSUE_COLUMNS))
    issues["row"] = issues["row"].astype("Int64")
    return answers, issues


def redact_surveys(data: SurveyData, originals: Sequence[Session], redacted: Sequence[Session], *,
                   ner: bool = True) -> SurveyData:
    """The survey data made safe to share, matched before redaction: session and pair ids as in the
    redacted sessions, participants as role ids, names / e-mails / phones masked in comments and
    issue messages (the same rules as :func:`~sessionscope.report.redact.redact_session`)."""
    from sessionscope.report.redact import TextRedactor, role_labels

    sid_map = {o.id: r.id for o, r in zip(originals, redacted, strict=True)}
    pair_map = {(o.pair_id or o.id): (r.pair_id or r.id) for o, r in zip(originals, redacted, strict=True)}
    pid_map: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    language = "en"
    for o in originals:
        labels = role_labels(o)
        for p in o.participants:
            pid_map[(o.pair_id or o.id, p.id)] = labels[p.id][0]
            names.setdefault(p.name, labels[p.id][1])
            names.setdefault(p.id, labels[p.id][1])
        language = o.language or language
    redactor = TextRedactor(names, language=language, ner=ner)
    texts = [a["value_text"] for a in data.answers if a["scale"] == "text"] + [i.message for i in data.issues]
    clean = dict(zip(list(dict.fromkeys(texts)), redactor.many(list(dict.fromkeys(texts))), strict=True)) \
        if texts else {}
    answers = []
    for a in data.answers:
        b = dict(a)
        b["session_id"] = sid_map.get(a["session_id"], a["session_id"]) if a["session_id"] else None
        b["participant_id"] = pid_map.get((a["pair_id"], a["participant_id"]), a["role"]) \
            if a["participant_id"] else None
        b["pair_id"] = pair_map.get(a["pair_id"], a["pair_id"])
        if a["scale"] == "text":
            b["value_text"] = clean.get(a["value_text"], a["value_text"])
        answers.append(b)
    issues = [SurveyIssue(i.file, i.row, i.column, i.kind, clean.get(i.message, i.message)) for i in data.issues]
    return SurveyData(answers=answers, issues=issues, n_rows=data.n_rows, files=list(data.files))

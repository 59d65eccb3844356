"""Recommendation / advice rules (English and Russian) on parsed sentences.

Positive evidence, strongest first: an explicit advice verb in the first person ("I'd
recommend", "советую"), the counterfactual "if I were you" / «я бы на вашем месте», a
modal addressed to the other person ("you should", «тебе стоит»), the speaker's own
experience offered as a method ("what helped me was", «мне помогло»), suggestion
questions ("why don't you…", «почему бы не…»), and imperatives addressed to the other
person (a sentence-initial verb in the imperative with no subject: "try…", «попробуйте…»).

Hard negatives are vetoed: reported advice ("my boss told me I should"), ordinary
questions ("should I use Trello?"), and discourse imperatives ("look,", «смотри»,
«представь»). Mentions of advice as a noun ("that was good advice") match no rule and
are left to the classifier, which the labelled set trains on such cases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Optional

from sessionscope.analysis.extract.rules import (
    ADVICE_MARKER,
    RuleHit,
    meeting_itself,
    norm,
    question,
    reported_speech,
    search,
    veto,
)
from sessionscope.language.nlp import Sentence, Token
from sessionscope.text import strip_markup

KIND = "recommendation"

# -- English -------------------------------------------------------------------------
_EN_STRONG = [
    (r"\b(i|we)('d| would| do)? (strongly |really |definitely |honestly |always )?(recommend|suggest|advise)\b", "advice_verb", 0.9),
    (r"\bmy (main |one |best |only |biggest )?(advice|recommendation|suggestion|tip)\b.*\b(is|would be|:)", "my_advice", 0.9),
    (r"\bif i were you\b|\bin your (place|shoes|position)\b|\bif i was you\b", "if_i_were_you", 0.9),
    (r"\bwhat (really |actually |always )?(helped|helps|worked|works) (for )?(me|us)\b|\bsomething that (helped|worked for) me\b|\bwhat i do is\b|\bthe (trick|secret|key) is\b", "own_experience", 0.8),
    (r"\bwhy (don't|do not) you\b|\bwhy not (just )?(try|use|ask|start|book|set|write|talk|block|make|go|give|put|keep|turn|send|look)\b", "why_dont_you", 0.85),
    (r"\bwhy (don't|do not) we\b|\bhow about we\b|\bwhat if we\b", "why_dont_we", 0.75),
    (r"\bhave you (ever )?(tried|considered|thought about|looked at)\b(?! (where|what|how|why|who|when|whether|if)\b)|\bhow about (you |we )?\w+ing\b|\bwhat if you\b|\bwhat about (trying|using|asking|setting|blocking|writing)\b", "suggest_question", 0.75),
]
_EN_MODAL = [
    (r"(^|[,;:] ?|\b(so|and|but|then|maybe|perhaps|honestly|really|i think|i guess|i'd say|i feel like|probably) )you (really |definitely |probably |just |also |might |may |could )?(should|ought to|'d better|had better|might want to|may want to|might wanna|may wanna|could try|might try|should try|might consider|could consider|want to make sure)\b", "you_should", 0.85),
    (r"(^|[,;:] ?|\b(so|and|but|then|maybe|perhaps|or|well|i think|i guess|i mean|um|uh) )you (could|can|might) (just |also |maybe |always |simply )?(take|try|use|ask|add|put|write|start|move|make|set|send|call|talk|give|drop|skip|change|look|check|delegate|block|share|record|book|join|read|email|reply|turn|switch|cut|keep|invite|plan|schedule|automate|document|prepare|split)\b", "you_could", 0.7),
    (r"(^|[,;:] ?|\b(so|and|but|then|maybe|perhaps|honestly|really|i think|i guess|probably) )you (really |definitely |probably |just |also )?(need to|have to|must|gotta|will want to)\b", "you_need_to", 0.7),
    (r"\bit('s| is| might be| would be| could be| may be| will be)( really| definitely| probably| always)? (worth|a good idea|helpful|useful|better|best|smart|wise)\b( to (?!the |a |an |my |our |your |their |them |us |me |him |her |it )|( if)? you| \w+ing)", "worth_it", 0.8),
    (r"\bthe best (way|thing|approach|option)( to [\w ]+?)? (is|would be) to\b|\bthe best (thing|way) you can do\b", "best_way", 0.8),
    (r"\b(maybe|perhaps) (you could |you can |just )?(try|use|start|consider|ask|block|set up|write|talk|book|delegate|keep)\b", "maybe_try", 0.75),
    (r"\b(make sure (you|to|that)|don't forget to|do not forget to|remember to|be sure to|don't be afraid to|never be afraid to)\b", "make_sure", 0.8),
    # joint suggestions ("maybe we could…", "I think we should…"): weaker, a plan as much as advice
    (r"(\b(maybe|perhaps|i think|i guess|i'd say|i suggest)|^((well|so|then|or|and|okay|ok|um|uh),? )*) ?we (could|should|might|can|ought to)( just| also| probably)? (try|use|go|do|put|make|start|keep|add|take|think|have|look|ask|move|set|write|change|get|stick|focus|split|drop|skip|leave|wait|give|consider|check|abandon|review|discuss|cut)\b", "maybe_we", 0.65),
]
# a bare "you can…" mostly says what is possible ("you can save from this menu", "you can only take it for eight
# weeks"), a hedged one suggests ("maybe you can…", "you can just ask her"); "could" / "might" suggest either way
_BARE_CAN = re.compile(r"\byou can\b")
_HEDGE = re.compile(r"\b(maybe|perhaps|i think|i guess|i mean|just|also|always|simply)\b")
_EN_DISCOURSE_IMP = {
    "look", "see", "listen", "wait", "thank", "thanks", "let", "mind", "guess", "say", "imagine", "come", "excuse",
    "hold", "hang", "tell", "go", "please", "bear", "suppose", "picture", "believe", "trust", "forgive", "pardon",
    "hear", "welcome", "mean", "know", "sorry", "get", "need", "dunno", "kay", "okay",
}
_EN_FILLERS = {"so", "and", "but", "just", "maybe", "well", "okay", "ok", "also", "then", "please", "honestly", "really",
               "yeah", "yes", "oh", "um", "uh", "now", "first", "firstly", "next", "basically", "definitely", "always",
               "perhaps", "simply", "", ",", "-", "—", "alright", "right", "actually", "instead", "otherwise", "personally"}


_EN_IMPERATIVE_VERBS = {
    "try", "use", "focus", "block", "keep", "start", "stop", "ask", "write", "set", "make", "put", "read", "call", "send",
    "talk", "schedule", "plan", "book", "share", "delegate", "record", "track", "pick", "give", "turn", "check", "add",
    "move", "review", "prepare", "break", "limit", "prioritise", "prioritize", "automate", "document", "join", "sign",
    "learn", "practise", "practice", "avoid", "consider", "spend", "choose", "build", "create", "test", "measure",
    "celebrate", "invite", "thank", "collect", "let", "split", "batch", "define", "list", "note", "switch", "reply", "respond", "follow", "email",
    "draft", "map", "run", "ship", "shadow", "mute", "archive", "label", "tag", "group", "cut", "drop", "skip",
    # round 45: the ways of bringing someone in ("And loop in Marco before you send it" was tagged a noun); not "text",
    # a noun in meetings far more often ("text buttons", "Uh text T_V_…": three false advice on AMI dev)
    "loop", "ping", "message", "flag", "forward", "copy", "pin",
}


# Checked on the train meetings (MRDA + AMI, not the held-out ones), together: these three drop 1,612 imperative
# hits, 5 of them corpus suggestions (benchmarks/recs_error_analysis.py, docs/benchmarks/extraction.md).
# A verb is a word: not transcript debris ("um ==" parsed as a verb, a cut-off "rea-").
_WORD = re.compile(r"^[a-z](?:[a-z'-]*[a-z'])?$")
# Verbs of wanting and feeling open statements with a dropped "I" ("want to have something", "feel like fruit",
# "hope so"), not advice; "feel free to…" and the negated "don't feel rushed" stay advice.
_EN_STATIVE = {"want", "wanna", "like", "love", "hope", "seem", "depend", "feel"}
# "remember that…", "remember when…": recalling a fact (0 suggestions in 16 such hits); "remember to…" is advice.
_REMEMBER_FACT = {"that", "the", "when", "what", "how", "we", "i", "it", "this", "those", "these", "there", "last", "our"}


def en_imperative(sent: Sentence) -> Optional[str]:
    """The verb of a subjectless imperative opening the sentence or a clause after a comma, if any.

    "Try keeping a list", "And for the first one, call her, don't email", "…, but always
    check the totals". Fillers ("so", "just", "maybe") may precede the verb.
    """
    toks = list(sent.tokens)
    starts = [0] + [k + 1 for k, t in enumerate(toks[:-1]) if t.text in (",", ";", ":", "—", "-")]
    for start in starts:
        verb = _imperative_at(sent, toks, start)
        if verb is not None:
            return verb
    return None


def _imperative_at(sent: Sentence, all_toks: list, start: int) -> Optional[str]:
    toks = [t for t in all_toks[start:] if t.pos != "PUNCT"]
    i = 0
    while i < len(toks) and toks[i].lower in _EN_FILLERS:
        i += 1
    negated = False
    if i + 1 < len(toks) and toks[i].lower in {"do", "never"} and toks[i + 1].lower in {"n't", "not"}:
        i, negated = i + 2, True  # "don't overload yourself"
    elif i + 1 < len(toks) and toks[i].lower == "never":
        i, negated = i + 1, True
    if i >= len(toks) or len(toks) - i < 2:  # a lone verb ("'Kay", "Go.") is not advice
        return None
    verb = toks[i]
    # transcript debris is no verb: a cut-off word ("rea-"), marks of an interrupted act ("um ==");
    # and a verb followed by no word ("so just keep ==") is as lone as "Go."
    if not _WORD.match(verb.lower) or not any(_WORD.match(t.lower) for t in toks[i + 1 :]):
        return None
    nxt = toks[i + 1].lower
    if verb.lower in _EN_STATIVE and not negated and not (verb.lower == "feel" and nxt == "free"):  # a dropped "I"
        return None
    if verb.lower == "remember" and nxt in _REMEMBER_FACT:
        return None
    if verb.lower == "be" and toks[i + 1].pos != "ADJ":  # "be careful" yes, "be about three" no
        return None
    if verb.lower == "think" and nxt not in {"about", "of", "through", "twice", "big", "ahead"}:
        return None
    if verb.lower in {"remind", "mind"} and nxt == "me":  # "don't remind me", "never mind"
        return None
    if verb.lower in _EN_DISCOURSE_IMP and not (verb.lower == "say" and nxt == "no") and not (
            verb.lower == "let" and nxt not in {"me", "us", "'s"}) and not (verb.lower == "thank" and nxt != "you"):
        return None
    # the small English model often tags an imperative as a noun or past form ("Block Friday…", "Set a status…")
    if verb.tag != "VB" and not (verb.lower in _EN_IMPERATIVE_VERBS and verb.tag[:2] in ("NN", "VB")):
        return None
    # ... but a noun it is before "of" or an auxiliary ("Copy of the file.", "Text is too small."; the parser's subject
    # is no sign: "Switch colours." reads "Switch" as one)
    if verb.tag[:2] == "NN" and (nxt == "of" or toks[i + 1].pos == "AUX"):
        return None
    head = all_toks.index(verb)
    if any(t.dep in ("nsubj", "nsubjpass", "expl") and t.head == head for t in all_toks):
        return None
    return verb.lower


# a clause that only sets a condition or a time ("if you think about it,", "when you divide by a negative,") and
# leaves the main clause to the next utterance (intonation-unit transcripts, speech cut into segments): no advice yet
_SUBORDINATORS = ("if", "when", "whenever", "once", "because", "cause", "'cause", "since", "unless", "while",
                  "as long as", "as soon as", "before", "after", "until", "till")
_LEAD_FILLERS = r"^(?:(?:so|and|but|well|then|or|um+|uh+|like|i mean|you know|now|okay|ok|oh)\b[\s,]*)*"
_SUBORD = re.compile(_LEAD_FILLERS + r"(" + "|".join(re.escape(w) for w in _SUBORDINATORS) + r")\b", re.IGNORECASE)
_POLITE = re.compile(r"\s*(you|we)( just| maybe| perhaps)? (could|would|'d|can|will|might)\b", re.IGNORECASE)
_HANGING = re.compile(r"(,|-|—|–|…|\.\.\.)\s*$")
# floor-handling and thinking aloud said as a whole sentence: not advice ("Go ahead.", "Wait a minute now.", "Let's see.";
# round 45: an offer accepted, "Please do.", "Yes, please.")
_DISCOURSE_ONLY = re.compile(
    _LEAD_FILLERS + r"(go ahead|go on|wait( a (minute|second|sec|moment))?|hold on( a (minute|second|sec))?|hang on( a (minute|second|sec))?|"
    r"let's see|let me see|let me think|let me check|come on|never mind|excuse me|just a (minute|second|sec|moment)|one (minute|second|sec|moment)|"
    r"you know what|look at (this|that)|see|please do|yes,? please)( now| then| here| please)?[\s.,!?…-]*$", re.IGNORECASE)


# round 44: a leave-taking, a thanks or a wish said whole ("Talk to you next time.", "Take care, see you next week.",
# "Have a great week, bye!", "Enjoy the weekend.", "Good luck with the interview!", "Say hi to the team.", «Спасибо,
# было полезно.», «Хороших выходных!», «До встречи, удачи!»): a social formula, advice to nobody, though most of it is
# an imperative
_FAREWELL_PARTS = re.compile(
    r"(?:bye(?:[- ]bye)?|goodbye|good night|cheers|see (?:you|ya)(?: (?:all|guys|then|soon|later|around|tomorrow|again|"
    r"next (?:time|week|month|session|meeting|call)|on \w+|in (?:a|two|three) weeks?))*"
    r"|(?:talk|speak) (?:to you |with you )?(?:soon|later|tomorrow|then|again|next (?:time|week|session|call)"
    r"|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"  # "talk to you Thursday" (round 45)
    r"|catch you (?:later|soon|next time)|take care(?: of yourself)?|all the best|(?:until|till) next time"
    r"|(?:have|enjoy) (?:a |the |your )?(?:(?:good|great|nice|lovely|wonderful|happy|relaxing|safe|productive|fun) )*"
    r"(?:day|weekend|week|evening|night|holidays?|vacation|break|trip|flight|time|one|rest of (?:the|your) (?:day|week))"
    r"(?: off)?|good luck(?: (?:with|on|at|in) (?:the |your |it|that)?[\w ]{0,30})?"
    r"|(?:say hi|say hello|give my (?:best|regards)) to [\w ]{1,30}|happy (?:holidays|new year|birthday|friday)"
    r"|thanks?(?: you)?(?: (?:so|very) much)?(?: again)?(?: for (?:today|your time|the (?:session|meeting|call|chat)))?"
    r"|(?:it|this|that) was (?:really |very |so |super )?(?:useful|helpful|great|interesting|valuable|fun)"
    r"|было (?:очень |крайне |так )?(?:полезно|интересно|здорово|приятно)"
    r"|до (?:встречи|свидания|связи|завтра|понедельника|следующей (?:встречи|недели)|скорого)|пока|всего (?:доброго|хорошего)"
    r"|(?:хороших|отличных|приятных) (?:выходных|праздников)|(?:хорошего|отличного|приятного) (?:дня|вечера|отдыха)"
    r"|удачи(?: (?:на|с|в) [\w ]{1,30})?|береги(?:те)? себя|передава(?:й|йте) привет [\w ]{1,30}"
    r"|спасибо(?: (?:большое|огромное))?(?: (?:за (?:встречу|время|сегодня)))?)", re.IGNORECASE)
_FAREWELL_REST = re.compile(r"^(?:(?:so|and|ok|okay|well|alright|all right|right|great|then|oh|ну|ладно|хорошо|отлично|"
                            r"да|и|тогда|ok)\b|[\s,.!?…;:—–-])*$", re.IGNORECASE)


def farewell(text: str, names: Sequence[str] = ()) -> bool:
    """Whether a sentence is a leave-taking or a wish said whole (:data:`_FAREWELL_PARTS`, with names called and words of
    transition): "Talk to you next time.", "Take care, see you next week, Anna!", «Хороших выходных!» — no advice,
    though most of them are imperatives. "Take care of the backlog first" and "Enjoy the process" are not."""
    said = strip_markup(text)
    rest = _FAREWELL_PARTS.sub(" ", said)
    if rest == said:  # no formula at all: the common case, decided without the names
        return False
    for name in names:
        if name:
            rest = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", rest, flags=re.IGNORECASE)
    return bool(_FAREWELL_REST.match(rest))


def lone_subordinate_clause(sent: Sentence) -> bool:
    """Whether the sentence is only a condition or time clause, its main clause left unsaid or in the next utterance.

    "if you wanna go on in it,", "So if you want to find ex,", "because you need to finish it first.":
    a subordinator opens it (after fillers) and no internal comma, colon or dash leaves room for a
    main clause ("If you have time, try the app." is advice). A clause left hanging (a final comma
    or dash) is enough; otherwise the parse must agree (its root carries the subordinator), so that
    unpunctuated speech ("if you need help just ask me") keeps its main clause.
    """
    text = strip_markup(sent.text)
    m = _SUBORD.match(text)
    if not m:
        return False
    body = text[m.end():].rstrip(" .,;:!?-—–…")
    if any(ch in body for ch in ",;:—–") or " - " in body:
        return False
    if _POLITE.match(body) or re.search(r"\bplease\b", body, re.IGNORECASE):  # "if you could send it over": a request
        return False
    if _HANGING.search(text):
        return True
    toks = sent.tokens
    roots = [k for k, tok in enumerate(toks) if tok.dep == "ROOT"]
    word = m.group(1).casefold()
    return any(any(tok.head == r and tok.dep in ("mark", "advmod") and tok.lower == word.split()[0] for tok in toks)
               and any(tok.head == r and tok.dep in ("nsubj", "nsubjpass", "expl") for tok in toks) for r in roots)


# subjects that make a clause a statement about a third party or a thing, not about the listener, the group or the speaker
_NOT_THIRD = {"you", "ya", "u", "y'all", "we", "us", "i", "let", "'s"}
# an obligation states what must be, a requirement or a proposal ("the buttons have to be bigger"), not how things are
_DEONTIC = re.compile(r"\b(has to|have to|had to|needs to|need to|must|got to|gotta|supposed to)\b")
_FINITE = {"VBZ", "VBD", "VBP"}  # a statement's verb is finite
_BE = {"is", "'s", "are", "'re", "was", "were", "be"}
_LISTENER_OR_GROUP = {"your", "yours", "our", "ours", "y'all's"}  # possessors that make a subject the listener's or the group's


def _be_to(toks: Sequence[Token], k: int) -> bool:
    """Whether clause ``k`` is "be" + a "to" infinitive ("the plan is to talk to the client")."""
    if not (toks[k].lemma.lower() == "be" or toks[k].lower in _BE):
        return False
    return any(t.head == k and t.dep == "xcomp" and any(a.head == x and a.dep == "aux" and a.lower == "to" for a in toks)
               for x, t in enumerate(toks))


# modals of prediction ("that will cost more", "it would be a battery", "it may take a while"): a forecast, not advice;
# "might" and "could" are advice markers (:data:`~.rules.ADVICE_MARKER`), "should" / "must" / "can" are not predictions
PREDICTION_MODALS = frozenset({"will", "'ll", "wo", "would", "'d", "might", "may"})


# a forecast that praises an option ("it would be nice", "that'd be a good solution") weighs a proposal: not a description
_EVALUATIVE = {"nice", "good", "great", "cool", "useful", "helpful", "interesting", "easier", "easy", "better", "best",
               "ideal", "sensible", "wise", "smart", "fun", "handy", "worth", "worthwhile", "fine", "perfect", "important",
               "solution", "option", "idea", "alternative", "possibility", "compromise", "improvement"}


def _open_option(toks: Sequence[Token]) -> bool:
    """Whether a modal statement puts or weighs an option: a noun with a "to" infinitive ("it may be something to
    explore", "a thing to look at") or an evaluative complement ("it would be nice", "that'd be a good solution")."""
    if any(t.dep in ("acomp", "attr") and t.lower in _EVALUATIVE for t in toks):
        return True
    if any(t.dep == "amod" and t.lower in _EVALUATIVE and toks[t.head].dep == "attr" for t in toks):
        return True
    return any(t.dep in ("acl", "relcl") and any(a.head == k and a.dep == "aux" and a.lower == "to" for a in toks)
               for k, t in enumerate(toks))


def description(sent: Sentence, *, modals: frozenset[str] = PREDICTION_MODALS, obligation: bool = False) -> bool:
    """Whether an English statement only describes how things are: no advice to anyone present.

    Every main clause (the root and verbs joined to it) has a third-person subject and a finite
    verb with no modal ("the remotes have a very simple structure", "that's the cup holder", "they
    all have one button"); there is no imperative clause, no obligation ("has to", "need to",
    "must": a requirement is a proposal), no advice marker (:data:`~.rules.ADVICE_MARKER`: "maybe",
    "should", "I think", "try"…), and it is not a question. A verbless piece ("in the middle the
    main functions") is no statement. Statements about "you", "we" or "I", and third-person ones
    with a modal ("it could be yellow", "it would be nice"), are
    left to the other rules and the heads: in design meetings those are often proposals. ``modals`` /
    ``obligation`` (measured, not the default) also take clauses with one of those modals / an obligation.
    """
    low = norm(strip_markup(sent.text))
    if sent.language != "en" or question(sent) or ADVICE_MARKER.search(low) or (_DEONTIC.search(low) and not obligation):
        return False
    if en_imperative(sent) is not None:
        return False
    toks = sent.tokens
    clauses = [k for k, t in enumerate(toks)
               if t.dep == "ROOT" or (t.dep == "conj" and t.pos in ("VERB", "AUX") and toks[t.head].dep == "ROOT")]
    if not clauses:
        return False
    for k in clauses:
        aux_modals = {t.lower for t in toks if t.head == k and t.dep in ("aux", "auxpass") and t.tag == "MD"}
        has_modal = bool(aux_modals)
        if not aux_modals <= modals:
            return False
        if has_modal and _open_option(toks):  # "it may be something to explore": an option put to the others
            return False
        if toks[k].tag not in _FINITE and not has_modal:  # a verbless piece ("in the middle the main functions"), a bare verb
            return False
        at = next((s for s, t in enumerate(toks) if t.dep in ("nsubj", "nsubjpass", "expl") and t.head == k), None)
        if at is None or toks[at].lower in _NOT_THIRD:
            return False
        # "your next step is…", "our goal is…": the listener's or the group's, not a third party's
        if any(t.head == at and t.dep == "poss" and t.lower in _LISTENER_OR_GROUP for t in toks):
            return False
        # "the plan is to talk to the client": a task stated ("be" + an infinitive), not how things are
        if _be_to(toks, k):
            return False
    return True


# a question opened by "maybe" / "perhaps" (after fillers) puts a proposal up for agreement: AMI train meetings tag 30
# of 46 such acts `sug` ("maybe a yellow one?"); other questions stay vetoed
_MAYBE_QUESTION = re.compile(r"^((so|and|but|or|um+|uh+|okay|ok|well|oh|yeah|then),? )*(maybe|perhaps)\b")


@lru_cache(maxsize=8192)
def _en_strong(t: str) -> Optional[RuleHit]:
    """The first strong English advice pattern found in normalised text ``t`` (memoised per text)."""
    for pattern, name, conf in _EN_STRONG:
        if search(pattern, t):
            return RuleHit(KIND, conf, name)
    return None


@lru_cache(maxsize=8192)
def _en_modal(t: str) -> Optional[RuleHit]:
    """The first English modal advice pattern in normalised text ``t``, none in a subordinate frame (memoised per text)."""
    subordinate = search(r"\b(if|when|whether|unless) you (should|need|have to|must)\b|^(and |so |but )?(because|'cause|cause|since|when|if|whenever|once)\b|\b(dunno|don't know|not sure) (if|whether)\b", t)
    for pattern, name, conf in () if subordinate else _EN_MODAL:
        m = search(pattern, t)
        if m:
            if name == "you_could" and _BARE_CAN.search(m.group(0)) and not _HEDGE.search(m.group(0)):
                return RuleHit(KIND, 0.6, "you_can")  # "you can switch between drawings": what is possible, weaker
            return RuleHit(KIND, conf, name)
    return None


def _english(sent: Sentence) -> Optional[RuleHit]:
    t = norm(sent.text)
    if reported_speech(sent):
        return veto(KIND, "reported_speech")
    strong = _en_strong(t)
    if strong is not None:
        return strong
    if question(sent):
        if _MAYBE_QUESTION.match(t):  # "maybe a yellow one?", "perhaps we could…?": a proposal put as a question
            return RuleHit(KIND, 0.65, "maybe_question")
        return veto(KIND, "question")
    if lone_subordinate_clause(sent):
        return veto(KIND, "subordinate_only")
    if _DISCOURSE_ONLY.match(strip_markup(sent.text)):
        return veto(KIND, "discourse")
    if meeting_itself(t):  # "let's start with the presentation", "let me share my screen": the meeting's running order
        return veto(KIND, "meeting_itself")
    modal = _en_modal(t)
    if modal is not None:
        return modal
    verb = en_imperative(sent)
    if verb is not None:
        return RuleHit(KIND, 0.75, "imperative")
    if description(sent):  # "the remotes have a very simple structure": how things are, advice to nobody
        return veto(KIND, "description")
    return None


# meeting procedure: running the meeting itself (the agenda, slides, files, the floor, time), which AMI tags as
# suggestions ("Next slide, please", "save it") but which advises nobody (round 9: measured as a drop, not shipped).
# Narrowed by the lead before wiring: mentoring advice about meetings, time and tools ("send the agenda before the
# call", "block thirty minutes each morning", "start your presentation with a story", "save it as a template") is
# advice, so bare "agenda" / "minutes" / "save" / "laptop" / "presentation" no longer mark procedure
_PROCEDURE = re.compile(
    r"\b(next|last|previous|first|final) (slide|item|point|topic|agenda item|presentation|speaker)\b"
    r"|\b(this is|here's|here is|on|to|back to|through|next on) (our|the|today's) agenda\b|\bagenda (item|point)s?\b"
    r"|\bmove on\b|\bgo on to\b"
    r"|\b(start|begin|go ahead|continue|carry on)( off)?( \w+)? with (the|a|our)( \w+)? presentations?\b"
    r"|\b(can|could|would|will) you (start|begin|go first|present|go ahead|continue|take over)\b"
    r"|\bwho (wants to|will|'s going to|'s gonna) (start|go first|begin)\b|\b(your|my) turn\b|\bover to you\b"
    r"|\bminutes? (left|per (presentation|person|speaker|item))\b|\b(take|taking|took) (the )?minutes\b"
    r"|\bwe('ve| have)?( got)? \w+( \w+)? minutes\b|\bnext (couple of|few) minutes\b|\b(lunch|coffee) break\b|\bafter lunch\b"
    r"|\bsave as\W*$|\blet's (\w+ )?save (this|it)\b|\bread only\b|\b(shared|project) folder\b"
    r"|\bcontrol [a-z]_? \w+|\b(the|my|your|this|that) (projector|smartboard|slide ?show)\b"
    r"|\bunplug\b|\bplug (it|me|in)\b|\b(start|end|stop|close|finish) (the|this) (meeting|recording|call)\b|\bzoom meeting\b"
    r"|\b(let's|we'll|we can|we should) (start|begin|wrap (it|this) up|finish|close|round (it|this) up)\b"
    # round 12 (audit): closing or deferring in the meeting, and the room's devices moved now ("I think we have to round
    # it up", "let's break it up there", "we'll come back to that", "move the laptop over", "leave the PC on")
    r"|\b(let's|we'll|we can|we should|we have to|we need to|we've got to|we must|i'm going to|i'm gonna|i'll)( just)? "
    r"(wrap|round|break) (it|this|things|everything) up\b|\b(let's|we'll|we can)( just)? come back to (that|this|it)( later| in a (bit|minute|moment|second))?\W*$"
    r"|\b(move|pull|push|leave) (the|this|that) (laptop|projector|pc|p_c_|camera|mic|microphone)\b")


def meeting_procedure(sent: Sentence) -> bool:
    """Whether an English sentence is about running the meeting: the agenda, slides, the projector, files, the floor, time.

    "Next slide, please.", "Let's move on.", "Save it as…", "Can you start?", "ten minutes left",
    "the minutes go in the project folder". AMI tags many of these as suggestions; the issue's
    definition (advice to the other person) does not count them.
    """
    return sent.language == "en" and procedure_text(sent.text)


def procedure_text(text: str) -> bool:
    """:func:`meeting_procedure`'s pattern on an English sentence's text (no language check): one of the learned flag's features
    (:mod:`.procedure`, round 14), which sets ``procedure`` for English recommendations when its model is bundled."""
    return bool(_PROCEDURE.search(norm(strip_markup(text))))


# -- Russian -------------------------------------------------------------------------
_RU_ADVICE_LEMMAS = {"советовать", "посоветовать", "рекомендовать", "порекомендовать", "предлагать", "предложить"}
_RU_STRONG = [
    (r"\bя бы на (вашем|твоем|твоём) месте\b|\bна (вашем|твоем|твоём) месте я бы\b|\bбудь я на (вашем|твоем) месте\b", "if_i_were_you", 0.9),
    (r"\b(мой|главный|один|единственный) (главный )?совет\b|\bсовет(ую)?:|\bсовет такой\b|\bлайфхак\b"
     # round 45: «Секрет в том, чтобы…», «Моё правило — …» (the English "the trick is to…", "my rule of thumb is…")
     r"|\b(секрет|фишка|хитрость|трюк|весь смысл) (в том|такой|такая)\b|\b(моё|мое|главное|золотое) правило\b",
     "my_advice", 0.85),
    (r"\b(мне|нам) (очень |реально |сильно |тогда )?(помогл[оаи]|помогает|помогают)\b|\bчто мне помогло\b|\bу меня (хорошо )?сработал|\bя (обычно |всегда |просто )?делаю так\b", "own_experience", 0.8),
    (r"\bпочему бы (вам |тебе )?не\b|\bа (ты|вы) не пробовал|\bа (ты|вы) пробовал|\bне (хочешь|хотите) попробовать\b|\bчто если (вам|тебе|ты|вы)\b|\bможет,? (тебе|вам) (стоит|попробовать)\b", "suggest_question", 0.8),
]
_RU_MODAL = [
    (r"\b(тебе|вам|вы|ты) (бы )?(точно |обязательно |правда |явно |действительно |лучше |наверное )?(стоит|стоило бы|стоило|следует|следовало бы|надо бы|нужно бы|лучше|имеет смысл|полезно|не помешает|можно попробовать|надо|нужно|необходимо|должны|должен|должна)\b", "you_should", 0.85),
    (r"\bя бы (начал|начала|начинал|начинала) с\b", "i_would_start", 0.8),
    (r"\b(стоит|стоило бы|лучше|имеет смысл|лучше всего|полезно|не помешает|рекомендуется|важно|советую|рекомендую|предлагаю|можно попробовать|попробуй|попробуйте)\b", "worth_it", 0.75),
    # round 45: «Ещё можно вести журнал оценок…» opening the sentence or a clause (the English "you could also…"; not
    # «В Jira можно фильтровать задачи»: what a tool allows)
    (r"(?:^|[,;:] )(?:(?:ещё|еще|также|тоже|а|и|тогда|вообще|например|ну|так) )*(?:тебе |вам )?можно (?:было бы )?"
     r"(?=[а-яё]+(?:ть|ти|чь)(?:ся|сь)?\b)", "you_could", 0.7),
]
_RU_DISCOURSE_IMP = {
    "смотреть", "посмотреть", "слушать", "послушать", "представить", "представлять", "погодить", "подождать",
    "извинить", "простить", "сказать", "знать", "понимать", "давать", "дать", "спасибо", "видеть", "заметить",
    "допустить", "допускать", "поверить", "верить", "мочь", "пожалуйста", "продолжать", "продолжить",
    "проходить", "пройти", "садиться", "сесть", "присаживаться", "присесть", "заходить", "зайти", "раздеваться",
}


def _ru_advice_verb(sent: Sentence) -> bool:
    toks = sent.tokens
    has_by = any(t.lower == "бы" for t in toks)
    for t in toks:
        if t.lemma in _RU_ADVICE_LEMMAS:
            if t.feats.get("Person") == "1" and t.feats.get("Tense") in ("Pres", "Fut"):
                return True
            if has_by and t.feats.get("Tense") == "Past":
                return True
    return False


def _ru_imperative(sent: Sentence) -> bool:
    toks = sent.tokens
    for i, t in enumerate(toks):
        if t.feats.get("Mood") != "Imp" or t.feats.get("Person", "2") != "2":
            continue
        if t.lower in {"давай", "давайте"}:
            return False
        if t.lemma in {"дать", "давать"}:  # «дай подумать», «дайте я посмотрю» vs «дай новичку проект»
            nxt = toks[i + 1 : i + 3]
            if any(n.feats.get("VerbForm") == "Inf" or n.lower in {"я", "мне", "знать"} for n in nxt):
                continue
            return True
        if t.lemma not in _RU_DISCOURSE_IMP or _ru_say_what(toks, i):
            return True
    return False


#: what follows «скажи(те)» when it only opens a question or a request to the speaker («Скажите, пожалуйста, …»,
#: «Скажи мне…», «Скажи честно…»)
_RU_SAY_OPENING = frozenset({"пожалуйста", "а", "мне", "нам", "честно", "же", "ка", "вот", "ну"})


def _ru_say_what(toks: Sequence[Token], i: int) -> bool:
    """Whether the imperative «скажи(те)» at token ``i`` tells the listener what to say to others (round 45: «Тогда
    скажи на планёрке первым: я вчера прислал предложение…» was no advice, «сказать» being read as «скажите, а…»): it
    goes on with words of its own, not a comma or a word that opens a question or a request to the speaker."""
    if toks[i].lemma != "сказать" or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    return nxt.pos != "PUNCT" and nxt.lower not in _RU_SAY_OPENING and not toks[-1].text.endswith("?")


def _ru_proposes_as_a_habit(sent: Sentence) -> bool:
    """Whether «(я) предлагаю» tells what the speaker does rather than proposes now: its object is a plural noun and
    the sentence goes on with what others do about it, after «, а» or «, но» («Я предлагаю идеи, а их как будто не
    слышат» — round 45, a junior's account of meetings listed as advice), with no one it is proposed to, no infinitive
    and no colon («Предлагаю следующие изменения: …», «Предлагаю новые правила для планёрок.» propose)."""
    toks = sent.tokens
    for i, t in enumerate(toks):
        if t.lemma != "предлагать" or t.feats.get("Tense") != "Pres" or t.feats.get("Person", "1") != "1":
            continue
        rest = [x for x in toks[i + 1:] if x.pos != "ADJ"]
        obj = rest[0] if rest else None
        return (obj is not None and obj.pos == "NOUN" and obj.feats.get("Number") == "Plur"
                and obj.feats.get("Case") == "Acc" and ":" not in sent.text
                and re.search(r",\s+(?:а|но)\s", sent.text[obj.idx:]) is not None
                and not any(x.feats.get("VerbForm") == "Inf" or x.lower in ("вам", "тебе", "нам") for x in toks[i + 1:]))
    return False


def _russian(sent: Sentence) -> Optional[RuleHit]:
    t = norm(sent.text)
    if _ru_proposes_as_a_habit(sent):
        return veto(KIND, "description")
    if _ru_advice_verb(sent):
        return RuleHit(KIND, 0.9, "advice_verb")
    if reported_speech(sent):
        return veto(KIND, "reported_speech")
    for pattern, name, conf in _RU_STRONG:
        if search(pattern, t):
            return RuleHit(KIND, conf, name)
    if question(sent):
        return veto(KIND, "question")
    if search(r"\b(если|когда|ли) (тебе|вам) (надо|нужно|стоит)\b", t):
        return None
    for pattern, name, conf in _RU_MODAL:
        m = search(pattern, t)
        if m:
            # «стоит» also means "costs": require a following infinitive for the bare forms
            if name == "worth_it" and m.group(1) in ("стоит", "стоило бы", "лучше") and not _infinitive_after(sent, m.end()):
                continue
            return RuleHit(KIND, conf, name)
    if _ru_imperative(sent):
        return RuleHit(KIND, 0.75, "imperative")
    return None


def _infinitive_after(sent: Sentence, norm_offset: int) -> bool:
    """Whether an infinitive follows within three tokens of the match end (offsets ~ text offsets)."""
    after = [tok for tok in sent.tokens if tok.idx >= norm_offset - 1][:4]
    return any(tok.feats.get("VerbForm") == "Inf" for tok in after)


# advice that names its task only by pointing back: "Try that for a week.", "Give it a go.", «Попробуйте так.» (round 41)
_EN_POINTING = re.compile(r"^(?:(?:so|and|just|maybe|then|now|also|well|okay|ok)[,\s]+)*"
                          r"(?:try (?:that|this|it)|do (?:that|this|the same)|give (?:it|that|this) a (?:try|go|shot))\b",
                          re.IGNORECASE)
_RU_POINTING = re.compile(r"^(?:(?:и|ну|вот|так|тогда|просто)[,\s]+)*(?:попробуй(?:те)?|сделай(?:те)?)\s+(?:так|это|то же)",
                          re.IGNORECASE)
#: the most words of advice that points back for the sentence before it to be shown with it
POINTING_MAX_WORDS = 8


def advice_span(sents: Sequence[Sentence], j: int) -> tuple[int, int]:
    """The character span of the advice in sentence ``j`` of an utterance's ``sents``: the sentence itself, or, when it
    only points back at what the speaker has just said ("I block the first hour of the day for the most important
    task. Try that for a week."), from the sentence before it on (round 41: the report listed "Try that for a week."
    alone). The sentence before must be the same speaker's (the same utterance) and no question."""
    sent = sents[j]
    if j == 0 or len(sent.text.split()) > POINTING_MAX_WORDS:
        return sent.start_char, sent.end_char
    pattern = _RU_POINTING if sent.language == "ru" else _EN_POINTING
    if not pattern.match(sent.text.strip()) or sents[j - 1].text.rstrip().endswith("?"):
        return sent.start_char, sent.end_char
    return sents[j - 1].start_char, sent.end_char


def advice_text(said: str, sents: Sequence[Sentence], j: int) -> tuple[str, int, int]:
    """The text a recommendation found in sentence ``j`` of the utterance ``said`` shows, with its character span
    (:func:`advice_span`)."""
    sent = sents[j]
    start, end = advice_span(sents, j)
    if start == sent.start_char:
        return sent.text, sent.start_char, sent.end_char
    if said[sent.start_char:sent.end_char] == sent.text:
        return said[start:end], start, end
    return f"{sents[j - 1].text} {sent.text}", start, end


def recommendation_rule(sent: Sentence) -> Optional[RuleHit]:
    """The recommendation rule's decision for one sentence (``None`` = no evidence)."""
    return _russian(sent) if sent.language == "ru" else _english(sent)


__all__ = ["description", "lone_subordinate_clause", "meeting_procedure", "procedure_text", "recommendation_rule"]

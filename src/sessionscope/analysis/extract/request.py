"""A request for the speaker's own learning or help is no advice (issue 10, round 22).

In reverse mentoring the senior often asks the junior to show or explain something: «покажите, как это
настроить», "can you walk me through it?", "tell me more about the board". The corpora and the heads take such
a sentence for a suggestion (MRDA tags "show me" as an action directive, ``^co``), and counted as the asker's
advice it reverses the direction an evaluator reads: the one asking to be taught is the learner, not the
teacher. :func:`own_request` says whether a recommendation's sentence is such a request; the stage sets
``Recommendation.request`` from it, and ``Session.advice`` (mutuality, knowledge flow, the flags, the per-person
counts) leaves those items out while the report still lists them (as it does ``procedure`` items).

Narrow by design: the speaker asks to be *shown, told, explained, taught, helped* or *sent* something
("show me", "tell me more", "explain it to me", "walk me through", "can you send me", "teach me", "help me";
«покажите», «расскажите, как…», «объясните мне», «подскажите», «пришлите мне», «можете показать», «научите»).
Not requests: the speaker teaching ("let me show you", «давайте я покажу»), advice to involve someone else
("you should ask him to show you", "show them the demo", «покажите клиенту цифры»), and a sentence whose other
clause is advice ("try it and tell me how it went"): that stays advice. A request to *send* something is also
a task for the addressee; the action-item path keeps that (its owner is the one asked).
"""

from __future__ import annotations

import re

from sessionscope.analysis.extract.rules import norm
from sessionscope.language.nlp import Sentence
from sessionscope.text import strip_markup

# -- English -----------------------------------------------------------------------------------------------------
# where an imperative clause starts: the sentence, a punctuation mark (not a transcript's "-" of a cut word), a
# conjunction or a discourse word; then fillers ("so maybe just show me"); "the history can maybe tell us" is no start
_EN_OPEN = (r"(?:^|[,;:.!?—–]\s*|\b(?:and|so|but|then|okay|ok|well|yeah|oh|now|alright|right)\s+)"
            r"(?:(?:just|please|maybe|also|first|actually|um+|uh+|-),?\s+)*")
_EN_VERB = r"(?:show|tell|teach|walk|explain(?: to)?|send|help|remind|email|forward|give|introduce)"
_EN_ME = r"(?:me|us)\b"
# round 54: the phrases of being brought up to date, said with the speaker as the one told ("Perhaps you can run us
# through it quickly.", a committee's request to a witness): "run / talk / take me through", "fill me in", "catch me
# up", "update me on…", "bring me up to speed", "keep me posted", "give us an overview"; "give us a chance" or "take me
# to…" are no such request
_EN_TOLD = (r"(?:(?:run|talk|take)\s+(?:me|us)\s+(?:quickly\s+|briefly\s+)?through|fill\s+(?:me|us)\s+in|"
            r"catch\s+(?:me|us)\s+up\b|update\s+(?:me|us)\s+on\b|"
            r"bring\s+(?:me|us)\s+up\s+to\s+(?:speed|date)|keep\s+(?:me|us)\s+(?:posted|updated|informed|in\s+the\s+loop)|"
            r"give\s+(?:me|us)\s+(?:a\s+|an\s+|some\s+)?(?:(?:quick|brief|short|little|bit\s+of\s+an?|general|rough)\s+)*"
            r"(?:overview|update|summary|rundown|run-through|walkthrough|walk-through|sense|idea|picture|flavou?r|feel)\b)")
_EN_REQUEST = re.compile(
    # an imperative to the listener with the speaker as the one shown / told / sent to: "show me", "walk me through it"
    _EN_OPEN + r"(?:please\s+)?(?:(?:show|tell|teach|walk|explain to|send|help|remind|email|forward)\s+" + _EN_ME
    + r"|" + _EN_TOLD + r")"
    # "explain that again", "explain it to me once more": a bare "explain why, not just what" is advice on how to talk
    # to others (mentoring), so only "explain" of what was just said, again, is the speaker's request
    + r"|" + _EN_OPEN + r"(?:please\s+)?explain (?:it|that|this)(?: (?:to me|to us))? (?:again|once more|one more time)\b"
    # a question or polite form: "can you show me", "could you explain", "would you mind sending me"
    + r"|\b(?:can|could|would|will|won't|wouldn't|couldn't)\s+(?:you|ya|u)\s+(?:please\s+|maybe\s+|just\s+|quickly\s+|also\s+|perhaps\s+)*"
    r"(?:" + _EN_VERB + r"\s+" + _EN_ME + r"|explain\b|walk\s+(?:me|us)\b|" + _EN_TOLD + r")"
    + r"|\bwould you mind\s+(?:showing|telling|explaining|walking|sending|helping|teaching)\s+(?:me|us)?\b"
    # "I'd like you to show me", "I want you to explain", "I'd love it if you showed me"
    + r"|\bi(?:'d| would)? (?:like|love|want|need)(?: it)?(?: if)? you (?:to )?(?:show|tell|teach|walk|explain|send|help|showed|told|taught|walked|explained|sent|helped)\b"
    # "you could show me", "maybe you can send me the link"
    + r"|\byou (?:could|can|might)\s+(?:just\s+|maybe\s+|also\s+)?(?:" + _EN_VERB + r"\s+" + _EN_ME + r"|" + _EN_TOLD + r")"
    # "tell me more", "I'd love to hear more about it", "I'd like to see how you did it"
    + r"|\bi(?:'d| would)? (?:love|like) to (?:see|hear|learn|know) (?:how|more|what|about|why|where)\b",
    re.IGNORECASE)
# the speaker shows / tells someone else, or reports what someone asked: not the speaker's own request
_EN_NOT_REQUEST = re.compile(
    r"\b(?:let me|i'll|i will|i can|i could|i'm going to|i'm gonna|shall i|should i|i'd be happy to|happy to)\s+"
    r"(?:just\s+|quickly\s+)?(?:show|tell|explain|walk|send|teach|help)\b"
    r"|\b(?:ask|asked|asks|asking|get|tell|told)\s+(?:him|her|them|someone|somebody|your \w+|the \w+)\s+to\s+(?:show|tell|explain|walk|send|teach|help)\b"
    r"|\b(?:he|she|they|someone|somebody) (?:said|says|told|asked|asks|wanted|wants)\b"
    r"|\bdon'?t tell me\b|\b(?:tell|show) me (?:about it|something)\W*$|\bhelp me out here\W*$",
    re.IGNORECASE)
# a word before the verb that makes it no imperative: a modal or a subject ("it might then help us")
_EN_SUBJECT_OR_MODAL = frozenset({"can", "could", "will", "would", "might", "may", "should", "must", "'ll", "to", "do", "does",
                                  "did", "i", "we", "they", "he", "she", "it", "who", "which", "that", "this"})
# advice in another clause of the same sentence ("try it, and tell me how it went"): the sentence stays advice
_EN_ADVICE_CLAUSE = re.compile(
    r"(?:^|[,;:—–-]\s*|\b(?:and|so|but|then|first|just|maybe)\s+)(?:try|use|start|stop|keep|make sure|don't forget|remember to|"
    r"call|write|set|put|ask|book|block|pick|check|focus|add|plan|schedule|collect|prepare|delegate)\b(?! (?:me|us)\b)"
    r"|\byou (?:should|ought to|'d better|had better|might want to|need to|have to|must)\b"
    r"|\b(?:i'd|i would|i) (?:recommend|suggest|advise)\b|\bwhy (?:don't|not) you\b|\bif i were you\b",
    re.IGNORECASE)

# -- Russian -----------------------------------------------------------------------------------------------------
# the verbs of being shown / told / taught / sent to, imperative or a polite future ("покажете?"), stems for both numbers
_RU_SHOW = r"(?:покажи(?:те)?|покажешь|покажете|расскажи(?:те)?|расскажешь|расскажете|объясни(?:те)?|объяснишь|" \
           r"подскажи(?:те)?|подскажешь|подскажете|научи(?:те)?|научишь|научите)"
_RU_SEND = r"(?:пришли(?:те)?|пришлешь|пришлете|скинь(?:те)?|скинешь|скинете|отправь(?:те)?|отправишь|отправите|" \
           r"перешли(?:те)?|перешлешь|перешлете|дай(?:те)?|напиши(?:те)?|напишешь|напишете)"
_RU_MODAL = r"(?:можешь|можете|мог бы|могла бы|могли бы|сможешь|сможете|не мог бы|не могла бы|не могли бы)(?: ли)?(?: ты| вы)?(?: пожалуйста)?(?: мне| нам)?"
_RU_INF = r"(?:показать|рассказать|объяснить|подсказать|научить|прислать|скинуть|отправить|переслать)"
# what follows the verb when the speaker is the one shown / told: me / us, a "how / what" clause, "about", the end
_RU_FOR_ME = r"(?:\s*,?\s*(?:пожалуйста\s*,?\s*)?(?:мне|нам|меня|нас)\b|\s*,?\s*(?:пожалуйста\s*,?\s*)?(?:как|что|где|когда|почему|зачем|какой|какая|какие|каким|сколько|чем|кто|ли|про|о|об|обо|подробнее|поподробнее|побольше|еще|ещё)\b|\s*[.!?…]*\s*$)"
# round 54: being brought up to date, as _EN_TOLD: «введите меня в курс (дела)», «держите нас в курсе», «можете ввести в курс?»
_RU_TOLD = (r"(?:введи(?:те)?|введешь|введёшь|введете|введёте|ввести|держи(?:те)?|держать)\s+(?:меня|нас)\s*(?:,?\s*пожалуйста,?\s*)?"
            r"в\s+курс(?:е)?\b")
_RU_REQUEST = re.compile(
    r"(?<![\w-])(?:" + _RU_SHOW + _RU_FOR_ME + r"|" + _RU_SEND + r"\s*,?\s*(?:пожалуйста\s*,?\s*)?(?:мне|нам)\b"
    r"|" + _RU_MODAL + r"\s+" + _RU_INF + _RU_FOR_ME + r"|" + _RU_MODAL + r"\s+(?:мне|нам)\s+" + _RU_INF + r"|" + _RU_TOLD + r")",
    re.IGNORECASE)
# the speaker offers to show («давайте я покажу», «я расскажу»), or asks for it to be shown to someone else
_RU_NOT_REQUEST = re.compile(
    r"\b(?:давай(?:те)?|я|мы)\s+(?:я\s+|вам\s+|тебе\s+|сейчас\s+|быстро\s+|потом\s+)*(?:покажу|расскажу|объясню|подскажу|пришлю|скину|отправлю|научу)\b"
    r"|\b(?:попроси(?:те)?|попросите|пусть)\s+(?:\w+\s+){0,2}(?:показать|рассказать|объяснить|покажет|расскажет|объяснит)\b",
    re.IGNORECASE)
# another audience named anywhere: «расскажите о своих успехах на планёрке», «покажите это команде» advise the listener
# how to talk to others (the pattern above only sees a dative right after the verb)
_RU_OTHER_AUDIENCE = re.compile(
    r"\b(?:ему|ей|им|него|нее|них|команде|коллегам|коллеге|клиенту|клиентам|заказчику|руководителю|руководству|начальнику|"
    r"начальству|сотрудникам|подчиненным|ребятам|всем|людям|аудитории|на (?:встрече|планерке|собрании|совещании|созвоне|"
    r"планерках|встречах|собраниях|летучке)|в (?:чате|канале|комментариях)|публично)\b",
    re.IGNORECASE)
# advice said in another clause: «попробуйте сами, а потом расскажите, как прошло» stays advice
_RU_ADVICE_CLAUSE = re.compile(
    r"\b(?:попробуй(?:те)?|сделай(?:те)?|используй(?:те)?|начни(?:те)?|позвони(?:те)?|напомни(?:те)?|проверь(?:те)?|"
    r"проверяй(?:те)?|заведи(?:те)?|запиши(?:те)?|держи(?:те)?|ставь(?:те)?|поставь(?:те)?|возьми(?:те)?|выбери(?:те)?|"
    r"не спорь(?:те)?|признай(?:те)?|предложи(?:те)?|соберите|собери|устраивай(?:те)?|делегируй(?:те)?|"
    r"советую|рекомендую|стоит|лучше|(?:тебе|вам) (?:надо|нужно|следует))\b",
    re.IGNORECASE)


def request_text(text: str, language: str) -> bool:
    """:func:`own_request` on a sentence's text in ``language`` (``"en"`` / ``"ru"``; another language: ``False``)."""
    t = norm(strip_markup(text))
    if language == "ru":
        m = _RU_REQUEST.search(t)
        if m is None or _RU_NOT_REQUEST.search(t) or _RU_OTHER_AUDIENCE.search(t):
            return False
        rest = t[: m.start()] + " " + t[m.end():]
        return not _RU_ADVICE_CLAUSE.search(rest)
    if language == "en":
        m = _EN_REQUEST.search(t)
        if m is None or _EN_NOT_REQUEST.search(t):
            return False
        before = re.findall(r"[a-z']+", t[: m.start()])
        if before and before[-1] in _EN_SUBJECT_OR_MODAL:  # "that might then help me", "the data will tell us"
            return False
        rest = t[: m.start()] + " , " + t[m.end():]
        return not _EN_ADVICE_CLAUSE.search(rest)
    return False


# a request for later: "tell me how it went", «вечером расскажите, как прошло»: the next turn is no showing or telling
_DEFERRED = re.compile(
    r"\b(?:later|tomorrow|tonight|next (?:time|week|meeting|session)|afterwards?|after (?:the|your|it|that)|when you|once you|"
    r"how it (?:went|goes|going)|how (?:did|does) it go|вечером|потом|позже|завтра|после|к следующей|на следующей|в следующий раз|"
    r"когда (?:будет|закончите|сделаете|попробуете)|как прошло|как пройдет|как все прошло|что получилось|что получится|"
    r"как получилось|как сработало)\b", re.IGNORECASE)


def deferred_request(text: str) -> bool:
    """Whether a request asks to be told or shown later ("tell me how it went", «вечером расскажите, как прошло»):
    what the other one says next is then no answer to it (:func:`sessionscope.analysis.flow.knowledge_flow`)."""
    return bool(_DEFERRED.search(norm(strip_markup(text))))


def own_request(sent: Sentence) -> bool:
    """Whether a sentence asks the listener to show, tell, explain, teach, help or send something to the speaker.

    "Show me how you set it up.", "Can you walk me through it?", "Tell me more about the board.",
    «Покажите, как это настроить.», «Расскажите, как прошло.», «Пришлите мне ссылку.», «Можете объяснить?».
    Not: "Let me show you.", "You should ask him to show you.", "Show them the demo.", «Покажите клиенту цифры.»,
    «Давайте я покажу.», and not a sentence that also advises in another clause ("Try it and tell me how it went.").
    """
    return request_text(sent.text, sent.language)


# -- a choice among what the other one offers to show (round 42) ------------------------------------------------------
# the other one offers, as a question, to show, tell, send or prepare something for the speaker: "Anything else you want
# me to show you next time?", "Should I walk you through it?", «Что ещё вам показать в следующий раз?»
_EN_OFFER = re.compile(
    r"\b(?:want|like|need)\s+me\s+to\s+(?:show|explain|send|walk|go\s+through|cover|prepare|demo|teach|look\s+at|"
    r"talk\s+about)\b|\b(?:shall|should|can|could|may)\s+i\s+(?:show|explain|send|walk|go\s+through|prepare|demo|teach)\b",
    re.IGNORECASE)
# an offer said as a statement, and its acceptance in a word (round 43): "I can show you how to use…" — "Please do."
_EN_OFFER_SAID = re.compile(r"\bi (?:can|could) (?:also )?(?:show|send|walk|teach|explain|demo|prepare)\b", re.IGNORECASE)
_EN_TAKE_OFFER = re.compile(r"^(?:(?:yes|yeah|oh|sure|great|okay|ok),? )?(?:please do|yes,? please|that would be "
                            r"(?:great|helpful|very helpful|wonderful|amazing)|i'd (?:love|like) that)\b", re.IGNORECASE)
_RU_OFFER_VERB = r"(?:показать|рассказать|объяснить|прислать|подготовить|разобрать|скинуть)"
_RU_OFFER = re.compile(rf"(?<![\w-]){_RU_OFFER_VERB}\s+(?:вам|тебе)(?![\w-])|(?<![\w-])(?:вам|тебе)\s+{_RU_OFFER_VERB}(?![\w-])",
                       re.IGNORECASE)
#: the longest answer read as a choice (words): a longer one says more than what to be shown
CHOICE_MAX_WORDS = 8


def chooses_from_offer(offer: Sentence, sent: Sentence) -> bool:
    """Whether ``sent`` answers ``offer`` — the other person's question offering to show, tell, send or prepare
    something for the speaker — by naming what ("Maybe the dashboards.", «Может быть, дашборды.»).

    Such an answer is the speaker's request, not advice: the heads score "Maybe the dashboards." as a suggestion (AMI
    tags a "maybe the …" fragment ``sug``), and counted as the senior's advice it turned a request to be taught into
    teaching (round 42). Only a short answer (at most :data:`CHOICE_MAX_WORDS` words) that advises nothing in another
    clause; ``offer`` must end with a question mark. Round 43: an English offer said as a statement ("I can show you how
    to use the AI summary next time.") taken up in a word ("Please do, I spend hours on meeting notes.") is a request
    too.
    """
    if offer.language != sent.language:
        return False
    if sent.language == "en" and _EN_OFFER_SAID.search(norm(strip_markup(offer.text))) \
            and _EN_TAKE_OFFER.match(norm(strip_markup(sent.text))):
        return True  # "In return, I can show you … next time." — "Please do." (round 43)
    if not offer.text.rstrip().endswith("?"):
        return False
    if not (_RU_OFFER if sent.language == "ru" else _EN_OFFER).search(norm(strip_markup(offer.text))):
        return False
    t = norm(strip_markup(sent.text))
    if len(re.findall(r"\w+", t)) > CHOICE_MAX_WORDS:
        return False
    return not (_RU_ADVICE_CLAUSE if sent.language == "ru" else _EN_ADVICE_CLAUSE).search(t)


__all__ = ["CHOICE_MAX_WORDS", "chooses_from_offer", "deferred_request", "own_request", "request_text"]

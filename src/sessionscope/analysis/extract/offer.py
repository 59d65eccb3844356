"""An offer taken up is the offerer's task (issue 10, round 45).

"I can send you my template." — "Yes, please, that would be great." and «Могу прислать тебе свой шаблон.» — «Да,
пожалуйста, было бы здорово.» hand the one who offered a task, though neither line promises in so many words: the
offer says "can", the reply says only yes. The extraction decides one sentence at a time, so such a task was listed
at a few per cent (to check) or, in Russian, not at all.

:func:`offer_items` adds the offerer's action item when the next line, by someone else, opens by taking the offer up
(:func:`takes_offer`: "yes please", "that would be great / helpful", "I'd love that", «да, пожалуйста», «было бы
здорово», «буду благодарен») and the offerer's last sentence before it offers to do something
(:func:`offered_verb`: "I can / could / am happy to <verb>…", "Want me to <verb>…?", «Могу <инфинитив>…», «Хочешь,
пришлю…?»). The task is the offer from its verb on; the owner is the one who offered; the confidence is the
dialogue-act heads' action probability of the offer (method ``offer``), and an offer already listed as an action item
adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Optional

from sessionscope.language.nlp import Sentence

_EN_TAKES = re.compile(
    r"^(?:(?:oh|yes|yeah|yep|sure|absolutely|definitely|great|perfect|wow|thanks|thank you|ok|okay)[\s,.!]+)*"
    r"(?:yes,? please|please(?: do)?|that would be (?:great|helpful|really helpful|very helpful|amazing|perfect|lovely|"
    r"brilliant|awesome|super helpful|a big help|fantastic|wonderful)|that'd be (?:great|helpful|amazing|perfect|lovely|"
    r"brilliant|awesome)|i'd (?:love|appreciate) that|i would (?:love|appreciate) that|that would help(?: a lot)?"
    r"|sounds (?:great|good|perfect)|please,? that would)\b", re.IGNORECASE)
_RU_TAKES = re.compile(
    r"^(?:(?:да|ой|о|конечно|спасибо|отлично|супер|класс)[\s,.!]+)*"
    r"(?:пожалуйста|было бы (?:здорово|отлично|супер|круто|классно|замечательно|прекрасно)|буду (?:очень )?благодар\w+"
    r"|с удовольствием|очень (?:пригодится|поможет)|давайте|давай)(?![\w-])", re.IGNORECASE)
_EN_OFFER = re.compile(
    r"^(?:(?:and|also|oh|well|so|but|if you like|if you want)[\s,]+)*(?:i|we) (?:can|could|'m happy to|am happy to|"
    r"'d be happy to|would be happy to|'d be glad to|would be glad to)(?: also| just| always)? (?=[a-z])"
    r"|^(?:do you )?(?:want|would you like) me to (?=[a-z])", re.IGNORECASE)
_RU_OFFER = re.compile(
    r"^(?:(?:а|и|ещё|еще|кстати|если хочешь|если хотите)[\s,]+)*(?:я )?(?:могу|могла бы|мог бы|могу ещё|могу еще)"
    r"(?: (?:тебе|вам))? (?=[а-яё])|^(?:хочешь|хотите),? (?:я )?(?=[а-яё])", re.IGNORECASE)
# the verbs an offer of the floor or of thought is made with: no task ("I can tell you a story", "I could be wrong")
_NOT_OFFERED = frozenset({"be", "see", "imagine", "understand", "say", "tell", "think", "guess", "hear", "ask",
                          "быть", "сказать", "понять", "представить", "спросить", "подумать"})


def takes_offer(sent: Sentence) -> bool:
    """Whether a sentence opens by taking an offer up ("Yes, please.", "That would be great.", «Да, пожалуйста.»)."""
    text = " ".join(sent.text.split())
    return bool((_RU_TAKES if sent.language == "ru" else _EN_TAKES).match(text))


def offered_verb(sent: Sentence) -> Optional[int]:
    """The token index of the verb a sentence offers to do (see the module), or ``None``."""
    if sent.language not in ("en", "ru"):
        return None
    text = sent.text
    m = (_RU_OFFER if sent.language == "ru" else _EN_OFFER).match(text.lstrip())
    if m is None:
        return None
    at = len(text) - len(text.lstrip()) + m.end()
    k = next((j for j, t in enumerate(sent.tokens) if t.idx >= at), None)
    if k is None or sent.tokens[k].pos not in ("VERB", "AUX") or sent.tokens[k].lemma in _NOT_OFFERED:
        return None
    return k


def offer_items(session: Any, parsed: Sequence[Sequence[Sentence]], acts: list, cfg: Any, areas: dict,
                heads: Any = None, head_logits: Any = None) -> list:
    """``acts`` and an action item for each offer taken up that no item lists yet (see the module)."""
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.recap import last_number, sentence_confidence
    from sessionscope.analysis.extract.rules import RuleHit
    from sessionscope.model import ActionItem

    listed = {(a.utterance_id, a.char_start) for a in acts}
    n = last_number(acts)
    out = list(acts)
    utts = session.utterances
    for i in range(1, len(utts)):
        prev, here = utts[i - 1], utts[i]
        if prev.speaker == here.speaker or not parsed[i] or not parsed[i - 1] or not takes_offer(parsed[i][0]):
            continue
        if "hallucination" in prev.flags or parsed[i][0].language != parsed[i - 1][-1].language:
            continue
        j = len(parsed[i - 1]) - 1
        offer = parsed[i - 1][j]
        k = offered_verb(offer)
        if k is None or (prev.id, offer.start_char) in listed:
            continue
        task = task_phrase(offer, RuleHit("action", 0.0, "offer", task_start=offer.tokens[k].idx),
                           max_words=cfg.max_task_words)
        task = _COURTESY_TAIL.sub("", task)
        if _TAKES_THAT.match(task) and i >= 2 and utts[i - 2].speaker == here.speaker and parsed[i - 2]:
            task = _what_was_asked(parsed[i - 2][-1]) or task  # "someone should update the page" — "I can take that"
        due = find_due(offer.text, session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)
        row = head_logits[i - 1][j] if head_logits is not None else None
        conf, to_check = sentence_confidence(None, heads, row, offer, cfg)
        n += 1
        out.append(ActionItem(
            id=f"act-{n:03d}", utterance_id=prev.id, start=prev.start, owner=prev.speaker, task=task,
            due_text=due.text if due else None, due_date=due.date if due else None, confidence=conf,
            area=areas.get(prev.id), char_start=offer.start_char, char_end=offer.end_char, method="offer",
            owners=(prev.speaker,), to_check=to_check,
        ))
        listed.add((prev.id, offer.start_char))
    order = {u.id: k for k, u in enumerate(utts)}
    return sorted(out, key=lambda a: (order.get(a.utterance_id, 0), a.char_start or 0))


#: a condition after a comma ("…, if nobody else wants it", «…, если надо»): not the task ("if you like" is out already)
_COURTESY_TAIL = re.compile(r",\s+(?:if|если)\s.*$", re.IGNORECASE)
#: an offer that takes on what the other has just said needs doing ("I can take that (one)", «Могу взять это на себя»)
_TAKES_THAT = re.compile(r"^(?:take|do|handle|own|cover|grab|pick up|взять|сделать|взять на себя)\s+(?:that|it|this|это|его)"
                         r"(?:\s+(?:one|on|на себя))?\s*$", re.IGNORECASE)
_NEEDS_DOING = re.compile(r"\b(?:should|could|needs? to|has to|must|ought to|нужно|надо|стоит|следует)\s+(?=\w)", re.IGNORECASE)


def _what_was_asked(sent: Sentence) -> Optional[str]:
    """What the other's sentence says needs doing, from the verb after "should / needs to / has to…" («нужно, надо…») to
    the first comma ("Also, someone should update the onboarding page, it's two years old." → "update the onboarding
    page"); ``None`` when it says no such thing."""
    m = _NEEDS_DOING.search(sent.text)
    if m is None:
        return None
    text = sent.text[m.end():].split(",", 1)[0]
    text = re.sub(r"[\s.!?…]+$", "", " ".join(text.split()))
    return text if len(text.split()) >= 2 else None


__all__ = ["offer_items", "offered_verb", "takes_offer"]

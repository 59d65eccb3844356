"""An item's words as a reader of the report needs them: the whole sentence, not one line of a transcript.

Transcripts cut speech into lines that are not sentences: SBCSAE's STM has one intonation unit a line ("Just bring
two-thirds," | "over to the other side."), subtitle cues and recognised segments end where a pause or a length limit
falls. An item found on one such line was listed as the line (round 26, audit: Kathy's "you have to flip all the
signs over." without its "when you divide by negative two," — a wrong rule read alone — and "over to the other
side." twice beside "Just bring two-thirds,"). :class:`WholeText` extends an item's text over the same speaker's
neighbouring lines while the line break falls inside a sentence:

* forward, while the text ends with a comma or with no punctuation at all and the speaker's next line starts in
  lower case (or with "I");
* backward, while the text starts in lower case and the speaker's previous line ends with a comma;

the end first (what a line leaves open is what a reader misses most), then the start; each step only to a line of
the same speaker that directly follows (no one else's line between them) and, where the lines are timed, starts
within :data:`MAX_GAP_S` of the other's end, up to :data:`MAX_WORDS` words in all (a story told in commas is not one
item's sentence). A text that is only part of its line is extended only on the side where it reaches the line's end.
The session data keep the items as found; only the reports use this.
"""

from __future__ import annotations

import re
from typing import Optional

from sessionscope.model import Session, Utterance

#: a line starting more than this after the other ends is not the same sentence
MAX_GAP_S = 2.0
#: the longest text an item is extended to (words)
MAX_WORDS = 30

_OPEN_END = re.compile(r"(?:,|[^\W\d_])[\"'»”)]*$")  # a comma or a letter last: the sentence goes on
_I_START = re.compile(r"I\b")


def _open_end(text: str) -> bool:
    return bool(_OPEN_END.search(text.rstrip()))


def _continues(text: str) -> bool:
    """The text starts as a sentence goes on: a lower-case letter, or "I" (always written upper case)."""
    s = text.lstrip(" \"'«“(")
    return bool(s) and (s[0].islower() or bool(_I_START.match(s)))


class WholeText:
    """``whole(utterance_id, text)``: ``text`` (found on that utterance) extended to its sentence (see the module)."""

    def __init__(self, session: Session) -> None:
        self._utts = list(session.utterances)
        self._index = {u.id: i for i, u in enumerate(self._utts)}

    def _near(self, a: Utterance, b: Utterance) -> bool:
        """``b`` directly follows ``a``: the same speaker and, when timed, within the gap."""
        if a.speaker != b.speaker:
            return False
        if a.end is not None and b.start is not None:
            return b.start - a.end <= MAX_GAP_S
        return True

    def __call__(self, utterance_id: Optional[str], text: str) -> str:
        i = self._index.get(utterance_id or "")
        if i is None or not text.strip():
            return text
        core = " ".join(text.split())
        line = " ".join(self._utts[i].text.split())
        words = len(core.split())
        before: list[str] = []
        after: list[str] = []
        if line.endswith(core) or core.endswith(line):
            j, last = i, core
            while j + 1 < len(self._utts) and _open_end(last) and self._near(self._utts[j], self._utts[j + 1]):
                nxt = " ".join(self._utts[j + 1].text.split())
                if not nxt or not _continues(nxt) or words + len(nxt.split()) > MAX_WORDS:
                    break
                after.append(nxt)
                words += len(nxt.split())
                j, last = j + 1, nxt
        if line.startswith(core) or core.startswith(line):
            j, first = i, core
            while j > 0 and _continues(first) and self._near(self._utts[j - 1], self._utts[j]):
                prev = " ".join(self._utts[j - 1].text.split())
                if not prev.endswith(",") or words + len(prev.split()) > MAX_WORDS:
                    break
                before.insert(0, prev)
                words += len(prev.split())
                j, first = j - 1, prev
        return " ".join([*before, core, *after]) if before or after else text

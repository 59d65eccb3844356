"""Round 53's English task-phrase clean-ups, each switched off in turn: what they do on real transcripts.

    nice -n 10 python benchmarks/r53_task_phrases.py --off broken-words --out benchmarks/results/r53_task_phrases_broken_words.json
    nice -n 10 python benchmarks/r53_task_phrases.py --off lead-hedge --out benchmarks/results/r53_task_phrases_lead_hedge.json
    nice -n 10 python benchmarks/r53_task_phrases.py --off wish-frame --out benchmarks/results/r53_task_phrases_wish_frame.json

Reading the action items of the real English transcripts as a pair would (round 52's listing), task phrases still
carried the disfluencies of the talk:

* ``broken-words``: a word broken off and said again whole ("the specifi specific instructions", "the user interface
  c concept", "m maybe I should write that down") and a four-word frame said twice ("I would like to I would like to
  receive…") stayed in the phrase; ``actions._spoken_clean`` now drops the broken-off part (``_EN_BROKEN``: one
  letter other than "a" / "I", or a part that is no common short word, right before a longer word that begins with
  it) and cuts stutters of up to four words (``_EN_STUTTER_PHRASE``; the detection rules keep the three-word
  ``_EN_STUTTER``). Switched off: both undone.
* ``lead-hedge``: a hedge or link before the person frame ("maybe I should write that down", "Because I'll have some
  updated info on that", "But I'll send it") kept the frame in the phrase; ``actions._EN_LEAD`` now takes "maybe",
  "perhaps", "because", "'cause" and "but" as lead words. Switched off: the round-52 lead pattern.
* ``wish-frame``: "I'd like to send you the slides" kept "like to send you the slides" (the person frame took
  "would" / "'d" and stopped); ``actions._EN_PERSON_FRAME`` now takes "would / 'd like to" and "would / 'd love to"
  whole. Switched off: the frame without them.

The sources and the listing are round 52's (``r52_task_phrases.sources`` / ``main``): QMSum's 11 meetings, SBCSAE's 3
conversations, the Zoom class meeting and the bundled English example, through ``api.analyze`` as shipped and with the
change undone; every action item whose task, owner, due or count differs is listed. Nothing is chosen on them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from r52_task_phrases import main as listing  # noqa: E402

CHANGES = ("broken-words", "lead-hedge", "wish-frame")


@contextmanager
def swapped(module: object, **values: object) -> Iterator[None]:
    """``module``'s attributes set to ``values`` while inside, restored after."""
    keep = {name: getattr(module, name) for name in values}
    for name, value in values.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in keep.items():
            setattr(module, name, value)


def _without(pattern: re.Pattern[str], old: str, new: str, what: str) -> re.Pattern[str]:
    changed = re.sub(old, new, pattern.pattern)
    assert changed != pattern.pattern, f"the round-53 {what} was not found"
    return re.compile(changed, pattern.flags)


def switched_off(change: str) -> AbstractContextManager[None]:
    """Round 53's ``change`` undone while inside."""
    import sessionscope.analysis.extract.actions as actions

    if change == "broken-words":
        return swapped(actions, _EN_STUTTER_PHRASE=actions._EN_STUTTER, _EN_BROKEN=re.compile(r"(?!)"))  # (?!): never
    if change == "wish-frame":
        return swapped(actions, _EN_PERSON_FRAME=_without(actions._EN_PERSON_FRAME,
                                                          r"would \(\?:like\|love\) to\|'d \(\?:like\|love\) to\|", "",
                                                          "wish frame"))
    return swapped(actions, _EN_LEAD=_without(actions._EN_LEAD, r"\|maybe\|perhaps\|because\|'cause\|cause\|but\)", ")",
                                              "lead words"))


def main(argv: list[str] | None = None) -> int:
    return listing(argv, changes=CHANGES, switch=switched_off, script="r53_task_phrases.py", doc=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())

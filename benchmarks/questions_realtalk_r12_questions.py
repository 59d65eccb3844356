"""Bare-text questions on real talk no head was trained on, and AMI against a reader's standard (round 12, "questions").

Usage (from the repository root)::

    nice -n 10 python benchmarks/questions_realtalk_r12_questions.py                    # SBCSAE + Zoom, the choosing half (~1 min)
    nice -n 10 python benchmarks/questions_realtalk_r12_questions.py --half report      # the kept half: run ONCE, at the end
    nice -n 10 python benchmarks/questions_realtalk_r12_questions.py --ami-reader       # AMI held-out train meetings, reader's standard
    nice -n 10 python benchmarks/questions_realtalk_r12_questions.py --ami-reader --split dev   # the lead, once

**Part 1, real talk.** The three SBCSAE conversations (``../shared/data/sbcsae-text-refs/*.stm``: spontaneous
American English, the corpus's own transcription) and the Zoom class meeting
(``../shared/data/zoom-vtt-class-meeting/*.transcript.vtt``: Zoom's own recogniser and punctuation), read with
the project's importers (:func:`sessionscope.io.stm.parse_stm`, :func:`sessionscope.io.cues.parse_vtt`). Neither
was ever used to train or choose anything in the question head.

*Reference = the transcriber's sentence-final "?"*. This is punctuation, not a dialogue-act label. In SBCSAE
the "?" marks the "appeal" intonation contour (Du Bois's conventions), so a wh-question said with falling
intonation ends in "." ("Where was he from.") and counts as a non-question, and a rising tag ("You know?") or a
rhetorical question counts as one. Zoom's "?" is its recogniser's guess. The figure measures agreement with how
the talk was heard, which is a different standard from MRDA ``q*`` / AMI ``el.*``.

*Units.* A sentence is a speaker's run of consecutive lines (STM intonation units, VTT cues) up to a line ending
in ".", "?" or "!" (SBCSAE), also closed when the same speaker's next line starts more than
:data:`GAP_S` seconds later; a VTT cue is split at sentence-final punctuation, and a cue ending without it
continues into the same speaker's next cue. Transcript markup (``~`` pseudonyms, ``#`` unclear words; the
importer already drops ``<LAUGH>``-style tags) is removed. Each sentence becomes one
:class:`~sessionscope.model.Utterance` (time-ordered), as ``dialogue_acts_eval`` makes each act one, and the
whole transcript goes through ``session_questions`` (as transcribed and bare: punctuation and capitals removed
by ``strip_punctuation``); a sentence counts as found when its utterance is a question. A secondary reference,
``*_reader`` (:attr:`Sentence.reader`, added after the choosing half's errors were read, so not a blind standard):
"?" or a complete "."-ended sentence in question form (interrogative word or inversion first, not reported); and the
recall on the "?" sentences by their form (``recall_by_form_of_q_sentences``). *Turns*: a speaker's
consecutive sentences merged into one bare utterance (as a recogniser without punctuation gives a turn); a turn
is a question when one of its sentences ends in "?".

*Halves.* Each transcript is cut at the midpoint of its time span: the first half (``--half choose``) may be
looked at while choosing, the second (``--half report``) is read once, at the end. Systems: ``shipped``
(``session_questions`` with the bundled head) and ``rule`` (the lexical rule, ``find_questions(head=None)``).

**Part 2, AMI against a reader's standard** (``--ami-reader``; defined before any score was computed): an AMI act
is a question when it is ``el.*`` (AMI's elicitations, the corpus standard) **or** its transcription ends in "?"
and opens, after discourse markers and fillers, with an interrogative word or an auxiliary + subject inversion
(:func:`~sessionscope.analysis.questions.question_shape` ``WH`` / ``INV``): a question any reader of the words would
call one, which AMI codes by its function (``sug`` "Could you plug me in?", ``und``, ``off``, ``inf``…).
``reader_any_q`` (secondary, also fixed in advance) adds every "?"-ended act. Both are scored per act, as
transcribed and bare, through ``dialogue_acts_eval.question_meeting`` (held-out train meetings by default;
``--split dev`` is for the lead's final run).

Writes ``benchmarks/results/questions_realtalk_r12_questions_<half>.json`` /
``questions_ami_reader_r12_questions_<split>.json`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, meetings  # noqa: E402
from dialogue_acts_eval import prf  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

DATA = Path(os.environ.get("SESSIONSCOPE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SBCSAE = ("SBC001", "SBC009", "SBC044")
ZOOM = "GMT20240124-202901_Recording.transcript.vtt"
GAP_S = 3.0
_MARKUP = re.compile(r"[~#]")
_FINAL = re.compile(r"[.?!…]['\"”’)]*\s*$")
_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+['\"”’)]*|$)")


@dataclass(frozen=True)
class Sentence:
    source: str
    speaker: str
    start: float
    end: float
    text: str

    @property
    def question(self) -> bool:
        """The reference: the transcriber's sentence-final "?"."""
        return self.text.rstrip().rstrip("'\"”’)").endswith("?")

    @property
    def shape(self) -> str:
        """The sentence's form by its words (:func:`~sessionscope.analysis.questions.question_shape`)."""
        from sessionscope.analysis.questions import question_shape, question_tokens

        return question_shape(question_tokens(self.text))

    @property
    def reader(self) -> bool:
        """Secondary reference (added after the choosing half's errors were read): "?", or a complete sentence ending in
        "." that opens with an interrogative word or inversion and is not a reported or quoted question."""
        from sessionscope.analysis.questions import reported_question

        return self.question or (self.text.rstrip().endswith(".") and self.shape in ("WH", "INV")
                                 and not reported_question(self.text))


def _clean(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def _stm_sentences(source: str, records) -> list[Sentence]:
    out: list[Sentence] = []
    open_: dict[str, list] = {}  # speaker -> [start, end, [texts]]

    def close(spk: str) -> None:
        st, en, parts = open_.pop(spk)
        text = " ".join(parts).strip()
        if any(ch.isalnum() for ch in text):
            out.append(Sentence(source, spk, st, en, text))

    for r in sorted(records, key=lambda r: r.start):
        text = _clean(r.text)
        if not text:
            continue
        if r.label in open_ and r.start - open_[r.label][1] > GAP_S:
            close(r.label)
        buf = open_.setdefault(r.label, [r.start, r.end, []])
        buf[1], buf[2] = max(buf[1], r.end), [*buf[2], text]
        if _FINAL.search(text):
            close(r.label)
    for spk in list(open_):
        close(spk)
    return sorted(out, key=lambda s: s.start)


def _cue_sentences(source: str, records) -> list[Sentence]:
    out: list[Sentence] = []
    carry: Optional[list] = None  # [speaker, start, end, text] of an unended sentence
    for r in sorted(records, key=lambda r: r.start):
        spk = r.label or "unknown"
        pieces = [p.strip() for p in _SENT.findall(_clean(r.text)) if p.strip()]
        if carry is not None and (carry[0] != spk or not pieces):
            out.append(Sentence(source, carry[0], carry[1], carry[2], carry[3]))
            carry = None
        for k, p in enumerate(pieces):
            if carry is not None:  # the previous cue's unended sentence goes on
                p, start = f"{carry[3]} {p}", carry[1]
                carry = None
            else:
                start = r.start
            if k == len(pieces) - 1 and not _FINAL.search(p):
                carry = [spk, start, r.end, p]
            elif any(ch.isalnum() for ch in p):
                out.append(Sentence(source, spk, start, r.end, p))
    if carry is not None:
        out.append(Sentence(source, carry[0], carry[1], carry[2], carry[3]))
    return [s for s in out if any(ch.isalnum() for ch in s.text)]


def transcripts() -> dict[str, list[Sentence]]:
    """Every real-talk transcript as time-ordered sentences (see the module docstring)."""
    from sessionscope.io.cues import parse_vtt
    from sessionscope.io.stm import parse_stm

    out: dict[str, list[Sentence]] = {}
    for name in SBCSAE:
        path = DATA / "sbcsae-text-refs" / f"{name}.stm"
        (rec,) = parse_stm(path.read_text(encoding="utf-8"), path=path)
        out[name] = _stm_sentences(name, rec.records)
    path = DATA / "zoom-vtt-class-meeting" / ZOOM
    out["zoom"] = _cue_sentences("zoom", parse_vtt(path.read_text(encoding="utf-8"), path=path).records)
    return out


def half_of(sents: list[Sentence]) -> list[str]:
    """``choose`` for sentences starting before the transcript's time midpoint, else ``report``."""
    mid = (min(s.start for s in sents) + max(s.end for s in sents)) / 2
    return ["choose" if s.start < mid else "report" for s in sents]


def _session(name: str, units: list[tuple[str, float, float, str]], *, strip: bool):
    from sessionscope.analysis.extract.heads import strip_punctuation
    from sessionscope.model import Participant, Session, Utterance

    utts = tuple(Utterance(id=f"u{k}", speaker=spk, start=st, end=max(en, st),
                           text=strip_punctuation(text) if strip else text)
                 for k, (spk, st, en, text) in enumerate(units))
    return Session(id=name, language="en", utterances=utts,
                   participants=tuple(Participant(id=s, name=s) for s in sorted({u.speaker for u in utts})))


def detect(name: str, units: list[tuple[str, float, float, str]], *, strip: bool, system: str,
           head=None) -> dict[int, dict]:
    """Unit index -> {confidence, tag} of the units found as questions, by ``system`` (``shipped`` / ``rule``).

    ``head``: another :class:`~sessionscope.analysis.questions.QuestionHead` in place of the bundled one (experiments).
    """
    from sessionscope.analysis.questions import find_questions, session_questions
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    sess = _session(name, units, strip=strip)
    if system == "shipped" and head is None:
        events = session_questions(sess, dyn)
    else:
        events = find_questions(sorted(sess.utterances, key=lambda u: u.start), language="en",
                                head=head if system == "shipped" else None,
                                backchannels=dyn.backchannels, backchannel_max_words=dyn.backchannel_max_words,
                                answer_max_utterances=dyn.answer_max_utterances,
                                answer_max_latency_s=dyn.answer_max_latency_s)
    return {int(e.utterance_id[1:]): {"confidence": e.confidence, "tag": e.confirmation_tag} for e in events}


def turns(sents: list[Sentence]) -> list[tuple[list[int], str]]:
    """A speaker's consecutive sentences (time order) merged: (sentence indices, speaker)."""
    out: list[tuple[list[int], str]] = []
    for k, s in enumerate(sents):
        if out and out[-1][1] == s.speaker:
            out[-1][0].append(k)
        else:
            out.append(([k], s.speaker))
    return out


def _count(found, gold: list[bool], keep: list[bool]) -> list[int]:
    """[tp, fp, fn] over the kept units; ``found``: the indices found as questions."""
    c = [0, 0, 0]
    for i, (g, k) in enumerate(zip(gold, keep, strict=True)):
        if k:
            c[0] += i in found and g
            c[1] += i in found and not g
            c[2] += g and i not in found
    return c


def _add(totals: dict, key: str, c: list[int]) -> dict:
    tot = totals.setdefault(key, [0, 0, 0])
    for j in range(3):
        tot[j] += c[j]
    return prf(*c)


def _errors(name: str, sents: list[Sentence], found: dict, keep: list[bool], errors: dict) -> None:
    for i, (s, k) in enumerate(zip(sents, keep, strict=True)):
        if k and (i in found) != s.question:
            errors["missed" if s.question else "false"].append(
                {"file": name, "speaker": s.speaker, "start": round(s.start, 2), "text": s.text,
                 **({"confidence": found[i]["confidence"], "tag": found[i]["tag"]} if i in found else {})})


def realtalk(half: str) -> dict:
    res: dict = {"files": {}}
    totals: dict = {}
    errors: dict = {"missed": [], "false": []}
    shape_recall: dict = {}
    for name, sents in transcripts().items():
        keep = [h == half or half == "all" for h in half_of(sents)]
        units = [(s.speaker, s.start, s.end, s.text) for s in sents]
        ts = turns(sents)
        turn_units = [(spk, sents[ix[0]].start, sents[ix[-1]].end, " ".join(sents[i].text for i in ix)) for ix, spk in ts]
        gold, reader = [s.question for s in sents], [s.reader for s in sents]
        fr: dict = {"sentences": sum(keep), "questions": sum(g for g, k in zip(gold, keep, strict=True) if k),
                    "reader_questions": sum(g for g, k in zip(reader, keep, strict=True) if k),
                    "speakers": len({s.speaker for s in sents})}
        for system in ("shipped", "rule"):
            for strip in (False, True):
                key = f"{system}_{'bare' if strip else 'transcribed'}"
                found = detect(name, units, strip=strip, system=system)
                fr[key] = _add(totals, key, _count(found, gold, keep))
                fr[key + "_reader"] = _add(totals, key + "_reader", _count(found, reader, keep))
                if system == "shipped":
                    if strip:
                        _errors(name, sents, found, keep, errors)
                    for i, s in enumerate(sents):  # recall on the "?" sentences by their form
                        if keep[i] and s.question:
                            r = shape_recall.setdefault(key, {}).setdefault(s.shape, [0, 0])
                            r[0] += 1
                            r[1] += i in found
                if strip:  # bare turns: a turn is a question when one of its sentences ends in "?"
                    tfound = detect(name, turn_units, strip=True, system=system)
                    tgold = [any(gold[i] for i in ix) for ix, _ in ts]
                    fr[f"{system}_bare_turns"] = _add(totals, f"{system}_bare_turns",
                                                      _count(tfound, tgold, [keep[ix[0]] for ix, _ in ts]))
        res["files"][name] = fr
        print(name, json.dumps({k: v["f1"] for k, v in fr.items() if isinstance(v, dict)}), flush=True)
    res["pooled"] = {k: prf(*v) for k, v in totals.items()}
    res["sbcsae"] = {key: prf(*[sum(res["files"][n][key][x] for n in SBCSAE) for x in ("tp", "fp", "fn")])
                     for key in totals}
    res["recall_by_form_of_q_sentences"] = {k: {sh: {"n": n, "found": f, "recall": round(f / n, 3)} for sh, (n, f) in v.items()}
                                            for k, v in shape_recall.items()}
    res["errors_bare_shipped"] = errors
    return res


def reader_gold(act) -> tuple[bool, bool]:
    """(reader's standard, reader_any_q) for an AMI act; see the module docstring (fixed before scoring)."""
    from sessionscope.analysis.questions import question_shape, question_tokens

    q_end = act.text.rstrip().endswith("?")
    interrogative = q_end and question_shape(question_tokens(act.text)) in ("WH", "INV")
    return act.question or interrogative, act.question or q_end


def ami_reader(split: str) -> dict:
    from dialogue_acts_eval import question_meeting
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    by_meeting = meetings("ami", split)
    cnt: dict = {}
    added: dict = {"reader": {}, "reader_any_q": {}}
    for m, acts in by_meeting.items():
        r = question_meeting(m, acts, dyn)
        for a in acts:
            reader, anyq = reader_gold(a)
            for std, g in (("corpus_el", a.question), ("reader", reader), ("reader_any_q", anyq)):
                if g and not a.question and std != "corpus_el":
                    added[std][a.label] = added[std].get(a.label, 0) + 1
                for system in ("shipped", "before"):
                    for key in ("question", "question_stripped"):
                        f = a.id in r[system][key]
                        c = cnt.setdefault((std, system, key), [0, 0, 0])
                        c[0] += f and g
                        c[1] += f and not g
                        c[2] += g and not f
    out: dict = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                 "added_to_el_by_label": {k: dict(sorted(v.items(), key=lambda kv: -kv[1])) for k, v in added.items()}}
    for (std, system, key), c in cnt.items():
        out.setdefault(std, {}).setdefault(system, {})[key] = prf(*c)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", choices=("choose", "report", "all"), default="choose")
    ap.add_argument("--ami-reader", action="store_true", help="part 2: AMI against the reader's standard")
    ap.add_argument("--split", choices=("heldout", "dev"), default="heldout", help="AMI meetings for --ami-reader")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    from sessionscope.analysis.questions import bundled_question_head

    head = bundled_question_head()
    t0 = time.time()
    if args.ami_reader:
        cmd = f"python benchmarks/questions_realtalk_r12_questions.py --ami-reader --split {args.split}"
        out: dict = {"command": cmd, "split": args.split, **ami_reader(args.split)}
        path = args.out or ROOT / "benchmarks" / "results" / f"questions_ami_reader_r12_questions_{args.split}.json"
    else:
        cmd = f"python benchmarks/questions_realtalk_r12_questions.py --half {args.half}"
        out = {"command": cmd, "half": args.half, **realtalk(args.half)}
        path = args.out or ROOT / "benchmarks" / "results" / f"questions_realtalk_r12_questions_{args.half}.json"
    out = {**out, "commit": commit(), "date": dt.date.today().isoformat(),
           "question_head": {k: head.meta.get(k) for k in ("features_version", "commit", "thresholds", "trained")
                             if k in head.meta} if head is not None else None,
           "seconds": round(time.time() - t0)}
    print(json.dumps({k: v for k, v in out.items() if k not in ("files", "errors_bare_shipped")}, indent=1))
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Conversation dynamics: who drives the conversation (definitions in ``docs/metrics.md``).

Pure functions over a :class:`~sessionscope.model.Session` — no models — wrapped in
:class:`DynamicsStage`. Time-based measures need timestamps; on an untimed transcript
they are ``None`` and listed in ``Metrics.unavailable`` while word-based ones are still
computed. With fewer than two speakers the measures that compare speakers (balance, switches,
interruptions, dominance) are ``None`` and listed there too: one voice holds no balance.

Overlap convention: a participant's talk time is the union of their own utterances, so
simultaneous speech counts fully for *each* speaker; shares are normalised by the sum
of talk times, so they always sum to 1. Overlap is reported separately.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar, NamedTuple, Optional

from sessionscope.analysis import intervals as iv
from sessionscope.analysis.questions import session_questions, spoken_backchannel
from sessionscope.config import Config, DynamicsConfig
from sessionscope.io._common import SERIAL_CUE_FORMATS
from sessionscope.model import DominanceWindow, InterruptionEvent, Metrics, Session, Turn, Utterance
from sessionscope.text import spoken_tokens

TIME_MEASURES = (
    "talk_time_s", "talk_share", "mean_turn_s", "median_turn_s", "longest_turn_s", "pauses", "pause_total_s",
    "pause_mean_s", "words_per_minute",
    "overlap_s", "interruptions_made", "interruptions_received", "successful_interruptions_made",
    "response_latency_median_s", "dominated_window_share",
)
SESSION_TIME_MEASURES = (
    "duration_s", "speech_time_s", "silence_share", "overlap_time_s", "overlap_share", "speaker_switches_per_min",
    "pauses", "pause_total_s", "pause_mean_s",
    "balance_score", "talk_time_gini", "talk_time_entropy", "response_latency_median_s", "interruptions",
    "dominance_switches", "dominated_window_share",
)


#: every measure under ``metrics.participants.<id>`` → its unit, as in the tables of ``docs/metrics.md`` (a test keeps
#: them equal): "s", "0–1" (shares and indices), "count", "words" (a number of words), "words (mean)", "words/min",
#: "1/min", "ratio". Counts and numbers of words (:data:`WHOLE_UNITS`) are whole numbers: tables and frames keep them as
#: integers (nullable where unavailable) instead of the floats a column of mixed measures turns them into.
#: The knowledge-flow stage's item counts and the topics stage's initiation share are listed here too.
PARTICIPANT_UNITS: dict[str, str] = {
    "talk_time_s": "s", "talk_share": "0–1", "word_count": "words", "word_share": "0–1", "utterances": "count",
    "turns": "count", "backchannels": "count", "mean_turn_s": "s", "median_turn_s": "s", "longest_turn_s": "s",
    "mean_turn_words": "words (mean)", "longest_turn_words": "words", "pauses": "count", "pause_total_s": "s",
    "pause_mean_s": "s", "words_per_minute": "words/min", "questions_asked": "count", "questions_answered": "count",
    "answers_given": "count", "overlap_s": "s", "interruptions_made": "count", "interruptions_received": "count",
    "successful_interruptions_made": "count", "response_latency_median_s": "s", "dominated_window_share": "0–1",
    "topic_initiation_share": "0–1", "recommendations_given": "count", "recommendations_received": "count",
    "action_items_owned": "count", "problems_raised": "count", "help_requests_made": "count",
}
#: every measure under ``metrics.session`` → its unit (as :data:`PARTICIPANT_UNITS`)
SESSION_UNITS: dict[str, str] = {
    "duration_s": "s", "speech_time_s": "s", "silence_share": "0–1", "overlap_time_s": "s", "overlap_share": "0–1",
    "participants": "count", "speakers_active": "count", "utterances": "count", "turns": "count", "words": "words",
    "speaker_switches": "count", "speaker_switches_per_min": "1/min", "backchannels": "count", "pauses": "count",
    "pause_total_s": "s", "pause_mean_s": "s", "questions": "count", "questions_answered": "count",
    "balance_score": "0–1", "balance_score_words": "0–1", "talk_time_gini": "0–1", "talk_time_entropy": "0–1",
    "word_gini": "0–1", "word_entropy": "0–1", "turn_count_cv": "ratio", "turn_taking_index": "0–1",
    "response_latency_median_s": "s", "interruptions": "count", "dominance_windows": "count",
    "dominated_window_share": "0–1", "dominance_switches": "count", "recommendations": "count",
    "recommendations_to_group": "count", "procedure_suggestions": "count", "help_requests": "count",
    "action_items": "count",
    "in_meeting_moves": "count", "action_items_with_due_date": "count", "problems_raised": "count",
    "problems_solved": "count", "problems_solved_share": "0–1", "questions_unanswered": "count",
    "mutuality_index": "0–1",
}
#: units of whole numbers
WHOLE_UNITS = frozenset({"count", "words"})


def measure_unit(name: str, *, session: bool) -> Optional[str]:
    """The unit of a measure (``None`` for one this version does not know, e.g. from a newer version's file)."""
    return (SESSION_UNITS if session else PARTICIPANT_UNITS).get(name)


def spoken_words(text: str) -> int:
    """Words as docs/metrics.md counts them: tokens with a letter or digit, transcript marks for sounds and gaps
    ("{vocalsound}", "{disfmarker}", "[laughter]", "<LAUGH>") left out, as a lone "-" between words.

    Plain-text and QMSum transcripts keep AMI's marks in the text (only STM's reader removes its tags): counted as
    words they gave TS3003a's junior 146 words instead of 108, a word share of 5.4 % instead of 4.3 %.
    (``text.word_count`` stays as it is for the detectors' features, which were trained with it.)"""
    return len(spoken_tokens(text))


# -- distribution measures ------------------------------------------------------------
def gini(values: Sequence[float]) -> Optional[float]:
    """Gini coefficient (0 = equal; at most 1 − 1/n). ``None`` for all-zero values or fewer than two
    (one speaker is not "equal": a caption file without speaker names gave 0.00 beside an n/a entropy)."""
    vals = [float(v) for v in values]
    n = len(vals)
    if n < 2 or sum(vals) <= 0:
        return None
    mean = sum(vals) / n
    return sum(abs(a - b) for a in vals for b in vals) / (2 * n * n * mean)


def normalized_entropy(values: Sequence[float]) -> Optional[float]:
    """Shannon entropy of the shares divided by log(n): 1 = equal, 0 = one holds all."""
    vals = [float(v) for v in values]
    s = sum(vals)
    if len(vals) < 2 or s <= 0:
        return None
    h = -sum((v / s) * math.log(v / s) for v in vals if v > 0)
    return max(0.0, h / math.log(len(vals)))  # one holding all: 0.0, not -0.0


def coefficient_of_variation(values: Sequence[float]) -> Optional[float]:
    """Population standard deviation divided by the mean."""
    vals = [float(v) for v in values]
    if not vals or sum(vals) == 0:
        return None
    mean = sum(vals) / len(vals)
    return statistics.pstdev(vals) / mean


# -- turns ---------------------------------------------------------------------------
#: the utterance flag a reader sets when it removed non-speech marks from the text (io/stm.py: ``<LAUGH>``)
NONSPEECH_FLAG = "nonspeech"


def backchannel(u: Utterance, cfg: DynamicsConfig) -> bool:
    """Whether an utterance is a backchannel: by its words, or — for speech without text
    (RTTM input) — by being no longer than ``backchannel_max_s_without_text``.

    An utterance of transcript marks alone ("{vocalsound}", "[laughter]", "{gap}", a lone ".")
    holds no words: a listener's laugh does not take the floor, however long. That includes a line
    whose marks the reader removed (STM's ``<LAUGH>``: empty text, flag ``nonspeech``): it was
    transcribed as no speech, not left untranscribed, so the length rule for speech without text
    (RTTM, diarization alone) does not apply to it."""
    if u.text.strip():
        # the words as docs/metrics.md counts them: a lone "-" is none ("Mm - hmm ." of QMSum / AMI text is "mm-hmm";
        # read as three tokens it took the floor: QMSum Bed003 had 747 turns instead of 613, round 24)
        if not spoken_words(u.text):
            return True
        return spoken_backchannel(u.text, cfg.backchannels, max_words=cfg.backchannel_max_words)
    if NONSPEECH_FLAG in u.flags:
        return True
    return u.duration is not None and u.duration <= cfg.backchannel_max_s_without_text


def contained(utterances: Sequence[Utterance]) -> set[str]:
    """Ids of the timed utterances lying wholly inside another speaker's utterance (one that starts no later and ends
    no earlier), however far back that utterance started.

    Until round 24 only the five utterances on either side were looked at: a listener's "mm" under a 36 s monologue
    that had started six utterances earlier took the floor (AMI ES2014b, RTTM)."""
    spans = sorted((u.start, u.end, u.speaker, u.id) for u in utterances if u.start is not None and u.end is not None)
    latest: dict[str, float] = {}  # each speaker's latest end among the utterances started so far
    out: set[str] = set()
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and spans[j][0] == spans[i][0]:
            j += 1
        group = spans[i:j]  # equal starts: each may lie inside the other
        for _, end, spk, _ in group:
            latest[spk] = max(latest.get(spk, end), end)
        out.update(uid for _, end, spk, uid in group if any(e >= end for who, e in latest.items() if who != spk))
        i = j
    return out


def floor_backchannels(utterances: Sequence[Utterance], cfg: DynamicsConfig) -> set[str]:
    """Ids of the backchannels that do not take the floor.

    Convention (Yngve 1970's "back channel"; Schegloff 1982's continuers; Heldner & Edlund
    2010 on pauses vs gaps): a listener's "mm-hmm", "yeah", "right" — or, without text, a
    short burst of speech — said while another speaker holds the floor does not take it.
    A backchannel by speaker S is *not* a turn when it lies wholly inside another speaker's
    utterance, or when the next utterance that is not a backchannel belongs to someone else
    (typically the floor holder going on after a pause). When S's next substantive
    utterance follows ("yeah, so what I did was…"), the backchannel opens S's turn.
    The first utterance of a session always opens a turn.
    """
    out: set[str] = set()
    n = len(utterances)
    timed = all(u.timed for u in utterances)
    is_bc = [backchannel(u, cfg) for u in utterances]
    inside = contained(utterances) if timed else set()
    holder: Optional[str] = None
    for i, u in enumerate(utterances):
        if not is_bc[i] or holder is None or u.speaker == holder:
            holder = u.speaker
            continue
        # u is a backchannel by someone other than the floor holder
        if u.id in inside:
            out.add(u.id)
            continue
        nxt = next((utterances[j] for j in range(i + 1, n) if not is_bc[j]), None)
        if nxt is not None and nxt.speaker == u.speaker:
            holder = u.speaker  # "yeah, so…": the backchannel opens the speaker's turn
        else:
            out.add(u.id)
    return out


def build_turns(utterances: Sequence[Utterance], cfg: DynamicsConfig) -> list[Turn]:
    """Turns as changes of floor: a turn lasts until another speaker takes the floor.

    A speaker's pauses never start a new turn, however long (they are reported apart, see
    :func:`pauses`); backchannels that do not take the floor (:func:`floor_backchannels`)
    neither form a turn nor end the holder's. Utterances are taken in the order given
    (``compute_metrics`` sorts timed ones by start).
    """
    turns: list[Turn] = []
    cur: list[Utterance] = []
    timed = all(u.timed for u in utterances)
    skip = floor_backchannels(utterances, cfg)

    def flush() -> None:
        if cur:
            starts = [u.start for u in cur if u.start is not None]
            ends = [u.end for u in cur if u.end is not None]
            turns.append(
                Turn(
                    index=len(turns),
                    speaker=cur[0].speaker,
                    utterance_ids=tuple(u.id for u in cur),
                    start=min(starts) if timed and starts else None,
                    end=max(ends) if timed and ends else None,
                    words=sum(spoken_words(u.text) for u in cur),
                )
            )

    for u in utterances:
        if u.id in skip:
            continue
        if cur and u.speaker == cur[-1].speaker:
            cur.append(u)
            continue
        flush()
        cur = [u]
    flush()
    return turns


def pauses(turns: Sequence[Turn], utterances: Sequence[Utterance], cfg: DynamicsConfig) -> dict[str, list[float]]:
    """Each speaker's pauses: silences of at least ``turn_merge_gap_s`` inside their own turns.

    The silence between two consecutive utterances of one turn, measured from the latest
    end so far (a self-overlap is no pause). Between-speaker silences are gaps and show up as
    response latencies instead (Heldner & Edlund 2010).
    """
    by_id = {u.id: u for u in utterances}
    out: dict[str, list[float]] = {}
    for t in turns:
        end: Optional[float] = None
        for uid in t.utterance_ids:
            u = by_id[uid]
            if u.start is None or u.end is None:
                continue
            if end is not None and u.start - end >= cfg.turn_merge_gap_s and u.start > end:
                out.setdefault(t.speaker, []).append(u.start - end)
            end = u.end if end is None else max(end, u.end)
    return out


# -- interruptions --------------------------------------------------------------------
class Interruption(NamedTuple):
    """B (``interrupter``'s utterance ``utterance_id``) interrupting A (``interrupted``'s ``interrupted_id``);
    ``successful``: A ends before B does (the interrupted speaker yields); ``probability``: the cut-off model's, or
    ``None`` by the overlap rule."""

    interrupter: str
    interrupted: str
    successful: bool
    utterance_id: str
    interrupted_id: str
    probability: Optional[float]


def interruptions(utterances: Sequence[Utterance], cfg: DynamicsConfig,
                  language: Optional[str] = None, *, serial: Optional[bool] = None) -> list[Interruption]:
    """The interruptions of a session, by ``cfg.interruptions`` (docs/metrics.md, *Interruptions*).

    ``"cutoff"`` (default, round 50): each floor change (B, not a backchannel, starts while A, another speaker's
    utterance that is no backchannel either, runs, or up to ``interruption_max_gap_s`` after it ended) is an
    interruption when the bundled cut-off model (:mod:`sessionscope.analysis.cutoffs`, learned on MRDA's cut-off
    marks; the English one for English sessions, the timing one otherwise; a session without a language is read as
    its report will be, Cyrillic or Latin text) gives it at least
    ``interruption_min_probability`` (default: the model's threshold); an utterance is cut off once (the likeliest of
    its floor changes counts). A pair in which either utterance has no words keeps the overlap rule (as that rule
    counts it). Outside English an utterance that ends with "?" is never cut off (round 51). In a transcript whose
    utterances never overlap (a Zoom or Teams caption file: ``serial``, by default
    when no two speakers overlap; a recording's are never serial) the model's serial threshold applies (round 51:
    :func:`~sessionscope.analysis.cutoffs.threshold_for`). ``"overlap"`` (until round 49): B starts strictly inside A,
    the two overlap for at least ``interruption_min_overlap_s``, and B is not a backchannel."""
    timed = [u for u in utterances if u.timed]
    floor = [not backchannel(u, cfg) for u in timed]
    if cfg.interruptions == "overlap":
        return _overlap_interruptions(timed, floor, cfg)
    from sessionscope.analysis.cutoffs import (
        TIMING_QUESTION_GUARD,
        bundled_cutoff_models,
        cutoff_features,
        ends_asked,
        feature_words,
        floor_changes,
        model_for,
        threshold_for,
        utterances_language,
    )

    model = model_for(utterances_language(utterances, language), bundled_cutoff_models())
    thr = threshold_for(model, timed, serial) if cfg.interruption_min_probability is None \
        else cfg.interruption_min_probability
    out: list[Interruption] = []
    for fc in floor_changes(timed, floor, cfg.interruption_max_gap_s):
        a, b = fc.a, fc.b
        wa, wb = feature_words(a.text), feature_words(b.text)
        if not wa or not wb:  # speech without words: what can be read is the overlap
            if a.end > b.start and min(a.end, b.end) - b.start >= cfg.interruption_min_overlap_s:  # type: ignore[operator,type-var]
                out.append(Interruption(b.speaker, a.speaker, a.end < b.end, b.id, a.id, None))  # type: ignore[operator]
            continue
        if not model.lexical and TIMING_QUESTION_GUARD and ends_asked(a.text):
            continue  # the timing model reads no words: a question asked to its "?" was finished (round 51)
        p = model.probability(cutoff_features(a, b, a_next_start=fc.a_next_start, lexical=model.lexical,
                                              a_words=wa, b_words=wb))
        if p >= thr:
            out.append(Interruption(b.speaker, a.speaker, a.end < b.end, b.id, a.id, p))  # type: ignore[operator]
    # an utterance is cut off once: of several floor changes after it ("like" — "I know." — "That's what I'm talking
    # about."), the likeliest counts (ties: the first)
    best: dict[str, Interruption] = {}
    for i in out:
        if i.probability is not None and (i.interrupted_id not in best
                                          or i.probability > best[i.interrupted_id].probability):  # type: ignore[operator]
            best[i.interrupted_id] = i
    return [i for i in out if i.probability is None or best[i.interrupted_id] is i]


def _overlap_interruptions(timed: Sequence[Utterance], floor: Sequence[bool], cfg: DynamicsConfig) -> list[Interruption]:
    order = sorted(range(len(timed)), key=lambda i: timed[i].start)  # type: ignore[arg-type,return-value]
    out: list[Interruption] = []
    running: list[Utterance] = []  # the utterances started so far that still run (before round 24: the last 20 started)
    for i in order:
        b = timed[i]
        running = [a for a in running if a.end > b.start]  # type: ignore[operator]
        running.append(b)
        if not floor[i]:
            continue
        best: Optional[Utterance] = None
        for a in running:
            if a.speaker == b.speaker or not (a.start < b.start < a.end):  # type: ignore[operator]
                continue
            if min(a.end, b.end) - b.start < cfg.interruption_min_overlap_s:  # type: ignore[operator,type-var]
                continue
            if best is None or a.end > best.end:  # type: ignore[operator]
                best = a
        if best is not None:
            out.append(Interruption(b.speaker, best.speaker, best.end < b.end, b.id, best.id, None))  # type: ignore[operator]
    return out


def find_interruptions(utterances: Sequence[Utterance], cfg: DynamicsConfig, language: Optional[str] = None, *,
                       serial: Optional[bool] = None) -> list[tuple[str, str, bool, str]]:
    """Interruptions as (interrupter, interrupted, successful, utterance id of the interrupter's utterance); see
    :func:`interruptions`."""
    return [(i.interrupter, i.interrupted, i.successful, i.utterance_id)
            for i in interruptions(utterances, cfg, language, serial=serial)]


# -- windowed dominance ---------------------------------------------------------------
def dominance_windows(
    per_speaker: dict[str, list[iv.Interval]], duration: float, cfg: DynamicsConfig
) -> list[DominanceWindow]:
    """Sliding windows with each speaker's share of the speech in them (ConvoKit-style)."""
    windows: list[DominanceWindow] = []
    length = min(cfg.dominance_window_s, duration) if duration > 0 else 0.0
    if length <= 0:
        return windows
    # each speaker's union (sorted, disjoint; iv.total takes the union anyway) is clipped by binary search
    merged = {spk: iv.merge(ivs) for spk, ivs in per_speaker.items()}
    ends = {spk: [e for _, e in ivs] for spk, ivs in merged.items()}
    start = 0.0
    while True:
        end = start + length
        talk = {spk: iv.total(iv.clip_sorted(ivs, start, end, ends[spk])) for spk, ivs in merged.items()}
        tot = sum(talk.values())
        if tot >= min(cfg.dominance_min_speech_s, 0.5 * length):
            shares = {spk: t / tot for spk, t in talk.items()}
            dom = max(shares, key=lambda k: shares[k])
            windows.append(
                DominanceWindow(start=start, end=end, shares=shares, dominant=dom if shares[dom] > cfg.dominance_threshold else None)
            )
        if end >= duration:
            break
        start += cfg.dominance_step_s
    return windows


# -- the whole measure set ------------------------------------------------------------
def compute_metrics(session: Session, cfg: DynamicsConfig) -> Metrics:
    """All dynamics measures of a session (see ``docs/metrics.md`` for each definition)."""
    utts = sorted(session.utterances, key=lambda u: (u.start if u.start is not None else 0.0))
    if not all(u.timed for u in session.utterances):
        utts = list(session.utterances)  # untimed: keep transcript order
    timed = bool(utts) and all(u.timed for u in utts)
    pids = [p.id for p in session.participants]
    for u in utts:
        if u.speaker not in pids:
            pids.append(u.speaker)

    turns = build_turns(utts, cfg)
    in_turns = {uid for t in turns for uid in t.utterance_ids}
    listener_bc = Counter(u.speaker for u in utts if u.id not in in_turns)
    questions = session_questions(session, cfg)
    words = {p: 0 for p in pids}
    n_utts = Counter(u.speaker for u in utts)
    for u in utts:
        words[u.speaker] += spoken_words(u.text)
    total_words = sum(words.values())
    turn_counts = Counter(t.speaker for t in turns)
    switches = sum(1 for a, b in zip(turns, turns[1:], strict=False) if a.speaker != b.speaker)
    asked = Counter(q.asker for q in questions)
    answered = Counter(q.asker for q in questions if q.answered)
    answerer: Counter[str] = Counter()
    by_id = {u.id: u for u in utts}
    for q in questions:
        if q.answer_utterance_id:
            answerer[by_id[q.answer_utterance_id].speaker] += 1

    part: dict[str, dict[str, float | int | None]] = {}
    for p in pids:
        p_turns = [t for t in turns if t.speaker == p]
        turn_words = [t.words for t in p_turns]
        part[p] = {
            "word_count": words[p],
            "word_share": words[p] / total_words if total_words else None,
            "utterances": n_utts.get(p, 0),
            "turns": turn_counts.get(p, 0),
            "mean_turn_words": statistics.fmean(turn_words) if turn_words else None,
            "longest_turn_words": max(turn_words) if turn_words else None,
            "backchannels": listener_bc.get(p, 0),
            "questions_asked": asked.get(p, 0),
            "questions_answered": answered.get(p, 0),
            "answers_given": answerer.get(p, 0),
        }

    sess: dict[str, float | int | None] = {
        "participants": len(pids),
        "speakers_active": sum(1 for p in pids if words[p] > 0 or n_utts.get(p, 0) > 0),
        "utterances": len(utts),
        "turns": len(turns),
        "words": total_words,
        "speaker_switches": switches,
        "backchannels": sum(listener_bc.values()),
        "questions": len(questions),
        "questions_answered": sum(1 for q in questions if q.answered),
        "word_gini": gini([words[p] for p in pids]),
        "word_entropy": normalized_entropy([words[p] for p in pids]),
        "turn_count_cv": coefficient_of_variation([turn_counts.get(p, 0) for p in pids]),
        "turn_taking_index": _equality([turn_counts.get(p, 0) for p in pids]),
    }
    windows: list[DominanceWindow] = []
    matrix: dict[str, dict[str, int]] = {}
    events: tuple[InterruptionEvent, ...] = ()
    if timed:
        per_speaker = {p: iv.merge((u.start, u.end) for u in utts if u.speaker == p) for p in pids}  # type: ignore[misc]
        talk = {p: iv.total(per_speaker[p]) for p in pids}
        total_talk = sum(talk.values())
        segs = iv.coverage_counts(per_speaker)
        overlap_by = {p: sum(e - s for s, e, act in segs if p in act and len(act) > 1) for p in pids}
        overlap_total = sum(e - s for s, e, act in segs if len(act) > 1)
        speech_total = sum(e - s for s, e, _ in segs)
        duration = session.duration_s if session.duration_s is not None else max(u.end for u in utts)  # type: ignore[type-var]
        duration = max(duration, max(u.end for u in utts))  # type: ignore[type-var]
        from sessionscope.analysis.cutoffs import utterances_language

        # the language the report will speak (guessed from the text when the session has none yet)
        # a recording's speaker times can show overlap: never read as a caption file's (round 51)
        recorded = session.quality is not None and session.quality.asr_model is not None
        found = interruptions(utts, cfg, utterances_language(session.utterances, session.language),
                              serial=False if recorded else None)
        inter = [(i.interrupter, i.interrupted, i.successful, i.utterance_id) for i in found]
        start_of = {u.id: u.start for u in utts}
        events = tuple(sorted((InterruptionEvent(
            i.interrupter, i.interrupted, i.utterance_id, i.interrupted_id, start_of.get(i.utterance_id), i.successful,
            None if i.probability is None else round(float(i.probability), 4)) for i in found),
            key=lambda e: (e.start if e.start is not None else 0.0, e.utterance_id)))
        for who, whom, _ok, _uid in inter:
            matrix.setdefault(who, {}).setdefault(whom, 0)
            matrix[who][whom] += 1
        latencies: dict[str, list[float]] = {p: [] for p in pids}
        for a, b in zip(turns, turns[1:], strict=False):
            if a.speaker != b.speaker and a.end is not None and b.start is not None:
                latencies[b.speaker].append(b.start - a.end)
        windows = dominance_windows(per_speaker, duration, cfg)  # type: ignore[arg-type]  # timed: every utterance has an end
        dominated = [w.dominant for w in windows if w.dominant]
        dom_switches = sum(1 for a, b in zip(dominated, dominated[1:], strict=False) if a != b)
        minutes = duration / 60 if duration else 0
        shares = {p: (talk[p] / total_talk if total_talk else None) for p in pids}
        paused = pauses(turns, utts, cfg)
        for p in pids:
            p_turns = [t for t in turns if t.speaker == p and t.start is not None and t.end is not None]
            durs = [t.end - t.start for t in p_turns]  # type: ignore[operator]
            part[p].update(
                talk_time_s=talk[p],
                talk_share=shares[p],
                mean_turn_s=statistics.fmean(durs) if durs else None,
                median_turn_s=statistics.median(durs) if durs else None,
                longest_turn_s=max(durs) if durs else None,
                pauses=len(paused.get(p, [])),
                pause_total_s=sum(paused.get(p, [])),
                pause_mean_s=statistics.fmean(paused[p]) if paused.get(p) else None,
                words_per_minute=words[p] / (talk[p] / 60) if talk[p] > 0 else None,
                overlap_s=overlap_by[p],
                interruptions_made=sum(1 for w, _, _, _ in inter if w == p),
                interruptions_received=sum(1 for _, v, _, _ in inter if v == p),
                successful_interruptions_made=sum(1 for w, _, ok, _ in inter if w == p and ok),
                response_latency_median_s=statistics.median(latencies[p]) if latencies[p] else None,
                dominated_window_share=(sum(1 for w in windows if w.dominant == p) / len(windows)) if windows else None,
            )
        all_lat = [x for v in latencies.values() for x in v]
        talk_vals = [talk[p] for p in pids]
        sess.update(
            duration_s=duration,
            speech_time_s=speech_total,
            silence_share=max(0.0, 1 - speech_total / duration) if duration else None,
            overlap_time_s=overlap_total,
            overlap_share=overlap_total / speech_total if speech_total else None,
            speaker_switches_per_min=switches / minutes if minutes else None,
            pauses=sum(len(v) for v in paused.values()),
            pause_total_s=sum(x for v in paused.values() for x in v),
            pause_mean_s=statistics.fmean([x for v in paused.values() for x in v]) if any(paused.values()) else None,
            balance_score=max(shares.values()) if total_talk else None,  # type: ignore[type-var]
            talk_time_gini=gini(talk_vals),
            talk_time_entropy=normalized_entropy(talk_vals),
            response_latency_median_s=statistics.median(all_lat) if all_lat else None,
            interruptions=len(inter),
            dominance_windows=len(windows),
            dominated_window_share=(len(dominated) / len(windows)) if windows else None,
            dominance_switches=dom_switches,
        )
        unavailable: tuple[str, ...] = _overlap_unseen(session, sess, part, cfg)
    else:
        for p in pids:
            part[p].update({k: None for k in TIME_MEASURES})
        sess.update({k: None for k in SESSION_TIME_MEASURES})
        # word-based stand-ins so that balance is still visible without timestamps
        wshares = [words[p] / total_words for p in pids] if total_words else []
        sess["balance_score_words"] = max(wshares) if wshares else None
        unavailable = TIME_MEASURES + tuple(f"session.{k}" for k in SESSION_TIME_MEASURES)
    if timed:
        wshares = [words[p] / total_words for p in pids] if total_words else []
        sess["balance_score_words"] = max(wshares) if wshares else None
    unavailable = _without_text(session, utts, sess, part, unavailable)
    unavailable = _one_speaker(pids, sess, part, unavailable)
    return Metrics(
        participants=part, session=sess, turns=tuple(turns), dominance_windows=tuple(windows),
        interruption_matrix=matrix, unavailable=unavailable,
        interruption_events=() if "session.interruptions" in unavailable else events,
    )


#: measures that compare speakers: with one speaker they hold no finding ("balance 100 %", "0 interruptions",
#: "0.0 speaker switches per minute" of a caption file that names nobody), so they are ``None``, like the Gini
ONE_SPEAKER_NONE = ("balance_score", "balance_score_words", "speaker_switches_per_min", "interruptions",
                    "dominated_window_share", "dominance_switches", "response_latency_median_s",
                    # distribution measures need two or more speakers (None by themselves; round 23: listed too)
                    "talk_time_gini", "talk_time_entropy", "word_gini", "word_entropy", "turn_taking_index")
ONE_SPEAKER_NONE_PARTICIPANT = ("interruptions_made", "interruptions_received", "successful_interruptions_made",
                                "dominated_window_share", "response_latency_median_s")


#: a cue file (io._common.SERIAL_CUE_FORMATS) in which no two speakers overlap cannot show anyone talking over another
#: (Zoom's transcript of a 5-person meeting: 0 overlaps): the overlap rule would count "0 interruptions" there
INTERRUPTION_MEASURES = ("interruptions_made", "interruptions_received", "successful_interruptions_made")


def _overlap_unseen(session: Session, sess: dict[str, float | int | None],
                    part: dict[str, dict[str, float | int | None]], cfg: DynamicsConfig) -> tuple[str, ...]:
    """With the overlap rule (``dynamics.interruptions: overlap``), blank the interruption counts of a cue file
    without a single overlap (``None``, not 0: the rule cannot see one there) and return their names for
    ``Metrics.unavailable``; ``()`` otherwise. The cut-off model (the default) reads the words and pauses of such a
    file with its serial threshold (round 51, :func:`~sessionscope.analysis.cutoffs.threshold_for`): counted."""
    if cfg.interruptions != "overlap" or (session.extra or {}).get("input_format") not in SERIAL_CUE_FORMATS \
            or sess.get("overlap_time_s"):
        return ()
    sess["interruptions"] = None
    for row in part.values():
        row.update(dict.fromkeys(INTERRUPTION_MEASURES))
    return (*INTERRUPTION_MEASURES, "session.interruptions")


#: measures counted in words, or found in them (questions): unknown, not zero, for speech without any text
NO_TEXT_NONE_PARTICIPANT = ("word_count", "word_share", "mean_turn_words", "longest_turn_words", "words_per_minute",
                            "questions_asked", "questions_answered", "answers_given")
NO_TEXT_NONE = ("words", "questions", "questions_answered", "balance_score_words", "word_gini", "word_entropy")


def _without_text(session: Session, utts: Sequence[Utterance], sess: dict[str, float | int | None],
                  part: dict[str, dict[str, float | int | None]], unavailable: tuple[str, ...]) -> tuple[str, ...]:
    """Blank the word-based measures of speech without any text that was never transcribed (an RTTM: speaker turns
    alone) and return ``unavailable`` with them added; otherwise change nothing.

    Before round 24 such a session wrote 0 words, 0.0 words per minute and 0 questions beside a null word share, and
    the report's "n/a" stood beside the tables' zeros. A recording the recogniser transcribed into nothing keeps its
    zeros: there, no recognised word is a measurement (the report's note on speech without words reads it)."""
    transcribed = session.quality is not None and bool(session.quality.asr_model)
    if not utts or transcribed or any(u.text.strip() for u in utts):
        return unavailable
    for k in NO_TEXT_NONE:
        sess[k] = None
    for row in part.values():
        row.update(dict.fromkeys(NO_TEXT_NONE_PARTICIPANT))
    names = (*NO_TEXT_NONE_PARTICIPANT, *(f"session.{k}" for k in NO_TEXT_NONE))
    return unavailable + tuple(k for k in names if k not in unavailable)


def _one_speaker(pids: Sequence[str], sess: dict[str, float | int | None],
                 part: dict[str, dict[str, float | int | None]], unavailable: tuple[str, ...]) -> tuple[str, ...]:
    """With fewer than two speakers, blank the between-speaker measures (:data:`ONE_SPEAKER_NONE`) and return
    ``unavailable`` with them added; otherwise change nothing."""
    if len(pids) >= 2:
        return unavailable
    for k in ONE_SPEAKER_NONE:
        if k in sess:
            sess[k] = None
    for row in part.values():
        for k in ONE_SPEAKER_NONE_PARTICIPANT:
            if k in row:
                row[k] = None
    names = (*ONE_SPEAKER_NONE_PARTICIPANT, *(f"session.{k}" for k in ONE_SPEAKER_NONE))
    return unavailable + tuple(k for k in names if k not in unavailable)


def _equality(counts: Sequence[float]) -> Optional[float]:
    """1 − normalised Gini of turn counts: 1 = everyone takes the floor as often, 0 = one takes all.

    Turns are floor changes (:func:`build_turns`), so a speaker who pauses a lot does not
    gain turns by it.
    """
    n = len(counts)
    g = gini(counts)
    if g is None or n < 2:
        return None
    return 1 - g * n / (n - 1)


class DynamicsStage:
    """Pipeline stage: fills ``session.metrics`` with the conversation dynamics."""

    name: ClassVar[str] = "dynamics"
    requires: ClassVar[tuple[str, ...]] = ("utterances",)
    assigns: ClassVar[tuple[str, ...]] = ("metrics",)

    def __init__(self, cfg: DynamicsConfig | None = None) -> None:
        self.cfg = cfg or DynamicsConfig()

    @classmethod
    def from_config(cls, config: Config) -> DynamicsStage:
        return cls(config.dynamics)

    def __call__(self, session: Session, *, hook=None) -> Session:  # noqa: ANN001
        metrics = compute_metrics(session, self.cfg)
        if session.metrics is not None:  # keep measures other stages added (e.g. topic initiation)
            kept: set[str] = set()
            for pid, extra in session.metrics.participants.items():
                for k, v in extra.items():
                    if k not in metrics.participants.setdefault(pid, {}):
                        kept.add(k)
                    metrics.participants[pid].setdefault(k, v)
            for k, v in session.metrics.session.items():
                if k not in metrics.session:
                    kept.add(f"session.{k}")
                metrics.session.setdefault(k, v)
            # and their nulls' listing (a topic initiation share from too few shifts)
            carried = tuple(u for u in session.metrics.unavailable
                            if u in kept and u not in metrics.unavailable)
            if carried:
                metrics = replace(metrics, unavailable=metrics.unavailable + carried)
        return session.evolve(metrics=metrics)

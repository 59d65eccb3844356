"""Pieces shared by the batch commands (``analyze``, ``run``): progress, the result table,
exit codes. Only CLI code prints."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import click

from sessionscope.batch import ITEM_FAILURE, BatchReport


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


@contextlib.contextmanager
def progress_hook(total: int, *, enabled: bool = True, label: str = "sessions") -> Iterator[Any]:
    """A rich progress display driven by the library's ``hook(step, completed=, total=)``.

    One bar for the batch and one for the current file's steps (the audio pipeline
    reports ``completed``/``total`` for long steps such as transcription).
    """
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console(stderr=True), transient=False,
    ) as progress:
        overall = progress.add_task(label, total=total)
        current = progress.add_task("", total=None, visible=False)

        def hook(step: str, *args: Any, completed: Optional[float] = None, total: Optional[float] = None,
                 item: Any = None, **kwargs: Any) -> None:
            if step == "session":
                progress.update(overall, completed=completed or 0)
                if "running" in kwargs:  # an engine with several workers: whole-batch counts and ETA
                    eta = kwargs.get("eta_s")
                    left = "" if eta is None else f", ETA {int(eta) // 60}:{int(eta) % 60:02d}"
                    progress.update(overall, description=f"{label} ({kwargs['running']} running, "
                                                         f"{kwargs.get('failed', 0)} failed{left})")
                    return
                if item is not None:
                    progress.update(current, description=f"  {item.path.name}", completed=0, total=None, visible=True)
                else:
                    progress.update(current, visible=False)
                return
            progress.update(current, description=f"  {step}", visible=True)
            if total:
                progress.update(current, completed=completed or 0, total=total)

        yield hook


#: the start of the data-quality note of a recording decoded only in part (``sessionscope.audio.pipeline.decode_step``)
TRUNCATED_NOTE = "the file looks truncated or damaged"


def _other_language(session: Any) -> str:
    """What says a session is in another language than the configured ones ("3 % common English words", "spoken
    language detected as 'de' (0.95)"), from its data-quality notes, or ""."""
    for n in session.quality.notes if session.quality else ():
        if m := re.match(r"the text does not read as English: (\d+) % of its \d+ words", n):
            return f"{m.group(1)} % common English words"
        if m := re.match(r"most probable language overall was '(\w+)' \(([\d.]+)\)", n):
            return f"spoken language detected as '{m.group(1)}' ({m.group(2)})"
    return ""


def _truncated(session: Any) -> str:
    """What was decoded of a recording decoded only in part ("decoded 15.0 s of 30.0 s announced"), or "" for a
    whole one: ``extra.audio.truncated`` / ``expected_s`` (round 23), else the data-quality note that says so
    (sessions written before)."""
    audio = (session.extra or {}).get("audio") or {}
    if audio.get("truncated") is False:
        return ""
    for n in session.quality.notes if session.quality else ():
        if n.startswith(TRUNCATED_NOTE):
            return n.split(": ", 1)[-1]
    if audio.get("truncated"):
        expected = audio.get("expected_s")
        return f"decoded {audio.get('duration_s', 0):.1f} s" + (f" of {expected:.1f} s announced" if expected else "")
    return ""


class _HoldItemFailures(logging.Filter):
    """Holds back the batch's per-input failure records (:data:`sessionscope.batch.ITEM_FAILURE`): the closing
    list of :func:`print_report` gives each reason, and the console showed every one twice."""

    def __init__(self) -> None:
        super().__init__()
        self.held: dict[int, logging.LogRecord] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if all(getattr(record, k, None) == v for k, v in ITEM_FAILURE.items()):
            self.held[id(record)] = record
            return False
        return True


class Interrupted(click.ClickException):
    """A batch stopped by Ctrl-C or a stop signal: what was kept, how to resume; exit code 128 + the signal."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[list[int]]:
    """SIGTERM (a scheduler, ``kill``, a container stop) and SIGINT stop the batch the way Ctrl-C does: this
    process's worker processes are ended at once (their unfinished inputs are redone by a rerun; every output is
    written by a rename and a dead worker's session lock is stale), then ``KeyboardInterrupt`` is raised here.
    Without it SIGTERM ended this process alone and its workers went on writing sessions that ``batch.json``
    never listed. Yields the signals received. Only in the main thread (elsewhere: no change)."""
    import multiprocessing
    import os
    import signal
    import threading

    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return

    # started in the background (`sessionscope run … &`, `nohup`): SIGINT is ignored here and in every worker, which
    # inherits the ignore, so a worker is ended with SIGTERM (round 55: it went on writing unlisted sessions)
    int_ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN

    def stop(signum: int, frame: Any) -> None:
        got.append(signum)
        for child in multiprocessing.active_children():
            if len(got) == 1 and child.pid is not None and not int_ignored:  # as Ctrl-C: each worker drops its input
                os.kill(child.pid, signal.SIGINT)
            else:  # a second signal while they wind down, or workers that ignore SIGINT: at once
                child.terminate()
        raise KeyboardInterrupt

    # a signal this process was started to ignore (SIGINT of a background job, `nohup`) stays ignored
    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)
           if signal.getsignal(sig) is not signal.SIG_IGN}
    try:
        yield got
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def interrupted_message(report: BatchReport, signum: int) -> str:
    """What an interrupted batch kept and how to go on, for the console."""
    import signal

    done = sum(1 for r in report.results if r.status in ("ok", "partial", "resumed"))
    total = int(report.extra.get("total", len(report.results)))
    return (f"interrupted ({signal.Signals(signum).name}): {done} of {total} session{'s' * (total != 1)} "
            f"finished and kept in {report.out_dir} ({report.out_dir}/batch.json); run the same command again "
            "to resume the rest")


def run_with(engine: Any, items: Any, spec: Any, out_dir: Path, *, hook: Any) -> BatchReport:
    """``run_batch`` on ``engine`` (None: this process); an engine that cannot go on is a clean error.

    The inputs that fail are listed once, by :func:`print_report` after the table; when the batch itself
    stops before that list (an engine error, Ctrl-C), the failures held back are logged then."""
    from sessionscope.batch import BatchInterrupted, run_batch
    from sessionscope.engines import EngineError

    hold = _HoldItemFailures()
    handlers = list(logging.getLogger().handlers)
    for h in handlers:
        h.addFilter(hold)
    finished = False
    try:
        stop: Optional[Interrupted] = None
        with stop_on_signals() as got:
            try:
                report = run_batch(items, spec, out_dir, hook=hook, engine=engine)
            except KeyboardInterrupt as e:
                import signal

                signum = got[0] if got else signal.SIGINT
                message = (interrupted_message(e.report, signum) if isinstance(e, BatchInterrupted) else
                           f"interrupted ({signal.Signals(signum).name}) before any session was finished; run the "
                           "same command again to start")
                stop = Interrupted(message, signum)
        if stop is not None:  # raised out here: the interrupt's traceback (and the worker pool it holds) is freed
            raise stop
        finished = True
        return report
    except EngineError as e:
        raise click.ClickException(f"{e} (finished sessions are kept; rerun to resume)") from e
    except OSError as e:  # the output folder itself cannot be made (full disk, permissions): no traceback
        raise click.ClickException(f"cannot write to {out_dir}: {e.strerror or e}") from e
    finally:
        for h in handlers:
            h.removeFilter(hold)
        if not finished:
            for record in hold.held.values():
                logging.getLogger(record.name).handle(record)
        if engine is not None:
            engine.close()


_STATUS_LABEL = {"ok": "[green]ok[/green]", "resumed": "[cyan]resumed[/cyan]", "partial": "[yellow]partial[/yellow]"}


def _pct(x: Any) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _questions(s: Any) -> str:
    """"12 (9 answered)"; "–" when nothing said can be read (an RTTM: not "0 (0 answered)"), and no answered
    count when the transcript names nobody (an answer by anyone else carries the same "unknown" label)."""
    from sessionscope.report.view import unnamed_only

    ms = s.metrics.session
    if not s.has_words or ms.get("questions") is None:
        return "–"
    if not ms["questions"]:  # "0 (0 answered)" read as a count of answers to nothing
        return "0"
    if unnamed_only(s):
        return f"{ms['questions']} (answered: can't tell)"
    return f"{ms['questions']} ({ms.get('questions_answered', 0)} answered)"


_COLUMNS = ("session", "status", "participants (talk share)", "duration", "largest share", "questions",
            "interruptions")


def _summary_rows(report: BatchReport) -> list[tuple[str, ...]]:
    """One row of :data:`_COLUMNS` per input (rich markup escaped)."""
    from sessionscope.text import fmt_clock

    rows: list[tuple[str, ...]] = []
    for r in report.results:
        s = r.session
        if s is None or s.metrics is None:
            label = "[yellow]busy[/yellow]" if r.status == "busy" else "[red]failed[/red]"
            rows.append((_esc(r.item.session_id), label, "", "", "", "", ""))
            continue
        key = "talk_share" if s.timed else "word_share"
        per = s.metrics.participants
        ranked = sorted(s.participants, key=lambda p: -(per.get(p.id, {}).get(key) or 0))
        unit = "" if s.timed else " of words"  # an untimed transcript's share is of words, not of talk time
        shown = [f"{p.name} ({p.role.value}) {_pct(per.get(p.id, {}).get(key))}{unit}" for p in ranked[:3]]
        if len(ranked) > 3:
            shown.append(f"+{len(ranked) - 3} more")
        ms = s.metrics.session
        dur = ms.get("duration_s")
        rows.append((
            _esc(s.id),
            _STATUS_LABEL.get(r.status, r.status),
            _esc("\n".join(shown)),
            # the report's m:ss: a 1.4 s recording is "0:01", not "0.0 min"
            "–" if dur is None else fmt_clock(dur),
            _pct(ms.get("balance_score") if ms.get("balance_score") is not None else ms.get("balance_score_words")),
            _questions(s),
            "–" if ms.get("interruptions") is None else str(ms.get("interruptions")),
        ))
    return rows


def summary_table(report: BatchReport, width: int) -> Any:
    """The per-session summary for a console ``width`` columns wide: a table when every header and value word fits
    whole in its column, else one block per session (field, value), so that nothing is cut mid-word.

    At 80 columns the seven columns' longest words alone ("participants", "interruptions", "ru_session"…)
    take more than the table leaves them: "participa / nts (talk / share)", "interrup / tions" and a session id
    "ru_sessio / n-referen / ce" that could not be read, searched for or copied.
    """
    from rich.console import Console, Group
    from rich.measure import Measurement
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    title = f"sessionscope → {_esc(str(report.out_dir))}"
    rows = _summary_rows(report)
    table = Table(title=title, show_lines=False)
    # "balance 100 %" read as "fully balanced": the column is the largest share (50 % is even for a pair)
    for col in _COLUMNS:
        # folded, never cut with "…": three sessions "anna-igo…" on an 80-column console could not be told apart
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    probe = Console(width=10_000, highlight=False)  # measured unclamped: rich caps a measure at the console's width
    if Measurement.get(probe, probe.options, table).minimum <= width:
        return table
    blocks: list[Any] = [Text.from_markup(title, style="italic")]
    for row in rows:
        if not any(row[2:]):  # failed or busy: nothing measured, its reason follows below the summary
            blocks += [Text(""), Text.from_markup(f"[bold]{row[0]}[/bold]  {row[1]}")]
            continue
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")  # a word longer than the rest of the line (a path, an id) still folds
        for col, value in zip(_COLUMNS[2:], row[2:], strict=True):
            grid.add_row(col, value or "–")
        blocks += [Text(""), Text.from_markup(f"[bold]{row[0]}[/bold]  {row[1]}"), Padding(grid, (0, 0, 0, 2), expand=False)]
    return Group(*blocks)


def print_report(report: BatchReport) -> None:
    """The per-session table, then the failures with their reasons."""
    out = console()
    out.print(summary_table(report, out.width))
    err = console(stderr=True)
    # soft_wrap: a path is not folded at the console's width ("…/bat" + "ch.json"), so it can be copied; these
    # lines are the only place on the console that names each failed input (its log line is held back)
    for r in report.failed:
        err.print(f"[red]error[/red] {_esc(str(r.item.path))}: {_esc(r.error or '')}", soft_wrap=True)
    for r in report.results:
        if r.status in ("partial", "busy"):
            err.print(f"[yellow]{r.status}[/yellow] {_esc(str(r.item.path))}: {_esc(r.error or '')}", soft_wrap=True)
    guessed = guessed_mappings(report)
    if guessed:  # who is junior and who is senior decides every finding: a guess is said where the table shows roles
        err.print(f"[yellow]note[/yellow] speakers mapped to participants by order of first speech (a guess) in "
                  f"{_esc(', '.join(guessed))}: {_esc(remap_hint(report, guessed))}", soft_wrap=True)
    from sessionscope.report.view import count_estimated, unnamed_voices

    # the report says it under 'Data quality'; a new user reads the console first (once for the batch: a folder of
    # 500 recordings without participants is one note, not 500)
    unnamed = [(r.session.id, voices) for r in report.results if r.session is not None
               for voices in [unnamed_voices(r.session)] if voices]
    if unnamed:
        first, voices = unnamed[0]
        where = (f"{_esc(first)} ({_esc(', '.join(voices))})" if len(unnamed) == 1
                 else _esc(_few([sid for sid, _ in unnamed])))
        # "2 speakers" on the console read as a fact: the diarization estimated it (no participants, no --speakers)
        estimated = [r.session for r in report.results if r.session is not None and unnamed_voices(r.session)
                     and count_estimated(r.session)]
        count = ("; their number was estimated from the audio (give --speakers N if it is wrong)" if estimated
                 else "")
        err.print(f"[yellow]note[/yellow] the voices are not named in {where}, so no finding is about a junior or a "
                  f"senior: name them with sessionscope remap {_esc(str(report.out_dir))}/{_esc(first)} --speaker "
                  f"{voices[0]}=NAME:junior (nothing is transcribed again), or run with -p NAME=ROLE or --manifest"
                  f"{count}", soft_wrap=True)
    # a recording cut short (an interrupted copy or upload) is analysed as far as it goes: the report's 'Data quality'
    # says so, and the console must too, or the table's "ok" reads as the whole meeting
    damaged = [(r.session.id, _truncated(r.session)) for r in report.results if r.session is not None
               and _truncated(r.session)]
    if damaged:
        where = _few([f"{sid} ({said})" for sid, said in damaged], 3)
        err.print(f"[yellow]note[/yellow] the recording looks truncated or damaged in {_esc(where)}: only what could "
                  "be decoded was analysed; check the file (a copy or download cut short?)", soft_wrap=True)
    # a transcript or recording in another language than English or Russian is analysed as English: the report's
    # 'Data quality' says so (round 36), and the console must too, or its "ok" reads as a valid analysis
    foreign = [(r.session.id, said) for r in report.results if r.session is not None
               for said in [_other_language(r.session)] if said]
    if foreign:
        where = _few([f"{sid} ({said})" for sid, said in foreign], 3)
        err.print(f"[yellow]note[/yellow] not English or Russian, analysed as English anyway in {_esc(where)}: its "
                  "questions, advice, tasks and topics are likely wrong (sessionscope reads English and Russian)",
                  soft_wrap=True)
    roleless = [r.session.id for r in report.results if r.session is not None and r.session.participants
                and not unnamed_voices(r.session) and all(p.role.value == "other" for p in r.session.participants)]
    if roleless:  # every junior/senior finding of theirs reads "can't tell": say it once, with the fix
        err.print(f"[yellow]note[/yellow] no junior or senior named in {_esc(_few(roleless))}: the findings about "
                  "who mentors whom stay empty; give the roles with -p NAME=junior -p NAME=senior or --manifest and "
                  "rerun with --force (for a recording, sessionscope remap OUT/SESSION --speaker LABEL=NAME:junior "
                  "transcribes nothing again)", soft_wrap=True)
    _say_redone(report, err)
    n_ok = sum(1 for r in report.results if r.status in ("ok", "partial", "resumed"))
    tail = []
    resumed = sum(1 for r in report.results if r.status == "resumed")
    if resumed:  # counted as written, but nothing was redone: say so
        tail.append(f"{resumed} already done by an earlier run, kept (--force redoes them)")
    if report.partial:
        tail.append(f"{len(report.partial)} partial (a stage failed; a rerun retries them)")
    if report.failed:
        tail.append(f"{len(report.failed)} failed")
    busy = sum(1 for r in report.results if r.status == "busy")
    if busy:
        tail.append(f"{busy} busy in another batch")
    where = report.extra.get("batch_json_error") or f"details in {report.out_dir}/batch.json"
    total = len(report.results)
    err.print(f"{n_ok} of {total} session{'s' * (total != 1)} written to {_esc(str(report.out_dir))}"
              + (f"; {', '.join(tail)} ({_esc(where)})" if tail else ""), soft_wrap=True)


def refuse_manifest_as_input(paths: Any, what: str) -> None:
    """A manifest given as an input (``run recordings/ sessions.yaml``, the flag forgotten) is a usage error that
    says so, before any work; it was one more failed "recording" at the end ("not a readable audio file")."""
    for raw in paths:
        p = Path(str(raw))
        if p.suffix.lower() in (".yaml", ".yml") and p.is_file():
            raise click.UsageError(f"{p} looks like a session manifest, not {what}: give it with --manifest {p}")


def print_missing(missing: list[tuple[str, str]]) -> None:
    """After the batch: the manifest's sessions whose recording or transcript does not exist (logged at the start,
    where a long batch scrolls it away)."""
    if missing:
        n = len(missing)
        err = console(stderr=True)
        err.print(f"[yellow]note[/yellow] {n} session{'s' * (n != 1)} of the manifest not analysed: "
                  f"{'their files do' if n != 1 else 'its file does'} not exist: "
                  + _esc(_few([f"{sid} ({path})" for sid, path in missing], 3))
                  + " (check the manifest's 'file:' / 'transcript:')", soft_wrap=True)


def _say_redone(report: BatchReport, err: Any) -> None:
    """The sessions an earlier run had written that were processed again, and why; and the speaker names set by
    hand (``remap``) that the new processing did not give again, with the command that sets them again."""
    import shlex

    redone: dict[str, list[str]] = {}
    for r in report.results:
        if r.redone and r.session is not None:
            redone.setdefault(r.redone, []).append(r.session.id)
    for why, ids in redone.items():  # "ok" alone read as resumed work, or as work lost: say what was redone and why
        err.print(f"[yellow]note[/yellow] {len(ids)} session{'s' * (len(ids) != 1)} written by an earlier run "
                  f"{'were' if len(ids) != 1 else 'was'} processed again, since {_esc(why)}: {_esc(_few(ids))}",
                  soft_wrap=True)
    lost = [r for r in report.results if r.hand_mapping_lost and r.out_dir is not None]
    if lost:  # a correction the user made is gone: say it, with the very command that puts it back
        cmds = [f"sessionscope remap {shlex.quote(str(r.out_dir))} "
                + " ".join(f"--speaker {shlex.quote(a)}" for a in r.hand_mapping_lost) for r in lost]
        err.print(f"[yellow]warning[/yellow] the speaker names set by hand (sessionscope remap) were not carried over "
                  f"to {len(lost)} session{'s' * (len(lost) != 1)} processed again; to set them again: "
                  + _esc("; ".join(cmds[:5])) + (f" (and {len(cmds) - 5} more: see batch.json)" if len(cmds) > 5
                                                 else ""), soft_wrap=True)


def _few(ids: list[str], most: int = 5) -> str:
    """"a, b, c" or "a, b, c, d, e and 7 more": a note about sixty sessions stays one line."""
    return ", ".join(ids) if len(ids) <= most else f"{', '.join(ids[:most])} and {len(ids) - most} more"


def remap_hint(report: BatchReport, guessed: list[str]) -> str:
    """What to do about guessed mappings: the `remap` command, for one two-speaker session the very command that
    swaps them; a remap that repeats a right mapping confirms it, and with voiceprints on both fold the named
    voices into the pair's voiceprints (round 22), so the pair's later recordings are matched by voice."""
    one = [r for r in report.results if r.session is not None and r.session.id in guessed]
    later = ("; a remap that repeats a right mapping confirms it: with voiceprints on, the pair's later recordings "
             "are then matched by voice" if any(r.session is not None and r.session.pair_id for r in one) else "")
    smap = ((one[0].session.extra or {}).get("audio") or {}).get("speaker_map") if len(one) == 1 and one[0].session else None
    if len(one) == 1 and one[0].out_dir is not None and isinstance(smap, dict) and len(smap) == 2 \
            and len(set(smap.values())) == 2:
        (a, pa), (b, pb) = sorted(smap.items())
        return (f"check its report's 'Data quality'; if the two are the wrong way round: sessionscope remap "
                f"{one[0].out_dir} --speaker {a}={pb} --speaker {b}={pa}" + later)
    if len(one) == 1 and one[0].out_dir is not None:  # one session: its folder, not OUT/SESSION
        return (f"check its report's 'Data quality' and correct with sessionscope remap {one[0].out_dir} "
                f"--speaker LABEL=PARTICIPANT" + later)
    return (f"check each report's 'Data quality' and correct with sessionscope remap {report.out_dir}/SESSION "
            f"--speaker LABEL=PARTICIPANT" + later)


def guessed_mappings(report: BatchReport) -> list[str]:
    """Ids of the written sessions whose speakers were mapped to named participants by order of first speech."""
    from sessionscope.report.tables import speakers_guessed

    return [r.session.id for r in report.results if r.session is not None and speakers_guessed(r.session)]


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def exit_for(report: BatchReport) -> None:
    """Exit code 0 only when every input succeeded (resumed ones count; failed and partial ones do not)."""
    if not report.ok:
        raise click.exceptions.Exit(1)

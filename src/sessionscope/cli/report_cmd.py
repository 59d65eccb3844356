"""``sessionscope report`` and ``sessionscope export``: reports for pairs and evaluators, data for researchers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import click

from sessionscope.errors import SessionscopeError

SESSION_FORMATS = ("html", "md")
CONFIG_OPTION = click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML config; its `report` section sets the wording thresholds and charts.")


def _report_config(config_path: Optional[Path]) -> Any:
    from sessionscope.config import load_config

    try:
        return load_config(config_path).report
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e


def _session_files(paths: tuple[Path, ...]) -> list[Path]:
    """session.json files from files or folders (folders searched recursively)."""
    from sessionscope.report.tables import find_session_files

    files: list[Path] = []
    for p in paths:
        if p.is_file():
            files.append(p)
        elif p.is_dir():
            files.extend(find_session_files(p))
        else:
            raise click.UsageError(f"{p}: no such file or folder")
    if not files:
        raise click.UsageError("no session.json found in " + ", ".join(map(str, paths)) + ": give the --out folder "
                               "of `sessionscope analyze` or `sessionscope run` (each session is OUT/<session>/session.json)")
    return files


def _split_formats(formats: str, valid: tuple[str, ...]) -> list[str]:
    out = [f.strip().lower() for f in formats.split(",") if f.strip()]
    out = ["md" if f in ("markdown",) else f for f in out]
    bad = [f for f in out if f not in valid]
    if bad or not out:
        raise click.UsageError(f"unknown format(s) {', '.join(bad) or '(none)'}; valid: {', '.join(valid)}")
    return list(dict.fromkeys(out))


@click.group()
def report() -> None:
    """Reports: one session for the pair, or a whole programme for evaluators.

    \b
    Examples:
      sessionscope report session results/2026-03-02-anna-boris/
      sessionscope report session results/ --format html,md --redact
      sessionscope report programme results/ --out dashboard/
    """


@report.command("session")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "formats", default="html,md", show_default=True, help="Comma-separated: html, md.")
@click.option("--redact", is_flag=True, help="Replace names by roles and mask personal data (e-mails, phones, names).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write here (as OUT/<session id>/…) instead of next to each session.json.")
@CONFIG_OPTION
def report_session(paths: tuple[Path, ...], formats: str, redact: bool, out_dir: Optional[Path],
                   config_path: Optional[Path]) -> None:
    """Write the session report (report.html / report.md, in the session's language).

    PATHS are session.json files or output folders of `sessionscope analyze` / `run`.
    With --redact the files are named report.redacted.html / .md.
    """
    from sessionscope.fileio import atomic_write_text, safe_output_path
    from sessionscope.model import read_session_json
    from sessionscope.report.redact import redact_session
    from sessionscope.report.session_html import render_session_html
    from sessionscope.report.session_md import render_session_markdown

    fmts = _split_formats(formats, SESSION_FORMATS)
    cfg = _report_config(config_path)
    files = _session_files(paths)
    failed = 0
    for f in files:
        try:
            session = read_session_json(f)
            if redact:
                session = redact_session(session)
            target = safe_output_path(out_dir, session.id) if out_dir else f.parent  # an id never leaves --out
            stem = "report.redacted" if redact else "report"
            for fmt in fmts:
                text = (render_session_html(session, redacted=redact, cfg=cfg) if fmt == "html"
                        else render_session_markdown(session, redacted=redact, cfg=cfg))
                path = atomic_write_text(target / f"{stem}.{fmt}", text)
                click.echo(str(path))
        except SessionscopeError as e:
            failed += 1
            click.echo(f"error: {e}", err=True)
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} session{'s' * (len(files) != 1)} could not be reported")


def _voice_checks(full_cfg: Any, paths: tuple[Path, ...], loaded: list[tuple[Path, Any]], shown: list[Any]) -> dict[str, Any]:
    """A pair's voices across its sessions, as `run` kept them with voiceprints on (``participants.voiceprint_dir``,
    else ``voiceprints/`` in PATHS or beside the session folders): checked on the real ids, keyed by the ``shown``
    (perhaps redacted) ones."""
    from dataclasses import replace

    from sessionscope.report.programme import pair_voice_checks

    where = full_cfg.participants.voiceprint_dir
    dirs = ([Path(where)] if where else
            list(dict.fromkeys(d for d in [*(p / "voiceprints" for p in paths), *(f.parent.parent / "voiceprints" for f, _s in loaded)]
                               if d.is_dir())))
    checks = pair_voice_checks([s for _f, s in loaded], dirs) if dirs else {}
    ids = {o.id: r.id for (_f, o), r in zip(loaded, shown, strict=True)}
    return {ids[k]: replace(c, session_id=ids[k], against=tuple(ids.get(x, x) for x in c.against))
            for k, c in checks.items() if k in ids}


@report.command("programme")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("programme-report"),
              show_default=True, help="Folder for dashboard.html and the tables.")
@click.option("--format", "formats", default="csv,parquet", show_default=True,
              help="Table formats, comma-separated: csv, parquet.")
@click.option("--language", type=click.Choice(["en", "ru"]), help="Dashboard language (default: most sessions' language).")
@click.option("--session-reports", is_flag=True,
              help="Also write each session's HTML report under OUT/sessions/ (else existing report.html files "
                   "next to each session.json are linked).")
@click.option("--redact", is_flag=True, help="Replace names by roles and mask personal data in every output.")
@click.option("--surveys", "survey_files", multiple=True, type=click.Path(path_type=Path),
              help="Survey export (CSV or XLSX from Google Forms, Microsoft Forms or a spreadsheet); repeatable.")
@click.option("--survey-map", "survey_map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML naming the identifying columns, the standard questions and their scales.")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path),
              help="Figures from before the programme (CSV or XLSX), per pair or for the whole programme.")
@click.option("--no-workbook", is_flag=True, help="Do not write programme.xlsx.")
@click.option("--csv-bom", is_flag=True, help="Start the CSV files with a UTF-8 byte-order mark, so that Excel opens "
                                             "Cyrillic text correctly (also: report.csv_bom in the config).")
@click.option("--salt-dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --redact: folder of the programme's secret redaction salt (default: OUT). Keep it out of "
                   "what you share; the same salt gives the same redacted ids on every rerun.")
@CONFIG_OPTION
def report_programme(paths: tuple[Path, ...], out_dir: Path, formats: str, language: Optional[str],
                     session_reports: bool, redact: bool, survey_files: tuple[Path, ...], survey_map: Optional[Path],
                     baseline_file: Optional[Path], no_workbook: bool, csv_bom: bool, salt_dir: Optional[Path],
                     config_path: Optional[Path]) -> None:
    """Programme dashboard and tables over every processed session under PATHS.

    Writes OUT/dashboard.html (self-contained; filter by pair and dates in the browser),
    per-pair and per-programme tables (programme_*.csv/.parquet: sessions and hours per
    pair, trends, topics covered against the plan, goals followed across sessions, the
    guide's checklist, flags; with --surveys and --baseline also the answers, the
    before/after figures and every input problem), all of them in OUT/programme.xlsx, and
    the tidy research tables in OUT/tables/ (see docs/data_dictionary.md).

    With --redact, session reports are linked only when written here (--session-reports):
    links to reports elsewhere would reveal folder names.
    """
    import collections

    from sessionscope.config import load_config
    from sessionscope.fileio import atomic_write_text
    from sessionscope.report.programme import write_programme
    from sessionscope.report.session_html import render_session_html

    fmts = _split_formats(formats, ("csv", "parquet"))
    try:
        full_cfg = load_config(config_path)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    cfg = full_cfg.report
    skipped: list[Path] = []
    reasons: dict[Path, str] = {}
    try:
        pairs_ = _load_with_paths(paths, False, skipped, reasons)
        originals = [s for _f, s in pairs_]
        from sessionscope.report.leftout import batch_left_out, redact_left_out, unreadable_rows

        # inputs the batches behind these folders failed on: listed, so that no pair looks as if it met less
        left_out = batch_left_out(paths, {s.id for s in originals}) + unreadable_rows(skipped, reasons)
        surveys = baseline = None
        if survey_files:
            from sessionscope.report.surveys import load_mapping, match_surveys

            mapping = load_mapping(survey_map) if survey_map else None
            surveys = match_surveys(originals, survey_files, mapping=mapping)
        if baseline_file:
            from sessionscope.report.baseline import read_baseline

            baseline = read_baseline(baseline_file, pairs={s.pair_id or s.id for s in originals})
        sessions = originals
        if redact:
            from sessionscope.report.redact import load_or_create_salt, redact_session

            salt = load_or_create_salt(salt_dir or out_dir)  # ids stay stable across reruns with the same salt
            sessions = [redact_session(s, salt=salt) for s in originals]
            if surveys is not None:
                from sessionscope.report.surveys import redact_surveys

                surveys = redact_surveys(surveys, originals, sessions)
            if baseline is not None:
                baseline = (_redact_baseline(baseline[0], originals, sessions), baseline[1])
            left_out = redact_left_out(left_out, {(o.pair_id or o.id): (r.pair_id or r.id)
                                                  for o, r in zip(originals, sessions, strict=True)}, salt)
        if not language:
            langs = collections.Counter("ru" if (s.language or "").startswith("ru") else "en" for s in sessions)
            language = langs.most_common(1)[0][0]
        links: dict[str, str] = {}
        name = "report.redacted.html" if redact else "report.html"
        for (f, _orig), s in zip(pairs_, sessions, strict=True):
            if session_reports:
                try:
                    target = _inside(out_dir / "sessions", s.id) / name
                except SessionscopeError as e:  # this session's report is not written; the rest goes on
                    click.echo(f"error: {e}", err=True)
                    continue
                atomic_write_text(target, render_session_html(s, redacted=redact, cfg=cfg))
                links[s.id] = target.relative_to(out_dir).as_posix()
            elif not redact and (f.parent / name).is_file():
                links[s.id] = Path(os.path.relpath(f.parent / name, out_dir.resolve())).as_posix()
        prog, page = write_programme(sessions, out_dir, formats=fmts, report_links=links, language=language,
                                     redacted=redact, followup_min_overlap=cfg.followup_min_overlap,
                                     cfg=full_cfg.programme, surveys=surveys, baseline=baseline,
                                     dynamics=full_cfg.dynamics, workbook=not no_workbook,
                                     voice_checks=_voice_checks(full_cfg, paths, pairs_, sessions),
                                     csv_bom=csv_bom or cfg.csv_bom, mutual_few_flows=cfg.mutual_few_flows,
                                     left_out=left_out)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    _say_programme(prog, page, skipped)


def _say_programme(prog: Any, page: Path, skipped: Optional[list[Path]] = None) -> None:
    """The console's account of a programme report: its size, the pair-voice notes, the survey input's problems."""
    row = prog.programme.iloc[0]
    hours = row["total_hours"]
    n_timed = int(prog.sessions["minutes"].notna().sum()) if len(prog.sessions) else 0
    said = "" if hours is None or hours != hours else "< 0.1" if 0 < hours < 0.05 else f"{hours:.1f}"  # not "0.0 h"
    hours_text = ("length unknown (untimed transcripts)" if hours is None or hours != hours
                  else f"{said} h in all" if n_timed >= len(prog.sessions)
                  else f"{said} h in the {n_timed} session{'s' * (n_timed != 1)} with a known length")
    n_sessions, n_pairs = int(row["n_sessions"]), int(row["n_pairs"])
    from sessionscope.report.programme import pairs_named

    n_alone = int((prog.sessions["pair_id"] == prog.sessions["session_id"]).sum()) if len(prog.sessions) else 0
    unnamed = ("" if not n_pairs or not n_alone else
               " (no pairs named in a manifest: each session counts as its own)" if not pairs_named(prog) else
               f" (of these, {n_alone} {'is a session' if n_alone == 1 else 'are sessions'} without a pair in the "
               "manifest, each counted as a pair of its own)")
    click.echo(f"{n_sessions} session{'s' * (n_sessions != 1)} of {n_pairs} pair{'s' * (n_pairs != 1)}{unnamed}, "
               f"{hours_text} → {page}{_left_out(skipped or [])}")
    from sessionscope.report.i18n import Translator
    from sessionscope.report.programme import voice_swap_notes

    for note in voice_swap_notes(prog, Translator("en")):  # in programme.md and the dashboard too; the console is read first
        click.echo(f"note: {note}", err=True)
    from sessionscope.report.programme import left_out_notes

    for sentence, items in left_out_notes(prog, Translator("en")):  # also in programme_left_out, .md, the dashboard
        click.echo(f"note: {sentence}", err=True)
        for item in items[:20]:
            click.echo(f"  {item}", err=True)
        if len(items) > 20:
            click.echo(f"  … and {len(items) - 20} more (programme_left_out)", err=True)
    if prog.survey_issues is not None and len(prog.survey_issues):
        n_issues = len(prog.survey_issues)
        click.echo(f"{n_issues} problem{'s' * (n_issues != 1)} in the survey/baseline input (listed in the dashboard "
                   f"and programme_input_issues):", err=True)
        import pandas as pd

        for r in prog.survey_issues.head(20).to_dict(orient="records"):
            parts = (r["file"], "" if pd.isna(r["row"]) else f"row {r['row']}",
                     "" if pd.isna(r["column"]) else str(r["column"]))
            where = ", ".join(x for x in parts if x)
            click.echo(f"  {where}: {r['message']}", err=True)


def _inside(folder: Path, name: str) -> Path:
    """``folder/name``, refused unless it stays inside ``folder`` (ids become paths: no ``..``, no absolute ids)."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()) or target == folder.resolve():
        raise SessionscopeError(f"session id {name!r} would write outside {folder}; ids must be plain names")
    return folder / name


def _redact_baseline(rows: list[Any], originals: list[Any], redacted: list[Any]) -> list[Any]:
    """Baseline rows with pair ids as in the redacted sessions."""
    import dataclasses

    pair_map = {(o.pair_id or o.id): (r.pair_id or r.id) for o, r in zip(originals, redacted, strict=True)}
    return [dataclasses.replace(r, pair_id=pair_map.get(r.pair_id, r.pair_id)) if r.pair_id else r for r in rows]


def _load_with_paths(paths: tuple[Path, ...], redact: bool, skipped: Optional[list[Path]] = None,
                     reasons: Optional[dict[Path, str]] = None) -> list[tuple[Path, Any]]:
    """(session.json path, session) pairs, redacted when asked.

    An unreadable file is reported on stderr and skipped (and added to ``skipped``), so one broken session never
    stops a programme report; it is an error only when nothing can be read.
    """
    from sessionscope.model import read_session_json

    files = _session_files(paths)
    out = []
    for f in files:
        try:
            out.append((f.resolve(), read_session_json(f)))
        except SessionscopeError as e:
            click.echo(f"skipped: {e}", err=True)
            if skipped is not None:
                skipped.append(f)
            if reasons is not None:
                reasons[f] = str(e)
    if not out:
        raise click.ClickException("the session file could not be read" if len(files) == 1
                                   else f"none of the {len(files)} session files could be read")
    _warn_duplicates(out)
    if redact:
        from sessionscope.report.redact import redact_session

        out = [(f, redact_session(s)) for f, s in out]
    return out


def _warn_duplicates(loaded: list[tuple[Path, Any]]) -> None:
    """Warn when one conversation is counted twice: two session.json files with the same session id, or
    with the same utterances (one transcript analysed into two output folders, e.g. with and without a
    manifest). Both stay in the report; the warning names the files to remove."""
    import hashlib

    groups: dict[tuple[str, str], list[Path]] = {}
    for f, s in loaded:
        groups.setdefault(("id", s.id), []).append(f)
        if s.utterances:
            digest = hashlib.sha256("\n".join(u.text for u in s.utterances).encode("utf-8")).hexdigest()
            groups.setdefault(("text", f"{len(s.utterances)}:{digest}"), []).append(f)
    seen: set[tuple[Path, ...]] = set()
    for (kind, _key), files in groups.items():
        if len(files) > 1 and tuple(files) not in seen:
            seen.add(tuple(files))
            why = "the same session id" if kind == "id" else "the same utterances (one transcript analysed twice?)"
            click.echo(f"warning: {len(files)} session files have {why}; each is counted: "
                       + ", ".join(str(f) for f in files), err=True)


def _load(paths: tuple[Path, ...], redact: bool, skipped: Optional[list[Path]] = None) -> list[Any]:
    return [s for _f, s in _load_with_paths(paths, redact, skipped)]


def _left_out(skipped: list[Path]) -> str:
    """"; 2 session files could not be read and are left out (see above)": the closing line says what the
    outputs lack, not only the "skipped:" lines printed before the work (the outputs themselves cannot tell)."""
    n = len(skipped)
    return (f"; {n} session file{'s' * (n != 1)} could not be read and {'are' if n != 1 else 'is'} left out "
            "(see the 'skipped:' lines above)") if n else ""


@click.group()
def export() -> None:
    """Research exports: tidy tables (CSV/Parquet) or a ConvoKit corpus.

    \b
    Examples:
      sessionscope export tables results/ --out tables/
      sessionscope export convokit results/ --out corpus/ --redact
    """


@export.command("tables")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("sessionscope-tables"),
              show_default=True, help="Folder for the tables.")
@click.option("--format", "formats", default="csv,parquet", show_default=True, help="Comma-separated: csv, parquet.")
@click.option("--redact", is_flag=True, help="Replace names by roles and mask personal data first.")
@click.option("--csv-bom", is_flag=True, help="Start the CSV files with a UTF-8 byte-order mark (Excel and Cyrillic text; "
                                             "also: report.csv_bom in the config).")
@CONFIG_OPTION
def export_tables(paths: tuple[Path, ...], out_dir: Path, formats: str, redact: bool, csv_bom: bool,
                  config_path: Optional[Path]) -> None:
    """One tidy table per entity (sessions, participants, utterances, turns, topic segments,
    recommendations, action items, questions, problems, flags, metrics); see docs/data_dictionary.md."""
    from sessionscope.report.tables import session_tables, write_tables

    fmts = _split_formats(formats, ("csv", "parquet"))
    skipped: list[Path] = []
    try:
        tables = session_tables(_load(paths, redact, skipped))
        # report.csv_bom, as `report programme` reads it (docs/data_dictionary.md names both ways)
        written = write_tables(tables, out_dir, formats=fmts, bom=csv_bom or _report_config(config_path).csv_bom)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    for name, df in tables.items():
        click.echo(f"{name:16s} {len(df):7d} rows")
    click.echo(f"{len(written)} files written to {out_dir}{_left_out(skipped)}")
    _say_batch_failures(paths, set(tables["sessions"]["session_id"]) if "sessions" in tables else set(), redact)


def _say_batch_failures(paths: tuple[Path, ...], loaded_ids: set[str], redact: bool) -> None:
    """A console note on the inputs the batches under ``paths`` failed on: the tables and the corpus hold no row of
    them (`report programme` lists them in programme_left_out; round 40)."""
    from sessionscope.report.leftout import batch_left_out, left_out_items

    rows = [r for r in batch_left_out(paths, loaded_ids) if r["kind"] == "not_analysed"]
    if not rows:
        return
    n = len(rows)
    click.echo(f"note: {n} input{'s' * (n != 1)} of the batches in these folders could not be analysed and "
               f"{'are' if n != 1 else 'is'} in none of these outputs (see their batch.json)"
               + ("" if redact else ": " + "; ".join(left_out_items(rows[:10])) + ("; …" if n > 10 else "")), err=True)


@export.command("convokit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("sessionscope-corpus"),
              show_default=True, help="Corpus folder (load with convokit.Corpus(filename=OUT)).")
@click.option("--redact", is_flag=True, help="Replace names by roles and mask personal data first.")
def export_convokit_cmd(paths: tuple[Path, ...], out_dir: Path, redact: bool) -> None:
    """A ConvoKit corpus: one conversation per session, speakers unique per pair."""
    from sessionscope.report.convokit import export_convokit

    skipped: list[Path] = []
    try:
        sessions = _load(paths, redact, skipped)
        export_convokit(sessions, out_dir)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"{len(sessions)} session{'s' * (len(sessions) != 1)} written as a ConvoKit corpus to {out_dir}"
               f"{_left_out(skipped)}")
    _say_batch_failures(paths, {str(s.id) for s in sessions}, redact)

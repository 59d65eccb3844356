"""``sessionscope analyze``: conversation analysis of existing transcripts."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from sessionscope.errors import SessionscopeError

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".sbv", ".stm", ".rttm", ".json", ".txt", ".csv", ".tsv", ".docx")


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
                     help="Output formats besides session.json: markdown, html, srt, vtt, rttm, csv (repeatable; default from config)."),
        click.option("--force", is_flag=True, help="Redo inputs that were already processed (default: resume)."),
        click.option("--no-progress", is_flag=True, help="No progress bars (e.g. in logs)."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def prepare(config_path: Optional[Path], stages: Optional[str], formats: tuple[str, ...], language: Optional[str]):  # noqa: ANN201
    """Resolve config, stage list and output formats from the options."""
    from sessionscope.config import load_config
    from sessionscope.outputs import check_formats

    overrides: dict = {}
    if stages:
        overrides["pipeline"] = {"stages": [s.strip() for s in stages.split(",") if s.strip()]}
    if formats:
        overrides["report"] = {"formats": [f.strip() for fs in formats for f in fs.split(",") if f.strip()]}
    config = load_config(config_path, overrides=overrides)
    fmts = check_formats(["json", *config.report.formats])
    return config, fmts


@click.command()
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path))
@batch_options
def analyze(paths: tuple[Path, ...], manifest: Optional[Path], out_dir: Path, config_path: Optional[Path],
            participants: tuple[str, ...], language: Optional[str], stages: Optional[str], formats: tuple[str, ...],
            force: bool, no_progress: bool) -> None:
    """Analyse transcripts: who drives each conversation, and whatever the configured stages add.

    PATHS are transcript files or folders (searched recursively): WebVTT (Teams, Meet,
    Zoom), SRT, STM, RTTM, WhisperX / faster-whisper JSON, plain `Name: text` lines. The
    format is detected from the content. With --manifest and no PATHS, the manifest's
    `transcript` (or transcript `file`) of every session is analysed. Writes
    OUT/<session>/session.json and
    summary.md, prints a table, and exits 0 only if every input succeeded; a broken
    input is reported and the others are still processed. A rerun skips inputs that
    are already done.

    \b
    Examples:
      sessionscope analyze meeting.transcript.vtt -p "Anna Smirnova=junior" -p "Boris Ivanov=senior"
      sessionscope analyze transcripts/ --manifest sessions.yaml --out results/
      sessionscope analyze --manifest examples/manifest-reference.yaml
      sessionscope analyze call.srt --stages dynamics --format markdown --format csv
    """
    from sessionscope.batch import discover, make_items, run_batch
    from sessionscope.cli.common import exit_for, print_report, progress_hook
    from sessionscope.pipeline import build_stages

    try:
        config, fmts = prepare(config_path, stages, formats, language)
        if not paths:
            if manifest is None:
                raise click.UsageError("give transcript files or folders, or --manifest with `transcript` paths")
            paths = manifest_transcripts(manifest)
        out_root = out_dir.resolve()
        files = [f for f in discover(paths, suffixes=TRANSCRIPT_SUFFIXES) if not f.resolve().is_relative_to(out_root)]
        files = prefer_best_transcript(files)
        if not files:
            raise click.UsageError("no transcript files found in " + ", ".join(map(str, paths)))
        loader = make_transcript_loader(manifest_path=manifest, participants=participants, language=language)
        items = make_items(files, manifest=loader.manifest)
        stage_objs = build_stages(config)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e

    from sessionscope.outputs import write_outputs

    with progress_hook(len(items), enabled=not no_progress) as hook:
        report = run_batch(items, load=loader, stages=stage_objs, config=config, out_dir=out_dir,
                           write_extra=lambda s, out: write_outputs(s, out, fmts, config=config), resume=not force, hook=hook)
    print_report(report)
    exit_for(report)


def manifest_transcripts(manifest_path: Path) -> tuple[Path, ...]:
    """The transcript of every manifest session (``transcript``, else a transcript ``file``)."""
    from sessionscope.io.manifest import load_manifest

    m = load_manifest(manifest_path)
    out = []
    for e in m.entries:
        name = e.transcript or (e.file if e.file and Path(e.file).suffix.lower() in TRANSCRIPT_SUFFIXES else None)
        if name:
            p = Path(name)
            out.append(p if p.is_absolute() else Path(m.root) / p)
    if not out:
        raise click.UsageError(f"{manifest_path}: no session names a transcript (`transcript:` or a transcript `file:`)")
    return tuple(out)


def prefer_best_transcript(files: list[Path]) -> list[Path]:
    """Keep one transcript per recording when a folder holds several versions of it.

    * ``X.rttm`` beside a transcript with text (``X.stm``, ``X.vtt``…): corpora ship both
      (speaker times in RTTM, words in STM); the RTTM alone has no words or questions.
    * Zoom's ``X.cc.vtt`` (captions without names) beside ``X.transcript.vtt``, and its
      chat export (``…Chat.txt``: written messages, not speech) beside a ``.vtt``.
    Analysing both would count the same session twice.
    """
    import logging

    log = logging.getLogger(__name__)
    names = {(f.parent, f.name.lower()) for f in files}
    stems = {(f.parent, f.stem) for f in files if f.suffix.lower() != ".rttm"}
    kept = []
    for f in files:
        low = f.name.lower()
        if f.suffix.lower() == ".rttm" and (f.parent, f.stem) in stems:
            log.info("%s: skipped, the transcript with text for the same recording is used", f)
            continue
        if low.endswith(".cc.vtt") and (f.parent, low[: -len(".cc.vtt")] + ".transcript.vtt") in names:
            log.info("%s: skipped, Zoom's transcript with speaker names is used", f)
            continue
        if low.endswith("chat.txt") and any(p == f.parent and n.endswith(".vtt") for p, n in names):
            log.info("%s: skipped, a meeting chat export (written messages) beside the meeting's transcript", f)
            continue
        kept.append(f)
    return kept


class make_transcript_loader:  # noqa: N801 - used like a function
    """Turns a batch item into a Session: read, then apply the manifest entry or options."""

    def __init__(self, *, manifest_path: Optional[Path], participants: tuple[str, ...], language: Optional[str]) -> None:
        from sessionscope.io.manifest import entry_from_options, load_manifest

        self.manifest = load_manifest(manifest_path) if manifest_path else None
        self.default_entry = entry_from_options(list(participants), language=language) if (participants or language) else None

    def __call__(self, item):  # noqa: ANN001, ANN204
        from sessionscope.io import read_transcript
        from sessionscope.io.manifest import apply_manifest

        session = read_transcript(item.path, session_id=item.entry.id if item.entry is not None else None)
        entry = item.entry
        if entry is None and self.manifest is not None:
            entry = self.manifest.entry_for(session)  # STM/RTTM files name their recording
        entry = entry or self.default_entry
        if entry is not None:
            session = apply_manifest(session, entry)
        return session.evolve(id=item.session_id)

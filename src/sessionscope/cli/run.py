"""``sessionscope run``: recordings → transcripts with named speakers → the same outputs as ``analyze``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from sessionscope.cli.analyze import batch_options, split_stages
from sessionscope.errors import SessionscopeError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())  # str: a scheme:// URL stays whole
@batch_options
@click.option("--model", help="Whisper model: base (embedded, multilingual), tiny.en (embedded, fast English), "
              "a faster-whisper name or a CTranslate2 folder (overrides asr.model).")
@click.option("--speakers", type=click.IntRange(1, 20), help="Exact number of speakers for inputs without a manifest entry.")
@click.option("--channels", type=click.Choice(["auto", "always", "never"]), help="Diarize by channel (one person per channel).")
@click.option("--allow-download", is_flag=True, help="Allow downloading a hub model named with --model (needs internet).")
@click.option("--no-cache", is_flag=True, help="Recompute transcription and diarization instead of reusing cached results.")
def run(paths: tuple[str, ...], manifest: Optional[Path], out_dir: Path, config_path: Optional[Path],
        participants: tuple[str, ...], language: Optional[str], stages: Optional[str], formats: tuple[str, ...],
        force: bool, no_progress: bool, model: Optional[str], speakers: Optional[int], channels: Optional[str],
        allow_download: bool, no_cache: bool, workers: Optional[str], engine: str, ray_address: Optional[str]) -> None:
    """Transcribe and analyse recordings offline: who said what, and who drives the conversation.

    PATHS are audio or video files or folders (searched recursively): wav, flac, mp3, m4a,
    ogg/opus, webm, mp4, mkv, mov. Each recording is transcribed (faster-whisper), split
    into speakers (CAM++ voice embeddings, or channels), mapped to the manifest's
    participants (voice samples, stored voiceprints, self-introductions, else order of
    first speech, flagged as a guess), then analysed like `analyze`. Transcriptions are
    cached by content, so reruns and `sessionscope remap` never transcribe twice. Exit
    code 0 only if every input succeeded.

    \b
    Examples:
      sessionscope run recordings/ --manifest sessions.yaml --out results/
      sessionscope run call.m4a -p "Anna=junior" -p "Boris=senior" --language ru
      sessionscope run meeting.mp4 --model tiny.en --speakers 2
    """
    from sessionscope.audio.decode import AUDIO_SUFFIXES
    from sessionscope.batch import discover, make_items, missing_manifest_files
    from sessionscope.cli.common import (
        exit_for,
        print_missing,
        print_report,
        progress_hook,
        refuse_manifest_as_input,
        run_with,
    )
    from sessionscope.engines import engine_for
    from sessionscope.runspec import build_run_spec

    refuse_manifest_as_input(paths, "a recording")
    try:
        spec = build_run_spec("run", config_path=config_path, stages=split_stages(stages), formats=formats,
                              participants=participants, language=language, speakers=speakers, model=model,
                              channels=channels, allow_download=allow_download, no_cache=no_cache,
                              manifest_path=manifest, out_dir=out_dir, resume=not force)
        from sessionscope.inputs import TRANSCRIPT_SUFFIXES  # transcripts beside recordings: not warned about

        files = discover(paths, suffixes=AUDIO_SUFFIXES, known=TRANSCRIPT_SUFFIXES)
        if not files:
            raise click.UsageError("no recordings found in " + ", ".join(map(str, paths)))
        items = make_items(files, manifest=spec.manifest)
        missing = missing_manifest_files(spec.manifest, items, suffixes=AUDIO_SUFFIXES)
        eng = engine_for(engine, workers=workers, address=ray_address)
        if eng is None:
            spec.warm()  # fail fast, once: unknown stage names, the Whisper model (the text stages are built beside the transcription)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    except ValueError as e:  # an unsafe manifest session id
        raise click.ClickException(str(e)) from e

    with progress_hook(len(items), enabled=not no_progress, label="recordings") as hook:
        report = run_with(eng, items, spec, out_dir, hook=hook)
    print_report(report)
    print_missing(missing)
    exit_for(report)

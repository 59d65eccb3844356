"""``sessionscope run``: recordings → transcripts with named speakers → the same outputs as ``analyze``."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, Optional

import click

from sessionscope.cli.analyze import batch_options, prepare
from sessionscope.errors import SessionscopeError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@batch_options
@click.option("--model", help="Whisper model: base (embedded, multilingual), tiny.en (embedded, fast English), "
              "a faster-whisper name or a CTranslate2 folder (overrides asr.model).")
@click.option("--speakers", type=click.IntRange(1, 20), help="Exact number of speakers for inputs without a manifest entry.")
@click.option("--channels", type=click.Choice(["auto", "always", "never"]), help="Diarize by channel (one person per channel).")
@click.option("--allow-download", is_flag=True, help="Allow downloading a hub model named with --model (needs internet).")
def run(paths: tuple[Path, ...], manifest: Optional[Path], out_dir: Path, config_path: Optional[Path],
        participants: tuple[str, ...], language: Optional[str], stages: Optional[str], formats: tuple[str, ...],
        force: bool, no_progress: bool, model: Optional[str], speakers: Optional[int], channels: Optional[str],
        allow_download: bool) -> None:
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
    from sessionscope.batch import discover, make_items, run_batch
    from sessionscope.cli.common import exit_for, print_report, progress_hook
    from sessionscope.config import load_config
    from sessionscope.outputs import write_outputs
    from sessionscope.pipeline import build_stages

    try:
        config, fmts = prepare(config_path, stages, formats, language)
        overrides: dict[str, Any] = {}
        if model or allow_download:
            overrides["asr"] = {**({"model": model} if model else {}), **({"allow_download": True} if allow_download else {})}
        if channels:
            overrides["diarization"] = {"channel_mode": channels}
        if overrides:
            base = config.model_dump(mode="json")
            for k, v in overrides.items():
                base[k].update(v)
            config = load_config(None, overrides=base)
        files = discover(paths, suffixes=AUDIO_SUFFIXES)
        if not files:
            raise click.UsageError("no recordings found in " + ", ".join(map(str, paths)))
        loader = AudioLoader(config=config, manifest_path=manifest, participants=participants, language=language,
                             speakers=speakers, out_dir=out_dir)
        items = make_items(files, manifest=loader.manifest)
        from sessionscope.audio.asr import get_model

        get_model(config.asr)  # fail fast, once, when the model is missing
        stage_objs = build_stages(config)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e

    with progress_hook(len(items), enabled=not no_progress, label="recordings") as hook:
        loader.hook = hook
        report = run_batch(items, load=loader, stages=stage_objs, config=config, out_dir=out_dir,
                           write_extra=lambda s, out: write_outputs(s, out, fmts, config=config), resume=not force, hook=hook, kind="run")
    print_report(report)
    exit_for(report)


def _options_entry(participants: tuple[str, ...], language: Optional[str]) -> Any:
    """A manifest-like entry from ``-p NAME=ROLE`` options (used before/without io.manifest)."""
    try:
        from sessionscope.io.manifest import entry_from_options

        return entry_from_options(list(participants), language=language)
    except ImportError:
        people = []
        for spec in participants:
            name, _, role = spec.partition("=")
            people.append(SimpleNamespace(id=None, name=name.strip(), role=role.strip() or None, voice_sample=None))
        return SimpleNamespace(id=None, pair_id=None, date=None, language=language, participants=people)


class AudioLoader:
    """Turns a batch item into a Session with :func:`sessionscope.audio.pipeline.transcribe_file`."""

    def __init__(self, *, config: Any, manifest_path: Optional[Path], participants: tuple[str, ...],
                 language: Optional[str], speakers: Optional[int], out_dir: Path) -> None:
        self.config = config
        self.language = language
        self.hook: Any = None
        self.manifest = None
        if manifest_path:
            from sessionscope.io.manifest import load_manifest

            self.manifest = load_manifest(manifest_path)
        self.default_entry = _options_entry(participants, language) if participants else None
        self.voiceprint_dir = config.participants.voiceprint_dir or str(Path(out_dir) / "voiceprints")
        if speakers:
            d = config.diarization.model_copy(update={"min_speakers": speakers, "max_speakers": speakers})
            self.config = config.model_copy(update={"diarization": d})

    def __call__(self, item: Any) -> Any:
        from sessionscope.audio.pipeline import transcribe_file

        entry = item.entry or self.default_entry
        return transcribe_file(item.path, config=self.config, entry=entry, hook=self.hook, session_id=item.session_id,
                               language=self.language, voiceprint_dir=self.voiceprint_dir)

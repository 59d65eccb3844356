"""Extraction of recommendations, action items, questions and problems (EN + RU).

Rules on parses (:mod:`.recommendations`, :mod:`.actions`, :mod:`.problems`), due-date
resolution (:mod:`.dates`), an embedding classifier for what the rules miss
(:mod:`.classifier`) and the pipeline stage (:mod:`.stage`). Method: ``docs/extraction.md``.
"""

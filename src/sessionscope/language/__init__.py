"""Per-language text processing and the sentence-embedding backends.

``sessionscope.language.embeddings.get_encoder(name)`` is the one entry point to
sentence embeddings for every stage (topics, extraction, summaries).
"""

"""Sentence embeddings on the CPU, from a model that ships inside a registry package.

WordLlama's wheel carries its 256-dimension token embeddings and its tokenizer file, so
nothing is downloaded, ever: the model is loaded with downloads disabled and its cache
folder pointed at the package itself (its 0.4 release looks for the tokenizer in
``<cache>/tokenizers``, which is where the wheel puts it). A comment's embedding is the
mean of its tokens' vectors, normalised: texts that say alike things, in whatever words,
land near each other, which is what lets a classifier over them recognise a comparison to
vermin or a wish that a people did not exist without a listed word in it.
"""

import logging
import threading
from functools import cache

import numpy as np

DIMENSIONS = 256

_lock = threading.Lock()


class EmbeddingModelError(RuntimeError):
    """The packaged embedding model cannot be loaded (a broken or partial install)."""


@cache
def _model():
    with _lock:
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            from pathlib import Path

            import wordllama
            from wordllama import WordLlama

            package = Path(wordllama.__file__).parent
            model = WordLlama.load(
                config="l2_supercat", dim=DIMENSIONS, cache_dir=package, disable_download=True
            )
        except (ImportError, OSError, ValueError) as error:
            raise EmbeddingModelError(
                f"the packaged WordLlama model cannot load: {error}"
            ) from error
        finally:
            # wordllama's inference module calls logging.basicConfig() when imported, which
            # would add a second handler to the site's root logger: undo it.
            root.handlers[:] = handlers
            root.setLevel(level)
        return model


def model_load() -> None:
    """Load the model now (a worker's warm-up, a system check); raises EmbeddingModelError."""
    _model()


def sentence_embeddings(texts: list[str]) -> np.ndarray:
    """One L2-normalised row of ``DIMENSIONS`` floats per text (a zero row for no tokens):
    the mean of its tokens' vectors, as ``WordLlama.embed`` pools them.

    Read from the model's own tokenizer and embedding matrix, one text at a time: ``embed``
    pads a batch to its longest text and, for the one comment a post scores, costs twice
    the arithmetic in its batching."""
    model = _model()
    rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = model.tokenizer.encode(text, add_special_tokens=False).ids
        if ids:
            pooled = model.embedding[np.asarray(ids)].mean(axis=0)
            norm = float(np.linalg.norm(pooled))
            if norm > 0:
                rows[row] = pooled / norm
    return rows

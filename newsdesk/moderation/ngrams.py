"""Counting a fitted vectorizer's known n-grams in one text, fast: the analyzer's
``Counter(analyze(text))`` restricted to the vocabulary, as (columns, counts) arrays.

Scikit-learn's ``char_wb`` analyzer builds every 2- to 5-character string of a comment in
Python (about four per character) and each is then looked up in the vocabulary: a
millisecond for an ordinary comment, the largest part of scoring it. ``CharWbCounter`` does
the same count with a few array operations: each character the vocabulary knows gets a small
code, an n-gram becomes the integer its codes spell, and the vocabulary is a sorted array of
such integers. The encoding is exact (no hashing): two n-grams share an integer only if they
are the same string, so the counts are the analyzer's own; ``tests/test_ngrams.py`` compares
both on the labelled comments and on generated text.
"""

import sys
from collections import Counter

import numpy as np


class VocabularyCounter:
    """Any analyzer: its n-grams counted in Python, then looked up (the general case)."""

    def __init__(self, analyze, vocabulary: dict[str, int]):
        self.analyze = analyze
        self.vocabulary = vocabulary

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        vocabulary = self.vocabulary
        counts = {}
        # Counted in C first: a long comment repeats many of its n-grams.
        for feature, times in Counter(self.analyze(text)).items():
            column = vocabulary.get(feature)
            if column is not None:
                counts[column] = times
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        return columns, values


class CharWbCounter:
    """A ``char_wb`` vectorizer's count: n-grams inside each space-padded word, as integers.

    A word ``w`` is read as ``" " + w + " "`` and contributes every n-gram that lies inside
    it, for each n of the range up to its padded length (scikit-learn's ``_char_wb_ngrams``:
    with n from 2 or 3 a padded word, at least 3 long, is never shorter than the smallest n).
    """

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int]):
        self.min_n, self.max_n = ngram_range
        alphabet = sorted(set("".join(vocabulary)))
        # Code 0 is "a character no known n-gram contains": an n-gram holding one is unknown.
        self.bits = max(1, len(alphabet).bit_length())
        if self.bits * self.max_n > 63:
            raise ValueError("too many distinct characters to spell n-grams as integers")
        # Indexed by code point, all of Unicode (1-2 MB): one lookup codes a whole text.
        dtype = np.uint8 if len(alphabet) < 256 else np.uint16
        self.codes = np.zeros(sys.maxunicode + 1, dtype=dtype)
        for code, char in enumerate(alphabet, start=1):
            self.codes[ord(char)] = code
        keys = np.fromiter(
            (self._key(feature) for feature in vocabulary), dtype=np.int64, count=len(vocabulary)
        )
        columns = np.fromiter(vocabulary.values(), dtype=np.intp, count=len(vocabulary))
        order = np.argsort(keys)
        self.keys, self.columns = keys[order], columns[order]

    @classmethod
    def fits(cls, params: dict) -> bool:
        """Whether ``params`` (a vectorizer's) are the ones this counts exactly."""
        return (
            params["analyzer"] == "char_wb"
            and params["lowercase"]
            and params["preprocessor"] is None
            and params["strip_accents"] is None
            and params["ngram_range"][0] in (2, 3)
        )

    def _key(self, ngram: str) -> int:
        key = 0
        for char in ngram:
            key = (key << self.bits) | int(self.codes[ord(char)])
        return key

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        words = text.lower().split()
        if not words:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float64)
        padded = "".join(f" {word} " for word in words)
        points = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)
        codes = self.codes[points].astype(np.int64)
        # Where each character's padded word ends (exclusive): n-grams may not cross it.
        lengths = np.fromiter((len(word) + 2 for word in words), dtype=np.intp, count=len(words))
        word_end = np.repeat(np.cumsum(lengths), lengths)
        # Unknown characters counted up to each position: a window with one is no n-gram.
        unknown = np.concatenate(([0], np.cumsum(codes == 0)))
        starts = np.arange(len(codes))
        found = []
        key = codes  # each longer n is a new array: nothing is changed in place
        for n in range(1, self.max_n + 1):
            if n > 1:
                key = (key[:-1] << self.bits) | codes[n - 1 :]
            if n < self.min_n:
                continue
            inside = (starts[: len(key)] + n <= word_end[: len(key)]) & (
                unknown[n : n + len(key)] == unknown[: len(key)]
            )
            found.append(key[inside])
        values, counts = np.unique(np.concatenate(found), return_counts=True)
        where = np.searchsorted(self.keys, values)
        where[where == len(self.keys)] = 0
        hit = self.keys[where] == values
        return self.columns[where[hit]], counts[hit].astype(np.float64)


def vocabulary_counter(vectorizer):
    """The fastest exact counter for a fitted vectorizer."""
    params = vectorizer.get_params()
    if CharWbCounter.fits(params):
        try:
            return CharWbCounter(vectorizer.vocabulary_, params["ngram_range"])
        except ValueError:
            pass
    return VocabularyCounter(vectorizer.build_analyzer(), vectorizer.vocabulary_)

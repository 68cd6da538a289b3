"""The fast n-gram counter counts exactly what scikit-learn's analyzer counts."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk.moderation.ngrams import CharWbCounter, VocabularyCounter, vocabulary_counter
from newsdesk.moderation.selectors import training_examples_shipped

TEXTS = [example.text for example in training_examples_shipped()]


def _fitted(**params) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, **params).fit(TEXTS)


CHARS = _fitted()


def _as_dict(counted) -> dict[int, int]:
    columns, counts = counted
    return dict(zip(columns.tolist(), counts.tolist(), strict=True))


def _analyzer_counts(vectorizer, text: str) -> dict[int, int]:
    vocabulary = vectorizer.vocabulary_
    counted = Counter(vectorizer.build_analyzer()(text))
    return {vocabulary[gram]: n for gram, n in counted.items() if gram in vocabulary}


def test_the_char_wb_vectorizer_gets_the_array_counter():
    assert isinstance(vocabulary_counter(CHARS), CharWbCounter)
    words = TfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    assert isinstance(vocabulary_counter(words), VocabularyCounter)
    accented = _fitted(strip_accents="unicode")
    assert isinstance(vocabulary_counter(accented), VocabularyCounter)


def test_every_labelled_comment_is_counted_as_the_analyzer_counts_it():
    count = vocabulary_counter(CHARS)
    for text in TEXTS:
        assert _as_dict(count(text)) == _analyzer_counts(CHARS, text), text


EDGE_TEXTS = ["", "   ", "a", "I", "ok!", "two  spaces\tand\na tab", "Ünïcode ✓ 日本 ab", "x" * 50]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_edge_texts_are_counted_as_the_analyzer_counts_them(text):
    assert _as_dict(vocabulary_counter(CHARS)(text)) == _analyzer_counts(CHARS, text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdeiklnorst .,!'\n\tÉé日3"), max_size=80))
def test_generated_text_is_counted_as_the_analyzer_counts_it(text):
    assert _as_dict(vocabulary_counter(CHARS)(text)) == _analyzer_counts(CHARS, text)


def test_a_vocabulary_of_too_many_characters_falls_back_to_the_analyzer():
    # 4,201 distinct characters: five of them no longer fit in 63 bits.
    pairs = [chr(0x4E00 + i) + chr(0x4E00 + i + 1) for i in range(4200)]
    many = [" ".join(pairs[k : k + 40]) for k in range(0, 4200, 40)]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).fit(many)
    with pytest.raises(ValueError, match="too many distinct characters"):
        CharWbCounter(vectorizer.vocabulary_, (2, 5))
    counter = vocabulary_counter(vectorizer)
    assert isinstance(counter, VocabularyCounter)
    assert _as_dict(counter(many[3])) == _analyzer_counts(vectorizer, many[3])

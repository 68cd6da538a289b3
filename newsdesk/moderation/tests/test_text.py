# ruff: noqa: RUF001, RUF003 (lookalike letters are the test input)
"""Folding and obfuscation-proof term patterns."""

import pytest

from newsdesk.moderation.text import deleet, fold, mask, plain_text, term_pattern


def test_fold_undoes_lookalike_letters_accents_width_and_invisible_characters():
    assert fold("Ｓｃａｍ") == "scam"
    assert fold("n\u0456gg\u0435r") == "nigger"  # Cyrillic і and е
    assert fold("fàggöt") == "faggot"
    assert fold("k\u200bi\u200dke") == "kike"
    assert fold("it’s") == "it's"


def test_deleet_reads_digits_inside_words_but_leaves_numbers_alone():
    assert deleet("h0l0caust in 1945") == "holocaust in 1945"
    assert deleet("$500 a day") == "$500 a day"
    assert deleet("soooo baaad") == "so bad"


@pytest.mark.parametrize(
    "written",
    ["kike", "KIKE", "k1ke", "kiiiike", "k.i.k.e", "k i k e", "k-i-k-e", "k*ke", "kikes", "k!k3"],
)
def test_term_pattern_sees_through_obfuscation(written):
    assert term_pattern("kike").search(fold(written))


@pytest.mark.parametrize(
    "innocent", ["kikeriki", "the kick engine", "it's pic time", "spice", "has pic", "Niger"]
)
def test_term_pattern_does_not_join_ordinary_words(innocent):
    text = fold(innocent)
    assert not term_pattern("kike").search(text)
    assert not term_pattern("spic").search(text)
    assert not term_pattern("nigger").search(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [("kike", (0, 4)), ("a kike.", (2, 6)), ("(k-i-k-e)", (1, 8)), ("kkike", (0, 5))],
)
def test_term_pattern_matches_whole_words_from_their_first_letter(text, span):
    assert term_pattern("kike").search(text).span() == span


@pytest.mark.parametrize("text", ["akike", "9kike", "ak i k e", "kikex"])
def test_term_pattern_needs_a_word_start(text):
    assert not term_pattern("kike").search(text)


def test_mask_keeps_only_the_first_letter():
    assert mask("faggot") == "f*****"


def test_plain_text_strips_markup_and_decodes_entities():
    assert plain_text("<p>Fish &amp; <b>chips</b></p>") == "Fish & chips"

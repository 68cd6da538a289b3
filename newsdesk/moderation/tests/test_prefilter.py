"""The literal guard skips only searches that could not match."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.moderation import terms
from newsdesk.moderation.prefilter import LiteralGuard, required_literals, top_level_branches
from newsdesk.moderation.selectors import training_examples_shipped
from newsdesk.moderation.text import deleet, fold, plain_text

WEIGHTED_LISTS = ("spam_phrases.txt", "abuse_threats.txt", "abuse_putdowns.txt", "hate_tropes.txt")
ENTRIES = [entry for name in WEIGHTED_LISTS for entry in terms.weighted(name)]


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\b(?:cheap|discount)\b", {"cheap", "discount"}),
        (r"\bcheap(?:est)?\b", {"cheap"}),
        (r"a+b?", {"a"}),
        (r"[ab]c", {"c"}),
        (r"\bi know where you (?:live|work)", {"i know where you "}),
        (r"(?:jews?|the tribe)\b[^.!?]{0,30}?\b(?:behind|pulls)", {"behind", "pulls"}),
    ],
)
def test_the_literals_every_match_contains(pattern, literals):
    assert required_literals(pattern) == literals


@pytest.mark.parametrize(
    "pattern", [r"x*", r"(?i)abc", r"(?:ab|c?)", r"[a-z]+", r"\b\w+\b", r"(?i:abc)", r"(\w)\1"]
)
def test_patterns_that_guarantee_no_literal_are_always_searched(pattern):
    assert required_literals(pattern) is None
    assert LiteralGuard(re.compile(pattern)).literals is None


def test_a_case_insensitive_compiled_pattern_is_always_searched():
    guard = LiteralGuard(re.compile("cheap", re.IGNORECASE))
    assert guard.literals is None
    assert guard.search("CHEAP") is not None


@pytest.mark.parametrize(
    ("pattern", "branches"),
    [
        (r"a|b", ["a", "b"]),
        (r"\bx(?:y|z)\b|w", [r"\bx(?:y|z)\b", "w"]),
        (r"[|\]]w|c\|d", [r"[|\]]w", r"c\|d"]),
        (r"[]|]e|[^]|]f", ["[]|]e", "[^]|]f"]),
        (r"plain", ["plain"]),
    ],
)
def test_a_pattern_splits_only_at_its_top_level_bars(pattern, branches):
    assert top_level_branches(pattern) == branches


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"ab|a", "xab"),  # both at one position: the first branch, as the whole pattern
        (r"b|ab", "ab"),  # the leftmost match wins over the earlier branch
        (r"\bcrawl back\b|\bgrow up\b", "grow up and crawl back"),
        (r"\bcrawl back\b|\bgrow up\b", "growing up"),
    ],
)
def test_a_list_of_alternatives_finds_the_whole_patterns_match(pattern, text):
    guard = LiteralGuard(re.compile(pattern))
    assert guard.branches is not None
    found, expected = guard.search(text), re.search(pattern, text)
    assert (found and found.span()) == (expected and expected.span())


def test_a_pattern_with_capturing_groups_is_searched_whole():
    assert LiteralGuard(re.compile(r"(cheap)|discount")).branches is None


def test_the_shipped_lists_have_guards():
    guarded = [entry for entry in ENTRIES if entry.guard.literals]
    assert len(guarded) == len(ENTRIES)


def _same(entry, text: str) -> bool:
    expected = entry.pattern.search(text)
    found = entry.search(text)
    return (found and found.span()) == (expected and expected.span())


def test_every_labelled_comment_gets_the_regex_answer_from_every_list_entry():
    texts = [deleet(fold(plain_text(example.text))) for example in training_examples_shipped()]
    hits = 0
    for text in texts:
        for entry in ENTRIES:
            assert _same(entry, text), (entry.description, text)
            hits += entry.pattern.search(text) is not None
    assert hits > 50  # the labelled spam, threats and tropes do match


# Pieces of the lists' own literals and ordinary words, so generated text often matches.
FRAGMENTS = sorted(
    {literal for entry in ENTRIES for literal in entry.guard.literals}
    | {"you", "the", "i", "will", "me", "now", "$", "500", "a day", ".", "!", "\n", "jews", "are"}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12), st.sampled_from([" ", "", ", "]))
def test_generated_text_gets_the_regex_answer_from_every_list_entry(pieces, glue):
    text = glue.join(pieces)
    for entry in ENTRIES:
        assert _same(entry, text), (entry.description, text)

"""The demo is the project's own writing: nothing of the seed page's text is in it.

The seed (``../shared/seed/``) is read at test time, never copied here; the test skips where
it is absent.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from newsdesk.articles.models import ArticlePage, Author, NewsImage, SectionPage

SEED_DIR = Path(
    os.environ.get("NEWSDESK_SEED_DIR", Path(settings.BASE_DIR).parent / "shared" / "seed")
)
SHINGLE = 5  # words: long enough that common phrases ("one of the") do not count


def _seed_text() -> str:
    captures = sorted(SEED_DIR.glob("000_*.txt"))
    if not captures:
        pytest.skip(f"the seed page is not available at {SEED_DIR}")
    return captures[0].read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _seed_names(seed: str) -> set[str]:
    """Proper names of the seed: capitalised every time, at least twice, mid-sentence once."""
    tokens = re.findall(r"[A-Za-z]+", seed)
    lowercase = {t.lower() for t in tokens if t[0].islower()}
    mid_sentence = set(re.findall(r"(?<=[a-z,] )([A-Z][a-z]{3,})", seed))
    return {
        t
        for t in mid_sentence
        if t.lower() not in lowercase and sum(1 for x in tokens if x == t) >= 2
    }


def _demo_text() -> str:
    parts = []
    for article in ArticlePage.objects.all():
        body = strip_tags(json.dumps(list(article.body.raw_data), ensure_ascii=False))
        parts += [article.title, article.standfirst, body]
    parts += [f"{s.title} {s.intro}" for s in SectionPage.objects.all()]
    parts += [f"{a.name} {a.role} {a.bio}" for a in Author.objects.all()]
    parts += [f"{i.title} {i.description} {i.caption}" for i in NewsImage.objects.all()]
    return "\n".join(parts)


def test_no_five_word_run_of_the_seed_appears_in_the_demo(demo_db):
    seed = _seed_text()
    shared = _shingles(_words(seed)) & _shingles(_words(_demo_text()))
    assert not shared, f"the demo repeats the seed: {sorted(shared)[:5]}"


def test_the_seed_names_no_one_in_the_demo(demo_db):
    names = _seed_names(_seed_text())
    assert len(names) >= 5, "the seed's names were found (the check itself works)"
    demo_words = set(re.findall(r"[A-Za-z]+", _demo_text()))
    assert not names & demo_words


def test_the_check_would_catch_a_copied_sentence(demo_db):
    seed_line = max(_seed_text().splitlines(), key=len)
    copied = _shingles(_words(_demo_text() + "\n" + seed_line))
    assert _shingles(_words(seed_line)) <= copied
    assert _shingles(_words(seed_line)) & _shingles(_words(_seed_text()))

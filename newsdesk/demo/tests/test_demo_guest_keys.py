"""The demo's guests and voters get random keys: nobody who reads the code can act as them.

A guest key is the only credential of a guest (edit, delete, see held comments); a key
derived from the guest's name would be the same on every demo site.
"""

from io import StringIO

import pytest

from newsdesk.demo import discussion as demo_discussion
from newsdesk.discussion.models import Comment, Vote
from newsdesk.discussion.readers import guest_key_hash
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def test_demo_guest_and_voter_keys_are_not_derived_from_names(article):
    make_article(section=article.get_parent().specific, title="The newest story")
    demo_discussion.load(stdout=StringIO())
    guests = Comment.objects.filter(source="demo", user__isnull=True)
    assert guests.exists()
    guessable = {guest_key_hash(f"demo-guest-{spec.author}") for spec in demo_discussion.THREAD}
    assert not guessable & set(guests.values_list("guest_key_hash", flat=True))
    # One guest writing several comments is still one author (one key per guest and load).
    by_name = {}
    for name, key_hash in guests.values_list("guest_name", "guest_key_hash"):
        assert key_hash and by_name.setdefault(name, key_hash) == key_hash
    voters = set(Vote.objects.filter(comment__source="demo").values_list("voter_key", flat=True))
    assert voters
    guessable_voters = {f"guest:{guest_key_hash(f'demo-voter-{n}')}" for n in range(20)}
    assert not voters & guessable_voters

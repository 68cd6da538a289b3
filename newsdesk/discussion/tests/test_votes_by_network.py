"""Finding 4 of issue 17 (votes), as the attack: a script that rotates guest tokens or drops
its cookie is a new reader each time, so it could vote a comment up without end and reorder
the "best" sort. A vote counts once per reader and once per network (IPv4 /24, IPv6 /64):
more readers from the same network are recorded as theirs but not counted.
"""

import pytest
from django.test import Client

from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment, Vote
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import comment_vote
from newsdesk.discussion.tests.helpers import guest, member, post

pytestmark = pytest.mark.django_db
VOTES = 50


@pytest.fixture
def comment(article):
    return post(article, guest(), "Vote this one up, please.")


def _score(comment) -> tuple[int, int, int]:
    comment.refresh_from_db()
    return comment.upvotes, comment.downvotes, comment.score


def test_rotating_guest_tokens_from_one_address_count_once(client, comment):
    url = f"/api/comments/{comment.pk}/votes"
    for _ in range(VOTES):
        response = client.post(
            url,
            data={"value": 1},
            content_type="application/json",
            HTTP_X_GUEST_TOKEN=guest_key_new(),
            REMOTE_ADDR="198.51.100.7",
        )
        assert response.status_code == 201
    assert _score(comment) == (1, 0, 1)


@pytest.mark.parametrize("way", ["form", "script"])
def test_cookie_less_form_votes_from_one_address_count_once(comment, way):
    """Throwaway browsers, without the script (the form) or with it (the JSON API, which
    gives each its guest cookie as the form does)."""
    for _ in range(VOTES):
        if way == "form":
            url = f"/discussion/comments/{comment.pk}/vote/"
            response = Client().post(url, {"value": "up"}, REMOTE_ADDR="198.51.100.7")
            assert response.status_code == 303
        else:
            url = f"/api/comments/{comment.pk}/votes"
            response = Client().post(
                url, {"value": 1}, content_type="application/json", REMOTE_ADDR="198.51.100.7"
            )
            assert response.status_code == 201
        assert conf.GUEST_COOKIE in response.cookies
    assert _score(comment) == (1, 0, 1)
    # Each throwaway reader's vote is theirs (shown to them) but only the first counted.
    assert Vote.objects.filter(comment=comment).count() == VOTES


@pytest.mark.parametrize(
    "address",
    [
        lambda n: f"198.51.100.{n + 1}",  # one IPv4 /24
        lambda n: f"2001:db8:5:6::{n + 1:x}",  # one IPv6 /64
        lambda n: f"2001:db8:5:6:{n:x}:{n:x}:{n:x}:1",  # the same /64, other interface ids
        lambda n: f"::ffff:198.51.100.{n + 1}",  # IPv4 written as IPv6
    ],
)
def test_rotating_addresses_inside_one_network_count_once(comment, address):
    url = f"/api/comments/{comment.pk}/votes"
    for n in range(VOTES):
        response = Client().post(
            url,
            data={"value": 1},
            content_type="application/json",
            HTTP_X_GUEST_TOKEN=guest_key_new(),
            REMOTE_ADDR=address(n),
        )
        assert response.status_code == 201
    assert _score(comment) == (1, 0, 1)


def test_a_downvote_from_the_same_network_does_not_count_either(comment):
    comment_vote(
        comment_id=comment.pk, reader=Reader(guest_key="a", ip_address="192.0.2.1"), value=1
    )
    comment_vote(
        comment_id=comment.pk, reader=Reader(guest_key="b", ip_address="192.0.2.99"), value=-1
    )
    assert _score(comment) == (1, 0, 1)


def test_readers_of_different_networks_each_count(comment):
    for address in ("192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8:1::1", "2001:db8:2::1"):
        comment_vote(
            comment_id=comment.pk, reader=Reader(guest_key=guest_key_new(), ip_address=address),
            value=1,
        )  # fmt: skip
    assert _score(comment) == (5, 0, 5)


def test_signed_in_readers_count_once_per_network_too(comment):
    first, second = (
        Reader(user=member(name).user, ip_address="192.0.2.20") for name in ("first", "second")
    )
    comment_vote(comment_id=comment.pk, reader=first, value=1)
    comment_vote(comment_id=comment.pk, reader=second, value=1)
    assert _score(comment) == (1, 0, 1)
    assert set(Vote.objects.values_list("voter_key", "counted")) == {
        (first.voter_key, True),
        (second.voter_key, False),
    }


def test_the_best_sort_is_not_reordered_by_throwaway_votes(client, article, comment):
    """The attack's aim: push a comment above another that more networks liked."""
    liked = post(article, guest(), "A comment many readers liked.")
    for n in range(3):
        comment_vote(
            comment_id=liked.pk,
            reader=Reader(guest_key=guest_key_new(), ip_address=f"203.0.{113 + n}.9"),
            value=1,
        )
    for _ in range(VOTES):
        client.post(
            f"/api/comments/{comment.pk}/votes",
            data={"value": 1},
            content_type="application/json",
            HTTP_X_GUEST_TOKEN=guest_key_new(),
            REMOTE_ADDR="198.51.100.7",
        )
    ids = [c["id"] for c in client.get(f"/api/threads/{article.pk}?sort=best").json()["comments"]]
    assert ids.index(liked.pk) < ids.index(comment.pk)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.77", "192.0.2.0/24"),
        ("2001:db8:aa:bb:cc::1", "2001:db8:aa:bb::/64"),
        ("::ffff:192.0.2.77", "192.0.2.0/24"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_network_of(address, network):
    from newsdesk.discussion.networks import network_of

    assert network_of(address) == network


def test_a_reader_without_an_address_is_counted_by_their_own_identity(comment):
    """Content the site loads itself (the demo's voters) has no address: each counts."""
    for n in range(3):
        comment_vote(comment_id=comment.pk, reader=Reader(guest_key=f"demo-{n}"), value=1)
    assert _score(comment) == (3, 0, 3)
    assert Comment.objects.get(pk=comment.pk).score == 3

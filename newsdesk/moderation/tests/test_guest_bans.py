"""Guests banned by what identifies them: their guest key, the e-mail address they gave, the
network they wrote from (IPv4 /24, IPv6 /64). The moderator picks which from a queued
comment; the ban stops that guest's next comment, vote and report, and nobody else's; the
bans page shows what it matches, and lifting it lets the guest back in."""

import secrets

import pytest
from django.test import Client

from newsdesk.discussion.errors import NotAllowed as VoteRefused
from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import STATUS_MESSAGES, comment_vote
from newsdesk.moderation.errors import InvalidInput, NotAllowed
from newsdesk.moderation.models import Ban, BanKind, Decision, DecisionAction
from newsdesk.moderation.services import ban_from_comment, ban_lift, report_create
from newsdesk.moderation.wagtail_hooks import BANNED_READER

from .conftest import SPAM, guest_reader, member_reader, post

pytestmark = pytest.mark.django_db

TEXT = "The gauge readings at the border bridge match the basin authority's series."
OTHER_TEXT = "Has anyone compared the August figures with the ones from last spring?"


@pytest.fixture
def troll(article):
    """A guest's held comment, carrying a key, an e-mail address and an address."""
    reader = Reader(guest_key=guest_key_new(), ip_address="198.51.100.7")
    comment = post(article, reader, SPAM, name="Troll", email="Troll@Example.org")
    assert comment.status == CommentStatus.HELD
    return reader, comment


def _again(article, reader: Reader, **kw) -> Comment:
    if reader.user is None:
        kw.setdefault("name", "Someone")
    return post(article, reader, OTHER_TEXT, **kw)


# The same guest coming back, as each identifier sees them: with only the key (a new
# address, no e-mail), only the e-mail (a new key and network), only the network (a new key,
# another address of the /24, no e-mail).
RETURNS = {
    "key": lambda key: (Reader(guest_key=key, ip_address="203.0.113.9"), {}),
    "email": lambda key: (
        Reader(guest_key=guest_key_new(), ip_address="203.0.113.9"),
        {"email": "troll@example.org"},
    ),
    "network": lambda key: (Reader(guest_key=guest_key_new(), ip_address="198.51.100.200"), {}),
}


@pytest.mark.parametrize("identifier", ["key", "email", "network"])
def test_a_guest_banned_by_one_identifier_is_refused_and_nobody_else(
    article, moderator, troll, identifier
):
    reader, comment = troll
    decision = ban_from_comment(
        comment_id=comment.pk, actor=moderator, identifiers=[identifier], reason="flooding"
    )
    ban = Ban.objects.get()
    assert decision.ban == ban and ban.kind == BanKind.GUEST
    assert [name for name, _ in ban.guest_identifiers] == [identifier]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED

    back, fields = RETURNS[identifier](reader.guest_key)
    refused = _again(article, back, **fields)
    assert refused.status == CommentStatus.REJECTED
    assert f"ban {ban.pk}" in refused.status_reason and "banned" in refused.status_reason

    stranger = Reader(guest_key=guest_key_new(), ip_address="192.0.2.44")
    welcome = _again(article, stranger, email="someone@example.org")
    assert welcome.status != CommentStatus.REJECTED and "banned" not in welcome.status_reason


def test_the_default_bans_by_all_the_comment_carries(moderator, troll):
    _, comment = troll
    ban_from_comment(comment_id=comment.pk, actor=moderator)
    ban = Ban.objects.get()
    assert ban.guest_key_hash == comment.guest_key_hash
    assert ban.email == "troll@example.org"
    assert ban.network == "198.51.100.0/24"


def test_an_ipv6_guest_is_banned_by_their_64(article, moderator):
    reader = Reader(guest_key=guest_key_new(), ip_address="2001:db8:5:6::17")
    comment = post(article, reader, SPAM, name="Six")
    ban_from_comment(comment_id=comment.pk, actor=moderator, identifiers=["network"])
    assert Ban.objects.get().network == "2001:db8:5:6::/64"
    neighbour = Reader(guest_key=guest_key_new(), ip_address="2001:db8:5:6:ffff::1")
    assert _again(article, neighbour).status == CommentStatus.REJECTED
    next_block = Reader(guest_key=guest_key_new(), ip_address="2001:db8:5:7::1")
    assert _again(article, next_block).status != CommentStatus.REJECTED


def test_the_banned_guest_is_told_so_over_the_api(article, moderator, troll):
    reader, comment = troll
    ban_from_comment(comment_id=comment.pk, actor=moderator, identifiers=["key"])
    response = Client(REMOTE_ADDR="203.0.113.50").post(
        f"/api/threads/{article.pk}/comments",
        {"body": OTHER_TEXT, "name": "Troll"},
        content_type="application/json",
        HTTP_X_GUEST_TOKEN=reader.guest_key,
    )
    assert response.status_code == 201
    assert response.json()["comment"] is None
    assert response.json()["message"] == STATUS_MESSAGES["rejected"]


@pytest.mark.parametrize("identifier", ["key", "network"])
def test_a_banned_guest_can_neither_vote_nor_report(article, moderator, troll, identifier):
    reader, comment = troll
    target = post(article, member_reader("writer"), TEXT)
    assert target.status == CommentStatus.PUBLISHED
    ban_from_comment(comment_id=comment.pk, actor=moderator, identifiers=[identifier])
    back, _ = RETURNS[identifier](reader.guest_key)

    with pytest.raises(VoteRefused) as refused_vote:
        comment_vote(comment_id=target.pk, reader=back, value=-1)
    assert refused_vote.value.message == BANNED_READER
    with pytest.raises(NotAllowed) as refused_report:
        report_create(comment_id=target.pk, reader=back, reason="abuse")
    assert refused_report.value.message == BANNED_READER
    target.refresh_from_db()
    assert target.downvotes == 0 and not target.moderation_reports.exists()

    stranger = Reader(guest_key=guest_key_new(), ip_address="192.0.2.44")
    assert comment_vote(comment_id=target.pk, reader=stranger, value=-1).downvotes == 1
    report_create(comment_id=target.pk, reader=stranger, reason="abuse")
    assert target.moderation_reports.count() == 1


def test_a_banned_guests_vote_is_refused_with_a_clear_answer_over_http(article, moderator, troll):
    _, comment = troll
    target = post(article, member_reader("writer"), TEXT)
    ban_from_comment(comment_id=comment.pk, actor=moderator, identifiers=["network"])
    response = Client(REMOTE_ADDR="198.51.100.90").post(
        f"/api/comments/{target.pk}/votes",
        {"value": 1},
        content_type="application/json",
        HTTP_X_GUEST_TOKEN=secrets.token_urlsafe(24),
    )
    assert response.status_code == 403
    assert "banned" in response.content.decode()


def test_lifting_the_ban_lets_the_guest_back(article, moderator, troll):
    reader, comment = troll
    ban_from_comment(comment_id=comment.pk, actor=moderator, identifiers=["key"])
    ban_lift(ban_id=Ban.objects.get().pk, actor=moderator)
    assert _again(article, reader).status != CommentStatus.REJECTED


def test_a_comment_with_nothing_to_ban_by_is_a_clear_error(article, moderator, client):
    comment = post(article, guest_reader("192.0.2.5"), SPAM, name="Imported")
    # As an imported comment is: no key, no e-mail address, no address.
    Comment.objects.filter(pk=comment.pk).update(guest_key_hash="", guest_email="", ip_address=None)
    with pytest.raises(InvalidInput, match="carries nothing to ban its author by"):
        ban_from_comment(comment_id=comment.pk, actor=moderator)

    client.force_login(moderator)
    page = client.get("/admin/moderation/").content.decode()
    assert "This comment carries nothing to ban its author by" in page
    response = client.post(
        "/admin/moderation/act/",
        {"single": f"ban:{comment.pk}", f"ban_panel_{comment.pk}": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "carries nothing to ban its author by" in response.content.decode()
    assert not Ban.objects.exists()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD


@pytest.mark.parametrize(
    ("chosen", "words"),
    [([], "Choose at least one"), (["planet"], "not planet"), (["account"], "not account")],
)
def test_a_bad_choice_of_identifiers_is_a_clear_error(moderator, troll, chosen, words):
    _, comment = troll
    with pytest.raises(InvalidInput, match=words):
        ban_from_comment(comment_id=comment.pk, actor=moderator, identifiers=chosen)
    assert not Ban.objects.exists()


def test_the_queue_bans_a_guest_with_the_rows_choices(client, moderator, troll, article):
    reader, comment = troll
    client.force_login(moderator)
    page = client.get("/admin/moderation/").content.decode()
    for value in ("key", "email", "network"):
        assert f'name="ban_with_{comment.pk}" value="{value}" checked' in page
    assert "network 198.51.100.0/24" in page and "e-mail troll@example.org" in page
    response = client.post(
        "/admin/moderation/act/",
        {
            "single": f"ban:{comment.pk}",
            f"ban_panel_{comment.pk}": "1",
            f"ban_with_{comment.pk}": ["email", "network"],
            f"ban_days_{comment.pk}": "7",
            f"ban_reason_{comment.pk}": "abuse in three threads",
        },
    )
    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.guest_key_hash, ban.email, ban.network) == (
        "",
        "troll@example.org",
        "198.51.100.0/24",
    )
    assert ban.expires_at is not None and ban.reason == "abuse in three threads"
    assert Decision.objects.filter(action=DecisionAction.BANNED, ban=ban).exists()

    bans = client.get("/admin/moderation/bans/").content.decode()
    assert 'data-matches="email"' in bans and 'data-matches="network"' in bans
    assert 'data-matches="key"' not in bans and "abuse in three threads" in bans
    client.post(f"/admin/moderation/bans/{ban.pk}/lift/")
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert _again(article, reader, email="troll@example.org").status != CommentStatus.REJECTED


def test_an_accounts_ban_keeps_working_from_the_queue(client, moderator, article):
    member = member_reader("loud")
    comment = post(article, member, SPAM)
    client.force_login(moderator)
    page = client.get("/admin/moderation/").content.decode()
    assert f'name="ban_with_{comment.pk}" value="account" checked' in page
    client.post(
        "/admin/moderation/act/",
        {
            "single": f"ban:{comment.pk}",
            f"ban_panel_{comment.pk}": "1",
            f"ban_with_{comment.pk}": "account",
        },
    )
    ban = Ban.objects.get()
    assert ban.kind == BanKind.ACCOUNT and ban.user == member.user
    assert _again(article, member).status == CommentStatus.REJECTED
    # The bulk controls' default bans the author too: an account, or a guest by all they carry.
    guest = post(article, guest_reader("192.0.2.140"), SPAM, email="g@example.org")
    client.post("/admin/moderation/act/", {"action": "ban", "comment": [guest.pk]})
    guest_ban = Ban.objects.exclude(pk=ban.pk).get()
    assert guest_ban.kind == BanKind.GUEST and guest_ban.email == "g@example.org"


def test_a_guest_kind_cannot_be_added_by_hand(client, moderator):
    client.force_login(moderator)
    response = client.post("/admin/moderation/bans/", {"kind": "guest", "target": "x"})
    assert response.status_code == 400 and not Ban.objects.exists()

"""How a comment was sent (how fast after the form, how often lately) is evidence weighed with
the rest, never a severe hold, and never enough alone to hold a signed-in reader in good
standing (issue 23, item 6). Posted through the real posting service."""

import pytest

from newsdesk.moderation import conf

from .conftest import guest_reader, member_reader, post

pytestmark = pytest.mark.django_db

HONEST = "I read the whole report and the figures on the reservoir add up, as far as I see."
PITCH = "Cheap watches, order now, discreet delivery: https://deals.example.xyz"


def _decision(comment) -> str:
    return comment.status_reason.split(";")[0]


def _reasons(comment) -> str:
    """Every reason the pipeline gave, from the audit log (the comment keeps a shortened copy)."""
    from newsdesk.moderation.models import Decision

    return " ".join(r for d in Decision.objects.filter(comment=comment) for r in d.reasons)


def test_a_signed_in_reader_who_replies_within_a_second_is_published(article):
    reader = member_reader("quick")
    comment = post(article, reader, HONEST, submitted_after=1.0)
    assert comment.status == "published", comment.status_reason
    assert "not held for speed or rate alone" in _reasons(comment)


def test_a_guest_who_sends_the_form_within_a_second_is_held_but_not_as_severe(article):
    comment = post(article, guest_reader(ip="198.51.100.61"), HONEST, submitted_after=1.0)
    assert comment.status == "held", comment.status_reason
    decision = _decision(comment)
    assert decision.startswith("held: ") and "(severe)" not in decision, decision
    assert "1.0 s after it was served" in _reasons(comment)


def test_a_signed_in_readers_sixth_comment_in_ten_minutes_is_published(article):
    reader = member_reader("talkative", ip="198.51.100.62")
    comments = [
        post(article, reader, f"{HONEST} Point {n} of my argument.", submitted_after=60.0)
        for n in range(conf.POSTING_RATE_LIMIT + 1)
    ]
    assert [c.status for c in comments] == ["published"] * len(comments), [
        c.status_reason for c in comments
    ]
    assert "comments in" in _reasons(comments[-1]), "the rate is still recorded"


def test_rate_with_spam_in_the_text_holds_a_signed_in_reader(article):
    reader = member_reader("pitcher", ip="198.51.100.63")
    for n in range(conf.POSTING_RATE_LIMIT):
        post(article, reader, f"{HONEST} Point {n}.", submitted_after=60.0)
    pitched = post(article, reader, PITCH, submitted_after=60.0)
    assert pitched.status == "held", pitched.status_reason
    assert "comments in" in _reasons(pitched)


def test_a_guests_sixth_comment_in_ten_minutes_is_held_but_not_as_severe(article):
    guest = guest_reader(ip="198.51.100.64")
    comments = [
        post(article, guest, f"{HONEST} Point {n}.", submitted_after=60.0)
        for n in range(conf.POSTING_RATE_LIMIT + 1)
    ]
    assert [c.status for c in comments[:-1]] == ["published"] * conf.POSTING_RATE_LIMIT
    assert comments[-1].status == "held"
    assert "(severe)" not in _decision(comments[-1])


def test_guests_sharing_one_network_are_each_one_reader(article):
    # Twelve readers of one office network, one comment each: nobody floods.
    comments = [
        post(article, guest_reader(ip=f"203.0.113.{n + 1}"), f"{HONEST} Reader {n}.")
        for n in range(12)
    ]
    assert [c.status for c in comments] == ["published"] * 12, [c.status_reason for c in comments]


def test_a_filled_honeypot_still_holds_a_signed_in_reader_as_severe(article):
    from newsdesk.discussion.services import CommentDraft, comment_create

    reader = member_reader("automated", ip="198.51.100.65")
    draft = CommentDraft(body=HONEST, honeypot="http://seo.example", submitted_after=60.0)
    comment = comment_create(article=article, reader=reader, draft=draft)
    assert comment.status in {"held", "rejected"}
    assert _decision(comment).startswith(("held (severe)", "rejected")), comment.status_reason

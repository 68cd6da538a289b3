"""Trust levels, as Coral and Disqus have them: a new commenter's first comments, commenters
rejected too often and links from commenters not yet trusted are held; trusted commenters
(long-standing, verified and old enough, supporters) are published through borderline
scores. Each decision says which rule decided, to the moderator and to the commenter."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.html import escape

from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.pipeline import CommentCandidate, Verdict
from newsdesk.funding.models import Donation
from newsdesk.funding.services.ledger import donation_record
from newsdesk.moderation.models import Decision, ModerationSettings
from newsdesk.moderation.policy import (
    CommenterStanding,
    Policy,
    SignalPolicy,
    assessment_decide,
)
from newsdesk.moderation.reasons import reason_text
from newsdesk.moderation.selectors import commenter_standing
from newsdesk.moderation.services import comment_moderate
from newsdesk.moderation.signals import SIGNAL_LABELS, SIGNAL_NAMES, SignalResult

from .conftest import guest_reader, member_reader, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _trust_rules_alone(db, settings):
    # These tests post many plain comments from one reader: the posting-rate signal stays
    # out, and no signal holds (the rules about the commenter decide; the policy tests below
    # give the scores themselves).
    settings.MODERATION_POSTING_RATE_LIMIT = 1000
    _settings(**{f"{name}_hold": 1.0 for name in SIGNAL_NAMES})


PLAIN = "The bridge reopens on Monday after the repairs to the third pier."
LINKED = "The gauge readings for the bridge are published at https://gauges.example.org/bridge"


def _settings(**values) -> ModerationSettings:
    settings = ModerationSettings.load()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def _policy(**changes) -> Policy:
    signals = {name: SignalPolicy(hold=0.5, reject=1.0, severe=False) for name in SIGNAL_NAMES}
    signals.update(changes.pop("signals", {}))
    return Policy(signals=signals, **changes)


def _results(**scores) -> list[SignalResult]:
    return [SignalResult(name, scores.get(name, 0.0), f"{name} reason") for name in SIGNAL_NAMES]


def _member_candidate(user, body: str = PLAIN) -> CommentCandidate:
    return CommentCandidate(
        body=body, thread_key="1", author_name=user.username, author_user_id=user.pk
    )


def _verify(user) -> None:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _gift(email: str, reference: str) -> Donation:
    gift = donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference=reference,
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("10.00"),
        currency="EUR",
        donor_email=email,
    )
    assert gift is not None
    return gift


# --- a new commenter's first comments ------------------------------------------------------------
def test_a_new_commenters_first_comments_are_held_and_say_which_one_this_is(article, moderator):
    _settings(hold_first_comments=2)
    reader = member_reader("newcomer")
    first = post(article, reader, PLAIN)
    second = post(article, reader, "A second thought on the pier and its repairs, with dates.")
    assert (first.status, second.status) == (CommentStatus.HELD, CommentStatus.HELD)
    rule = "held: new commenters' first 2 comments are reviewed by a moderator"
    assert first.status_reason.startswith(f"{rule} (this is your 1st)")
    assert second.status_reason.startswith(f"{rule} (this is your 2nd)")
    # The Decision log (and so the queue) records the rule as the decision.
    assert Decision.objects.get(comment=first).reasons[0] == f"{rule} (this is your 1st)"

    # Still new while fewer than two were published; no longer once they were.
    third = post(article, reader, "And a third, before anyone has read the first two.")
    assert third.status_reason.startswith(f"{rule} (0 of yours published so far)")
    comment_moderate(comment_id=first.pk, action="approve", actor=moderator)
    comment_moderate(comment_id=second.pk, action="approve", actor=moderator)
    assert post(article, reader, "Now a regular here.").status == CommentStatus.PUBLISHED


def test_a_guest_is_always_new_and_the_rule_off_holds_nobody(article):
    _settings(hold_first_comments=1)
    held = post(article, guest_reader(), PLAIN)
    assert held.status == CommentStatus.HELD
    assert held.status_reason.startswith(
        "held: new commenters' first comment is reviewed by a moderator (a guest is always new"
    )
    _settings(hold_first_comments=0)
    other = post(article, guest_reader("192.0.2.11"), "The detour adds ten minutes each way.")
    assert other.status == CommentStatus.PUBLISHED, other.status_reason


def test_a_trusted_commenter_is_not_new():
    rules = _policy(hold_first_comments=5, trusted_after=0)
    supporter = CommenterStanding(signed_in=True, supporter=True)
    assessment = assessment_decide(results=_results(), policy=rules, standing=supporter)
    assert assessment.verdict == Verdict.PUBLISH


# --- commenters rejected too often -------------------------------------------------------------
def test_a_commenter_rejected_too_often_is_held_and_never_trusted(article, moderator):
    _settings(hold_rejected_share=0.5, hold_rejected_min=4, trusted_after_approved=1)
    reader = member_reader("troll")
    comments = [
        post(article, reader, f"Comment {n} about the bridge and the river gauges.")
        for n in range(4)
    ]
    comment_moderate(comment_id=comments[0].pk, action="approve", actor=moderator)
    for comment in comments[1:3]:
        comment_moderate(comment_id=comment.pk, action="reject", actor=moderator)
    # Three decided: under the minimum, and trusted for the approved one.
    assert post(article, reader, "The pier was rebuilt in 1962.").status == "published"
    comment_moderate(comment_id=comments[3].pk, action="spam", actor=moderator)
    standing = commenter_standing(candidate=_member_candidate(reader.user))
    assert (standing.decided, standing.rejected, standing.approved) == (4, 3, 2)

    held = post(article, reader, "The pier was last inspected in spring.")
    assert held.status == CommentStatus.HELD
    assert held.status_reason.startswith("held: 3 of your 4 reviewed comments were rejected")
    # 1.0 switches the rule off.
    _settings(hold_rejected_share=1.0)
    assert post(article, reader, "The lock keepers agree with that.").status == "published"


# --- links from commenters who are not trusted -------------------------------------------------
def test_links_from_commenters_not_yet_trusted_are_held(article):
    _settings(hold_links_from_new=True, trusted_after_approved=2)
    guest = post(article, guest_reader(), LINKED)
    assert guest.status == CommentStatus.HELD
    assert guest.status_reason.startswith(
        "held: comments with links from new commenters are reviewed"
    )
    reader = member_reader("regular")
    assert post(article, reader, LINKED).status == CommentStatus.HELD
    post(article, reader, PLAIN)
    post(article, reader, "Another plain remark on the repairs and the detour.")
    again = "Now that I am a regular: the lock readings, https://locks.example.org/daily"
    regular = post(article, reader, again)
    assert regular.status == CommentStatus.PUBLISHED, regular.status_reason

    _settings(hold_links_from_new=False)
    last = "The ministry's weekly averages: https://ministry.example.org/water"
    assert post(article, guest_reader("192.0.2.12"), last).status == CommentStatus.PUBLISHED


# --- trusted commenters and borderline scores ------------------------------------------------
def test_a_trusted_commenter_is_published_through_a_borderline_score_and_held_above_it():
    rules = _policy(trusted_after=0, trusted_borderline_below=0.9)
    supporter = CommenterStanding(signed_in=True, supporter=True)
    hate = SIGNAL_LABELS["hate"].lower()

    published = assessment_decide(results=_results(hate=0.62), policy=rules, standing=supporter)
    assert published.verdict == Verdict.PUBLISH
    assert published.reasons[0] == (
        f"published: trusted commenter (supporter) — a borderline score ({hate} 0.62 < 0.90) "
        "does not hold a trusted commenter's comment"
    )
    clear = assessment_decide(results=_results(hate=0.95), policy=rules, standing=supporter)
    assert clear.verdict == Verdict.HOLD
    assert clear.reasons[0].startswith(f"held: {hate} 0.95 ≥ 0.50")
    stranger = assessment_decide(results=_results(hate=0.62), policy=rules)
    assert stranger.verdict == Verdict.HOLD
    # A severe signal holds a trusted commenter's comment however low its score.
    severe = _policy(
        trusted_after=0, signals={"hate": SignalPolicy(hold=0.5, reject=1.0, severe=True)}
    )
    held = assessment_decide(results=_results(hate=0.62), policy=severe, standing=supporter)
    assert held.verdict == Verdict.HOLD


@pytest.mark.parametrize(
    ("standing", "trusted"),
    [
        (CommenterStanding(), False),
        (CommenterStanding(signed_in=True, approved=3), True),
        (CommenterStanding(signed_in=True, approved=1, verified=True, account_age_days=30), True),
        (CommenterStanding(signed_in=True, approved=0, verified=True, account_age_days=90), False),
        (CommenterStanding(signed_in=True, approved=1, verified=True, account_age_days=29), False),
        (CommenterStanding(signed_in=True, approved=1, verified=False, account_age_days=90), False),
        (CommenterStanding(signed_in=True, supporter=True), True),
        (CommenterStanding(signed_in=True, supporter=True, rejected=3, decided=3), False),
        (CommenterStanding(signed_in=True, approved=9, rejected=5, decided=9), False),
    ],
)
def test_who_is_trusted(standing, trusted):
    rules = _policy(trusted_after=3, trusted_account_days=30, hold_rejected_min=3)
    assessment = assessment_decide(results=_results(abuse=0.6), policy=rules, standing=standing)
    assert (assessment.verdict == Verdict.PUBLISH) is trusted, assessment.reasons[0]


def test_supporters_are_trusted_only_when_the_setting_says_so():
    supporter = CommenterStanding(signed_in=True, supporter=True)
    off = _policy(trusted_after=0, trust_supporters=False)
    assessment = assessment_decide(results=_results(abuse=0.6), policy=off, standing=supporter)
    assert assessment.verdict == Verdict.HOLD


# --- the standing, read in one query -----------------------------------------------------------
def test_the_standing_of_an_account_is_one_query_and_a_guests_none(
    article, django_assert_num_queries
):
    reader = member_reader("giver")
    written = post(article, reader, PLAIN)
    guest = CommentCandidate(body="x", thread_key="1", author_name="Guest")
    with django_assert_num_queries(0):
        assert commenter_standing(candidate=guest) == CommenterStanding()
    candidate = _member_candidate(reader.user)
    with django_assert_num_queries(1):
        standing = commenter_standing(candidate=candidate)
    assert (standing.signed_in, standing.approved, standing.written) == (True, 1, 1)
    assert (standing.verified, standing.supporter, standing.account_age_days) == (
        False,
        False,
        0,
    )

    # A gift from an address the account has not verified proves nothing.
    _gift(reader.user.email, "gift-1")
    assert not commenter_standing(candidate=candidate).supporter
    _verify(reader.user)
    type(reader.user).objects.filter(pk=reader.user.pk).update(
        date_joined=timezone.now() - timedelta(days=40)
    )
    with django_assert_num_queries(1):
        standing = commenter_standing(candidate=candidate)
    assert (standing.verified, standing.supporter, standing.account_age_days) == (True, True, 40)
    # An edit's own comment is not part of its author's record.
    own = commenter_standing(
        candidate=CommentCandidate(**{**candidate.__dict__, "comment_id": written.pk})
    )
    assert own.approved == 0


def test_a_refunded_gift_makes_no_supporter(article):
    reader = member_reader("refunded")
    _verify(reader.user)
    gift = _gift(reader.user.email, "gift-2")
    donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference="refund-2",
        kind=Donation.Kind.REFUND,
        amount=Decimal("-10.00"),
        currency="EUR",
        related_payment=gift,
    )
    assert not commenter_standing(candidate=_member_candidate(reader.user)).supporter


def test_a_supporter_posts_through_a_link_hold(article):
    _settings(hold_links_from_new=True, trusted_after_approved=0, trust_supporters=True)
    reader = member_reader("patron")
    assert post(article, reader, LINKED).status == CommentStatus.HELD
    _verify(reader.user)
    _gift(reader.user.email.upper(), "gift-3")  # the ledger keeps addresses lower-cased
    assert post(article, reader, LINKED + "?2").status == CommentStatus.PUBLISHED


# --- what the commenter is told --------------------------------------------------------------
def test_the_commenter_is_told_why_their_comment_is_held(client, article):
    _settings(hold_first_comments=1)
    from newsdesk.moderation.tests.conftest import user_in

    user = user_in(None, "firsttimer")
    client.force_login(user)
    response = client.post(
        f"/api/threads/{article.pk}/comments?html=1",
        {"body": PLAIN},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    why = "held: new commenters' first comment is reviewed by a moderator (this is your 1st)"
    assert answer["comment"]["status"] == CommentStatus.HELD
    assert why in answer["message"]
    # Under the comment: the rule in plain words (moderation's reasons), with the appeal.
    plain = escape(f"Why: {reason_text('first_comments')}.")
    assert plain in answer["html"]

    mine = client.get(f"/api/threads/{article.pk}/mine").json()
    assert [plain in held["html"] for held in mine["held"]] == [True]
    # Nobody else sees it: the page anyone reads does not show held comments.
    client.logout()
    page = client.get(article.url).content.decode()
    assert escape(why) not in page and plain not in page


def test_a_published_comment_says_nothing_more(client, article):
    response = client.post(
        f"/api/threads/{article.pk}/comments",
        {"body": PLAIN, "name": "Ann"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["message"].startswith("Your comment is published.")
    assert "Why:" not in response.json()["message"]


def test_the_demo_thread_has_a_new_guests_link_held_by_the_trust_levels(article):
    from io import StringIO

    from newsdesk.demo import discussion as demo_discussion
    from newsdesk.discussion.models import Comment

    demo_discussion.load(stdout=StringIO())
    link = Comment.objects.get(source="demo", source_id="first-link")
    assert link.status == CommentStatus.HELD
    assert link.status_reason.startswith(
        "held: comments with links from new commenters are reviewed"
    )

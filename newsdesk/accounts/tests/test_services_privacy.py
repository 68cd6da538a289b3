"""Privacy services: the "download my data" document and account erasure, through the real
discussion, moderation and funding services and a real database."""

import json
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsdesk.accounts import conf
from newsdesk.accounts.errors import NotErasable, WrongPassword
from newsdesk.accounts.selectors import personal_data_export, personal_data_summary
from newsdesk.accounts.services import account_erase
from newsdesk.accounts.tests import helpers as h
from newsdesk.discussion.models import Comment, Subscription, Vote
from newsdesk.funding.models import CampaignTotal, Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.ledger import campaign_totals_recompute
from newsdesk.moderation.models import Report
from newsdesk.pagecache.tags import page_tag, tags_invalidated_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(article):
    """Ada (who will export and erase), Ben (another reader) and a guest, all active."""
    ada = h.make_reader("ada_reads", email="ada@example.org")
    ben = h.make_reader("ben_reads", email="ben@example.org")
    ada_r, ben_r, guest_r = h.reader_of(ada), h.reader_of(ben, ip="192.0.2.77"), h.guest_reader()
    ben_comment = h.post(article, ben_r, "Ben: the dam was built in 1962.")
    ada_comment = h.post(article, ada_r, "Ada: the river ran dry twice since.", parent=ben_comment)
    guest_comment = h.post(article, guest_r, "Guest: my well too.", name="Cleo", email="cleo@x.org")
    h.vote(ben_comment, ada_r, 1)
    h.vote(ada_comment, ben_r, -1)
    h.vote(guest_comment, ada_r, 1)
    h.report(guest_comment, ada_r, text="Ada's report words")
    h.report(ada_comment, ben_r, text="Ben's report words")
    h.subscribe(ada_comment, email="ada@example.org", user=ada)
    h.subscribe(ben_comment, email="ben@example.org", user=ben)
    campaign = h.make_campaign()
    ada_gift = h.give(campaign, email="ADA@example.org", name="Ada L.", message="Keep digging")
    h.give(campaign, email="ada@example.org", amount="5")
    h.refund(h.give(campaign, email="ada@example.org", amount="7"), amount="-7")
    ben_gift = h.give(campaign, email="ben@example.org", name="Ben B.", message="Ben's words")
    ada_monthly = h.monthly_gift(campaign, email="ada@example.org", name="Ada L.")
    event = ProviderEvent.objects.create(
        provider="demo",
        event_id="evt_ada",
        event_type="checkout.session.completed",
        payload=json.dumps({"customer_email": "Ada@Example.org", "name": "Ada L.", "x": "Ada"}),
        status=ProviderEvent.Status.PROCESSED,
    )
    Donation.objects.filter(pk=ada_gift.pk).update(provider_event=event)
    return {
        "ada": ada,
        "ben": ben,
        "ada_comment": ada_comment,
        "ben_comment": ben_comment,
        "guest_comment": guest_comment,
        "campaign": campaign,
        "ben_gift": ben_gift,
        "ada_monthly": ada_monthly,
        "event": event,
    }


def test_export_holds_the_readers_own_records(world, rf):
    document = personal_data_export(user=world["ada"], request=rf.get("/"))

    assert document["account"]["username"] == "ada_reads"
    assert document["account"]["emails"] == [
        {"address": "ada@example.org", "verified": True, "primary": True}
    ]
    [comment] = document["comments"]
    assert comment["body"] == "Ada: the river ran dry twice since."
    assert comment["status"] == "published"
    assert comment["in_reply_to"] == world["ben_comment"].pk
    assert comment["article_url"].endswith(world["ada_comment"].thread.article.url)
    assert sorted(v["comment_id"] for v in document["votes"]) == sorted(
        [world["ben_comment"].pk, world["guest_comment"].pk]
    )
    assert [r["text"] for r in document["reports"]] == ["Ada's report words"]
    assert [s["email"] for s in document["subscriptions"]] == ["ada@example.org"]
    amounts = sorted(Decimal(d["amount"]) for d in document["donations"])
    assert amounts == [Decimal("-7"), Decimal("5"), Decimal("7"), Decimal("25")]
    assert {d["campaign"] for d in document["donations"]} == {"Spring drive"}
    assert all(d["receipt_number"] for d in document["donations"])
    assert [g["wall_name"] for g in document["recurring_gifts"]] == ["Ada L."]


def test_export_holds_nobody_elses_data(world, rf):
    text = json.dumps(personal_data_export(user=world["ada"], request=rf.get("/")))

    for foreign in (
        "ben@example.org",
        "ben_reads",
        "Ben's report words",
        "Ben's words",
        "Ben B.",
        "cleo@x.org",
        "Cleo",
        "Ben: the dam",
        "Guest: my well",
    ):
        assert foreign not in text


def test_gifts_are_found_by_verified_addresses_only(world, rf):
    # Ada types Ben's address into her account: unverified, it does not bring his gift.
    EmailAddress.objects.create(user=world["ada"], email="ben@example.org", verified=False)

    document = personal_data_export(user=world["ada"], request=rf.get("/"))

    assert "Ben B." not in json.dumps(document["donations"])
    assert personal_data_summary(user=world["ada"]).donations == 4


def test_export_takes_a_fixed_number_of_queries(world, rf, article, django_assert_max_num_queries):
    ada_r = h.reader_of(world["ada"])
    for number in range(15):
        h.post(article, ada_r, f"Ada again, note {number}: the levels keep falling.")
    with django_assert_max_num_queries(14):
        document = personal_data_export(user=world["ada"], request=rf.get("/"))
    assert len(document["comments"]) == 16


def test_wrong_password_changes_nothing(world):
    with pytest.raises(WrongPassword) as refused:
        account_erase(user=world["ada"], password="not my password")

    assert refused.value.field == "password"
    assert get_user_model().objects.filter(username="ada_reads").exists()
    comment = Comment.objects.get(pk=world["ada_comment"].pk)
    assert comment.user_id == world["ada"].pk and comment.ip_address == "198.51.100.23"
    assert Donation.objects.filter(donor_email="ada@example.org").count() == 3
    assert RecurringGift.objects.get(pk=world["ada_monthly"].pk).status == "active"


@pytest.mark.parametrize("kind", ["staff", "superuser", "role"])
def test_staff_accounts_are_refused(world, kind):
    ada = world["ada"]
    if kind == "role":
        ada.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    else:
        setattr(ada, "is_staff" if kind == "staff" else "is_superuser", True)
        ada.save()

    with pytest.raises(NotErasable, match="ask an administrator"):
        account_erase(user=ada, password=h.PASSWORD)

    assert get_user_model().objects.filter(pk=ada.pk).exists()
    assert Comment.objects.get(pk=world["ada_comment"].pk).user_id == ada.pk


def test_erasure_anonymizes_comments_and_keeps_their_text(world):
    ada_id = world["ada"].pk
    report = account_erase(user=world["ada"], password=h.PASSWORD)

    assert report.comments_anonymized == 1
    comment = Comment.objects.get(pk=world["ada_comment"].pk)
    assert comment.user_id is None
    assert comment.author_name == conf.PRIVACY_PLACEHOLDER_NAME == "Former reader"
    assert comment.body_source == "Ada: the river ran dry twice since."
    assert (comment.guest_email, comment.ip_address, comment.user_agent) == ("", None, "")
    assert not get_user_model().objects.filter(pk=ada_id).exists()
    assert not EmailAddress.objects.filter(user_id=ada_id).exists()
    assert not EmailAddress.objects.filter(email__iexact="ada@example.org").exists()
    # The others' comments are as they were.
    ben_comment = Comment.objects.get(pk=world["ben_comment"].pk)
    assert ben_comment.user_id == world["ben"].pk and ben_comment.ip_address == "192.0.2.77"
    assert Comment.objects.get(pk=world["guest_comment"].pk).guest_email == "cleo@x.org"


def test_erasure_keeps_votes_and_reports_counted_but_unlinked(world):
    scores = dict(Comment.objects.values_list("pk", "upvotes"))
    ada_id = world["ada"].pk

    account_erase(user=world["ada"], password=h.PASSWORD)

    assert dict(Comment.objects.values_list("pk", "upvotes")) == scores
    assert Vote.objects.count() == 3
    assert not Vote.objects.filter(voter_key=f"user:{ada_id}").exists()
    assert Vote.objects.filter(voter_key__startswith="erased:", user__isnull=True).count() == 2
    assert Report.objects.count() == 2
    assert not Report.objects.filter(reporter_key=f"user:{ada_id}").exists()
    ben_report = Report.objects.get(text="Ben's report words")
    assert ben_report.user_id == world["ben"].pk
    assert list(Subscription.objects.values_list("email", flat=True)) == ["ben@example.org"]


def test_erasure_keeps_gifts_for_the_accounts_without_the_donor(world):
    totals_before = list(CampaignTotal.objects.values_list("raised", "donors"))
    ledger_before = sorted(Donation.objects.values_list("pk", "amount", "provider_reference"))

    report = account_erase(user=world["ada"], password=h.PASSWORD)

    assert report.donations_anonymized == 4
    assert sorted(Donation.objects.values_list("pk", "amount", "provider_reference")) == (
        ledger_before
    )
    assert not Donation.objects.filter(donor_email__iexact="ada@example.org").exists()
    assert not Donation.objects.filter(donor_name="Ada L.").exists()
    assert not Donation.objects.filter(message="Keep digging").exists()
    assert list(CampaignTotal.objects.values_list("raised", "donors")) == totals_before
    assert campaign_totals_recompute(fix=False) == []
    assert totals_before == [(Decimal("55.00"), 2)]
    ben_gift = Donation.objects.get(pk=world["ben_gift"].pk)
    assert (ben_gift.donor_name, ben_gift.donor_email) == ("Ben B.", "ben@example.org")
    monthly = RecurringGift.objects.get(pk=world["ada_monthly"].pk)
    assert monthly.status == RecurringGift.Status.CANCELLED
    assert (monthly.donor_name, monthly.donor_email, monthly.message) == ("", "", "")
    payload = ProviderEvent.objects.get(pk=world["event"].pk).payload
    assert "example.org" not in payload.lower() and "Ada L." not in payload
    assert json.loads(payload)["x"] == "Ada"  # only whole values are names


def test_erasure_outdates_the_cached_pages_that_showed_the_name(world, article):
    before = tags_invalidated_at(tags=[page_tag(article.pk)])[page_tag(article.pk)]

    account_erase(user=world["ada"], password=h.PASSWORD)

    after = tags_invalidated_at(tags=[page_tag(article.pk)])[page_tag(article.pk)]
    assert after is not None and (before is None or after > before)


def test_appeals_are_in_the_download_and_their_words_go_with_the_account(world, rf):
    from newsdesk.discussion.models import CommentStatus
    from newsdesk.moderation.models_appeals import Appeal
    from newsdesk.moderation.services.appeals import appeal_create

    held = world["ada_comment"]
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.HELD)
    appeal = appeal_create(
        user=world["ada"], comment_id=held.pk, message="Ada's appeal: it was a quotation."
    )

    document = personal_data_export(user=world["ada"], request=rf.get("/"))
    assert [a["message"] for a in document["appeals"]] == ["Ada's appeal: it was a quotation."]
    assert document["appeals"][0]["state"] == appeal.state
    assert personal_data_export(user=world["ben"], request=rf.get("/"))["appeals"] == []

    account_erase(user=world["ada"], password=h.PASSWORD)
    kept = Appeal.objects.get(pk=appeal.pk)
    assert kept.user_id is None and "Ada" not in kept.message

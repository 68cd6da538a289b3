"""Erasure as an orchestration: each app erases its own records (``personal_data`` services);
a payment provider that will not stop a monthly gift stops the whole erasure first."""

import logging

import pytest

from newsdesk.accounts.errors import ErasureFailed
from newsdesk.accounts.services import account_erase
from newsdesk.accounts.tests import helpers as h
from newsdesk.discussion.models import Comment
from newsdesk.funding.models import RecurringGift
from newsdesk.funding.services import personal_data as funding_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_refuses(monkeypatch):
    def refuse(*, gift):
        raise RuntimeError("the provider is down")

    monkeypatch.setattr(funding_data, "recurring_gift_cancel", refuse)


def test_funding_reports_the_gift_it_could_not_stop_and_changes_nothing(provider_refuses, caplog):
    gift = h.monthly_gift(h.make_campaign(), email="ada@example.org")
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="provider is down"):
        funding_data.donor_recurring_gifts_stop(emails=["ada@example.org"])
    assert f"Could not stop monthly gift {gift.pk}" in caplog.text
    assert RecurringGift.objects.get(pk=gift.pk).status == RecurringGift.Status.ACTIVE


def test_an_unstoppable_gift_stops_the_erasure_before_anything_is_erased(article, provider_refuses):
    ada = h.make_reader("ada_reads", email="ada@example.org")
    comment = h.post(article, h.reader_of(ada), "Ada's words stay hers.")
    gift = h.monthly_gift(h.make_campaign(), email="ada@example.org", name="Ada L.")

    with pytest.raises(ErasureFailed, match="could not stop your monthly gift"):
        account_erase(user=ada, password=h.PASSWORD)

    ada.refresh_from_db()  # still there
    assert Comment.objects.get(pk=comment.pk).user_id == ada.pk
    gift.refresh_from_db()
    assert (gift.status, gift.donor_name) == (RecurringGift.Status.ACTIVE, "Ada L.")

"""Ledger rows stay out of Wagtail's reference index, though its admin lists them: otherwise
every gift queues a task of its own, which on RQ can run before the gift's transaction
commits and fail to find it."""

from django.urls import get_resolver
from wagtail.models import ReferenceIndex

from newsdesk.funding.models import Donation, RecurringGift


def test_gifts_are_not_indexed_once_the_admin_is_loaded():
    assert get_resolver().url_patterns  # the admin's viewsets register their models as they load
    assert ReferenceIndex.is_indexed(Donation) is False
    assert ReferenceIndex.is_indexed(RecurringGift) is False

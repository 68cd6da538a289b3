"""Past guest comments join the account whose verified address wrote them, and only then.

``discussion/services/guest_adoption.py`` does the one UPDATE; ``accounts`` decides when
(``services_account.verified_address_join``, called by the adapter once allauth verified an
address by link or by a sign-in code)."""

import pytest
from allauth.account.models import EmailAddress
from django.test import RequestFactory

from newsdesk.accounts.adapter import AccountAdapter
from newsdesk.accounts.services_account import verified_address_join
from newsdesk.accounts.tests import helpers as h
from newsdesk.discussion.models import Comment
from newsdesk.discussion.services import guest_adoption

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(monkeypatch):
    """The article ids discussion announced changed (the page cache outdates their pages)."""
    calls: list[list[int]] = []
    real = guest_adoption.article_discussion_changed

    def record(*, article_ids, **kwargs):
        ids = sorted(i for i in article_ids if i is not None)
        calls.append(ids)
        return real(article_ids=article_ids, **kwargs)

    monkeypatch.setattr(guest_adoption, "article_discussion_changed", record)
    return calls


def _guest_comment(article, body, *, email="rosa@example.org", name="Rosa from the lock"):
    return h.post(article, h.guest_reader(), body, name=name, email=email)


def test_a_verified_address_adopts_its_guest_comments_once(article, announced):
    first = _guest_comment(article, "Boats wait two days at the lock.")
    second = _guest_comment(article, "Still waiting.", email="Rosa@Example.ORG")
    other = _guest_comment(article, "Another guest.", email="someone@example.org")
    reader = h.make_reader("rosa", email="rosa@example.org")

    assert verified_address_join(user=reader, email="rosa@example.org") == 2
    assert announced == [[article.pk]]
    first.refresh_from_db(), second.refresh_from_db(), other.refresh_from_db()
    assert first.user_id == reader.pk and second.user_id == reader.pk
    assert other.user_id is None
    # The account had no public name: it takes the guest's, so the comments keep showing it.
    reader.refresh_from_db()
    assert reader.first_name == "Rosa from the lock"
    assert first.author_name == "Rosa from the lock"

    # Idempotent: nothing left to adopt, nothing announced.
    assert verified_address_join(user=reader, email="rosa@example.org") == 0
    assert guest_adoption.guest_comments_adopt(user=reader, email="rosa@example.org") == 0
    assert announced == [[article.pk]]


def test_an_account_with_a_name_keeps_it_on_the_adopted_comments(article):
    comment = _guest_comment(article, "From the lock.")
    reader = h.make_reader("rosa", email="rosa@example.org")
    reader.first_name = "R. Lindqvist"
    reader.save()
    verified_address_join(user=reader, email="rosa@example.org")
    comment.refresh_from_db()
    assert comment.author_name == "R. Lindqvist"
    assert comment.guest_name == "Rosa from the lock"  # the row keeps what the guest typed


def test_attack_an_address_typed_but_not_verified_adopts_nothing(article, announced):
    comment = _guest_comment(article, "The victim's comment.")
    attacker = h.make_reader("mallory", email="mallory@example.org")
    EmailAddress.objects.create(user=attacker, email="rosa@example.org", verified=False)

    assert verified_address_join(user=attacker, email="rosa@example.org") == 0
    assert verified_address_join(user=attacker, email="ROSA@example.org") == 0
    comment.refresh_from_db()
    assert comment.user_id is None
    assert announced == []
    attacker.refresh_from_db()
    assert attacker.first_name == ""


def test_comments_another_account_owns_are_never_taken(article):
    owner = h.make_reader("owner", email="owner@example.org")
    owned = h.post(article, h.reader_of(owner), "My own comment.")
    Comment.objects.filter(pk=owned.pk).update(guest_email="rosa@example.org")
    reader = h.make_reader("rosa", email="rosa@example.org")
    assert verified_address_join(user=reader, email="rosa@example.org") == 0
    owned.refresh_from_db()
    assert owned.user_id == owner.pk


def test_a_markup_guest_name_is_not_made_the_accounts_name(article):
    _guest_comment(article, "Hello.", name="<b>Rosa</b>")
    reader = h.make_reader("rosa", email="rosa@example.org")
    assert verified_address_join(user=reader, email="rosa@example.org") == 1
    reader.refresh_from_db()
    assert reader.first_name == ""


def test_the_confirmation_link_path_adopts_through_the_adapter(article, rf: RequestFactory):
    comment = _guest_comment(article, "Before I had an account.")
    reader = h.make_reader("rosa", email="rosa@example.org", verified=False)
    address = EmailAddress.objects.get(user=reader)
    request = rf.get("/")
    request.user = reader
    request.session = {}
    request._messages = _NoMessages()
    assert AccountAdapter().confirm_email(request, address)
    comment.refresh_from_db()
    assert comment.user_id == reader.pk


class _NoMessages:
    def add(self, *args, **kwargs):
        return None

    def __iter__(self):
        return iter(())

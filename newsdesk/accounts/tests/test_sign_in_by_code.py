"""Sign-in by e-mail alone (allauth's login by code), for accounts and for guests.

A guest who commented or gave with an address, and has no account, asks for a code, gets
one, and the code signs them in to a new passwordless account whose verified address it is;
their guest comments join it and their gifts show. The page answers the same whatever the
address (no account enumeration); an unknown address gets no account; allauth's limits hold.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client

from newsdesk.accounts.tests import helpers as h

pytestmark = pytest.mark.django_db

REQUEST = "/accounts/login/code/"
CONFIRM = "/accounts/login/code/confirm/"
CODE = re.compile(r"\n\n(\S+)\n\n")


def _ask(client: Client, email: str):
    return client.post(REQUEST, {"email": email})


def _code_in(message) -> str:
    found = CODE.search(message.body)
    assert found, message.body
    return found.group(1)


def _mails_to(address: str):
    return [m for m in mail.outbox if address in m.to]


def test_the_sign_in_page_offers_a_code_first(db):
    html = Client().get("/accounts/login/").content.decode()
    assert 'data-part="sign-in-by-code"' in html
    assert "E-mail me a sign-in code" in html
    assert html.index("E-mail me a sign-in code") < html.index('name="password"')
    assert f'href="{REQUEST}"' in html


def test_a_guest_who_commented_and_gave_signs_in_by_code(article):
    comment = h.post(article, h.guest_reader(), "From the lock.", name="Rosa", email="rosa@x.org")
    h.give(h.make_campaign(), email="rosa@x.org")
    client = Client()

    response = _ask(client, "Rosa@X.org")
    assert response.status_code == 302 and response["Location"] == CONFIRM
    [message] = _mails_to("rosa@x.org")
    assert "Sign-In Code" in message.subject
    # The account is open but nothing joined it yet: the address is not proven.
    user = get_user_model().objects.get(emailaddress__email="rosa@x.org")
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified
    comment.refresh_from_db()
    assert comment.user_id is None

    response = client.post(CONFIRM, {"code": _code_in(message)})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert EmailAddress.objects.get(user=user).verified
    comment.refresh_from_db()
    assert comment.user_id == user.pk

    home = client.get("/account/").content.decode()
    assert re.search(r'data-part="comments-summary">\s*1 comment\b', home)
    assert re.search(r'data-part="giving-summary">\s*1 gift\b', home)
    assert ">Rosa</strong>" in home  # the name the guest gave, now the account's


def test_a_second_code_signs_in_to_the_same_account(article):
    h.post(article, h.guest_reader(), "From the lock.", name="Rosa", email="rosa@x.org")
    for _ in range(2):
        client = Client()
        _ask(client, "rosa@x.org")
        client.post(CONFIRM, {"code": _code_in(_mails_to("rosa@x.org")[-1])})
        assert "_auth_user_id" in client.session
    assert get_user_model().objects.filter(emailaddress__email="rosa@x.org").count() == 1


def test_a_reader_with_an_account_signs_in_by_code_and_their_guest_comments_join(article):
    reader = h.make_reader("ann", email="ann@example.org")
    comment = h.post(article, h.guest_reader(), "Signed out.", name="Ann", email="ann@example.org")
    client = Client()
    _ask(client, "ann@example.org")
    client.post(CONFIRM, {"code": _code_in(_mails_to("ann@example.org")[-1])})
    assert int(client.session["_auth_user_id"]) == reader.pk
    comment.refresh_from_db()
    assert comment.user_id == reader.pk


def _answer(address: str) -> tuple[int, str, list[str]]:
    client = Client()
    response = _ask(client, address)
    page = client.get(response["Location"])
    notes = [str(m).replace(address, "ADDRESS") for m in get_messages(page.wsgi_request)]
    html = page.content.decode().replace(address, "ADDRESS")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return response.status_code, response["Location"], [*notes, html]


def test_no_enumeration_the_page_says_the_same_for_any_address(article):
    h.make_reader("ann", email="ann@example.org")
    h.post(article, h.guest_reader(), "Guest.", name="Rosa", email="rosa@x.org")
    known = _answer("ann@example.org")
    guest = _answer("rosa@x.org")
    unknown = _answer("nobody@x.org")
    assert known == guest == unknown
    assert known[0] == 302


def test_an_address_that_never_gave_or_commented_gets_no_account(db):
    _ask(Client(), "nobody@x.org")
    assert not get_user_model().objects.filter(emailaddress__email="nobody@x.org").exists()
    assert not get_user_model().objects.filter(email="nobody@x.org").exists()
    [message] = _mails_to("nobody@x.org")  # allauth's "no account here" mail, no code
    assert "Unknown Account" in message.subject
    assert "sign-in code" not in message.body.lower()


def test_a_wrong_code_does_not_sign_in_nor_adopt(article):
    comment = h.post(article, h.guest_reader(), "Guest.", name="Rosa", email="rosa@x.org")
    client = Client()
    _ask(client, "rosa@x.org")
    real = _code_in(_mails_to("rosa@x.org")[-1])
    for _ in range(3):
        client.post(CONFIRM, {"code": "WRONG1"})
    # Attempts used up: even the real code no longer works.
    client.post(CONFIRM, {"code": real})
    assert "_auth_user_id" not in client.session
    comment.refresh_from_db()
    assert comment.user_id is None
    assert not EmailAddress.objects.filter(email="rosa@x.org", verified=True).exists()


def test_allauth_rate_limit_on_codes_for_one_address_holds(article):
    h.post(article, h.guest_reader(), "Guest.", name="Rosa", email="rosa@x.org")
    statuses = []
    for _ in range(4):
        statuses.append(_ask(Client(), "rosa@x.org").status_code)
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3] != 302  # refused: the form says too many attempts
    assert len(_mails_to("rosa@x.org")) == 3
    assert get_user_model().objects.filter(emailaddress__email="rosa@x.org").count() == 1


def test_attack_an_address_typed_into_another_account_never_signs_its_owner_in_there(article):
    """Mallory types Rosa's address into her own account (unverified, with a password). Rosa's
    code must not sign Rosa in to Mallory's account, nor verify the address there, nor give
    Mallory Rosa's comments: Rosa gets an account of her own."""
    comment = h.post(article, h.guest_reader(), "Rosa's.", name="Rosa", email="rosa@x.org")
    mallory = h.make_reader("mallory", email="mallory@example.org")
    EmailAddress.objects.create(user=mallory, email="rosa@x.org", verified=False)

    client = Client()
    _ask(client, "rosa@x.org")
    client.post(CONFIRM, {"code": _code_in(_mails_to("rosa@x.org")[-1])})
    signed_in = int(client.session["_auth_user_id"])
    assert signed_in != mallory.pk
    assert not EmailAddress.objects.get(user=mallory, email="rosa@x.org").verified
    comment.refresh_from_db()
    assert comment.user_id == signed_in


def test_an_unverified_account_with_a_password_is_not_signed_in_to_by_code(db):
    """Pre-registered with someone else's address and a password: no code opens it."""
    squatter = h.make_reader("squat", email="victim@x.org", verified=False)
    client = Client()
    _ask(client, "victim@x.org")
    [message] = mail.outbox
    assert "Unknown Account" in message.subject
    assert "_auth_user_id" not in client.session
    assert not EmailAddress.objects.get(user=squatter).verified

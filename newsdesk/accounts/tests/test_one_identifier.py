"""One identifier: readers sign up with an e-mail address and a password (and, if they like,
the name their comments show, which is no identifier), and sign in with the same address.
Without a public name they are shown by a neutral generated one, never the address; allauth's
e-mails are signed with the site's name."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from wagtail.models import Site

from newsdesk.discussion.models import Comment

pytestmark = pytest.mark.django_db

EMAIL = "jane.doe1984@example.org"
PASSWORD = "a lantern by the weir 77"
LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture(autouse=True)
def _the_lantern():
    site = Site.objects.get(is_default_site=True)
    site.site_name = "The Lantern"
    site.save()


def test_neither_form_asks_for_a_username(client):
    signup = client.get("/accounts/signup/").content.decode()
    assert 'name="email"' in signup and 'name="password1"' in signup
    assert 'name="username"' not in signup
    login = client.get("/accounts/login/").content.decode()
    assert 'name="login"' in login and 'type="email"' in login
    assert 'name="username"' not in login


def test_sign_up_with_an_email_and_a_password_then_sign_in_with_the_same_email(client):
    response = client.post(
        "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(email=EMAIL)
    # A neutral public name: nothing of the address shows on the reader's comments.
    assert re.fullmatch(r"reader-\d{6}", user.username)
    assert Comment(user=user, guest_name="").author_name == user.username

    (message,) = mail.outbox
    client.get(LINK.search(message.body).group(0))  # confirms and signs in
    client.post("/accounts/logout/")

    again = Client()
    signed_in = again.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert again.get("/accounts/email/").status_code == 200


def test_two_readers_get_two_names(client):
    for n in (1, 2):
        Client().post(
            "/accounts/signup/",
            {"email": f"twin{n}@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert len([name for name in names if name.startswith("reader-")]) == 2


def test_account_emails_are_signed_with_the_sites_name(client):
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    (message,) = mail.outbox
    assert message.subject.startswith("[The Lantern] ")
    assert "Hello from The Lantern!" in message.body
    assert "Thank you for using The Lantern!" in message.body
    assert "Newsdesk" not in message.subject + message.body
    # The address under the name is the one the reader used, scheme and all.
    assert message.body.rstrip().endswith("The Lantern!\nhttp://testserver")
    assert "signed up at The Lantern with this e-mail address" in message.body


def test_a_subject_prefix_that_is_set_wins(client, settings):
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "Lantern: "
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    (message,) = mail.outbox
    assert message.subject.startswith("Lantern: ")


def test_a_public_name_given_at_sign_up_is_what_comments_show(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": EMAIL,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "public_name": "  Jane   from the Weir ",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(email=EMAIL)
    assert re.fullmatch(r"reader-\d{6}", user.username), "the name is no identifier"
    assert Comment(user=user, guest_name="").author_name == "Jane from the Weir"


def test_a_public_name_that_looks_like_an_address_is_refused_and_nothing_is_made(client):
    response = client.post(
        "/accounts/signup/",
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "public_name": "jane@x"},
    )
    assert response.status_code == 200
    assert "cannot contain" in response.content.decode()
    assert not get_user_model().objects.filter(email=EMAIL).exists()

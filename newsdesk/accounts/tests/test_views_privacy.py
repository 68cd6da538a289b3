"""The privacy pages over HTTP (Django's test client): who may reach them, the download,
and erasure with its password, CSRF and rate limit."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newsdesk.accounts.tests import helpers as h
from newsdesk.discussion.models import Comment

pytestmark = pytest.mark.django_db
PAGES = ["/accounts/privacy/", "/accounts/privacy/export.json", "/accounts/privacy/erase/"]


@pytest.fixture
def ada(article):
    user = h.make_reader("ada_reads", email="ada@example.org")
    h.post(article, h.reader_of(user), "Ada: the river ran dry twice since.")
    return user


@pytest.fixture
def ada_client(ada):
    client = Client()
    client.force_login(ada)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")


def test_anonymous_post_to_erase_erases_nothing(client, ada):
    response = client.post("/accounts/privacy/erase/", {"password": h.PASSWORD})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_the_privacy_page_says_what_is_held_and_links_download_and_erase(ada_client):
    response = ada_client.get("/accounts/privacy/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 comment" in html
    assert 'href="/accounts/privacy/export.json"' in html
    assert 'href="/accounts/privacy/erase/"' in html
    assert "30 days" in html
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_allauths_account_pages_link_to_the_privacy_page(ada_client):
    for url in ("/accounts/email/", "/accounts/password/change/"):
        html = ada_client.get(url).content.decode()
        assert 'data-part="privacy-link"' in html and 'href="/accounts/privacy/"' in html


def test_the_sign_in_page_shows_no_account_menu(client):
    assert 'data-part="account-nav"' not in client.get("/accounts/login/").content.decode()


def test_download_is_one_json_attachment_of_the_readers_data(ada_client):
    response = ada_client.get("/accounts/privacy/export.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    document = json.loads(response.content)
    assert document["account"]["username"] == "ada_reads"
    assert [c["body"] for c in document["comments"]] == ["Ada: the river ran dry twice since."]


def test_download_is_rate_limited(ada_client, settings):
    statuses = [ada_client.get("/accounts/privacy/export.json").status_code for _ in range(11)]

    assert statuses == [200] * 10 + [429]


def test_the_erase_page_says_what_happens_and_asks_for_the_password(ada_client):
    response = ada_client.get("/accounts/privacy/erase/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Former reader" in html and "Your comments stay, with their text" in html
    assert 'name="password"' in html and 'name="csrfmiddlewaretoken"' in html


def test_wrong_password_is_a_form_error_and_erases_nothing(ada_client, ada):
    response = ada_client.post("/accounts/privacy/erase/", {"password": "not it"})

    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert get_user_model().objects.filter(pk=ada.pk).exists()
    assert Comment.objects.get().user_id == ada.pk


def test_missing_password_is_a_form_error(ada_client, ada):
    response = ada_client.post("/accounts/privacy/erase/", {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_erase_without_csrf_token_is_refused(ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)

    response = client.post("/accounts/privacy/erase/", {"password": h.PASSWORD})

    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_erase_with_csrf_token_erases_and_signs_out(ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    client.get("/accounts/privacy/erase/")

    response = client.post(
        "/accounts/privacy/erase/",
        {"password": h.PASSWORD, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/privacy/erased/"
    assert not get_user_model().objects.filter(pk=ada.pk).exists()
    assert Comment.objects.get().author_name == "Former reader"
    done = client.get(response["Location"])
    assert done.status_code == 200 and "Your account is erased" in done.content.decode()
    assert client.get("/accounts/privacy/").status_code == 302  # signed out


def test_password_guessing_is_rate_limited(ada_client, ada):
    statuses = [
        ada_client.post("/accounts/privacy/erase/", {"password": f"guess {n}"}).status_code
        for n in range(6)
    ]

    assert statuses == [400] * 5 + [429]
    response = ada_client.post("/accounts/privacy/erase/", {"password": h.PASSWORD})
    assert response.status_code == 429  # even the right one, until the window passes
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_staff_see_a_refusal_and_cannot_erase(ada):
    ada.is_staff = True
    ada.save()
    client = Client()
    client.force_login(ada)

    page = client.get("/accounts/privacy/erase/").content.decode()
    response = client.post("/accounts/privacy/erase/", {"password": h.PASSWORD})

    assert "ask an administrator" in page.lower() and 'name="password"' not in page
    assert response.status_code == 403
    assert "ask an administrator" in response.content.decode().lower()
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_the_article_shows_the_placeholder_name_after_erasure(ada_client, ada, article, client):
    assert "ada_reads" in client.get(article.url).content.decode()  # now cached for anonymous
    ada_client.post("/accounts/privacy/erase/", {"password": h.PASSWORD})

    html = client.get(article.url).content.decode()
    assert "ada_reads" not in html and "Former reader" in html
    assert "Ada: the river ran dry twice since." in html

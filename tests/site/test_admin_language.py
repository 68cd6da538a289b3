"""Wagtail's admin follows each staff member's own language (their account's preference),
whatever the site's: Newsdesk's own menus and screens come with it, from its catalogues."""

import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def _shows(page: str, text: str) -> bool:
    # The sidebar's menu comes as JSON in the page (its non-ASCII letters escaped).
    return text in page or json.dumps(text)[1:-1] in page


def _dashboard(client, username: str, language: str) -> str:
    user = get_user_model().objects.create_superuser(username, f"{username}@example.org", "x")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_each_staff_member_reads_the_admin_in_their_own_language(client, settings):
    assert settings.LANGUAGE_CODE.startswith("en")
    spanish = _dashboard(client, "ana", "es")
    assert _shows(spanish, "Financiación de lectores") and not _shows(spanish, "Reader funding")

    client.logout()
    french = _dashboard(client, "luc", "fr")
    assert _shows(french, "Financement par les lecteurs")
    assert not _shows(french, "Reader funding")


def test_without_a_preference_the_admin_speaks_the_sites_language(client):
    english = _dashboard(client, "sam", "")
    assert _shows(english, "Reader funding")
    assert not _shows(english, "Financiación de lectores")

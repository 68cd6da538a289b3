"""Syndication's admin in Spanish and French: the "Poll now" page, the listing's columns and
choices, the count of stories a partner changed. Each check would fail on English text."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import translation
from wagtail.users.models import UserProfile

from newsdesk.syndication.models import PollMode, Source

pytestmark = pytest.mark.django_db


def staff_in(client, language: str):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    codenames = ["access_admin", "change_source"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def test_poll_now_page_in_spanish(client, make_source, settings):
    settings.LANGUAGE_CODE = "es"
    settings.LANGUAGES = [("es", "Español"), ("en", "English")]
    source = make_source("https://p.example/feed")
    staff_in(client, "es")

    html = client.get(f"/admin/syndication/sources/{source.pk}/poll/").content.decode()

    assert f"Consultar <strong>{source.feed_url}</strong> ahora" in html
    assert "Último resultado: Aún no consultada" in html
    assert ">Consultar ahora</button>" in html
    assert ">Cancelar</a>" in html
    assert "Poll now" not in html and "Last result" not in html


def test_choices_and_columns_in_french(make_source):
    source = make_source("https://p.example/feed")
    with translation.override("fr"):
        assert str(PollMode.DRAFT.label) == "Brouillons à relire par un éditeur"
        assert source.status() == "Pas encore interrogé"
        assert str(Source.partner_changes_display.short_description) == "Modifié par le partenaire"


def test_the_count_to_review_takes_its_plural_in_spanish(make_source):
    source = make_source("https://p.example/feed")
    with translation.override("es"):
        source.partner_changes = 1
        assert source.partner_changes_display() == "1 por revisar"
        source.partner_changes = 3
        assert source.partner_changes_display() == "3 por revisar"
    with translation.override("fr"):
        assert str(source) == f"Flux de {source.outlet.name}"

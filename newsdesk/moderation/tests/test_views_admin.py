"""Editors change the moderation policy in Wagtail's admin; nobody else can."""

import pytest
from django.contrib.auth import get_user_model

from newsdesk.moderation.models import ModerationSettings

pytestmark = pytest.mark.django_db

URL = "/admin/settings/moderation/moderationsettings/"


def test_an_editor_changes_thresholds_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(admin)
    page = client.get(URL, follow=True)
    assert page.status_code == 200
    assert b"Pre-moderation" in page.content or b"pre-moderation" in page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"premoderation": "on", "trusted_after_approved": "7", "hate_hold": "0.4"})
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(page.redirect_chain[-1][0] if page.redirect_chain else URL, data)
    assert response.status_code in (200, 302)
    settings = ModerationSettings.load()
    assert settings.premoderation is True
    assert settings.trusted_after_approved == 7
    assert settings.hate_hold == 0.4


def test_anonymous_and_ordinary_users_cannot_reach_the_settings(client):
    assert client.get(URL, follow=False).status_code in (302, 403)
    reader = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(reader)
    response = client.get(URL, follow=False)
    assert response.status_code in (302, 403)
    assert ModerationSettings.objects.count() <= 1

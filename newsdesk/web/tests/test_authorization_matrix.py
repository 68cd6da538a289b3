"""Who may open what: every staff-only page and every role, against the real URL map.

Allowed means the page answers 200; denied means a 403 or a redirect to a sign-in page,
never the page itself. Readers' own comment actions are tested in the discussion app.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "another_reader", "moderator", "editor", "treasurer", "admin"]
ALL_STAFF = {"moderator", "editor", "treasurer", "admin"}

# URL -> the roles allowed in; everyone else is denied.
MATRIX = {
    "/": set(ROLES),
    "/donate/": set(ROLES),
    "/admin/": ALL_STAFF,
    "/admin/moderation/": {"moderator", "admin"},
    "/admin/moderation/log/": {"moderator", "admin"},
    "/admin/moderation/bans/": {"moderator", "admin"},
    "/discussion/export.json": {"moderator", "admin"},
    "/admin/funding_donations/": {"treasurer", "admin"},
    "/admin/funding/report/": {"treasurer", "admin"},
    "/admin/funding/record/": {"treasurer", "admin"},
    "/django-admin/": {"admin"},
}

GROUPS = {"moderator": "Moderators", "editor": "Editors", "treasurer": "Treasurers"}


def sign_in(client, role: str) -> None:
    if role == "anonymous":
        return
    users = get_user_model()
    if role == "admin":
        user = users.objects.create_superuser(role, f"{role}@example.org", "pw")
    else:
        user = users.objects.create_user(role, f"{role}@example.org", "pw")
        if role in GROUPS:
            user.groups.add(Group.objects.get(name=GROUPS[role]))
    client.force_login(user)


def is_denied(response) -> bool:
    """A 403, or a redirect to a sign-in page or (Wagtail's way of refusing a signed-in
    editor) to the admin's dashboard."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and ("login" in location or location == "/admin/")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_pages_meant_for_it(client, role):
    sign_in(client, role)
    wrong = []
    for url, allowed in MATRIX.items():
        response = client.get(url)
        if role in allowed and response.status_code != 200:
            wrong.append(f"{url}: {role} should get 200, got {response.status_code}")
        if role not in allowed and not is_denied(response):
            wrong.append(f"{url}: {role} should be refused, got {response.status_code}")
    assert wrong == []

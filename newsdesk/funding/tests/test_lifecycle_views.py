"""One-click unsubscribe from the donor marketing e-mails (RFC 8058), and the admin: the
words as a snippet with a preview, the mails sent as a read-only list for treasurers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail as django_mail
from django.test import Client

from newsdesk.funding.models_lifecycle import (
    LifecycleKind,
    LifecycleMail,
    LifecycleMessage,
    LifecycleOptOut,
)
from newsdesk.funding.services.lifecycle import (
    lifecycle_mail_queue,
    lifecycle_unsubscribe_token,
)
from newsdesk.funding.tasks_lifecycle import lifecycle_mail_deliver

pytestmark = pytest.mark.django_db


def unsubscribe_path(email: str) -> str:
    return f"/donate/emails/unsubscribe/{lifecycle_unsubscribe_token(email=email)}/"


def test_the_link_in_a_marketing_mail_unsubscribes_with_one_post_without_csrf():
    lifecycle_mail_queue(kind=LifecycleKind.LAPSED, occasion="v:1", email="one@example.org")
    lifecycle_mail_deliver(mail_id=LifecycleMail.objects.get(occasion="v:1").pk)
    (message,) = django_mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    # A mail program's one-click POST: no cookie, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/{path}", data={"List-Unsubscribe": "One-Click"}, HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    assert LifecycleOptOut.objects.filter(email="one@example.org").exists()
    # Again: still fine, still one row.
    assert client.post(f"/{path}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert LifecycleOptOut.objects.count() == 1


def test_get_shows_a_button_and_changes_nothing(client):
    response = client.get(unsubscribe_path("two@example.org"))
    assert response.status_code == 200
    assert b'method="post"' in response.content and b"two@example.org" in response.content
    assert not LifecycleOptOut.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        lifecycle_unsubscribe_token(email="victim@example.org")[:-2] + "xx",
        # Signed with the cancel link's salt: a token of another purpose is refused too.
        "eyJwcm92aWRlciI6ImRlbW8ifQ:1abc:def",
    ],
)
def test_a_forged_token_is_refused_and_changes_nothing(client, token):
    for method in (client.get, client.post):
        response = method(f"/donate/emails/unsubscribe/{token}/")
        assert response.status_code == 404
    assert not LifecycleOptOut.objects.exists()


def test_another_purposes_signature_is_not_an_unsubscribe_token(client):
    from django.core import signing

    token = signing.dumps({"e": "victim@example.org"}, salt="newsdesk.funding.cancel-monthly-gift")
    assert client.post(f"/donate/emails/unsubscribe/{token}/").status_code == 404
    assert not LifecycleOptOut.objects.exists()


def test_only_post_and_get(client):
    assert client.put(unsubscribe_path("x@example.org")).status_code == 405


# --- the admin ---------------------------------------------------------------------------------
def user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@staff.example", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_every_kind_has_default_words():
    kinds = set(LifecycleMessage.objects.values_list("kind", flat=True))
    assert kinds == set(LifecycleKind.values)
    assert all(m.enabled and "{" in m.body for m in LifecycleMessage.objects.all())


@pytest.mark.parametrize("group", ["Treasurers", "Editors"])
def test_staff_edit_the_words_and_preview_them(client, group):
    client.force_login(user_in(group, f"staff-{group.lower()}"))
    message = LifecycleMessage.objects.get(kind="renewal_reminder")
    index = client.get("/admin/snippets/funding/lifecyclemessage/")
    assert index.status_code == 200 and b"Preview" in index.content
    edit = f"/admin/snippets/funding/lifecyclemessage/edit/{message.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "kind": "renewal_reminder",
            "enabled": "on",
            "subject": "A year already, {name}",
            "body": "Thanks for {amount}. {unknown}Give again: {donate_url}",
        },
    )
    assert response.status_code == 302
    preview = client.get(f"/admin/funding/donor-emails/{message.pk}/preview/")
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "A year already, Alex Reader" in text and "Thanks for $15.00. Give again: " in text
    assert "/donate/emails/unsubscribe/" in text  # a marketing mail's footer
    # Nobody deletes a kind's words: switching it off is the way.
    delete = client.post(f"/admin/snippets/funding/lifecyclemessage/delete/{message.pk}/")
    assert delete.status_code in (302, 403)
    assert LifecycleMessage.objects.filter(pk=message.pk).exists()


def test_treasurers_read_the_mails_sent_and_nobody_edits_them(client):
    lifecycle_mail_queue(kind=LifecycleKind.WELCOME, occasion="v:2", email="donor@example.org")
    row = LifecycleMail.objects.get(occasion="v:2")
    client.force_login(user_in("Treasurers", "treasurer"))
    listing = client.get("/admin/snippets/funding/lifecyclemail/")
    assert listing.status_code == 200 and b"donor@example.org" in listing.content
    found = client.get("/admin/snippets/funding/lifecyclemail/?q=donor@example")
    assert found.status_code == 200 and b"donor@example.org" in found.content
    assert (
        b"donor@example.org"
        not in client.get("/admin/snippets/funding/lifecyclemail/?q=nobody").content
    )
    for url in (
        f"/admin/snippets/funding/lifecyclemail/edit/{row.pk}/",
        f"/admin/snippets/funding/lifecyclemail/delete/{row.pk}/",
        "/admin/snippets/funding/lifecyclemail/add/",
    ):
        assert client.post(url, {"email": "x@example.org"}).status_code in (302, 403), url
    assert LifecycleMail.objects.get(pk=row.pk).email == "donor@example.org"
    assert LifecycleMail.objects.count() == 1


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_see_no_donor_addresses(client, group):
    lifecycle_mail_queue(kind=LifecycleKind.WELCOME, occasion="v:3", email="donor@example.org")
    client.force_login(user_in(group, f"someone-{group.lower()}"))
    response = client.get("/admin/snippets/funding/lifecyclemail/")
    assert response.status_code in (302, 403)
    assert b"donor@example.org" not in response.content


def test_moderators_cannot_preview_the_words(client):
    client.force_login(user_in("Moderators", "mod"))
    message = LifecycleMessage.objects.first()
    response = client.get(f"/admin/funding/donor-emails/{message.pk}/preview/")
    assert response.status_code in (302, 403)

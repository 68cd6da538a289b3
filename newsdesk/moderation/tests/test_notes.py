"""Notes on a commenter: a moderator writes one from a queued comment or the commenter's
page; every moderator sees it (author, date) beside that commenter's queued comments; only
its author or an administrator deletes it; bad input changes nothing; the reader's erasure
removes the notes about them, and their data download does not carry them."""

import json

import pytest
from django.contrib.auth import get_user_model

from newsdesk.moderation.errors import InvalidInput, NotAllowed, NotFound
from newsdesk.moderation.models import CommenterNote
from newsdesk.moderation.selectors_dossier import commenter_key
from newsdesk.moderation.services.notes import commenter_note_add, commenter_note_delete

from .conftest import SPAM, guest_reader, member_reader, post, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest_pair(article):
    """Two held comments of one guest who gave an e-mail address, and one of another guest."""
    reader = guest_reader("198.51.100.7")
    first = post(article, reader, f"{SPAM} one", email="Pat@Example.org", name="Pat")
    second = post(article, reader, f"{SPAM} two", email="pat@example.org", name="Pat")
    other = post(article, guest_reader("203.0.113.9"), f"{SPAM} three", name="Sam")
    return first, second, other


def _row(html: str, comment_id: int) -> str:
    start = html.index(f'id="q{comment_id}"')
    end = html.find('class="moderation-item"', start + 10)
    return html[start : end if end > 0 else len(html)]


def test_a_note_from_the_queue_shows_beside_each_of_that_commenters_comments(
    client, moderator, guest_pair
):
    first, second, other = guest_pair
    client.force_login(moderator)
    response = client.post(
        "/admin/moderation/notes/add/",
        {"note_comment": first.pk, f"note_{first.pk}": "  Same pitch on three stories.  "},
    )
    assert response.status_code == 302
    note = CommenterNote.objects.get()
    assert note.commenter_key == "email:pat@example.org" and note.author == moderator
    assert note.body == "Same pitch on three stories." and note.created_at is not None
    another = user_in("Moderators", "otto")
    client.force_login(another)
    html = client.get("/admin/moderation/").content.decode()
    for comment in (first, second):  # the same guest, whatever case their address had
        row = _row(html, comment.pk)
        assert "Same pitch on three stories." in row and "mona" in row
        assert "Delete the note" not in row  # otto did not write it
    assert "Same pitch on three stories." not in _row(html, other.pk)


def test_a_note_from_the_commenter_page(client, moderator, article):
    comment = post(article, member_reader("rowan"), f"{SPAM} rowan")
    key = commenter_key(comment)
    client.force_login(moderator)
    client.post(
        "/admin/moderation/notes/add/",
        {"note_commenter": key, "note_body": "Asked to stop linking shops.", "next": "/admin/"},
    )
    page = client.get(f"/admin/moderation/commenters/{key}/").content.decode()
    assert "Asked to stop linking shops." in page and "mona" in page
    assert CommenterNote.objects.get().user == comment.user


@pytest.mark.parametrize(
    "data",
    [
        {"note_comment": "1", "note_1": ""},  # no text (and perhaps no such comment)
        {"note_commenter": "account:abc", "note_body": "x"},
        {"note_commenter": "email:Upper@Example.org", "note_body": "x"},
        {"note_commenter": "", "note_body": "x"},
        {"note_commenter": "key:zz", "note_body": "x"},
    ],
)
def test_bad_notes_are_refused_and_change_nothing(client, moderator, guest_pair, data):
    client.force_login(moderator)
    response = client.post("/admin/moderation/notes/add/", data, follow=True)
    assert response.status_code == 200
    assert CommenterNote.objects.count() == 0
    assert '<li class="error">' in response.content.decode()  # told why


def test_the_service_refuses_what_it_cannot_do(moderator, guest_pair):
    key = commenter_key(guest_pair[0])
    with pytest.raises(InvalidInput):
        commenter_note_add(commenter_key=key, body="x" * 501, actor=moderator)
    with pytest.raises(NotFound):
        commenter_note_add(commenter_key="account:999999", body="x", actor=moderator)
    reader = user_in(None, "plainreader")
    with pytest.raises(NotAllowed):
        commenter_note_add(commenter_key=key, body="x", actor=reader)
    assert CommenterNote.objects.count() == 0


def test_only_the_author_or_an_administrator_deletes_a_note(client, moderator, guest_pair):
    key = commenter_key(guest_pair[0])
    notes = [commenter_note_add(commenter_key=key, body=f"n{n}", actor=moderator) for n in (1, 2)]
    another = user_in("Moderators", "otto")
    with pytest.raises(NotAllowed):
        commenter_note_delete(note_id=notes[0].pk, actor=another)
    client.force_login(another)
    client.post("/admin/moderation/notes/delete/", {"note": notes[0].pk})
    assert CommenterNote.objects.count() == 2
    client.force_login(moderator)
    client.post("/admin/moderation/notes/delete/", {"note": notes[0].pk})
    assert list(CommenterNote.objects.values_list("body", flat=True)) == ["n2"]
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    commenter_note_delete(note_id=notes[1].pk, actor=boss)
    assert CommenterNote.objects.count() == 0
    with pytest.raises(NotFound):
        commenter_note_delete(note_id=notes[1].pk, actor=boss)


def test_erasure_removes_the_notes_and_the_download_leaves_them_out(client, moderator, article):
    from allauth.account.models import EmailAddress

    from newsdesk.accounts.selectors import personal_data_export
    from newsdesk.accounts.services import account_erase
    from newsdesk.moderation.models import WatchEntry
    from newsdesk.moderation.services.watch import watch_commenter_add

    reader = member_reader("leaving")
    user = reader.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    account_comment = post(article, reader, f"{SPAM} as a member")
    guest_comment = post(
        article, guest_reader("198.51.100.70"), f"{SPAM} as a guest", email=user.email
    )
    kept = post(article, guest_reader("198.51.100.71"), f"{SPAM} someone else", email="x@y.org")
    for comment in (account_comment, guest_comment, kept):
        commenter_note_add(commenter_key=commenter_key(comment), body="noted", actor=moderator)
        watch_commenter_add(commenter_key=commenter_key(comment), actor=moderator)
    export = json.dumps(personal_data_export(user=user))
    assert "noted" not in export
    account_erase(user=user, password="a long pass 42")
    assert list(CommenterNote.objects.values_list("commenter_key", flat=True)) == ["email:x@y.org"]
    assert list(WatchEntry.objects.values_list("commenter_key", flat=True)) == ["email:x@y.org"]

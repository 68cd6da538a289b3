"""In the demo, guests carry a key, an e-mail address and an address, and a reader's report
waits in the queue's "Reported" tab: the demo's abusive guest can be banned by each."""

import io

import pytest
from django.core.management import call_command

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create
from newsdesk.moderation.models import Ban
from newsdesk.moderation.services import ban_from_comment

from .conftest import user_in

pytestmark = pytest.mark.django_db


def test_the_demos_abusive_guest_can_be_banned_by_what_identifies_them(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    demo = {c.source_id: c for c in Comment.objects.filter(source="demo")}
    abuse = demo["abuse"]
    assert abuse.status == CommentStatus.HELD
    assert abuse.guest_key_hash and abuse.guest_email and abuse.ip_address

    moderator = user_in("Moderators", "mona")
    client.force_login(moderator)
    reported = client.get("/admin/moderation/?status=reported").content.decode()
    assert f'id="q{demo["treaty-3"].pk}"' in reported

    ban_from_comment(comment_id=abuse.pk, actor=moderator)
    ban = Ban.objects.get()
    assert (ban.email, ban.network) == (abuse.guest_email, "198.18.66.0/24")
    # The same person from another address of their network, with a fresh browser.
    back = comment_create(
        article=abuse.thread.article,
        reader=Reader(guest_key=guest_key_new(), ip_address="198.18.66.200"),
        draft=CommentDraft(body="Just asking what the gauges say.", guest_name="Hammer"),
    )
    assert back.status == CommentStatus.REJECTED

"""The demo of readers' own controls: Ines ignores the troll, follows the lead story, and her
hourly digest (three comments in one e-mail) is sent while the demo loads; loading twice adds
nothing and sends nothing more."""

from io import StringIO

import pytest
from django.core import mail

from newsdesk.demo import controls as demo_controls
from newsdesk.discussion.models import Comment, IgnoredCommenter, ReaderSettings, Subscription
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_demo_reader_ignores_the_troll_and_gets_one_digest(
    section, django_capture_on_commit_callbacks
):
    lead = make_article(section=section, title="The newest story")
    with django_capture_on_commit_callbacks(execute=True):
        demo_controls.load(stdout=StringIO())
    ignored = IgnoredCommenter.objects.get()
    assert (ignored.reader.username, ignored.ignored_user.username) == ("ines_reads", "gale_force")
    assert ReaderSettings.objects.get(user=ignored.reader).frequency == "hourly"
    assert Subscription.objects.get(user=ignored.reader).thread.article_id == lead.pk
    troll = Comment.objects.filter(source="demo-controls", user=ignored.ignored_user)
    assert troll.count() == 2 and all(c.status == "published" for c in troll)
    # (Here the comments' e-mail tasks run at the end of each load, when the test's
    # transaction lets them: the second load gathers what the first one stored.)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            demo_controls.load(stdout=StringIO())
    assert Comment.objects.filter(source="demo-controls").count() == len(demo_controls.ENTRIES)
    (digest,) = [m for m in mail.outbox if m.to == ["ines@example.org"]]
    assert digest.subject.startswith("3 new comments")
    assert "gale_force" not in digest.body.lower() and "Gale Force" not in digest.body

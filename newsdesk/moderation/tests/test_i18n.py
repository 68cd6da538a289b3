"""Moderation in Spanish and French (issue 24): the moderators' queue, the readers' report
page and the appeal e-mail speak the active language; counts take their plural forms."""

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from newsdesk.moderation.models import Appeal, AppealState
from newsdesk.moderation.reasons import reason_text

from .conftest import SPAM, guest_reader, member_reader, post

pytestmark = pytest.mark.django_db
SHIPPED = [("en", "English"), ("es", "Español"), ("fr", "Français")]


@pytest.fixture
def held(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return post(article, guest_reader("192.0.2.50"), SPAM, email="deals@example.org")


def test_the_queue_speaks_spanish(client, moderator, held):
    client.force_login(moderator)
    with override_settings(LANGUAGE_CODE="es", LANGUAGES=SHIPPED), translation.override("es"):
        page = client.get("/admin/moderation/?status=all").content.decode()
    assert '<h2 id="queue-shortcuts-title">Atajos de teclado</h2>' in page
    assert ">Keyboard shortcuts</" not in page
    assert ">Aprobar</button>" in page
    assert ">Approve</button>" not in page
    assert "Nota sobre este comentarista (la ven todos los moderadores)" in page
    # Button values are form keys, the same in every language.
    assert 'value="approve"' in page


def test_the_report_page_speaks_french(client, article):
    comment = post(article, guest_reader(), "The figures in the second table do not add up.")
    with override_settings(LANGUAGE_CODE="fr", LANGUAGES=SHIPPED), translation.override("fr"):
        page = client.get(f"/moderation/comments/{comment.pk}/report/").content.decode()
    assert "Signaler un commentaire" in page
    assert "Report a comment" not in page
    assert "Envoyer le signalement" in page
    assert "Spam ou publicité" in page
    assert "Spam or advertising" not in page


def test_the_dossier_counts_take_their_plural_forms():
    with translation.override("es"):
        one = render_to_string(
            "moderation/admin/summary_item.html",
            {"counts": {"held": 1, "reported": 2}, "url": "/admin/moderation/"},
        )
        many = render_to_string(
            "moderation/admin/summary_item.html",
            {"counts": {"held": 3, "reported": 0}, "url": "/admin/moderation/"},
        )
    assert "<span>1</span> comentario retenido, <span>2</span> denunciados" in one
    assert "<span>3</span> comentarios retenidos, <span>0</span> denunciados" in many
    with translation.override("en"):
        english = render_to_string(
            "moderation/admin/summary_item.html",
            {"counts": {"held": 1, "reported": 2}, "url": "/admin/moderation/"},
        )
    assert "<span>1</span> held comment, <span>2</span> reported" in english


def test_the_reasons_and_the_appeal_email_follow_the_language(article):
    reader = member_reader("ana")
    comment = post(article, reader, "A comment that a moderator will look at again.")
    appeal = Appeal(
        comment=comment, user=reader.user, message="Please look again.", state=AppealState.UPHELD
    )
    with translation.override("fr"):
        assert reason_text("spam").startswith("il ressemble à de la publicité")
        mail = render_to_string(
            "moderation/email/appeal_outcome.txt",
            {
                "appeal": appeal,
                "title": "The bridge",
                "excerpt": "A comment",
                "reversed": False,
                "link": "https://example.org/account/comments/",
                "site_name": "Newsdesk",
            },
        )
    assert "Bonjour," in mail
    assert "Il a maintenu la décision" in mail
    assert "They upheld the decision" not in mail
    with translation.override("es"):
        assert reason_text("spam").startswith("parece publicidad o spam")

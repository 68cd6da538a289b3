"""The discussion in Spanish and French: the thread under an article, its comments (built in
Python), the scripts' words, the refusals, the e-mails and the counts take the active
language's words and plural forms, and no English is left behind."""

import json
import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

from newsdesk.core.processcache import process_caches_clear
from newsdesk.discussion.errors import InvalidComment
from newsdesk.discussion.services.slow_mode import slow_mode_words
from newsdesk.discussion.tests.helpers import guest, post

pytestmark = pytest.mark.django_db


def _page(client, article) -> str:
    cache.clear()
    process_caches_clear()
    response = client.get(article.get_url())
    assert response.status_code == 200
    return response.content.decode()


def _messages(html: str) -> dict:
    block = re.search(
        r'<script id="discussion-messages" type="application/json">(.*?)</script>', html, re.S
    )
    assert block, "the thread carries its scripts' words"
    return json.loads(block.group(1))


def test_the_thread_is_in_spanish(settings, client, article):
    settings.LANGUAGE_CODE = "es"
    post(article, guest(), "Un comentario de prueba.", name="Lucía")
    html = _page(client, article)
    assert 'class="discussion__heading">Discusión <span' in html
    assert ">1 comentario</span>" in html
    assert "Publicar comentario</button>" in html
    assert ">Su comentario</label>" in html
    assert 'data-js="reply" data-parent=' in html and ">Responder</a>" in html
    assert 'aria-label="Votar a favor"' in html and 'title="Enlace a este comentario"' in html
    assert 'aria-label="Ordenar comentarios">Ordenar por' in html and ">mejores</a>" in html
    for english in (
        "Post comment",
        "Your comment",
        "Sort by",
        ">Reply</a>",
        "Vote up",
        " comment</",
    ):
        assert english not in html
    words = _messages(html)
    assert words["delete_yes"] == "Eliminarlo"
    assert words["comments"] == {
        "0": "%(count)s comentarios",
        "1": "%(count)s comentario",
        "n": "%(count)s comentarios",
    }


def test_the_thread_is_in_french_with_its_plural_of_zero(settings, client, article):
    settings.LANGUAGE_CODE = "fr"
    html = _page(client, article)
    assert 'class="discussion__heading">Discussion <span' in html
    # French counts zero in the singular.
    assert ">0 commentaire</span>" in html
    assert "Pas encore de commentaires. Soyez le premier." in html
    assert "Publier le commentaire</button>" in html
    assert "No comments yet." not in html and "Be the first." not in html
    words = _messages(html)
    assert words["comments"]["0"] == "%(count)s commentaire"
    assert words["live_show"] == {"0": "afficher", "1": "afficher", "n": "les afficher"}


def test_a_comment_in_spanish_shows_its_date_in_the_short_spanish_format(settings, article):
    from newsdesk.discussion import selectors
    from newsdesk.discussion.comment_html import comment_tree_html
    from newsdesk.discussion.readers import Reader

    comment = post(article, guest(), "Hola.", name="Ana")
    settings.LANGUAGE_CODE = "es"
    with translation.override("es"):
        page = selectors.thread_page_get(article=article, reader=Reader(), sort=None, page=1)
        html = str(comment_tree_html(nodes=page.nodes, thread_open=True, csrf_token=None))
    created = comment.created_at.astimezone(timezone.get_current_timezone())
    assert f">{created.day}/{created.month}/{created.year}, " in html
    assert ">Responder</a>" in html and "Reply" not in html


def test_a_refusal_is_in_the_readers_language(article):
    for language, words in (
        ("es", "Escriba algo antes de publicar."),
        ("fr", "Écrivez quelque chose avant de publier."),
    ):
        with translation.override(language), pytest.raises(InvalidComment) as refusal:
            post(article, guest(), "   ")
        assert str(refusal.value.message) == words


def test_the_reply_email_is_in_french():
    context = {
        "author_name": "Ana",
        "title": "Les rivières",
        "comment": {"body_source": "Bonjour."},
        "permalink": "https://example.org/c/1/",
        "unsubscribe_url": "https://example.org/u/",
        "site_name": "Newsdesk",
    }
    with translation.override("fr"):
        text = render_to_string("discussion/email/reply.txt", context)
    assert "Ana a répondu à votre commentaire sur « Les rivières » :" in text
    assert "Le lire et répondre : https://example.org/c/1/" in text
    assert "replied to your comment" not in text and "Read it and reply" not in text


def test_counts_take_the_languages_plural_forms():
    with translation.override("es"):
        assert slow_mode_words(30) == "un comentario cada 30 segundos"
        assert slow_mode_words(60) == "un comentario por minuto"
        assert "2 comentarios</a>" in render_to_string(
            "discussion/card_meta.html", {"count": 2, "url": "/a/"}
        )
    with translation.override("fr"):
        assert "1 commentaire</a>" in render_to_string(
            "discussion/card_meta.html", {"count": 1, "url": "/a/"}
        )
    with translation.override("en"):
        assert slow_mode_words(3600) == "one comment every hour"
        assert "2 comments</a>" in render_to_string(
            "discussion/card_meta.html", {"count": 2, "url": "/a/"}
        )


def test_live_comments_come_in_the_pages_language(settings, client, article):
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    comment = post(article, guest(), "Nuevo.", name="Ana")
    url = f"/discussion/articles/{article.pk}/live/comments"
    spanish = client.get(url, {"ids": str(comment.pk), "lang": "es"}).json()
    assert ">Responder</a>" in spanish["comments"][0]["html"]
    english = client.get(url, {"ids": str(comment.pk)}).json()
    assert ">Reply</a>" in english["comments"][0]["html"]
    # Only the site's languages: any other is the site's own.
    other = client.get(url, {"ids": str(comment.pk), "lang": "fr"}).json()
    assert ">Reply</a>" in other["comments"][0]["html"]

"""Posts through the JSON API get the form's bot checks (issue 17, 7e).

The form carries a honeypot field (``website``) and the signed time it was served
(``started``); moderation's spam signal holds a guest's post with the honeypot filled (as
severe: no trust excuses it) or sent within seconds of the form being served (evidence a
signed-in reader in good standing is not held by alone: test_sending_evidence.py). The API
takes the same two fields, so a bot gains nothing by posting there: each attack below is made
through the form and through the API, and both end the same way. A render time that does not
verify (a forged one) counts as a bot's through either door.
"""

import secrets

import pytest
from django.test import Client

from newsdesk.discussion.forms import form_started_token
from newsdesk.discussion.models import Comment

pytestmark = pytest.mark.django_db

# Two texts, so that the second post is not also held as the same text posted again.
BODY_FORM = "I read the whole report and the figures on the reservoir add up, as far as I see."
BODY_API = "The council's own gauging records were published last spring; worth a look."


def _form_post(article, ip: str, **fields) -> Comment:
    """Posted as a browser without the script posts the form (a page answers: the comment
    when it is stored for the thread, a message when it is rejected)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": BODY_FORM, "name": "Rob", **fields},
    )
    assert response.status_code in (200, 303), response.content[:300]
    return Comment.objects.get(body_source=BODY_FORM)


def _api_post(article, ip: str, **fields) -> Comment:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        f"/api/threads/{article.pk}/comments",
        {"body": BODY_API, "name": "Rob", **fields},
        content_type="application/json",
        HTTP_X_GUEST_TOKEN=secrets.token_urlsafe(24),
    )
    assert response.status_code == 201, response.content[:300]
    return Comment.objects.filter(guest_name="Rob").latest("pk")


def _verdict(comment: Comment) -> tuple[str, str]:
    """Its status and the decision that gave it ("held (severe): spam 0.90 ≥ 0.50")."""
    return comment.status, comment.status_reason.split(";")[0]


@pytest.mark.parametrize(
    "attack",
    [
        pytest.param({"website": "http://seo.example"}, id="honeypot-filled"),
        pytest.param({"started": "fresh"}, id="sent-too-fast"),
        pytest.param({"started": "1700000000.0:forged:signature"}, id="forged-render-time"),
    ],
)
def test_an_api_post_is_judged_by_the_forms_bot_checks(article, attack):
    def fields():
        # A fresh render time for each post ("fresh"), as a bot reading the page would send.
        return {k: form_started_token() if v == "fresh" else v for k, v in attack.items()}

    by_form = _form_post(article, "198.51.100.1", **fields())
    by_api = _api_post(article, "198.51.100.2", **fields())
    status, decision = _verdict(by_form)
    # A guest is held (nothing vouches for them), or rejected outright for a filled honeypot.
    assert status in {"held", "rejected"} and "spam" in decision, by_form.status_reason
    if "website" in attack:
        assert decision.startswith(("held (severe)", "rejected")), decision
    assert _verdict(by_api) == _verdict(by_form), by_api.status_reason


def test_an_honest_api_post_is_published_like_an_honest_form(article):
    # Sent long enough after the form was served (the signed time says so), honeypot empty.
    old = form_started_token(at_seconds_ago=60)
    by_form = _form_post(article, "198.51.100.3", started=old, website="")
    by_api = _api_post(article, "198.51.100.4", started=old, website="")
    assert by_form.status == by_api.status == "published", by_api.status_reason

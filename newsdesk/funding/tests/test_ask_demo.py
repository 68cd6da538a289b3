"""The demo of the support ask and the supporter badge (``newsdesk/demo/support_ask.py``):
the editors' words, a supporter whose comments show the badge, a lapsed donor; twice."""

import io
import re

import pytest
from django.test import Client

from newsdesk.demo import support_ask
from newsdesk.discussion.models import Comment
from newsdesk.funding.models import Donation
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.selectors_ask import reader_donor_status
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db


def test_the_demo_sets_the_words_and_shows_a_supporter_twice_over(article):
    make_campaign()
    for _ in range(2):
        support_ask.load(stdout=io.StringIO())
    ask = SupportAskSettings.load()
    assert ask.new_button == support_ask.WORDS["new_button"]
    assert ask.articles_before_ask == 2
    assert Comment.objects.filter(source=support_ask.SOURCE).count() == 2
    assert Donation.objects.filter(provider_reference__startswith="demo-ask-").count() == 2
    html = Client().get(article.url).content.decode()
    assert str(support_ask.WORDS["new_heading"]) in html
    badges = re.findall(r">([^<]+)</span><span class=\"comment__supporter\"", html)
    assert badges == ["Mira", "Mira"]
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    mira = users.get(username="mira_gives")
    oskar = users.get(username="oskar_gave")
    assert reader_donor_status(user_id=mira.pk, settings=ask) == "current"
    assert reader_donor_status(user_id=oskar.pk, settings=ask) == "lapsed"

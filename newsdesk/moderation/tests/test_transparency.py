"""The public transparency page (issue 22, item 7): per month, comments published, held,
rejected and removed, by reason, and appeals made, upheld and reversed; the same for every
reader (a public route of the page cache), linked from every page's footer, a fixed number
of queries whatever the number of decisions."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape

from newsdesk.discussion.models import CommentStatus
from newsdesk.moderation.models import Appeal, AppealState, Decision, DecisionAction
from newsdesk.moderation.reasons import reason_text
from newsdesk.moderation.selectors_appeals import transparency_figures_compute
from newsdesk.pagecache.registry import is_public_route

from .conftest import guest_reader, post, user_in

pytestmark = pytest.mark.django_db
URL = "/transparency/"
OCTOBER = datetime(2026, 10, 14, 12, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 3, 9, tzinfo=UTC)


def _decision(comment, action, *, when, code="", previous="", new="", undone=None):
    decision = Decision.objects.create(
        comment=comment,
        action=action,
        reason_code=code,
        previous_status=previous,
        new_status=new,
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=when, undone_by=undone)
    return decision


@pytest.fixture
def known(article):
    """A known set of decisions in October and November, and three appeals."""
    comment = post(article, guest_reader(), "The council's figures do not add up, as I read them.")
    others = [
        post(article, guest_reader(), f"Another remark on the bridge, {n}.") for n in range(3)
    ]
    Decision.objects.all().delete()
    pub, held, rej = CommentStatus.PUBLISHED, CommentStatus.HELD, CommentStatus.REJECTED
    for _ in range(3):
        _decision(comment, DecisionAction.PUBLISHED, when=OCTOBER, new=pub)
    _decision(comment, DecisionAction.HELD, when=OCTOBER, code="spam", new=held)
    _decision(comment, DecisionAction.HELD, when=OCTOBER, code="links_new", new=held)
    _decision(comment, DecisionAction.REPORT_HID, when=OCTOBER, code="reports", new=held)
    _decision(comment, DecisionAction.REJECTED_AUTO, when=OCTOBER, code="spam", new=rej)
    _decision(comment, DecisionAction.APPROVED, when=OCTOBER, previous=held, new=pub)
    # A moderator's rejection of a held comment, and the removal of a published one.
    _decision(
        comment, DecisionAction.REJECTED, when=NOVEMBER, code="mod_abuse", previous=held, new=rej
    )
    _decision(
        comment, DecisionAction.REJECTED, when=NOVEMBER, code="mod_abuse", previous=pub, new=rej
    )
    _decision(
        comment,
        DecisionAction.SPAM,
        when=NOVEMBER,
        code="mod_spam",
        previous=pub,
        new=CommentStatus.SPAM,
    )
    # Not counted: an undone decision, and a shadow ban (its author must not learn of it).
    undo = _decision(comment, DecisionAction.UNDO, when=NOVEMBER, previous=rej, new=pub)
    _decision(
        comment,
        DecisionAction.REJECTED,
        when=NOVEMBER,
        code="mod_other",
        previous=pub,
        new=rej,
        undone=undo,
    )
    _decision(comment, DecisionAction.SHADOWED, when=NOVEMBER, new=pub)
    author = user_in(None, "ana")
    for other, state, when in zip(
        others,
        (AppealState.PENDING, AppealState.UPHELD, AppealState.REVERSED),
        (NOVEMBER, NOVEMBER, OCTOBER),
        strict=True,
    ):
        appeal = Appeal.objects.create(
            comment=other, user=author, message="Look again.", state=state
        )
        Appeal.objects.filter(pk=appeal.pk).update(created_at=when)
    return comment


def test_the_figures_of_a_known_set_of_decisions(known):
    november, october = transparency_figures_compute()
    assert (november.month.isoformat(), october.month.isoformat()) == ("2026-11-01", "2026-10-01")
    assert (october.published, october.held, october.rejected, october.removed) == (4, 3, 1, 0)
    assert (november.published, november.held, november.rejected, november.removed) == (0, 0, 1, 2)
    assert october.by_reason == {
        "spam": {"held": 1, "rejected": 1},
        "links_new": {"held": 1},
        "reports": {"held": 1},
    }
    assert november.by_reason == {
        "mod_abuse": {"rejected": 1, "removed": 1},
        "mod_spam": {"removed": 1},
    }
    assert (october.appeals_made, october.appeals_upheld, october.appeals_reversed) == (1, 0, 1)
    assert (november.appeals_made, november.appeals_upheld, november.appeals_reversed) == (2, 1, 0)


def test_the_page_shows_them_by_reason_without_a_score(known):
    cache.clear()
    response = Client().get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-month="2026-10"' in html and 'data-month="2026-11"' in html
    assert '<td data-figure="published">4</td>' in html
    assert '<td data-figure="removed">2</td>' in html
    assert '<td data-figure="reversed">1</td>' in html
    assert escape(reason_text("links_new").capitalize()) in html
    assert "Community guidelines" in html


def test_it_is_shared_by_the_page_cache_and_in_every_footer(article):
    assert is_public_route(("moderation", "transparency"))
    assert f'href="{URL}"' in Client().get("/").content.decode()


def test_its_query_budget_does_not_grow_with_the_decisions(
    article, known, django_assert_max_num_queries, settings
):
    settings.PAGECACHE_ENABLED = False
    cache.clear()
    # The layout's queries and two of its own (decisions and appeals, grouped by month).
    with django_assert_max_num_queries(BUDGET):
        assert Client().get(URL).status_code == 200
    for n in range(30):
        comment = post(article, guest_reader(f"192.0.2.{n + 100}"), f"Remark {n} on the river.")
        _decision(comment, DecisionAction.HELD, when=NOVEMBER, code="first_comments", new="held")
    cache.clear()
    with django_assert_max_num_queries(BUDGET):
        html = Client().get(URL).content.decode()
    assert escape(reason_text("first_comments").capitalize()) in html
    # Then its figures come from the cache.
    with django_assert_max_num_queries(BUDGET - 2):
        Client().get(URL)


BUDGET = 12

"""The demo's editors' picks and its Q&A article: three picks on the lead story by the demo
desk editor, and the aquifer story in Q&A mode with answered questions and one waiting."""

import io

from newsdesk.articles.models import ArticlePage
from newsdesk.demo import picks
from newsdesk.demo.discussion import lead_story_find
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import thread_page_get


def test_the_lead_story_has_three_picks_by_the_desk_editor(demo_db, client):
    lead = lead_story_find()
    chosen = Comment.objects.filter(thread__article=lead, picked_at__isnull=False)
    assert sorted(chosen.values_list("source_id", flat=True)) == sorted(picks.PICKS)
    assert {c.picked_by.get_username() for c in chosen} == {picks.EDITOR}
    html = client.get("/discussion/picks/").content.decode()
    assert html.count(f"picked by {picks.EDITOR_NAME}") == len(picks.PICKS)


def test_the_qa_article_has_answered_questions_and_one_waiting(demo_db):
    article = ArticlePage.objects.get(slug=picks.QA_STORY_SLUG)
    page = thread_page_get(article=article, reader=Reader())
    assert page.qa_mode and page.sort == "answered"
    assert [node.answered for node in page.nodes] == [True, True, False]
    unanswered = thread_page_get(article=article, reader=Reader(), sort="unanswered")
    assert len(unanswered.nodes) == 1


def test_loading_it_again_changes_nothing(demo_db):
    before = list(Comment.objects.filter(picked_at__isnull=False).values_list("pk", "picked_at"))
    count = Comment.objects.count()
    picks.load(stdout=io.StringIO())
    assert Comment.objects.count() == count
    assert (
        list(Comment.objects.filter(picked_at__isnull=False).values_list("pk", "picked_at"))
        == before
    )

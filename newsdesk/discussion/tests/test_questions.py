"""Q&A mode: who may turn a discussion into Q&A and mark answers, the order ("Answered
first" by default, "Unanswered"), and the marks readers see."""

import pytest
from django.contrib.auth.models import Permission

from newsdesk.discussion.errors import InvalidComment, NotAllowed
from newsdesk.discussion.models import Comment, CommentStatus, Thread
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import thread_page_get
from newsdesk.discussion.services import comment_status_set
from newsdesk.discussion.services.questions import answer_mark_set, thread_qa_set
from newsdesk.discussion.tests.helpers import guest, member, post
from newsdesk.discussion.tests.test_picks import moderator
from newsdesk.moderation.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return moderator("answerer", name="Tom Field")


@pytest.fixture
def qa(article, staff):
    thread_qa_set(article=article, qa_mode=True, actor=staff)
    return article


def test_only_staff_turn_a_discussion_into_qa(article, staff):
    for actor in (member("nosy").user, None):
        with pytest.raises(NotAllowed):
            thread_qa_set(article=article, qa_mode=True, actor=actor)
    assert not Thread.objects.filter(article=article, qa_mode=True).exists()
    thread = thread_qa_set(article=article, qa_mode=True, actor=staff)
    assert thread.qa_mode and Thread.objects.get(article=article).qa_mode


def test_a_staff_reply_is_marked_as_the_answer_and_logged(qa, staff):
    question = post(qa, guest(), "When will the survey be repeated?")
    answer = post(qa, Reader(user=staff), "Next spring.", parent=question)
    answer_mark_set(comment_id=answer.pk, actor=staff)
    assert Comment.objects.get(pk=answer.pk).is_answer
    assert Decision.objects.filter(comment=answer, action="answer_marked", actor=staff).exists()
    page = thread_page_get(article=qa, reader=Reader())
    assert page.qa_mode and page.sort == "answered"
    assert page.nodes[0].answered
    assert page.nodes[0].replies[0].is_answer


def test_readers_cannot_mark_answers_nor_is_a_readers_reply_an_answer(qa, staff):
    question = post(qa, guest(), "A question?")
    reader = member("helpful")
    readers_reply = post(qa, reader, "I think it is next year.", parent=question)
    with pytest.raises(NotAllowed) as refused:
        answer_mark_set(comment_id=readers_reply.pk, actor=reader.user)
    assert refused.value.status_code == 403
    with pytest.raises(InvalidComment):
        answer_mark_set(comment_id=readers_reply.pk, actor=staff)
    with pytest.raises(InvalidComment):
        answer_mark_set(comment_id=question.pk, actor=staff)  # a question answers nothing
    assert not Comment.objects.filter(is_answer=True).exists()


def test_no_answer_is_marked_outside_qa_mode(article, staff):
    question = post(article, guest(), "A question?")
    reply = post(article, Reader(user=staff), "A reply.", parent=question)
    with pytest.raises(InvalidComment):
        answer_mark_set(comment_id=reply.pk, actor=staff)


def test_answered_questions_come_first_and_unanswered_has_the_rest(qa, staff):
    first = post(qa, guest(), "First question?")
    second = post(qa, guest(), "Second question?")
    third = post(qa, guest(), "Third question?")
    answer = post(qa, Reader(user=staff), "An answer.", parent=second)
    answer_mark_set(comment_id=answer.pk, actor=staff)
    page = thread_page_get(article=qa, reader=Reader())
    assert [n.comment.pk for n in page.nodes] == [second.pk, first.pk, third.pk]
    unanswered = thread_page_get(article=qa, reader=Reader(), sort="unanswered")
    assert [n.comment.pk for n in unanswered.nodes] == [first.pk, third.pk]
    # An answer removed no longer answers its question.
    comment_status_set(comment=answer, status=CommentStatus.REJECTED)
    page = thread_page_get(article=qa, reader=Reader())
    assert [n.comment.pk for n in page.nodes] == [first.pk, second.pk, third.pk]
    assert not any(n.answered for n in page.nodes)


def test_qa_sorts_are_not_offered_outside_qa_mode(article):
    page = thread_page_get(article=article, reader=Reader(), sort="unanswered")
    assert page.sort == "best"


def test_the_page_marks_answered_questions_and_answers_and_asks_for_questions(client, qa, staff):
    question = post(qa, guest(), "Is the survey public?")
    answer = post(qa, Reader(user=staff), "Yes, in the annex.", parent=question)
    answer_mark_set(comment_id=answer.pk, actor=staff)
    post(qa, guest(), "Still waiting for this one?")
    html = client.get(qa.url).content.decode()
    assert "Ask a question" in html and "Your question" in html
    assert ">Answered</span>" in html
    assert "Answer from Tom Field, staff" in html
    assert "Answered first" in html and "?sort=unanswered#discussion" in html
    unanswered = client.get(qa.url + "?sort=unanswered").content.decode()
    assert "Still waiting for this one?" in unanswered
    assert "Is the survey public?" not in unanswered


def test_the_api_marks_answers_for_staff_only(client, qa, staff):
    question = post(qa, guest(), "A question?")
    answer = post(qa, Reader(user=staff), "The answer.", parent=question)
    url = f"/api/comments/{answer.pk}/answer"
    assert client.post(url).status_code == 403
    client.force_login(member("reader2").user)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert client.get(f"/api/threads/{qa.pk}/staff").json()["can_answer"] is True
    response = client.post(url)
    assert response.status_code == 200 and response.json()["is_answer"] is True
    thread = client.get(f"/api/threads/{qa.pk}").json()
    assert thread["qa_mode"] and thread["sort"] == "answered"
    assert thread["comments"][0]["answered"] and thread["comments"][0]["replies"][0]["is_answer"]


def test_the_articles_discussion_admin_page_turns_qa_on_and_withdraws_picks(client, article, staff):
    from newsdesk.discussion.services.picks import comment_pick_set

    url = f"/admin/discussion/articles/{article.pk}/"
    editor = member("wagtail_editor").user
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.post(url, {"qa_mode": "on"}).status_code == 403
    assert not Thread.objects.filter(article=article, qa_mode=True).exists()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    comment = post(article, guest(), "Featured, then withdrawn from the admin.")
    comment_pick_set(comment_id=comment.pk, actor=staff)
    page = client.get(url).content.decode()
    assert "Q&amp;A mode" in page and "Featured, then withdrawn" in page
    assert client.post(url, {"qa_mode": "on"}).status_code == 302
    assert Thread.objects.get(article=article).qa_mode
    client.post(url, {"action": "unpick", "comment": str(comment.pk)})
    assert Comment.objects.get(pk=comment.pk).picked_at is None
    client.post(url, {})  # the box unticked: an ordinary discussion again
    assert not Thread.objects.get(article=article).qa_mode
    assert client.post(url, {"action": "unpick", "comment": "nonsense"}).status_code == 302
    assert client.get("/admin/discussion/articles/999999/").status_code == 404

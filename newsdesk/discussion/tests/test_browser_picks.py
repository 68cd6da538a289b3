"""Editors' picks and Q&A in Debian's chromium against the served demo, at 1280 and 390 px:
a moderator features a comment from the article's page (the staff controls reach them on the
page every reader shares from the cache) and a reader, in a browser of their own, finds it
among the picks first in the default view and in the "Editors' picks" tab; the moderator
answers a question of the demo's Q&A article, marks the reply as the answer, and the reader
sees "Answered"."""

import json

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a quiet reservoir 2031"
HUMAN_PAUSE_MS = 3500  # the gate holds forms sent faster than a person types


@pytest.fixture(scope="module")
def site():
    # Its own site: the moderator posts answers from 127.0.0.1, whose per-address limits the
    # shared site's other tests may have used up.
    served = RunningSite(
        extra_env={"MODERATION_POSTING_RATE_LIMIT": "100", "DISCUSSION_POSTS_PER_IP": "100"}
    ).start()
    yield served
    served.stop()


def _shell_json(site, code: str):
    return json.loads(site.shell(code).strip().splitlines()[-1])


def _setup(site, width: int) -> dict:
    """A moderator (Wagtail's Moderators group) who signs in; a published top-level comment
    of the lead story not picked yet; a reader's question on the demo's Q&A article."""
    username = f"desk_{width}"
    return _shell_json(
        site,
        "import json; from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        "from newsdesk.articles.models import ArticlePage; "
        "from newsdesk.demo.discussion import lead_story_find; "
        "from newsdesk.demo.picks import QA_STORY_SLUG; "
        "from newsdesk.discussion.models import Comment; "
        "from newsdesk.discussion.readers import Reader; "
        "from newsdesk.discussion.services import CommentDraft, comment_create; "
        "U = get_user_model(); "
        f"m = U.objects.create_user('{username}', '{username}@example.org', '{PASSWORD}', "
        f"first_name='Desk {width}'); "
        "m.groups.add(Group.objects.get(name='Moderators')); "
        f"EmailAddress.objects.create(user=m, email='{username}@example.org', verified=True, "
        "primary=True); "
        f"r = U.objects.create_user('asker_{width}', 'asker_{width}@example.org', '{PASSWORD}'); "
        "lead = lead_story_find(); qa = ArticlePage.objects.get(slug=QA_STORY_SLUG); "
        "c = Comment.objects.filter(thread__article=lead, depth=1, status='published', "
        "is_shadowed=False, picked_at__isnull=True, pinned=False).order_by('created_at').first(); "
        "q = comment_create(article=qa, reader=Reader(user=r), draft=CommentDraft("
        f"body='At {width} pixels: how many boreholes ran dry this summer?')); "
        "print(json.dumps({'lead': lead.url, 'qa': qa.url, 'comment': c.pk, "
        "'question': q.pk, 'status': q.status}))",
    )


def _context(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _sign_in(page, site, username: str) -> None:
    page.goto(site.url + "/accounts/login/")
    page.locator("#id_login").fill(f"{username}@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _top_level(page):
    return page.locator('#discussion [data-role="comments"] > li.comment')


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_features_a_comment_and_answers_a_question_and_a_reader_sees_both(
    site, browser, width
):
    world = _setup(site, width)
    assert world["status"] == "published"
    staff, staff_page, staff_errors = _context(browser, width)
    reader, reader_page, reader_errors = _context(browser, width)
    _sign_in(staff_page, site, f"desk_{width}")

    # The reader sees no staff control on the shared page.
    reader_page.goto(site.url + world["lead"])
    expect(reader_page.locator('[data-js="pick"]')).to_have_count(0)

    # The moderator features the comment from the thread.
    staff_page.goto(site.url + world["lead"])
    expect(staff_page.locator("#discussion")).to_have_attribute("data-staff", "loaded")
    comment = staff_page.locator(f"#c{world['comment']}")
    feature = comment.locator(':scope > .comment__item [data-js="pick"]')
    expect(feature).to_have_text("Feature")
    feature.scroll_into_view_if_needed()
    assert feature.bounding_box()["height"] >= 24
    feature.click()
    mark = comment.locator(':scope > .comment__item [data-role="pick"]')
    expect(mark).to_have_text(f"Editors\u2019 pick · picked by Desk {width}")
    expect(feature).to_have_text("Unfeature")

    # The reader, in another browser, finds it among the picks above the rest...
    reader_page.goto(site.url + world["lead"])
    shown = reader_page.locator(f"#c{world['comment']}")
    expect(shown.locator(':scope > .comment__item [data-role="pick"]')).to_have_text(
        f"Editors\u2019 pick · picked by Desk {width}"
    )
    picked = [el.get_attribute("data-picked") for el in _top_level(reader_page).all()]
    position = [el.get_attribute("id") for el in _top_level(reader_page).all()].index(
        f"c{world['comment']}"
    )
    assert all(picked[: position + 1]), "every comment above a pick is a pick"
    assert None in picked, "the rest come after the picks"
    # ... and in the "Editors' picks" tab.
    reader_page.get_by_role("link", name="Editors\u2019 picks").first.click()
    reader_page.wait_for_url(lambda url: "sort=picks" in url)
    expect(reader_page.locator(f"#c{world['comment']}")).to_be_visible()
    expect(
        _top_level(reader_page).locator(':scope > .comment__item [data-role="pick"]')
    ).to_have_count(_top_level(reader_page).count())

    # Q&A: the moderator answers the reader's question and marks the reply as the answer.
    staff_page.goto(site.url + world["qa"] + "?sort=unanswered")
    expect(staff_page.locator("#discussion")).to_have_attribute("data-staff", "loaded")
    question = staff_page.locator(f"#c{world['question']}")
    question.locator(':scope > .comment__item [data-js="reply"]').click()
    form = question.locator(':scope > form[data-js="comment-form"]')
    expect(form.get_by_role("button", name="Post reply")).to_be_visible()
    # Its own words per width: the same text twice would be held as a repeat.
    form.locator("textarea").fill(f"At {width} pixels: eleven of the 212 boreholes ran dry.")
    staff_page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.get_by_role("button", name="Post reply").click()
    answer = question.locator(':scope > [data-role="replies"] > li.comment').last
    expect(answer.locator(".comment__body")).to_contain_text("eleven of the 212 boreholes")
    expect(answer.locator('[data-role="pending"]')).to_have_count(0)  # published
    mark_answer = answer.locator(':scope > .comment__item [data-js="answer"]')
    expect(mark_answer).to_have_text("Mark as answer")
    mark_answer.click()
    expect(answer.locator('[data-role="answer"]')).to_have_text(f"Answer from Desk {width}, staff")
    expect(question.locator(':scope > .comment__item [data-role="answered"]')).to_have_text(
        "Answered"
    )

    # The reader sees the question answered, in the Q&A thread's default order.
    reader_page.goto(site.url + world["qa"])
    expect(
        reader_page.locator("#discussion").get_by_role("button", name="Ask a question")
    ).to_be_visible()
    seen = reader_page.locator(f"#c{world['question']}")
    expect(seen.locator(':scope > .comment__item [data-role="answered"]')).to_have_text("Answered")
    expect(seen.locator('[data-role="answer"]')).to_have_text(f"Answer from Desk {width}, staff")
    expect(reader_page.locator('[data-js="answer"]')).to_have_count(0)

    assert staff_errors == [] and reader_errors == []
    staff.close()
    reader.close()

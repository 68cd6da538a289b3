# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Editors' picks and a Q&A article in the demo.

A demo desk editor (in Wagtail's Moderators group, so she may pick and answer; no password:
nobody signs in as her) picks three comments of the lead story's discussion, and the
aquifer story's discussion is in Q&A mode: readers' questions, two of them answered by her
(replies marked as answers), one still waiting. Everything goes through the discussion's
services, as the site's own controls do. The words are the project's own. Idempotent: each
question and answer has a demo key; picks and marks already made are left as they are.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create
from newsdesk.discussion.services.picks import comment_pick_set
from newsdesk.discussion.services.questions import answer_mark_set, thread_qa_set

SOURCE = "demo-qa"
EDITOR = "desk_mira"
EDITOR_NAME = "Mira Osei (desk editor)"
# The lead story's demo comments she picks (``demo.discussion``'s keys).
PICKS = ("hydrology", "treaty", "aubrel")
QA_STORY_SLUG = "wetter-spring-did-not-refill-the-aquifer-survey-finds"


@dataclass(frozen=True)
class DemoEntry:
    key: str
    author: str  # a guest's name, or EDITOR
    minutes: int  # after the article's publication
    body: str
    parent: str = ""
    answer: bool = False


QUESTIONS: tuple[DemoEntry, ...] = (
    DemoEntry(
        "q-wells",
        "Petra from Lindholm",
        40,
        "Our village well was lower this summer than anyone remembers, even after all that "
        "rain in April. Does the survey say how deep the water table is around the villages "
        "east of the ridge, or only near the city?",
    ),
    DemoEntry(
        "a-wells",
        EDITOR,
        95,
        "The survey measured 212 boreholes, 41 of them east of the ridge. There the water "
        "table sat on average 1.8 metres below its level of ten years ago, against 1.1 metres "
        "near the city. The full table is in the survey’s second annex; we link it at the end "
        "of the article.",
        parent="q-wells",
        answer=True,
    ),
    DemoEntry(
        "q-rain",
        "J. Marek",
        70,
        "If spring was the wettest in a decade, where did the water go? Run-off into the "
        "river, or did the fields simply take it all?",
    ),
    DemoEntry(
        "a-rain",
        EDITOR,
        130,
        "Mostly run-off, according to the hydrologists we spoke to: the rain came in a few "
        "heavy weeks onto ground that was still frozen or sealed, so it ran into the river "
        "instead of soaking down. Slow rain over months refills an aquifer; a flood does not.",
        parent="q-rain",
        answer=True,
    ),
    DemoEntry(
        "q-rain-thanks",
        "J. Marek",
        150,
        "Thank you, that makes sense of the brown river in May.",
        parent="q-rain",
    ),
    DemoEntry(
        "q-next",
        "Oskar Wendt",
        180,
        "Will the survey be repeated next year, and will the results by village be public "
        "this time?",
    ),
)


def _editor():
    users = get_user_model().objects
    editor = users.filter(username=EDITOR).first()
    if editor is None:
        editor = users.create_user(username=EDITOR, email="mira.osei@example.org")
        editor.first_name = EDITOR_NAME
        editor.set_unusable_password()
        editor.save(update_fields=["first_name", "password"])
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        editor.groups.add(moderators)
    # Permissions are cached on the instance: read them again with the group.
    return users.get(pk=editor.pk)


def _picks_load(*, editor, stdout) -> None:
    from newsdesk.demo.discussion import lead_story_find

    lead = lead_story_find()
    if lead is None:
        return
    comments = Comment.objects.filter(
        source="demo", source_id__in=PICKS, thread__article=lead, picked_at__isnull=True
    )
    picked = 0
    for comment in comments:
        try:
            comment_pick_set(comment_id=comment.pk, actor=editor, picked=True)
            picked += 1
        except DiscussionError as error:
            stdout.write(f"Picks: demo comment {comment.source_id} not picked: {error.message}")
    if picked:
        stdout.write(f"Picks: {picked} editors’ picks on “{lead.title}”.")


def _questions_load(*, editor, stdout) -> None:
    article = ArticlePage.objects.live().filter(slug=QA_STORY_SLUG).first()
    if article is None:
        stdout.write("Picks: no article for the Q&A demo.")
        return
    thread_qa_set(article=article, qa_mode=True, actor=editor)
    done = {c.source_id: c for c in Comment.objects.filter(source=SOURCE, thread__article=article)}
    readers: dict[str, Reader] = {EDITOR: Reader(user=editor)}
    published = article.first_published_at or timezone.now() - timedelta(hours=6)
    latest = timezone.now() - timedelta(minutes=5)
    for entry in QUESTIONS:
        if entry.key not in done:
            parent = done.get(entry.parent) if entry.parent else None
            if entry.parent and parent is None:
                continue
            reader = readers.setdefault(entry.author, Reader(guest_key=guest_key_new()))
            try:
                done[entry.key] = comment_create(
                    article=article,
                    reader=reader,
                    draft=CommentDraft(
                        body=entry.body,
                        guest_name="" if entry.author == EDITOR else entry.author,
                        parent_id=parent.pk if parent else None,
                    ),
                    created_at=min(published + timedelta(minutes=entry.minutes), latest),
                    source=SOURCE,
                    source_id=entry.key,
                )
            except DiscussionError as error:
                stdout.write(f"Picks: demo question {entry.key} refused: {error.message}")
                continue
        comment = done[entry.key]
        if entry.answer and not comment.is_answer:
            try:
                answer_mark_set(comment_id=comment.pk, actor=editor, is_answer=True)
            except DiscussionError as error:
                stdout.write(f"Picks: demo answer {entry.key} not marked: {error.message}")
    stdout.write(f"Picks: “{article.title}” is in Q&A mode.")


def load(*, stdout) -> None:
    editor = _editor()
    _picks_load(editor=editor, stdout=stdout)
    _questions_load(editor=editor, stdout=stdout)

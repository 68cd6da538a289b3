"""The issues of a newsletter, written as Wagtail pages, and their public archive.

An issue is edited like a page (subject = title, intro, free blocks with picked articles
and a support ask), previewed, sent as a test to the editor, then scheduled: a ``Send``
(``models_sending.py``) records each sending. Publishing the page puts it in the archive
of past issues (``NewsletterArchivePage``, under the home page).
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from newsdesk.newsletters.blocks import IssueBodyBlock


class NewsletterArchivePage(Page):
    """The public archive of past issues (``/newsletters/``): the lists readers may join,
    each with its sign-up form, and the issues published under this page, newest first."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["articles.HomePage"]
    subpage_types = ["newsletters.NewsletterIssuePage"]
    max_count = 1
    template = "newsletters/archive_page.html"


class NewsletterIssuePage(Page):
    """One issue of one newsletter: its subject is the page's title.

    ``preheader`` is the line mail programs show after the subject. ``is_digest`` marks an
    issue the list's automatic digest assembled (an editor may edit it before it goes).
    """

    newsletter = models.ForeignKey(
        "newsletters.Newsletter", on_delete=models.PROTECT, related_name="issues"
    )
    preheader = models.CharField(
        max_length=150, blank=True, help_text="The line mail programs show after the subject."
    )
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    body = StreamField(IssueBodyBlock(), blank=True)
    is_digest = models.BooleanField(default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("newsletter"),
        FieldPanel("preheader"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["newsletters.NewsletterArchivePage"]
    subpage_types: list[str] = []
    template = "newsletters/issue_page.html"

"""The issues of a newsletter, written as Wagtail pages, and their public archive.

An issue is edited like a page (subject = title, intro, free blocks with picked articles
and a support ask), previewed, sent as a test to the editor, then scheduled: a ``Send``
(``models_sending.py``) records each sending. Publishing the page puts it in the archive
of past issues (``NewsletterArchivePage``, under the home page).
"""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
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
    issues_per_page = 20
    signup_box_in_page = True

    def get_context(self, request, *args, **kwargs):
        """The public lists and one page (``?page=``) of the published issues, newest first:
        a fixed number of queries whatever the number of issues."""
        from newsdesk.newsletters.models import ConsentSource
        from newsdesk.newsletters.selectors import newsletters_public
        from newsdesk.newsletters.views import signup_box_html

        context = super().get_context(request, *args, **kwargs)
        issues = (
            NewsletterIssuePage.objects.live()
            .public()
            .child_of(self)
            .select_related("newsletter")
            .order_by("-first_published_at", "-pk")
        )
        context["issues"] = Paginator(issues, self.issues_per_page).get_page(
            request.GET.get("page")
        )
        context["newsletters"] = newsletters_public()
        # The footer's box, drawn here in the page's content (the footer leaves it out).
        context["signup_box"] = signup_box_html(
            request=request, source=ConsentSource.FOOTER, url=request.path
        )
        return context


class NewsletterIssuePage(Page):
    """One issue of one newsletter: its subject is the page's title.

    ``preheader`` is the line mail programs show after the subject. ``is_digest`` marks an
    issue the list's automatic digest assembled (an editor may edit it before it goes).
    """

    newsletter = models.ForeignKey(
        "newsletters.Newsletter", on_delete=models.PROTECT, related_name="issues"
    )
    preheader = models.CharField(
        max_length=150, blank=True, help_text=_("The line mail programs show after the subject.")
    )
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    body = StreamField(IssueBodyBlock(), blank=True)
    is_digest = models.BooleanField(default=False, editable=False)
    # The period an automatic digest was made for (its start, ISO 8601 in UTC), unique per
    # list: two workers, or a worker restarted, can never make a second digest of one period.
    digest_key = models.CharField(max_length=40, blank=True, default="", editable=False)

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
    # A copy of a digest is an editor's issue, not a second digest of the same period.
    exclude_fields_in_copy = ["digest_key"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "digest_key"],
                condition=~Q(digest_key=""),
                name="newsletter_one_digest_per_period",
            )
        ]

    def get_context(self, request, *args, **kwargs):
        """The issue as on the web: its blocks with the picks loaded together
        (``rendering.issue_parts``), the ask's words and the donate page's address."""
        from newsdesk.newsletters.rendering import issue_parts, support_ask_fill

        context = super().get_context(request, *args, **kwargs)
        context["parts"] = support_ask_fill(parts=issue_parts(issue=self, for_web=True))
        context["donate_url"] = reverse("funding:donate")
        return context

    # Wagtail's preview offers the web page and the mail (both parts) side by side.
    @property
    def preview_modes(self):
        return [
            ("", _("Web page")),
            ("email", _("E-mail")),
            ("email-text", _("E-mail, plain text")),
        ]

    def serve_preview(self, request, mode_name):
        """The e-mail modes show the mail as a subscriber gets it, addressed to the editor."""
        if mode_name not in ("email", "email-text"):
            return super().serve_preview(request, mode_name)
        from newsdesk.newsletters.rendering import issue_render, issue_render_for

        rendered = issue_render(issue=self)
        html_part, text_part = issue_render_for(
            rendered=rendered,
            name=getattr(request.user, "first_name", "") or "",
            unsubscribe_url="#unsubscribe",
            preferences_url="#preferences",
        )
        if mode_name == "email-text":
            body = _("Subject: %(subject)s") % {"subject": rendered.subject} + f"\n\n{text_part}"
            return HttpResponse(body, content_type="text/plain; charset=utf-8")
        return HttpResponse(html_part)

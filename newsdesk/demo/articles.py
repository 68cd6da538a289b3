"""The demo's newsroom: The Lantern's sections, writers, partner outlets and articles.

The words live in ``newsdesk.demo.content``; this module puts them on the site through the
articles app's services. It is idempotent: every item is found again by a stable key (a
section's or an article's slug, an author's slug, an outlet's name, an image's title) and
only what is missing is created, so ``manage.py load_demo`` can run at every start.
Publication times are spread over the past week, counted back from the first load; one
article is scheduled a few days ahead and stays invisible until the worker publishes it.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage, Author, HomePage, Outlet, SectionPage
from newsdesk.articles.services import article_create, correction_add
from newsdesk.demo.content import Story, culture, economy, politics, science, world
from newsdesk.demo.content.people import AUTHORS, OUTLETS, SECTIONS
from newsdesk.demo.content.world import LEAD_STORY_SLUG
from newsdesk.demo.images import image_get_or_create

STORIES: tuple[Story, ...] = (
    *world.STORIES,
    *politics.STORIES,
    *economy.STORIES,
    *science.STORIES,
    *culture.STORIES,
)

__all__ = ["LEAD_STORY_SLUG", "STORIES", "lead_story_get", "load"]


def home_page_get() -> HomePage:
    """The front page of the default site, which the demo fills."""
    return Site.objects.get(is_default_site=True).root_page.specific


def lead_story_get() -> ArticlePage | None:
    """The demo's lead story (for the parts of the demo that attach to it)."""
    return ArticlePage.objects.filter(slug=LEAD_STORY_SLUG).first()


def _sections_ensure(home: HomePage) -> dict[str, SectionPage]:
    sections = {}
    for spec in SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=spec.slug).first()
        if section is None:
            section = SectionPage(
                title=spec.title, slug=spec.slug, intro=spec.intro, show_in_menus=True
            )
            home.add_child(instance=section)
            section.save_revision().publish()
        sections[spec.slug] = section
    return sections


def _authors_ensure() -> dict[str, Author]:
    return {
        spec.slug: Author.objects.get_or_create(
            slug=spec.slug, defaults={"name": spec.name, "role": spec.role, "bio": spec.bio}
        )[0]
        for spec in AUTHORS
    }


def _outlets_ensure() -> dict[str, Outlet]:
    outlets = {}
    for spec in OUTLETS:
        outlet = Outlet.objects.filter(name=spec.name).first()
        if outlet is None:
            outlet = Outlet(
                name=spec.name,
                site_url=spec.site_url,
                search_engine_policy=spec.search_engine_policy,
                agreement_notes=spec.agreement_notes,
            )
            outlet.full_clean()
            outlet.save()
        outlets[spec.name] = outlet
    return outlets


def _body_with_images(body: tuple) -> list[tuple[str, object]]:
    """The story's blocks, with each illustration key replaced by its stored image."""
    blocks = []
    for block_type, value in body:
        if block_type == "image":
            value = {
                "image": image_get_or_create(key=value["illustration"]),
                "caption": value["caption"],
                "alignment": value["alignment"],
            }
        blocks.append((block_type, value))
    return blocks


def _article_add(
    *,
    story: Story,
    sections: dict[str, SectionPage],
    authors: dict[str, Author],
    outlets: dict[str, Outlet],
    now: datetime,
) -> ArticlePage:
    published_at = now - timedelta(hours=story.hours_ago) if story.hours_ago else None
    go_live_at = now + timedelta(hours=story.go_live_in_hours) if story.go_live_in_hours else None
    article = article_create(
        section=sections[story.section],
        title=story.title,
        slug=story.slug,
        standfirst=story.standfirst,
        body=_body_with_images(story.body),
        lead_image=image_get_or_create(key=story.image) if story.image else None,
        tags=story.tags,
        authors=[authors[slug] for slug in story.authors],
        outlet=outlets[story.outlet] if story.outlet else None,
        original_url=story.original_url,
        published_at=published_at,
        go_live_at=go_live_at,
        publish=go_live_at is None,
    )
    for text in story.corrections:
        correction_add(article=article, text=text)
    return article


def _lead_choose(home: HomePage, lead: ArticlePage) -> None:
    """Lead the front page with the demo's lead story, unless an editor chose another."""
    if home.lead_article_id is not None:
        return
    home.lead_article = lead
    home.save_revision().publish()


def load(*, stdout) -> None:
    now = timezone.now()
    with transaction.atomic():
        home = home_page_get()
        sections = _sections_ensure(home)
        authors = _authors_ensure()
        outlets = _outlets_ensure()
        existing = set(
            ArticlePage.objects.filter(slug__in=[s.slug for s in STORIES]).values_list(
                "slug", flat=True
            )
        )
        added = [
            _article_add(story=story, sections=sections, authors=authors, outlets=outlets, now=now)
            for story in STORIES
            if story.slug not in existing
        ]
        _lead_choose(home_page_get(), lead_story_get())
    stdout.write(
        f"Articles: {len(added)} added, {len(existing)} already there "
        f"({len(sections)} sections, {len(authors)} authors, {len(outlets)} partner outlets)."
    )

"""Small factories for tests: real rows through the real services, no mocks."""

import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

from newsdesk.articles.models import ArticlePage, Author, HomePage, NewsImage, Outlet, SectionPage
from newsdesk.articles.services import article_create

_counter = itertools.count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def make_section(title: str | None = None, *, home: HomePage | None = None) -> SectionPage:
    home = home or home_page()
    title = title or f"Section {next(_counter)}"
    section = SectionPage(title=title, show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def make_image(
    title: str = "Test picture",
    *,
    size=(800, 500),
    color=(40, 90, 140),
    caption: str = "",
    credit: str = "",
) -> NewsImage:
    picture = Image.new("RGB", size, color)
    ImageDraw.Draw(picture).ellipse((50, 50, size[0] - 50, size[1] - 50), fill=(230, 200, 60))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG")
    buffer.seek(0)
    image = NewsImage(title=title, caption=caption, credit=credit)
    image.file = ImageFile(buffer, name=f"test-{next(_counter)}.jpg")
    image.save()
    return image


def make_author(name: str | None = None) -> Author:
    number = next(_counter)
    name = name or f"Writer {number}"
    return Author.objects.create(name=name, slug=f"writer-{number}")


def make_outlet(name: str | None = None, *, policy: str = "canonical") -> Outlet:
    number = next(_counter)
    return Outlet.objects.create(
        name=name or f"Partner {number}",
        site_url=f"https://partner{number}.example/",
        search_engine_policy=policy,
    )


def make_article(
    *,
    section: SectionPage | None = None,
    title: str | None = None,
    body_text: str = "A paragraph of the article.",
    **kwargs,
) -> ArticlePage:
    """A published article (unless ``publish=False``) in ``section`` (a new one if omitted)."""
    section = section or make_section()
    title = title or f"Article number {next(_counter)}"
    kwargs.setdefault("standfirst", "The short summary under the headline.")
    body = kwargs.pop("body", [("paragraph", f"<p>{body_text}</p>")])
    return article_create(section=section, title=title, body=body, **kwargs)

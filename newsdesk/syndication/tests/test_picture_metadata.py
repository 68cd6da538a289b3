"""A partner's picture is stored without its metadata: EXIF (with GPS), XMP, IPTC, ICC
profile text, JPEG comments, PNG text chunks and eXIf, WebP's EXIF/XMP/ICCP and GIF
comments, each carrying a marker string, are gone from the copy in the media library."""

import io

import pytest
from PIL import Image

from newsdesk.articles.models import ArticlePage, NewsImage
from newsdesk.syndication.images import picture_download
from newsdesk.syndication.services import source_poll
from newsdesk.syndication.tests.feeds import Story, rss
from tests.support.metadata_pictures import SAMPLES, carries_metadata, jpeg_with_everything

CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_downloaded_partner_picture_keeps_no_metadata(feed_server, kind):
    url = feed_server.add(f"/photo.{kind}", body=SAMPLES[kind](), content_type=CONTENT_TYPES[kind])

    picture = picture_download(url=url)

    assert picture is not None
    assert carries_metadata(picture.data) == []
    decoded = Image.open(io.BytesIO(picture.data))
    assert decoded.size == (picture.width, picture.height) == (120, 80)
    assert decoded.format == {"gif": "PNG"}.get(kind, kind.upper())
    assert picture.extension == {"jpeg": "jpg", "gif": "png"}.get(kind, kind)


def test_a_turned_partner_photo_is_stored_upright(feed_server):
    url = feed_server.add(
        "/turned.jpg", body=jpeg_with_everything(orientation=6), content_type="image/jpeg"
    )

    picture = picture_download(url=url)

    decoded = Image.open(io.BytesIO(picture.data)).convert("RGB")
    assert (picture.width, picture.height) == decoded.size == (80, 120)
    top, bottom = decoded.getpixel((40, 20)), decoded.getpixel((40, 100))
    assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0]


@pytest.mark.django_db
def test_a_polled_story_s_pictures_are_stored_without_metadata(feed_server, make_source):
    lead = feed_server.add("/lead.jpg", body=jpeg_with_everything(), content_type="image/jpeg")
    inline = feed_server.add("/inline.png", body=SAMPLES["png"](), content_type="image/png")
    story = Story(
        "s1",
        "Pictures",
        feed_server.url("/story"),
        content=f'<p><img src="{inline}" alt="inline"></p>',
        media=[lead],
    )
    source = make_source(
        feed_server.add("/f.rss", body=rss([story])), download_images=True, mode="publish"
    )

    source_poll(source_id=source.pk)

    assert ArticlePage.objects.get().lead_image is not None
    images = list(NewsImage.objects.all())
    assert len(images) == 2
    for image in images:
        with image.file.open("rb") as handle:
            assert carries_metadata(handle.read()) == [], image.file.name

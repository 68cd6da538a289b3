"""The demo's illustrations: drawn locally, the same every run, described for every reader."""

import io

from PIL import Image

from newsdesk.articles.models import NewsImage
from newsdesk.demo.content.illustrations import ILLUSTRATION_TEXTS
from newsdesk.demo.images import CREDIT, SCENES, SIZE, illustration_draw, logo_draw


def test_every_scene_has_its_words_and_every_text_its_scene():
    assert set(SCENES) == set(ILLUSTRATION_TEXTS)
    titles = [text.title for text in ILLUSTRATION_TEXTS.values()]
    assert len(set(titles)) == len(titles), "titles find stored pictures again: keep them unique"


def test_an_illustration_is_a_large_jpeg_drawn_the_same_way_every_time():
    first, second = illustration_draw("dam"), illustration_draw("dam")
    assert first == second
    picture = Image.open(io.BytesIO(first))
    assert picture.format == "JPEG"
    assert picture.size == SIZE
    # A picture, not a blank: many distinct colours.
    assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20)) > 1000


def test_different_scenes_are_different_pictures():
    assert illustration_draw("dam") != illustration_draw("lighthouse")


def test_the_logo_fits_a_news_publishers_logo_box():
    logo = Image.open(io.BytesIO(logo_draw()))
    assert logo.format == "PNG"
    assert logo.size == (600, 60)


def test_stored_pictures_carry_title_alt_text_caption_and_credit(demo_db):
    titles = [text.title for text in ILLUSTRATION_TEXTS.values()]
    stored = NewsImage.objects.filter(title__in=titles)
    assert stored.count() == len(titles)
    for image in stored:
        assert image.description and image.caption
        assert image.credit == CREDIT
        assert (image.width, image.height) == SIZE
        assert image.file.name.endswith(".jpg")
    assert demo_db.renditions == 0, "loading makes no renditions: pages make them when needed"

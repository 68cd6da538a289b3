"""A reader's picture keeps no metadata: JPEG comments, EXIF (with GPS), XMP, IPTC, ICC
profile text, PNG text chunks and eXIf, WebP's EXIF/XMP/ICCP and GIF comments, each carrying
a marker string, are gone from the stored picture and its thumbnail; the orientation is
applied before EXIF goes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from newsdesk.discussion.models import Comment
from newsdesk.discussion.tests.helpers import guest, post
from tests.support.metadata_pictures import SAMPLES, carries_metadata, jpeg_with_everything

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


def stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_an_uploaded_picture_keeps_no_metadata(article, kind):
    data = SAMPLES[kind]()
    if kind != "gif":  # (a GIF's comment is no segment these readers know)
        assert carries_metadata(data)  # the sample carries it all
    upload = SimpleUploadedFile(f"holiday.{kind}", data, CONTENT_TYPES[kind])

    comment = post(article, guest(), "Look at this.", image=upload)

    for field in (comment.image, comment.image_thumbnail):
        assert carries_metadata(stored(field)) == [], field.name
        picture = Image.open(io.BytesIO(stored(field)))
        assert not picture.getexif() and "icc_profile" not in picture.info
    picture = Image.open(io.BytesIO(stored(comment.image))).convert("RGB")
    red, blue = picture.getpixel((10, 40)), picture.getpixel((110, 40))
    assert red[0] > 180 > red[2] and blue[2] > 180 > blue[0]  # colours kept (sRGB)


def test_the_orientation_is_applied_before_exif_is_dropped(article):
    # Orientation 6: the camera was turned; the picture is shown turned a quarter clockwise,
    # so its left half (red) becomes its top half.
    upload = SimpleUploadedFile("turned.jpg", jpeg_with_everything(orientation=6), "image/jpeg")

    comment = post(article, guest(), "Upright?", image=upload)

    picture = Image.open(io.BytesIO(stored(comment.image))).convert("RGB")
    assert picture.size == (80, 120)
    top, bottom = picture.getpixel((40, 20)), picture.getpixel((40, 100))
    assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0]
    assert carries_metadata(stored(comment.image)) == []


def test_a_picture_sent_through_the_form_keeps_no_metadata(client, article):
    upload = SimpleUploadedFile("p.jpg", jpeg_with_everything(), "image/jpeg")

    client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": "Pictured below", "name": "Ann", "image": upload},
    )

    comment = Comment.objects.get()
    assert carries_metadata(stored(comment.image)) == []
    assert carries_metadata(stored(comment.image_thumbnail)) == []

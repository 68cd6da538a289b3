"""Pictures the project's own code adds to the library (the demo, ``image_create``) carry no
metadata either, and ``manage.py images_strip_metadata`` cleans pictures stored before
uploads were cleaned: their originals and renditions lose the EXIF (GPS), XMP, ICC text and
comments, and a second run changes nothing."""

import io

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image
from wagtail.utils.file import hash_filelike

from newsdesk.articles.imagefiles import PictureUnusable, picture_clean, picture_has_metadata
from newsdesk.articles.models import NewsImage
from newsdesk.articles.services import image_create
from newsdesk.articles.tests.test_image_upload_metadata import (
    FILE_NAMES,
    PICTURES,
    STORED_FORMAT,
    metadata_in,
)
from newsdesk.demo.images import logo_get_or_create
from tests.support.metadata_pictures import jpeg_with_everything


def stored_bytes(image: NewsImage) -> bytes:
    with image.file.open("rb") as handle:
        return handle.read()


def assert_consistent(image: NewsImage, data: bytes) -> None:
    assert Image.open(io.BytesIO(data)).size == (image.width, image.height)
    assert image.file_size == len(data)
    assert image.file_hash == hash_filelike(io.BytesIO(data))


@pytest.mark.parametrize("kind", sorted(PICTURES))
def test_every_kind_is_told_dirty_before_and_clean_after(kind):
    data = PICTURES[kind]()
    assert picture_has_metadata(data=data)
    cleaned = picture_clean(data=data)
    assert metadata_in(cleaned.data) == []
    assert cleaned.image_format == STORED_FORMAT[kind]
    assert not picture_has_metadata(data=cleaned.data)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(PICTURES))
def test_image_create_stores_no_metadata(kind):
    image = image_create(title="By code", file_name=FILE_NAMES[kind], data=PICTURES[kind]())

    image.refresh_from_db()
    data = stored_bytes(image)
    assert metadata_in(data) == []
    assert_consistent(image, data)
    rendition = image.get_rendition("width-60")
    with rendition.file.open("rb") as handle:
        assert metadata_in(handle.read()) == []


@pytest.mark.django_db
def test_image_create_refuses_what_is_not_a_picture_and_stores_nothing():
    with pytest.raises(PictureUnusable):
        image_create(title="Junk", file_name="junk.jpg", data=b"<svg></svg>")
    assert not NewsImage.objects.filter(title="Junk").exists()


@pytest.mark.django_db
def test_the_demo_stores_its_pictures_through_the_cleaning_service():
    image = logo_get_or_create()
    data = stored_bytes(image)
    assert metadata_in(data) == []
    assert_consistent(image, data)


@pytest.mark.django_db
def test_pictures_stored_before_the_fix_are_cleaned_by_the_command(
    capsys, django_capture_on_commit_callbacks
):
    # As an upload was stored before: the photographer's file, byte for byte, turned (EXIF
    # orientation 6), with a rendition Willow made from it.
    old = NewsImage(title="Old upload")
    old.file = ImageFile(io.BytesIO(jpeg_with_everything(orientation=6)), name="old.jpg")
    old.set_focal_point(None)
    old.save()
    old_name = old.file.name
    old_rendition = old.get_rendition("width-60")
    with old_rendition.file.open("rb") as handle:
        assert metadata_in(handle.read()) != []  # what the command is for
    clean = image_create(title="Clean", file_name="clean.png", data=PICTURES["png"]())
    clean_name, clean_hash = clean.file.name, clean.file_hash

    with django_capture_on_commit_callbacks(execute=True):  # the old file goes on commit
        call_command("images_strip_metadata")

    old.refresh_from_db()
    data = stored_bytes(old)
    assert metadata_in(data) == []
    assert_consistent(old, data)
    assert (old.width, old.height) == (80, 120)  # upright
    assert old.file.name != old_name and not old.file.storage.exists(old_name)
    assert not old.renditions.exists()
    assert not old_rendition.file.storage.exists(old_rendition.file.name)
    with old.get_rendition("width-60").file.open("rb") as handle:
        assert metadata_in(handle.read()) == []
    clean.refresh_from_db()
    assert (clean.file.name, clean.file_hash) == (clean_name, clean_hash)
    assert "1 pictures re-encoded" in capsys.readouterr().out

    call_command("images_strip_metadata")  # a second run re-encodes nothing

    name, file_hash = old.file.name, old.file_hash
    old.refresh_from_db()
    assert (old.file.name, old.file_hash) == (name, file_hash)
    assert "0 pictures re-encoded" in capsys.readouterr().out

"""Pictures editors upload keep no metadata: EXIF (with the GPS position), XMP, IPTC, ICC
profile text, JPEG comments, PNG text chunks, WebP's and AVIF's EXIF/XMP/ICC and GIF comments,
each carrying a marker string, are gone from the stored original (served under the media
URL) and from its renditions, whichever way the picture entered Wagtail's admin: the single
"add an image" form, the multiple uploader (including its pending uploads, when a field other
than the file is invalid), the chooser's upload tab, and replacing an image's file."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from wagtail.models import Collection, UploadedFile
from wagtail.utils.file import hash_filelike

from newsdesk.articles.models import NewsImage
from tests.support import factories
from tests.support.metadata_pictures import (
    SAMPLES,
    avif_with_everything,
    carries_metadata,
    jpeg_with_everything,
    marker_found,
)

pytestmark = pytest.mark.django_db


PICTURES = {**SAMPLES, "avif": avif_with_everything}
FILE_NAMES = {"jpeg": "photo.jpg", "png": "photo.png", "webp": "photo.webp", "gif": "photo.gif"}
FILE_NAMES["avif"] = "photo.avif"
# What each kind is stored as: a GIF keeps its first frame, as PNG; the rest keep their type.
STORED_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "PNG", "avif": "AVIF"}


def metadata_in(data: bytes) -> list[str]:
    """The metadata ``data`` carries: segment names and "marker" (see metadata_pictures);
    for AVIF and GIF, which that module does not parse, what Pillow finds and the marker."""
    if data[4:12] == b"ftypavif" or data[:4] == b"GIF8":
        info = Image.open(io.BytesIO(data)).info
        found = [key for key in ("exif", "xmp", "icc_profile", "comment") if info.get(key)]
        return found + (["marker"] if marker_found(data) else [])
    return carries_metadata(data)


def upload(kind: str, data: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(FILE_NAMES[kind], data or PICTURES[kind]())


def root_collection() -> int:
    return Collection.get_first_root_node().pk


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("picture-editor", "pe@example.com", "pw")
    client.force_login(user)
    return client


def assert_clean_and_consistent(client, image: NewsImage, kind: str) -> None:
    """The stored original and a rendition carry no metadata, keep the file's type, and the
    width, height, size and hash Wagtail recorded are those of the stored bytes."""
    image.refresh_from_db()
    with image.file.open("rb") as handle:
        stored = handle.read()
    assert metadata_in(stored) == [], image.file.name
    decoded = Image.open(io.BytesIO(stored))
    assert decoded.format == STORED_FORMAT[kind]
    assert image.file.name.endswith({"JPEG": ".jpg", "PNG": ".png"}.get(decoded.format, f".{kind}"))
    assert (image.width, image.height) == decoded.size
    assert image.file_size == len(stored)
    assert image.file_hash == hash_filelike(io.BytesIO(stored))
    # What a reader fetches under the media URL is the same clean file.
    served = client.get(image.file.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == stored
    rendition = image.get_rendition("width-60")
    with rendition.file.open("rb") as handle:
        assert metadata_in(handle.read()) == [], rendition.file.name


@pytest.mark.parametrize("kind", sorted(PICTURES))
def test_the_add_image_form_stores_no_metadata(editor_client, kind):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Dam at dawn", "collection": root_collection(), "file": upload(kind)},
    )

    assert response.status_code == 302, response.context["form"].errors
    assert_clean_and_consistent(editor_client, NewsImage.objects.get(title="Dam at dawn"), kind)


@pytest.mark.parametrize("in_memory", [True, False], ids=["in-memory", "temporary-file"])
@pytest.mark.parametrize("kind", sorted(PICTURES))
def test_the_multiple_uploader_stores_no_metadata(editor_client, kind, in_memory):
    # Large uploads reach the form as temporary files, small ones in memory: both are cleaned.
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=2_621_440 if in_memory else 0):
        response = editor_client.post(
            reverse("wagtailimages:add_multiple"),
            {"title": "Harbour", "collection": root_collection(), "files[]": upload(kind)},
        )

    answer = json.loads(response.content)
    assert answer["success"], answer
    assert_clean_and_consistent(editor_client, NewsImage.objects.get(pk=answer["image_id"]), kind)


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_pending_multiple_upload_stores_no_metadata(editor_client, kind, settings):
    # A title left empty makes the uploader keep the file aside (an UploadedFile, in the media
    # folder) until the editor completes the form: that copy is clean too, and so is the image.
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"title": "", "collection": root_collection(), "files[]": upload(kind)},
    )
    answer = json.loads(response.content)
    assert answer["success"] and "uploaded_file_id" in answer, answer
    pending = UploadedFile.objects.get(pk=answer["uploaded_file_id"])
    with pending.file.open("rb") as handle:
        assert metadata_in(handle.read()) == [], pending.file.name

    prefix = f"uploaded-image-{pending.pk}"
    response = editor_client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=(pending.pk,)),
        {f"{prefix}-title": "Completed", f"{prefix}-collection": root_collection()},
    )

    answer = json.loads(response.content)
    assert answer["success"], answer
    assert_clean_and_consistent(editor_client, NewsImage.objects.get(pk=answer["image_id"]), kind)


def test_the_chooser_s_upload_stores_no_metadata(editor_client):
    response = editor_client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "From the chooser",
            "image-chooser-upload-collection": root_collection(),
            "image-chooser-upload-file": upload("jpeg"),
        },
    )

    assert response.status_code == 200
    assert_clean_and_consistent(
        editor_client, NewsImage.objects.get(title="From the chooser"), "jpeg"
    )


def test_replacing_an_image_s_file_stores_no_metadata(editor_client):
    image = factories.make_image("To be replaced")
    response = editor_client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {"title": "To be replaced", "collection": root_collection(), "file": upload("png")},
    )

    assert response.status_code == 302, response.context["form"].errors
    assert_clean_and_consistent(editor_client, image, "png")


def test_a_turned_photo_is_stored_upright(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Turned",
            "collection": root_collection(),
            "file": upload("jpeg", jpeg_with_everything(orientation=6)),
        },
    )

    assert response.status_code == 302
    image = NewsImage.objects.get(title="Turned")
    assert_clean_and_consistent(editor_client, image, "jpeg")
    with image.file.open("rb") as handle:
        decoded = Image.open(io.BytesIO(handle.read())).convert("RGB")
    assert (image.width, image.height) == decoded.size == (80, 120)
    top, bottom = decoded.getpixel((40, 20)), decoded.getpixel((40, 100))
    assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0]


def test_a_file_that_is_not_the_picture_its_name_says_is_refused(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Odd", "collection": root_collection(), "file": upload("jpeg", b"not a picture")},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not NewsImage.objects.filter(title="Odd").exists()


@pytest.mark.parametrize("view", ["wagtailimages:add", "wagtailimages:add_multiple"])
def test_a_picture_that_cannot_be_decoded_is_refused_with_a_clear_error(editor_client, view):
    # Its header is a JPEG's; decoding it fails (in Wagtail's own pixel check, which let
    # Pillow's error escape as a 500).
    truncated = jpeg_with_everything(size=(600, 400))[:-2000]
    field = "file" if view == "wagtailimages:add" else "files[]"
    response = editor_client.post(
        reverse(view),
        {"title": "Cut", "collection": root_collection(), field: upload("jpeg", truncated)},
    )

    assert response.status_code == 200
    if view == "wagtailimages:add":
        assert "valid image" in str(response.context["form"].errors["file"])
    else:
        answer = json.loads(response.content)
        assert not answer["success"] and "valid image" in answer["error_message"]
    assert not NewsImage.objects.filter(title="Cut").exists()
    assert not UploadedFile.objects.exists()


def test_editing_an_image_without_a_new_file_keeps_its_file(editor_client):
    image = factories.make_image("Kept")
    name, file_hash = image.file.name, image.file_hash
    response = editor_client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {"title": "Kept, renamed", "collection": root_collection()},
    )

    assert response.status_code == 302, response.context["form"].errors
    image.refresh_from_db()
    assert (image.title, image.file.name, image.file_hash) == ("Kept, renamed", name, file_hash)

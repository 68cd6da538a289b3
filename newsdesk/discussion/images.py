"""Pictures readers attach to comments: verified, stripped, re-encoded, thumbnailed.

Nothing a reader uploads is stored as sent. The file must be a JPEG, PNG, WebP or GIF that
Pillow can decode, within the size and pixel limits; it is decoded, turned upright (EXIF
orientation), converted to sRGB, shrunk to a maximum side and encoded anew from its pixels
alone (``core/imageclean.py``): no EXIF (location, camera), XMP, IPTC, ICC profile, JPEG
comment or PNG text chunk survives, nor any trailing data. A GIF keeps its first frame,
stored as PNG.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from newsdesk.core.imageclean import UNREADABLE_PICTURE_ERRORS, image_clean, image_encode
from newsdesk.discussion import conf

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRejected(ValueError):
    """The upload is not an acceptable picture; the message says why, for the reader."""


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def image_process(upload) -> ProcessedImage:
    """Check and re-encode an uploaded file; raise ``ImageRejected`` with a reader's message."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    limit_mb = conf.DISCUSSION_IMAGE_MAX_BYTES // (1024 * 1024)
    if size > conf.DISCUSSION_IMAGE_MAX_BYTES:
        raise ImageRejected(
            _("The picture is too large: at most %(size)s MB.") % {"size": limit_mb}
        )
    if size == 0:
        raise ImageRejected(_("The picture file is empty."))
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            source_format = probe.format
            width, height = probe.size
            probe.verify()
    except UNREADABLE_PICTURE_ERRORS:
        raise ImageRejected(
            _("That file is not a picture we can read (JPEG, PNG, WebP or GIF).")
        ) from None
    if source_format not in ALLOWED_FORMATS:
        raise ImageRejected(_("Only JPEG, PNG, WebP and GIF pictures can be attached."))
    if width * height > conf.DISCUSSION_IMAGE_MAX_PIXELS:
        raise ImageRejected(
            _(
                "The picture has too many pixels (%(width)s x %(height)s); "
                "at most %(megapixels)s megapixels."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": conf.DISCUSSION_IMAGE_MAX_PIXELS // 1_000_000,
            }
        )
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.seek(0)
            picture.load()
            clean = image_clean(picture)
            clean.thumbnail((conf.DISCUSSION_IMAGE_MAX_SIDE, conf.DISCUSSION_IMAGE_MAX_SIDE))
            thumb = clean.copy()
            thumb.thumbnail((conf.DISCUSSION_THUMBNAIL_SIDE, conf.DISCUSSION_THUMBNAIL_SIDE))
            out_format = ALLOWED_FORMATS[source_format]
            full_bytes = image_encode(clean, out_format)
            thumb_bytes = image_encode(thumb, out_format)
            final_width, final_height = clean.size
    except UNREADABLE_PICTURE_ERRORS:
        raise ImageRejected(_("The picture is damaged and cannot be read.")) from None
    ext = EXTENSIONS[out_format]
    return ProcessedImage(
        image=ContentFile(full_bytes, name=f"comment.{ext}"),
        thumbnail=ContentFile(thumb_bytes, name=f"comment-thumb.{ext}"),
        width=final_width,
        height=final_height,
    )

"""Pictures for the media library, stored as their pixels only.

A newsroom photographer's camera writes the GPS position of the shot, its own serial number
and the photographer's name into the file (EXIF, XMP, IPTC); editing programs add comments,
text chunks and ICC profiles with free-text descriptions. The original file is public (under
the media URL) and Willow copies EXIF and ICC into every rendition, so all of it would reach
readers. Every picture that enters the library is therefore re-encoded by
``core/imageclean.py`` before it is stored: upright (the EXIF orientation applied, so the width
and height Wagtail records are those of the picture as seen), in sRGB, with no metadata.

Each picture keeps its type (JPEG, PNG, WebP, AVIF: Wagtail's accepted formats); a GIF keeps
its first frame, stored as PNG (lossless, so its colours are unchanged). Animated WebP and
AVIF keep their first frame too, which is what Wagtail's renditions showed of them already.
"""

import io
import os
import struct
from dataclasses import dataclass

import willow
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from newsdesk.core.imageclean import UNREADABLE_PICTURE_ERRORS, image_clean, image_encode

# The format a picture is stored in, by the format Pillow reads (a phone's JPEG is often
# MPO: a JPEG with a second, smaller picture appended, which is not kept).
STORED_AS = {
    "JPEG": "JPEG",
    "MPO": "JPEG",
    "PNG": "PNG",
    "GIF": "PNG",
    "WEBP": "WEBP",
    "AVIF": "AVIF",
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
# The original is what every rendition is made from: encode it close to what was uploaded.
QUALITY = 90


class PictureUnusable(ValueError):
    """The file is not a picture this library stores; the message says why, for the editor."""


@dataclass(frozen=True)
class CleanPicture:
    data: bytes
    image_format: str  # JPEG, PNG, WEBP or AVIF
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.image_format]

    @property
    def content_type(self) -> str:
        return Image.MIME[self.image_format]


def picture_clean(*, data: bytes) -> CleanPicture:
    """``data`` (a JPEG, PNG, GIF, WebP or AVIF file) re-encoded with its pixels only: its
    first frame, upright, in sRGB, with no EXIF, XMP, IPTC, ICC profile, comment or text
    chunk, in the format ``STORED_AS`` gives. Raises ``PictureUnusable`` for anything else
    or a file Pillow cannot decode. Size limits are the caller's (Wagtail's form checks the
    bytes and pixels before this runs)."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            source_format = picture.format or ""
            if source_format not in STORED_AS:
                if source_format:
                    raise PictureUnusable(
                        _("%(format)s files are not accepted.") % {"format": source_format}
                    )
                raise PictureUnusable(_("This files are not accepted."))
            picture.seek(0)
            picture.load()
            clean = image_clean(picture)
        image_format = STORED_AS[source_format]
        encoded = image_encode(clean, image_format, quality=QUALITY)
    except PictureUnusable:
        raise
    except UNREADABLE_PICTURE_ERRORS as error:
        raise PictureUnusable(_("The file could not be read as a picture.")) from error
    return CleanPicture(encoded, image_format, *clean.size)


def file_name_for(*, name: str, picture: CleanPicture) -> str:
    """``name`` with the extension of what is stored (``photo.gif`` becomes ``photo.png``)."""
    stem = os.path.splitext(os.path.basename(name))[0] or "picture"
    return f"{stem}.{picture.extension}"


def upload_clean(*, upload: UploadedFile) -> UploadedFile:
    """Rewrite ``upload`` (a file from the request, already accepted by Wagtail's image field)
    to hold ``picture_clean``'s bytes, and return it.

    The upload is changed in place, not replaced, because Wagtail's multiple uploader keeps
    the request's own file object aside (a pending ``UploadedFile`` in the media folder) when
    a field other than the file is invalid, and later stores that as the image: it must hold
    the clean bytes too. A large upload is a temporary file on disk that storage moves into
    place, so that file is rewritten; a small one is in memory and gets a new buffer. Raises
    ``PictureUnusable`` (the upload then unchanged)."""
    upload.seek(0)
    picture = picture_clean(data=upload.read())
    if hasattr(upload, "temporary_file_path"):
        handle = upload.file
        handle.seek(0)
        handle.truncate()
        handle.write(picture.data)
        handle.flush()
        handle.seek(0)
    else:
        upload.file = io.BytesIO(picture.data)
    upload.size = len(picture.data)
    upload.name = file_name_for(name=upload.name or "", picture=picture)
    upload.content_type = picture.content_type
    # Wagtail's image field annotates the upload with the Willow image it read; keep that
    # consistent with the new bytes for anything that looks at it later.
    upload.image = willow.Image.open(io.BytesIO(picture.data))
    upload.seek(0)
    return upload


# --- pictures stored before uploads were cleaned ------------------------------------------

_JFIF_HEADER = b"JFIF\x00"
_PLAIN_PNG_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
_PLAIN_WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def _jpeg_has_metadata(data: bytes) -> bool:
    """Any APP segment but JFIF's header, or a comment, before the image data."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return True  # not a segment where one must be: let the re-encoding sort it out
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker == 0xFE:
            return True
        if 0xE0 <= marker <= 0xEF:
            body = data[position + 4 : position + 2 + length]
            if marker != 0xE0 or not body.startswith(_JFIF_HEADER):
                return True
        if marker == 0xDA:  # start of scan
            return False
        position += 2 + length
    return True


def _png_has_metadata(data: bytes) -> bool:
    position = 8
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        if data[position + 4 : position + 8] not in _PLAIN_PNG_CHUNKS:
            return True
        position += 12 + length
    return False


def _webp_has_metadata(data: bytes) -> bool:
    position = 12
    while position + 8 <= len(data):
        length = struct.unpack("<I", data[position + 4 : position + 8])[0]
        if data[position : position + 4] not in _PLAIN_WEBP_CHUNKS:
            return True  # EXIF, XMP, ICCP, or an animation's frames
        position += 8 + length + (length % 2)
    return False


def picture_has_metadata(*, data: bytes) -> bool:
    """Whether the stored file ``data`` is not what ``picture_clean`` writes: it carries a
    metadata segment (EXIF, XMP, ICC profile, comment, text chunk...), is a GIF or an MPO,
    or cannot be told apart from one. A clean file gives False, so cleaning stored pictures
    twice re-encodes nothing the second time."""
    if data[:3] == b"\xff\xd8\xff":
        if _jpeg_has_metadata(data):
            return True
        try:
            with Image.open(io.BytesIO(data)) as picture:
                return picture.format != "JPEG"  # MPO: a second picture appended
        except UNREADABLE_PICTURE_ERRORS:
            return True
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png_has_metadata(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_has_metadata(data)
    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.format != "AVIF":
                return True  # GIF (stored as PNG) and anything else
            return any(picture.info.get(key) for key in ("exif", "xmp", "icc_profile"))
    except UNREADABLE_PICTURE_ERRORS:
        return True

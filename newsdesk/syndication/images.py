"""Copies of a partner story's pictures in Wagtail's media library, where a source allows it.

Downloading happens before the database transaction (network time must not hold the
database), within the size, time and pixel limits of ``conf``; storing happens inside the
entry's transaction. A picture that fails any check stays a link to the partner's copy.
What is stored is not the partner's file but its pixels encoded anew, as the media library
stores an editor's upload (``articles/imagefiles.picture_clean``):
upright, in sRGB, with no EXIF (a photographer's GPS position), XMP, IPTC, ICC profile,
comment or text chunk, and nothing appended. A GIF keeps its first frame, stored as PNG.
The download goes through ``fetch.url_fetch``: public addresses only.
"""

import io
import logging
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.files.images import ImageFile
from PIL import Image
from wagtail.utils.file import hash_filelike

from newsdesk.articles.imagefiles import PictureUnusable, picture_clean
from newsdesk.articles.models import NewsImage
from newsdesk.core.imageclean import UNREADABLE_PICTURE_ERRORS
from newsdesk.syndication import conf
from newsdesk.syndication.fetch import FetchError, url_fetch

logger = logging.getLogger("newsdesk.syndication")

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# The formats a partner's picture may come in; it is stored as the media library stores an
# upload (``imagefiles.picture_clean``: a GIF as PNG, the rest in their own format).
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class DownloadedPicture:
    url: str
    data: bytes
    extension: str
    width: int
    height: int


def picture_download(*, url: str) -> DownloadedPicture | None:
    """Fetch and check one picture; None (with a log line) when it cannot be used."""
    try:
        result = url_fetch(
            url=url,
            limits=conf.image_fetch_limits(),
            accept="image/*",
            type_allowed=lambda media_type: media_type in IMAGE_TYPES,
            what="picture",
        )
    except FetchError as error:
        logger.info("Picture %s not copied: %s", url, error)
        return None
    try:
        with Image.open(io.BytesIO(result.body)) as picture:
            width, height = picture.size
            if width * height > conf.image_max_pixels():
                logger.info("Picture %s not copied: %sx%s is too large", url, width, height)
                return None
            picture.verify()
            image_format = picture.format or ""
        if image_format not in ACCEPTED_FORMATS:
            logger.info("Picture %s not copied: %s pictures are not accepted", url, image_format)
            return None
        clean = picture_clean(data=result.body)
    except (PictureUnusable, *UNREADABLE_PICTURE_ERRORS) as error:
        logger.info("Picture %s not copied: not a readable image (%s)", url, error)
        return None
    return DownloadedPicture(url, clean.data, clean.extension, clean.width, clean.height)


def pictures_download(*, urls: list[str]) -> dict[str, DownloadedPicture]:
    """Download up to ``conf.images_per_entry()`` of ``urls``; the address -> picture."""
    pictures = {}
    for url in urls[: conf.images_per_entry()]:
        picture = picture_download(url=url)
        if picture is not None:
            pictures[url] = picture
    return pictures


def picture_store(*, picture: DownloadedPicture, title: str, credit: str) -> tuple[NewsImage, bool]:
    """The picture as a NewsImage: the one already in the library with the same bytes, or a
    new one (then ``True``: its file is written even if the transaction later rolls back, so
    the caller removes it then). Call inside the entry's transaction."""
    file_hash = hash_filelike(io.BytesIO(picture.data))
    existing = NewsImage.objects.filter(file_hash=file_hash).first()
    if existing is not None:
        return existing, False
    stem = os.path.splitext(os.path.basename(urlsplit(picture.url).path))[0][:60] or "partner"
    image = NewsImage(title=title[:255], credit=credit[:200])
    image.file = ImageFile(io.BytesIO(picture.data), name=f"{stem}.{picture.extension}")
    image.width, image.height = picture.width, picture.height
    image.file_size = len(picture.data)
    image.file_hash = file_hash
    image.save()
    return image, True

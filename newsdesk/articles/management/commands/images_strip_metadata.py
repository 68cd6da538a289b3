"""Re-encode the library's pictures stored before uploads were cleaned.

Since uploads are re-encoded without metadata (``articles/imagefiles.py``), new pictures
carry no EXIF (GPS position), XMP, ICC text or comment. Pictures uploaded earlier still do,
in their public original and in their renditions: run this once after upgrading. It is
safe to run again: a clean picture is left as it is.
"""

from django.core.management.base import BaseCommand
from wagtail.images.models import SourceImageIOError

from newsdesk.articles.imagefiles import PictureUnusable
from newsdesk.articles.models import NewsImage
from newsdesk.articles.services import image_file_clean
from newsdesk.pagecache.tags import SITE_TAG, pages_invalidate


class Command(BaseCommand):
    help = "Strip metadata (EXIF, XMP, ICC text, comments) from stored pictures (safe to rerun)."

    def handle(self, *args, **options):
        cleaned = clean = skipped = 0
        for image in NewsImage.objects.order_by("pk").iterator(chunk_size=200):
            try:
                changed = image_file_clean(image=image)
            except (PictureUnusable, SourceImageIOError) as error:
                skipped += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}) left as it is: {error}")
                continue
            cleaned += changed
            clean += not changed
        if cleaned:
            # Cached pages name the renditions just deleted: render them anew.
            pages_invalidate(tags=[SITE_TAG])
        self.stdout.write(
            self.style.SUCCESS(
                f"{cleaned} pictures re-encoded without metadata, {clean} clean already, "
                f"{skipped} left as they are."
            )
        )

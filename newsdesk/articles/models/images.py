"""Images with a caption and a credit, so every use of a photo can say where it came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    """A picture in the media library, with the caption and credit editors give it once.

    An article may override the caption where it uses the image; the credit goes wherever the
    image goes.
    """

    caption = models.CharField(max_length=300, blank=True, verbose_name=_("caption"))
    credit = models.CharField(
        max_length=200, blank=True, help_text=_("Photographer or agency."), verbose_name=_("credit")
    )

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")


class NewsRendition(AbstractRendition):
    """A resized copy of a NewsImage (Wagtail's rendition cache)."""

    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

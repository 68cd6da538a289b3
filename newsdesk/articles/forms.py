"""The form behind every image upload in Wagtail's admin (``WAGTAILIMAGES_IMAGE_FORM_BASE``).

Wagtail builds its add, edit, chooser-upload and multiple-upload forms (and the multiple
uploader's "complete a pending upload" form) on this base, so a picture uploaded any of
those ways is re-encoded without its metadata (``imagefiles``) before it is stored.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from newsdesk.articles.imagefiles import PictureUnusable, upload_clean
from newsdesk.core.imageclean import UNREADABLE_PICTURE_ERRORS


class _DecodableImageField(WagtailImageField):
    """Wagtail's image field, refusing with a form error (not a 500) a file whose header
    Willow reads but whose pixels Pillow cannot decode (a truncated JPEG): Wagtail's pixel
    count check decodes it and lets Pillow's ``OSError`` escape."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except UNREADABLE_PICTURE_ERRORS as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class NewsImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            # Wagtail builds this field itself (``formfield_for_dbfield``) with its label,
            # limits and widget; this form's own copy only gains the decoding check.
            field.__class__ = _DecodableImageField

    def clean_file(self):
        """A new upload, already accepted by Wagtail's image field (type, bytes, pixels),
        rewritten to its pixels only; anything else (the stored file when none was sent)
        as it is."""
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        try:
            return upload_clean(upload=upload)
        except PictureUnusable as error:
            raise ValidationError(str(error), code="invalid_image") from error

"""The blocks an article body is made of. Each block renders with its own template."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from newsdesk.core.sanitize import EMBED_IFRAME_HOSTS, html_sanitize


class HeadingBlock(blocks.StructBlock):
    """A subheading inside an article (h2 or h3; the headline is the page's only h1)."""

    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Heading")), ("h3", _("Subheading"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "articles/blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    """A picture in the body, with a caption (the image's own unless given) and its credit."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text=_("Leave empty to use the image's own caption."),
    )
    alignment = blocks.ChoiceBlock(
        choices=[("full", _("Full width")), ("inline", _("Inline"))], default="full"
    )

    class Meta:
        icon = "image"
        template = "articles/blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    """A block quote, with whom or what it quotes."""

    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)
    source_url = blocks.URLBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote_block.html"


class SanitizedHTMLBlock(blocks.RawHTMLBlock):
    """HTML that arrived from outside (a partner's feed), cleaned with nh3.

    Cleaned when stored and again when read, so HTML that reached the database by another
    path still renders inert.
    """

    def to_python(self, value):
        return mark_safe(html_sanitize(value or "", iframe_hosts=EMBED_IFRAME_HOSTS))

    def clean(self, value):
        cleaned = html_sanitize(value or "", iframe_hosts=EMBED_IFRAME_HOSTS)
        return super().clean(mark_safe(cleaned))

    class Meta:
        icon = "code"
        template = "articles/blocks/html_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """What editors can put in an article body."""

    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "superscript", "subscript"],
        template="articles/blocks/paragraph_block.html",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        help_text=_("A video or post from YouTube, Vimeo, X and others."),
        icon="media",
        template="articles/blocks/embed_block.html",
    )
    # Partner stories pulled from feeds arrive as HTML.
    html = SanitizedHTMLBlock(required=False, help_text=_("HTML from a partner feed (sanitized)."))

"""The blocks an issue of a newsletter is made of; each renders for e-mail (tables and
inline styles, ``templates/newsletters/email/blocks/``) and for the web archive."""

from wagtail import blocks


class PickedArticlesBlock(blocks.StructBlock):
    """Articles the editor picked, each shown with its lead image, headline and standfirst."""

    heading = blocks.CharBlock(required=False, max_length=120)
    articles = blocks.ListBlock(blocks.PageChooserBlock(page_type="articles.ArticlePage"))

    class Meta:
        icon = "doc-full"


class SupportAskBlock(blocks.StructBlock):
    """The ask to give, linking to the donate page (the campaign's words unless given)."""

    text = blocks.TextBlock(required=False, max_length=500)
    button_label = blocks.CharBlock(required=False, max_length=40, default="Support our work")

    class Meta:
        icon = "pick"


class IssueBodyBlock(blocks.StreamBlock):
    """An issue's free blocks around its picks: headings, paragraphs, picks, the ask."""

    heading = blocks.CharBlock(max_length=200, icon="title")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    articles = PickedArticlesBlock()
    support_ask = SupportAskBlock()

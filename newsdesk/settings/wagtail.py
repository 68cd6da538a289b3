"""Wagtail: the site's name in its admin, images, search, embeds and documents."""

from .env import env_str
from .project import DEFAULT_SITE_URL, SITE_URL

WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Newsdesk")
# The address in Wagtail's own e-mails to editors (serve passes its address down as SITE_URL).
WAGTAILADMIN_BASE_URL = SITE_URL or DEFAULT_SITE_URL
WAGTAILIMAGES_IMAGE_MODEL = "articles.NewsImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "newsdesk.articles.forms.NewsImageForm"  # no metadata
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {
    # The database backend picks SQLite's FTS5 or PostgreSQL's full-text search by itself.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Wagtail's oEmbed providers, asked through connections that reach only public addresses
# (an editor's embed URL must not make the server fetch inside our network).
WAGTAILEMBEDS_FINDERS = [{"class": "newsdesk.core.embeds"}]
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "docx", "odt", "ods"]

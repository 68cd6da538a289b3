"""The articles app's models, one module per kind of thing."""

from newsdesk.articles.models.images import NewsImage, NewsRendition
from newsdesk.articles.models.outlets import Outlet, SearchEnginePolicy
from newsdesk.articles.models.pages import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticleTag,
    HomePage,
    SectionPage,
)
from newsdesk.articles.models.people import Author

__all__ = [
    "ArticleAuthor",
    "ArticleCorrection",
    "ArticlePage",
    "ArticleTag",
    "Author",
    "HomePage",
    "NewsImage",
    "NewsRendition",
    "Outlet",
    "SearchEnginePolicy",
    "SectionPage",
]

"""Public URLs of the articles app other than Wagtail's pages."""

from django.urls import path

from newsdesk.articles import feeds, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("feeds/rss/", feeds.SiteRssFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    path("feeds/<slug:section>/rss/", feeds.SectionRssFeed(), name="section_feed_rss"),
    path("feeds/<slug:section>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
]

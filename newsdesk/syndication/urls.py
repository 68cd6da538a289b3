"""Public URLs of the syndication app."""

app_name = "syndication"

urlpatterns: list = []

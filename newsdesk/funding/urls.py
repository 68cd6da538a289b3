"""Public URLs of the funding app."""

app_name = "funding"

urlpatterns: list = []

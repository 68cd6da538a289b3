"""Public URLs of the moderation app."""

app_name = "moderation"

urlpatterns: list = []

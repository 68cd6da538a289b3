"""Public URLs of the discussion app."""

app_name = "discussion"

urlpatterns: list = []

"""The newsletters' public URLs, under /newsletter/ (the archive of issues is the Wagtail
page at /newsletters/)."""

from django.urls import path

from newsdesk.newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("newsletter/subscribe/", views.subscribe_view, name="subscribe"),
    path("newsletter/confirm/<str:token>/", views.confirm_view, name="confirm"),
    path("newsletter/preferences/<str:token>/", views.preferences_view, name="preferences"),
    path(
        "newsletter/unsubscribe/<str:token>/<slug:slug>/",
        views.unsubscribe_view,
        name="unsubscribe",
    ),
]

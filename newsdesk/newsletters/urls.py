"""The newsletters' public URLs, under /newsletter/ (the archive of issues is the Wagtail
page at /newsletters/), and the reader account's page under /accounts/."""

from django.urls import include, path

from newsdesk.newsletters import views, views_clicks

app_name = "newsletters"

urlpatterns = [
    path("newsletter/subscribe/", views.subscribe_view, name="subscribe"),
    path("newsletter/confirm/<str:token>/", views.confirm_view, name="confirm"),
    path("newsletter/preferences/<str:token>/", views.preferences_view, name="preferences"),
    path("newsletter/link/", views.link_request_view, name="link_request"),
    path(
        "newsletter/unsubscribe/<str:token>/<slug:slug>/",
        views.unsubscribe_view,
        name="unsubscribe",
    ),
    # The providers' signed tracking webhooks (sending: services/tracking.py).
    path("newsletter/anymail/", include("newsdesk.newsletters.urls_anymail")),
    path("newsletter/c/<int:send_id>/<str:token>/", views_clicks.click_view, name="click"),
    path("accounts/newsletters/", views.account_view, name="account"),
]

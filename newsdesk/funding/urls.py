"""Public URLs of the funding app."""

from django.urls import path

from newsdesk.funding import urls_giving, urls_lifecycle, views

app_name = "funding"

urlpatterns = [
    path("donate/", views.donate, name="donate"),
    path("donate/thanks/", views.thanks, name="thanks"),
    path("donate/wall/", views.wall, name="wall"),
    path("donate/demo/<str:token>/", views.demo_checkout, name="demo_checkout"),
    path("donate/cancel/<str:token>/", views.cancel, name="cancel"),
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
]
# The parts kept in modules of their own, in the same namespace.
urlpatterns += urls_giving.urlpatterns + urls_lifecycle.urlpatterns

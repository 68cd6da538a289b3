"""Public URLs of the donor e-mails (one-click unsubscribe). Part of ``funding.urls``
(namespace ``funding``)."""

from django.urls import path

from newsdesk.funding import views_lifecycle

urlpatterns = [
    path(
        "donate/emails/unsubscribe/<str:token>/",
        views_lifecycle.unsubscribe,
        name="lifecycle_unsubscribe",
    ),
]

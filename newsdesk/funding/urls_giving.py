"""Public URLs of a monthly gift's management that need no sign-in (the signed link from
e-mails, the demo provider's card page). Part of ``funding.urls`` (namespace ``funding``);
under ``/donate/``, which the page cache keeps private."""

from django.urls import path

from newsdesk.funding import views_giving

urlpatterns = [
    path("donate/manage/<str:token>/", views_giving.manage, name="manage"),
    path("donate/card/<str:token>/", views_giving.demo_card, name="demo_card"),
]

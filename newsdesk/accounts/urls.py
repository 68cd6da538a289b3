"""Public URLs of the accounts app: the reader's account hub, the privacy pages, then
django-allauth's sign-up, sign-in (with a password or a code mailed to the address) and
password reset.

These URLs carry no ``accounts:`` namespace: allauth reverses its own names
(``account_login``, ``account_signup`` ...) without one, and the privacy pages follow suit.
"""

from django.urls import include, path

from newsdesk.accounts import views, views_comments, views_discussion, views_home

urlpatterns = [
    path("account/", views_home.account_home, name="account_home"),
    path("accounts/privacy/", views.privacy, name="account_privacy"),
    path("accounts/comments/", views_comments.comments, name="account_comments"),
    path("accounts/privacy/export.json", views.export, name="account_privacy_export"),
    path("accounts/privacy/erase/", views.erase, name="account_erase"),
    path("accounts/privacy/erased/", views.erased, name="account_erased"),
    path("accounts/discussion/", views_discussion.discussion_settings, name="account_discussion"),
    path("account/giving/", include("newsdesk.accounts.urls_giving")),
    path("account/receipts/", include("newsdesk.accounts.urls_receipts")),
    path("accounts/", include("allauth.urls")),
]

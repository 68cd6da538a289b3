"""Public URLs of the accounts app: django-allauth's sign-up, sign-in and password reset.

These URLs carry no ``accounts:`` namespace: allauth reverses its own names
(``account_login``, ``account_signup`` ...) without one.
"""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
]

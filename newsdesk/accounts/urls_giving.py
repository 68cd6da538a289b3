"""The donor's own giving under ``/account/giving/``: every gift, monthly gifts changed,
paused, resumed or cancelled, the card changed. (Written by the giving part.)"""

from django.urls import path

from newsdesk.accounts import views_giving

urlpatterns = [
    path("", views_giving.giving, name="account_giving"),
]

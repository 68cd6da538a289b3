"""Receipts as PDF under ``/account/receipts/``: one per gift, and a yearly statement."""

from django.urls import path

from newsdesk.accounts import views_receipts

urlpatterns = [
    path("<int:donation_id>.pdf", views_receipts.account_receipt, name="account_receipt"),
    path("<int:year>/statement.pdf", views_receipts.account_statement, name="account_statement"),
]

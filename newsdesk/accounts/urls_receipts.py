"""Receipts as PDF under ``/account/receipts/``: one per gift, and a yearly statement.
(Written by the receipts part.)"""

urlpatterns: list = []

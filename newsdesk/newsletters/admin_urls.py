"""The newsletters' admin URLs of the reports, import and export, under /admin/newsletters/
(registered by ``wagtail_hooks_reports.py``)."""

from django.urls import path

from newsdesk.newsletters import admin_views_reports as views

urlpatterns = [
    path("reports/", views.reports_view, name="newsletters_reports"),
    path("reports/sends/<int:send_id>/", views.send_report_view, name="newsletters_send_report"),
    path(
        "reports/lists/<int:newsletter_id>/",
        views.list_report_view,
        name="newsletters_list_report",
    ),
    path("import/", views.import_view, name="newsletters_import"),
    path("export/<int:newsletter_id>/", views.export_view, name="newsletters_export"),
]

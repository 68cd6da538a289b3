"""The moderators' screens in Wagtail's admin, under /admin/moderation/."""

from django.urls import path

from newsdesk.moderation import admin_views, admin_views_appeals

urlpatterns = [
    path("", admin_views.queue_view, name="moderation_queue"),
    path("act/", admin_views.queue_act, name="moderation_queue_act"),
    path("log/", admin_views.log_view, name="moderation_log"),
    path("log/<int:decision_id>/undo/", admin_views.decision_undo_view, name="moderation_undo"),
    path("bans/", admin_views.bans_view, name="moderation_bans"),
    path("bans/<int:ban_id>/lift/", admin_views.ban_lift_view, name="moderation_ban_lift"),
    path("retrain/", admin_views.retrain_view, name="moderation_retrain"),
    path("appeals/", admin_views_appeals.appeals_view, name="moderation_appeals"),
    path(
        "appeals/<int:appeal_id>/decide/",
        admin_views_appeals.appeal_decide_view,
        name="moderation_appeal_decide",
    ),
]

"""The moderators' screens in Wagtail's admin, under /admin/moderation/."""

from django.urls import path

from newsdesk.moderation import admin_views, admin_views_appeals, admin_views_dossier
from newsdesk.moderation.admin_views_charts import activity_view

urlpatterns = [
    path("", admin_views.queue_view, name="moderation_queue"),
    path("act/", admin_views.queue_act, name="moderation_queue_act"),
    path("log/", admin_views.log_view, name="moderation_log"),
    path("log/<int:decision_id>/undo/", admin_views.decision_undo_view, name="moderation_undo"),
    path("bans/", admin_views.bans_view, name="moderation_bans"),
    path("bans/<int:ban_id>/lift/", admin_views.ban_lift_view, name="moderation_ban_lift"),
    path("retrain/", admin_views.retrain_view, name="moderation_retrain"),
    path("activity/", activity_view, name="moderation_activity"),
    path("appeals/", admin_views_appeals.appeals_view, name="moderation_appeals"),
    path(
        "appeals/<int:appeal_id>/decide/",
        admin_views_appeals.appeal_decide_view,
        name="moderation_appeal_decide",
    ),
    # Commenters' history and notes, the watch list (admin_views_dossier.py).
    path("commenters/<str:key>/", admin_views_dossier.commenter_view, name="moderation_commenter"),
    path("notes/add/", admin_views_dossier.note_add_view, name="moderation_note_add"),
    path(
        "notes/delete/",
        admin_views_dossier.note_delete_view,
        name="moderation_note_delete",
    ),
    path("watch/", admin_views_dossier.watch_list_view, name="moderation_watch_list"),
    path("watch/add/", admin_views_dossier.watch_add_view, name="moderation_watch_add"),
    path("watch/toggle/", admin_views_dossier.watch_toggle_view, name="moderation_watch_toggle"),
    path(
        "watch/<int:entry_id>/remove/",
        admin_views_dossier.watch_remove_view,
        name="moderation_watch_remove",
    ),
]

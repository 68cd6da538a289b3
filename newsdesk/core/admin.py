"""Django's admin (the administrator's alone): the RQ dashboard on the Redis tier.

django_rq registers its dashboard as a model without a table, so Django's admin also gives
it add, change, delete and history pages that query that missing table and answer 500. The
dashboard is registered again here with only its own pages and the index link.
"""

from django.apps import apps
from django.contrib import admin

if apps.is_installed("django_rq"):
    from django_rq.admin import QueueAdmin
    from django_rq.models import Dashboard

    class RQDashboardAdmin(QueueAdmin):
        """django_rq's dashboard without the generic model pages of a model it has not."""

        def get_urls(self):
            generic = admin.ModelAdmin.get_urls(self)
            dropped = {
                str(route.pattern)
                for route in generic
                if not (route.name or "").endswith("_changelist")
            }
            return [route for route in super().get_urls() if str(route.pattern) not in dropped]

    if admin.site.is_registered(Dashboard):
        admin.site.unregister(Dashboard)
    admin.site.register(Dashboard, RQDashboardAdmin)

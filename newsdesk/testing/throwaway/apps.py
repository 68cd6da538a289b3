from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    name = "newsdesk.testing.throwaway"
    label = "throwaway"
    default_auto_field = "django.db.models.BigAutoField"

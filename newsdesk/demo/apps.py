"""Demo content of the project's own writing, for `make demo`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "newsdesk.demo"
    label = "demo"
    verbose_name = _("Demo")

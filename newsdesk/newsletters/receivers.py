"""django-anymail's ``tracking`` signal, received: the logic is the service's
(``services/tracking.py``); anymail's views have checked the provider's signature first."""

from typing import Any

from anymail.signals import tracking

from newsdesk.newsletters.services.tracking import tracking_event_record


def tracking_received(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    tracking_event_record(event=event, esp_name=esp_name)


def connect() -> None:
    """Called once by the app's ``ready``."""
    tracking.connect(tracking_received, dispatch_uid="newsletters.tracking")

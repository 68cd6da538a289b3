"""Subscribers and a real SMTP sink for the sending's tests."""

import secrets

from django.utils import timezone

from newsdesk.newsletters.models import (
    ConsentSource,
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)


def subscriber(
    email: str,
    newsletter: Newsletter,
    *,
    name: str = "",
    status: str = SubscriptionStatus.SUBSCRIBED,
    user=None,
) -> Subscriber:
    person, _ = Subscriber.objects.get_or_create(
        email=email.lower(),
        defaults={"name": name, "token": secrets.token_urlsafe(24), "user": user},
    )
    Subscription.objects.update_or_create(
        subscriber=person,
        newsletter=newsletter,
        defaults={
            "status": status,
            "consent_at": timezone.now(),
            "consent_source": ConsentSource.FOOTER,
            "consent_text": "Send me the newsletter.",
            "confirmed_at": timezone.now() if status == SubscriptionStatus.SUBSCRIBED else None,
        },
    )
    return person


def smtp_settings(settings, smtp) -> None:
    """Send the issues (and only they) through Django's SMTP backend to ``smtp``."""
    settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.NEWSLETTER_FROM_EMAIL = "news@example.org"
    settings.NEWSLETTER_SEND_RATE = 0  # no pacing unless a test asks for it

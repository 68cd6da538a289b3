"""Lists, subscribers and their consent, and the suppression list.

A ``Newsletter`` is a list an editor defines (the daily, a weekly, one per section, breaking
news). A ``Subscriber`` is one e-mail address, with or without a reader account; each of
their ``Subscription`` rows records the consent given to one list: when, from which form and
page, and the very text the form showed, then when the address confirmed it (double
opt-in). A ``Suppression`` is an address no send may reach again (a hard bounce, a
complaint, an unsubscribe from everything), whatever its subscriptions say.

The issues (Wagtail pages) are in ``models_issues.py``, the sends and their per-recipient
records in ``models_sending.py``; both are imported at the end of this module so that
Django finds them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Cadence(models.TextChoices):
    MANUAL = "manual", _("Sent when an editor sends an issue")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class DigestMode(models.TextChoices):
    """What happens at the list's hour when it assembles a digest from new articles."""

    OFF = "off", _("No automatic digest")
    DRAFT = "draft", _("Assemble a draft for an editor to approve")
    SEND = "send", _("Assemble and send it")


class Newsletter(models.Model):
    """A list readers subscribe to.

    ``section`` narrows an automatic digest to that section's new articles (empty: the
    whole site). ``send_hour`` (and ``send_weekday`` for a weekly) is when the digest is
    assembled, in the site's ``TIME_ZONE``. Only ``is_public`` lists are offered on the
    site's forms; the others (a test list, staff) are filled by import or by staff.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text=_("One sentence readers see beside the sign-up box.")
    )
    section = models.ForeignKey(
        "articles.SectionPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A section's newsletter: its digest takes that section's new articles."),
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MANUAL)
    send_hour = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The hour (0-23, the site's time zone) of the digest.")
    )
    send_weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("A weekly's day: 0 is Monday, 6 is Sunday.")
    )
    digest_mode = models.CharField(
        max_length=10, choices=DigestMode.choices, default=DigestMode.OFF
    )
    is_public = models.BooleanField(default=True, help_text=_("Offered on the site's forms."))
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(send_hour__isnull=True) | Q(send_hour__lte=23),
                name="newsletter_send_hour_in_day",
            ),
            models.CheckConstraint(
                condition=Q(send_weekday__isnull=True) | Q(send_weekday__lte=6),
                name="newsletter_send_weekday_in_week",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """One e-mail address that subscribed to one list or more.

    ``email`` is stored lower-cased and stripped (one row per address). ``user`` ties it
    to a reader account with that verified address, when there is one: guests need none.
    ``token`` is the secret of the preferences link every mail carries (no sign-in); it is
    replaced when the reader asks for a new link.
    """

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscribers",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    SUBSCRIBED = "subscribed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class ConsentSource(models.TextChoices):
    """Which form (or way in) recorded the consent."""

    ARTICLE = "article", _("Form under an article")
    FOOTER = "footer", _("Footer form")
    GIFT = "gift", _("After a gift")
    ACCOUNT = "account", _("Reader's account")
    PREFERENCES = "preference", _("Preferences page (a mail's link)")
    IMPORT = "import", _("Imported")
    STAFF = "staff", _("Added by staff")


class Subscription(models.Model):
    """A subscriber's consent to one list, and its history.

    Consent is recorded when asked (``consent_at``, ``consent_source``, ``consent_url``,
    ``consent_text``: the words the form showed) and proven when the address confirms
    (``confirmed_at``; an import keeps the date of the consent it brings). Only
    ``subscribed`` rows receive issues. Unsubscribing keeps the row (with
    ``unsubscribed_at``) so the history and the reports stay true; erasure deletes it.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    consent_at = models.DateTimeField()
    consent_source = models.CharField(max_length=10, choices=ConsentSource.choices)
    consent_url = models.CharField(max_length=500, blank=True, default="")
    consent_text = models.TextField(blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # What unsubscribed it: "one-click" (RFC 8058), "preferences", "account", "bounce"...
    unsubscribe_source = models.CharField(max_length=20, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="one_subscription_per_list"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self) -> str:
        return f"{self.subscriber} - {self.newsletter} ({self.status})"


class SuppressionReason(models.TextChoices):
    BOUNCE = "bounce", _("Hard bounce")
    COMPLAINT = "complaint", _("Marked as spam")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed from everything")
    STAFF = "staff", _("Added by staff")


class Suppression(models.Model):
    """An address no newsletter send may reach, whatever its subscriptions say (every
    send's recipient query excludes these). Filled by the providers' signed tracking
    webhooks (bounces, complaints), by unsubscribing from everything, or by staff."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=12, choices=SuppressionReason.choices)
    detail = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


# The issues (Wagtail pages) and the sends, in modules of their own (Django finds them here).
from newsdesk.newsletters.models_issues import NewsletterArchivePage as NewsletterArchivePage  # noqa: E402
from newsdesk.newsletters.models_issues import NewsletterIssuePage as NewsletterIssuePage  # noqa: E402
from newsdesk.newsletters.models_sending import LinkClick as LinkClick  # noqa: E402
from newsdesk.newsletters.models_sending import Send as Send  # noqa: E402
from newsdesk.newsletters.models_sending import SendRecord as SendRecord  # noqa: E402
from newsdesk.newsletters.models_sending import TrackingEvent as TrackingEvent  # noqa: E402
from newsdesk.newsletters.models_signup import SignupMail as SignupMail  # noqa: E402

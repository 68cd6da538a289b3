"""Moderation's data: the policy editors set, the site's learned models, the audit log of
every decision (``Decision``), readers' reports (``Report``) and bans (``Ban``).
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.moderation.signals import SIGNAL_LABELS, SIGNAL_NAMES

_UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]

# Defaults chosen on held-out predictions of the training set: each labelled comment scored
# by models trained without any comment about its target group (``protocols.py``), the most
# caught with about 6 % of that set's ok comments held (a third of them the hard kind:
# counter-speech, quoted slurs, fierce criticism). The independent set is never used to
# choose them; on it, the same defaults hold 2.7 % of ok comments. The
# term lists and the words model hold on their own only on strong evidence; the combined
# evidence of every signal decides the rest. Rejection is off (1.0) except for certainties
# such as a filled honeypot, so people see what is held.
DEFAULT_THRESHOLDS = {
    "offensive": (0.99, 1.0, False),
    "hate": (0.7, 1.0, True),
    "abuse": (0.7, 1.0, False),
    "spam": (0.6, 1.0, False),
    "learned": (0.95, 1.0, False),
    "semantic": (1.0, 1.0, False),
    "onnx": (1.0, 1.0, False),
    "combined": (0.7, 1.0, False),
}


def _threshold_fields():
    fields = {}
    for name in SIGNAL_NAMES:
        hold, reject, severe = DEFAULT_THRESHOLDS[name]
        label = SIGNAL_LABELS[name]
        fields[f"{name}_hold"] = models.FloatField(
            format_lazy(_("{signal}: hold at"), signal=label),
            default=hold,
            validators=_UNIT,
            help_text=_("Hold the comment for review when this signal scores at least this."),
        )
        fields[f"{name}_reject"] = models.FloatField(
            format_lazy(_("{signal}: reject at"), signal=label),
            default=reject,
            validators=_UNIT,
            help_text=_("Reject outright at this score or above (1.0: only when certain)."),
        )
        fields[f"{name}_severe"] = models.BooleanField(
            format_lazy(_("{signal}: severe"), signal=label),
            default=severe,
            help_text=_("A hold by this signal applies to trusted commenters too."),
        )
    return fields


@register_setting(icon="warning")
class ModerationSettings(BaseGenericSetting):
    """The moderation policy editors set in the admin (Settings → Moderation).

    Per signal: the score at which a comment is held and at which it is rejected, and
    whether a hold by it is severe. Pre-moderation holds every comment; commenters with
    ``trusted_after_approved`` approved comments skip holds that are not severe; a comment
    reported by ``reports_to_hide`` readers in good standing (``Report.weight``: an account
    with a verified address, at least ``reporter_min_account_days`` old, with published
    comments or upheld reports) is held until a moderator reviews it.
    """

    premoderation = models.BooleanField(
        _("pre-moderation"),
        default=False,
        help_text=_("Hold every new comment for review (trusted commenters excepted)."),
    )
    trusted_after_approved = models.PositiveIntegerField(
        _("trusted after"),
        default=3,
        help_text=(
            _(
                "Number of approved comments after which a commenter's comments are published "
                "unless a severe signal fires. 0: nobody is trusted."
            )
        ),
    )
    reports_to_hide = models.PositiveIntegerField(
        _("reports to hide"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=(
            _(
                "A published comment this many established readers reported is hidden until "
                "reviewed. Guests' and new accounts' reports put it in the queue but never hide it."
            )
        ),
    )
    reporter_min_account_days = models.PositiveIntegerField(
        _("reporter's account age"),
        default=7,
        help_text=(
            _(
                "Days an account must exist before its reports count fully towards hiding a "
                "comment (a throwaway account's report only queues it)."
            )
        ),
    )

    # Trust levels, as Coral and Disqus have them: who is held whatever the scores, and who
    # is published through a borderline score.
    hold_first_comments = models.PositiveIntegerField(
        _("hold a new commenter's first comments"),
        default=0,
        help_text=(
            _(
                "Hold this many of an account's first comments for review (guests are always "
                "new). 0: off."
            )
        ),
    )
    hold_rejected_share = models.FloatField(
        _("hold commenters rejected this often"),
        default=0.5,
        validators=_UNIT,
        help_text=(
            _(
                "Hold every comment of a commenter whose share of rejected comments (among "
                "those moderators decided) is at least this. 1.0: off."
            )
        ),
    )
    hold_rejected_min = models.PositiveIntegerField(
        _("decided comments before the share counts"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("The rejected share only counts once this many comments were decided."),
    )
    hold_links_from_new = models.BooleanField(
        _("hold links from new commenters"),
        default=True,
        help_text=_("Hold a comment with a link when its author is not yet trusted."),
    )
    trusted_account_days = models.PositiveIntegerField(
        _("trusted account age"),
        default=30,
        help_text=(
            _(
                "An account with a verified address, at least this many days old and with a "
                "published comment, is trusted. 0: age alone never trusts."
            )
        ),
    )
    trust_supporters = models.BooleanField(
        _("trust supporters"),
        default=True,
        help_text=_("A signed-in reader who has given to the newsroom is trusted."),
    )
    trusted_borderline_below = models.FloatField(
        _("trusted: publish through scores below"),
        default=0.9,
        validators=_UNIT,
        help_text=(
            _(
                "A trusted commenter's comment is published through a hold whose score is below "
                "this (a borderline score); at or above it, it is held like anyone's."
            )
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("premoderation"),
                FieldPanel("trusted_after_approved"),
                FieldPanel("reports_to_hide"),
                FieldPanel("reporter_min_account_days"),
            ],
            heading=_("Policy"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hold_first_comments"),
                FieldRowPanel([FieldPanel("hold_rejected_share"), FieldPanel("hold_rejected_min")]),
                FieldPanel("hold_links_from_new"),
                FieldPanel("trusted_account_days"),
                FieldPanel("trust_supporters"),
                FieldPanel("trusted_borderline_below"),
            ],
            heading=_("Trust levels"),
        ),
        *(
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel(f"{name}_hold"),
                            FieldPanel(f"{name}_reject"),
                            FieldPanel(f"{name}_severe"),
                        ]
                    )
                ],
                heading=SIGNAL_LABELS[name],
            )
            for name in SIGNAL_NAMES
        ),
    ]

    class Meta:
        verbose_name = _("moderation")

    def clean(self):
        super().clean()
        errors = {}
        for name in SIGNAL_NAMES:
            if getattr(self, f"{name}_reject") < getattr(self, f"{name}_hold"):
                errors[f"{name}_reject"] = _("The reject score cannot be below the hold score.")
        if errors:
            raise ValidationError(errors)


# One hold / reject / severe triple per signal, so a new signal brings its own settings.
for _name, _field in _threshold_fields().items():
    ModerationSettings.add_to_class(_name, _field)


class LearnedModel(models.Model):
    """One trained version of the site's comment classifier (the newest is used).

    ``serialized`` is the fitted ``stacking.ModelBundle``, pickled: only this site writes
    it, and a model from another scikit-learn version or bundle version is ignored.
    ``metrics`` holds its cross-validated precision and recall per label, measured before it
    was fitted on all ``example_count`` examples.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    labels = models.JSONField(default=list)
    example_count = models.PositiveIntegerField()
    metrics = models.JSONField(default=dict)
    sklearn_version = models.CharField(max_length=20)
    # What ``serialized`` holds (``stacking.BUNDLE_VERSION``): 1 was a words model alone.
    bundle_version = models.PositiveSmallIntegerField(default=1)
    serialized = models.BinaryField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return (
            f"Learned model {self.pk} ({self.example_count} examples, {self.created_at:%Y-%m-%d})"
        )


class DecisionAction(models.TextChoices):
    PUBLISHED = "published", _("Published (automatic)")
    HELD = "held", _("Held (automatic)")
    REJECTED_AUTO = "rejected_auto", _("Rejected (automatic)")
    SHADOWED = "shadowed", _("Shadowed (banned author)")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Marked as spam")
    BANNED = "banned", _("Author banned")
    UNBANNED = "unbanned", _("Ban lifted")
    REPORT_HID = "report_hid", _("Hidden after reports")
    UNDO = "undo", _("Undone")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal: decision upheld")
    APPEAL_REVERSED = "appeal_reversed", _("Appeal: decision reversed")


# What discussion's staff do that changes no comment's status (``COMMENT_STAFF_ACTED``):
# logged under discussion's own action names, undone by their opposite, not by "undo".
# Not among DecisionAction's choices yet, which would change this app's migration.
STAFF_MARKS = ("picked", "unpicked", "answer_marked", "answer_unmarked")


class Decision(models.Model):
    """One entry of the audit log: what happened to a comment, who decided, when and why.

    ``actor`` is the moderator, or None for the pipeline itself ("automatic"). ``reasons``
    and ``scores`` are the pipeline's (or the moderator's words); ``previous_status`` and
    ``previous_shadowed`` are what the comment was before, so a human decision can be undone
    (``undone_by`` then points at the ``undo`` entry). ``ban`` is the ban a ``banned``
    decision created. Entries are never edited except to record their undo.
    """

    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
    )
    action = models.CharField(max_length=20, choices=DecisionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reasons = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    previous_status = models.CharField(max_length=10, blank=True, default="")
    previous_shadowed = models.BooleanField(default=False)
    new_status = models.CharField(max_length=10, blank=True, default="")
    label = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=_("What the decision teaches the learned model (ok, spam, abuse, hate)."),
    )
    ban = models.ForeignKey(
        "Ban", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    undone_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undoes"
    )
    # The statement of reasons its author reads (``reasons.py``): a code for the rule or
    # signal that took the comment out of public view, and a moderator's optional words.
    reason_code = models.CharField(max_length=20, blank=True, default="")
    reason_note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "created_at"])]
        permissions = [("moderate_comment", "Can moderate comments (queue, bans, audit log)")]

    def __str__(self) -> str:
        who = self.actor.get_username() if self.actor_id else "automatic"
        return f"{self.get_action_display()} by {who} on comment {self.comment_id}"

    @property
    def is_human(self) -> bool:
        return self.actor_id is not None

    @property
    def can_undo(self) -> bool:
        return (
            self.is_human
            and self.undone_by_id is None
            and self.action != DecisionAction.UNDO
            and self.action not in STAFF_MARKS
            and self.comment_id is not None
        )


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or harassment")
    HATE = "hate", _("Hate speech")
    OFF_TOPIC = "off_topic", _("Off-topic")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """A reader's report of a comment, once per reader and comment.

    ``reporter_key`` names the reader as the discussion does (``user:<id>`` or
    ``guest:<hash of their signed-cookie key>``). ``resolved_at`` is set when a moderator
    decides on the comment; unresolved reports count towards hiding it, each by its
    ``weight`` (the reporter's standing when they reported: 0 for a guest or a new
    account, up to 1; ``selectors.reporter_weight``) and each network (``network_key``, as
    for votes) once, by its heaviest report. Every report puts the comment in the queue.
    """

    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="moderation_reports"
    )
    reporter_key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    text = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    weight = models.FloatField(
        default=0.0, help_text=_("What the report counts towards hiding the comment (0 to 1).")
    )
    network_key = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="one_report_per_reader"
            )
        ]
        indexes = [models.Index(fields=["comment", "resolved_at"])]

    def __str__(self) -> str:
        return f"Report ({self.reason}) of comment {self.comment_id}"


class BanKind(models.TextChoices):
    ACCOUNT = "account", _("Account")
    EMAIL = "email", _("E-mail address")
    IP = "ip", _("IP address")
    NETWORK = "network", _("Network (CIDR)")
    GUEST = "guest", _("Guest")


class Ban(models.Model):
    """Who may not comment: an account, an e-mail address, an address or a network, or a
    guest by what identifies them (any of their guest key's hash, e-mail address, network).

    A guest ban matches a reader by any identifier it names (a moderator picks them from
    one of the guest's comments: ``services.ban_from_comment``). An IP ban is stored as a
    one-address network, so every address check is one lookup of the candidate's prefixes
    in ``network`` (``selectors.ban_active_for``). A shadow ban publishes the author's
    comments to the author alone. Active while not lifted and not expired.
    """

    kind = models.CharField(max_length=10, choices=BanKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_bans",
    )
    email = models.EmailField(blank=True, default="", db_index=True)
    network = models.CharField(max_length=50, blank=True, default="", db_index=True)
    # A guest ban's guest key, as comments store it (its SHA-256): never the key itself.
    guest_key_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    shadow = models.BooleanField(
        default=False, help_text=_("The author still sees their comments; nobody else does.")
    )
    reason = models.CharField(max_length=300, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="account", user__isnull=False)
                    | (Q(kind="email") & ~Q(email=""))
                    | (Q(kind__in=["ip", "network"]) & ~Q(network=""))
                    | (Q(kind="guest") & (~Q(guest_key_hash="") | ~Q(email="") | ~Q(network="")))
                ),
                name="ban_names_its_target",
            )
        ]

    def __str__(self) -> str:
        return _("%(kind)s ban of %(target)s") % {
            "kind": self.get_kind_display(),
            "target": self.target,
        }

    @property
    def target(self) -> str:
        if self.kind == BanKind.ACCOUNT:
            return self.user.get_username() if self.user_id else str(_("a deleted account"))
        if self.kind == BanKind.EMAIL:
            return self.email
        if self.kind == BanKind.IP:
            return str(ipaddress.ip_network(self.network).network_address)
        if self.kind == BanKind.GUEST:
            return ", ".join(label for _, label in self.guest_identifiers)
        return self.network

    @property
    def guest_identifiers(self) -> list[tuple[str, str]]:
        """What a guest ban matches, as ``(kind, label)``: the guest key (its hash's first
        characters), the e-mail address, the network."""
        named = []
        if self.guest_key_hash:
            named.append(("key", _("guest key %(key)s…") % {"key": self.guest_key_hash[:10]}))
        if self.email:
            named.append(("email", _("e-mail %(email)s") % {"email": self.email}))
        if self.network:
            named.append(("network", _("network %(network)s") % {"network": self.network}))
        return named


class EvaluationReport(models.Model):
    """The figures of one run of the evaluation protocols (``protocols.py``), as
    ``manage.py moderation_eval --protocols`` measured them on the shipped labelled data
    (``data_fingerprint``): shown in the moderation admin's model page."""

    created_at = models.DateTimeField(auto_now_add=True)
    data_fingerprint = models.CharField(max_length=32)
    example_count = models.PositiveIntegerField()
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Evaluation {self.pk} ({self.created_at:%Y-%m-%d})"


# Appeals live in their own module (the audit log's neighbour), imported here for Django.
from newsdesk.moderation.models_appeals import Appeal as Appeal  # noqa: E402
from newsdesk.moderation.models_appeals import AppealState as AppealState  # noqa: E402

# Moderators' notes on commenters and their watch list, likewise in a module of their own.
from newsdesk.moderation.models_notes import CommenterNote as CommenterNote  # noqa: E402
from newsdesk.moderation.models_notes import WatchEntry as WatchEntry  # noqa: E402
from newsdesk.moderation.models_notes import WatchKind as WatchKind  # noqa: E402

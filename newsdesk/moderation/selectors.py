"""Reads of the moderation app: the policy, training examples, what is known of a commenter,
the bans that apply to one, a reporter's standing. The moderators' queue and audit log are
in ``queue.py``."""

import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache, reduce
from operator import or_
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.processcache import generation_bump, process_cached
from newsdesk.discussion.pipeline import CommentCandidate
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_posting import (
    author_record_get,
    comments_with_text_count,
)
from newsdesk.discussion.selectors_staff import (
    comment_status_counts,
    comment_texts,
    user_has_published_comment,
)
from newsdesk.moderation import conf
from newsdesk.moderation.labelled import labelled_training_examples, training_example
from newsdesk.moderation.learning import LABELS, TrainingExample
from newsdesk.moderation.models import (
    Ban,
    BanKind,
    Decision,
    ModerationSettings,
    Report,
)
from newsdesk.moderation.policy import CommenterStanding

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@cache
def training_examples_shipped() -> list[TrainingExample]:
    """The labelled training set shipped with the app (``labelled.py``: never the holdout
    or the independent set)."""
    return [training_example(example) for example in labelled_training_examples()]


def training_examples_list() -> list[TrainingExample]:
    """What the learned model is trained on: the shipped tuning set, then moderators'
    decisions on real comments (the latest one not undone per comment; approved → ok,
    rejected or spam with a reason → that label), each counting
    ``MODERATION_DECISION_WEIGHT`` times a shipped example: they are this site's own
    comments and readers, which no shipped example is."""
    labelled: dict[int, TrainingExample] = {}
    decisions = Decision.objects.filter(
        actor__isnull=False, undone_by__isnull=True, comment_id__isnull=False
    ).exclude(label="")
    # The texts are discussion's: asked for by the decisions' comment ids (one subquery).
    texts = comment_texts(comment_ids=decisions.values_list("comment_id", flat=True))
    rows = decisions.order_by("created_at", "pk").values_list("comment_id", "label")
    weight = conf.DECISION_WEIGHT
    for comment_id, label in rows:
        text = texts.get(comment_id, "")
        if label in LABELS and text.strip():
            labelled[comment_id] = TrainingExample(text, label, weight=weight)
    return [*training_examples_shipped(), *labelled.values()]


def human_decisions_since(*, since: datetime | None) -> int:
    """How many labelled human decisions were taken after ``since`` (None: ever)."""
    decisions = Decision.objects.filter(actor__isnull=False).exclude(label="")
    if since is not None:
        decisions = decisions.filter(created_at__gt=since)
    return decisions.count()


# The per-process copies of what the gate reads on every post (``core/processcache.py``):
# the settings, the bans and the current learned model, renewed when any of them changes.
MODERATION_GENERATION = "moderation"


def moderation_data_changed(sender: object = None, **kwargs: object) -> None:
    """Receiver of the settings', bans' and learned models' saves and deletions."""
    generation_bump(generation=MODERATION_GENERATION)


def moderation_settings_get() -> ModerationSettings:
    return process_cached(
        generation=MODERATION_GENERATION, key="settings", load=ModerationSettings.load
    )


def commenter_standing(
    *, candidate: CommentCandidate, supporters: bool = True
) -> CommenterStanding:
    """What is known of the candidate's author, their own comment (an edit's) not counted:
    their published, written, moderator-decided and rejected comments, whether the account
    has a verified address, its age, and (with ``supporters``) whether one of its verified
    addresses gave to the newsroom (funding answers through the ``READER_SUPPORTER`` hook).

    A guest's name and address prove nothing: a guest is the default standing, new and
    unverified, at no query. An account costs one query (discussion's ``author_record_get``,
    these questions folded into it); an account that no longer exists is a guest."""
    if candidate.author_user_id is None:
        return CommenterStanding()
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    flags: dict[str, BaseExpression] = {"verified": Exists(verified)}
    givers = hooks.get_hooks(newsdesk_hooks.READER_SUPPORTER) if supporters else []
    if givers:
        gave = reduce(or_, (giver(email=Lower(OuterRef("email"))) for giver in givers))
        flags["supporter"] = Exists(verified.filter(gave))
    record = author_record_get(
        user_id=candidate.author_user_id, excluding_id=candidate.comment_id, flags=flags
    )
    if record is None:
        return CommenterStanding()
    return CommenterStanding(
        signed_in=True,
        approved=record.published,
        rejected=record.rejected,
        decided=record.decided,
        written=record.written,
        verified=record.flags["verified"],
        account_age_days=max(0, (timezone.now() - record.joined_at).days),
        supporter=record.flags.get("supporter", False),
    )


def commenter_approved_count(*, candidate: CommentCandidate) -> int:
    """How many of this commenter's comments are published (approved by moderators or the
    pipeline), not shadowed; 0 for a guest. One query for an account (``commenter_standing``)."""
    return commenter_standing(candidate=candidate, supporters=False).approved


def identical_recent_comments_count(*, candidate: CommentCandidate) -> int:
    """How many comments with the same text were posted in the last
    ``conf.REPEATED_TEXT_WINDOW`` seconds (by anyone): a repeated body is a spam sign.

    Short texts ("Thank you!", "+1") are said by many people honestly and are not counted.
    One query (discussion's).
    """
    body = candidate.body.strip()
    if len(body) < conf.REPEATED_TEXT_MIN_LENGTH:
        return 0
    since = timezone.now() - timedelta(seconds=conf.REPEATED_TEXT_WINDOW)
    return comments_with_text_count(text=body, since=since, excluding_id=candidate.comment_id)


@lru_cache(maxsize=4096)
def _ip_prefixes(address: str, lengths: tuple[int, ...]) -> tuple[str, ...]:
    """The networks of ``lengths`` (prefix lengths, of the address's family) containing
    ``address``, as stored in ``Ban.network`` ("203.0.113.0/24", one address being a /32).

    Asked on every post, so built by masking the address's integer rather than parsing
    network strings, only for the lengths some ban names, and remembered for the addresses
    seen recently.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ()
    bits, value, kind = ip.max_prefixlen, int(ip), type(ip)
    return tuple(
        f"{kind(value >> (bits - length) << (bits - length))}/{length}"
        for length in lengths
        if length <= bits
    )


def bans_active() -> QuerySet:
    now = timezone.now()
    return Ban.objects.filter(lifted_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


@dataclass(frozen=True)
class BanIndex:
    """The bans active when it was loaded, by what they name (e-mail addresses as stored,
    lower case; networks as stored, one address being a /32 or /128; guest keys by their
    hash). A guest ban is listed under each identifier it names."""

    by_user: dict[int, tuple[Ban, ...]]
    by_email: dict[str, tuple[Ban, ...]]
    by_network: dict[str, tuple[Ban, ...]]
    by_guest_key: dict[str, tuple[Ban, ...]]
    # The prefix lengths the network bans use, per address family (4, 6): a lookup builds
    # only those of an address's networks (none while no network is banned).
    network_lengths: dict[int, tuple[int, ...]]


def _ban_index_load() -> BanIndex:
    by_user, by_email, by_network = defaultdict(list), defaultdict(list), defaultdict(list)
    by_guest_key: defaultdict[str, list[Ban]] = defaultdict(list)
    for ban in bans_active():
        if ban.kind == BanKind.ACCOUNT:
            by_user[ban.user_id].append(ban)
        elif ban.kind == BanKind.EMAIL:
            by_email[ban.email].append(ban)
        elif ban.kind == BanKind.GUEST:
            if ban.guest_key_hash:
                by_guest_key[ban.guest_key_hash].append(ban)
            if ban.email:
                by_email[ban.email].append(ban)
            if ban.network:
                by_network[ban.network].append(ban)
        else:
            by_network[ban.network].append(ban)
    return BanIndex(
        by_user={key: tuple(bans) for key, bans in by_user.items()},
        by_email={key: tuple(bans) for key, bans in by_email.items()},
        by_network={key: tuple(bans) for key, bans in by_network.items()},
        by_guest_key={key: tuple(bans) for key, bans in by_guest_key.items()},
        network_lengths=_prefix_lengths(by_network),
    )


def _prefix_lengths(networks: Iterable[str]) -> dict[int, tuple[int, ...]]:
    lengths: dict[int, set[int]] = {4: set(), 6: set()}
    for network in networks:
        address, _, length = network.partition("/")
        if length.isdigit():
            lengths[6 if ":" in address else 4].add(int(length))
    return {family: tuple(sorted(found, reverse=True)) for family, found in lengths.items()}


def ban_active_for(
    *,
    user_id: int | None = None,
    email: str = "",
    ip_address: str = "",
    guest_key_hash: str = "",
) -> Ban | None:
    """The active ban that applies to this author, if any (a non-shadow ban first, then the
    newest): the account, the address, the guest key (its hash, as comments store it), and
    every network containing the IP address, looked up in this process's copy of the active
    bans (no query while they are unchanged)."""
    index = process_cached(generation=MODERATION_GENERATION, key="bans", load=_ban_index_load)
    found = list(index.by_user.get(user_id, ())) if user_id is not None else []
    if email.strip():
        found.extend(index.by_email.get(email.strip().lower(), ()))
    if guest_key_hash:
        found.extend(index.by_guest_key.get(guest_key_hash, ()))
    if index.by_network and ip_address:
        lengths = index.network_lengths[6 if ":" in ip_address else 4]
        for prefix in _ip_prefixes(ip_address, lengths):
            found.extend(index.by_network.get(prefix, ()))
    now = timezone.now()
    active = [ban for ban in found if ban.expires_at is None or ban.expires_at > now]
    return min(active, key=lambda ban: (ban.shadow, -ban.pk), default=None)


def ban_active_for_reader(*, reader: Reader) -> Ban | None:
    """The active ban that applies to ``reader`` (a vote or a report): their account, or as
    a guest their key and network (a reader who votes or reports gives no e-mail address)."""
    return ban_active_for(
        user_id=reader.user.pk if reader.user is not None else None,
        ip_address=reader.ip_address,
        guest_key_hash=reader.guest_hash if reader.user is None else "",
    )


# --- readers' standing, for reports ------------------------------------------------------------
# A reader whose reports moderators mostly dismissed (at least this many, and more than twice
# as many as were upheld) reports with no weight: they can still put comments in the queue.
DISMISSED_REPORTS_LIMIT = 3


def reports_record(*, user: "User") -> tuple[int, int]:
    """``(upheld, dismissed)``: the user's reports a moderator has decided on, by what the
    comment is now (rejected or spam: upheld; published: dismissed). One query."""
    decided = Report.objects.filter(user=user, resolved_at__isnull=False)
    # What the comments are now is discussion's: asked for by their ids (one subquery). A
    # reader reports a comment once (``one_report_per_reader``): comments count as reports.
    statuses = comment_status_counts(comment_ids=decided.values_list("comment_id", flat=True))
    upheld = statuses.get(CommentStatus.REJECTED, 0) + statuses.get(CommentStatus.SPAM, 0)
    return upheld, statuses.get(CommentStatus.PUBLISHED, 0)


def reporter_weight(*, reader: Reader) -> float:
    """What one report by ``reader`` counts towards hiding a comment (the editors'
    ``reports_to_hide``): what a script cannot mint for free.

    - 0 for a guest (a token or a cookie costs nothing), an inactive account, an account
      with no verified e-mail address, or one whose reports moderators keep dismissing
      (``DISMISSED_REPORTS_LIMIT``): their report queues the comment for review only;
    - 1 for staff with moderation rights;
    - otherwise 0.5 for an account at least ``reporter_min_account_days`` old, plus 0.5 for
      a history on the site: a published comment, or a report moderators upheld.

    A handful of small queries, once per report.
    """
    user = reader.user
    if user is None or not user.is_active:
        return 0.0
    if user.has_perm("moderation.moderate_comment"):
        return 1.0
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return 0.0
    upheld, dismissed = reports_record(user=user)
    if dismissed >= DISMISSED_REPORTS_LIMIT and dismissed > 2 * upheld:
        return 0.0
    weight = 0.0
    min_days = moderation_settings_get().reporter_min_account_days
    if user.date_joined <= timezone.now() - timedelta(days=min_days):
        weight += 0.5
    if upheld or user_has_published_comment(user_id=user.pk):
        weight += 0.5
    return weight


def ban_active_for_candidate(*, candidate: CommentCandidate) -> Ban | None:
    return ban_active_for(
        user_id=candidate.author_user_id,
        email=candidate.author_email,
        ip_address=candidate.ip_address,
        guest_key_hash=candidate.author_guest_key_hash,
    )


# How each protocol is named on the admin's model page, in the order shown.
PROTOCOL_TITLES = {
    "random": gettext_lazy("Random holdout (a fifth of the training set: optimistic)"),
    "target": gettext_lazy("Leave one target out (a group never written about in training)"),
    "form": gettext_lazy("Leave one form out (a way of writing never seen in training)"),
    "independent": gettext_lazy("Independent set (written apart, never trained on)"),
    "without moderators": gettext_lazy("A new target, without moderators' decisions"),
    "with moderators": gettext_lazy("A new target, with a fifth of it decided by moderators"),
}


def onnx_model_summary() -> dict | None:
    """The newsroom's ONNX model for the admin (None when none is configured): its file,
    the card ``moderation_finetune`` wrote beside it (or None), whether it comes with held-out
    scores, and whether the models in use weigh it in the combined evidence."""
    from newsdesk.moderation import onnx_model
    from newsdesk.moderation.signals.learned import current_bundle

    paths = onnx_model.configured_paths()
    if paths is None:
        return None
    card = onnx_model.model_card_read(model_path=paths[0])
    trained_at = None
    if card and isinstance(card.get("trained_at"), str):
        trained_at = parse_datetime(card["trained_at"])
    return {
        "path": str(paths[0]),
        "card": card,
        "trained_at": trained_at,
        "held_out": (paths[0].parent / onnx_model.HELD_OUT_FILE).is_file(),
        "weighed": "onnx" in current_bundle().features,
    }


def evaluation_report_rows() -> dict | None:
    """The newest ``EvaluationReport`` as the admin shows it: when, on how many examples,
    and per protocol its pooled figures and each held-out group's (None: never run)."""
    from newsdesk.moderation.models import EvaluationReport

    report = EvaluationReport.objects.order_by("-pk").first()
    if report is None:
        return None
    current = moderation_settings_get().combined_hold
    protocols, sweeps = [], []
    for name, title in PROTOCOL_TITLES.items():
        figures = report.figures.get(name)
        if figures:
            groups = sorted(figures["groups"].items()) if len(figures["groups"]) > 1 else []
            protocols.append(
                {
                    "title": title,
                    "pooled": _shares_shown(figures["pooled"]),
                    "groups": [(group, _shares_shown(summary)) for group, summary in groups],
                }
            )
        if figures and name in SWEPT_PROTOCOLS and figures.get("sweep"):
            sweeps.append({"title": title, "rows": _sweep_shown(figures["sweep"], current)})
    return {
        "created_at": report.created_at,
        "example_count": report.example_count,
        "protocols": protocols,
        "sweeps": sweeps,
        "combined_hold": current,
    }


# The protocols whose sweep the admin shows: the one the defaults are chosen on, and the
# one that predicts a new comment section.
SWEPT_PROTOCOLS = ("target", "independent")


def _sweep_shown(rows: list[dict], current: float) -> list[dict]:
    """A stored sweep (``Evaluation.sweep``) as the admin shows it, the row of the current
    combined hold score marked."""
    return [
        {
            "threshold": f"{row['threshold']:.2f}",
            "current": abs(row["threshold"] - current) < 1e-9,
            **_shares_shown({"n": None, **row}),
        }
        for row in rows
    ]


def _shares_shown(summary: dict) -> dict:
    """An evaluation summary's shares as percentages (a dash where the set had none)."""

    def shown(share: float | None) -> str:
        return "\u2013" if share is None else f"{share * 100:.1f} %"

    return {
        "n": summary["n"],
        "false_holds": shown(summary["false_hold_rate"]),
        **{label: shown(share) for label, share in summary["caught"].items()},
    }

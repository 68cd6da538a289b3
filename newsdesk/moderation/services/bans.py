"""Bans: by account, e-mail address, IP address or network, or a guest by what identifies
them (guest key, e-mail address, network), with an optional expiry; a shadow ban lets the
author keep seeing their comments while nobody else does. The comment gate consults them
first (``wagtail_hooks.assess_comment``); votes and reports too (``READER_REFUSAL``)."""

import ipaddress
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core.clientaddr import address_group
from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import comment_ids_published_by, comment_with_context_get
from newsdesk.discussion.services.retention import IPV4_KEPT_BITS, IPV6_KEPT_BITS
from newsdesk.discussion.services.staff import comment_lock, comments_shadow
from newsdesk.moderation.errors import InvalidInput, NotFound
from newsdesk.moderation.models import Ban, BanKind, Decision, DecisionAction
from newsdesk.moderation.queue import GUEST_IDENTIFIERS, comment_ban_identifiers
from newsdesk.moderation.services.decisions import (
    _status_change,
    decision_human_record,
    require_moderator,
)

if TYPE_CHECKING:  # types for annotations only: discussion's rows are read through its selectors
    from django.contrib.auth.models import User

    from newsdesk.discussion.models import Comment


def _target_clean(*, kind: str, target: str, user: "User | None") -> dict[str, Any]:
    """The fields of a ban of ``kind`` on ``target`` (or ``user``); a clear error if bad."""
    target = (target or "").strip()
    if kind == BanKind.ACCOUNT:
        if user is None and target:
            user = get_user_model().objects.filter(username=target).first()
        if user is None:
            raise InvalidInput(_("Name an existing account to ban."), field="target")
        return {"user": user}
    if kind == BanKind.EMAIL:
        try:
            validate_email(target)
        except ValidationError:
            raise InvalidInput(
                _("%(target)r is not an e-mail address.") % {"target": target}, field="target"
            ) from None
        return {"email": target.lower()}
    if kind == BanKind.IP:
        try:
            ip = ipaddress.ip_address(target)
        except ValueError:
            raise InvalidInput(
                _("%(target)r is not an IP address.") % {"target": target}, field="target"
            ) from None
        # As comments store it (``web/clientaddr``): an IPv4-mapped address is its IPv4.
        ip = getattr(ip, "ipv4_mapped", None) or ip
        return {"network": str(ipaddress.ip_network(ip))}
    if kind == BanKind.NETWORK:
        try:
            network = ipaddress.ip_network(target, strict=True)
        except ValueError as error:
            raise InvalidInput(
                _(
                    "%(target)r is not a network in CIDR notation such as 203.0.113.0/24 "
                    "(%(error)s)."
                )
                % {"target": target, "error": error},
                field="target",
            ) from None
        return {"network": str(network)}
    if kind == BanKind.GUEST:
        raise InvalidInput(
            _(
                "Ban a guest from one of their comments in the queue: it knows their guest key, "
                "e-mail address and network."
            ),
            field="kind",
        )
    raise InvalidInput(
        _("Unknown kind of ban %(kind)r: choose one of %(kinds)s.")
        % {"kind": kind, "kinds": ", ".join(BanKind.values)},
        field="kind",
    )


def _expiry_clean(expires_at: datetime | None) -> datetime | None:
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("The expiry must be in the future."), field="expires_at")
    return expires_at


def ban_create(
    *,
    kind: str,
    actor: "User",
    target: str = "",
    user: "User | None" = None,
    shadow: bool = False,
    reason: str = "",
    expires_at: datetime | None = None,
) -> Ban:
    """Ban an account, e-mail address, IP address or network (CIDR). Raises InvalidInput
    (nothing written) for a target that is not one."""
    require_moderator(actor)
    fields = _target_clean(kind=kind, target=target, user=user)
    expires_at = _expiry_clean(expires_at)
    with transaction.atomic():
        return Ban.objects.create(
            kind=kind,
            shadow=shadow,
            reason=reason.strip()[:300],
            expires_at=expires_at,
            created_by=actor,
            **fields,
        )


AUTHOR = "author"  # ban_from_comment's kind: the account, or a guest by what identifies them


def _guest_fields(*, comment: "Comment", identifiers: Sequence[str] | None) -> dict[str, str]:
    """The fields of a guest ban on ``comment``'s author by ``identifiers`` (None: all the
    comment carries); a clear error, before anything is written, if it cannot be."""
    if comment.user_id is not None:
        raise InvalidInput(_("This author has an account: ban the account."), field="kind")
    carried = {found.name: found for found in comment_ban_identifiers(comment=comment)}
    if not carried:
        raise InvalidInput(
            _(
                "This comment carries nothing to ban its author by: no guest key, e-mail address "
                "or network address was stored with it (an imported comment, say)."
            ),
            field="identifiers",
        )
    chosen = list(carried) if identifiers is None else list(dict.fromkeys(identifiers))
    unknown = [name for name in chosen if name not in GUEST_IDENTIFIERS]
    if unknown:
        raise InvalidInput(
            _("Ban a guest by %(known)s, not %(unknown)s.")
            % {"known": ", ".join(GUEST_IDENTIFIERS), "unknown": ", ".join(unknown)},
            field="identifiers",
        )
    if not chosen:
        raise InvalidInput(
            _("Choose at least one of what identifies the guest to ban them by."),
            field="identifiers",
        )
    missing = [name for name in chosen if name not in carried]
    if missing:
        missing_words = missing[0]
        for name in missing[1:]:
            missing_words = _("%(first)s or %(second)s") % {"first": missing_words, "second": name}
        raise InvalidInput(
            _("This comment has no %(missing)s to ban its author by.") % {"missing": missing_words},
            field="identifiers",
        )
    field_of = {"key": "guest_key_hash", "email": "email", "network": "network"}
    return {field_of[name]: carried[name].value for name in chosen}


def ban_from_comment(
    *,
    comment_id: int,
    kind: str = AUTHOR,
    actor: "User",
    shadow: bool = False,
    reason: str = "",
    expires_at: datetime | None = None,
    identifiers: Sequence[str] | None = None,
) -> Decision:
    """Ban a comment's author (from the queue): ``author`` bans the account, or a guest by
    ``identifiers`` (``queue.GUEST_IDENTIFIERS``: their guest key, e-mail address, network;
    None: all the comment carries) in one guest ban; ``account``, ``email`` and ``ip`` ban
    by that alone (an IPv6 author by its /64, the block a reader holds whole).

    The comment is rejected (a shadow ban instead publishes it to its author alone, and
    shadows the author's other published comments too). Every change is logged. Raises
    InvalidInput (nothing written) when the comment carries nothing of what was asked.
    """
    require_moderator(actor)
    comment = comment_with_context_get(comment_id=comment_id)
    if comment is None:
        raise NotFound(_("No such comment."))
    guest_fields: dict[str, str] = {}
    if kind == AUTHOR:
        kind = BanKind.ACCOUNT if comment.user_id is not None else BanKind.GUEST
        if kind == BanKind.ACCOUNT and identifiers is not None and "account" not in identifiers:
            raise InvalidInput(_("Check the account to ban its holder."), field="identifiers")
    if kind == BanKind.GUEST:
        guest_fields = _guest_fields(comment=comment, identifiers=identifiers)
        target, user = "", None
    elif kind == BanKind.ACCOUNT:
        if comment.user_id is None:
            raise InvalidInput(_("A guest has no account to ban: ban them as a guest."))
        target, user = "", comment.user
    elif kind == BanKind.EMAIL:
        target, user = comment.notification_email, None
        if not target:
            raise InvalidInput(_("This author gave no e-mail address: ban the IP address."))
    elif kind == BanKind.IP:
        target, user = comment.ip_address or "", None
        if not target:
            raise InvalidInput(_("This comment has no IP address recorded."))
        if comment.ip_truncated:
            # Past the retention period only the network is kept: ban that network.
            kind = BanKind.NETWORK
            kept = IPV4_KEPT_BITS if ipaddress.ip_address(target).version == 4 else IPV6_KEPT_BITS
            target = f"{target}/{kept}"
        elif ipaddress.ip_address(target).version == 6:
            # An IPv6 reader holds its whole /64 (and is rate-limited by it): banning one of
            # its addresses would only make it take the next.
            kind = BanKind.NETWORK
            target = address_group(target)
    else:
        raise InvalidInput(
            _(
                "Ban an author as the author (account or guest), or by account, e-mail or IP "
                "address."
            ),
            field="kind",
        )
    with transaction.atomic():
        if guest_fields:
            ban = Ban.objects.create(
                kind=BanKind.GUEST,
                shadow=shadow,
                reason=reason.strip()[:300],
                expires_at=_expiry_clean(expires_at),
                created_by=actor,
                **guest_fields,
            )
        else:
            ban = ban_create(
                kind=kind,
                actor=actor,
                target=target,
                user=user,
                shadow=shadow,
                reason=reason,
                expires_at=expires_at,
            )
        comment = comment_lock(comment_id=comment_id)
        if comment is None:  # deleted since it was read
            raise NotFound(_("No such comment."))
        previous_status, previous_shadowed = comment.status, comment.is_shadowed
        words = f"{'Shadow-banned' if shadow else 'Banned'} ({_ban_words(ban)})"
        words += f" by {actor.get_username()}" + (f": {ban.reason}" if ban.reason else "")
        if shadow:
            _status_change(
                comment=comment,
                status=CommentStatus.PUBLISHED,
                actor=actor,
                reason=words,
                shadowed=True,
            )
        else:
            _status_change(
                comment=comment, status=CommentStatus.REJECTED, actor=actor, reason=words
            )
        decision = decision_human_record(
            comment=comment,
            action=DecisionAction.BANNED,
            actor=actor,
            previous_status=previous_status,
            previous_shadowed=previous_shadowed,
            reasons=[words],
            ban=ban,
            # A shadow ban must not tell its author; a ban's rejection does.
            reason_code="" if shadow else "banned",
        )
        if shadow:
            _shadow_other_comments(ban=ban, comment=comment, actor=actor, words=words)
        return decision


def _ban_words(ban: Ban) -> str:
    # A guest ban says what it matches (never the key itself: its hash's start).
    if ban.kind == BanKind.GUEST:
        return f"guest: {ban.target}"
    return ban.get_kind_display().lower()


def _shadow_other_comments(*, ban: Ban, comment: "Comment", actor: "User", words: str) -> None:
    if ban.kind == BanKind.ACCOUNT:
        ids = comment_ids_published_by(excluding_id=comment.pk, user_id=ban.user_id)
    elif ban.kind == BanKind.EMAIL:
        ids = comment_ids_published_by(excluding_id=comment.pk, guest_email=ban.email)
    elif ban.kind == BanKind.GUEST:
        found: set[int] = set()
        if ban.guest_key_hash:
            found.update(
                comment_ids_published_by(excluding_id=comment.pk, guest_key_hash=ban.guest_key_hash)
            )
        if ban.email:
            found.update(comment_ids_published_by(excluding_id=comment.pk, guest_email=ban.email))
        if ban.network and comment.ip_address:
            found.update(
                comment_ids_published_by(excluding_id=comment.pk, ip_address=comment.ip_address)
            )
        ids = sorted(found)
    else:
        ids = comment_ids_published_by(excluding_id=comment.pk, ip_address=comment.ip_address or "")
    if not ids:
        return
    comments_shadow(comment_ids=ids, reason=words)
    Decision.objects.bulk_create(
        Decision(
            comment_id=pk,
            action=DecisionAction.SHADOWED,
            actor=actor,
            reasons=[words],
            previous_status=CommentStatus.PUBLISHED,
            previous_shadowed=False,
            new_status=CommentStatus.PUBLISHED,
            ban=ban,
        )
        for pk in ids
    )


def ban_lift_unlogged(*, ban: Ban) -> Ban:
    """Mark ``ban`` lifted now (unless it already is), logging nothing: the caller logs
    (``decision_undo`` lifts the ban of the decision it undoes)."""
    if ban.lifted_at is None:
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
    return ban


def ban_lift(*, ban_id: int, actor: "User") -> Ban:
    """Lift a ban now (it stays listed, as lifted); logged as ``unbanned``."""
    require_moderator(actor)
    with transaction.atomic():
        ban = Ban.objects.select_for_update().filter(pk=ban_id).first()
        if ban is None:
            raise NotFound(_("No such ban."))
        if ban.lifted_at is not None:
            raise InvalidInput(_("This ban was already lifted."))
        ban_lift_unlogged(ban=ban)
        Decision.objects.create(
            action=DecisionAction.UNBANNED,
            actor=actor,
            reasons=[f"lifted the {ban}"],
            ban=ban,
        )
        return ban

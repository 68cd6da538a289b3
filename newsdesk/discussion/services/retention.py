"""IP retention: commenters' exact addresses are kept for a while, then only their network.

An exact address helps moderators while a discussion is live (an IP ban, spotting one person
behind many names); after ``PRIVACY_IP_RETENTION_DAYS`` days the worker's periodic duty
(``comment_ips_truncate``) keeps only the network (IPv4 /24, IPv6 /48) and empties the user
agent. Bans are unaffected: they are checked against the address of each new comment, which
is always exact when it is posted.
"""

import ipaddress
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment

IPV4_KEPT_BITS = 24
IPV6_KEPT_BITS = 48


def ip_truncate(address: str) -> str:
    """The network address of ``address``: IPv4 to /24, IPv6 to /48 ("" if not an address).

    An IPv4 address mapped into IPv6 (``::ffff:a.b.c.d``) is cut as IPv4.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    bits = IPV4_KEPT_BITS if ip.version == 4 else IPV6_KEPT_BITS
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False).network_address)


def ip_retention_cutoff(*, now: datetime | None = None) -> datetime:
    """Comments created before this moment keep only their network."""
    return (now or timezone.now()) - timedelta(days=conf.PRIVACY_IP_RETENTION_DAYS)


def comment_ips_truncate(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int = 50
) -> int:
    """Cut the address of every comment older than the retention period; return how many.

    Batched: each batch reads up to ``batch_size`` comments still holding an exact address
    and writes them back with one UPDATE per distinct network, in its own short transaction.
    Idempotent: a truncated comment is marked and never read again. At most ``max_batches``
    batches per call, so one run of the worker's periodic duty stays short; the next run
    goes on where this one stopped.
    """
    cutoff = ip_retention_cutoff(now=now)
    batch_size = batch_size or conf.PRIVACY_IP_BATCH_SIZE
    done = 0
    for _ in range(max_batches):
        with transaction.atomic():
            rows = list(
                Comment.objects.filter(
                    ip_truncated=False, ip_address__isnull=False, created_at__lt=cutoff
                )
                .order_by("created_at", "pk")
                .values_list("pk", "ip_address")[:batch_size]
            )
            if not rows:
                break
            by_network: dict[str | None, list[int]] = defaultdict(list)
            for pk, address in rows:
                assert address is not None  # the query keeps only rows with an address
                by_network[ip_truncate(address) or None].append(pk)
            for network, pks in by_network.items():
                Comment.objects.filter(pk__in=pks).update(
                    ip_address=network, user_agent="", ip_truncated=True
                )
        done += len(rows)
        if len(rows) < batch_size:
            break
    return done

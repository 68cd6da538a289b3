"""The network a reader's address belongs to, for counting votes and reports once per network.

A script can mint guest tokens and drop cookies for free, and rent many addresses of one
block nearly as cheaply; a network is what it cannot rotate without cost. IPv4 is grouped by
/24 (a home, office or small hosting block), IPv6 by /64 (the smallest network handed to one
subscriber: an attacker gets a whole /64 for the price of one address). An IPv4 address
written as IPv6 (``::ffff:a.b.c.d``) is its IPv4 network.

Rows keep only a keyed fingerprint of the network (``network_key``): equal networks give
equal keys, and the key does not tell the address.
"""

import ipaddress

from django.utils.crypto import salted_hmac

from newsdesk.core.clientaddr import IPV6_CLIENT_PREFIX, address_parse

IPV4_PREFIX = 24
IPV6_PREFIX = IPV6_CLIENT_PREFIX  # the block rate limits count an IPv6 reader by
_KEY_SALT = "newsdesk.discussion.network"


def network_of(address: str) -> str:
    """``address``'s network as CIDR text ("192.0.2.0/24", "2001:db8:1:2::/64"), or ""
    for an empty or unparsable address."""
    ip = address_parse(address or "")  # an IPv4-mapped address comes back as its IPv4
    if ip is None:
        return ""
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def network_key(address: str) -> str:
    """A keyed fingerprint of ``address``'s network (32 hex characters), or "" when the
    address is unknown (content the site loads itself, which is counted per reader)."""
    network = network_of(address)
    if not network:
        return ""
    return salted_hmac(_KEY_SALT, network, algorithm="sha256").hexdigest()[:32]

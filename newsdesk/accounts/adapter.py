"""The project's allauth adapter: allauth counts its sign-in, sign-up and password-reset
limits (and the failed sign-in lock-out) per client address, and must see the same reader
as every other limit of the site.

allauth 65 reads the address itself (REMOTE_ADDR, or X-Forwarded-For by a proxy *count*
with ``ALLAUTH_TRUSTED_PROXY_COUNT``); neither setting is used here: the address comes from
``web/clientaddr.client_address``, which believes only the proxies of ``TRUSTED_PROXIES``.
allauth then groups IPv6 addresses by their /64 itself (``ALLAUTH_RATE_LIMIT_IPV6_PREFIX``).
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from newsdesk.core.clientaddr import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The reader's address behind trusted proxies; refuses (403), as allauth does, a
        request whose address is unknown rather than count it with every other such one."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

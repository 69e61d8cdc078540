"""The reader's own address when Vetted runs behind reverse proxies.

Behind nginx every request comes from the proxy's address. Each proxy appends the address it
saw to ``X-Forwarded-For``, so with N trusted proxies in front (``VETTED_TRUSTED_PROXY_HOPS``)
the client is the N-th entry from the right. Entries further left were written by the client
and can be forged; they are never used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the outermost trusted proxy saw it, or REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.VETTED_TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    candidate = forwarded[-hops]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


class ClientAddressMiddleware:
    """Set REMOTE_ADDR to the client's address, for every rate limit, lockout and log line.

    The original socket address stays available as ``VETTED_PROXY_ADDR``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_address(request)
        if address != request.META.get("REMOTE_ADDR", ""):
            request.META["VETTED_PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)

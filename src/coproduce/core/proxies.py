"""Requests through a trusted reverse proxy (COPRODUCE_TRUSTED_PROXIES).

Behind a proxy that ends HTTPS, every request reaches the site over plain HTTP from the proxy's address. The
proxy says what the visitor used in `X-Forwarded-Proto` and who the visitor is in `X-Forwarded-For`. Anyone can
send those headers, so they count only when the request comes *directly* from one of the proxies listed in
`COPRODUCE_TRUSTED_PROXIES` (addresses or networks, comma-separated). Then the request is HTTPS when the proxy
says so (`wsgi.url_scheme`, which Django's `request.is_secure()` reads), and the visitor's address is the one
the proxy added last (`REMOTE_ADDR`, which the sign-in limits count by). From anyone else, every forwarding
header is removed before Django sees it. Django's SECURE_PROXY_SSL_HEADER stays unset: it trusts everyone.

This is WSGI middleware around the whole site (see coproduce.wsgi), so it works under any WSGI server;
`coproduce serve` tells waitress to leave the headers to it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from waitress.proxy_headers import proxy_headers_middleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# X-Forwarded-Host is not trusted: a proxy should pass the Host header on, and many pass a visitor's own
# X-Forwarded-Host through unchanged (links in emails are built from the host).
TRUSTED_HEADERS = {"x-forwarded-proto", "x-forwarded-for"}


def parse_trusted_proxies(values: Iterable[str]) -> list[Network]:
    """'10.0.0.5, 192.168.1.0/24, ::1' -> networks. A wrong entry stops the site from starting."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"COPRODUCE_TRUSTED_PROXIES: {value!r} is not an IP address or network "
                "(write addresses such as 10.0.0.5 or networks such as 10.0.0.0/24, separated by commas)."
            ) from None
    return networks


def is_trusted(address: str, networks: list[Network]) -> bool:
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False  # e.g. a Unix socket
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def trusted_proxies_middleware(app: Callable, proxies: Iterable[str]) -> Callable:
    networks = parse_trusted_proxies(proxies)
    trusting = proxy_headers_middleware(
        app, trusted_proxy="*", trusted_proxy_count=1, trusted_proxy_headers=TRUSTED_HEADERS
    )
    distrusting = proxy_headers_middleware(app, trusted_proxy=None, clear_untrusted=True)

    def middleware(environ, start_response):
        # Some WSGI callers (test clients, a unix socket) send no peer address: then no proxy is trusted.
        environ.setdefault("REMOTE_ADDR", "")
        if is_trusted(environ["REMOTE_ADDR"], networks):
            return trusting(environ, start_response)
        return distrusting(environ, start_response)

    return middleware

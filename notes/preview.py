"""Which note covers a page may show. A cover is an address the content platform sent; a page shows it only when
its origin is one of `settings.CONTENT_IMAGE_HOSTS` — the hosts the Content Security Policy's img-src allows — or
a path on this site (the demo's covers, under /static/; the ingest refuses anything but http(s) addresses), and
the placeholder otherwise, so a stored address can never trip the policy."""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=8)
def _allowed(hosts: tuple[str, ...]) -> tuple[tuple[str, str, int], ...]:
    """(scheme, host, port) of each configured origin; a host `*.example.com` stands for its subdomains."""
    allowed = []
    for origin in hosts:
        try:
            parts = urlsplit(origin.strip())
            port = parts.port
        except ValueError:
            continue
        if parts.scheme.lower() in DEFAULT_PORTS and parts.hostname:
            scheme = parts.scheme.lower()
            allowed.append((scheme, parts.hostname, port or DEFAULT_PORTS[scheme]))
    return tuple(allowed)


def _matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def cover_src(url: str) -> str:
    """`url` when a page may load it, else ""."""
    if not url:
        return ""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url  # this site's own ('self')
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in DEFAULT_PORTS or not host or parts.username or parts.password:
        return ""
    port = port or DEFAULT_PORTS[scheme]
    for allowed_scheme, pattern, allowed_port in _allowed(tuple(settings.CONTENT_IMAGE_HOSTS)):
        if scheme == allowed_scheme and port == allowed_port and _matches(pattern, host):
            return url
    return ""

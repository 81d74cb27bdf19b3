"""Which document a web page is: its canonical URL, normalised, names it.

An AMP or print variant that points at the same canonical URL gets the same id, so adding it
again updates the document instead of adding a copy; tracking parameters and fragments never
make a new document either.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from assistant.errors import DocumentError

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Query parameters that say how a reader arrived, not what they read.
_TRACKING = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|_ga|_gl)$",
    re.IGNORECASE,
)
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_ID_LIMIT = 128  # uploads.ID_PATTERN
_SITE_PREFIXES = ("www.", "amp.", "m.", "mobile.", "print.")


def normalise_url(url: str) -> str:
    """`url` with scheme and host in lower case, no default port, fragment, credentials or
    tracking parameters (utm_*, fbclid, gclid…); the rest of the query is kept byte for byte."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise DocumentError(f"not a valid URL: {url[:200]!r}") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        raise DocumentError(f"not an http(s) URL: {url[:200]!r}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    kept = [p for p in parts.query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0])]
    return urlunsplit((scheme, netloc, parts.path or "/", "&".join(kept), ""))


def slug(text: str) -> str:
    """Letters and digits joined by `-`: "The Vellmark Courier" → "the-vellmark-courier"."""
    return _SLUG_UNSAFE.sub("-", text.lower()).strip("-")


def site_host(url: str) -> str:
    """The host a reader would name: lower case, without `www.` and the like."""
    host = (urlsplit(url).hostname or "").lower()
    for prefix in _SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host


def same_site(url: str, other: str) -> bool:
    """True when one host is the other or a subdomain of it (`amp.x.example` / `www.x.example`).

    A page may only name a canonical URL on its own site: otherwise any page could claim to
    be another outlet's article and replace it.
    """
    a, b = site_host(url), site_host(other)
    return bool(a and b) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def document_id_for_url(url: str) -> str:
    """`web-<host>-<path slug>-<8 hex of sha1(normalised url)>`: stable, readable, ≤ 128 chars,
    and a valid upload id (letters, digits and `-` only)."""
    normal = normalise_url(url)
    digest = hashlib.sha1(normal.encode("utf-8")).hexdigest()[:8]
    host = slug(site_host(normal))[:60].strip("-")
    room = _ID_LIMIT - len("web-") - len(host) - len(digest) - 2
    path = slug(urlsplit(normal).path)[: max(room - 1, 0)].strip("-")
    return "-".join(part for part in ("web", host, path, digest) if part)

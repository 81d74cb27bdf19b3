"""Which URLs Briefing may fetch: the server fetches URLs its clients name, so it must not become
a proxy into its own network (SSRF).

Two checks, both needed:

* `check_url`, before any request and again for every redirect: http(s) only, a host, no
  credentials in the URL, a port from the allow-list.
* `checked_addresses`, at connect time (the fetcher's network backend calls it): every address the
  host resolves to must be public. The connection then goes to one of *those* addresses, so a DNS
  answer that changes between a check and the connect (rebinding) cannot slip through: there is
  only one answer, and it is the one checked.

"Public" is `ipaddress`'s `is_global` and not multicast, with IPv4 addresses embedded in IPv6
(mapped, NAT64, 6to4, Teredo) judged as the IPv4 address they carry. That refuses loopback,
RFC 1918, link-local (169.254.169.254, the cloud metadata address), carrier-grade NAT, ULA,
documentation and benchmark ranges. `allow_private` lifts the address rule; `trusted` lifts it
for named addresses only (`10.1.0.0/16`, `127.0.0.1:8765`): an intranet, or a test's own server.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from assistant.config import Settings
from assistant.errors import ConfigError, FetchFailed, FetchRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: host, port → the addresses a connection may use (socket.getaddrinfo's, by default).
Resolver = Callable[[str, int], Sequence[str]]

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_SCHEMES = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Trusted:
    """An address range (and optionally one port) fetched even though it is not public."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None = None

    @classmethod
    def parse(cls, entry: str) -> Trusted:
        text = entry.strip()
        port: int | None = None
        if text.startswith("["):  # [::1]:8080
            host, _, rest = text[1:].partition("]")
            text, port = host, int(rest[1:]) if rest.startswith(":") else None
        elif text.count(":") == 1:  # 127.0.0.1:8765
            text, port_text = text.split(":")
            port = int(port_text)
        return cls(ipaddress.ip_network(text, strict=False), port)

    def admits(self, address: IPAddress, port: int) -> bool:
        return address in self.network and (self.port is None or self.port == port)


@dataclass(frozen=True)
class FetchPolicy:
    ports: frozenset[int]
    allow_private: bool = False
    trusted: tuple[Trusted, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        try:
            trusted = tuple(Trusted.parse(t) for t in settings.fetch_trusted_addresses)
        except ValueError as exc:
            raise ConfigError(f"BRIEFING_FETCH_TRUSTED_ADDRESSES: {exc}") from None
        return cls(frozenset(settings.fetch_ports), settings.fetch_allow_private, trusted)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6), in the system's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"{host} does not resolve ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str, policy: FetchPolicy) -> SplitResult:
    """The parsed URL when its form may be fetched; FetchRefused saying why otherwise."""
    shown = url if len(url) <= 200 else url[:200] + "…"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused(f"{shown!r} is not a valid URL") from None
    if parts.scheme.lower() not in _SCHEMES:
        raise FetchRefused(f"{shown!r}: only http and https URLs are fetched")
    if not parts.hostname:
        raise FetchRefused(f"{shown!r} names no host")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(f"{shown!r}: URLs with credentials in them are not fetched")
    port = port or _SCHEMES[parts.scheme.lower()]
    if port not in policy.ports:
        allowed = ", ".join(str(p) for p in sorted(policy.ports))
        raise FetchRefused(
            f"{shown!r}: port {port} is not one Briefing fetches from (allowed: {allowed}; "
            "BRIEFING_FETCH_PORTS)"
        )
    return parts


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def why_not_public(address: IPAddress) -> str | None:
    """None for a public unicast address; else what it is."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = why_not_public(inner)
            return f"{reason} (inside {address})" if reason else None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata services live there)"
    if address.is_multicast:
        return "a multicast address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_private:
        return "a private network address"
    if not address.is_global:
        return "not a public address"
    return None


def checked_addresses(
    host: str, port: int, policy: FetchPolicy, resolve: Resolver = system_resolver
) -> list[IPAddress]:
    """The addresses a connection to host:port may use: all of them must pass, or none does
    (an attacker's name may answer one public and one private address)."""
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
    if not addresses:
        raise FetchFailed(f"{host} does not resolve")
    if policy.allow_private:
        return addresses
    for address in addresses:
        if any(t.admits(address, port) for t in policy.trusted):
            continue
        reason = why_not_public(address)
        if reason:
            shown = host if host == str(address) else f"{host} ({address})"
            raise FetchRefused(
                f"{shown} is {reason}: Briefing does not fetch from internal networks "
                "(BRIEFING_FETCH_ALLOW_PRIVATE=true allows it on a trusted network)"
            )
    return addresses

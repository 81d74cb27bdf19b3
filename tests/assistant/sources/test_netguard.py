"""The SSRF policy on its own: URL forms and resolved addresses (no network needed)."""

from __future__ import annotations

import ipaddress

import pytest

from assistant.errors import ConfigError, FetchRefused
from assistant.sources.netguard import (
    FetchPolicy,
    Trusted,
    check_url,
    checked_addresses,
    why_not_public,
)
from tests.conftest import make_settings

POLICY = FetchPolicy(ports=frozenset({80, 443}))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://news.example/a", "only http and https"),
        ("gopher://news.example:70/", "only http and https"),
        ("http:///path-only", "names no host"),
        ("http://user:secret@news.example/", "credentials"),
        ("http://news.example:22/", "port 22"),
        ("https://news.example:6379/", "port 6379"),
        ("http://news.example:99999/", "not a valid URL"),
    ],
)
def test_url_forms_that_are_never_fetched(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused, match=reason):
        check_url(url, POLICY)


def test_default_ports_come_from_the_scheme() -> None:
    assert check_url("https://news.example/a?b=1", POLICY).hostname == "news.example"
    assert check_url("http://NEWS.example/", POLICY).hostname == "news.example"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "::1", "10.0.0.1", "10.255.1.2", "172.16.0.1",
        "172.31.255.254", "192.168.1.1", "169.254.169.254", "fe80::1", "fd00:ec2::254",
        "100.64.0.1", "0.0.0.0", "::", "224.0.0.1", "239.255.255.250", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
        "198.18.0.1", "192.0.2.10",
    ],
)  # fmt: skip
def test_internal_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert why_not_public(ip)
    with pytest.raises(FetchRefused, match="internal networks"):
        checked_addresses("name.example", 80, POLICY, lambda h, p: [address])


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::6810:84e5"])
def test_public_addresses_pass(address: str) -> None:
    assert checked_addresses("news.example", 443, POLICY, lambda h, p: [address]) == [
        ipaddress.ip_address(address)
    ]


def test_one_private_answer_among_public_ones_refuses_the_name() -> None:
    with pytest.raises(FetchRefused, match=r"10\.0\.0\.7"):
        checked_addresses("mixed.example", 80, POLICY, lambda h, p: ["8.8.8.8", "10.0.0.7"])


def test_allow_private_and_trusted_addresses() -> None:
    anything = FetchPolicy(ports=frozenset({80}), allow_private=True)
    assert checked_addresses("x", 80, anything, lambda h, p: ["10.0.0.7"])
    one = FetchPolicy(frozenset({8765}), trusted=(Trusted.parse("127.0.0.1:8765"),))
    assert checked_addresses("x", 8765, one, lambda h, p: ["127.0.0.1"])
    with pytest.raises(FetchRefused):  # the same address on another port is not trusted
        checked_addresses("x", 8766, one, lambda h, p: ["127.0.0.1"])
    net = FetchPolicy(frozenset({80}), trusted=(Trusted.parse("10.1.0.0/16"),))
    assert checked_addresses("x", 80, net, lambda h, p: ["10.1.2.3"])
    with pytest.raises(FetchRefused):
        checked_addresses("x", 80, net, lambda h, p: ["10.2.0.1"])
    assert Trusted.parse("[::1]:8080") == Trusted(ipaddress.ip_network("::1/128"), 8080)


def test_policy_from_settings(tmp_path: object) -> None:
    from pathlib import Path

    settings = make_settings(
        Path(str(tmp_path)), fetch_ports="80,8080", fetch_trusted_addresses="10.0.0.0/8"
    )
    policy = FetchPolicy.from_settings(settings)
    assert policy.ports == {80, 8080} and not policy.allow_private
    assert policy.trusted[0].admits(ipaddress.ip_address("10.9.9.9"), 1234)
    bad = make_settings(Path(str(tmp_path)), fetch_trusted_addresses="not-an-address")
    with pytest.raises(ConfigError, match="FETCH_TRUSTED_ADDRESSES"):
        FetchPolicy.from_settings(bad)

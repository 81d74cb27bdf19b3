"""One document per canonical URL: normalisation and ids."""

from __future__ import annotations

import pytest

from assistant.errors import DocumentError
from assistant.intake.identity import document_id_for_url, normalise_url, same_site
from assistant.intake.uploads import check_id


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://WWW.Example.COM/News/A?b=1#top", "https://www.example.com/News/A?b=1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a?utm_source=x&id=7&UTM_Medium=y&fbclid=z&gclid=q",
         "https://example.com/a?id=7"),
        ("https://example.com/a?q=caf%C3%A9+au+lait&x=a%2Fb", "https://example.com/a?q=caf%C3%A9+au+lait&x=a%2Fb"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
    ],
)  # fmt: skip
def test_normalise_url(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "example.com/a", "https:///a", "http://x:99999/"]
)
def test_not_a_web_url(url: str) -> None:
    with pytest.raises(DocumentError):
        normalise_url(url)


def test_the_same_page_gets_the_same_id_however_it_was_linked() -> None:
    ids = {
        document_id_for_url(url)
        for url in (
            "https://www.vellmark-courier.example/news/2026/03/strike",
            "https://WWW.vellmark-courier.example:443/news/2026/03/strike#comments",
            "https://www.vellmark-courier.example/news/2026/03/strike?utm_source=feed",
        )
    }
    (doc_id,) = ids
    assert doc_id.startswith("web-vellmark-courier-example-news-2026-03-strike-")
    assert check_id(doc_id) == doc_id
    assert document_id_for_url("https://www.vellmark-courier.example/news/2026/03/other") != doc_id
    assert document_id_for_url("http://www.vellmark-courier.example/news/2026/03/strike") != doc_id


def test_long_urls_still_make_valid_ids() -> None:
    url = "https://" + "sub." * 30 + "example.com/" + "/".join(["section"] * 40) + "?page=2"
    doc_id = document_id_for_url(url)
    assert len(doc_id) <= 128 and check_id(doc_id) == doc_id
    assert document_id_for_url(url.replace("page=2", "page=3")) != doc_id


def test_same_site() -> None:
    assert same_site("https://amp.outlet.example/a", "https://www.outlet.example/a")
    assert same_site("https://outlet.example/a", "https://news.outlet.example/b")
    assert not same_site("https://copycat.example/a", "https://outlet.example/a")
    assert not same_site("https://evil-outlet.example/a", "https://outlet.example/a")

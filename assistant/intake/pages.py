"""A fetched web page → `Document`: the article's own text and metadata, nothing around it.

trafilatura finds the main text (navigation, related links, comments, cookie banners and share
lines are left out) and the metadata: title, publication date, author, site name. What a reader
would not see is dropped first, as for uploads (`documents.drop_hidden`), so instructions hidden
in a page never reach the answerer. Paragraphs and headings become blank-line separated blocks:
headings stay apart from the statements the answerer quotes.

The id comes from the canonical URL (`identity`): an AMP or print variant naming the same
canonical URL is the same document. Dates are only taken from what the page states (meta tags,
JSON-LD, the URL), never guessed from its text: an undated page stays undated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.message import Message
from typing import Any
from urllib.parse import urljoin

from assistant.errors import DocumentError, FetchFailed
from assistant.intake.documents import drop_hidden
from assistant.intake.identity import (
    document_id_for_url,
    normalise_url,
    same_site,
    site_host,
    slug,
)
from assistant.types import Document

_BULLET = re.compile(r"^(?:[-*•▪◦]\s+)")
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_TOKEN = re.compile(r"[a-z0-9]+")
_TITLE_PARTS = re.compile(r"\s+[-|–—·:]{1,2}\s+")
#: Elements that are site furniture whatever the page: never part of an article.
_CHROME_TAGS = ("nav", "footer", "aside", "form", "button", "select", "dialog", "header")
#: class/id words of site furniture (whole words: "ad" is not "header" or "shadow").
_CHROME_WORDS = frozenset(
    """nav navbar menu breadcrumb breadcrumbs cookie cookies consent gdpr newsletter subscribe
    signup share sharing social related promo advert advertisement ad ads sponsored comments
    comment disqus feedback masthead tagline topbar header footer sidebar widget onward bio
    outbrain taboola""".split()
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: Stated dates only (meta, JSON-LD, <time>, the URL); never guessed from the running text.
_DATES: dict[str, Any] = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True)
class Page:
    """A read page: the document, plus what `Document` has no field for."""

    document: Document
    author: str | None  # "Ilsa Merrow" (trafilatura joins several with "; ")
    site_name: str | None  # as the page names itself; `document.source` falls back to the host
    canonical_url: str  # normalised; the fetched URL when the page names none on its site


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset if isinstance(charset, str) else None


def _canonical(soup: Any, url: str) -> str:
    """The page's canonical URL (`<link rel=canonical>`, else `og:url`) when it is on the same
    site as the fetched one, else the fetched URL; normalised either way."""
    candidates = [
        tag.get("href")
        for tag in soup.find_all("link", href=True)
        if "canonical" in [str(r).lower() for r in (tag.get("rel") or [])]
    ]
    candidates += [
        tag.get("content") for tag in soup.find_all("meta", content=True)
        if str(tag.get("property") or tag.get("name") or "").lower() == "og:url"
    ]  # fmt: skip
    for href in candidates:
        absolute = urljoin(url, str(href).strip())
        if absolute.lower().startswith(("http://", "https://")) and same_site(absolute, url):
            try:
                return normalise_url(absolute)
            except DocumentError:
                continue
    return normalise_url(url)


def _prune_chrome(soup: Any) -> None:
    """Drop navigation, banners, share and newsletter boxes, related links and comments by
    their tag or class/id words — trafilatura's own rules miss some. An element holding the
    headline is kept, and so is one picked by its words alone that holds much of the page's
    text (the article itself may be in a `share-enabled` wrapper)."""
    total = len(soup.get_text(" ", strip=True)) or 1
    doomed: list[tuple[Any, bool]] = []
    for tag in soup.find_all(True):
        if tag.name in ("html", "body", "main", "article"):
            continue
        named = " ".join([*tag.get("class", []), str(tag.get("id", ""))]).lower()
        words = set(_TOKEN.findall(named))
        if tag.name in _CHROME_TAGS or words & _CHROME_WORDS:
            doomed.append((tag, tag.name in _CHROME_TAGS))
    for tag, by_name in doomed:
        if tag.decomposed or tag.find(["h1", "article", "main"]):
            continue
        if not by_name and len(tag.get_text(" ", strip=True)) > 0.4 * total:
            continue
        tag.decompose()


_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "ul", "ol", "table", "article")


def _unwrap_layout_tables(soup: Any) -> None:
    """Old sites lay whole pages out in tables; read as data, the page would become one
    "cell | cell" line. A table whose cells hold paragraphs, headings or other blocks is
    layout: each cell becomes a block of its own, in order. Data tables are left alone."""
    for table in reversed(soup.find_all("table")):  # innermost first
        cells = table.find_all(["td", "th"])
        if not any(cell.find(_BLOCKS) for cell in cells):
            continue
        blocks = []
        for cell in cells:
            if cell.find_parent("table") is table:
                cell.name = "div"
                blocks.append(cell.extract())
        for block in reversed(blocks):
            table.insert_after(block)
        table.decompose()


def _title(meta_title: str | None, page_title: str, names: set[str]) -> str | None:
    """trafilatura's title, unless that is only the site's name ("Dunmore Herald - New hospital
    wing opens" split on the wrong side): then the other part of the page's `<title>`."""
    meta_title = " ".join((meta_title or "").split())
    if meta_title and slug(meta_title) not in names:
        return meta_title
    parts = _TITLE_PARTS.split(" ".join(page_title.split()))
    return next((p for p in parts if p and slug(p) not in names), meta_title or None)


def _visible_blocks(soup: Any) -> set[str]:
    return {" ".join(t.get_text(" ").split()) for t in soup.find_all(["p", "div", "h2", "h3"])}


def _lead(soup: Any, title: str | None, description: str | None) -> list[str]:
    """The headline (the `<h1>` when it matches the title) and the standfirst (the
    description), when the page shows them: extractors often leave both out, since they sit
    above the article body. Only visible text: never a title or description that is not shown."""
    h1 = soup.find("h1")
    heading = " ".join(h1.get_text(" ").split()) if h1 else ""
    title = " ".join((title or "").split())
    shown = _visible_blocks(soup)
    if not (heading and (not title or heading in title or title in heading)):
        heading = title if title in shown else ""
    description = " ".join((description or "").split())
    return [line for line in (heading, description if description in shown else "") if line]


def _is_byline(line: str, author: str | None) -> bool:
    """A short line naming the author that is not a sentence: "By Ilsa Merrow, Transport
    correspondent", "Ilsa Merrow, 14 March 2026"."""
    names = [re.escape(a.strip()) for a in (author or "").split(";") if a.strip()]
    if not names or len(line) > 100 or line.rstrip("\"'”’)").endswith((".", "!", "?")):
        return False
    return bool(re.match(rf"(?:(?:reporting |written |words |text )?by\s+)?(?:{'|'.join(names)})\b",
                         line, re.IGNORECASE))  # fmt: skip


def _table_row(line: str) -> str:
    """A table row as a line: "| Varrow | 29% |" → "Varrow | 29%" (empty cells dropped)."""
    if not line.startswith("|"):
        return line
    return " | ".join(cell.strip() for cell in line.strip("|").split("|") if cell.strip())


def _paragraphs(extracted: str, lead: list[str], author: str | None) -> str:
    """trafilatura's lines (one per block) as blank-line separated paragraphs, after the lead
    (headline, standfirst) it left out; bylines and table rules dropped."""
    lines = [" ".join(_CONTROLS.sub(" ", line).split()) for line in extracted.splitlines()]
    lines = [
        _table_row(_BULLET.sub("", line))
        for line in lines
        if line and not _TABLE_RULE.match(line) and not _is_byline(line, author)
    ]
    if lines:
        lines = [line for line in lead if line not in lines] + lines
    return "\n\n".join(line for line in lines if line)


def _published(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def read_page(body: bytes, url: str, *, content_type: str | None = None) -> Page:
    """The article on a fetched page; `FetchFailed` when there is none.

    `content_type` (the response header) only supplies the charset; the page's own
    `<meta charset>` and the bytes decide otherwise.
    """
    import trafilatura
    from bs4 import BeautifulSoup

    if not body.strip():
        raise FetchFailed(f"{url} sent an empty page")
    soup = BeautifulSoup(body, "html.parser", from_encoding=_charset(content_type))
    canonical = _canonical(soup, url)
    page_title = soup.title.get_text(" ") if soup.title else ""
    meta = trafilatura.extract_metadata(
        str(soup), default_url=canonical, date_config=_DATES, extensive=False
    )
    host = site_host(canonical)
    site_name = " ".join((meta.sitename or "").split()) or None
    if site_name and site_name.lower() in (host, meta.hostname):
        site_name = None  # trafilatura's last resort is the host: not a name the site gave
    names = {slug(site_name or ""), slug(host.split(".")[0])} - {""}
    title = _title(meta.title, page_title, names)
    author = " ".join((meta.author or "").split()) or None
    drop_hidden(soup)  # before extraction: nothing a reader cannot see reaches the text
    lead = _lead(soup, title, meta.description)
    _unwrap_layout_tables(soup)
    _prune_chrome(soup)
    extracted = trafilatura.bare_extraction(
        str(soup), url=canonical, include_comments=False, include_tables=True,
        include_images=False, include_links=False, with_metadata=False, favor_recall=True,
        date_extraction_params=_DATES,
    )  # fmt: skip
    text = _paragraphs(getattr(extracted, "text", None) or "", lead, author)
    if not text:
        raise FetchFailed(f"no article text found on {url}")
    document = Document(
        id=document_id_for_url(canonical),
        title=" ".join(_CONTROLS.sub(" ", title or text.split("\n", 1)[0]).split())[:500],
        text=text,
        source=site_name or host,
        published=_published(meta.date),
        url=canonical,
    )
    return Page(document, author, site_name, canonical)


def page_document(body: bytes, url: str, *, content_type: str | None = None) -> Document:
    """`read_page(...).document`: what gets ingested."""
    return read_page(body, url, content_type=content_type).document

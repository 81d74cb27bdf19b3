"""Fictional article pages for intake tests (the outlets, people and events are invented)."""

from __future__ import annotations


def article(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str | None = None,
    published: str = "2026-11-30",
    site: str = "Harbour Ledger",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html><head><title>{title} | {site}</title>{link}
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>{title}</h1><p class="byline">By Mira Castellane</p>
{body}
</article>
<aside><h3>Related stories</h3><ul><li><a href="/x">Ferry fares rise again</a></li></ul></aside>
<footer>Copyright 2026 {site}. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


QUAY = article(
    "Port of Vellmar reopens the north quay",
    [
        "The Port of Vellmar reopened its north quay on Monday after six weeks of repairs "
        "that cost 14 million crowns, the harbour authority said.",
        "Harbour master Ilse Brandvold said the quay would handle 40 container ships a month "
        "once the new cranes are certified in January.",
        "Shipping firms had diverted cargo to the southern terminal during the closure, "
        "adding two days to average delivery times across the region.",
    ],
)

TARIFF = article(
    "Orland cuts its steel tariff to 9 percent",
    [
        "The government of Orland cut its tariff on imported steel from 15 percent to 9 "
        "percent on Tuesday, trade minister Tobias Renqvist announced.",
        "Renqvist said the cut would lower building costs and that the rate would be reviewed "
        "again in March 2027.",
        "Steelworkers' unions criticised the decision and called for a protest in the capital "
        "on Saturday.",
    ],
)

"""Getting sources in beyond the corpus folder: pages by URL, PDFs and Office files, feeds.

netguard  which URLs may be fetched at all (SSRF policy: scheme, port, resolved addresses)
fetcher   safe HTTP: pinned addresses, re-checked redirects, size cap, robots.txt, per-host pace
identity  a page's document id from its canonical URL (normalised: no tracking parameters)
pages     a fetched web page → Document (trafilatura: main text, title, date, author, site)
pdfs      PDF → Document (text per page, page breaks kept as form feeds for citations)
office    .docx → Document
adding    `briefing add` / `POST /documents {"urls"}`: URLs and files → per-item outcomes
feeds     followed RSS/Atom feeds and their runs (SQLite, next to `origins`)
polling   one poll: conditional GET, new entries added as pages, "what changed" briefing
poller    the background thread of `briefing serve` (one per data directory)
"""

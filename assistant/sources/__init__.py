"""Where documents come from beyond the corpus folder: pages by URL and followed feeds.

netguard  which URLs may be fetched at all (SSRF policy: scheme, port, resolved addresses)
fetcher   safe HTTP: pinned addresses, re-checked redirects, size cap, robots.txt, per-host pace
robots    robots.txt rules
origins   where each added document came from (URL, feed), kept in the database
adding    `briefing add` / `POST /documents {"urls"}`: URLs and files → per-item outcomes
feeds     followed RSS/Atom feeds and their runs
polling   one poll: conditional GET, new entries added as pages, "what changed" briefing
poller    the background thread of `briefing serve` (one per data directory)

Above the façade: adding and polling hand what they read to an `Assistant`.
"""

"""Markdown and standalone HTML renderings of a Briefing (citations become footnotes)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from assistant.types import Briefing, BriefingChanges, BriefingItem, Citation, SourceRef

_MARKER = re.compile(r"\s?\[(\d+)\]")


class _Notes:
    """Global footnote numbers for per-item citation markers."""

    def __init__(self) -> None:
        self.notes: list[Citation] = []

    def add(self, citation: Citation) -> int:
        self.notes.append(citation)
        return len(self.notes)

    def relink(self, item: BriefingItem, ref: Callable[[int], str]) -> str:
        numbers = {c.marker: self.add(c) for c in item.citations}
        return _MARKER.sub(lambda m: ref(numbers[int(m.group(1))]), item.text)


def _meta(briefing: Briefing) -> str:
    parts = [f"Generated {briefing.generated_at}"] if briefing.generated_at else []
    if briefing.id:
        parts.append(f"briefing {briefing.id}")
    parts.append(f"{len(briefing.sources)} source(s)")
    return " · ".join(parts)


def _change_lines(changes: BriefingChanges) -> list[str]:
    lines = []
    docs = [
        ("added", changes.documents_added),
        ("edited", changes.documents_changed),
        ("removed", changes.documents_removed),
    ]
    for label, ids in docs:
        if ids:
            lines.append(f"Documents {label}: {', '.join(ids)}")
    for c in changes.new:
        lines.append(f"New ({c.section}): {_MARKER.sub('', c.after or '')}")
    for c in changes.changed:
        before, after = _MARKER.sub("", c.before or ""), _MARKER.sub("", c.after or "")
        lines.append(f"Changed ({c.section}): {before} → {after}")
    for c in changes.no_longer_supported:
        lines.append(f"No longer supported ({c.section}): {_MARKER.sub('', c.before or '')}")
    return lines or ["Nothing changed."]


def _md(text: str) -> str:
    """Source text is data: keep Markdown viewers from rendering any HTML it carries."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def briefing_to_markdown(briefing: Briefing) -> str:
    """Markdown with every document-derived string HTML-escaped (raw HTML renders in viewers)."""
    notes = _Notes()
    lines = [f"# {_md(briefing.headline)}", "", f"_{_meta(briefing)}_", ""]
    for section in briefing.sections:
        lines += [f"## {_md(section.heading)}", ""]
        if not section.items:
            lines += ["_Nothing in the sources for this section._", ""]
            continue
        if section.key == "figures":
            lines += ["| Figure | What it measures | Status | Source |", "|---|---|---|---|"]
            for item in section.items:
                refs = "".join(f"[^{notes.add(c)}]" for c in item.citations)
                f = item.figure
                cells = [f.value, f.measure, f.status or "—"] if f else [item.text, "", ""]
                cells = [_md(c).replace("|", "\\|") for c in cells]
                lines.append(f"| {' | '.join(cells)} | {refs} |")
        else:
            for item in section.items:
                escaped = BriefingItem(_md(item.text), item.citations)
                lines.append(f"- {notes.relink(escaped, lambda n: f'[^{n}]')}")
        lines.append("")
    if briefing.changes:
        lines += [f"## What changed since {briefing.changes.since_id}", ""]
        lines += [f"- {_md(line)}" for line in _change_lines(briefing.changes)] + [""]
    lines += ["## Sources", ""]
    for s in briefing.sources:
        meta = _source_meta(s)
        lines.append(f"- **{_md(s.title)}** ({_md(s.doc_id)}){' — ' + _md(meta) if meta else ''}")
    lines.append("")
    for n, c in enumerate(notes.notes, start=1):
        lines.append(
            f'[^{n}]: "{_md(c.quote)}" — {_md(c.title)} ({_md(c.doc_id)}, {_page(c)}chars '
            f"{c.start}–{c.end})"
        )
    return "\n".join(lines) + "\n"


_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
color:#1d1d1f}h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.9rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
sup a{text-decoration:none}.notes{font-size:.85rem;color:#444}.empty{color:#888;font-style:italic}
"""


def briefing_to_html(briefing: Briefing) -> str:
    """A self-contained page: no scripts, no external resources, all text escaped."""
    notes = _Notes()
    esc = html.escape

    def ref(n: int) -> str:
        return f'<sup><a href="#note-{n}" id="ref-{n}">{n}</a></sup>'

    def cited(item: BriefingItem) -> str:
        # escape first, then turn the (escaped-safe) [n] markers into links
        escaped = BriefingItem(esc(item.text), item.citations)
        return notes.relink(escaped, ref)

    body = [f"<h1>{esc(briefing.headline)}</h1>", f'<p class="meta">{esc(_meta(briefing))}</p>']
    for section in briefing.sections:
        body.append(f"<h2>{esc(section.heading)}</h2>")
        if not section.items:
            body.append('<p class="empty">Nothing in the sources for this section.</p>')
        elif section.key == "figures":
            rows = [
                "<tr><th>Figure</th><th>What it measures</th><th>Status</th><th>Source</th></tr>"
            ]
            for item in section.items:
                f = item.figure
                cells = [f.value, f.measure, f.status or "—"] if f else [item.text, "", ""]
                refs = "".join(ref(notes.add(c)) for c in item.citations)
                rows.append(
                    "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + f"<td>{refs}</td></tr>"
                )
            body.append("<table>" + "".join(rows) + "</table>")
        else:
            body.append("<ul>" + "".join(f"<li>{cited(i)}</li>" for i in section.items) + "</ul>")
    if briefing.changes:
        body.append(f"<h2>What changed since {esc(briefing.changes.since_id)}</h2>")
        body.append(
            "<ul>"
            + "".join(f"<li>{esc(x)}</li>" for x in _change_lines(briefing.changes))
            + "</ul>"
        )
    body.append("<h2>Sources</h2><ul>")
    for s in briefing.sources:
        meta = _source_meta(s)
        body.append(f"<li><strong>{esc(s.title)}</strong> ({esc(s.doc_id)}) {esc(meta)}</li>")
    body.append('</ul><ol class="notes">')
    for n, c in enumerate(notes.notes, start=1):
        body.append(
            f'<li id="note-{n}">“{esc(c.quote)}” — {esc(c.title)} ({esc(c.doc_id)}, '
            f'{_page(c)}chars {c.start}–{c.end}) <a href="#ref-{n}">↩</a></li>'
        )
    body.append("</ol>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(briefing.headline)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _page(citation: Citation) -> str:
    return f"p. {citation.page}, " if citation.page else ""


def _source_meta(source: SourceRef) -> str:
    """Publisher, date and address, whichever the source has."""
    published = source.published.isoformat() if source.published else None
    return ", ".join(x for x in (source.source, published, source.url) if x)

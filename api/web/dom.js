// Building the page from untrusted text. Answers, quotes, titles and document text only ever
// reach the DOM as text nodes (`append(string)`, `textContent`) and are never parsed as HTML,
// so a document containing <script> or onerror= is shown as the characters it contains.

// el("p", {class: "x", onclick: fn}, "text", child) → <p class="x">text…</p>
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  // append() turns strings into text nodes; null/false children are skipped.
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const MARKER = /\[(\d+)\]/g;

// Text with `[n]` markers → text nodes and a chip <button> per marker that has a citation.
// A marker without a citation (should not happen: the API guarantees them) stays plain text.
export function citedText(text, citations, open) {
  const byMarker = new Map(citations.map((c) => [c.marker, c]));
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    const citation = byMarker.get(Number(match[1]));
    if (!citation) continue;
    fragment.append(text.slice(last, match.index), chip(citation, open));
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

// ", p. 3" for a citation from a PDF page; "" otherwise.
export const pageOf = (citation) => (citation.page ? `, p. ${citation.page}` : "");

export function chip(citation, open) {
  return el(
    "button",
    {
      type: "button",
      class: "chip",
      "data-marker": citation.marker,
      "data-doc": citation.doc_id,
      title: `${citation.title}${pageOf(citation)}: “${citation.quote}”`,
      "aria-label": `Source ${citation.marker}: ${citation.title}${pageOf(citation)}`,
      onclick: (event) => open(citation, event.currentTarget),
    },
    String(citation.marker),
  );
}

export function showLoading(box, message) {
  box.replaceChildren(
    el("p", { class: "status loading", role: "status" }, el("span", { class: "spinner" }), message),
  );
}

export function showError(box, error, hint) {
  box.replaceChildren(
    el(
      "p",
      { class: "status error", role: "alert" },
      el("strong", {}, "Something went wrong. "),
      error.message || String(error),
      hint ? el("span", { class: "hint" }, " ", hint) : null,
    ),
  );
}

export function showNote(box, message) {
  box.replaceChildren(el("p", { class: "status" }, message));
}

export function clear(box) {
  box.replaceChildren();
}

// "2025-04-16" → "16 Apr 2025" (dates are calendar days: format them in UTC so no shift).
export function formatDate(iso) {
  if (!iso) return null;
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

// Only http(s) links from document metadata become links (no javascript: or data: URLs).
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// "Publisher · 16 Apr 2025 · Original ↗ · …extra" for a document or briefing source.
export function docMeta(doc, ...extra) {
  const url = safeUrl(doc.url);
  const parts = [
    doc.source,
    formatDate(doc.published),
    url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "Original ↗") : null,
    ...extra,
  ].filter(Boolean);
  return parts.flatMap((part, i) => (i ? [" · ", part] : [part]));
}

// "also published by A, B": the other copies of a syndicated story (retrieval keeps one).
export function alsoPublished(copies) {
  const names = [...new Set((copies || []).map((c) => c.source || c.title))];
  return names.length ? `also published by ${names.join(", ")}` : null;
}

export function plural(n, word) {
  return `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
}

// The source panel: a document's full text with the cited span [start, end) in a <mark>.
// On wide screens it sits beside the answer; on narrow ones it covers the page.

import { api } from "./api.js";
import { clear, docMeta, el, pageOf, plural, showError, showLoading } from "./dom.js";

const panel = document.getElementById("docview");
const kicker = document.getElementById("doc-kicker");
const title = document.getElementById("doc-title");
const meta = document.getElementById("doc-meta");
const status = document.getElementById("doc-status");
const body = document.getElementById("doc-text");
const main = document.getElementById("main");
const narrow = window.matchMedia("(max-width: 59.99rem)");

const cache = new Map(); // doc id → promise of GET /documents/{id}, fetched once per page load
let opener = null; // element to give focus back to on close
let latest = 0; // a slow fetch must not overwrite a source opened after it

function fetchDocument(id) {
  if (!cache.has(id)) {
    const request = api(`documents/${encodeURIComponent(id)}`);
    request.catch(() => cache.delete(id)); // a failed fetch may be retried
    cache.set(id, request);
  }
  return cache.get(id);
}

// Documents added or updated since: fetch them afresh next time.
export function forgetDocuments() {
  cache.clear();
}

// `target`: a citation ({doc_id, title, quote, start, end, marker}) or a document ({id, title}).
export async function openSource(target, from) {
  const id = target.doc_id ?? target.id;
  const token = ++latest;
  opener = from ?? document.activeElement;
  panel.hidden = false;
  document.body.classList.add("docview-open");
  main.inert = narrow.matches; // on a phone the panel is modal: keep Tab inside it
  kicker.textContent = target.marker ? `Source [${target.marker}]${pageOf(target)}` : "Document";
  title.textContent = target.title;
  meta.replaceChildren();
  body.replaceChildren();
  showLoading(status, "Loading the document…");
  title.focus({ preventScroll: true });

  let doc;
  try {
    doc = await fetchDocument(id);
  } catch (error) {
    if (token === latest) showError(status, error);
    return;
  }
  if (token !== latest) return;
  clear(status);
  render(doc, target.quote === undefined ? null : target);
}

function render(doc, citation) {
  title.textContent = doc.title;
  meta.replaceChildren(...docMeta(doc, plural(doc.chunk_count, "chunk")));
  body.scrollTop = 0;
  if (!citation) {
    body.replaceChildren(doc.text);
    return;
  }
  const { start, end, quote } = citation;
  if (doc.text.slice(start, end) !== quote) {
    // The contract says this cannot happen; if the document was re-ingested since the answer,
    // say so rather than highlighting the wrong words.
    status.replaceChildren(
      el("p", { class: "status error", role: "alert" },
        "The quoted passage is no longer at the cited place (the document changed since). ",
        "Quote: ", el("q", {}, quote)),
    );
    body.replaceChildren(doc.text);
    return;
  }
  const mark = el("mark", { class: "cited" }, quote);
  body.replaceChildren(doc.text.slice(0, start), mark, doc.text.slice(end));
  mark.scrollIntoView({ block: "center" });
}

export function closeSource() {
  if (panel.hidden) return;
  latest++;
  panel.hidden = true;
  document.body.classList.remove("docview-open");
  main.inert = false;
  if (opener && opener.isConnected) opener.focus();
  opener = null;
}

export function initDocview() {
  document.getElementById("doc-close").addEventListener("click", closeSource);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) closeSource();
  });
  narrow.addEventListener("change", () => {
    main.inert = narrow.matches && !panel.hidden;
  });
}

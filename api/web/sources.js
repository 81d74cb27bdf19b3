// Sources view: the "Add sources" panel, the followed feeds, and what is ingested (metadata,
// chunk counts and where each document came from); a title opens the document.

import { initAddSources, runAdding } from "./addsources.js";
import { api } from "./api.js";
import { clear, docMeta, el, formatDateTime, plural, safeUrl, showError, showLoading, showNote } from "./dom.js";
import { forgetDocuments, openSource } from "./docview.js";
import { feedName, initFeeds, loadFeeds } from "./feeds.js";

const status = document.getElementById("sources-status");
const list = document.getElementById("sources-list");
const refreshButton = document.getElementById("sources-refresh");
let loaded = false;

// "Added from <link> · 3 Dec 2026, 07:30", "From the feed Valdoria Herald", "Uploaded as x.pdf",
// "Corpus file" (a document without a recorded origin came from the corpus folder).
function origin(doc) {
  const o = doc.origin || { kind: "file" };
  const when = o.added_at ? ` · ${formatDateTime(o.added_at)}` : "";
  let what;
  if (o.kind === "url") {
    const href = safeUrl(o.detail);
    what = ["Added from ", href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }, o.detail) : o.detail || "a link"];
  } else if (o.kind === "feed") {
    what = ["From the feed ", feedName(o.detail) || (o.detail ? el("code", {}, o.detail) : "(unfollowed)")];
  } else if (o.kind === "upload") {
    what = o.detail ? ["Uploaded as ", el("code", {}, o.detail)] : ["Uploaded"];
  } else {
    what = o.detail ? ["Corpus file ", el("code", {}, o.detail)] : ["Corpus file"];
  }
  return el("p", { class: "meta origin", "data-origin": o.kind }, ...what, when);
}

function card(doc) {
  return el("li", { class: "source", "data-doc": doc.id },
    el("h4", {},
      el("button", { type: "button", class: "linklike", onclick: (event) => openSource(doc, event.currentTarget) },
        doc.title)),
    el("p", { class: "meta" }, ...docMeta(doc)),
    origin(doc),
    el("p", { class: "hint small" },
      `${plural(doc.chunk_count, "chunk")} · ${plural(doc.chars, "character")} · id `, el("code", {}, doc.id)));
}

async function refresh() {
  refreshButton.disabled = true;
  showLoading(status, "Loading the list of sources…");
  try {
    const docs = await api("documents");
    // Then the feeds (never throws): a document's origin names its feed. One after the other,
    // so a server with an API key asks for it once.
    await loadFeeds();
    loaded = true;
    list.replaceChildren(...docs.map(card));
    if (docs.length) clear(status);
    else showNote(status, "Nothing is ingested yet: add a link or a file above.");
  } catch (error) {
    showError(status, error);
  } finally {
    refreshButton.disabled = false;
  }
}

export function showSources() {
  if (!loaded) refresh();
}

export function initSources() {
  refreshButton.addEventListener("click", refresh);
  // After something was added, the documents' texts and the list have changed.
  const changed = () => {
    forgetDocuments();
    return refresh();
  };
  initAddSources(changed);
  initFeeds(runAdding);
}

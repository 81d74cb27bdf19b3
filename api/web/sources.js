// Sources view: what is ingested, with metadata and chunk counts; a title opens the document.
// There is no ingest endpoint yet, so the page says how to add sources instead of offering an
// upload control that cannot work.

import { api } from "./api.js";
import { clear, docMeta, el, plural, showError, showLoading, showNote } from "./dom.js";
import { openSource } from "./docview.js";

const status = document.getElementById("sources-status");
const list = document.getElementById("sources-list");
const refreshButton = document.getElementById("sources-refresh");
let loaded = false;

function card(doc) {
  return el("li", { class: "source", "data-doc": doc.id },
    el("h3", {},
      el("button", { type: "button", class: "linklike", onclick: (event) => openSource(doc, event.currentTarget) },
        doc.title)),
    el("p", { class: "meta" }, ...docMeta(doc)),
    el("p", { class: "hint small" },
      `${plural(doc.chunk_count, "chunk")} · ${plural(doc.chars, "character")} · id `, el("code", {}, doc.id)));
}

async function refresh() {
  refreshButton.disabled = true;
  showLoading(status, "Loading the list of sources…");
  try {
    const docs = await api("documents");
    loaded = true;
    list.replaceChildren(...docs.map(card));
    if (docs.length) clear(status);
    else showNote(status, "Nothing is ingested yet.");
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
}

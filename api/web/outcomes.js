// The "Add sources" outcome list: one row per link, file or feed, shown as pending while its
// request runs, then with what happened to it (added / updated / unchanged / refused / failed)
// and, for a document, a button that opens it. The list is an aria-live region, so the
// outcomes are announced as they land.

import { el, plural } from "./dom.js";
import { openSource } from "./docview.js";

const list = document.getElementById("add-results");
const MAX_ROWS = 50; // rows of earlier batches kept; the Sources list below is the record
let anchor = null; // the first row of the previous batch: new rows go above it

const LABELS = {
  pending: "Adding…",
  added: "Added",
  updated: "Updated",
  unchanged: "Unchanged",
  refused: "Refused",
  failed: "Failed",
  following: "Following",
  followed: "Already following",
};

const KINDS = { html: "web page", pdf: "PDF", docx: "Word document", text: "text" };

export const kindName = (detected) => KINDS[detected] ?? detected;

function badge(status) {
  return el("span", { class: `badge ${status}` },
    status === "pending" ? el("span", { class: "spinner", "aria-hidden": "true" }) : null,
    LABELS[status] ?? status);
}

// What a document outcome says after its badge: its title (or "Open" when the server gave none,
// as for uploads), which opens it; what it was read as; how many chunks were written.
export function documentDetail({ id, title, name, detected, chunksWritten, status }) {
  const parts = [];
  if (id) {
    parts.push(el("button", { type: "button", class: "linklike", "aria-label": title ? null : `Open ${name}`,
      onclick: (event) => openSource({ id, title: title || name || id }, event.currentTarget) }, title || "Open"));
  }
  if (detected) parts.push(kindName(detected));
  if (status === "unchanged") parts.push("already in the sources, nothing new");
  else if (chunksWritten !== undefined) parts.push(plural(chunksWritten, "new chunk"));
  return parts.flatMap((part, i) => (i ? [" · ", part] : [part]));
}

// A new pending row for `name` (a URL, a file name, a feed URL). Returns the row's setter:
// settle(status, detail) with detail a string (the reason) or a list of nodes.
export function pending(name, what) {
  const row = el("li", { class: "outcome", "data-status": "pending" });
  const settle = (status, detail) => {
    row.dataset.status = status;
    row.replaceChildren(
      badge(status),
      " ",
      el("span", { class: "outcome-what hint small" }, what),
      " ",
      el("span", { class: "outcome-name" }, name),
      detail && detail.length ? el("span", { class: "outcome-detail" }, ...[].concat(detail)) : null,
    );
  };
  settle("pending", null);
  list.insertBefore(row, anchor); // a batch's rows in order, above earlier batches
  return settle;
}

// A batch starts (its rows go above the earlier ones) or ends. The list is marked busy while
// it runs, so screen readers read the settled rows rather than every pending one.
export function busy(on) {
  if (on) {
    while (list.children.length > MAX_ROWS) list.lastElementChild.remove();
    anchor = list.firstElementChild;
    list.setAttribute("aria-busy", "true");
  } else {
    list.removeAttribute("aria-busy");
  }
}

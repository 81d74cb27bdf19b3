// "Add sources": article links (POST documents {"urls"}, up to 20 per request, one result per
// link) and files (picked or dropped; one multipart POST documents each, in turn). Every item
// gets a row in the outcome list; `onChange()` runs after each batch (to refresh the Sources).

import { api, upload } from "./api.js";
import { busy, documentDetail, pending } from "./outcomes.js";

const MAX_URLS = 20; // the server's limit per request
const OK = new Set(["added", "updated", "unchanged"]);

const zone = document.getElementById("add-sources");
const urlForm = document.getElementById("add-urls-form");
const urlInput = document.getElementById("add-urls");
const fileInput = document.getElementById("add-files");
let onChange = () => {};

// A refusal is the server declining on principle (address, port, robots.txt, size, type);
// anything else that went wrong is a failure.
const errorStatus = (error) => ([403, 413, 415].includes(error.status) ? "refused" : "failed");

function settleResult(settle, r) {
  if (OK.has(r.status)) {
    settle(r.status, documentDetail({ id: r.id, title: r.title, name: r.url, detected: r.detected,
      chunksWritten: r.chunks_written, status: r.status }));
  } else {
    settle(r.status, r.reason || "The server gave no reason.");
  }
}

async function addBatch(urls, settles) {
  try {
    const body = await api("documents", { urls });
    body.results.forEach((r, i) => settleResult(settles[i], r));
  } catch (error) {
    // 403/422 when no link could be added: the problem still lists each link's result.
    const results = error.problem && Array.isArray(error.problem.results) ? error.problem.results : null;
    if (results && results.length === urls.length) results.forEach((r, i) => settleResult(settles[i], r));
    else settles.forEach((settle) => settle(errorStatus(error), error.message));
  }
}

async function addLinks(urls) {
  const settles = urls.map((url) => pending(url, "Link"));
  for (let i = 0; i < urls.length; i += MAX_URLS) {
    await addBatch(urls.slice(i, i + MAX_URLS), settles.slice(i, i + MAX_URLS));
  }
}

async function addFiles(files) {
  const rows = files.map((file) => [file, pending(file.name, "File")]);
  for (const [file, settle] of rows) {
    if (file.folder) {
      settle("refused", "Folders can't be added: open it and drop the files inside.");
      continue;
    }
    try {
      const r = await upload("documents", file);
      settle(r.status, documentDetail({ id: r.id, name: file.name, detected: r.detected,
        chunksWritten: r.chunks_written, status: r.status }));
    } catch (error) {
      settle(errorStatus(error), error.message);
    }
  }
}

// Runs one batch at a time with the list marked busy, then refreshes the Sources list.
let queue = Promise.resolve();
function run(task) {
  queue = queue.then(async () => {
    busy(true);
    try {
      await task();
    } finally {
      busy(false);
      onChange();
    }
  });
  return queue;
}

// The links in the box: one per line, duplicates once.
function links(text) {
  return [...new Set(text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))];
}

// Dropped items: files, with folders marked (a folder arrives as an empty File).
function dropped(dataTransfer) {
  const items = [...(dataTransfer.items || [])].filter((item) => item.kind === "file");
  if (!items.length) return [...dataTransfer.files];
  return items.map((item) => {
    const file = item.getAsFile();
    const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    return entry && entry.isDirectory ? { name: file ? file.name : entry.name, folder: true } : file;
  }).filter(Boolean);
}

const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");

function initDrop() {
  // A file dropped beside the zone must not make the browser leave the page to show it.
  for (const name of ["dragover", "drop"]) {
    window.addEventListener(name, (event) => {
      if (hasFiles(event)) event.preventDefault();
    });
  }
  zone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dragging");
    if (!hasFiles(event)) return;
    event.preventDefault();
    const files = dropped(event.dataTransfer);
    if (files.length) run(() => addFiles(files));
  });
}

export function initAddSources(changed) {
  onChange = changed;
  urlForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const urls = links(urlInput.value);
    if (!urls.length) return;
    urlInput.value = "";
    run(() => addLinks(urls));
  });
  // Enter adds a line; Ctrl+Enter (⌘+Enter) adds the links.
  urlInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      urlForm.requestSubmit();
    }
  });
  fileInput.addEventListener("change", () => {
    const files = [...fileInput.files];
    fileInput.value = ""; // the same file can be chosen again
    if (files.length) run(() => addFiles(files));
  });
  initDrop();
}

// For the feed form: the same queue, so the list is busy and Sources refresh the same way.
export { run as runAdding };

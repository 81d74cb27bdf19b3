// Briefing view: generate a one-page briefing (whole corpus or a topic), render it with chips
// that open the same source panel as chat, and offer the saved briefing as Markdown or HTML.
// "Compare with last briefing" sends since: "last" and shows what changed since then.

import { api } from "./api.js";
import { alsoPublished, chip, citedText, clear, docMeta, el, formatDateTime, plural, showError, showLoading, showNote } from "./dom.js";
import { openSource } from "./docview.js";

const form = document.getElementById("briefing-form");
const topicInput = document.getElementById("briefing-topic");
const sinceInput = document.getElementById("briefing-since");
const status = document.getElementById("briefing-status");
const out = document.getElementById("briefing-out");
const downloads = document.getElementById("briefing-downloads");
const downloadMd = document.getElementById("download-md");
const downloadHtml = document.getElementById("download-html");

const chips = (citations) => citations.map((c) => chip(c, openSource));
const withoutMarkers = (text) => (text ?? "").replace(/\s*\[\d+\]/g, "");

// Key figures as a table: the number, what it measures, its status, and the sources it is from.
function figuresTable(items) {
  const rows = items.map((item) => {
    if (!item.figure) {
      return el("tr", {}, el("td", { colspan: 4 }, citedText(item.text, item.citations, openSource)));
    }
    const { value, measure, status: state } = item.figure;
    return el("tr", {},
      el("td", { class: "figure-value" }, value),
      el("td", {}, measure),
      el("td", {}, state || "—"),
      el("td", { class: "figure-sources" }, chips(item.citations)));
  });
  return el("div", { class: "table-scroll" },
    el("table", { class: "figures" },
      el("thead", {}, el("tr", {},
        ["Figure", "What it measures", "Status", "Sources"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)));
}

function item(item) {
  // Positions are labelled by how the sources give them: a direct quote, reported speech, or
  // only a mention as a party to the story.
  const kind = item.statement?.kind;
  return el("li", {},
    kind ? el("span", { class: "kind", "data-kind": kind }, kind) : null,
    kind ? " " : null,
    citedText(item.text, item.citations, openSource));
}

function section(s) {
  let body;
  if (!s.items.length) body = el("p", { class: "hint" }, "Nothing in the sources for this section.");
  else if (s.key === "figures") body = figuresTable(s.items);
  else body = el("ul", {}, s.items.map(item));
  return el("section", { class: "brief-section", "data-key": s.key }, el("h4", {}, s.heading), body);
}

// "What changed" since the briefing named by changes.since_id (same topic, saved earlier).
function changesSection(changes, b) {
  const headings = new Map(b.sections.map((s) => [s.key, s.heading]));
  const titles = new Map(b.sources.map((s) => [s.doc_id, s.title]));
  const where = (c) => el("span", { class: "kind" }, headings.get(c.section) ?? c.section);
  const doc = (id) => el("li", {}, titles.has(id) ? `${titles.get(id)} ` : null, el("code", {}, id));
  const groups = [
    ["Documents added", changes.documents_added.map(doc)],
    ["Documents edited", changes.documents_changed.map(doc)],
    ["Documents removed", changes.documents_removed.map(doc)],
    ["New", changes.new.map((c) => el("li", {}, where(c), " ", withoutMarkers(c.after)))],
    ["Changed", changes.changed.map((c) =>
      el("li", {}, where(c), " ",
        el("del", {}, withoutMarkers(c.before)), " → ", el("ins", {}, withoutMarkers(c.after))))],
    ["No longer supported by the sources", changes.no_longer_supported.map((c) =>
      el("li", {}, where(c), " ", el("del", {}, withoutMarkers(c.before))))],
  ].filter(([, items]) => items.length);
  return el("section", { class: "brief-section brief-changes", "data-key": "changes", "data-since": changes.since_id },
    el("h4", {}, "What changed"),
    el("p", { class: "meta" }, "Since briefing ", el("code", { class: "since-id" }, changes.since_id),
      `, generated ${formatDateTime(changes.since_generated_at)}`),
    groups.length
      ? groups.map(([title, items]) => el("div", { class: "change-group" }, el("h5", {}, title), el("ul", {}, items)))
      : el("p", { class: "hint" }, "Nothing changed since then."));
}

function render(b) {
  const headline = el("h3", { class: "headline", tabindex: "-1" }, b.headline);
  const about = [b.topic ? `Topic: ${b.topic}` : "Whole corpus",
    `generated ${formatDateTime(b.generated_at)} from ${plural(b.sources.length, "source")}`];
  const sources = el("section", { class: "brief-section", "data-key": "sources" },
    el("h4", {}, "Sources"),
    el("ul", { class: "brief-sources" }, b.sources.map((s) =>
      el("li", {},
        el("button", { type: "button", class: "linklike",
          onclick: (event) => openSource({ id: s.doc_id, title: s.title }, event.currentTarget) }, s.title),
        el("span", { class: "meta" }, " ", ...docMeta(s, alsoPublished(s.also_published_by)))))));
  out.replaceChildren(
    el("header", {}, headline, el("p", { class: "meta" }, about.join(" · "))),
    ...(b.changes ? [changesSection(b.changes, b)] : []),
    ...b.sections.map(section),
    sources);
  headline.focus();
}

// Downloads are the server's own renderings of the saved briefing (GET /briefing/{id}.md and
// .html), the same files the CLI writes, so the page never builds a second, diverging export.
function setDownloads(b) {
  const slug = (b.topic || "corpus").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "corpus";
  for (const [link, extension] of [[downloadMd, "md"], [downloadHtml, "html"]]) {
    link.href = `briefing/${encodeURIComponent(b.id)}.${extension}`;
    link.download = `briefing-${slug}-${b.id}.${extension}`;
  }
  downloads.hidden = !b.id;
}

export function initBriefing() {
  const submit = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const topic = topicInput.value.trim();
    const compare = sinceInput.checked;
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    downloads.hidden = true;
    out.replaceChildren();
    showLoading(status, topic ? `Writing a briefing on “${topic}”…` : "Writing a briefing of the whole corpus…");
    const body = topic ? { topic } : {};
    try {
      let briefing;
      let note = null;
      try {
        briefing = await api("briefing", compare ? { ...body, since: "last" } : body);
      } catch (error) {
        // No earlier briefing on this topic: not a failure, just nothing to compare with yet.
        if (!(compare && error.status === 404)) throw error;
        note = `There is no earlier briefing ${topic ? `on “${topic}”` : "of the whole corpus"} to compare with yet, ` +
          "so this one has no “What changed” section. Generate it again later to see what changed.";
        briefing = await api("briefing", body);
      }
      if (note) showNote(status, note);
      else clear(status);
      render(briefing);
      setDownloads(briefing);
    } catch (error) {
      showError(status, error);
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}

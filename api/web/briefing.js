// Briefing view: generate a one-page briefing (whole corpus or a topic), render it with chips
// that open the same source panel as chat, and offer the saved briefing as Markdown or HTML.

import { api } from "./api.js";
import { citedText, clear, docMeta, el, formatDateTime, plural, showError, showLoading } from "./dom.js";
import { openSource } from "./docview.js";

const form = document.getElementById("briefing-form");
const topicInput = document.getElementById("briefing-topic");
const status = document.getElementById("briefing-status");
const out = document.getElementById("briefing-out");
const downloads = document.getElementById("briefing-downloads");
const downloadMd = document.getElementById("download-md");
const downloadHtml = document.getElementById("download-html");

function render(b) {
  const headline = el("h3", { class: "headline", tabindex: "-1" }, b.headline);
  const about = [b.topic ? `Topic: ${b.topic}` : "Whole corpus",
    `generated ${formatDateTime(b.generated_at)} from ${plural(b.sources.length, "source")}`];
  const sections = b.sections.map((s) =>
    el("section", { class: "brief-section", "data-key": s.key },
      el("h4", {}, s.heading),
      s.items.length
        ? el("ul", {}, s.items.map((item) => el("li", {}, citedText(item.text, item.citations, openSource))))
        : el("p", { class: "hint" }, "Nothing in the sources for this section.")));
  const sources = el("section", { class: "brief-section", "data-key": "sources" },
    el("h4", {}, "Sources"),
    el("ul", { class: "brief-sources" }, b.sources.map((s) =>
      el("li", {},
        el("button", { type: "button", class: "linklike",
          onclick: (event) => openSource({ id: s.doc_id, title: s.title }, event.currentTarget) }, s.title),
        el("span", { class: "meta" }, " ", ...docMeta(s))))));
  out.replaceChildren(el("header", {}, headline, el("p", { class: "meta" }, about.join(" · "))), ...sections, sources);
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
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    downloads.hidden = true;
    out.replaceChildren();
    showLoading(status, topic ? `Writing a briefing on “${topic}”…` : "Writing a briefing of the whole corpus…");
    try {
      const briefing = await api("briefing", topic ? { topic } : {});
      clear(status);
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

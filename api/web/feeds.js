// Followed feeds (RSS/Atom): the "Follow a feed" form (POST feeds {"url"}), the list of feeds
// with their last run (GET feeds), and Unfollow (DELETE feeds/{id}). A server without the
// feeds routes (404/405) gets a note and a disabled form instead of controls that cannot work.

import { api } from "./api.js";
import { el, formatDateTime, plural, safeUrl, showError, showNote } from "./dom.js";
import { pending } from "./outcomes.js";

const section = document.getElementById("feeds-section");
const status = document.getElementById("feeds-status");
const list = document.getElementById("feeds-list");
const form = document.getElementById("follow-form");
const input = document.getElementById("feed-url");

let feeds = []; // as GET feeds last said
let available = true;

// The feed's name for a document's origin ("feed" origins carry the feed id).
export function feedName(id) {
  const feed = feeds.find((f) => f.id === id);
  return feed ? feed.title || feed.url : null;
}

// How GET feeds words a run's outcome (FeedOut.last_status).
const RUN_STATUS = { ok: "ok", not_modified: "no change", partial: "partly read", error: "failed" };

// "checked every 15 min", "checked every 2 h", "checked daily"
function every(seconds) {
  if (!seconds) return null;
  if (seconds % 86400 === 0) return seconds === 86400 ? "checked daily" : `checked every ${seconds / 86400} days`;
  if (seconds % 3600 === 0) return `checked every ${seconds / 3600} h`;
  return `checked every ${Math.max(1, Math.round(seconds / 60))} min`;
}

// "Last run 3 Dec 2026, 07:30: ok, 2 new articles" or "Not run yet".
export function lastRun(feed) {
  if (!feed.last_run_at) return "Not run yet";
  const outcome = RUN_STATUS[feed.last_status] ?? feed.last_status;
  const added = (feed.last_added || []).length;
  return `Last run ${formatDateTime(feed.last_run_at)}${outcome ? `: ${outcome}` : ""}, ${plural(added, "new article")}`;
}

function row(feed) {
  const name = feed.title || feed.url;
  const href = safeUrl(feed.url);
  const meta = [lastRun(feed), every(feed.interval),
    feed.next_run_at ? `next ${formatDateTime(feed.next_run_at)}` : null].filter(Boolean).join(" · ");
  return el("li", { class: "feed", "data-feed": feed.id },
    el("div", { class: "feed-main" },
      el("h4", {}, name),
      href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "small" }, feed.url)
        : el("code", {}, feed.url),
      el("p", { class: "meta feed-run" }, meta),
      feed.last_error ? el("p", { class: "feed-error small" }, "Last error: ", feed.last_error) : null),
    el("button", { type: "button", "aria-label": `Unfollow ${name}`, onclick: () => unfollow(feed) }, "Unfollow"));
}

function render() {
  list.replaceChildren(...feeds.map(row));
  if (!feeds.length) showNote(status, "No feeds followed yet.");
}

function unavailable() {
  available = false;
  feeds = [];
  list.replaceChildren();
  showNote(status, "This server does not follow feeds.");
  for (const control of form.elements) control.disabled = true;
}

// Loads the list; never throws (a failure is shown in the section).
export async function loadFeeds() {
  if (!available) return;
  try {
    feeds = (await api("feeds")) || [];
    status.replaceChildren();
    render();
  } catch (error) {
    if (error.status === 404 || error.status === 405) unavailable();
    else showError(status, error);
  }
}

async function unfollow(feed) {
  const name = feed.title || feed.url;
  try {
    await api(`feeds/${encodeURIComponent(feed.id)}`, undefined, "DELETE");
    feeds = feeds.filter((f) => f.id !== feed.id);
    render();
    showNote(status, `Unfollowed ${name}. The articles it brought stay in the sources.`);
    section.querySelector("h3").focus();
  } catch (error) {
    showError(status, error);
  }
}

// The outcome row of a follow: the feed's name and what its first poll did (POST feeds answers
// with the poll in `run`; a feed followed before answers 200 without one).
function followDetail(feed) {
  const run = feed.run;
  const parts = [feed.title || null];
  if (run) {
    parts.push(`${plural(run.added.length, "article")} added`);
    if (run.pending) parts.push(`${run.pending.toLocaleString()} more at the next run`);
    if (run.error) parts.push(`error: ${run.error}`);
    else if (run.problems.length) parts.push(`${run.problems.length.toLocaleString()} not added: ${run.problems[0].reason}`);
  } else {
    parts.push(lastRun(feed));
  }
  return parts.filter(Boolean).join(" · ");
}

async function follow(url) {
  const settle = pending(url, "Feed");
  const known = new Set(feeds.map((f) => f.id));
  try {
    const feed = await api("feeds", { url });
    settle(known.has(feed.id) || !feed.run ? "followed" : "following", followDetail(feed));
    input.value = "";
  } catch (error) {
    settle(error.status === 403 ? "refused" : "failed", error.message);
  }
}

// `run(task)`: the Add sources queue (marks the outcome list busy, then refreshes the Sources
// view, these feeds included).
export function initFeeds(run) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = input.value.trim();
    if (url && available) run(() => follow(url));
  });
}

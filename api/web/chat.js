// Chat: cited answers, follow-ups within a server session, "New chat", and the list of this
// tab's chats. The chats live in sessionStorage, so they survive a reload but not the tab; the
// server keeps each conversation's context under its session_id.
//
// Answers stream (POST chat/stream, Server-Sent Events): the words are shown as they are written,
// dimmed and marked as not yet checked, then replaced by the final, verified answer with its
// chips, which may differ (verification can drop claims). If streaming fails before the first
// word arrives, the page asks POST chat instead.

import { api, ApiError, postStream } from "./api.js";
import { alsoPublished, citedText, el, plural, showError } from "./dom.js";
import { openSource } from "./docview.js";

const STORE_KEY = "briefing.chats.v1";

const form = document.getElementById("chat-form");
const input = document.getElementById("chat-input");
const asOfInput = document.getElementById("chat-as-of");
const send = document.getElementById("chat-send");
const transcript = document.getElementById("transcript");
const emptyHint = document.getElementById("chat-empty");
const historyList = document.getElementById("history");
const historyEmpty = document.getElementById("history-empty");

// {chats: [{id, sessionId, turns: [{question, response}]}], current: chat id | null}
let state = load();
let busy = false;

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY));
    if (saved && Array.isArray(saved.chats)) return saved;
  } catch {
    // unreadable or blocked storage: start empty
  }
  return { chats: [], current: null };
}

function save() {
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
  } catch {
    // storage full or disabled: the chat still works, it just won't survive a reload
  }
}

const currentChat = () => state.chats.find((c) => c.id === state.current) ?? null;

const DEGRADED_NOTE = "The language model was unavailable; this answer quotes the sources directly.";

// "as of 2026-01-16": the reference date the answer was given for (later sources unused).
function renderAsOf(response) {
  if (!response.as_of) return null;
  return el("p", { class: "hint small as-of" }, "as of ", el("time", { datetime: response.as_of }, response.as_of));
}

function renderDegraded(response) {
  return response.degraded ? el("p", { class: "note degraded" }, DEGRADED_NOTE) : null;
}

function renderAnswer(response) {
  const text = el("p", { class: "answer-text" }, citedText(response.answer, response.citations, openSource));
  if (response.abstained) {
    return el("div", { class: "answer abstained" },
      el("p", { class: "label" }, "Not in the sources"), text, renderDegraded(response), renderAsOf(response));
  }
  const sources = el(
    "ol",
    { class: "cites", "aria-label": "Sources quoted" },
    response.citations.map((c) =>
      el("li", {},
        el("button", { type: "button", class: "cite", "data-marker": c.marker,
          onclick: (event) => openSource(c, event.currentTarget) },
          el("span", { class: "cite-num" }, String(c.marker)),
          el("span", { class: "cite-title" }, c.title),
          c.page ? el("span", { class: "cite-page" }, ` p. ${c.page}`) : null,
          el("span", { class: "hint small" }, ` chars ${c.start}–${c.end}`)),
        alsoPublished(c.also_published_by)
          ? el("span", { class: "hint small also-published" }, ` ${alsoPublished(c.also_published_by)}`)
          : null),
    ),
  );
  const searched = response.retrieval_query
    ? el("p", { class: "hint small" }, "Follow-up: searched for ", el("q", {}, response.retrieval_query))
    : null;
  return el("div", { class: "answer" }, text, renderDegraded(response), searched, sources, renderAsOf(response));
}

// The streamed words so far, visibly provisional: they are not yet checked against the sources.
function renderProvisional() {
  const text = el("p", { class: "answer-text" });
  const box = el("div", { class: "answer provisional", "aria-busy": "true" },
    el("p", { class: "label provisional-label" }, el("span", { class: "spinner" }),
      "Draft: checking it against the sources…"),
    text);
  return { box, text };
}

// 4xx other than 404/405 means the request itself was refused (empty or oversized question,
// invalid field): POST chat would refuse it too. 404/405 may be a server or proxy without the
// stream route (an unknown session is a 404 too: POST chat then reports it); those, 5xx,
// network errors and streams that break before a token get one plain POST chat instead.
const refused = (error) =>
  error instanceof ApiError && error.status >= 400 && error.status < 500 && ![404, 405].includes(error.status);

function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

// The answer for `body`: streamed (onToken(text) per token) or, if streaming fails before the
// first token, from POST chat.
async function fetchAnswer(body, onToken) {
  let tokens = 0;
  let final = null;
  let failure = null;
  try {
    await postStream("chat/stream", body, (name, data) => {
      const payload = parse(data);
      if (name === "token" && payload && typeof payload.text === "string") {
        tokens += 1;
        onToken(payload.text);
      } else if (name === "final" && payload) {
        final = payload;
      } else if (name === "error") {
        failure = new ApiError((payload && (payload.detail || payload.title)) || "The answer could not be completed.",
          (payload && payload.status) || 500);
      }
    });
  } catch (error) {
    if (refused(error) || tokens) throw error;
    return api("chat", body);
  }
  if (final) return final;
  if (tokens) throw failure ?? new ApiError("The answer was cut off before it was complete.", 0);
  return api("chat", body); // nothing was streamed: ask once without streaming
}

function renderQuestion(question) {
  return el("p", { class: "question" }, el("span", { class: "visually-hidden" }, "You asked: "), question);
}

function renderTurn(turn) {
  return el("article", { class: "turn" }, renderQuestion(turn.question), renderAnswer(turn.response));
}

function renderTranscript() {
  const chat = currentChat();
  transcript.replaceChildren(...(chat ? chat.turns.map(renderTurn) : []));
  emptyHint.hidden = Boolean(chat && chat.turns.length);
}

function renderHistory() {
  historyEmpty.hidden = state.chats.length > 0;
  historyList.replaceChildren(
    ...state.chats.map((chat) =>
      el("li", {},
        el("button", { type: "button", class: "history-item",
          "aria-current": chat.id === state.current ? "true" : null,
          onclick: () => switchTo(chat.id) },
          chat.turns[0]?.question ?? "…"),
        chat.turns.length > 1
          ? el("span", { class: "hint small" }, ` +${plural(chat.turns.length - 1, "follow-up")}`)
          : null)),
  );
}

function switchTo(id) {
  state.current = id;
  save();
  renderTranscript();
  renderHistory();
  input.focus();
}

async function ask(question) {
  busy = true;
  send.disabled = true;
  form.setAttribute("aria-busy", "true");
  // Capture the chat now: if the user switches chats while waiting, the answer still lands in
  // the conversation it belongs to.
  let chat = currentChat();
  if (!chat) {
    chat = { id: `c${Date.now()}${Math.random().toString(36).slice(2, 6)}`, sessionId: null, turns: [] };
    state.chats.unshift(chat);
    state.current = chat.id;
  }
  emptyHint.hidden = true;
  const box = el("div", {});
  const pending = el("article", { class: "turn pending" }, renderQuestion(question), box);
  box.append(el("p", { class: "status loading", role: "status" }, el("span", { class: "spinner" }), "Searching the sources…"));
  transcript.append(pending);
  pending.scrollIntoView({ block: "nearest" });
  let draft = null;
  const onToken = (text) => {
    if (!draft) {
      draft = renderProvisional();
      box.replaceChildren(draft.box);
      transcript.setAttribute("aria-busy", "true"); // announce the final answer, not every word
    }
    draft.text.append(text);
    if (pending.isConnected) pending.scrollIntoView({ block: "nearest" });
  };
  try {
    const body = { message: question };
    if (chat.sessionId) body.session_id = chat.sessionId;
    if (asOfInput.value) body.as_of = asOfInput.value; // <input type=date> gives YYYY-MM-DD
    const response = await fetchAnswer(body, onToken);
    chat.sessionId = response.session_id;
    chat.turns.push({ question, response });
    save();
    if (input.value.trim() === question) input.value = "";
    if (pending.isConnected) {
      const turn = renderTurn({ question, response });
      pending.replaceWith(turn);
      turn.scrollIntoView({ block: "nearest" });
    } else if (state.current === chat.id) {
      renderTranscript(); // the user left this chat and came back while it was loading
    }
  } catch (error) {
    pending.classList.replace("pending", "failed");
    const hint = error.status === 404 && chat.sessionId ? "Start a New chat to continue." : "Your question is still in the box: try again.";
    showError(box, error, hint);
    if (!chat.turns.length) {
      state.chats = state.chats.filter((c) => c !== chat); // nothing answered: not a chat yet
    }
  } finally {
    transcript.removeAttribute("aria-busy");
    save();
    renderHistory();
    busy = false;
    send.disabled = false;
    form.removeAttribute("aria-busy");
    input.focus();
  }
}

export function initChat() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || busy) return;
    ask(question);
  });
  // Enter sends, Shift+Enter adds a line (and Enter while an IME is composing is left alone).
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("new-chat").addEventListener("click", () => {
    state.current = null;
    save();
    renderTranscript();
    renderHistory();
    input.value = "";
    input.focus();
  });
  renderTranscript();
  renderHistory();
}

export function focusChat() {
  input.focus();
}

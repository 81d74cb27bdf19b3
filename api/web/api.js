// Talking to the Briefing HTTP API. Every call goes through `api()`, `upload()` or
// `postStream()`, so failures look the same everywhere: an ApiError carrying the problem+json
// `detail` the server sent (RFC 9457), and the whole problem in `.problem` for its extensions.

import { SseParser } from "./sse.js";

export class ApiError extends Error {
  constructor(message, status, problem = null) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

// The response could not be read as an event stream (network error, a proxy that answered
// something else, a cut connection). Distinct from ApiError: the caller may retry another way.
export class StreamError extends Error {}

const UNREACHABLE = "Can't reach the Briefing server. Is it still running?";

async function problem(response) {
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  const detail = data && (data.detail || data.title);
  return new ApiError(detail || `The server answered HTTP ${response.status}.`, response.status, data);
}

// A server started with BRIEFING_API_KEY answers 401 until the page has a session: ask for the
// key once, trade it at POST auth/session for an HttpOnly cookie (the page never stores the key),
// then retry. Returns true when a session was started.
let loggingIn = null;
async function logIn() {
  loggingIn ??= (async () => {
    const key = window.prompt("This Briefing server needs its API key:");
    if (!key) return false;
    const response = await fetch("auth/session", {
      method: "POST",
      headers: { authorization: `Bearer ${key.trim()}` },
    }).catch(() => null);
    return Boolean(response && response.ok);
  })().finally(() => {
    loggingIn = null;
  });
  return loggingIn;
}

async function fetchWithSession(path, init) {
  const response = await fetch(path, init);
  if (response.status !== 401 || !(await logIn())) return response;
  return fetch(path, init);
}

async function send(path, init) {
  init.headers = { accept: "application/json", ...init.headers };
  let response;
  try {
    response = await fetchWithSession(path, init);
  } catch {
    throw new ApiError(UNREACHABLE, 0);
  }
  if (!response.ok) throw await problem(response);
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? await response.json().catch(() => null) : null;
}

// Paths are relative ("chat", not "/chat") so the page also works behind a path prefix.
// api(path) GETs; api(path, body) POSTs body as JSON; api(path, undefined, "DELETE") deletes.
export async function api(path, body, method = body === undefined ? "GET" : "POST") {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return send(path, init);
}

// POST one file as multipart/form-data (field `file`); the browser sets the boundary.
export async function upload(path, file) {
  const form = new FormData();
  form.append("file", file, file.name);
  return send(path, { method: "POST", body: form });
}

// POST `body` as JSON and read Server-Sent Events from the response, calling onEvent(name, data)
// per event until the server ends the stream. An HTTP error status (the server refused the
// request before streaming) throws ApiError; anything else that goes wrong throws StreamError.
export async function postStream(path, body, onEvent) {
  let response;
  try {
    response = await fetchWithSession(path, {
      method: "POST",
      headers: { accept: "text/event-stream", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new StreamError(UNREACHABLE);
  }
  if (!response.ok) throw await problem(response);
  const type = response.headers.get("content-type") || "";
  if (!type.startsWith("text/event-stream") || !response.body) {
    response.body?.cancel().catch(() => {});
    throw new StreamError(`Expected an event stream, got ${type || "no content type"}.`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser(onEvent);
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw new StreamError("The connection dropped while the answer was being written.");
    }
    if (chunk.done) break;
    parser.push(chunk.value);
  }
  parser.end();
}

// Talking to the Briefing HTTP API. Every call goes through `api()`, so failures look the same
// everywhere: an ApiError carrying the problem+json `detail` the server sent (RFC 9457).

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// Paths are relative ("chat", not "/chat") so the page also works behind a path prefix.
export async function api(path, body) {
  const init = { headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError("Can't reach the Briefing server. Is it still running?", 0);
  }
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const detail = data && (data.detail || data.title);
    throw new ApiError(detail || `The server answered HTTP ${response.status}.`, response.status);
  }
  return data;
}

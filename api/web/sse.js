// A small Server-Sent Events parser for a fetch() body (EventSource can only GET, and the chat
// stream is a POST). Follows the HTML spec's framing: lines end in \n, \r\n or \r; `event:` and
// `data:` fields (several data lines join with \n); a blank line dispatches; `:` lines are
// comments; an event left unfinished when the stream ends is dropped.

export class SseParser {
  // onEvent(name, data) is called once per complete event; `name` defaults to "message".
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = "";
    this.name = "";
    this.data = null;
  }

  push(text) {
    this.buffer += text;
    const newline = /\r\n|\r|\n/g;
    let start = 0;
    let match;
    while ((match = newline.exec(this.buffer))) {
      // A lone \r at the very end may be the first half of a \r\n split across chunks.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, match.index));
      start = match.index + match[0].length;
    }
    this.buffer = this.buffer.slice(start);
  }

  // The stream ended: a trailing \r still ends its line, but no unfinished event is dispatched.
  end() {
    if (this.buffer.endsWith("\r")) this.line(this.buffer.slice(0, -1));
    this.buffer = "";
  }

  line(line) {
    if (line === "") {
      if (this.data !== null) this.onEvent(this.name || "message", this.data);
      this.name = "";
      this.data = null;
      return;
    }
    if (line.startsWith(":")) return; // comment (keep-alive)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.name = value;
    else if (field === "data") this.data = this.data === null ? value : `${this.data}\n${value}`;
  }
}

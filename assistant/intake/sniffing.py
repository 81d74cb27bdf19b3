"""Is it text? One check of raw bytes for corpus files (`documents`) and uploads (`uploads`);
each words the answer for its own reader (a file path, or "the upload")."""

from __future__ import annotations

from typing import Literal

from assistant.errors import DocumentError

TextProblem = Literal["empty", "nul", "encoding", "controls"]


class NotText(DocumentError):
    """Bytes that are not text; `problem` says why, and each caller words it for its reader."""

    def __init__(self, problem: TextProblem, byte: int = 0) -> None:
        super().__init__(problem)
        self.problem, self.byte = problem, byte

    def describe(self, messages: dict[TextProblem, str]) -> str:
        return messages[self.problem].format(byte=self.byte)


def decode_text(raw: bytes, *, nul_scan: int | None, control_scan: int) -> str:
    """The UTF-8 text of `raw` (BOM dropped, line ends as they are), or `NotText`.

    One check for corpus files and uploads alike: NUL bytes within the first `nul_scan` bytes
    (None: anywhere) or more than 1% control characters in the first `control_scan` characters
    mean binary data.
    """
    if not raw.strip():
        raise NotText("empty")
    if b"\x00" in (raw if nul_scan is None else raw[:nul_scan]):
        raise NotText("nul")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotText("encoding", exc.start) from None
    controls = sum(1 for ch in text[:control_scan] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), control_scan):
        raise NotText("controls")
    return text

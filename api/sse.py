"""Server-Sent Events framing."""

from __future__ import annotations

import json
from typing import Any


def event(name: str | None, data: Any) -> str:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    lines = "".join(f"data: {line}\n" for line in payload.splitlines() or [""])
    return (f"event: {name}\n" if name else "") + lines + "\n"

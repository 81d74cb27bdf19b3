"""Small PDF and .docx files built in memory for intake tests (no files checked in).

`make_pdf` writes a minimal PDF by hand: one Helvetica text stream per page, one `Tj` per line,
paragraphs wrapped at `width` characters with an empty line between them, so pypdf extracts
the text line by line as it would from a real report.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from datetime import datetime


def _literal(text: str) -> bytes:
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def _content(lines: Sequence[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 14 TL 72 740 Td"]
    ops += [_literal(line) + b" Tj T*" if line else b"T*" for line in lines]
    return b"\n".join([*ops, b"ET"])


def _drawing() -> bytes:
    return b"q 0.5 g 72 72 468 648 re f Q"  # a grey box: what a scan's page image looks like


def _pdf(streams: Sequence[bytes], info: dict[str, str]) -> bytes:
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    kids = []
    for stream in streams:
        page = len(objects) + 1
        kids.append(b"%d 0 R" % page)
        resources = b"/Resources << /Font << /F1 3 0 R >> >>"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s "
                       b"/Contents %d 0 R >>" % (resources, page + 1))  # fmt: skip
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    trailer = b""
    if info:
        entries = b" ".join(b"/" + k.encode() + b" " + _literal(v) for k, v in info.items())
        objects.append(b"<< " + entries + b" >>")
        trailer = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref)  # fmt: skip
    return bytes(out)


def pdf_lines(paragraphs: Sequence[str], width: int = 72) -> list[str]:
    """The printed lines of a page: each paragraph wrapped, an empty line between them."""
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines += textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]
    return lines


def make_pdf(
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    created: datetime | None = None,
    width: int = 72,
    raw_lines: bool = False,
) -> bytes:
    """A PDF whose pages hold these paragraphs (or, with `raw_lines`, exactly these lines)."""
    info = {}
    if title:
        info["Title"] = title
    if created:
        info["CreationDate"] = created.strftime("D:%Y%m%d%H%M%SZ")
    streams = [_content(page if raw_lines else pdf_lines(page, width)) for page in pages]
    return _pdf(streams, info)


def make_scanned_pdf(pages: int = 3) -> bytes:
    """Pages with a picture and no text layer, like a scan that was never OCR'd."""
    return _pdf([_drawing() for _ in range(pages)], {"Title": "Scanned statement"})


def encrypt_pdf(raw: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(
    paragraphs: Sequence[str | tuple[str, str]],
    *,
    title: str | None = None,
    created: datetime | None = None,
    table: Sequence[Sequence[str]] = (),
) -> bytes:
    """A .docx with these paragraphs; `(style, text)` pairs set a style ("Heading 1", "Title")."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        style, text = paragraph if isinstance(paragraph, tuple) else ("Normal", paragraph)
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    props = document.core_properties
    props.title = title or ""
    if created:
        props.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

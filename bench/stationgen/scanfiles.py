"""Scan files: tiny PDFs from three writers (fpdf2, reportlab, pikepdf), multi-page TIFF and
JPEG from Pillow. One template per writer and page count carries a 32-byte token in its
metadata (never on the page, so no text layer names the record); each file gets its own
token, so no two scans are byte-identical unless a copy was meant."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache

TOKEN = b"STATIONGENTOKEN" + b"X" * 17


@cache
def template(writer: str, pages: int) -> bytes:
    if writer == "fpdf2":
        from fpdf import FPDF

        pdf = FPDF(unit="pt", format=(595, 842))
        pdf.set_title(TOKEN.decode())
        pdf.set_creation_date(dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
        for _ in range(pages):
            pdf.add_page()
            pdf.rect(40, 40, 8, 8)
        return bytes(pdf.output())
    if writer == "reportlab":
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1, pagesize=(595, 842))
        c.setTitle(TOKEN.decode())
        for _ in range(pages):
            c.rect(40, 40, 8, 8)
            c.showPage()
        c.save()
        return buf.getvalue()
    if writer == "pikepdf":
        import pikepdf

        doc = pikepdf.new()
        for _ in range(pages):
            doc.add_blank_page(page_size=(595, 842))
        doc.docinfo["/Title"] = TOKEN.decode()
        buf = io.BytesIO()
        doc.save(buf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return buf.getvalue()
    from PIL import Image

    buf = io.BytesIO()
    if writer == "tif":
        images = [Image.new("1", (160, 226), 1) for _ in range(pages)]
        images[0].save(
            buf,
            format="TIFF",
            save_all=True,
            append_images=images[1:],
            compression="group4",
            dpi=(200, 200),
            description=TOKEN.decode(),
        )
        return buf.getvalue()
    if writer == "jpg":
        Image.new("L", (160, 226), 250).save(buf, format="JPEG", dpi=(200, 200), comment=TOKEN)
        return buf.getvalue()
    raise ValueError(writer)


def scan_bytes(writer: str, pages: int, token: str) -> bytes:
    data = template(writer, pages)
    mark = token.encode("ascii")
    assert len(mark) == len(TOKEN) and TOKEN in data
    return data.replace(TOKEN, mark)

"""The text layer of a PDF's first page, read with pypdfium2 (PDFium), for matching a scan by
what its first page says (its heading, often its record code) as well as by its name.

Searchable PDFs carry the text their scanning software recognised, usually as invisible text
over the page image. Only the first page is read (a record's heading is there), only when
pdfdoc.py saw text-showing operators or a form on it (an image-only scan costs nothing here),
and only its first ``MAX_CHARS`` characters are kept: headings and codes come first, and the
scan catalogue keeps the text of every file.
"""

from __future__ import annotations

import re
from typing import Any

MAX_CHARS = 2000
_SPACE = re.compile(r"\s+")


def first_page_text(source: Any, password: str = "") -> str:
    """The first page's text, whitespace collapsed, at most MAX_CHARS characters; "" when
    the page has none or PDFium cannot read it (the integrity verdict is pikepdf's to give).

    ``source`` is the file's bytes or its path."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(source, password=password or None)
    except (pdfium.PdfiumError, OSError, ValueError):
        return ""
    try:
        if len(document) == 0:
            return ""
        page = document[0]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError:
        return ""
    finally:
        document.close()
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


__all__ = ["MAX_CHARS", "first_page_text"]

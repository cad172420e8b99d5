"""Fast PDF page counts agree with pypdf, and fall back to it when they cannot tell."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdf
import pytest

from khaudit.demo import scanfiles as sf
from khaudit.scan import inspect as inspect_module
from khaudit.scan.pdf import Encrypted, count_pages


def pages_of(data: bytes) -> int | None:
    return count_pages(lambda o, n: data[o:o + n], len(data))


def blank_pdf(pages: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("pages", [1, 3, 40])
def test_agrees_with_pypdf(pages):
    for data in (sf.pdf_bytes("x", pages, random.Random(pages)), blank_pdf(pages)):
        assert pages_of(data) == len(pypdf.PdfReader(io.BytesIO(data)).pages) == pages


def test_incremental_update_is_counted(tmp_path: Path):
    path = tmp_path / "base.pdf"
    path.write_bytes(blank_pdf(2))
    writer = pypdf.PdfWriter(path, incremental=True)
    writer.add_blank_page(100, 100)
    updated = io.BytesIO()
    writer.write(updated)
    data = updated.getvalue()
    assert b"/Prev" in data
    # pypdf writes its update with a cross-reference stream: the fast path says it cannot
    # tell, and the inspection asks pypdf, which follows /Prev.
    assert pages_of(data) in (None, 3)
    target = tmp_path / "updated.pdf"
    target.write_bytes(data)
    facts = inspect_module.inspect_file(str(target))
    assert (facts.pages, facts.integrity) == (3, "ok")


def test_encrypted_is_reported():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(Encrypted):
        pages_of(out.getvalue())


def test_unknown_structure_returns_none_and_inspection_falls_back(tmp_path: Path, monkeypatch):
    assert pages_of(b"%PDF-1.7\nnot a real body\n%%EOF\n") is None
    path = tmp_path / "x.pdf"
    path.write_bytes(sf.pdf_bytes("x", 6, random.Random(1)))
    monkeypatch.setattr(inspect_module, "count_pages", lambda read_at, size: None)
    facts = inspect_module.inspect_file(str(path))
    assert (facts.pages, facts.integrity) == (6, "ok")

"""The font faces the PDF minutes are set in, parsed as little as a process needs.

DejaVu Sans (the regular, bold and oblique faces matplotlib ships) carries every Vietnamese
letter. fpdf2 parses each face again for every document: what it parses is cut down to the
document's glyphs in place when the document is written, so a parsed face cannot serve a second
document, and fpdf2 offers no way to share one. With some 6,000 glyphs per face, that parse was
the larger part of a minutes' cost. A process that writes more than one minutes (the render's
workers write dozens) therefore cuts the three faces once to the characters minutes are written
in (Latin with every Vietnamese letter, precomposed or with combining accents, punctuation,
currency, arrows and mathematical signs) and hands fpdf2 those much smaller faces; the glyphs
kept are the faces' own, so the text prints and extracts exactly as with the full faces. A
minutes holding a character outside them is set again in the full faces
(:func:`.minutes_pdf.write_minutes_pdf`). The cut faces live in a temporary folder of the process,
removed when it ends.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

#: A face per fpdf2 style ("" regular, "B" bold, "I" italic): the font file it is read from.
Faces = dict[str, Path]


def _font_dir() -> Path:
    """matplotlib's DejaVu folder, found without importing matplotlib (a second of start-up)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("matplotlib, whose DejaVu fonts the minutes are set in")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


FONT_DIR = _font_dir()
FULL_FACES: Faces = {
    "": FONT_DIR / "DejaVuSans.ttf",
    "B": FONT_DIR / "DejaVuSans-Bold.ttf",
    "I": FONT_DIR / "DejaVuSans-Oblique.ttf",
}

#: The characters kept in the cut-down faces, as ranges of code points (both ends included):
#: Latin (Basic, Latin-1, Extended-A and -B: ă, đ, ơ, ư), spacing modifiers and combining
#: accents (text typed decomposed), Latin Extended Additional (ạ ả ấ … ỹ), general punctuation
#: (– — … “ ” ‰), super- and subscripts, currency (₫), letterlike symbols (№), number forms,
#: arrows, mathematical operators (−, ≤), geometric shapes.
KEPT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x024F),
    (0x02B0, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x22FF),
    (0x25A0, 0x25FF),
)


class _Process:
    """What this process has done so far: minutes started, faces cut."""

    documents = 0
    faces: Faces | None = None


def kept_characters() -> set[int]:
    """Every code point :data:`KEPT_RANGES` names."""
    return {c for first, last in KEPT_RANGES for c in range(first, last + 1)}


def cut_face(source: Path, target: Path) -> None:
    """Write ``target``: the face ``source`` with only the glyphs of :data:`KEPT_RANGES`
    (outlines, widths, hinting and names as they were), without the layout tables fpdf2 drops
    from every document anyway."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True)
    options.layout_features = []
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta"]
    font = TTFont(str(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept_characters())
    subsetter.subset(font)
    font.save(str(target))


def cut_faces() -> Faces:
    """The three faces cut down, made once per process in a temporary folder removed when the
    process ends (also in the render's worker processes, which end through multiprocessing)."""
    if _Process.faces is not None:
        return _Process.faces
    from multiprocessing.util import Finalize

    folder = Path(tempfile.mkdtemp(prefix="khaudit-fonts-"))
    Finalize(
        None, shutil.rmtree, args=(str(folder),), kwargs={"ignore_errors": True}, exitpriority=0
    )
    faces = {style: folder / path.name for style, path in FULL_FACES.items()}
    for style, path in FULL_FACES.items():
        cut_face(path, faces[style])
    _Process.faces = faces
    return faces


def faces_for_next_document() -> Faces:
    """The faces for the next minutes this process writes: the full faces for the first (a
    single document does not repay cutting them), the cut-down ones from the second on."""
    _Process.documents += 1
    return FULL_FACES if _Process.documents == 1 else cut_faces()

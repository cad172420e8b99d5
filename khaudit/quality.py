"""The digitization standard a project holds its scans to, and each scan's shortfalls.

The directive makes each chairman answerable for the quality of digitization: a resolution
floor (200 dpi unless the project file says otherwise), optionally PDF/A and a colour mode.
A file's ``quality`` is empty when it meets the standard, else its shortfalls joined by ``;``
in a fixed order, e.g. ``dpi<200;not_pdfa``:

- ``dpi<N``: the lowest page's effective resolution is under ``min_dpi``;
- ``dpi_unknown``: the file states no resolution (an image without one, a PDF page without
  an image), so the floor cannot be shown to hold;
- ``not_pdfa``: ``require_pdfa`` is set and the file claims no PDF/A conformance (a TIFF or
  JPEG master is not PDF/A either);
- ``not_gray``, ``not_color``: the poorest page is below the colour mode required. Modes are
  ordered bilevel < gray < color, and the setting is a floor: a colour scan meets "gray".

Only scan formats are judged; other files have no quality to speak of.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from .errors import ProjectError
from .i18n import t
from .scan.colour import color_rank
from .scan.inspect import SCAN_FORMATS

COLOR_MODES = ("bilevel", "gray", "color")
#: Ways a project file may name a colour mode (English, Vietnamese, Pillow's names).
_COLOR_ALIASES = {
    "bilevel": "bilevel",
    "bw": "bilevel",
    "1": "bilevel",
    "den trang": "bilevel",
    "đen trắng": "bilevel",
    "gray": "gray",
    "grey": "gray",
    "grayscale": "gray",
    "greyscale": "gray",
    "l": "gray",
    "xám": "gray",
    "xam": "gray",
    "thang xám": "gray",
    "color": "color",
    "colour": "color",
    "rgb": "color",
    "màu": "color",
    "mau": "color",
}
#: Every shortfall code, in the order a file's are listed.
SHORTFALLS = ("dpi<", "dpi_unknown", "not_pdfa", "not_gray", "not_color")


@dataclass(frozen=True)
class QualitySettings:
    #: The lowest effective resolution a page may have (dots per inch).
    min_dpi: int = 200
    #: Every scan must claim PDF/A conformance (XMP pdfaid), any part and level.
    require_pdfa: bool = False
    #: The poorest colour a page may have: bilevel, gray or color (None: any).
    color_mode: str | None = None

    @classmethod
    def from_mapping(cls, raw: Any, source: str = "") -> QualitySettings:
        """Settings from a project file's [quality] table; ``source`` prefixes errors."""
        if not isinstance(raw, dict):
            raise ProjectError(t("err.quality.table", source=source))
        known = [f.name for f in fields(cls)]
        for key in raw:
            if key not in known:
                raise ProjectError(
                    t("err.quality.unknown", source=source, key=key, allowed=", ".join(known))
                )
        min_dpi = raw.get("min_dpi", cls.min_dpi)
        if not isinstance(min_dpi, int | float) or isinstance(min_dpi, bool) or min_dpi <= 0:
            raise ProjectError(t("err.quality.min_dpi", source=source, value=min_dpi))
        require = raw.get("require_pdfa", cls.require_pdfa)
        if not isinstance(require, bool):
            raise ProjectError(t("err.quality.require_pdfa", source=source, value=require))
        mode = raw.get("color_mode")
        if mode is not None:
            named = _COLOR_ALIASES.get(str(mode).strip().lower()) if isinstance(mode, str) else None
            if named is None:
                raise ProjectError(
                    t(
                        "err.quality.color_mode",
                        source=source,
                        value=mode,
                        allowed=", ".join(COLOR_MODES),
                    )
                )
            mode = named
        return cls(min_dpi=int(min_dpi), require_pdfa=require, color_mode=mode)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def shortfalls(format: str, dpi: Any, color_mode: str, pdfa: str, settings: QualitySettings) -> str:
    """One file's shortfalls against ``settings`` ("" when it meets the standard)."""
    if format not in SCAN_FORMATS:
        return ""
    out = []
    if dpi is None or pd.isna(dpi) or int(dpi) <= 0:
        out.append("dpi_unknown")
    elif int(dpi) < settings.min_dpi:
        out.append(f"dpi<{settings.min_dpi}")
    if settings.require_pdfa and not pdfa:
        out.append("not_pdfa")
    if (
        settings.color_mode
        and color_mode
        and color_rank(color_mode) < COLOR_MODES.index(settings.color_mode)
    ):
        out.append(f"not_{settings.color_mode}")
    return ";".join(out)


def file_quality(files: pd.DataFrame, settings: QualitySettings) -> pd.Series:
    """The ``quality`` column for a files table (format, dpi, color_mode and pdfa columns)."""
    pdfa = files["pdfa"] if "pdfa" in files else pd.Series("", index=files.index)
    return pd.Series(
        [
            shortfalls(str(f), d, str(c or ""), str(p or ""), settings)
            for f, d, c, p in zip(
                files["format"], files["dpi"], files["color_mode"], pdfa.fillna("")
            )
        ],
        index=files.index,
        dtype=object,
    )


def combine(values: Any) -> str:
    """Several files' shortfalls as one (each code once, in the fixed order)."""
    codes = {code for value in values if value for code in str(value).split(";") if code}
    return ";".join(sorted(codes, key=_order))


def _order(code: str) -> tuple[int, str]:
    for i, prefix in enumerate(SHORTFALLS):
        if code.startswith(prefix):
            return i, code
    return len(SHORTFALLS), code


def explain(quality: str, lang: str = "vi") -> str:
    """A file's shortfalls in the reader's language."""
    parts = []
    for code in (c for c in str(quality or "").split(";") if c):
        if code.startswith("dpi<"):
            parts.append(t("quality.dpi_below", lang, dpi=code[4:]))
        elif code in ("dpi_unknown", "not_pdfa", "not_gray", "not_color"):
            parts.append(t(f"quality.{code}", lang))
        else:
            parts.append(code)
    return "; ".join(parts)


__all__ = [
    "COLOR_MODES",
    "QualitySettings",
    "SHORTFALLS",
    "combine",
    "explain",
    "file_quality",
    "shortfalls",
]

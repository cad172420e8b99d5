"""Colour modes ranked poorest first, in Pillow's names, so images and PDFs share one
vocabulary: a file's colour is its poorest page's, and a project's colour floor compares with
it (quality.py)."""

from __future__ import annotations

#: Pillow's mode names for bilevel (0) and greyscale (1); anything else is colour (2).
COLOR_RANK = {"1": 0, "L": 1, "LA": 1, "I": 1, "I;16": 1, "F": 1}


def color_rank(mode: str) -> int:
    """0 bilevel, 1 greyscale, 2 colour (anything else Pillow or a PDF can name)."""
    return COLOR_RANK.get(mode, 2)


__all__ = ["COLOR_RANK", "color_rank"]

"""A scanner's counter name is told from a named scan in time linear in the name's length."""

from __future__ import annotations

import random
import re

from khaudit.match import evidence
from khaudit.match.evidence import split_trailing_date
from khaudit.textnorm import fold

#: The counter pattern as it was, one run of digits a repetition: the same names, read by
#: trying every way of cutting a run of digits before a name that goes on in words fails.
_NESTED = re.compile(evidence._COUNTER.pattern.replace(r"(?:\s*\d)+", r"(?:\s*\d+)+"))


def test_the_counter_pattern_reads_the_names_the_nested_one_read():
    assert _NESTED.pattern != evidence._COUNTER.pattern
    pieces = ["scan", "img", "dsc", "page", " ", "  ", "\t", "0", "12", "2025", "a", "_", "-"]
    rng = random.Random(15)
    for _ in range(50_000):
        name = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 7)))
        assert bool(evidence._COUNTER.match(name)) == bool(_NESTED.match(name)), name
    for name, counter in [
        ("IMG_000123", True),
        ("Scan 2025 03 12 0007", True),
        ("20250312_143501", True),
        ("Scan_20250414_151909_0918416063_Nguyen_Kim_Lien", False),
        ("scan12a", False),
    ]:
        assert bool(evidence._COUNTER.match(fold(name))) is counter, name


def test_a_device_stem_with_a_phone_number_and_a_name_keeps_its_words():
    """The names of a ward's capture device (wardgen seed 501): a locality of them took
    minutes in the nested pattern; read at once now, and as before."""
    name = "Scan_20250414_151909_0918416063_Nguyen_Kim_Lien"
    assert split_trailing_date(name) == (None, name)

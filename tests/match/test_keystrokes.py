"""Names typed with the input method off (khaudit/match/keystrokes.py)."""

from __future__ import annotations

import pytest

from khaudit.match.keystrokes import read_back


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Quyeets ddinhj so 12", "quyet dinh so 12"),
        (
            "Bieen banr hopj giao ban UBND phuwowngf thangs 6 nawm 2019",
            "bien ban hop giao ban ubnd phuong thang 6 nam 2019",
        ),
        ("Soor DDK khai sinh nawm 2022", "so dk khai sinh nam 2022"),
        ("PhamjQuoocsTaam", "pham quoc tam"),
        ("Quye6t1 d9inh5 so61 12", "quyet dinh so 12"),
        ("HO62_SO7_D9K_KE6T1_HO6N_GIU7A4", "ho so dk ket hon giua"),
        # one word with a key between letters is enough, CamelCase set apart
        ("D9inhThanhHuy", "dinh thanh huy"),
        ("Pham5Co6ngNam", "pham cong nam"),
    ],
)
def test_telex_and_vni_keys_are_dropped(typed, meant):
    assert read_back(typed) == meant


@pytest.mark.parametrize(
    "name",
    [
        "Ho so cap GCN QSDD cho ong Nguyen Van An",
        "HS KS Nguyen Van An",
        "Bao cao KTXH Q2 2019",
        "So KS 2022 Q02",
        "H56.22.2019.0012",
        "Quyets dinh",  # one keyed word is a slip, not a keyboard left off
    ],
)
def test_names_typed_with_marks_left_out_or_codes_stay_as_typed(name):
    assert read_back(name) == name

"""A locality's name, official code and former unit, checked against the official lists.

A current unit's ``code`` must be the official code of that very unit (a wrong code would put
its records under another commune); a name alone gets its code filled in. A name that is no
2025 unit is not an error (fonds are named "UBND huyện Diên Khánh" too) but a warning that
suggests ``former``. ``former`` must name a pre-2025 unit of the project's province.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import t
from ..textnorm import fold
from .official import FormerUnit, Unit, all_units, find_province, former_units, units_of_province
from .places import split_kind

#: Folded prefixes of district-level units as offices write them, and the official kind.
_DISTRICT_KINDS = {
    "huyen": "huyen",
    "h": "huyen",
    "thi xa": "thi xa",
    "tx": "thi xa",
    "thanh pho": "thanh pho",
    "tp": "thanh pho",
    "quan": "quan",
    "q": "quan",
}
#: The bodies a fonds is named after ("UBND xã Diên Lạc"), folded, longest first.
_BODIES = ("uy ban nhan dan", "hoi dong nhan dan", "ubnd", "hdnd")
#: Commune-level kinds written short, folded: "X. Diên Phú", "TT.Diên Khánh".
_SHORT_KINDS = {"x": "xa", "p": "phuong", "tt": "thi tran", "dk": "dac khu"}


@dataclass(frozen=True)
class Zone:
    """What a locality is on the 2025 map: a current unit, a former unit, or neither."""

    unit: Unit | None = None
    former: FormerUnit | None = None
    code: str = ""  # the code the locality carries (filled in from the official list)
    warnings: tuple[str, ...] = field(default=())


def check_locality(
    name: str, code: str, former: str, province: str, where: str
) -> tuple[Zone, list[str]]:
    """The locality's Zone and the problems (one line each) that make the project invalid."""
    if former.strip():
        return _former_zone(name, code, former, province, where)
    code = code.strip()
    if code:
        unit = all_units().get(code.zfill(5)) if code.isdigit() else None
        if unit is None:
            return Zone(code=code), [t("err.zoning.unknown_code", where=where, code=code)]
        home = find_province(province)
        written = split_kind(_expand_kind(name))
        named = _is_named(split_kind(unit.name), written)
        if not named or (home and home[1] != unit.province_code):
            problem = t(
                "err.zoning.code_mismatch",
                where=where,
                code=code,
                unit=f"{unit.name}, {unit.province}",
            )
            return Zone(code=code), [problem]
        return Zone(unit=unit, code=unit.code), []
    unit = find_unit(name, province)
    if unit is not None:
        return Zone(unit=unit, code=unit.code), []
    suggestion = _suggest_former(name, province)
    return Zone(warnings=(t("warn.zoning.not_a_unit", where=where, suggestion=suggestion),)), []


def find_unit(name: str, province: str) -> Unit | None:
    """The 2025 unit of ``province`` named ``name`` (marks, case and "X."/"P." aside)."""
    kind, key = split_kind(_expand_kind(name))
    found = [u for u in units_of_province(province) if _is_named(split_kind(u.name), (kind, key))]
    return found[0] if len(found) == 1 else None


def _is_named(unit: tuple[str, str], written: tuple[str, str]) -> bool:
    """Whether a name as written (kind, name) names the unit; a name without its kind does."""
    return unit == written or (not written[0] and unit[1] == written[1])


def _expand_kind(name: str) -> str:
    """ "UBND X. Diên Lạc" -> "xa dien lac": the body the fonds is named after dropped, the
    kind written short written whole."""
    key = fold(name)
    for body in _BODIES:
        if key.startswith(body + " "):
            key = key[len(body) + 1 :]
            break
    head, _, rest = key.partition(" ")
    return f"{_SHORT_KINDS[head]} {rest}" if head in _SHORT_KINDS and rest else key


def _suggest_former(name: str, province: str) -> str:
    """A ``former = "…"`` line for a name that is a pre-2025 unit, else the generic hint."""
    match = find_former(name, province)
    if match is not None:
        return f'former = "{match.label}, {match.province}"'
    return 'former = "Huyện …, Tỉnh …"'


def find_former(text: str, province: str) -> FormerUnit | None:
    """The pre-2025 unit ``text`` names ("Xã Diên Phú, Huyện Diên Khánh, Tỉnh Khánh Hòa",
    "UBND huyện Diên Khánh", "H. Dien Khanh"): a commune when one is named, else a district."""
    units = former_units(province)
    district_key = _district_in(text, units)
    commune = _commune_in(text, units, district_key)
    if commune is not None:
        return commune
    districts = [u for u in units if not u.name and _folded_district(u.district) == district_key]
    return districts[0] if district_key and len(districts) == 1 else None


def _folded_district(name: str) -> tuple[str, str]:
    kind, _, rest = fold(name).partition(" ")
    if kind == "thi" or kind == "thanh":  # "thi xa ...", "thanh pho ..."
        kind2, _, rest = rest.partition(" ")
        kind = f"{kind} {kind2}"
    return (_DISTRICT_KINDS.get(kind, kind), rest)


def _district_in(text: str, units: tuple[FormerUnit, ...]) -> tuple[str, str] | None:
    """The (kind, name) of a former district written in ``text``, kind as offices write it."""
    folded = f" {fold(text)} "
    for unit in units:
        if unit.name:
            continue
        kind, rest = _folded_district(unit.district)
        for written, official in _DISTRICT_KINDS.items():
            if official == kind and f" {written} {rest} " in folded:
                return (kind, rest)
    return None


def _commune_in(
    text: str, units: tuple[FormerUnit, ...], district: tuple[str, str] | None
) -> FormerUnit | None:
    """The former commune written in ``text`` with its kind, in ``district`` when named."""
    folded = f" {fold(text)} "
    found = []
    for unit in units:
        if not unit.name or (district and _folded_district(unit.district) != district):
            continue
        kind, key = split_kind(unit.name)
        written = [kind, *(short for short, whole in _SHORT_KINDS.items() if whole == kind)]
        if any(f" {w} {key} " in folded for w in written):
            found.append(unit)
    return found[0] if len(found) == 1 else None


def _former_zone(
    name: str, code: str, former: str, province: str, where: str
) -> tuple[Zone, list[str]]:
    """A locality that declares its pre-2025 unit: it must be one of the province's."""
    if find_province(province) is None:
        return Zone(code=code), [t("err.zoning.province", where=where, province=province)]
    unit = find_former(former, province)
    if unit is None:
        return Zone(code=code), [
            t("err.zoning.former_unknown", where=where, former=former, province=province)
        ]
    code = code.strip()
    if code and code.lstrip("0") != unit.code.lstrip("0"):
        problem = t(
            "err.zoning.former_code", where=where, code=code, unit=unit.label, official=unit.code
        )
        return Zone(code=code), [problem]
    return Zone(former=unit, code=code or unit.code), []


__all__ = ["Zone", "check_locality", "find_former", "find_unit"]

"""The official administrative units, read from two maintained packages, never typed by hand.

``vietnam-provinces`` ships the units in force since 1 July 2025 with their official codes;
``vietnamadminunits`` ships the pre-2025 units and the official conversion of each former
commune to the 2025 commune(s) that took it over. Both are read once per process (the second
takes a few seconds to import, so it is imported only when a former unit is involved).

Names are compared in the folded form of :func:`khaudit.textnorm.fold` ("Xã Diên Lạc" ->
"xa dien lac"), the form offices' typing survives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..textnorm import fold

#: Folded prefixes a province is written with ("Tỉnh Khánh Hòa", "TP. Hà Nội", "Khánh Hòa").
_PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp ")


@dataclass(frozen=True)
class Unit:
    """A commune-level unit in force since 1 July 2025 (xã, phường, đặc khu)."""

    name: str  # official name with its kind: "Xã Diên Điền"
    code: str  # official five-digit code: "22657"
    province: str  # the province's official name
    province_code: str


@dataclass(frozen=True)
class FormerUnit:
    """A pre-2025 unit of a province (a commune-level unit, or a district when ``name`` is
    empty) and the 2025 units that took it over, the package's default first."""

    name: str  # "Xã Diên Phú"; "" for a district
    code: str  # the pre-2025 code of the commune (or of the district)
    district: str  # "Huyện Diên Khánh"
    district_code: str
    province: str  # the pre-2025 province: "Tỉnh Khánh Hòa"
    successors: tuple[str, ...]  # codes of the 2025 units, the official default first

    @property
    def label(self) -> str:
        """The unit with its district, as an address names it."""
        return f"{self.name}, {self.district}" if self.name else self.district


def province_key(name: str) -> str:
    """A province name folded without its kind: "Tỉnh Khánh Hòa" -> "khanh hoa"."""
    key = fold(name)
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


@lru_cache(maxsize=1)
def _provinces() -> dict[str, tuple[str, str]]:
    """Folded province name -> (official name, code)."""
    from vietnam_provinces import Province

    return {province_key(p.name): (p.name, str(int(p.code))) for p in Province.iter_all()}


def find_province(name: str) -> tuple[str, str] | None:
    """(official name, code) of a 2025 province written as offices write it, or None."""
    return _provinces().get(province_key(name))


@lru_cache(maxsize=1)
def all_units() -> dict[str, Unit]:
    """Every 2025 commune-level unit of the country by official code."""
    from vietnam_provinces import Province, Ward

    provinces = {int(p.code): p.name for p in Province.iter_all()}
    return {
        f"{int(w.code):05d}": Unit(
            name=w.name,
            code=f"{int(w.code):05d}",
            province=provinces.get(int(w.province_code), ""),
            province_code=str(int(w.province_code)),
        )
        for w in Ward.iter_all()
    }


def units_of_province(province: str) -> list[Unit]:
    """Every 2025 commune-level unit of a province (by name as written, or its code), in
    the official order of codes; empty when the province is not a 2025 province."""
    found = find_province(province)
    code = found[1] if found else str(province).strip().lstrip("0")
    return sorted(
        (u for u in all_units().values() if u.province_code == code), key=lambda u: u.code
    )


@lru_cache(maxsize=8)
def former_units(province: str) -> tuple[FormerUnit, ...]:
    """The pre-2025 units (communes, then districts) of what is now ``province``, each with
    the 2025 units that took it over, from ``vietnamadminunits``' official conversion data."""
    found = find_province(province)
    if found is None:
        return ()
    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.database import query

    if not found[1].isdigit():
        return ()
    new_rows = query(
        "SELECT DISTINCT provinceKey, ward, wardKey, wardCode FROM admin_units "
        f"WHERE CAST(provinceCode AS INTEGER) = {int(found[1])}"
    )
    if not new_rows:
        return ()
    new_key = new_rows[0]["provinceKey"]
    # The 2025 unit is joined by its name: for a few units the two packages carry different
    # codes, and the codes of record are vietnam-provinces' (the list the locality is checked
    # against); a name the list lacks keeps the converter's code.
    listed = {fold(u.name): u.code for u in units_of_province(found[1])}
    codes = {r["wardKey"]: listed.get(fold(r["ward"]), r["wardCode"]) for r in new_rows}
    old_keys = conv.DICT_PROVINCE.get(new_key, [])
    if not old_keys:
        return ()
    rows = query(
        "SELECT DISTINCT province, provinceKey, district, districtKey, districtCode, ward, "
        f"wardKey, wardCode FROM admin_units_legacy WHERE provinceKey IN ({_quoted(old_keys)})"
    )
    return _former_from_rows(rows, _successor_keys(conv, new_key), codes)


def _quoted(keys: list[str]) -> str:
    """Keys of the package's own data in an SQL list (they are [a-z] words, checked)."""
    if not all(k.isalnum() for k in keys):
        raise ValueError(f"unexpected province keys {keys!r}")
    return ",".join(f"'{k}'" for k in keys)


def _successor_keys(conv: object, new_key: str) -> dict[str, list[str]]:
    """Old "province_district_ward" key -> 2025 ward keys, the package's default first."""
    result: dict[str, list[str]] = {}
    whole = getattr(conv, "DICT_PROVINCE_WARD_NO_DIVIDED", {}).get(new_key, {})
    for new, olds in whole.items():
        for old in olds:
            result.setdefault(old, []).append(new)
    divided = getattr(conv, "DICT_PROVINCE_WARD_DIVIDED", {}).get(new_key, {})
    for old, parts in divided.items():
        ordered = sorted(parts, key=lambda p: not p.get("isDefaultNewWard"))
        result.setdefault(old, []).extend(p["newWardKey"] for p in ordered)
    return result


def _former_from_rows(
    rows: list[dict[str, str]], successors: dict[str, list[str]], codes: dict[str, str]
) -> tuple[FormerUnit, ...]:
    """FormerUnits of the legacy table's rows; a district's successors are its communes'."""
    communes: list[FormerUnit] = []
    districts: dict[str, list[str]] = {}
    first: dict[str, dict[str, str]] = {}
    for r in rows:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        new = [f"{int(codes[k]):05d}" for k in successors.get(key, []) if k in codes]
        first.setdefault(r["districtKey"], r)
        districts.setdefault(r["districtKey"], [])
        districts[r["districtKey"]] += [c for c in new if c not in districts[r["districtKey"]]]
        if r["ward"]:
            communes.append(
                FormerUnit(
                    name=r["ward"],
                    code=str(r["wardCode"] or ""),
                    district=r["district"],
                    district_code=str(r["districtCode"] or ""),
                    province=r["province"],
                    successors=tuple(dict.fromkeys(new)),
                )
            )
    whole = [
        FormerUnit(
            name="",
            code=str(r["districtCode"] or ""),
            district=r["district"],
            district_code=str(r["districtCode"] or ""),
            province=r["province"],
            successors=tuple(districts[key]),
        )
        for key, r in first.items()
    ]
    return tuple(communes + whole)


def package_versions() -> dict[str, str]:
    """The versions of the official data in use, for a run's parameters."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("vietnam-provinces", "vietnamadminunits"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return found


__all__ = [
    "FormerUnit",
    "Unit",
    "all_units",
    "find_province",
    "former_units",
    "package_versions",
    "province_key",
    "units_of_province",
]

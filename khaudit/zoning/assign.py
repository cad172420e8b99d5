"""Who receives each record at the handover: the zoning columns of ``records``.

Every record gets ``receiver`` (the unit that receives it), ``receiver_code`` (its official
code when it is a 2025 commune-level unit, else empty), ``zoning_basis`` and ``zoning_note``
(why, in the run's language). The basis, first that applies:

- ``decision``: a person decided it in the review loop (the decision log);
- ``unit``: the locality is a current unit and the record is its own;
- ``successor``: the locality is a former commune taken over by exactly one 2025 unit;
- ``place``: the title, notes or address name former communes (or 2025 units) that all
  resolve, through the official mapping, to one 2025 unit;
- ``default``: nothing named; the project's ``[zoning] default_receiver`` receives it;
- ``unresolved``: names resolving to different units, a name shared by units the text cannot
  tell apart, or nothing named and no default: a person must decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..i18n import t
from .check import Zone
from .official import Unit, former_units, units_of_province
from .places import Gazetteer, Place

BASES = ("decision", "unit", "successor", "place", "default", "unresolved")
ZONING_COLUMNS = ["receiver", "receiver_code", "zoning_basis", "zoning_note"]
#: Record columns whose text may name places; an address column also counts bare names.
TEXT_COLUMNS = (("title", False), ("notes", False), ("address", True))


@dataclass(frozen=True)
class ZoningPlan:
    """One locality's zoning inputs as plain data: what it is and the names it may meet."""

    locality: str
    zone: Zone
    default_receiver: str = ""
    default_code: str = ""
    units: tuple[Unit, ...] = ()
    gazetteer: Gazetteer | None = None

    def unit_name(self, code: str) -> str:
        return self._names.get(code, code)

    @cached_property
    def _names(self) -> dict[str, str]:
        return {u.code: u.name for u in self.units}


def plan_locality(
    locality: str, zone: Zone, province: str, default_receiver: str = ""
) -> ZoningPlan:
    """The plan for a locality; the gazetteer is built only for a former unit's fonds."""
    units = tuple(units_of_province(province))
    default_code = next((u.code for u in units if u.name == default_receiver.strip()), "")
    gazetteer = None
    if zone.former is not None:
        home = zone.former.district
        from ..textnorm import fold

        gazetteer = Gazetteer(former_units(province), list(units), fold(home))
    return ZoningPlan(locality, zone, default_receiver.strip(), default_code, units, gazetteer)


def zone_records(
    records: pd.DataFrame,
    plan: ZoningPlan,
    decided: dict[tuple[str, str, int], tuple[str, str]] | None = None,
    lang: str = "vi",
) -> pd.DataFrame:
    """``records`` with the zoning columns; ``decided`` maps a record's provenance
    (file, sheet, row) to a person's (receiver, who) from the decision log."""
    out = records.copy()
    rows = [_zone_row(row, plan, lang) for row in out.to_dict("records")]
    for i, (file, sheet, row) in enumerate(
        zip(out["source_file"], out["source_sheet"], out["source_row"])
    ):
        choice = (decided or {}).get((str(file), str(sheet or ""), int(row)))
        if choice:
            receiver, who = choice
            code = next((u.code for u in plan.units if u.name == receiver), "")
            rows[i] = (receiver, code, "decision", t("zoning.decision", lang, by=who))
    frame = pd.DataFrame(rows, columns=ZONING_COLUMNS, index=out.index)
    for column in ZONING_COLUMNS:
        out[column] = frame[column].astype(str) if len(out) else pd.Series(dtype=str)
    return out


def _zone_row(row: dict[str, object], plan: ZoningPlan, lang: str) -> tuple[str, str, str, str]:
    """(receiver, receiver_code, basis, note) of one record."""
    zone = plan.zone
    if zone.former is None:
        if zone.unit is not None:
            return zone.unit.name, zone.unit.code, "unit", t("zoning.unit", lang)
        return plan.locality, "", "unit", t("zoning.unit", lang)
    heirs = zone.former.successors
    if zone.former.name and len(heirs) == 1:
        name = plan.unit_name(heirs[0])
        note = t("zoning.successor", lang, former=zone.former.label, receiver=name)
        return name, heirs[0], "successor", note
    places = _places(row, plan.gazetteer)
    return _by_places(places, plan, lang)


def _places(row: dict[str, object], gazetteer: Gazetteer | None) -> list[Place]:
    if gazetteer is None:
        return []
    found: list[Place] = []
    for column, bare in TEXT_COLUMNS:
        value = row.get(column)
        if isinstance(value, str) and value:
            found += gazetteer.find(value, bare=bare)
    return found


def _by_places(places: list[Place], plan: ZoningPlan, lang: str) -> tuple[str, str, str, str]:
    """The receiver the named places agree on, the default, or unresolved."""
    unclear = [p for p in places if p.entry is None]
    codes = list(dict.fromkeys(p.entry.receivers[0] for p in places if p.entry))
    named = "; ".join(
        dict.fromkeys(
            f"{p.entry.label} → {plan.unit_name(p.entry.receivers[0])}" for p in places if p.entry
        )
    )
    if unclear:
        options = ", ".join(dict.fromkeys(e.label for p in unclear for e in p.candidates))
        note = t("zoning.ambiguous", lang, written=unclear[0].written, options=options)
        return "", "", "unresolved", f"{named}; {note}" if named else note
    if len(codes) > 1:
        return "", "", "unresolved", t("zoning.conflict", lang, places=named)
    if codes:
        return plan.unit_name(codes[0]), codes[0], "place", t("zoning.place", lang, places=named)
    if plan.default_receiver:
        note = t("zoning.default", lang, receiver=plan.default_receiver)
        return plan.default_receiver, plan.default_code, "default", note
    return "", "", "unresolved", t("zoning.none", lang)


__all__ = ["BASES", "TEXT_COLUMNS", "ZONING_COLUMNS", "ZoningPlan", "plan_locality", "zone_records"]

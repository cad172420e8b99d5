"""Zoning for the handover under two-level local government: who receives each record.

``official`` reads the 2025 units and the pre-2025 -> 2025 mapping from maintained packages;
``check`` validates a locality's name, code and former unit; ``places`` finds commune names in
text as offices write them; ``assign`` gives every record its receiver; ``summary`` counts
them per receiver. Nothing here is typed by hand: the official data comes from the packages.
"""

from .assign import BASES, ZONING_COLUMNS, ZoningPlan, plan_locality, zone_records
from .check import Zone, check_locality, find_former, find_unit
from .official import FormerUnit, Unit, former_units, units_of_province
from .places import Gazetteer, Place
from .summary import receiver_counts, receiver_lines

__all__ = [
    "BASES",
    "ZONING_COLUMNS",
    "FormerUnit",
    "Gazetteer",
    "Place",
    "Unit",
    "Zone",
    "ZoningPlan",
    "check_locality",
    "find_former",
    "find_unit",
    "former_units",
    "plan_locality",
    "receiver_counts",
    "receiver_lines",
    "units_of_province",
    "zone_records",
]

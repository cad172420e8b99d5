"""officegen: a third labelled province generator, written from offices' habits alone.

``generate(out_dir, seed, records_per_locality, localities=5)`` writes ``project.toml``, the
inventories, the scan roots (with sidecars) and ``ground_truth/records.csv`` and ``files.csv``
(the columns ``bench/generalize.py`` and ``khaudit score`` read, ``keying`` naming the
convention). Each locality draws its habits axis by axis (``habits``): what the office keeps
and how it numbers and codes files, the inventory's format, sheets, columns and headings, two
or three of the generic naming conventions and the kind-specific ones (one-stop-shop receipt
numbers, decision symbols, parcel and map sheet, owner's name, civil-status register books),
folders, the operator's typing, and the rate of each injected problem.

The labelling rule for ties (``labels``): a scan's candidates are the records its path or
sidecar row allows; one candidate links it; else the page count links it when exactly its own
record's sheets fit; else, in a sequence (counter, lot, or a name saved again as 'X (2)')
where every candidate has one scan, the scanning order does; else candidates linked
elsewhere are struck out until one is left. What stays open is a true tie: the scan and every
candidate record without a linked scan of its own are ``needs_review``. Damage, short scans,
copies and rescans are injected only into records whose scan names them alone.
"""

from .province import generate

__all__ = ["generate"]

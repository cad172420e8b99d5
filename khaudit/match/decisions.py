"""Review decisions: a person accepts or rejects a candidate link, once, for good.

Decisions are stored append-only (``.khaudit/decisions.jsonl`` beside the project file) with who
and when, and keyed by what does not change when files are rescanned or renamed: the record's
provenance (inventory file, sheet, row) and the scan's content hash. Every later audit applies
them: an accepted pair is linked first (method ``decision``), a rejected pair is never proposed
again. The last decision about a pair wins; none is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import asdict, dataclass
from pathlib import Path

VERDICTS = ("accept", "reject")


@dataclass(frozen=True)
class Decision:
    locality: str
    content: str  # the scan's xxh3-128 hash(es), sorted and joined by "|"
    source_file: str
    source_sheet: str
    source_row: int
    verdict: str
    by: str = ""
    at: str = ""
    path: str = ""  # where the scan was when decided (for people; not part of the key)

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        return (self.locality, self.content, self.source_file, self.source_sheet,
                int(self.source_row))


def record_decisions(path: Path, decisions: list[Decision], by: str = "") -> int:
    """Append decisions (one write); who and when are filled in if missing."""
    if not decisions:
        return 0
    who = by or getpass.getuser()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lines = []
    for d in decisions:
        if d.verdict not in VERDICTS:
            raise ValueError(f"verdict {d.verdict!r} is not one of {VERDICTS}")
        lines.append(json.dumps(asdict(d) | {"by": d.by or who, "at": d.at or now},
                                ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return len(lines)


class DecisionIndex:
    """The decisions in force (the last one per pair), for the linker to consult."""

    def __init__(self, decisions: list[Decision] | None = None):
        self._by_key: dict[tuple, Decision] = {}
        self._accepted: dict[tuple[str, str], Decision] = {}
        for d in decisions or []:
            self._by_key[d.key] = d
        for d in self._by_key.values():
            if d.verdict == "accept":
                self._accepted[(d.locality, d.content)] = d

    def __len__(self) -> int:
        return len(self._by_key)

    def accepted(self, locality: str, content: str) -> Decision | None:
        return self._accepted.get((locality, content))

    def rejected(self, locality: str, content: str, provenance: tuple[str, str, int]) -> bool:
        d = self._by_key.get((locality, content, *provenance))
        return d is not None and d.verdict == "reject"


def read_decisions(path: Path | None) -> DecisionIndex:
    if path is None or not path.exists():
        return DecisionIndex()
    decisions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            decisions.append(Decision(**{k: raw.get(k, "") for k in Decision.__dataclass_fields__}))
    return DecisionIndex(decisions)

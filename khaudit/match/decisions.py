"""Review decisions: a person accepts or rejects a candidate link, once, for good.

Decisions are stored append-only (``.khaudit/decisions.jsonl`` beside the project file) with who
and when, and keyed by what does not change when files are rescanned or renamed: the record's
provenance (inventory file, sheet, row) and the scan's content hash. Every later audit applies
them: an accepted pair is linked first (method ``decision``), a rejected pair is never proposed
again. The last decision about a pair wins; none is ever deleted.

The same log holds zoning decisions (verdict ``zone``): who receives a record at the handover,
keyed by the record's provenance alone (``content`` empty) and naming the ``receiver``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import KhauditError
from ..i18n import t

VERDICTS = ("accept", "reject", "zone")


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
    receiver: str = ""  # verdict "zone": the unit that receives the record

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        return (
            self.locality,
            self.content,
            self.source_file,
            self.source_sheet,
            int(self.source_row),
        )


def record_decisions(path: Path, decisions: list[Decision], by: str = "") -> int:
    """Append decisions (one write); when is filled in if missing.

    Who decided is part of the record a handover rests on: a decision without a reviewer
    (neither ``by`` nor its own) is refused, never credited to whoever is logged in.
    """
    if not decisions:
        return 0
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lines = []
    for d in decisions:
        if d.verdict not in VERDICTS:
            raise ValueError(f"verdict {d.verdict!r} is not one of {VERDICTS}")
        who = (d.by or by).strip()
        if not who:
            raise KhauditError(t("err.review.by"))
        fields = {k: v for k, v in asdict(d).items() if k != "receiver" or v}
        lines.append(json.dumps(fields | {"by": who, "at": d.at or now}, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _open_log(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, "decisions.unwritable")
    with os.fdopen(fd, "r+b") as fh:
        size = os.fstat(fd).st_size
        if size:  # a line torn by a killed writer: end it, or the new one joins it and is lost
            fh.seek(size - 1)
            torn = fh.read(1) != b"\n"
        text = ("\n" if size and torn else "") + "\n".join(lines) + "\n"
        fh.write(text.encode("utf-8"))
    return len(lines)


#: Largest decision log read (a decision is about 300 bytes: a million of them fit).
MAX_LOG_BYTES = 512 * 1024 * 1024


def _open_log(path: Path, flags: int, said: str = "decisions.unreadable") -> int:
    """A descriptor of the decision log, which must be a regular file of its own: a link is
    not followed (the log would be read from, and decisions written to, a file elsewhere),
    and a pipe or a device neither hangs a run nor is read without end."""
    nofollow, nonblock = getattr(os, "O_NOFOLLOW", 0), getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | nofollow | nonblock, 0o644)
    except OSError as exc:
        why = t("decisions.link") if path.is_symlink() else exc.strerror or str(exc)
        raise KhauditError(t(said, path=path, error=why)) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise KhauditError(t(said, path=path, error=t("decisions.not_file")))
    return fd


def _log_text(path: Path) -> str:
    """The decision log's text, size-capped (a KhauditError says why it cannot be read)."""
    with os.fdopen(_open_log(path, os.O_RDONLY), "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(MAX_LOG_BYTES + 1)
    if len(data) > MAX_LOG_BYTES:
        said = t("decisions.too_large", size=max(size, len(data)), limit=MAX_LOG_BYTES)
        raise KhauditError(t("decisions.unreadable", path=path, error=said))
    return data.decode("utf-8", errors="replace")


class DecisionIndex:
    """The decisions in force (the last one per pair), for the linker to consult.

    ``problems`` lists the log lines that could not be used, each with its file and line.
    """

    def __init__(self, decisions: list[Decision] | None = None, problems: list[str] | None = None):
        self.problems = list(problems or [])
        self._by_key: dict[tuple, Decision] = {}
        self._accepted: dict[tuple[str, str], Decision] = {}
        for d in decisions or []:
            self._by_key[d.key] = d
        self._receivers: dict[tuple[str, str, str, int], Decision] = {}
        for d in self._by_key.values():
            if d.verdict == "accept":
                self._accepted[(d.locality, d.content)] = d
            elif d.verdict == "zone":
                self._receivers[(d.locality, d.source_file, d.source_sheet, d.source_row)] = d

    def __len__(self) -> int:
        return len(self._by_key)

    def digest(self) -> str:
        """SHA-256 of the decisions in force (pair and verdict): what changes statuses, so
        part of a run's fingerprint. Who and when do not change a status and are left out."""
        rows = sorted(
            json.dumps(
                [*map(str, key), d.verdict, *([d.receiver] if d.verdict == "zone" else [])],
                ensure_ascii=False,
            )
            for key, d in self._by_key.items()
        )
        return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()

    def accepted(self, locality: str, content: str) -> Decision | None:
        return self._accepted.get((locality, content))

    def rejected(self, locality: str, content: str, provenance: tuple[str, str, int]) -> bool:
        d = self._by_key.get((locality, content, *provenance))
        return d is not None and d.verdict == "reject"

    def receivers(self, locality: str) -> dict[tuple[str, str, int], tuple[str, str]]:
        """The zoning decisions in force for a locality: provenance -> (receiver, who)."""
        return {
            (f, sheet, row): (d.receiver, d.by)
            for (loc, f, sheet, row), d in self._receivers.items()
            if loc == locality
        }


def parse_decision(line: str) -> Decision:
    """One line of the log as a Decision; ValueError (with the reason) when it is not one."""
    try:
        raw = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(t("decisions.not_json", error=exc)) from None
    if not isinstance(raw, dict):
        raise ValueError(t("decisions.not_object"))
    values = {k: raw.get(k, "") for k in Decision.__dataclass_fields__}
    for key in (
        "locality",
        "content",
        "source_file",
        "source_sheet",
        "by",
        "at",
        "path",
        "receiver",
    ):
        if values[key] is None or not isinstance(values[key], str):
            raise ValueError(t("decisions.field", field=key, value=values[key]))
    # a link decision names its scan; a zoning decision names its receiver instead
    needed = ("receiver",) if values["verdict"] == "zone" else ("content",)
    for key in ("locality", "source_file", *needed):
        if not values[key]:
            raise ValueError(t("decisions.field", field=key, value=values[key]))
    row = values["source_row"]
    if isinstance(row, bool) or not isinstance(row, int | str) or not str(row).strip().isdigit():
        raise ValueError(t("decisions.field", field="source_row", value=row))
    values["source_row"] = int(str(row).strip())
    if values["verdict"] not in VERDICTS:
        raise ValueError(t("decisions.field", field="verdict", value=values["verdict"]))
    return Decision(**values)


def read_decisions(path: Path | None) -> DecisionIndex:
    """The decision log in force. A line that is not a decision (a torn write, a hand edit)
    is skipped with a problem naming the file and the line; the others still apply."""
    if path is None or not (path.exists() or path.is_symlink()):
        return DecisionIndex()
    decisions: list[Decision] = []
    problems: list[str] = []
    try:
        text = _log_text(path)
    except KhauditError as exc:
        return DecisionIndex(problems=[str(exc)])
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            decisions.append(parse_decision(line))
        except ValueError as exc:
            problems.append(t("decisions.bad_line", path=path, line=number, error=exc))
    return DecisionIndex(decisions, problems)

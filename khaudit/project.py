"""The project file: one TOML that describes an audit, validated up front.

Every mistake is a :class:`~khaudit.errors.ProjectError` whose one-line message names the key
and the fix, so an inspector can correct the file without reading code. Paths are relative to
the project file. Example::

    title = "Kiểm tra số hóa tài liệu lưu trữ"
    province = "Khánh Hòa"

    [scan]
    sha256 = true            # also compute SHA-256 (needed for handover manifests)

    [[locality]]
    name = "Xã Diên Lạc"
    code = "22678"
    inventories = ["inventories/dien-lac/*.xlsx"]
    scan_roots = ["scans/dien-lac"]
    # optional overrides, never needed for the demo:
    # naming_pattern = '(?P<box>\\d+)_(?P<file_no>\\d+)'
    # sidecar = "scans/dien-lac/metadata.csv"
    # former = "Huyện Diên Khánh, Tỉnh Khánh Hòa"   # a fonds of a pre-2025 unit
    # [locality.columns]
    # title = "Tên hồ sơ"

    [zoning]
    default_receiver = "Lưu trữ lịch sử tỉnh Khánh Hòa"  # what no commune inherits
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import project_glob
from .contract import find_locality
from .errors import ProjectError
from .escape import for_terminal
from .forecast import ProgressSettings
from .i18n import t
from .match.settings import ContentSettings, MatchSettings
from .project_glob import PatternEscapes, PatternTooBroad, expand
from .quality import QualitySettings
from .textnorm import slugify
from .winpath import native, native_pattern, unreachable_here, windows_kind
from .zoning.check import Zone, check_locality

INVENTORY_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".csv", ".tsv", ".txt"}


# The project file's schema and its defaults, in one place. Types are strict: TOML has
# booleans, numbers and dates of its own, so "false" in quotes, "two" or 2.5 where a whole
# number belongs is a mistake to report, never a value to guess.


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _code_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value


Paths = Annotated[list[str], BeforeValidator(_one_or_many)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ScanTable(_Table):
    """``[scan]``."""

    sha256: bool = False  # also compute SHA-256 (needed for handover manifests)
    workers: int = Field(0, ge=0)  # 0: one per core
    catalogue: str | None = None  # None: .khaudit/catalogue.sqlite beside the project file
    max_mbps: float = Field(0.0, ge=0)  # 0: no limit; set it to spare a network share


class ProgressTable(_Table):
    """``[progress]``: the deadline and the scanning rate forecasts are drawn against."""

    deadline: Annotated[dt.date, BeforeValidator(_day)] | None = None
    target: float = Field(1.0, gt=0)  # a share (0.95) or a percentage (95)
    pages_per_day: float | None = Field(None, gt=0)  # per scanning station and working day
    stations: int = Field(1, gt=0)
    cost_per_page: float | None = Field(None, gt=0)
    window: int = Field(5, gt=0)  # runs the pace is measured over
    history: str | None = None  # None: .khaudit/history beside the project file


class ClusterTable(_Table):
    """``[cluster]``: a Dask distributed scheduler to run the work on."""

    scheduler: str | None = None  # e.g. "tcp://10.0.0.5:8786"


class ContentTable(_Table):
    """``[content]``: checking scans by their first page (see ContentSettings)."""

    sample: float = Field(1.0, gt=0, le=1)
    ocr: bool = False


class LocalityTable(_Table):
    """One ``[[locality]]``."""

    name: str
    code: Annotated[str, BeforeValidator(_code_text)] = ""
    inventories: Paths
    scan_roots: Paths
    columns: dict[str, str] = Field(default_factory=dict)  # field -> heading as typed
    naming_pattern: str = ""
    sidecar: str = ""
    former: str = ""  # the pre-2025 unit the fonds belongs to: "Huyện Diên Khánh, Tỉnh Khánh Hòa"


class ZoningTable(_Table):
    """``[zoning]``: who receives the records no commune inherits."""

    default_receiver: str = ""  # e.g. "Lưu trữ lịch sử tỉnh Khánh Hòa"


class PartyTable(_Table):
    """One side of the handover minutes (``[handover.giver]``, ``[handover.receiver]``)."""

    unit: str = ""  # e.g. "Công ty Cổ phần Số hóa ABC", "UBND xã Diên Lạc"
    name: str = ""  # the person who signs for it
    position: str = ""  # their position, e.g. "Giám đốc", "Chủ tịch"


class HandoverEntry(_Table):
    """What one locality's minutes change (``[handover.locality."Xã Diên Lạc"]``)."""

    issuer: str = ""
    number: str = ""
    symbol: str = ""
    place: str = ""
    giver: PartyTable = PartyTable()
    receiver: PartyTable = PartyTable()


class HandoverTable(HandoverEntry):
    """``[handover]``: who signs the minutes of every locality, and their number and symbol
    ("Số: 15/BB-UBND"); ``[handover.locality."<name, slug or code>"]`` overrides a locality.
    A blank field prints as a dotted line to fill in by hand."""

    locality: dict[str, HandoverEntry] = Field(default_factory=dict)
    province: PartyTable = PartyTable()  # who signs the province summary (Home Affairs)

    def unknown_localities(self, localities: list[Locality]) -> list[str]:
        """Override keys that name no locality of the project."""
        known = {key for loc in localities for key in (loc.name, loc.slug, loc.code) if key}
        return sorted(set(self.locality) - known)


class ProjectFile(_Table):
    """The whole project file."""

    title: str
    province: str
    locality: list[LocalityTable] = Field(min_length=1)
    scan: ScanTable = ScanTable()
    matching: dict[str, Any] = Field(default_factory=dict)  # see MatchSettings
    progress: ProgressTable = ProgressTable()
    quality: dict[str, Any] = Field(default_factory=dict)  # see QualitySettings
    cluster: ClusterTable = ClusterTable()
    content: ContentTable = ContentTable()
    handover: HandoverTable = HandoverTable()
    zoning: ZoningTable = ZoningTable()


@dataclass(frozen=True)
class Locality:
    name: str
    slug: str
    code: str
    inventories: tuple[tuple[Path, str], ...]  # (absolute path, path as written/expanded)
    scan_roots: tuple[Path, ...]
    columns: dict[str, str] = field(default_factory=dict)
    naming_pattern: str = ""
    sidecar: Path | None = None
    former: str = ""  # the pre-2025 unit as written in the project file
    zone: Zone = Zone()  # what it is on the 2025 map (khaudit.zoning.check)
    #: the inventory patterns as globbed (absolute): no run may be written where they reach
    inventory_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanSettings:
    sha256: bool = False
    workers: int = 0  # 0: one per core
    catalogue: Path | None = None  # None: .khaudit/catalogue.sqlite beside the project file
    max_mbps: float = 0.0  # 0: no limit; set it to spare a network share


@dataclass(frozen=True)
class Project:
    path: Path
    title: str
    province: str
    localities: tuple[Locality, ...]
    scan: ScanSettings = ScanSettings()
    matching: MatchSettings = MatchSettings()
    progress: ProgressSettings = ProgressSettings()
    history: Path | None = None  # the run history folder
    scheduler: str | None = None  # a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786
    quality: QualitySettings = QualitySettings()  # [quality]: the digitization standard
    content: ContentSettings = ContentSettings()  # [content]: checks by the first page
    handover: dict[str, Any] = field(default_factory=dict)  # [handover]: the minutes' parties
    default_receiver: str = ""  # [zoning]: who receives what no commune inherits
    warnings: tuple[str, ...] = ()  # doubts that do not stop an audit (a name not official)

    @property
    def decisions(self) -> Path:
        """Where review decisions are kept (append-only), beside the project file."""
        return self.base / ".khaudit" / "decisions.jsonl"

    @property
    def base(self) -> Path:
        return self.path.parent

    def locality(self, name_or_slug: str) -> Locality:
        found = find_locality(
            self.localities, name_or_slug, lambda loc: (loc.name, loc.slug, loc.code)
        )
        if found is not None:
            return found
        known = ", ".join(loc.name for loc in self.localities)
        raise ProjectError(
            t("err.project.no_locality", path=self.path, name=name_or_slug, known=known)
        )


def _key(loc: tuple[int | str, ...]) -> str:
    """('locality', 0, 'scan_roots') -> 'locality[0].scan_roots'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The table a key path leads into, for the keys it allows."""
    model: Any = ProjectFile
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields.get(part)
        if annotation is None:
            return None
        inner = annotation.annotation
        inner = getattr(inner, "__args__", (inner,))[0] if part == "locality" else inner
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None
        model = inner
    return model


def _unknown_key(path: Path, key: str, allowed: list[str]) -> str:
    name = key.rsplit(".", 1)[-1].rsplit("]", 1)[-1]
    close = difflib.get_close_matches(name, allowed, n=1)
    fix = (
        t("err.project.did_you_mean", close=close[0])
        if close
        else t("err.project.allowed_keys", keys=", ".join(allowed))
    )
    return t("err.project.unknown_key", path=path, key=key, fix=fix)


_EXPECTED = {
    "bool_type": "bool",
    "int_type": "int",
    "int_from_float": "whole",
    "float_type": "float",
    "string_type": "str",
    "dict_type": "table",
    "model_type": "table",
    "model_attributes_type": "table",
    "list_type": "list",
    "date_type": "date",
    "date_from_datetime_inexact": "date",
}


def _problem(path: Path, error: Any) -> str:
    """One located, translated sentence for one schema error."""
    loc = tuple(error["loc"])
    key = _key(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        return _unknown_key(path, key, sorted(model.model_fields) if model else [])
    if kind == "missing":
        if loc == ("locality",):
            return t("err.project.no_localities", path=path)
        if len(loc) == 1:
            return t("err.project.missing", path=path, key=key)
        where = _key(loc[:-1])
        if loc[-1] == "name":
            return t("err.project.no_name", path=path, where=where)
        if loc[-1] == "inventories":
            return t("err.project.no_inventories", path=path, where=where)
        if loc[-1] == "scan_roots":
            return t("err.project.no_scan_roots", path=path, where=where)
        return t("err.project.missing", path=path, key=key)
    if kind == "too_short" and loc == ("locality",):
        return t("err.project.no_localities", path=path)
    if kind in ("greater_than", "greater_than_equal"):
        bound = error.get("ctx", {}).get("gt", error.get("ctx", {}).get("ge"))
        if kind == "greater_than" and bound == 0:
            return t("err.project.positive_key", path=path, key=key, value=error["input"])
        return t("err.project.at_least", path=path, key=key, value=error["input"], bound=bound)
    if kind in ("less_than", "less_than_equal"):
        bound = error.get("ctx", {}).get("lt", error.get("ctx", {}).get("le"))
        return t("err.project.at_most", path=path, key=key, value=error["input"], bound=bound)
    if (
        loc
        and loc[0] == "locality"
        and loc[-1] in ("inventories", "scan_roots")
        or len(loc) > 3
        and loc[0] == "locality"
        and loc[2] in ("inventories", "scan_roots")
    ):
        return t("err.project.paths", path=path, key=key)
    value = error.get("input")
    wanted = _EXPECTED.get(kind, "other")
    if wanted == "int" and isinstance(value, float):  # 2.5: a fraction, not quotes, is wrong
        wanted = "whole"
    expected = t(f"err.project.expected.{wanted}")
    shown = value if isinstance(value, str | int | float | bool | dt.date) else type(value).__name__
    return t("err.project.type", path=path, key=key, expected=expected, value=shown)


def _windows_only(path: Path, where: str, key: str, value: str) -> str:
    """The problem of a drive letter or UNC path in a project run on another system."""
    kind = t("winpath." + windows_kind(value))
    return t("err.project.windows_only", path=path, where=where, key=key, value=value, kind=kind)


def _locality(
    raw: LocalityTable,
    index: int,
    base: Path,
    path: Path,
    problems: list[str],
    province: str = "",
) -> Locality | None:
    """A locality whose keys have their types: resolve its paths and check its values."""
    name = raw.name.strip()
    if not name:
        problems.append(t("err.project.no_name", path=path, where=f"locality[{index}]"))
        return None
    where = t("err.project.locality_named", name=name)
    before = len(problems)
    inventories = _inventories(raw.inventories, base, path, where, problems)
    if not raw.inventories:
        problems.append(t("err.project.no_inventories", path=path, where=where))
    elif not inventories and len(problems) == before:
        problems.append(t("err.project.no_inventory_files", path=path, where=where))
    roots = _scan_roots(raw.scan_roots, base, path, where, problems)
    from .inventory.columns import SYNONYMS

    for key in sorted(set(raw.columns) - set(SYNONYMS)):
        problems.append(_unknown_key(path, f"{where}.columns.{key}", sorted(SYNONYMS)))
    problems += _pattern_problems(raw.naming_pattern, path, where)
    sidecar = None
    if raw.sidecar:
        sidecar = (base / _home(raw.sidecar)).resolve()
        if not sidecar.is_file():
            problems.append(t("err.project.sidecar", path=path, where=where, sidecar=raw.sidecar))
    zone, wrong = check_locality(name, raw.code, raw.former, province, f"{path}: {where}")
    problems += wrong
    if len(problems) > before:
        return None
    return Locality(
        name=name,
        slug=slugify(name),
        code=zone.code,
        former=raw.former.strip(),
        zone=zone,
        inventories=tuple(inventories),
        scan_roots=tuple(roots),
        columns=dict(raw.columns),
        naming_pattern=raw.naming_pattern,
        sidecar=sidecar,
        inventory_patterns=tuple(
            str(base / variant)
            for pattern in map(_home, raw.inventories)
            if not unreachable_here(pattern)
            for variant in dict.fromkeys((pattern, native_pattern(pattern)))
        ),
    )


def _utf8(name: str) -> bool:
    """A file name is UTF-8 unless it holds bytes another system's encoding wrote (Python
    keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _home(text: str) -> str:
    """A path written from the user's home folder (``~/muc-luc``, as a shell would read it)
    made absolute; any other path as written, relative to the project file's folder."""
    return os.path.expanduser(text) if text.startswith("~") else text


def _inventories(
    patterns: list[str], base: Path, path: Path, where: str, problems: list[str]
) -> list[tuple[Path, str]]:
    """The inventory files the patterns name (resolved path, path as shown); a pattern that
    names nothing, or names something that is not a file, is a problem."""
    inventories: list[tuple[Path, str]] = []
    for written in patterns:
        if unreachable_here(written):
            problems.append(_windows_only(path, where, "inventories", written))
            continue
        pattern = _home(written)
        matches = _expand(pattern, base, (path, where, written), problems)
        if matches is None:
            continue
        if not matches:
            problems.append(
                t("err.project.glob_none", path=path, where=where, pattern=written, base=base)
            )
            continue
        for match in matches:
            p = Path(match)
            if p.suffix.lower() not in INVENTORY_SUFFIXES or p.name.startswith("~$"):
                continue
            shown = p.relative_to(base).as_posix() if p.is_relative_to(base) else str(p)
            if not p.is_file():  # a folder, a pipe or a device: reading it would hang or fail
                problems.append(t("err.project.not_file", path=path, where=where, file=shown))
                continue
            if _through_link(p, pattern, base):
                target = for_terminal(os.path.realpath(p))
                problems.append(
                    t("err.project.inventory_link", path=path, where=where, file=shown, to=target)
                )
                continue
            if not _utf8(shown):  # the run's tables, Parquet and the bag's manifests need UTF-8
                problems.append(
                    t("err.project.name_not_utf8", path=path, where=where, file=for_terminal(shown))
                )
                continue
            inventories.append((p.resolve(), shown))
    return inventories


def _through_link(match: Path, pattern: str, base: Path) -> bool:
    """Whether an inventory is reached through a symbolic link khaudit will not follow: the
    file itself a link (a bag never follows one), or a linked folder leading out of the
    project's folder when the pattern as written stays inside it (``../muc-luc/*.csv``
    leads out openly, and is read)."""
    if match.is_symlink():
        return True
    inside = Path(os.path.normpath(base / pattern)).is_relative_to(base)
    return inside and not Path(os.path.realpath(match)).is_relative_to(os.path.realpath(base))


def _expand(
    pattern: str, base: Path, said: tuple[Path, str, str], problems: list[str]
) -> list[str] | None:
    """The files an inventory pattern names (as written, else with Windows' separators),
    walked only within the project's places; None, with the problem, when it may not be."""
    path, where, written = said
    try:
        matches = expand(pattern, str(base))
        if not matches and native_pattern(pattern) != pattern:
            matches = expand(native_pattern(pattern), str(base))
    except PatternEscapes:
        problems.append(
            t("err.project.glob_escapes", path=path, where=where, pattern=written, base=base)
        )
        return None
    except PatternTooBroad:
        problems.append(
            t(
                "err.project.glob_broad",
                path=path,
                where=where,
                pattern=written,
                folders=project_glob.MAX_FOLDERS,
                entries=project_glob.MAX_ENTRIES,
            )
        )
        return None
    return matches


def _scan_roots(
    given: list[str], base: Path, path: Path, where: str, problems: list[str]
) -> list[Path]:
    """The scan roots resolved against the project's folder; one that is not a folder here
    is a problem (and still listed, so every root's problem is named)."""
    if not given:
        problems.append(t("err.project.no_scan_roots", path=path, where=where))
    roots = []
    for root in given:
        if unreachable_here(root):
            problems.append(_windows_only(path, where, "scan_roots", root))
            continue
        p = native(_home(root), base).resolve()
        if not p.is_dir():
            problems.append(
                t("err.project.not_folder", path=path, where=where, root=root, base=base)
            )
        roots.append(p)
    return roots


def _pattern_problems(pattern: str, path: Path, where: str) -> list[str]:
    """Why a locality's naming pattern cannot be used: not a regular expression, or none of
    the groups matching reads."""
    if not pattern:
        return []
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return [t("err.project.bad_regex", path=path, where=where, error=exc)]
    known = {"record_code", "box", "file_no", "title", "year"}
    if set(compiled.groupindex) & known:
        return []
    groups = ", ".join(sorted(known))
    return [t("err.project.regex_groups", path=path, where=where, groups=groups)]


#: [matching] keys that are scores on the 0-100 scale, points that may not be negative, and
#: counts (whole numbers, at least one).
_SCORES = ("accept_score", "review_score", "hint_score")
_POINTS = (
    "ambiguity_margin",
    "number_conflict_penalty",
    "substitution_weight",
    "year_agreement_bonus",
    "page_agreement_bonus",
)
_COUNTS = ("max_candidates", "review_candidates", "weak_candidates")


def _matching_ranges(settings: MatchSettings, path: Path) -> list[str]:
    """Values of the right type that still cannot work: a score off the 0-100 scale, a
    review threshold above the acceptance one (every fuzzy link would be made unreviewed),
    a negative weight, a fractional or zero count, a page rule that no scan can meet."""
    problems = []
    values = settings.as_dict()
    for key in _SCORES:
        if not 0 <= values[key] <= 100:
            where = f"matching.{key}"
            problems.append(
                t("err.project.between", path=path, key=where, value=values[key], low=0, high=100)
            )
    if values["review_score"] > values["accept_score"]:
        problems.append(
            t(
                "err.project.not_above",
                path=path,
                key="matching.review_score",
                value=values["review_score"],
                other="matching.accept_score",
                bound=values["accept_score"],
            )
        )
    for key in _POINTS:
        if values[key] < 0:
            problems.append(
                t(
                    "err.project.at_least",
                    path=path,
                    key=f"matching.{key}",
                    value=values[key],
                    bound=0,
                )
            )
    for key in _COUNTS:
        if values[key] != int(values[key]) or values[key] < 1:
            problems.append(
                t(
                    "err.project.at_least",
                    path=path,
                    key=f"matching.{key}",
                    value=values[key],
                    bound=1,
                )
            )
    return problems + _page_rule(values, path)


def _page_rule(values: dict[str, Any], path: Path) -> list[str]:
    low, high = values["min_pages_per_sheet"], values["max_pages_per_sheet"]
    if low <= 0:
        return [
            t("err.project.positive_key", path=path, key="matching.min_pages_per_sheet", value=low)
        ]
    if low > high:
        return [
            t(
                "err.project.not_above",
                path=path,
                key="matching.min_pages_per_sheet",
                value=low,
                other="matching.max_pages_per_sheet",
                bound=high,
            )
        ]
    return []


def _matching(raw: Any, path: Path, problems: list[str]) -> MatchSettings:
    """The [matching] table, every wrong key reported (MatchSettings names each one), then
    every value that cannot work."""
    before = len(problems)
    allowed = [f.name for f in fields(MatchSettings)]
    good = {}
    for key, value in raw.items():
        if key not in allowed:
            problems.append(_unknown_key(path, f"matching.{key}", allowed))
            continue
        try:
            MatchSettings.from_mapping({key: value}, source=f"{path}: ")
        except ProjectError as exc:
            problems.append(str(exc))
            continue
        good[key] = value
    # the keys that are right are still checked together, so one run lists every problem
    wrong = _matching_ranges(MatchSettings.from_mapping(good, source=f"{path}: "), path)
    problems += wrong
    if len(problems) > before:
        return MatchSettings()
    return MatchSettings.from_mapping(raw, source=f"{path}: ")


def _quality(raw: Any, path: Path, problems: list[str]) -> QualitySettings:
    """The [quality] table: every wrong key and value reported (QualitySettings names
    each), not only the first."""
    before = len(problems)
    allowed = [f.name for f in fields(QualitySettings)]
    for key, value in raw.items() if isinstance(raw, dict) else []:
        if key not in allowed:
            problems.append(_unknown_key(path, f"quality.{key}", allowed))
            continue
        try:
            QualitySettings.from_mapping({key: value}, source=f"{path}: ")
        except ProjectError as exc:
            problems.append(str(exc))
    if len(problems) > before:
        return QualitySettings()
    try:
        return QualitySettings.from_mapping(raw, source=f"{path}: ")
    except ProjectError as exc:  # not a table
        problems.append(str(exc))
        return QualitySettings()


def load_project(path: str | Path) -> Project:
    """Read and validate a project file; raise ProjectError listing every problem in it,
    one line each, each naming its key."""
    path = Path(path).resolve()
    raw = _read_toml(path)
    problems: list[str] = []
    try:
        model = ProjectFile.model_validate(raw)
    except ValidationError as exc:
        problems += [_problem(path, error) for error in exc.errors()]
        _check_what_validated(raw, path, problems)
        raise ProjectError.listing(problems) from None
    for key in ("title", "province"):
        if not getattr(model, key).strip():
            problems.append(t("err.project.missing", path=path, key=key))
    localities = [
        _locality(loc, i, path.parent, path, problems, model.province)
        for i, loc in enumerate(model.locality)
    ]
    slugs = [loc.slug for loc in localities if loc]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        problems.append(t("err.project.same_name", path=path, slug=slug))
    matching = _matching(model.matching, path, problems)
    quality = _quality(model.quality, path, problems)
    progress, history = _progress(model.progress, path, problems)
    scheduler = model.cluster.scheduler
    if scheduler is not None and "://" not in scheduler:
        problems.append(t("err.project.scheduler", path=path))
    # a locality already refused above is no unknown one: naming it twice would mislead
    refused = {
        key
        for raw, loc in zip(model.locality, localities)
        if loc is None
        for key in (raw.name.strip(), slugify(raw.name.strip()), raw.code.strip())
    }
    for key in model.handover.unknown_localities([loc for loc in localities if loc]):
        if key not in refused:
            problems.append(t("err.project.handover_locality", path=path, key=key))
    if problems:
        raise ProjectError.listing(problems)
    return Project(
        path=path,
        title=model.title.strip(),
        province=model.province.strip(),
        localities=tuple(loc for loc in localities if loc),
        scan=_scan_settings(model.scan, path),
        matching=matching,
        progress=progress,
        history=history,
        scheduler=scheduler,
        quality=quality,
        content=ContentSettings(sample=model.content.sample, ocr=model.content.ocr),
        handover=model.handover.model_dump(),
        default_receiver=model.zoning.default_receiver.strip(),
        warnings=tuple(w for loc in localities if loc for w in loc.zone.warnings),
    )


#: Largest project file read, in bytes (a province of a thousand localities is ~200 KB).
PROJECT_FILE_CAP = 16 << 20


def _project_bytes(path: Path) -> bytes:
    """The project file's bytes: a regular file only (a FIFO would block the read for good,
    /dev/zero would never end), refused beyond :data:`PROJECT_FILE_CAP`."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ProjectError(t("err.project.not_regular", path=path))
        data = fh.read(PROJECT_FILE_CAP + 1)
    if len(data) > PROJECT_FILE_CAP:
        raise ProjectError(t("err.project.too_big", path=path, cap=PROJECT_FILE_CAP))
    return data


def _project_text(data: bytes) -> str:
    """The project file's text: UTF-8, with or without the byte-order mark Windows Notepad
    writes (TOML itself refuses one), or UTF-16 by its mark (Notepad's "Unicode")."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8")


def _read_toml(path: Path) -> dict[str, Any]:
    """The project file's TOML; a file that is missing, unreadable or not TOML is an error."""
    try:
        return tomllib.loads(_project_text(_project_bytes(path)))
    except FileNotFoundError:
        raise ProjectError(t("err.project.not_found", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(t("err.project.unreadable", path=path, error=exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(t("err.project.toml", path=path, error=exc)) from exc
    except RecursionError:  # arrays or tables nested thousands deep
        raise ProjectError(t("err.project.too_deep", path=path)) from None


def _check_what_validated(raw: dict[str, Any], path: Path, problems: list[str]) -> None:
    """When the file as a whole does not validate, the tables that do are still checked,
    so one run lists every problem."""
    tables = raw.get("locality")
    for index, item in enumerate(tables if isinstance(tables, list) else []):
        try:
            table = LocalityTable.model_validate(item)
        except ValidationError:  # its own errors are listed already; its pattern is not
            pattern = item.get("naming_pattern") if isinstance(item, dict) else None
            if isinstance(pattern, str):
                name = item.get("name")
                where = (
                    t("err.project.locality_named", name=name.strip())
                    if isinstance(name, str) and name.strip()
                    else f"locality[{index}]"
                )
                problems += _pattern_problems(pattern, path, where)
            continue
        _locality(table, index, path.parent, path, problems, str(raw.get("province", "")))
    if isinstance(raw.get("matching"), dict):
        _matching(raw["matching"], path, problems)
    if isinstance(raw.get("quality"), dict):
        _quality(raw["quality"], path, problems)


def _scan_settings(raw: ScanTable, path: Path) -> ScanSettings:
    """The [scan] table; the catalogue defaults to ``.khaudit/catalogue.sqlite`` beside the
    project file."""
    return ScanSettings(
        sha256=raw.sha256,
        workers=raw.workers,
        catalogue=(path.parent / raw.catalogue).resolve()
        if raw.catalogue
        else path.parent / ".khaudit" / "catalogue.sqlite",
        max_mbps=raw.max_mbps,
    )


def _progress(raw: ProgressTable, path: Path, problems: list[str]) -> tuple[ProgressSettings, Path]:
    """The [progress] table: deadline, target, scanning rate and cost, history folder."""
    target = raw.target
    if target > 1:
        target /= 100  # written as a percentage
    if target > 1:
        problems.append(t("err.project.target", path=path))
    settings = ProgressSettings(
        deadline=raw.deadline,
        target=target,
        pages_per_day=raw.pages_per_day,
        stations=raw.stations,
        cost_per_page=raw.cost_per_page,
        window=raw.window,
    )
    folder = (
        (path.parent / raw.history).resolve()
        if raw.history
        else path.parent / ".khaudit" / "history"
    )
    return settings, folder

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
    # [locality.columns]
    # title = "Tên hồ sơ"
"""

from __future__ import annotations

import datetime as dt
import difflib
import glob
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ProjectError
from .forecast import ProgressSettings
from .match.settings import MatchSettings
from .textnorm import slugify

_TOP_KEYS = {"title", "province", "locality", "scan", "matching", "progress", "cluster"}
_PROGRESS_KEYS = {"deadline", "target", "pages_per_day", "stations", "cost_per_page", "history",
                  "window"}
_LOCALITY_KEYS = {"name", "code", "inventories", "scan_roots", "columns", "naming_pattern",
                  "sidecar"}
_SCAN_KEYS = {"sha256", "workers", "catalogue", "max_mbps"}
INVENTORY_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt"}


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

    @property
    def decisions(self) -> Path:
        """Where review decisions are kept (append-only), beside the project file."""
        return self.base / ".khaudit" / "decisions.jsonl"

    @property
    def base(self) -> Path:
        return self.path.parent

    def locality(self, name_or_slug: str) -> Locality:
        for loc in self.localities:
            if name_or_slug in (loc.name, loc.slug, loc.code):
                return loc
        known = ", ".join(loc.name for loc in self.localities)
        raise ProjectError(f"{self.path}: no locality {name_or_slug!r} (localities: {known})")


def _unknown(keys: set[str], allowed: set[str], where: str, path: Path) -> None:
    for key in sorted(keys - allowed):
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        fix = (f"did you mean '{close[0]}'?" if close
               else f"allowed keys: {', '.join(sorted(allowed))}")
        raise ProjectError(f"{path}: unknown key '{where}{key}'; {fix}")


def _str_list(value: Any, key: str, path: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ProjectError(f"{path}: '{key}' must be a path or a list of paths (strings)")


def _locality(raw: Any, index: int, base: Path, path: Path) -> Locality:
    where = f"locality[{index}]"
    if not isinstance(raw, dict):
        raise ProjectError(f"{path}: '{where}' must be a table ([[locality]])")
    _unknown(set(raw), _LOCALITY_KEYS, f"{where}.", path)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ProjectError(f"{path}: '{where}.name' is missing; give the locality's name, "
                           "e.g. name = \"Xã Diên Lạc\"")
    where = f"locality '{name}'"
    if "inventories" not in raw or not raw["inventories"]:
        raise ProjectError(f"{path}: {where} has no 'inventories'; list its inventory files, "
                           "e.g. inventories = [\"muc-luc/*.xlsx\"]")
    if "scan_roots" not in raw or not raw["scan_roots"]:
        raise ProjectError(f"{path}: {where} has no 'scan_roots'; list the folders holding its "
                           "scans, e.g. scan_roots = [\"scans/dien-lac\"]")
    inventories: list[tuple[Path, str]] = []
    for pattern in _str_list(raw["inventories"], f"{where}.inventories", path):
        matches = sorted(glob.glob(str(base / pattern), recursive=True))
        if not matches:
            raise ProjectError(f"{path}: {where}.inventories: '{pattern}' matches no file "
                               f"(paths are relative to {base}); fix the path or the glob")
        for match in matches:
            p = Path(match)
            if p.suffix.lower() not in INVENTORY_SUFFIXES or p.name.startswith("~$"):
                continue
            inventories.append((p.resolve(), p.relative_to(base).as_posix()
                                if p.is_relative_to(base) else str(p)))
    if not inventories:
        raise ProjectError(f"{path}: {where}.inventories matches no xlsx, xls, ods or csv file")
    roots = []
    for root in _str_list(raw["scan_roots"], f"{where}.scan_roots", path):
        p = (base / root).resolve()
        if not p.is_dir():
            raise ProjectError(f"{path}: {where}.scan_roots: '{root}' is not a folder "
                               f"(paths are relative to {base})")
        roots.append(p)
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ProjectError(f"{path}: {where}.columns must map a field to a heading, "
                           "e.g. title = \"Tên hồ sơ\"")
    from .inventory.columns import SYNONYMS

    _unknown(set(columns), set(SYNONYMS), f"{where}.columns.", path)
    pattern = raw.get("naming_pattern", "")
    if pattern:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ProjectError(f"{path}: {where}.naming_pattern is not a valid regular "
                               f"expression: {exc}") from exc
        known = {"record_code", "box", "file_no", "title", "year"}
        if not set(compiled.groupindex) & known:
            raise ProjectError(f"{path}: {where}.naming_pattern needs a named group, one of "
                               f"{', '.join(sorted(known))}, e.g. (?P<record_code>...)")
    sidecar = None
    if raw.get("sidecar"):
        sidecar = (base / raw["sidecar"]).resolve()
        if not sidecar.is_file():
            raise ProjectError(f"{path}: {where}.sidecar: '{raw['sidecar']}' is not a file")
    code = raw.get("code", "")
    return Locality(name=name.strip(), slug=slugify(name), code=str(code),
                    inventories=tuple(inventories), scan_roots=tuple(roots), columns=columns,
                    naming_pattern=pattern, sidecar=sidecar)


def load_project(path: str | Path) -> Project:
    """Read and validate a project file; raise ProjectError naming the first wrong key."""
    path = Path(path).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(f"{path}: project file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML: {exc}") from exc
    _unknown(set(raw), _TOP_KEYS, "", path)
    for key in ("title", "province"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ProjectError(f"{path}: '{key}' is missing; add e.g. {key} = \"...\"")
    localities_raw = raw.get("locality")
    if not isinstance(localities_raw, list) or not localities_raw:
        raise ProjectError(f"{path}: no [[locality]] tables; add one per locality to audit")
    localities = tuple(_locality(r, i, path.parent, path) for i, r in enumerate(localities_raw))
    slugs = [loc.slug for loc in localities]
    for slug in slugs:
        if slugs.count(slug) > 1:
            raise ProjectError(f"{path}: two localities share the name '{slug}'; names must differ")
    scan_raw = raw.get("scan", {})
    _unknown(set(scan_raw), _SCAN_KEYS, "scan.", path)
    catalogue = scan_raw.get("catalogue")
    if catalogue is not None and not isinstance(catalogue, str):
        raise ProjectError(f"{path}: 'scan.catalogue' must be a path, e.g. "
                           "catalogue = \"khaudit-catalogue.sqlite\"")
    scan = ScanSettings(
        sha256=bool(scan_raw.get("sha256", False)), workers=int(scan_raw.get("workers", 0)),
        catalogue=(path.parent / catalogue).resolve() if catalogue else
        path.parent / ".khaudit" / "catalogue.sqlite",
        max_mbps=float(scan_raw.get("max_mbps", 0)))
    matching = MatchSettings.from_mapping(raw.get("matching", {}), source=f"{path}: ")
    progress, history = _progress(raw.get("progress", {}), path)
    cluster = raw.get("cluster", {})
    if not isinstance(cluster, dict):
        raise ProjectError(f"{path}: 'cluster' must be a table ([cluster])")
    _unknown(set(cluster), {"scheduler"}, "cluster.", path)
    scheduler = cluster.get("scheduler")
    if scheduler is not None and (not isinstance(scheduler, str) or "://" not in scheduler):
        raise ProjectError(f"{path}: 'cluster.scheduler' must be an address such as "
                           "\"tcp://10.0.0.5:8786\"")
    return Project(path=path, title=raw["title"].strip(), province=raw["province"].strip(),
                   localities=localities, scan=scan, matching=matching, progress=progress,
                   history=history, scheduler=scheduler)


def _progress(raw: Any, path: Path) -> tuple[ProgressSettings, Path]:
    """The [progress] table: deadline, target, scanning rate and cost, history folder."""
    if not isinstance(raw, dict):
        raise ProjectError(f"{path}: 'progress' must be a table ([progress])")
    _unknown(set(raw), _PROGRESS_KEYS, "progress.", path)
    deadline = raw.get("deadline")
    if deadline is not None and not isinstance(deadline, dt.date):
        raise ProjectError(f"{path}: 'progress.deadline' must be a date, e.g. "
                           "deadline = 2025-06-30 (no quotes)")
    numbers = {}
    for key in ("target", "pages_per_day", "stations", "cost_per_page", "window"):
        if key in raw:
            value = raw[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ProjectError(f"{path}: 'progress.{key}' must be a positive number")
            numbers[key] = value
    target = float(numbers.get("target", 1.0))
    if target > 1:
        target /= 100  # written as a percentage
    if target > 1:
        raise ProjectError(f"{path}: 'progress.target' is a share (0.95) or a percentage (95)")
    settings = ProgressSettings(
        deadline=deadline if not isinstance(deadline, dt.datetime) else deadline.date(),
        target=target, pages_per_day=numbers.get("pages_per_day"),
        stations=int(numbers.get("stations", 1)), cost_per_page=numbers.get("cost_per_page"),
        window=int(numbers.get("window", 5)))
    history = raw.get("history")
    folder = (path.parent / history).resolve() if isinstance(history, str) else \
        path.parent / ".khaudit" / "history"
    return settings, folder

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
from .i18n import t
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
        raise ProjectError(t("err.project.no_locality", path=self.path, name=name_or_slug,
                             known=known))


def _unknown(keys: set[str], allowed: set[str], where: str, path: Path) -> None:
    for key in sorted(keys - allowed):
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        fix = (t("err.project.did_you_mean", close=close[0]) if close
               else t("err.project.allowed_keys", keys=", ".join(sorted(allowed))))
        raise ProjectError(t("err.project.unknown_key", path=path, key=f"{where}{key}", fix=fix))


def _str_list(value: Any, key: str, path: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ProjectError(t("err.project.paths", path=path, key=key))


def _locality(raw: Any, index: int, base: Path, path: Path) -> Locality:
    where = f"locality[{index}]"
    if not isinstance(raw, dict):
        raise ProjectError(t("err.project.locality_table", path=path, where=where))
    _unknown(set(raw), _LOCALITY_KEYS, f"{where}.", path)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ProjectError(t("err.project.no_name", path=path, where=where))
    where = t("err.project.locality_named", name=name)
    if "inventories" not in raw or not raw["inventories"]:
        raise ProjectError(t("err.project.no_inventories", path=path, where=where))
    if "scan_roots" not in raw or not raw["scan_roots"]:
        raise ProjectError(t("err.project.no_scan_roots", path=path, where=where))
    inventories: list[tuple[Path, str]] = []
    for pattern in _str_list(raw["inventories"], f"{where}.inventories", path):
        matches = sorted(glob.glob(str(base / pattern), recursive=True))
        if not matches:
            raise ProjectError(t("err.project.glob_none", path=path, where=where,
                                 pattern=pattern, base=base))
        for match in matches:
            p = Path(match)
            if p.suffix.lower() not in INVENTORY_SUFFIXES or p.name.startswith("~$"):
                continue
            inventories.append((p.resolve(), p.relative_to(base).as_posix()
                                if p.is_relative_to(base) else str(p)))
    if not inventories:
        raise ProjectError(t("err.project.no_inventory_files", path=path, where=where))
    roots = []
    for root in _str_list(raw["scan_roots"], f"{where}.scan_roots", path):
        p = (base / root).resolve()
        if not p.is_dir():
            raise ProjectError(t("err.project.not_folder", path=path, where=where, root=root,
                                 base=base))
        roots.append(p)
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ProjectError(t("err.project.columns", path=path, where=where))
    from .inventory.columns import SYNONYMS

    _unknown(set(columns), set(SYNONYMS), f"{where}.columns.", path)
    pattern = raw.get("naming_pattern", "")
    if pattern:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ProjectError(t("err.project.bad_regex", path=path, where=where,
                                 error=exc)) from exc
        known = {"record_code", "box", "file_no", "title", "year"}
        if not set(compiled.groupindex) & known:
            raise ProjectError(t("err.project.regex_groups", path=path, where=where,
                                 groups=", ".join(sorted(known))))
    sidecar = None
    if raw.get("sidecar"):
        sidecar = (base / raw["sidecar"]).resolve()
        if not sidecar.is_file():
            raise ProjectError(t("err.project.sidecar", path=path, where=where,
                                 sidecar=raw["sidecar"]))
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
        raise ProjectError(t("err.project.not_found", path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(t("err.project.toml", path=path, error=exc)) from exc
    _unknown(set(raw), _TOP_KEYS, "", path)
    for key in ("title", "province"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ProjectError(t("err.project.missing", path=path, key=key))
    localities_raw = raw.get("locality")
    if not isinstance(localities_raw, list) or not localities_raw:
        raise ProjectError(t("err.project.no_localities", path=path))
    localities = tuple(_locality(r, i, path.parent, path) for i, r in enumerate(localities_raw))
    slugs = [loc.slug for loc in localities]
    for slug in slugs:
        if slugs.count(slug) > 1:
            raise ProjectError(t("err.project.same_name", path=path, slug=slug))
    scan_raw = raw.get("scan", {})
    _unknown(set(scan_raw), _SCAN_KEYS, "scan.", path)
    catalogue = scan_raw.get("catalogue")
    if catalogue is not None and not isinstance(catalogue, str):
        raise ProjectError(t("err.project.catalogue", path=path))
    scan = ScanSettings(
        sha256=bool(scan_raw.get("sha256", False)), workers=int(scan_raw.get("workers", 0)),
        catalogue=(path.parent / catalogue).resolve() if catalogue else
        path.parent / ".khaudit" / "catalogue.sqlite",
        max_mbps=float(scan_raw.get("max_mbps", 0)))
    matching = MatchSettings.from_mapping(raw.get("matching", {}), source=f"{path}: ")
    progress, history = _progress(raw.get("progress", {}), path)
    cluster = raw.get("cluster", {})
    if not isinstance(cluster, dict):
        raise ProjectError(t("err.project.cluster_table", path=path))
    _unknown(set(cluster), {"scheduler"}, "cluster.", path)
    scheduler = cluster.get("scheduler")
    if scheduler is not None and (not isinstance(scheduler, str) or "://" not in scheduler):
        raise ProjectError(t("err.project.scheduler", path=path))
    return Project(path=path, title=raw["title"].strip(), province=raw["province"].strip(),
                   localities=localities, scan=scan, matching=matching, progress=progress,
                   history=history, scheduler=scheduler)


def _progress(raw: Any, path: Path) -> tuple[ProgressSettings, Path]:
    """The [progress] table: deadline, target, scanning rate and cost, history folder."""
    if not isinstance(raw, dict):
        raise ProjectError(t("err.project.progress_table", path=path))
    _unknown(set(raw), _PROGRESS_KEYS, "progress.", path)
    deadline = raw.get("deadline")
    if deadline is not None and not isinstance(deadline, dt.date):
        raise ProjectError(t("err.project.deadline", path=path))
    numbers = {}
    for key in ("target", "pages_per_day", "stations", "cost_per_page", "window"):
        if key in raw:
            value = raw[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ProjectError(t("err.project.positive", path=path, key=key))
            numbers[key] = value
    target = float(numbers.get("target", 1.0))
    if target > 1:
        target /= 100  # written as a percentage
    if target > 1:
        raise ProjectError(t("err.project.target", path=path))
    settings = ProgressSettings(
        deadline=deadline if not isinstance(deadline, dt.datetime) else deadline.date(),
        target=target, pages_per_day=numbers.get("pages_per_day"),
        stations=int(numbers.get("stations", 1)), cost_per_page=numbers.get("cost_per_page"),
        window=int(numbers.get("window", 5)))
    history = raw.get("history")
    folder = (path.parent / history).resolve() if isinstance(history, str) else \
        path.parent / ".khaudit" / "history"
    return settings, folder

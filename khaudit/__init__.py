"""khaudit: prove that an archive was digitized completely and handed over intact.

The public API; the ``khaudit`` command and the notebooks call these. The names are resolved on
first use (module ``__getattr__``), so ``import khaudit`` and ``khaudit --help`` do not pay for
pandas, pydantic and the matching stack until an audit is actually run.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import InventoryFileError, KhauditError, ProjectError

if TYPE_CHECKING:
    from .audit import audit
    from .project import Project, load_project
    from .run import Run, load_run

__all__ = [
    "__version__",
    "audit",
    "load_project",
    "load_run",
    "Project",
    "Run",
    "KhauditError",
    "ProjectError",
    "InventoryFileError",
]

#: Public name -> the module that defines it, imported when the name is first read.
_LAZY = {
    "audit": ".audit",
    "load_project": ".project",
    "Project": ".project",
    "load_run": ".run",
    "Run": ".run",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """This package, keeping ``khaudit.audit`` the function once the submodule is imported.

    Importing ``khaudit.audit`` (the module) makes the import system bind it as the package's
    ``audit`` attribute, which would shadow the public function of the same name.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "audit" and isinstance(value, ModuleType):
            value = value.audit
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

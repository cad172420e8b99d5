"""khaudit: prove that an archive was digitized completely and handed over intact.

The public API; the ``khaudit`` command and the notebooks call these.
"""

from ._version import __version__
from .audit import audit
from .errors import InventoryFileError, KhauditError, ProjectError
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

"""Progress for long work: one bar over an audit's stages, bars for scanning and rendering.

Bars are drawn on a terminal only: when standard error is not a TTY (a pipe, a log file, a
test) or the ``CI`` variable is set (continuous integration runners often give a pseudo
terminal whose log would fill with redrawn bars), they stay silent. ``KHAUDIT_PROGRESS=1``
forces them on and ``=0`` off, whatever the terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from .escape import for_terminal
from .i18n import t

STAGES = ("inventory", "scan", "match")
FORCE_ENV = "KHAUDIT_PROGRESS"


def enabled() -> bool:
    """Whether bars are drawn: a terminal on standard error, not CI, unless forced."""
    forced = os.environ.get(FORCE_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def bar(**options: Any) -> Any:
    """A tqdm bar on standard error, drawn only when :func:`enabled`."""
    from tqdm import tqdm

    if "desc" in options:  # a locality or folder name: shown as text, never acted on
        options["desc"] = for_terminal(options["desc"])
    return tqdm(file=sys.stderr, disable=not enabled(), dynamic_ncols=True, **options)


class StageProgress:
    """A bar that advances once per (locality, stage): "Xã Diên Lạc: quét ảnh"."""

    def __init__(self, localities: int):
        self.bar = bar(total=localities * len(STAGES), unit=t("progress.stage_unit"))

    def _describe(self, locality: str, name: str) -> None:
        self.bar.set_description(for_terminal(f"{locality}: {t('progress.' + name)}"))

    @contextlib.contextmanager
    def stage(self, locality: str, name: str) -> Iterator[None]:
        self._describe(locality, name)
        yield
        self.bar.update()

    def started(self, locality: str, name: str) -> None:
        """A stage handed to a worker process or a cluster: say so while it runs."""
        self._describe(locality, name)

    def done(self, locality: str, name: str) -> None:
        """A stage that ran elsewhere (a worker process, a cluster) came back."""
        self._describe(locality, name)
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


class NoProgress(StageProgress):
    """Stages that show nothing, whatever the terminal."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(disable=True)

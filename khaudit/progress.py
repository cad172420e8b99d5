"""Progress for long work: one bar over an audit's stages, and per-stage bars inside them.

Bars show on a terminal and stay silent in logs and tests (tqdm's ``disable=None``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from tqdm.auto import tqdm

STAGES = ("inventory", "scan", "match")


class StageProgress:
    """A bar that advances once per (locality, stage): "Xã Diên Lạc: scan"."""

    def __init__(self, localities: int):
        self.bar = tqdm(total=localities * len(STAGES), unit="stage", disable=None)

    @contextlib.contextmanager
    def stage(self, locality: str, name: str) -> Iterator[None]:
        self.bar.set_description(f"{locality}: {name}")
        yield
        self.bar.update()

    def done(self, locality: str, name: str) -> None:
        """A stage that ran elsewhere (a worker process, a cluster) came back."""
        self.bar.set_description(f"{locality}: {name}")
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


class NoProgress(StageProgress):
    def __init__(self) -> None:
        self.bar = tqdm(disable=True)

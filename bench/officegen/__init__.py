"""officegen: a third labelled province generator, built from offices' habits alone.

See ``labels`` for the labelling rule of ties; ``generate`` is the one entry point.
"""

from .province import generate

__all__ = ["generate"]

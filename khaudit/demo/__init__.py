"""The bundled demo province and its ground truth."""

from .province import LOCALITIES, generate_demo

__all__ = ["LOCALITIES", "generate_demo"]

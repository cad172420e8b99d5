"""The bundled demo province and its ground truth."""

from .province import LOCALITIES, deliver_demo, generate_demo

__all__ = ["LOCALITIES", "deliver_demo", "generate_demo"]

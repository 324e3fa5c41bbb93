"""An emulated 1C publication (standard OData + the docs1c print service); see MODEL.md."""

from .app import Knobs, OneCSandbox, create_app

__all__ = ["Knobs", "OneCSandbox", "create_app"]

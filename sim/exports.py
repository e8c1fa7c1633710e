"""Names a package re-exports, imported from their modules on first use.

`sim` and `sim.config` re-export the public API (`from sim import load_config`),
but importing a name's module up front would make every import of the package
pay for the model, Hydra or pandas: checking a command line needs none of the
model, and a worker process that runs plain configs needs no Hydra.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy(package: dict[str, Any], names: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level `__getattr__` and `__dir__` of a package (`package` is its globals()) that
    re-exports each of `names` (name -> module) from its module the first time it is read."""

    def get(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package['__name__']!r} has no attribute {name!r}")
        value = getattr(import_module(names[name]), name)
        package[name] = value  # read once: later reads find it in the package
        return value

    def listing() -> list[str]:
        return sorted(set(package) | set(names))

    return get, listing

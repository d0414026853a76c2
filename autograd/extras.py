"""stepgrad's optional dependencies (the extras of ``pyproject.toml``), imported where they are used.

sympy, matplotlib, scikit-learn and numpy are not needed to build and differentiate graphs, so
they are imported only by the features that need them, through one of these two functions:

* :func:`require` for a feature that cannot work without the package: it imports the module, or
  raises an ``ImportError`` that names the feature and the extra that installs the package;
* :func:`available` for a feature that has a slower way without it: the module, or ``None``.

    >>> require("math", feature="this example", extra="none").sqrt(4.0)
    2.0
    >>> require("surely_not_installed", feature="nn.plot", extra="plot", package="matplotlib")
    Traceback (most recent call last):
      ...
    ImportError: nn.plot needs matplotlib, stepgrad's 'plot' extra: pip install 'stepgrad[plot]' ...
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require", "available"]


def require(module: str, *, feature: str, extra: str, package: str = "") -> ModuleType:
    """``module`` imported, or an ``ImportError`` saying that ``feature`` needs ``package`` (the
    module's top-level name unless given) and how to install it with stepgrad's ``extra``."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        needed = package or module.split(".")[0]
        raise ImportError(
            f"{feature} needs {needed}, stepgrad's {extra!r} extra: pip install 'stepgrad[{extra}]' "
            f"(in a checkout: pip install -e '.[{extra}]')"
        ) from error


def available(module: str) -> ModuleType | None:
    """``module`` imported, or ``None`` when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None

"""The optional packages a batch job may need (pyarrow for CSV and Parquet, Ray, Dask), imported
when first needed, with one message naming the extra to install when one is missing."""

from __future__ import annotations

import importlib
from typing import Any


def import_extra(module: str, extra: str, needed_for: str, error: type[Exception]) -> Any:
    """``module``, or ``error`` saying that ``needed_for`` needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise error(f"{needed_for} needs {module.split('.')[0]}: pip install 'ethicslint[{extra}]' ({exc})") from None

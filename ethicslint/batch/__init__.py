"""``ethicslint batch``: screen a table of generated ad and e-mail variants, on this machine or on
an existing Ray or Dask cluster, and write a table of findings. Reference: ``docs/scale.md``.

- :mod:`.readers`: JSON Lines, CSV and Parquet, streamed in bounded batches;
- :mod:`.checking`: one warm Linter per worker, a variant's findings as ``Linter.check_text`` gives them;
- :mod:`.engines`: ``local`` worker processes, Ray actors, Dask workers;
- :mod:`.rows`, :mod:`.writers`: the findings table (JSON Lines or Parquet);
- :mod:`.progress`: the progress line, on a terminal only;
- :mod:`.run`: one job, its corpus-level checks and its exit status.
"""

from __future__ import annotations

from .checking import LinterSpec
from .engines import ENGINES, EngineError
from .readers import Columns, InputError
from .run import BatchOptions, BatchOutcome, run_batch
from .writers import OutputError

__all__ = ["ENGINES", "BatchOptions", "BatchOutcome", "Columns", "EngineError", "InputError", "LinterSpec",
           "OutputError", "run_batch"]

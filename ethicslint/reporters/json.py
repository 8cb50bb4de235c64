"""``json``: the findings as a JSON list of :meth:`Finding.to_dict` objects, for scripts.

UTF-8 with ``ensure_ascii=False`` so French copy stays readable in the output; an empty run is
``[]``, never an empty string, so consumers can always parse stdout.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from . import sorted_findings

if TYPE_CHECKING:
    from . import Report


def render(report: Report) -> str:
    """The sorted findings as an indented JSON array."""
    return json.dumps([f.to_dict() for f in sorted_findings(report)], indent=2, ensure_ascii=False)

"""``python -m ethicslint``.

``python -m`` puts the current directory first on ``sys.path`` (the ``ethicslint`` console
script puts its own directory there instead). The current directory is usually the checked
repository, and its config names plugin modules to import, so that entry would let a pull request
run code by adding a module and naming it (docs/security.md). It is removed before anything is
imported, as ``python -P`` would; plugin modules load from the installed packages and from
``PYTHONPATH``, which the user sets.
"""

import os
import sys

if __name__ == "__main__":
    try:
        here = os.getcwd()
    except OSError:  # a deleted directory: its entry can import nothing
        here = ""
    if not sys.flags.safe_path and sys.path and sys.path[0] in ("", here):
        del sys.path[0]

    from ethicslint.cli import run

    run()

"""The language a file's path declares: i18n repositories say it there, not in the text.

``locales/fr.json``, ``fr/``, ``fr_FR/LC_MESSAGES/``, ``messages.fr.json``, ``Home_fr.json``,
``legal-mentions-fr.md``, ``index.fr.md``: a one-line French string in such a file has too few
words for stop-word detection, so without the path it would be read as English and its urgency
missed. Metadata in the file (front matter ``lang``, ``<html lang>``, a po ``Language`` header)
still wins; long strings in the other language are still detected per segment.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePosixPath

from .nlp import SUPPORTED_LANGUAGES

# a language tag, optionally with a region: fr, fr_FR, fr-ca, en-GB
_TAG = re.compile(r"(?i)([a-z]{2})(?:[-_][a-z]{2})?")
# a file stem ending in a tag after a separator: messages.fr, Home_fr, legal-mentions-fr, ui.en
_SUFFIX_TAG = re.compile(r"(?i)[._-]([a-z]{2})(?:[-_][a-z]{2})?$")


def _tag(text: str) -> str | None:
    match = _TAG.fullmatch(text)
    lang = match.group(1).lower() if match else None
    return lang if lang in SUPPORTED_LANGUAGES else None


def language_from_path(path: str) -> str | None:
    """The language the path names (``"fr"``/``"en"``), or None. The file name speaks first,
    then the nearest folder (``lang/fr/texts/about.html``)."""
    pure = PurePosixPath(path.replace(os.sep, "/"))
    lang = _tag(pure.stem)
    if lang:
        return lang
    suffix = _SUFFIX_TAG.search(pure.stem)
    if suffix and suffix.group(1).lower() in SUPPORTED_LANGUAGES:
        return suffix.group(1).lower()
    for folder in reversed(pure.parent.parts):
        if folder == "LC_MESSAGES":
            continue
        lang = _tag(folder)
        if lang:
            return lang
    return None

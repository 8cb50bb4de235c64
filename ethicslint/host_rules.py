"""The host's own rules (prefix ``EL``): problems with the run itself, not with the copy.

They are ordinary :class:`~ethicslint.model.Rule` objects so ``explain``, ``rules`` and the
reporters treat them like any checker's rules.
"""

from __future__ import annotations

from .model import Rule, Severity

CHECKER = "ethicslint"

PLUGIN_ERROR = Rule(
    code="EL001", name="plugin-error", checker=CHECKER, severity=Severity.ERROR,
    summary="A checker plugin raised an exception or ended its process; its findings for this file are "
            "missing.",
    why="A crashing checker silently hides problems in the copy. The run continues with the other "
        "checkers, and the exit status (3) says the result is incomplete. A plugin that ends its "
        "process (`os._exit`, a crash in C code) ends only the worker process it runs in; the file is "
        "checked again without it.",
    fix="Report the exception to the plugin's authors, or turn the plugin off with "
        "`--disable-plugin NAME` until it is fixed.",
)
PLUGIN_OUTPUT = Rule(
    code="EL002", name="plugin-bad-output", checker=CHECKER, severity=Severity.ERROR,
    summary="A checker plugin returned something that is not a valid finding.",
    why="Findings with wrong types or positions outside the file cannot be reported reliably, so "
        "they are dropped and reported here instead.",
    fix="Report it to the plugin's authors.",
)
PLUGIN_TIMEOUT = Rule(
    code="EL003", name="plugin-timeout", checker=CHECKER, severity=Severity.ERROR,
    summary="A checker plugin ran longer than `plugin-time-limit` on one file and was stopped; its "
            "findings for this file are missing.",
    why="A checker that hangs would hang every commit and every CI job. It is interrupted (a call stuck "
        "in compiled code, by ending the worker process it runs in), the run continues with the other "
        "checkers and files, and the exit status (3) says the result is incomplete.",
    fix="Report the file to the plugin's authors. If the file is simply very large, raise "
        "`plugin-time-limit` in the config (0 turns the limit off), or exclude the file.",
)
UNREADABLE = Rule(
    code="EL101", name="unreadable-file", checker=CHECKER, severity=Severity.ERROR,
    summary="The file could not be read as text (binary content or an I/O error).",
    why="A file that is not read is not checked; the run says so instead of skipping it silently.",
    fix="Exclude binary files with `exclude` in the config, or fix the file's permissions.",
)
FALLBACK_ENCODING = Rule(
    code="EL102", name="not-utf8", checker=CHECKER, severity=Severity.WARNING,
    summary="The file is not valid UTF-8: a UTF-8 file with bad bytes is read with them replaced "
            "by U+FFFD, any other is decoded as cp1252/latin-1.",
    why="Copy in a legacy encoding, or with damaged bytes, shows up garbled in many tools; a word "
        "holding a bad byte is not matched.",
    fix="Re-save the file as UTF-8.",
)
TOO_LARGE = Rule(
    code="EL103", name="file-too-large", checker=CHECKER, severity=Severity.WARNING,
    summary="The file is larger than `max-file-size` and was skipped.",
    why="Very large files are usually generated data, not copy; checking them would slow every run.",
    fix="Exclude the file, or raise `max-file-size` in the config.",
)
PARSE_ERROR = Rule(
    code="EL104", name="parse-error", checker=CHECKER, severity=Severity.ERROR,
    summary="The file (or its front matter) could not be parsed; what could be read was checked.",
    why="Malformed YAML, JSON, gettext or front matter hides part of the copy from the checks.",
    fix="Fix the syntax at the position given in the message.",
)
LONG_SEGMENT = Rule(
    code="EL105", name="long-segment", checker=CHECKER, severity=Severity.INFO,
    summary="One run of prose (a paragraph, a string value, an attribute) is longer than 100,000 "
            "characters; it was checked in pieces.",
    why="Analysis of one piece of text grows faster than its length, and spaCy refuses texts over a "
        "million characters; a huge string is almost always data (a base64 image, a minified page), "
        "not copy. Checked in pieces, a phrase that spans a cut may be missed.",
    fix="Exclude generated or data files with `exclude` in the config, or break the text into "
        "paragraphs.",
)
UNREADABLE_IMAGE = Rule(
    code="EL106", name="unreadable-image", checker=CHECKER, severity=Severity.INFO,
    summary="An image the document shows could not be read for its provenance (corrupt, larger than "
            "50 MB, too many pixels, or a C2PA manifest that cannot be parsed); the run went on without it.",
    why="Rules that look at what an image says about how it was made (AID103) cannot judge an image "
        "whose metadata cannot be read; the run says so at the image's reference instead of staying silent. "
        "Reported once per file and document, only when the `images` extra is installed.",
    fix="Re-export the image with a standard tool, or fix the reference if it points at the wrong file.",
)
UNCHECKABLE_VARIANT = Rule(
    code="EL107", name="uncheckable-variant", checker=CHECKER, severity=Severity.ERROR,
    summary="A row of an `ethicslint batch` input could not be checked: its text is empty, missing, not "
            "a string or not valid UTF-8, its record is not valid JSON, or its language or kind is unknown.",
    why="A generated variant that is not checked must not pass as clean: the batch reports the row "
        "(by its id, or its row number) and goes on with the others, and the row counts as failed.",
    fix="Fix the row in the input (or the column names: `--text-column`), or drop it from the batch.",
)
SUPPRESSION_WITHOUT_REASON = Rule(
    code="EL201", name="suppression-without-reason", checker=CHECKER, severity=Severity.WARNING,
    summary="An inline suppression gives no reason, and the config asks for one (`require-reason = true`).",
    why="A suppression hides a finding from every later run. Without a reason, the next editor cannot "
        "tell a checked exception (the offer's end date is in the legal notice) from a finding someone "
        "wanted to go away, and an audit (`ethicslint suppressions`) cannot review it. Only reported when "
        "`require-reason = true`.",
    example="<!-- ethicslint-disable-next-line URG101 -->",
    use_instead="<!-- ethicslint-disable-next-line URG101 -- end date stated in the legal notice -->",
    fix="Add the reason after ` -- ` in the comment (`# ethicslint: disable=URG101 -- reason` in YAML "
        "and .po files).",
)
UNUSED_SUPPRESSION = Rule(
    code="EL202", name="unused-suppression", checker=CHECKER, severity=Severity.WARNING,
    summary="An inline suppression turned no finding off, and the config asks to report those "
            "(`report-unused-suppressions = true`).",
    why="Copy changes and rules improve; a suppression left behind once its finding is gone would "
        "silently hide the next real problem on that line. A suppression naming a rule that is not "
        "selected (`select`, `ignore`, `per-file-ignores`) or not loaded is not reported: it had no chance "
        "to turn anything off in this run. Only reported when `report-unused-suppressions = true`.",
    example="<!-- ethicslint-disable-next-line URG101 -- old countdown -->\nSpring collection, in stores now.",
    use_instead="Spring collection, in stores now.",
    fix="Remove the comment, or correct the codes it names.",
)

HOST_RULES: tuple[Rule, ...] = (
    PLUGIN_ERROR, PLUGIN_OUTPUT, PLUGIN_TIMEOUT, UNREADABLE, FALLBACK_ENCODING, TOO_LARGE, PARSE_ERROR,
    LONG_SEGMENT, UNREADABLE_IMAGE, UNCHECKABLE_VARIANT, SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION,
)

"""Configuration: ``[tool.ethicslint]`` in ``pyproject.toml``, or a ``.ethicslint.toml``.

Validation is strict and every error is a :class:`ConfigError` whose message names the file,
the table and the key, so a typo is a clear one-line error (exit 2), never a silent default
and never a traceback.

Keys are kebab-case. In ``.ethicslint.toml`` they are top-level and checker tables are
``[urgency]``; in ``pyproject.toml`` they live under ``[tool.ethicslint]`` and checker tables
are ``[tool.ethicslint.urgency]``. Any table whose name is not a known key is a checker
table; those are checked against the loaded plugins' declared options by
:func:`validate_plugin_tables`, once the plugins are known.

Globs (``exclude``, ``include``, ``per-file-ignores``) are gitignore-style patterns relative
to the directory of the config file; so are the paths in ``rule-packs``.

House rules as data (``custom-rules`` tables and ``rule-packs`` files) are read and checked here
too, by :mod:`ethicslint.custom_rules`, so a bad key is a configuration error like any other. Reading
a config needs no language model: what needs one (whether a term is in base form, or only stop
words) is checked when the rules' plugin is built, with the same kind of error.

Every check uses the helpers of :mod:`ethicslint.schema`, so messages share one shape: file,
table, key, what was expected, what was found.
"""

from __future__ import annotations

import copy
import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import schema
from .config_globs import glob_spec
from .custom_rules import CustomRule, check_together, load_rule_pack, parse_rules
from .errors import ConfigError
from .kinds import KINDS, parse_kind
from .model import Severity
from .options import Option
from .paths import display_path
from .plugin_modules import not_a_plugin
from .schema import Place
from .selection import CODE, validate_selector

__all__ = ["Config", "ConfigError", "apply_overrides", "find_config", "load_config", "validate_plugin_tables"]

CONFIG_FILE = ".ethicslint.toml"
PYPROJECT = "pyproject.toml"
LANGUAGES = ("en", "fr", "auto")
FORMATS = ("markdown", "html", "mjml", "text", "yaml", "json", "po")


@dataclass
class Config:
    """The validated settings of one run (defaults when no config file was found)."""

    path: Path | None  # the file the config came from (None = defaults)
    root: Path  # directory of that file, or the cwd; globs are relative to it
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    include: list[str] = field(default_factory=list)  # globs reaching into hidden/default-skipped dirs
    exclude: list[str] = field(default_factory=list)  # globs, on top of discovery's defaults
    language: str | None = None  # "en" | "fr" | None (detect per document)
    fail_on: Severity = Severity.WARNING
    severity: dict[str, Severity] = field(default_factory=dict)  # code -> severity override
    max_file_size: int = 5_000_000
    plugins: list[str] = field(default_factory=list)  # extra local plugin modules
    disable_plugins: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # glob or extension -> format name
    kinds: dict[str, str] = field(default_factory=dict)  # glob -> copy kind (ethicslint.kinds)
    respect_gitignore: bool = True
    cache: bool = True
    plugin_tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # checker -> raw table
    custom_rules: list[CustomRule] = field(default_factory=list)  # inline and rule-pack rules, validated
    rule_packs: list[str] = field(default_factory=list)  # rule-pack files, relative to the config file
    plugin_time_budget: float = 2.0  # seconds one plugin may spend on one file before it is named slow
    plugin_time_limit: float = 60.0  # seconds after which a plugin is stopped on one file (0: never)
    require_reason: bool = False  # an inline suppression without a reason is an EL201 finding
    report_unused_suppressions: bool = False  # an inline suppression that turned nothing off is EL202


# --- finding the file -----------------------------------------------------------------------

def find_config(start: Path) -> Path | None:
    """The config that applies to ``start`` (a file or directory), searching upwards.

    In each directory, ``.ethicslint.toml`` wins over ``pyproject.toml``, and a
    ``pyproject.toml`` counts only when it has a ``[tool.ethicslint]`` table (so a Python
    project's own pyproject does not hide a config further up). The search stops at the
    filesystem root, or after the first directory holding ``.git`` (the repository root).
    """
    here = Path(os.path.abspath(start))
    directory = here if here.is_dir() else here.parent
    for candidate in (directory, *directory.parents):
        dotfile = candidate / CONFIG_FILE
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and "ethicslint" in _tool_table(_read_toml(pyproject)):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{display_path(path)}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{display_path(path)}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{display_path(path)}: invalid TOML: the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display_path(path)}: invalid TOML: {exc}") from None


def _tool_table(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    return tool if isinstance(tool, dict) else {}


# --- loading --------------------------------------------------------------------------------

class _Where:
    """The file being read and how its tables are named: ``[tool.ethicslint.urgency]`` in
    ``pyproject.toml``, ``[urgency]`` in ``.ethicslint.toml``."""

    def __init__(self, path: Path | None) -> None:
        # no file: settings given in code (the testing helper, an embedding program)
        self.file = display_path(path) if path is not None else "plugin settings"
        self.in_pyproject = path is not None and path.name == PYPROJECT

    def table(self, sub: str | None = None) -> str:
        if self.in_pyproject:
            return f"[tool.ethicslint.{sub}]" if sub else "[tool.ethicslint]"
        return f"[{sub}]" if sub else ""

    def at(self, sub: str | None = None) -> Place:
        """The place of the config's top level, or of its table ``sub``."""
        return Place(self.file, self.table(sub))

    def error(self, message: str, sub: str | None = None) -> ConfigError:
        return self.at(sub).error(message)


def _string_list(key: str, value: Any, where: _Where) -> list[str]:
    return schema.string_list(repr(key), value, where.at())


def _selectors(key: str, value: Any, where: _Where, sub: str | None = None) -> list[str]:
    selectors = schema.string_list(repr(key), value, where.at(sub))
    for selector in selectors:
        problem = validate_selector(selector)
        if problem:
            raise where.error(f"{key!r}: {problem}", sub)
    return selectors


def _globs(key: str, value: Any, where: _Where) -> list[str]:
    globs = _string_list(key, value, where)
    _check_globs(key, globs, where)
    return globs


def _check_globs(key: str, globs: list[str], where: _Where, sub: str | None = None) -> None:
    for glob in globs:
        try:
            glob_spec(glob)
        except ValueError as exc:
            raise where.error(f"{key!r}: invalid glob: {exc}", sub) from None


def _table(key: str, value: Any, where: _Where) -> dict[str, Any]:
    return schema.table(repr(key), value, where.at())


def _per_file_ignores(key: str, value: Any, where: _Where) -> dict[str, list[str]]:
    result = {}
    for glob, selectors in _table(key, value, where).items():
        _check_globs(glob, [glob], where, sub=key)
        result[glob] = _selectors(glob, selectors, where, sub=key)
    return result


def _language(key: str, value: Any, where: _Where) -> str | None:
    language = schema.one_of(repr(key), value, LANGUAGES, where.at())
    return None if language == "auto" else language


def _severity(key: str, value: Any, where: _Where) -> Severity:
    return schema.severity(repr(key), value, where.at())


def _severities(key: str, value: Any, where: _Where) -> dict[str, Severity]:
    result = {}
    for code, severity in _table(key, value, where).items():
        if not CODE.fullmatch(code):
            raise where.error(f"{code!r} is not a rule code (e.g. URG101)", sub=key)
        result[code] = schema.severity(repr(code), severity, where.at(key))
    return result


MAX_FILE_SIZE = 1_000_000_000  # bytes: the largest `max-file-size` (a file is read whole)
MAX_SECONDS = 86_400.0  # the largest `plugin-time-limit` and `plugin-time-budget`: a day


def _file_size(key: str, value: Any, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise where.error(f"{key!r} must be a positive integer, got {schema.describe(value)}")
    if value > MAX_FILE_SIZE:  # tomllib reads integers of any size; read() cannot take them
        raise where.error(f"{key!r} must be at most {MAX_FILE_SIZE} (bytes), got {schema.describe(value)}")
    return value


def _plugin_modules(key: str, value: Any, where: _Where) -> list[str]:
    """Module names, each one a plugin module by its source (:mod:`ethicslint.plugin_modules`):
    a config file must not make ethicslint import just any module."""
    modules = _string_list(key, value, where)
    for module in modules:
        problem = not_a_plugin(module)
        if problem:
            raise where.error(f"{key!r}: {problem}")
    return modules


def _formats(key: str, value: Any, where: _Where) -> dict[str, str]:
    return {pattern: schema.one_of(repr(pattern), name, FORMATS, where.at(key))
            for pattern, name in _table(key, value, where).items()}


def _kinds(key: str, value: Any, where: _Where) -> dict[str, str]:
    result = {}
    for glob, name in _table(key, value, where).items():
        _check_globs(glob, [glob], where, sub=key)
        kind = parse_kind(name)
        if kind is None:
            raise where.error(f"{glob!r} must be one of {', '.join(KINDS)}, got {schema.describe(name)}", sub=key)
        result[glob] = kind
    return result


def _boolean(key: str, value: Any, where: _Where) -> bool:
    return schema.boolean(repr(key), value, where.at())


def _seconds(value: Any, minimum_excluded: float) -> bool:
    """Whether ``value`` is a finite number of seconds above ``minimum_excluded``, up to a day
    (``inf`` and ``nan`` are TOML floats, and a timer cannot be armed with either)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) \
        and minimum_excluded < value <= MAX_SECONDS


def _positive_number(key: str, value: Any, where: _Where) -> float:
    if not _seconds(value, 0):
        raise where.error(f"{key!r} must be a positive number of seconds up to {MAX_SECONDS:g}, got "
                          f"{schema.describe(value)}")
    return float(value)


def _time_limit(key: str, value: Any, where: _Where) -> float:
    if not (_seconds(value, 0) or (type(value) in (int, float) and value == 0)):
        raise where.error(f"{key!r} must be 0 (never) or a number of seconds up to {MAX_SECONDS:g}, got "
                          f"{schema.describe(value)}")
    return float(value)


def _custom_rules(key: str, value: Any, where: _Where) -> list[CustomRule]:
    table = _table(key, value, where)
    return parse_rules(table, lambda code: where.at(f"{key}.{code}" if code else key))


def _rule_packs(key: str, value: Any, where: _Where) -> list[str]:
    packs = _string_list(key, value, where)
    seen: set[str] = set()
    for pack in packs:
        if not pack.strip():
            raise where.error(f"{key!r} contains an empty path")
        normalized = os.path.normpath(pack)
        if normalized in seen:
            raise where.error(f"{key!r} lists {pack!r} twice")
        seen.add(normalized)
    return packs


def _load_rule_packs(config: Config, where: _Where) -> None:
    """Read the ``rule-packs`` files and check all custom rules together (what needs no language
    model: the terms themselves are checked when the rules' plugin is built, see
    :mod:`ethicslint.custom_rules`)."""
    rules = list(config.custom_rules)
    for pack in config.rule_packs:
        path = config.root / pack
        if not path.is_file():
            raise where.error(f"'rule-packs': no such file {pack!r} (paths are relative to {where.file})")
        rules.extend(load_rule_pack(path, display_path(path)))
    check_together(rules)
    config.custom_rules = rules


# config key -> (Config attribute, parser)
_KEYS: dict[str, tuple[str, Callable[[str, Any, _Where], Any]]] = {
    "select": ("select", _selectors),
    "ignore": ("ignore", _selectors),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "include": ("include", _globs),
    "exclude": ("exclude", _globs),
    "language": ("language", _language),
    "fail-on": ("fail_on", _severity),
    "severity": ("severity", _severities),
    "max-file-size": ("max_file_size", _file_size),
    "plugins": ("plugins", _plugin_modules),
    "disable-plugins": ("disable_plugins", _string_list),
    "formats": ("formats", _formats),
    "kinds": ("kinds", _kinds),
    "respect-gitignore": ("respect_gitignore", _boolean),
    "cache": ("cache", _boolean),
    "custom-rules": ("custom_rules", _custom_rules),
    "rule-packs": ("rule_packs", _rule_packs),
    "plugin-time-budget": ("plugin_time_budget", _positive_number),
    "plugin-time-limit": ("plugin_time_limit", _time_limit),
    "require-reason": ("require_reason", _boolean),
    "report-unused-suppressions": ("report_unused_suppressions", _boolean),
}


def load_config(path: Path | None, *, cwd: Path | None = None) -> Config:
    """The validated config in ``path``; ``None`` gives the defaults rooted at ``cwd``."""
    if path is None:
        return Config(path=None, root=Path(os.path.abspath(cwd or Path.cwd())))
    where = _Where(path)
    data = _read_toml(path)
    if where.in_pyproject:
        data = _tool_table(data).get("ethicslint", {})
        if not isinstance(data, dict):
            raise where.error(f"must be a table, got {schema.describe(data)}")
    elif "tool" in data:
        raise where.error("[tool.ethicslint] belongs in pyproject.toml; here, write its keys at the top level")
    config = Config(path=path, root=Path(os.path.abspath(path)).parent)
    for key, value in data.items():
        if key in _KEYS:
            attribute, parse = _KEYS[key]
            setattr(config, attribute, parse(key, value, where))
        elif isinstance(value, dict):
            config.plugin_tables[key] = value
        else:
            raise schema.unknown_key(key, _KEYS, where.at())
    if config.custom_rules or config.rule_packs:
        _load_rule_packs(config, where)
    return config


# --- checker tables -------------------------------------------------------------------------

def _name_key(name: str) -> str:
    return name.lower().replace("_", "-")


def validate_plugin_tables(config: Config, declared: dict[str, list[Option]]) -> dict[str, dict[str, Any]]:
    """Checker name -> its option values, defaults filled in, for every declared checker.

    Each value is checked against its option's declared type (:meth:`Option.check`), items of
    arrays and values of tables included, so a wrong value is a configuration error naming the
    real file, table and key, never a plugin's exception. Tables naming a disabled plugin are
    ignored, so ``--disable-plugin urgency`` does not turn an ``[urgency]`` table into an error.
    """
    values = {name: {o.name: copy.deepcopy(o.default) for o in options} for name, options in declared.items()}
    if not config.plugin_tables:
        return values
    where = _Where(config.path)
    by_key = {_name_key(name): name for name in declared}
    disabled = {_name_key(name) for name in config.disable_plugins}
    for table, settings in config.plugin_tables.items():
        checker = by_key.get(_name_key(table))
        if checker is None:
            if _name_key(table) in disabled:
                continue
            known = ", ".join(sorted(declared)) or "none"
            hint = schema.did_you_mean(table, [*declared, *_KEYS])
            raise ConfigError(f"{where.file}: unknown table {where.table(table)}: no loaded checker is "
                              f"named {table!r}{hint}; known checkers: {known}")
        options = {o.name: o for o in declared[checker]}
        place = where.at(table)
        for key, value in settings.items():
            option = options.get(key)
            if option is None:
                raise schema.unknown_key(key, options, place, f"; options of {checker!r}: "
                                                              f"{', '.join(options) or 'none'}")
            values[checker][key] = option.check(value, place)
    return values


# --- command-line overrides -----------------------------------------------------------------

def apply_overrides(config: Config, *, select: list[str] | None = None, ignore: list[str] | None = None,
                    fail_on: str | None = None, language: str | None = None,
                    plugins: list[str] | None = None, disable_plugins: list[str] | None = None,
                    no_cache: bool | None = None) -> Config:
    """A copy of ``config`` with the command-line flags that were given (not None) applied.

    ``--select``, ``--ignore``, ``--fail-on`` and ``--language`` replace the config's values;
    ``--plugin`` and ``--disable-plugin`` add to the config's lists (they say "one more").
    """
    changes: dict[str, Any] = {}
    for flag, value, attribute in (("--select", select, "select"), ("--ignore", ignore, "ignore")):
        if value is not None:
            for selector in value:
                problem = validate_selector(selector)
                if problem:
                    raise ConfigError(f"{flag}: {problem}")
            changes[attribute] = list(value)
    if fail_on is not None:
        try:
            changes["fail_on"] = Severity.parse(fail_on)
        except ValueError as exc:
            raise ConfigError(f"--fail-on: {exc}") from None
    if language is not None:
        if language not in LANGUAGES:
            raise ConfigError(f"--language: expected one of {', '.join(LANGUAGES)}, got {language!r}")
        changes["language"] = None if language == "auto" else language
    if plugins is not None:
        changes["plugins"] = list(dict.fromkeys([*config.plugins, *plugins]))
    if disable_plugins is not None:
        changes["disable_plugins"] = list(dict.fromkeys([*config.disable_plugins, *disable_plugins]))
    if no_cache:
        changes["cache"] = False
    return replace(config, **changes)

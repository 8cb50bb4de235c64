"""The plugin host: loads checker plugins through pluggy and calls each one in isolation.

Built-in checkers and third-party plugins come through the same door, the ``ethicslint``
entry-point group; ``--plugin MODULE`` / config ``plugins`` add local modules. Each hook
implementation is called on its own (not through one pluggy call) so that one plugin that
raises or returns garbage is reported (EL001/EL002) and the others still run. Each call is
timed, so a slow plugin can be named (``plugin-time-budget``), and one that runs past
``plugin-time-limit`` on a file is interrupted and reported (EL003): a hanging checker must not
hang a commit. Loading (the import and the declaration hooks) is bounded by the same limit.

The limit raises :class:`PluginTimeout` inside Python code. Code that runs in C for long (a
compiled matcher, a hash) only sees it when it returns; where plugins run in worker processes
(:mod:`ethicslint.workers`), the supervising process ends such a call by ending its worker, and
the host of the retried work reports the :class:`Fault` instead of calling the plugin again.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import pluggy

from . import hookspecs
from .errors import PluginLoadError
from .host_rules import HOST_RULES, PLUGIN_ERROR, PLUGIN_OUTPUT, PLUGIN_TIMEOUT
from .model import Finding, Rule, Severity, line_starts
from .options import Option, type_problem
from .selection import CODE
from .setup_clock import shared_setup_seconds

ENTRY_POINT_GROUP = "ethicslint"


class PluginContractError(PluginLoadError):
    """A plugin's hook implementations break the contract of :mod:`ethicslint.hookspecs` (an
    unknown or undecorated hook, a marker the host does not honour, an argument no hook passes):
    its code must change before it can run at all, so it is reported as a usage error."""

    exit_status = 2


class PluginTimeout(BaseException):
    """Raised inside a plugin that ran past the time limit. A BaseException, like
    KeyboardInterrupt, so that a plugin's own ``except Exception`` does not swallow it."""


# What a plugin call may raise that is the plugin's failure, not the run's: SystemExit too (a
# plugin calling ``sys.exit`` must not end the run with its status); KeyboardInterrupt is the user's.
_PLUGIN_FAILURES = (Exception, PluginTimeout, SystemExit)


class CallMonitor(Protocol):
    """Told which plugin call runs now and its time limit, so that a supervising process can
    tell which plugin hangs or ended the process (see :mod:`ethicslint.workers`)."""

    def enter(self, plugin: str, hook: str, limit: float | None, item: int | None = None) -> None: ...

    def leave(self) -> None: ...


_process_monitor: CallMonitor | None = None  # every host's monitor in this process, unless replaced


def watch_calls(monitor: CallMonitor | None) -> None:
    """Report every plugin call of this process's hosts to ``monitor`` (set by the process that
    supervises this one)."""
    global _process_monitor
    _process_monitor = monitor


@dataclass(frozen=True)
class Fault:
    """A plugin call that ended (or was ended with) its worker process. The work is done again in
    a new worker without that call, and the host reports this instead of making it."""

    plugin: str
    hook: str
    timed_out: bool  # True: stopped at the hard time limit; False: the process died in the call
    detail: str = ""  # how the process ended (e.g. "exit status 0"), when it died
    # the item of the task it happened in (a variant of a batch: Host.item), so that the work done
    # again skips the call for that item only; None: for the whole task
    item: int | None = None

    def applies_to(self, item: int | None) -> bool:
        """Whether the call is skipped for ``item`` of the task (the host's current one)."""
        return self.item is None or self.item == item


_armed = False  # whether an alarm now means "stop the plugin"
_previous_alarm_handler: Any = None


def _on_alarm(signum: int, frame: Any) -> None:
    if _armed:
        raise PluginTimeout()
    if callable(_previous_alarm_handler):  # not ours: whoever handled SIGALRM before
        _previous_alarm_handler(signum, frame)


class stop_after:  # noqa: N801 - used as a function: ``with stop_after(seconds):``
    """Interrupt the block with :class:`PluginTimeout` after ``seconds`` (None or 0: never).

    A real-time interval timer and SIGALRM: Unix only, and only in the main thread (where Python
    runs signal handlers; workers run their tasks in their own main thread). Elsewhere, or when
    another timer is already running (a test runner's own timeout), the block runs unlimited.
    The handler is installed once and passes alarms it did not ask for to the handler it
    replaced. A plain class, not a generator: this wraps every hook call (about 7 µs each)."""

    __slots__ = ("seconds", "armed")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.armed = False

    def __enter__(self) -> None:
        global _armed, _previous_alarm_handler
        if not self.seconds or not _CAN_ALARM or threading.current_thread() is not threading.main_thread() \
                or signal.getitimer(signal.ITIMER_REAL)[0]:
            return
        if signal.getsignal(signal.SIGALRM) is not _on_alarm:
            _previous_alarm_handler = signal.signal(signal.SIGALRM, _on_alarm)
        _armed = self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc_info: object) -> None:
        global _armed
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _armed = self.armed = False


_CAN_ALARM = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")


@dataclass
class LoadedPlugin:
    """A registered plugin and what it declared."""

    name: str  # entry-point or module name
    module: Any
    version: str
    origin: str  # "entry point (dist 1.0)" or "local module"
    distribution: str = ""  # the distribution of an entry-point plugin ("ethicslint": shipped with it)
    rules: list[Rule] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)

    @property
    def checker(self) -> str:
        """The checker name: the one its rules carry, else the plugin name."""
        return self.rules[0].checker if self.rules else self.name


@dataclass
class HookOutcome:
    """What one hook call over all plugins produced."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # plugin failures, for the exit status
    seconds: dict[str, float] = field(default_factory=dict)  # plugin name -> time spent in the hook

    def timed(self, name: str, started: float, shared: float = 0.0) -> None:
        """Add the time since ``started`` to the plugin's, less ``shared`` seconds of set-up the
        call waited for (:mod:`ethicslint.setup_clock`)."""
        spent = time.perf_counter() - started - shared
        self.seconds[name] = self.seconds.get(name, 0.0) + max(spent, 0.0)


class Host:
    """A pluggy ``PluginManager`` with ethicslint's loading and isolation rules."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}
        self.rules: dict[str, Rule] = {rule.code: rule for rule in HOST_RULES}
        self.rule_owner: dict[str, str] = {rule.code: "ethicslint" for rule in HOST_RULES}
        self.load_errors: list[str] = []
        self.load_warnings: list[str] = []
        self.monitor: CallMonitor | None = _process_monitor  # told of every plugin call
        self.faults: dict[tuple[str, str], Fault] = {}  # (plugin, hook) -> not called, reported
        self.item: int | None = None  # which item of a worker's task the calls are for (Fault.item)
        self.load_time_limit: float | None = None  # plugin-time-limit while loading

    # --- loading -------------------------------------------------------------------------
    def load(self, *, entry_points: bool = True, modules: Iterable[str] = (),
             disabled: Iterable[str] = (), time_limit: float | None = None) -> None:
        """Register entry-point plugins and local modules, skipping ``disabled`` names; each
        import and declaration hook is stopped after ``time_limit`` seconds
        (``plugin-time-limit``), like any plugin call.

        An import failure is recorded in ``load_errors`` (the run goes on without that plugin);
        a rule-code collision raises :class:`PluginLoadError` naming both plugins. (The config's
        custom rules are one more plugin, registered after these by
        :func:`ethicslint.custom_rules.register_custom_rules`.)
        """
        off = {_canonical(name) for name in disabled}
        self.load_time_limit = time_limit
        if entry_points:
            for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                if _canonical(ep.name) in off:
                    continue
                dist = ep.dist
                version = dist.version if dist else "?"
                origin = f"entry point ({dist.name} {version})" if dist else "entry point"
                try:
                    with self._watched(ep.name, "import", time_limit):
                        module = ep.load()
                except _PLUGIN_FAILURES as exc:  # a broken plugin must not stop the linter
                    self.load_errors.append(f"plugin {ep.name!r} failed to import: {_describe(exc, time_limit)}")
                    continue
                self.register(ep.name, module, version, origin)
                if ep.name in self.plugins and dist:
                    self.plugins[ep.name].distribution = dist.name
        for name in modules:
            if _canonical(name) in off:
                continue
            try:
                with self._watched(name, "import", time_limit):
                    module = importlib.import_module(name)
            except _PLUGIN_FAILURES as exc:
                raise PluginLoadError(
                    f"cannot import plugin module {name!r}: {_describe(exc, time_limit)}") from None
            self.register(name, module, str(getattr(module, "__version__", "local")), "local module")

    def register(self, name: str, module: Any, version: str, origin: str) -> None:
        """Register one plugin object after checking its contract version, its hooks and its rule codes."""
        if name in self.plugins or self.pm.is_registered(module):
            return
        _check_api_version(name, module)
        problem = self._hooks_problem(module)
        if problem:
            raise PluginContractError(f"plugin {name!r} {problem}")
        plugin = LoadedPlugin(name=name, module=module, version=version, origin=origin)
        try:
            self.pm.register(module, name=name)
        except pluggy.PluginValidationError as exc:  # a rule of pluggy's that _hooks_problem missed
            raise PluginContractError(f"plugin {name!r} is refused by pluggy: {exc}") from None
        for hook in ("ethicslint_rules", "ethicslint_options"):
            try:
                declared = self._declared(name, hook)
            except _PLUGIN_FAILURES as exc:
                self.pm.unregister(module)
                self.load_errors.append(
                    f"plugin {name!r} was stopped after {self.load_time_limit or 0:g} s in {hook} "
                    f"(plugin-time-limit) and is not loaded" if isinstance(exc, PluginTimeout) else
                    f"plugin {name!r} raised in {hook} and is not loaded: {_describe(exc)}")
                return
            if hook == "ethicslint_rules":
                plugin.rules = declared
            else:
                plugin.options = declared
        option_problem = _options_problem(plugin.options)
        if option_problem:
            self.pm.unregister(module)
            self.load_errors.append(f"plugin {name!r} is not loaded: ethicslint_options() {option_problem}")
            return
        for rule in plugin.rules:
            problem = _rule_problem(rule)
            if problem:
                self.pm.unregister(module)
                raise PluginLoadError(f"plugin {name!r}: {problem}")
            owner = self.rule_owner.get(rule.code)
            if owner is not None:
                self.pm.unregister(module)
                raise PluginLoadError(
                    f"rule code {rule.code} is declared by both plugin {owner!r} and plugin {name!r}; "
                    f"disable one of them (--disable-plugin NAME)")
        for prefix in sorted({rule.prefix for rule in plugin.rules}):
            sharing = sorted({owner for code, owner in self.rule_owner.items()
                              if self.rules[code].prefix == prefix and owner != name})
            if sharing:
                self.load_warnings.append(
                    f"plugin {name!r} uses the code prefix {prefix}, which plugin {sharing[0]!r} uses too: "
                    f"selecting or ignoring {prefix} affects both; give each plugin a prefix of its own")
        for rule in plugin.rules:
            self.rules[rule.code] = rule
            self.rule_owner[rule.code] = name
        self.plugins[name] = plugin

    def _hooks_problem(self, module: Any) -> str | None:
        """Why ``module``'s hook implementations cannot be registered, or None.

        Checked before pluggy registers anything: pluggy accepts an implementation of a hook
        nobody specified (``check_pending()`` would find it, but lets one marked ``optionalhook``
        pass), ignores an ``ethicslint_*`` function without ``@hookimpl``, and checks arguments
        half-way through registering. The host calls each implementation on its own
        (:meth:`_calls`), so the markers that order or wrap a pluggy call have no effect here and
        are refused rather than silently ignored; ``specname`` is honoured."""
        for attribute in sorted(dir(module)):
            opts = self.pm.parse_hookimpl_opts(module, attribute)
            if opts is None:
                if not attribute.startswith("ethicslint_"):
                    continue
                near = attribute if attribute in HOOKS else _nearest_hook(attribute)
                if near and inspect.isroutine(getattr(module, attribute, None)):
                    return (f"defines {attribute} without @hookimpl, so it would never be called: decorate "
                            f"it with ethicslint.hookimpl" + ("" if near == attribute else f" and name it {near}"))
                continue
            hook = opts.get("specname") or attribute
            named = hook if hook == attribute else f"{hook} (function {attribute})"
            if hook not in HOOKS:
                near = _nearest_hook(hook)
                return (f"implements {named}, which is not an ethicslint hook"
                        + (f" (did you mean {near}?)" if near else "") + f"; the hooks are {', '.join(HOOKS)}")
            for marker, why in _REFUSED_MARKERS.items():
                if opts.get(marker):
                    return f"marks its {named} with {marker}=True, which ethicslint refuses: {why}"
            passed = getattr(self.pm.hook, hook).spec.argnames
            unknown = [arg for arg in pluggy.HookImpl(module, "", getattr(module, attribute), opts).argnames
                       if arg not in passed]
            if unknown:
                return (f"has {named} take {', '.join(map(repr, unknown))}, which the hook does not pass "
                        f"(it passes {', '.join(passed)}; take any of them, by these names)")
        return None

    def declared_options(self) -> dict[str, list[Option]]:
        """Checker name -> its declared options (for config validation)."""
        return {p.checker: p.options for p in self.plugins.values()}

    # --- calling -------------------------------------------------------------------------
    def _declared(self, name: str, hook: str) -> list[Any]:
        """A declaration hook's list, the call bounded by the load time limit and watched."""
        with self._watched(name, hook, self.load_time_limit):
            return list(self._call_one(name, hook) or [])

    @contextmanager
    def _watched(self, name: str, hook: str, limit: float | None) -> Iterator[None]:
        """A plugin call while loading: stopped after ``limit`` seconds, told to the monitor."""
        monitor = self.monitor
        if monitor is not None:
            monitor.enter(name, hook, limit)
        try:
            with stop_after(limit):
                yield
        finally:
            if monitor is not None:
                monitor.leave()

    def _call_one(self, plugin_name: str, hook: str, **kwargs: Any) -> Any:
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            if impl.plugin_name == plugin_name:
                return impl.function(**{arg: kwargs[arg] for arg in impl.argnames if arg in kwargs})
        return None

    def _each(self, hook: str) -> list[tuple[str, Any]]:
        return [(impl.plugin_name, impl) for impl in getattr(self.pm.hook, hook).get_hookimpls()]

    def _calls(self, hook: str, configs: dict[str, dict[str, Any]], outcome: HookOutcome, path: str,
               time_limit: float | None, arguments: Callable[[str], dict[str, Any]]) -> Iterator[tuple[str, Any]]:
        """(plugin name, result) of each plugin's ``hook``, each call on its own, timed and
        stopped after ``time_limit`` seconds. A plugin that raises or runs past the limit is left
        out, with an EL001 or EL003 finding on ``path`` and its name among the errors.
        ``arguments(name)``: the hook's arguments for that plugin, besides its config."""
        monitor = self.monitor
        for name, impl in self._each(hook):
            fault = self.faults.get((name, hook)) if self.faults else None
            if fault is not None and fault.applies_to(self.item):  # it ended a worker on this work: not again
                outcome.findings.append(self._fault_finding(fault, path, time_limit))
                outcome.errors.append(name)
                continue
            config = configs.get(self.plugins[name].checker, {}) if name in self.plugins else {}
            if monitor is not None:
                monitor.enter(name, hook, time_limit, self.item)
            started, setup_before = time.perf_counter(), shared_setup_seconds()
            try:
                with stop_after(time_limit):
                    result = impl.function(**_args(impl, config=config, **arguments(name)))
            except _PLUGIN_FAILURES as exc:
                outcome.findings.append(self._failure_finding(name, hook, exc, path, time_limit))
                outcome.errors.append(name)
                continue
            finally:
                if monitor is not None:
                    monitor.leave()
                outcome.timed(name, started, shared_setup_seconds() - setup_before)
            yield name, result

    def check_document(self, document: Any, configs: dict[str, dict[str, Any]],
                       time_limit: float | None = None) -> HookOutcome:
        """Every plugin's findings for one analyzed document, each plugin isolated (and stopped
        after ``time_limit`` seconds)."""
        outcome = HookOutcome()
        for name, result in self._calls("ethicslint_check_document", configs, outcome, document.path,
                                        time_limit, lambda _: {"document": document}):
            self._accept(name, result, outcome, document.document.source, document.path,
                         expected_path=document.path)
        return outcome

    def collect(self, document: Any, configs: dict[str, dict[str, Any]],
                time_limit: float | None = None) -> tuple[dict[str, Any], HookOutcome]:
        """Every plugin's corpus summary of one document (plugin name -> summary)."""
        outcome = HookOutcome()
        summaries = {name: summary for name, summary in self._calls(
            "ethicslint_collect", configs, outcome, document.path, time_limit, lambda _: {"document": document})
            if summary is not None}
        return summaries, outcome

    def check_corpus(self, collected: dict[str, list[Any]], configs: dict[str, dict[str, Any]],
                     sources: Mapping[str, str | None], fallback_path: str,
                     time_limit: float | None = None) -> HookOutcome:
        """Every plugin's corpus-level findings, given its own collected summaries. ``sources``:
        the text of every file of the run by display path (None for one that could not be read);
        a finding must point into one of them."""
        outcome = HookOutcome()
        for name, result in self._calls("ethicslint_check_corpus", configs, outcome, fallback_path, time_limit,
                                        lambda name: {"collected": collected.get(name, [])}):
            self._accept(name, result, outcome, None, fallback_path, sources)
        return outcome

    # --- validation of what plugins return ---------------------------------------------------
    def _accept(self, name: str, result: Any, outcome: HookOutcome, source: str | None, path: str,
                sources: Mapping[str, str | None] | None = None, expected_path: str | None = None) -> None:
        """Keep the valid findings of ``result``; report the others (EL002). A document's findings
        must be on ``expected_path``, in ``source``; corpus findings on a file of ``sources`` (every
        file of the run), within its text."""
        if result is None:
            return
        if not isinstance(result, (list, tuple)):
            result = [result]
        for item in result:
            try:
                problem = self._finding_problem(name, item, expected_path, source if source is not None
                                                else (sources or {}).get(getattr(item, "path", ""), None),
                                                sources)
            except Exception as exc:  # an object whose attributes themselves misbehave
                problem = f"it could not be validated: {_describe(exc)}"
            if problem:
                outcome.findings.append(_host_finding(PLUGIN_OUTPUT, path,
                                                      f"plugin {name!r} returned an invalid finding: {problem}"))
                outcome.errors.append(name)
            else:
                outcome.findings.append(item)

    def _finding_problem(self, name: str, item: Any, expected_path: str | None,
                         source: str | None, allowed_paths: Container[str] | None = None) -> str | None:
        if not isinstance(item, Finding):
            return f"expected a Finding, got {type(item).__name__}"
        for attribute in ("path", "code", "checker", "text"):
            value = getattr(item, attribute)
            if not isinstance(value, str):
                return f"{attribute} must be a string, got {type(value).__name__} {value!r}"
        for attribute in ("suggestion", "replacement"):
            value = getattr(item, attribute)
            if value is not None and not isinstance(value, str):
                return f"{attribute} must be a string or None, got {type(value).__name__}"
        if expected_path is not None and item.path != expected_path:
            return f"its path {item.path!r} is not the document being checked ({expected_path!r})"
        if allowed_paths is not None and item.path not in allowed_paths:
            return f"its path {item.path!r} is not a file of this run (nor the config file)"
        if not isinstance(item.severity, Severity):
            return f"severity must be a Severity, got {item.severity!r}"
        if self.rule_owner.get(item.code) != name:
            return f"code {item.code!r} is not one of its declared rules"
        ints = (item.line, item.column, item.end_line, item.end_column)
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in ints):
            return f"positions must be integers >= 1, got {ints}"
        if (item.end_line, item.end_column) < (item.line, item.column):
            return f"the end {item.end_line}:{item.end_column} is before the start {item.line}:{item.column}"
        if source is not None:
            starts = line_starts(source)  # cached: not split again for each finding
            if item.end_line > len(starts) or item.line > len(starts):
                return f"line {item.end_line} is past the end of the file ({len(starts)} lines)"
            for line, column in ((item.line, item.column), (item.end_line, item.end_column)):
                if column > _line_length(source, starts, line) + 1:
                    return f"column {column} is past the end of line {line}"
        if not isinstance(item.message, str) or not item.message.strip():
            return "the message is empty"
        return None

    def _failure_finding(self, name: str, hook: str, exc: BaseException, path: str,
                         limit: float | None) -> Finding:
        if isinstance(exc, PluginTimeout):
            return _timeout_finding(name, hook, path, limit)
        return self._crash_finding(name, hook, exc, path)

    def _fault_finding(self, fault: Fault, path: str, limit: float | None) -> Finding:
        if fault.timed_out:
            return _timeout_finding(fault.plugin, fault.hook, path, limit)
        return _host_finding(PLUGIN_ERROR, path, f"plugin {fault.plugin!r} ended its process in {fault.hook} "
                                                 f"({fault.detail}); its findings here are missing")

    def _crash_finding(self, name: str, hook: str, exc: BaseException, path: str) -> Finding:
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.filename}:{frame.lineno}" if frame else ""
        return _host_finding(PLUGIN_ERROR, path, f"plugin {name!r} raised in {hook}: {_describe(exc)}{where}")


def _line_length(source: str, starts: list[int], line: int) -> int:
    """The length of 1-based ``line`` of ``source`` without its line break."""
    start, end = starts[line - 1], starts[line] if line < len(starts) else len(source)
    while end > start and source[end - 1] in "\r\n":  # its line break: at most two characters
        end -= 1
    return end - start


def _args(impl: Any, **available: Any) -> dict[str, Any]:
    return {arg: available[arg] for arg in impl.argnames if arg in available}


def _host_finding(rule: Rule, path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(path=path, line=line, column=column, end_line=line, end_column=column,
                   code=rule.code, checker=rule.checker, severity=rule.severity, message=message)


def _timeout_finding(name: str, hook: str, path: str, limit: float | None) -> Finding:
    return _host_finding(PLUGIN_TIMEOUT, path, f"plugin {name!r} was stopped after {limit or 0:g} s in "
                                               f"{hook} (plugin-time-limit); its findings here are missing")


def _describe(exc: BaseException, limit: float | None = None) -> str:
    if isinstance(exc, PluginTimeout):
        return f"stopped after {limit or 0:g} s (plugin-time-limit)"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


HOOKS = tuple(name for name in vars(hookspecs) if name.startswith("ethicslint_"))  # in the order of a run

# hookimpl markers the host does not honour, and why (see Host._hooks_problem).
_NOTHING_TO_WRAP = ("ethicslint calls each plugin's hook on its own, so there is no call of the other plugins "
                    "to wrap; write a plain hook")
_NO_ORDER = ("ethicslint calls each plugin's hook on its own and keeps every plugin's findings, so the order "
             "of the calls changes nothing; remove it")
_REFUSED_MARKERS = {
    "wrapper": _NOTHING_TO_WRAP,
    "hookwrapper": _NOTHING_TO_WRAP,
    "tryfirst": _NO_ORDER,
    "trylast": _NO_ORDER,
    "optionalhook": "it excuses an implementation of a hook that does not exist, and plugins cannot add "
                    "hooks to ethicslint; remove it",
}


def _nearest_hook(name: str) -> str:
    """The known hook ``name`` is a misspelling of, or "". Names are compared without the shared
    ``ethicslint_`` prefix, which would make any two of them look alike."""
    short = {hook.removeprefix("ethicslint_"): hook for hook in HOOKS}
    close = difflib.get_close_matches(name.removeprefix("ethicslint_"), short, n=1, cutoff=0.75)
    return short[close[0]] if close else ""


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-").removeprefix("ethicslint-")


def _check_api_version(name: str, module: Any) -> None:
    declared = getattr(module, "ETHICSLINT_API", None)
    if declared is None:
        return
    wanted = hookspecs.PLUGIN_API_VERSION.split(".")[0]
    if str(declared).split(".")[0] != wanted:
        raise PluginLoadError(
            f"plugin {name!r} was written for plugin API {declared}, but this ethicslint provides "
            f"{hookspecs.PLUGIN_API_VERSION}; upgrade the plugin or ethicslint")


def _options_problem(options: list[Any]) -> str | None:
    for option in options:
        if not isinstance(option, Option):
            return f"must return Option objects, got {type(option).__name__}"
        if not isinstance(option.name, str) or not option.name:
            return f"returned an option with an invalid name {option.name!r}"
        problem = type_problem(option.type)
        if problem:
            return f"option {option.name!r}: {problem}"
    return None


def _rule_problem(rule: Any) -> str | None:
    if not isinstance(rule, Rule):
        return f"ethicslint_rules() must return Rule objects, got {type(rule).__name__}"
    if not CODE.fullmatch(rule.code):
        return f"rule code {rule.code!r} must be 2-4 capital letters and 3 digits (e.g. URG101)"
    if rule.code.startswith("EL") and rule.code[2:].isdigit():
        return f"rule code {rule.code!r} uses the host's reserved prefix EL"
    if not isinstance(rule.severity, Severity):
        return f"rule {rule.code} has severity {rule.severity!r}; use ethicslint.Severity"
    return None


def print_load_errors(host: Host) -> None:
    for message in host.load_errors:
        print(f"ethicslint: error: {message}", file=sys.stderr)
    for message in host.load_warnings:
        print(f"ethicslint: warning: {message}", file=sys.stderr)

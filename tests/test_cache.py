"""The result cache: each part of the key invalidates what it should, and nothing else does;
concurrent runs never see half an entry; an unreadable entry or an unwritable directory is
only a miss."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from ethicslint import cache as cache_module
from ethicslint.cache import (
    CACHE_DIR_NAME,
    SECRET_FILE,
    ResultCache,
    config_fingerprint,
    plugin_fingerprint,
    secret_key,
)
from ethicslint.cli import main
from ethicslint.config import Config, load_config
from ethicslint.dirs import cache_home
from ethicslint.model import Severity

PLUGIN_DIR = Path(__file__).parent / "plugins"
ONLY_TEST = ["--plugin", "ethicslint_testplugin", "--select", "TST,EL"]


# --- the key, part by part -------------------------------------------------------------------

def test_hit_only_for_the_same_content_path_and_run_key(tmp_path: Path):
    store = ResultCache(tmp_path, "key-a")
    store.put("pages/a.md", b"Hurry up", {"result": 1})
    assert store.get("pages/a.md", b"Hurry up") == {"result": 1}
    assert store.get("pages/a.md", b"Hurry up!") is None  # content
    assert store.get("pages/b.md", b"Hurry up") is None  # display path (findings carry it)
    assert ResultCache(tmp_path, "key-b").get("pages/a.md", b"Hurry up") is None  # config/plugins
    assert store.hits == 1 and store.misses == 2


def _config(**changes: object) -> Config:
    return replace(Config(path=None, root=Path("/repo")), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("changes", [
    {"select": ["URG"]},
    {"ignore": ["DIV101"]},
    {"per_file_ignores": {"blog/**": ["URG"]}},
    {"language": "fr"},
    {"severity": {"URG101": Severity.ERROR}},
    {"max_file_size": 10},
    {"formats": {".mjml": "html"}},
])
def test_every_setting_that_changes_results_changes_the_key(changes: dict[str, object]):
    assert config_fingerprint(_config(**changes), {}) != config_fingerprint(_config(), {})


def test_plugin_options_change_the_key():
    base = config_fingerprint(_config(), {"urgency": {"allow": []}})
    assert config_fingerprint(_config(), {"urgency": {"allow": ["last chance to vote"]}}) != base
    assert config_fingerprint(_config(), {"urgency": {"allow": []}}) == base


@pytest.mark.parametrize("changes", [
    {"fail_on": Severity.ERROR},  # applied to the findings after the cache
    {"exclude": ["legal/**"]},  # decides which files are read, not what a file gives
    {"respect_gitignore": False},
    {"path": Path("/repo/pyproject.toml")},  # where the settings came from, not what they are
])
def test_settings_that_do_not_change_a_files_findings_keep_the_key(changes: dict[str, object]):
    assert config_fingerprint(_config(**changes), {}) == config_fingerprint(_config(), {})


def _fake_plugin(root: Path, version: str = "1.0") -> SimpleNamespace:
    package = root / "ethicslint_fake"
    (package / "terms").mkdir(parents=True, exist_ok=True)
    init = package / "__init__.py"
    if not init.exists():
        init.write_text("VERSION = 1\n", encoding="utf-8")
        (package / "terms" / "en.toml").write_text('[x]\nphrases = ["hurry"]\n', encoding="utf-8")
    return SimpleNamespace(version=version, module=SimpleNamespace(__file__=str(init)))


def test_plugin_version_set_and_files_change_the_key(tmp_path: Path):
    plugin = _fake_plugin(tmp_path)
    base = plugin_fingerprint({"fake": plugin})
    assert plugin_fingerprint({"fake": plugin}) == base
    assert plugin_fingerprint({"fake": _fake_plugin(tmp_path, "1.1")}) != base  # version
    assert plugin_fingerprint({}) != base  # a plugin disabled
    assert plugin_fingerprint({"fake": plugin, "other": _fake_plugin(tmp_path / "o")}) != base  # added
    terms = tmp_path / "ethicslint_fake" / "terms" / "en.toml"
    stat = terms.stat()
    os.utime(terms, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a term list edited
    assert plugin_fingerprint({"fake": plugin}) != base


def test_installing_a_model_changes_the_key(monkeypatch: pytest.MonkeyPatch):
    import importlib.util

    base = plugin_fingerprint({})
    real_find_spec = importlib.util.find_spec

    def without_french_model(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None if name == "fr_core_news_sm" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_french_model)
    assert plugin_fingerprint({}) != base
    assert any(part == "fr_core_news_sm=absent" for part in cache_module.nlp_fingerprint())


# --- robustness ----------------------------------------------------------------------------

def test_a_damaged_entry_is_a_miss(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", list(range(1000)))
    store.flush()
    entry = store._entry("a.md", b"x")
    entry.write_bytes(entry.read_bytes()[:40])  # truncated (a full disk, a killed run)
    assert store.get("a.md", b"x") is None
    entry.write_bytes(b"not a pickle at all")
    assert store.get("a.md", b"x") is None


def test_an_unwritable_cache_is_silently_skipped(tmp_path: Path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the directory should be", encoding="utf-8")
    store = ResultCache(blocked, "k")
    store.put("a.md", b"x", {"result": 1})  # no exception
    store.flush()
    assert ResultCache(blocked, "k").get("a.md", b"x") is None  # nothing reached the disk


def test_entries_are_written_in_the_background_and_seen_at_once(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    for index in range(50):
        store.put(f"p{index}.md", b"x", {"result": index})
    assert store.get("p7.md", b"x") == {"result": 7}  # at once, written or not yet
    store.flush()
    fresh = ResultCache(tmp_path, "k")  # another run: only the disk
    assert [fresh.get(f"p{index}.md", b"x") for index in range(50)] == [{"result": i} for i in range(50)]
    store.put("p7.md", b"x", {"result": "new"})
    store.put("p7.md", b"x", {"result": "newer"})  # the last put wins
    store.flush()
    assert fresh.get("p7.md", b"x") == {"result": "newer"}
    assert not store._pending and not [p for p in tmp_path.rglob(".tmp-*")]


def test_entries_are_not_pickleable_results_are_skipped(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", lambda: None)  # cannot be pickled: no entry, no temporary file left
    assert store.get("a.md", b"x") is None
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def _hammer(args: tuple[str, int]) -> tuple[int, int, int]:
    """Write and read the same keys as the other processes, checking every value read."""
    directory, seed = args
    store = ResultCache(Path(directory), "shared")
    hits = misses = bad = 0
    for round_ in range(60):
        for key in range(8):
            value = [key] * 20_000  # large enough that a torn write would show
            if (round_ + seed + key) % 2:
                store.put(f"file-{key}.md", b"same", value)
            store.flush()  # read what is on disk, where the other processes write too
            got = store.get(f"file-{key}.md", b"same")
            if got is None:
                misses += 1
            elif got == value:
                hits += 1
            else:
                bad += 1
    return hits, misses, bad


def test_concurrent_writers_and_readers_never_see_half_an_entry(tmp_path: Path):
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.map(_hammer, [(str(tmp_path), seed) for seed in range(4)])
    assert sum(bad for _, _, bad in results) == 0
    assert sum(hits for hits, _, _ in results) > 0
    assert not [p for p in tmp_path.rglob(".tmp-*")]  # every temporary file was renamed into place
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


# --- end to end ----------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pages").mkdir()
    for index in range(4):
        (tmp_path / "pages" / f"p{index}.md").write_text(
            f"# Page {index}\n\nHurry, the deal {index} is here.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.ethicslint]\nselect = [\"ALL\"]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """True for each cache lookup that hit, False for each miss."""
    seen: list[bool] = []
    real_get = ResultCache.get

    def get(self, display, content):  # type: ignore[no-untyped-def]
        value = real_get(self, display, content)
        seen.append(value is not None)
        return value

    monkeypatch.setattr(ResultCache, "get", get)
    return seen


def _check(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", *ONLY_TEST, "--format", "json", *args, "pages"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_second_run_is_served_from_the_cache_with_the_same_report(repo: Path, lookups: list[bool]):
    first = _check()
    assert lookups == [False] * 4
    lookups.clear()
    assert _check() == first
    assert lookups == [True] * 4
    assert (repo / CACHE_DIR_NAME / ".gitignore").is_file()


def test_an_edited_file_alone_is_checked_again(repo: Path, lookups: list[bool]):
    _check()
    lookups.clear()
    page = repo / "pages" / "p2.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nHurry up.\n", encoding="utf-8")
    out = _check()
    assert sorted(lookups) == [False, True, True, True]
    assert '"line": 5' in out


def test_a_config_change_checks_everything_again(repo: Path, lookups: list[bool]):
    _check()
    lookups.clear()
    (repo / "pyproject.toml").write_text('[tool.ethicslint]\nselect = ["ALL"]\n\n[tool.ethicslint.severity]\n'
                                         'TST101 = "error"\n', encoding="utf-8")
    out = _check()
    assert lookups == [False] * 4
    assert '"severity": "error"' in out
    lookups.clear()
    _check("--ignore", "TST101")  # a command-line selection is part of the effective config
    assert lookups == [False] * 4


def test_editing_a_local_plugin_checks_everything_again(repo: Path, lookups: list[bool],
                                                        monkeypatch: pytest.MonkeyPatch):
    module = repo / "house_rules.py"
    module.write_text((PLUGIN_DIR / "ethicslint_testplugin.py").read_text(encoding="utf-8")
                      .replace("TST", "HSE"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(repo))

    def run() -> None:
        result = CliRunner().invoke(main, ["check", "--plugin", "house_rules", "--select", "HSE", "pages"],
                                    catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output

    run()
    lookups.clear()
    run()
    assert lookups == [True] * 4
    lookups.clear()
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    run()
    assert lookups == [False] * 4


def test_two_runs_at_once_share_the_cache_safely(repo: Path):
    env = {**os.environ, "PYTHONPATH": str(PLUGIN_DIR)}
    command = [sys.executable, "-m", "ethicslint", "check", *ONLY_TEST, "--format", "json", "pages"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode in (0, 1) for run in runs), [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert again.stdout == outputs[0][0]
    entries = [p for p in (repo / CACHE_DIR_NAME).rglob("*") if p.is_file() and p.name not in (".gitignore", ".pruned")]
    assert len(entries) == 4 and not [p for p in entries if p.name.startswith(".tmp-")]


def test_load_config_defaults_give_a_stable_key(tmp_path: Path):
    one = load_config(None, cwd=tmp_path)
    two = load_config(None, cwd=tmp_path)
    assert config_fingerprint(one, {}) == config_fingerprint(two, {})


# --- pruning ---------------------------------------------------------------------------------

def _age(path: Path, days: float) -> None:
    when = time.time() - days * 86_400
    os.utime(path, (when, when))


def test_entries_unused_for_the_max_age_are_pruned_once_a_day(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    for name in ("old.md", "recent.md"):
        store.put(name, b"x", {"result": name})
    store.flush()
    old, recent = store._entry("old.md", b"x"), store._entry("recent.md", b"x")
    _age(old, cache_module.MAX_AGE_DAYS + 1)
    _age(recent, cache_module.MAX_AGE_DAYS - 1)
    stale_temp = old.parent / ".tmp-killed-run"
    stale_temp.write_bytes(b"half an entry")
    _age(stale_temp, 1)
    assert store.prune_if_due() == 2
    assert not old.exists() and not stale_temp.exists()
    assert ResultCache(tmp_path, "k").get("recent.md", b"x") == {"result": "recent.md"}
    store.put("old.md", b"x", {"result": "again"})  # an old entry again, within the same day:
    store.flush()
    _age(store._entry("old.md", b"x"), cache_module.MAX_AGE_DAYS + 1)
    assert store.prune_if_due() == 0  # pruned at most once a day
    assert store._entry("old.md", b"x").exists()
    _age(tmp_path / ".pruned", 2)
    assert store.prune_if_due() == 1


def test_a_hit_marks_an_entry_as_used(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", {"result": 1})
    store.flush()
    entry = store._entry("a.md", b"x")
    _age(entry, cache_module.MAX_AGE_DAYS - 1)
    assert ResultCache(tmp_path, "k").get("a.md", b"x") == {"result": 1}
    assert time.time() - entry.stat().st_mtime < 60  # used today: kept for MAX_AGE_DAYS more
    assert store.prune_if_due() == 0
    assert entry.exists()


def test_a_run_prunes_its_cache(repo: Path):
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(repo), *ONLY_TEST]).exit_code in (0, 1)
    cache_dir = repo / CACHE_DIR_NAME
    entries = [p for p in cache_dir.glob("??/*") if not p.name.startswith(".")]
    assert entries and (cache_dir / ".pruned").exists()
    for entry in entries:
        _age(entry, cache_module.MAX_AGE_DAYS + 1)
    _age(cache_dir / ".pruned", 2)
    for path in repo.rglob("*.md"):  # every file changed: nothing served, the old entries unused
        path.write_text(path.read_text(encoding="utf-8") + "\nMore copy.\n", encoding="utf-8")
    assert runner.invoke(main, ["check", str(repo), *ONLY_TEST]).exit_code in (0, 1)
    assert not any(entry.exists() for entry in entries)
    assert [p for p in cache_dir.glob("??/*") if not p.name.startswith(".")]  # the new ones


# --- untrusted entries: the cache directory lives in the checked tree --------------------------

class _Payload:
    """Unpickling this runs code: it creates the file ``marker`` (what an attacker's entry would do)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def _entries(cache_dir: Path) -> list[Path]:
    return [p for p in cache_dir.glob("??/*") if not p.name.startswith(".")]


def test_a_pickle_placed_where_an_entry_is_never_runs(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    import pickle

    first = _check()
    entries = _entries(repo / CACHE_DIR_NAME)
    assert len(entries) == 4
    marker = tmp_path_factory.mktemp("attacker") / "code-ran"
    for entry in entries:  # a committed cache in a pull request: code where every entry is
        entry.write_bytes(pickle.dumps(_Payload(marker)))
    assert _check() == first  # every entry a miss: the files are checked again, same findings
    assert not marker.exists()


def test_entries_are_json_data_with_a_format_version(tmp_path: Path):
    import json

    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", {"findings": [{"line": 1}], "note": "é"})
    store.flush()
    data = json.loads(store._entry("a.md", b"x").read_bytes())
    assert data == {"format": cache_module.FORMAT_VERSION, "value": {"findings": [{"line": 1}], "note": "é"}}


@pytest.mark.parametrize("body", [
    b'{"format": ' + b"1" * 3, b"{}", b'{"format": 999, "value": {}}', b'{"format": "2"}', b"[1, 2]",
    b'{"format": 2, "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", b"\xff\xfe not utf-8", b"",
    b'{"format": 2, "value": NaN}', b'{"format": 2, "value": ' + b"1" * 5000 + b"}",
])
def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path: Path, body: bytes):
    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", {"result": 1})
    store.flush()
    store._entry("a.md", b"x").write_bytes(body)
    assert ResultCache(tmp_path, "k").get("a.md", b"x") is None


def test_an_entry_of_the_wrong_shape_is_a_miss_and_the_file_is_checked(repo: Path):
    first = _check()
    for entry in _entries(repo / CACHE_DIR_NAME):  # valid JSON, valid format, nonsense inside
        entry.write_text('{"format": %d, "value": {"path": 1, "findings": [{"line": "x"}]}}'
                         % cache_module.FORMAT_VERSION, encoding="utf-8")
    assert _check() == first


def test_an_oversized_entry_is_a_miss_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", {"result": 1})
    store.flush()
    entry = store._entry("a.md", b"x")
    with entry.open("r+b") as handle:  # sparse: huge on paper, nothing on disk
        handle.truncate(cache_module.max_entry_bytes(b"x") + 1)
    monkeypatch.setattr(cache_module.json, "loads", lambda *a, **k: pytest.fail("an oversized entry was parsed"))
    assert ResultCache(tmp_path, "k").get("a.md", b"x") is None


def test_an_entry_that_is_not_a_regular_file_is_a_miss(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    store.put("a.md", b"x", {"result": 1})
    store.flush()
    entry = store._entry("a.md", b"x")
    entry.unlink()
    os.mkfifo(entry)  # opening a FIFO for reading would wait for a writer forever
    assert ResultCache(tmp_path, "k").get("a.md", b"x") is None
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert ResultCache(tmp_path, "k").get("a.md", b"x") is None


def test_only_plain_data_is_stored(tmp_path: Path):
    store = ResultCache(tmp_path, "k")
    for name, value in (("tuple.md", (1, 2)), ("set.md", {1}), ("keys.md", {1: "int key"}),
                        ("nan.md", float("nan")), ("object.md", {"a": object()}),
                        ("enum.md", {"severity": Severity.ERROR})):
        store.put(name, b"x", value)  # would not come back as it went in: not stored
    store.flush()
    assert not _entries(tmp_path)


def test_entry_names_are_keyed_on_a_secret_outside_the_checked_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Names are predictable from public facts without the secret; with it, a hostile entry cannot be
    placed where one is read (a committed cache, another user's), even as well-formed data."""
    monkeypatch.setenv("ETHICSLINT_CACHE_HOME", str(tmp_path / "home-one"))
    mine = ResultCache(tmp_path / "cache", "k")
    mine.put("a.md", b"x", {"findings": []})
    mine.flush()
    key_file = tmp_path / "home-one" / cache_module.SECRET_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("ETHICSLINT_CACHE_HOME", str(tmp_path / "home-two"))  # another user or machine
    theirs = ResultCache(tmp_path / "cache", "k")
    assert theirs._entry("a.md", b"x") != mine._entry("a.md", b"x")
    assert theirs.get("a.md", b"x") is None
    monkeypatch.setenv("ETHICSLINT_CACHE_HOME", str(tmp_path / "home-one"))
    assert ResultCache(tmp_path / "cache", "k").get("a.md", b"x") == {"findings": []}


def test_a_symlinked_cache_directory_is_not_used(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    """A repository can commit ``.ethicslint_cache`` as a link to any directory: a run must neither
    write there nor prune files there."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "ab").mkdir()
    old = elsewhere / "ab" / "precious"
    old.write_text("keep me", encoding="utf-8")
    _age(old, cache_module.MAX_AGE_DAYS + 5)
    (repo / CACHE_DIR_NAME).symlink_to(elsewhere, target_is_directory=True)
    _check()
    assert old.exists()
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == ["ab", "ab/precious"]


def test_the_secret_lives_in_the_user_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """``$ETHICSLINT_CACHE_HOME`` wins; else the platform's cache directory (``$XDG_CACHE_HOME`` on
    Linux), never a checked tree."""
    monkeypatch.delenv("ETHICSLINT_CACHE_HOME", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache_home() == tmp_path / "xdg" / "ethicslint"
    monkeypatch.setenv("ETHICSLINT_CACHE_HOME", str(tmp_path / "home"))
    assert cache_home() == tmp_path / "home"
    key = secret_key()
    assert (tmp_path / "home" / SECRET_FILE).read_bytes() == key

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
from ethicslint.cache import CACHE_DIR_NAME, ResultCache, config_fingerprint, plugin_fingerprint
from ethicslint.cli import main
from ethicslint.config import Config, load_config
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

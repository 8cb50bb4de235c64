"""Discovery: directory walking, default and configured excludes, .gitignore, explicit files."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pytest

import ethicslint.documents
from ethicslint.config import Config
from ethicslint.discovery import DiscoveryError, discover

EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".html": "html",
              ".htm": "html", ".txt": "text", ".yml": "yaml", ".yaml": "yaml", ".json": "json",
              ".po": "po", ".pot": "po"}


def stand_in_format_for(path: Path, extra_formats: dict[str, str] | None = None) -> str | None:
    """The readers' ``format_for`` contract, so discovery is tested on its own."""
    for pattern, name in (extra_formats or {}).items():
        if fnmatch.fnmatch(path.name, pattern):
            return name
    return EXTENSIONS.get(path.suffix.lower())


@pytest.fixture(autouse=True)
def formats(monkeypatch):
    monkeypatch.setattr(ethicslint.documents, "format_for", stand_in_format_for, raising=False)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """An empty repository as the cwd (``.git`` bounds the .gitignore search)."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Copy.\n", encoding="utf-8")


def names(paths: list[Path]) -> list[str]:
    return [p.as_posix() for p in paths]


def config(root: Path, **values) -> Config:
    return Config(path=root / ".ethicslint.toml", root=root, **values)


def test_walks_directories_and_keeps_known_formats_sorted(repo):
    touch(repo, "b.md", "a.html", "docs/page.mdx", "docs/strings.yml", "locale/fr.po", "notes.rst",
          "logo.png", "Makefile")
    assert names(discover([Path(".")], config(repo))) == [
        "a.html", "b.md", "docs/page.mdx", "docs/strings.yml", "locale/fr.po"]


def test_hidden_and_default_excluded_directories_are_skipped(repo):
    touch(repo, "index.md", ".github/ISSUE_TEMPLATE/bug.md", ".cache/x.md", "node_modules/pkg/README.md",
          "build/site.html", "dist/a.md", "venv/r.md", ".venv/r.md", "__pycache__/x.txt",
          ".ethicslint_cache/c.json", "docs/.hidden/x.md")
    assert names(discover([Path(".")], config(repo))) == ["index.md"]


def test_include_reaches_into_a_skipped_directory_for_matching_files_only(repo):
    touch(repo, "index.md", ".github/ISSUE_TEMPLATE/bug.md", ".github/workflows/ci.yml", ".cache/x.md")
    found = discover([Path(".")], config(repo, include=[".github/**/*.md"]))
    assert names(found) == [".github/ISSUE_TEMPLATE/bug.md", "index.md"]


def test_exclude_globs_are_relative_to_the_config_root(repo):
    touch(repo, "index.md", "drafts/a.md", "site/drafts/b.md", "site/c.generated.md", "site/c.md")
    found = discover([Path(".")], config(repo, exclude=["/drafts/", "*.generated.md"]))
    assert names(found) == ["index.md", "site/c.md", "site/drafts/b.md"]
    # the config's root, not the cwd, anchors the globs
    os.chdir(repo / "site")
    assert names(discover([Path(".")], config(repo, exclude=["site/c.md"]))) == [
        "c.generated.md", "drafts/b.md"]


def test_explicit_files_honour_exclude(repo):
    touch(repo, "drafts/a.md", "b.md")
    found = discover([Path("drafts/a.md"), Path("b.md")], config(repo, exclude=["drafts/"]))
    assert names(found) == ["b.md"]


def test_gitignore_root_nested_and_negated(repo):
    (repo / ".gitignore").write_text("out/\n*.tmp.md\n", encoding="utf-8")
    (repo / "docs" / "guide").mkdir(parents=True)
    (repo / "docs" / ".gitignore").write_text("secret.md\n!keep.tmp.md\n", encoding="utf-8")
    touch(repo, "index.md", "out/page.html", "x.tmp.md", "docs/secret.md", "docs/keep.tmp.md",
          "docs/guide/secret.md", "docs/guide/ok.md", "secret.md")
    assert names(discover([Path(".")], config(repo))) == [
        "docs/guide/ok.md", "docs/keep.tmp.md", "index.md", "secret.md"]


def test_parent_gitignore_applies_when_walking_a_subdirectory(repo):
    (repo / ".gitignore").write_text("generated/\n", encoding="utf-8")
    touch(repo, "site/generated/a.md", "site/b.md")
    assert names(discover([Path("site")], config(repo))) == ["site/b.md"]


def test_gitignore_can_be_turned_off(repo):
    (repo / ".gitignore").write_text("*.md\n", encoding="utf-8")
    touch(repo, "a.md")
    assert discover([Path(".")], config(repo)) == []
    assert names(discover([Path(".")], config(repo, respect_gitignore=False))) == ["a.md"]


def test_explicit_paths_are_not_subject_to_gitignore_or_hidden_rules(repo):
    (repo / ".gitignore").write_text("private/\n*.md\n", encoding="utf-8")
    touch(repo, "a.md", ".github/pull_request_template.md", "private/x.md")
    found = discover([Path("a.md"), Path(".github/pull_request_template.md"), Path("private")], config(repo))
    assert names(found) == [".github/pull_request_template.md", "a.md", "private/x.md"]


def test_explicit_files_need_a_known_format(repo):
    touch(repo, "README.rst", "notes.mdoc")
    assert discover([Path("README.rst"), Path("notes.mdoc")], config(repo)) == []
    found = discover([Path("README.rst"), Path("notes.mdoc")], config(repo, formats={"*.mdoc": "markdown"}))
    assert names(found) == ["notes.mdoc"]


def test_formats_make_unknown_extensions_discoverable(repo):
    touch(repo, "content/a.mdoc", "content/b.md")
    found = discover([Path("content")], config(repo, formats={"*.mdoc": "markdown"}))
    assert names(found) == ["content/a.mdoc", "content/b.md"]


def test_missing_path_is_an_error(repo):
    with pytest.raises(DiscoveryError, match=r"^nope/page\.md: no such file or directory$"):
        discover([Path("nope/page.md")], config(repo))


def test_duplicates_are_removed(repo):
    touch(repo, "docs/a.md", "docs/b.md")
    found = discover([Path("docs"), Path("docs/a.md"), Path("./docs/b.md"), Path(".")], config(repo))
    assert names(found) == ["docs/a.md", "docs/b.md"]


def test_symlink_loops_terminate(repo):
    touch(repo, "docs/a.md")
    (repo / "docs" / "loop").symlink_to(repo / "docs", target_is_directory=True)
    (repo / "docs" / "up").symlink_to(repo, target_is_directory=True)
    (repo / "docs" / "self.md").symlink_to(repo / "docs" / "self.md")
    (repo / "docs" / "dangling.md").symlink_to(repo / "missing.md")
    assert names(discover([Path(".")], config(repo))) == ["docs/a.md"]


def test_symlinked_directory_is_followed(repo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("shared")
    touch(elsewhere, "terms.md")
    (repo / "shared").symlink_to(elsewhere, target_is_directory=True)
    assert names(discover([Path(".")], config(repo))) == ["shared/terms.md"]

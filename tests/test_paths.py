"""``ethicslint.paths``: the one "relative to here, when inside" and "is it under that root"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ethicslint.paths import display_path, is_within, relative_inside


def test_relative_inside_gives_posix_paths_inside_and_none_outside(tmp_path: Path) -> None:
    assert relative_inside(tmp_path / "a" / "b.md", tmp_path) == "a/b.md"
    assert relative_inside(tmp_path, tmp_path) == "."
    assert relative_inside(tmp_path.parent / "other.md", tmp_path) is None
    assert relative_inside(tmp_path / "..foo" / "x.md", tmp_path) == "..foo/x.md"  # a name, not a parent


@pytest.mark.parametrize("name", ["page.md", "docs/page.md", ".github/x.md", "a/./b.md", "a/../b.md", "..foo/x.md"])
def test_display_path_is_relative_to_the_base_whichever_way_it_is_found(tmp_path: Path, name: str) -> None:
    """The shortcut for absolute paths under the base gives what relpath gives."""
    path = str(tmp_path) + os.sep + name
    assert display_path(path, str(tmp_path)) == Path(os.path.relpath(path, tmp_path)).as_posix()


def test_display_path_leaves_paths_outside_the_base_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path.parent / "elsewhere" / "x.md"
    assert display_path(outside, str(tmp_path)) == outside.as_posix()
    monkeypatch.chdir(tmp_path)
    assert display_path(Path("sub/x.md")) == "sub/x.md"  # relative: from the current directory
    assert display_path(tmp_path / "sub" / "x.md") == "sub/x.md"


def test_is_within_compares_whole_components(tmp_path: Path) -> None:
    root = tmp_path / "site"
    assert is_within(root / "img" / "a.png", root)
    assert is_within(root, root) and is_within(root, str(root) + os.sep)
    assert not is_within(tmp_path / "site-backup" / "a.png", root)  # a prefix of the name is not inside
    assert not is_within(tmp_path / "a.png", root)
    assert not is_within("relative/a.png", root)  # one relative, one absolute: not comparable

"""The README stays a newcomer's page: short, with the two commands and the tour; reference lives in docs/."""

from __future__ import annotations

import re

from .markdown import README, ROOT, prose_lines

# Made by running it, git-ignored: the README mentions them below the block.
UNLISTED = {"var", "build", "__pycache__", "node_modules"}


def test_the_readme_is_at_most_300_lines():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 300


def test_the_readme_gives_the_two_commands_and_a_tour_for_each_user():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text and "make bench" in text
    headings = {line.lstrip("#").strip() for line in prose_lines(text) if line.startswith("#")}
    assert {"Two commands", "A short tour", "As a reader", "As an editor", "As a reviewer",
            "As an API client", "Layout", "Documentation"} <= headings


def _layout_entries() -> list[str]:
    """The directories the README's Layout block names, in order (`name/` at the start of a line)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    return re.findall(r"^([\w.-]+)/ ", block, flags=re.M)


def test_the_layout_names_each_top_level_directory_once():
    entries = _layout_entries()
    present = {path.name for path in ROOT.iterdir() if path.is_dir() and path.name not in UNLISTED
               and not path.name.startswith(".") and not path.name.endswith(".egg-info")}
    assert sorted(name for name in set(entries) if entries.count(name) > 1) == []
    assert sorted(present - set(entries)) == []
    assert sorted(name for name in entries if not (ROOT / name).is_dir()) == []

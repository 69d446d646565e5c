"""Arrows point down: no domain app imports the reader layer or a surface, and live does not import the API.

The house, bottom up: the record core; the domains (events, claims, drafts,
archive, interchange); the reader layer; the surfaces (pages, api, desk,
digests, live, edge, memento). Imports are read with `ast`, so an import inside a
function counts as much as one at the top of a module.
"""

from __future__ import annotations

import pytest

from tests.imports import imported_apps

CORE_AND_DOMAINS = ("record", "publiclog", "events", "claims", "drafts", "archive", "interchange")
READER = "reader"
SURFACES = ("pages", "api", "desk", "digests", "live", "edge", "memento")


def _upward(app: str, above: tuple[str, ...]) -> dict[str, set[str]]:
    imports = imported_apps(app)
    return {name: files for name, files in imports.items() if name in above}


@pytest.mark.parametrize("app", CORE_AND_DOMAINS)
def test_a_domain_app_imports_neither_the_reader_layer_nor_a_surface(app):
    assert _upward(app, (READER, *SURFACES)) == {}


def test_the_reader_layer_imports_no_surface():
    assert _upward(READER, SURFACES) == {}


def test_live_does_not_import_the_api():
    assert _upward("live", ("api",)) == {}


def test_the_scan_sees_an_import_inside_a_function(tmp_path):
    (tmp_path / "someapp").mkdir()
    (tmp_path / "someapp" / "models.py").write_text("def late():\n    from api.common import conditional\n")
    assert imported_apps("someapp", tmp_path) == {"api": {"someapp/models.py"}}

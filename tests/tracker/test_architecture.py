"""The layout keeps its promises: one path after a revision, no import circles, no app too big."""

from __future__ import annotations

import ast

import pytest

from tests.imports import ROOT, code_lines, cycles, import_graph, modules, product_apps


def _calls(app_modules, attribute: str):
    for name, path in app_modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == attribute:
                yield name, node


def _all_product_modules():
    found = {}
    for app in product_apps():
        found.update(modules(app))
    return found


def test_the_scan_sees_the_product():
    assert {"record", "events", "claims", "digests", "pages", "api"} <= set(product_apps())
    assert "record.versioning" in _all_product_modules()


def test_nothing_listens_to_the_saving_of_a_revision():
    # Work after a revision hangs off record.signals.revision_committed only.
    offenders = []
    for name, path in _all_product_modules().items():
        source = path.read_text()
        if "post_save" in source and "Revision" in source:
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and "post_save" in ast.unparse(node.func if not isinstance(
                        node.func, ast.Name) else node) and "sender=Revision" in ast.unparse(node):
                    offenders.append(name)
    assert offenders == []


def test_a_revision_model_has_no_post_save_receiver():
    from django.db.models.signals import post_save

    from record.models import Revision

    assert not post_save.has_listeners(Revision)


def test_work_is_queued_after_commit_in_one_place():
    users = sorted({name for name, _ in _calls(_all_product_modules(), "on_commit")})
    assert users == ["record.aftercommit"]


@pytest.mark.parametrize("app", ["record", "digests"])
def test_no_import_circle_between_the_files_of(app):
    assert cycles(import_graph(app)) == []


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_app_holds_more_than_fifteen_percent_of_the_product_code():
    sizes = {app: code_lines(app) for app in product_apps()}
    total = sum(sizes.values())
    assert total > 10_000, sizes  # the scan read the product
    too_big = {app: f"{lines / total:.0%}" for app, lines in sizes.items() if lines > 0.15 * total}
    assert too_big == {}


def test_product_files_stay_below_five_hundred_lines():
    long_files = {str(path.relative_to(ROOT)): n for path in _all_product_modules().values()
                  if (n := len(path.read_text().splitlines())) > 500}
    assert long_files == {}


def test_no_two_apps_import_each_other():
    from tests.imports import imported_apps

    apps = set(product_apps())
    imports = {app: {other for other in imported_apps(app) if other in apps and other != app} for app in apps}
    both_ways = sorted({tuple(sorted((app, other))) for app, others in imports.items() for other in others
                        if app in imports.get(other, set())})
    assert both_ways == []

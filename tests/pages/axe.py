"""axe-core (axe-playwright-python) on a page in the browser: the serious and critical findings."""

from __future__ import annotations


def serious_violations(page) -> list[str]:
    """Rule ids with their first target, for each WCAG finding of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f'{v["id"]}: {v["nodes"][0]["target"]}' for v in found if v["impact"] in ("serious", "critical")]
